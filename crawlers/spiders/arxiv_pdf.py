"""PDF downloader: fetches explicit versions from arXiv into the content-addressed cache.

It requests only `{base_url}/pdf/{id}v{n}`, with `base_url` an arXiv host (or the loopback fixture
server of an offline run) and `id` a valid arXiv id; a link carried by a record is never fetched,
and a queue entry whose `pdf_url` points elsewhere is refused outright. Bodies above `max_bytes` are
cancelled (from the Content-Length, or as soon as more arrives) and refused, not retried.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.exceptions import DownloadCancelledError
from scrapy.http import Response

from crawlers.atom import is_arxiv_id
from crawlers.errors import CrawlError, short_url
from crawlers.pdfcache import MAX_PDF_BYTES, check_pdf_bytes, store_pdf
from crawlers.politeness import is_loopback, pdf_host_allowed

logger = logging.getLogger(__name__)

_TOO_LARGE = re.compile(r"receive[d]? (\d+) bytes which is larger than download max size", re.IGNORECASE)


def failure_message(failure: Any, url: str) -> str:
    """A failed request in one line, with the URL shortened to its path (the same error of two runs
    against fixture servers on different ports reads the same)."""
    text = " ".join(str(failure.getErrorMessage()).replace(url, short_url(url)).split())
    return f"request failed: {type(failure.value).__name__}: {text}"


class ArxivPdfSpider(scrapy.Spider):
    """Reads a JSONL queue of {paper_id, version}; yields `pdf` or `error` records."""

    name = "arxiv_pdf"
    custom_settings = {"HTTPERROR_ALLOW_ALL": True}

    def __init__(self, queue: str = "", cache_dir: str = "data/pdfs",
                 base_url: str = "https://export.arxiv.org", max_bytes: str | int = MAX_PDF_BYTES,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.queue = Path(queue)
        self.cache_dir = Path(cache_dir)
        self.base_url = base_url.rstrip("/")
        self.max_bytes = int(max_bytes)

    async def start(self) -> AsyncIterator[Any]:
        for line in self.queue.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            paper_id, version = str(item["paper_id"]), int(item["version"])
            url = f"{self.base_url}/pdf/{paper_id}v{version}"
            if not is_arxiv_id(paper_id):
                yield self.error(paper_id, version, url, "refused: not a valid arXiv id", retryable=False)
                continue
            if not pdf_host_allowed(url):
                yield self.error(paper_id, version, url, "refused: PDFs are fetched only from arXiv hosts",
                                 retryable=False)
                continue
            link = item.get("pdf_url")
            if link and not pdf_host_allowed(str(link), allow_loopback=is_loopback(self.base_url)):
                yield self.error(paper_id, version, str(link), "refused: the record's PDF link is not on an "
                                 "arXiv host", retryable=False)
                continue
            yield scrapy.Request(url, callback=self.parse, errback=self.failed,
                                 meta={"download_maxsize": self.max_bytes},
                                 cb_kwargs={"paper_id": paper_id, "version": version})

    @staticmethod
    def error(paper_id: str, version: int, url: str, message: str, *, retryable: bool) -> dict[str, Any]:
        return {"kind": "error", "paper_id": paper_id, "version": version, "url": url,
                "message": message, "retryable": retryable}

    def parse(self, response: Response, paper_id: str, version: int) -> Iterator[dict[str, Any]]:
        if response.status != 200:
            retryable = response.status >= 500 or response.status == 429
            yield self.error(paper_id, version, response.url, f"HTTP {response.status}", retryable=retryable)
            return
        try:
            check_pdf_bytes(response.body, url=response.url, max_bytes=self.max_bytes)
        except CrawlError as exc:
            yield self.error(paper_id, version, response.url, exc.message, retryable=exc.retryable)
            return
        cached = store_pdf(self.cache_dir, response.body)
        logger.info("cached %sv%s as %s (%s bytes)", paper_id, version, cached.sha256[:12], cached.bytes)
        yield {"kind": "pdf", "paper_id": paper_id, "version": version, "url": response.url,
               "sha256": cached.sha256, "path": str(cached.path), "bytes": cached.bytes}

    def failed(self, failure: Any) -> Iterator[dict[str, Any]]:
        request = failure.request
        kw = request.cb_kwargs
        too_large = _TOO_LARGE.search(str(failure.getErrorMessage()))
        if failure.check(DownloadCancelledError) and too_large:
            yield self.error(kw["paper_id"], kw["version"], request.url,
                             f"PDF too large ({too_large.group(1)} bytes, more than {self.max_bytes})",
                             retryable=False)
            return
        yield self.error(kw["paper_id"], kw["version"], request.url, failure_message(failure, request.url),
                         retryable=True)
