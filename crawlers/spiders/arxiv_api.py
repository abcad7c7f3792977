"""Search spider over the arXiv API (Atom): categories x submission-date window, paginated."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from crawlers.atom import is_arxiv_id, parse_feed
from crawlers.errors import CrawlError

logger = logging.getLogger(__name__)

DEFAULT_CATEGORIES = ("cs.CV", "cs.CL", "cs.LG", "stat.ML", "cs.AI", "cs.NE")


def build_query(categories: list[str], since: str | None, until: str | None) -> str:
    """`(cat:a OR cat:b) AND submittedDate:[YYYYMMDD0000 TO YYYYMMDD2359]`."""
    query = "(" + " OR ".join(f"cat:{c}" for c in categories) + ")"
    if since or until:
        low = (since or "1991-01-01").replace("-", "") + "0000"
        high = (until or datetime.now(UTC).strftime("%Y-%m-%d")).replace("-", "") + "2359"
        query += f" AND submittedDate:[{low} TO {high}]"
    return query


class ArxivApiSpider(scrapy.Spider):
    """Yields one raw paper record per entry; error records for pages it could not use."""

    name = "arxiv_api"
    # The API is governed by its terms of use (1 request / 3 s), not by the website's robots.txt.
    custom_settings = {"ROBOTSTXT_OBEY": False}

    def __init__(
        self, base_url: str = "https://export.arxiv.org", categories: str = ",".join(DEFAULT_CATEGORIES),
        since: str | None = None, until: str | None = None, page_size: str = "100",
        limit: str | None = None, empty_retries: str = "3", **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")
        self.categories = [c.strip() for c in categories.split(",") if c.strip()]
        self.query = build_query(self.categories, since, until)
        self.since = since
        self.page_size = int(page_size)
        self.limit = int(limit) if limit else None
        self.empty_retries = int(empty_retries)
        self.emitted = 0
        self.total: int | None = None

    def page_url(self, start: int) -> str:
        params = {"search_query": self.query, "sortBy": "submittedDate", "sortOrder": "descending",
                  "start": start, "max_results": self.page_size}
        return f"{self.base_url}/api/query?{urlencode(params)}"

    def page_request(self, start: int, attempt: int = 0) -> scrapy.Request:
        return scrapy.Request(self.page_url(start), callback=self.parse, errback=self.failed,
                              dont_filter=True, cb_kwargs={"start": start, "attempt": attempt})

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.page_request(0)

    def parse(self, response: Response, start: int, attempt: int) -> Iterator[Any]:
        try:
            page = parse_feed(response.body, url=response.url)
        except CrawlError as exc:
            yield {"kind": "error", "url": response.url, "message": exc.message, "retryable": exc.retryable}
            return
        if page.error:
            yield {"kind": "error", "url": response.url, "message": page.error, "retryable": False}
            return
        if self.total is None:
            self.total = page.total
        elif page.total != self.total:
            logger.warning("totalResults changed from %s to %s at start=%s", self.total, page.total, start)
        if not page.entries and start < max(page.total, self.total or 0):
            if attempt < self.empty_retries:  # arXiv's known empty-page glitch
                logger.info("empty page at start=%s (attempt %s), retrying", start, attempt + 1)
                yield self.page_request(start, attempt + 1)
            else:
                yield {"kind": "error", "url": response.url, "retryable": True,
                       "message": f"page at start={start} stayed empty after {attempt} retries"}
            return
        for entry in page.entries:
            if self.limit is not None and self.emitted >= self.limit:
                return
            if not is_arxiv_id(entry["paper_id"]):
                yield {"kind": "error", "url": response.url, "source": str(entry["paper_id"])[:200],
                       "retryable": False,
                       "message": f"refused: Atom entry id is not an arXiv id: {entry['paper_id']!r}"}
                continue
            if self.since and str(entry.get("published") or "")[:10] < self.since:
                return  # sorted by submission date, newest first: everything after is older
            self.emitted += 1
            yield {"kind": "paper", "source": "arxiv_api", "fetched_at": datetime.now(UTC).isoformat(),
                   **entry}
        next_start = start + len(page.entries)
        if page.entries and next_start < (self.total or 0) and (self.limit is None or self.emitted < self.limit):
            yield self.page_request(next_start)

    def failed(self, failure: Any) -> Iterator[dict[str, Any]]:
        request = failure.request
        yield {"kind": "error", "url": request.url, "retryable": True,
               "message": f"request failed: {failure.getErrorMessage()}"}
