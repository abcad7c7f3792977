"""Harvesting: Scrapy spiders for arXiv (API, OAI-PMH, PDFs) and Papers-with-Code data.

Crawlers yield raw records as JSON Lines; they know nothing of DuckDB or spaCy.
"""

from __future__ import annotations

from crawlers.errors import CrawlError

__all__ = ["CrawlError"]
