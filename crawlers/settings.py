"""Scrapy settings for every spider of compute-limits (SCRAPY_SETTINGS_MODULE=crawlers.settings).

Polite by default: one connection, 3 s between requests (arXiv's terms), bounded retries with
back-off on 429/5xx, an identifying User-Agent with a contact address.
"""

from __future__ import annotations

import os

BOT_NAME = "compute-limits"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

CONTACT = os.environ.get("COMPUTE_LIMITS_CONTACT", "compute-limits@users.noreply.github.com")
USER_AGENT = f"compute-limits/0.1 (+https://github.com/compute-limits/compute-limits; mailto:{CONTACT})"

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 1
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 3.0
RANDOMIZE_DOWNLOAD_DELAY = False
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024

RETRY_ENABLED = True
RETRY_TIMES = 4
RETRY_HTTP_CODES = [408, 429, 500, 502, 503, 504, 522, 524]
RETRY_BACKOFF_BASE = 3.0   # seconds; doubled per attempt
RETRY_BACKOFF_MAX = 300.0  # never wait longer; a longer Retry-After ends the attempt for this run
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.BackoffRetryMiddleware": 550,
}

COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
