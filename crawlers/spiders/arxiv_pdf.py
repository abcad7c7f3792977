"""PDF downloader: fetches explicit versions from arXiv into the content-addressed cache."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import Response

from crawlers.errors import CrawlError
from crawlers.pdfcache import check_pdf_bytes, store_pdf
from crawlers.politeness import pdf_host_allowed

logger = logging.getLogger(__name__)

_SAFE_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z][a-z.-]*/\d{7})$")


class ArxivPdfSpider(scrapy.Spider):
    """Reads a JSONL queue of {paper_id, version}; yields `pdf` or `error` records."""

    name = "arxiv_pdf"
    custom_settings = {"HTTPERROR_ALLOW_ALL": True}

    def __init__(self, queue: str = "", cache_dir: str = "data/pdfs",
                 base_url: str = "https://export.arxiv.org", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.queue = Path(queue)
        self.cache_dir = Path(cache_dir)
        self.base_url = base_url.rstrip("/")

    async def start(self) -> AsyncIterator[Any]:
        for line in self.queue.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            paper_id, version = str(item["paper_id"]), int(item["version"])
            url = f"{self.base_url}/pdf/{paper_id}v{version}"
            if not _SAFE_ID.match(paper_id):
                yield self.error(paper_id, version, url, "refused: not a valid arXiv id", retryable=False)
                continue
            if not pdf_host_allowed(url):
                yield self.error(paper_id, version, url, "refused: PDFs are fetched only from arXiv hosts",
                                 retryable=False)
                continue
            yield scrapy.Request(url, callback=self.parse, errback=self.failed,
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
            check_pdf_bytes(response.body, url=response.url)
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
        yield self.error(kw["paper_id"], kw["version"], request.url,
                         f"request failed: {failure.getErrorMessage()}", retryable=True)
