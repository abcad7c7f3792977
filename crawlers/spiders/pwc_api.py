"""Spider over the Papers with Code REST API v1 (or any host serving it, e.g. a mirror of the archive).

Pages are `{count, next, previous, results}`; the spider follows `next` until it is null. It
crawls `/papers/` (each paper, then `/papers/{id}/results/`) and `/evaluations/` (each table,
its `/metrics/` and `/results/`; a result's paper not yet seen is fetched by `/papers/{id}/`).
A `next` link naming another host (recorded responses name paperswithcode.com) is followed on
`base_url`'s host. Records: kind paper | evaluation | metric | result | error.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response

logger = logging.getLogger(__name__)

PAPER_FIELDS = ("id", "arxiv_id", "nips_id", "url_abs", "url_pdf", "title", "authors", "published",
                "conference", "proceeding")
RESULT_FIELDS = ("id", "best_rank", "metrics", "methodology", "uses_additional_data", "paper", "best_metric",
                 "evaluated_on", "external_source_url")


class PwcApiSpider(scrapy.Spider):
    """`scrapy crawl pwc_api -a base_url=https://paperswithcode.com/api/v1 [-a start=papers,evaluations]`."""

    name = "pwc_api"
    custom_settings = {"ROBOTSTXT_OBEY": False}  # an API, not pages

    def __init__(
        self, base_url: str = "https://paperswithcode.com/api/v1", start: str = "papers,evaluations",
        items_per_page: str | None = None, max_pages: str | None = None, paper_results: str = "true",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")
        self.starts = [s.strip() for s in start.split(",") if s.strip()]
        unknown = set(self.starts) - {"papers", "evaluations"}
        if unknown:
            raise ValueError(f"unknown start {sorted(unknown)}: use papers and/or evaluations")
        self.items_per_page = int(items_per_page) if items_per_page else None
        self.max_pages = int(max_pages) if max_pages else None
        self.paper_results = paper_results.lower() in {"1", "true", "yes"}
        self.seen_papers: set[str] = set()
        self.pages: dict[str, int] = {}

    def endpoint(self, path: str) -> str:
        url = f"{self.base_url}/{path.lstrip('/')}"
        if self.items_per_page and path.rstrip("/").split("/")[-1] in {"papers", "evaluations", "results"}:
            url += "?" + urlencode({"items_per_page": self.items_per_page})
        return url

    def on_base(self, url: str) -> str:
        """`url` with `base_url`'s scheme and host (a `next` link may name the original host)."""
        base, link = urlsplit(self.base_url), urlsplit(url)
        if (link.scheme, link.netloc) == (base.scheme, base.netloc):
            return url
        return urlunsplit((base.scheme, base.netloc, link.path, link.query, ""))

    def page_request(self, url: str, callback: Any, listing: str, **context: Any) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_page, errback=self.failed, dont_filter=True,
                              cb_kwargs={"handler": callback, "listing": listing, "context": context})

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for what in self.starts:
            if what == "papers":
                yield self.page_request(self.endpoint("papers/"), self.on_paper, "papers")
            else:
                yield self.page_request(self.endpoint("evaluations/"), self.on_evaluation, "evaluations")

    def _json(self, response: Response) -> Any:
        return json.loads(response.text)

    def parse_page(self, response: Response, handler: Any, listing: str, context: dict[str, Any]) -> Iterator[Any]:
        """One page of a listing: each item to its handler, then the next page."""
        try:
            page = self._json(response)
            items = page["results"]
        except (ValueError, KeyError, TypeError) as exc:
            yield self._error(response.url, f"not an API page: {exc}")
            return
        for item in items:
            yield from handler(item, **context)
        self.pages[listing] = self.pages.get(listing, 0) + 1
        following = page.get("next")
        if following and (self.max_pages is None or self.pages[listing] < self.max_pages):
            yield self.page_request(self.on_base(following), handler, listing, **context)

    def on_paper(self, item: dict[str, Any]) -> Iterator[Any]:
        paper_id = str(item.get("id"))
        if paper_id in self.seen_papers:
            return
        self.seen_papers.add(paper_id)
        yield {"kind": "paper", "source": "pwc_api", "fetched_at": datetime.now(UTC).isoformat(),
               **{k: item.get(k) for k in PAPER_FIELDS}}
        if self.paper_results:
            yield self.page_request(self.endpoint(f"papers/{quote(paper_id)}/results/"), self.on_result,
                                    f"results:{paper_id}", evaluation=None)

    def on_evaluation(self, item: dict[str, Any]) -> Iterator[Any]:
        table_id = str(item.get("id"))
        yield {"kind": "evaluation", "id": table_id, "task": item.get("task"), "dataset": item.get("dataset"),
               "description": item.get("description"), "mirror_url": item.get("mirror_url")}
        yield scrapy.Request(self.endpoint(f"evaluations/{quote(table_id)}/metrics/"), callback=self.parse_page,
                             errback=self.failed, dont_filter=True,
                             cb_kwargs={"handler": self.on_metric, "listing": f"metrics:{table_id}",
                                        "context": {"evaluation": table_id}})
        yield self.page_request(self.endpoint(f"evaluations/{quote(table_id)}/results/"), self.on_result,
                                f"results:{table_id}", evaluation=table_id)

    def on_metric(self, item: dict[str, Any], evaluation: str) -> Iterator[Any]:
        yield {"kind": "metric", "evaluation": evaluation, "name": item.get("name"),
               "description": item.get("description"), "is_loss": item.get("is_loss")}

    def on_result(self, item: dict[str, Any], evaluation: str | None) -> Iterator[Any]:
        yield {"kind": "result", "evaluation": evaluation, **{k: item.get(k) for k in RESULT_FIELDS}}
        paper = item.get("paper")
        if evaluation is not None and paper and str(paper) not in self.seen_papers:
            self.seen_papers.add(str(paper))
            yield scrapy.Request(self.endpoint(f"papers/{quote(str(paper))}/"), callback=self.parse_paper,
                                 errback=self.failed)

    def parse_paper(self, response: Response) -> Iterator[Any]:
        try:
            item = self._json(response)
        except ValueError as exc:
            yield self._error(response.url, f"not a paper: {exc}")
            return
        yield {"kind": "paper", "source": "pwc_api", "fetched_at": datetime.now(UTC).isoformat(),
               **{k: item.get(k) for k in PAPER_FIELDS}}

    def _error(self, url: str, message: str, *, retryable: bool = False) -> dict[str, Any]:
        logger.warning("%s: %s", url, message)
        return {"kind": "error", "url": url, "message": message, "retryable": retryable}

    def failed(self, failure: Any) -> Iterator[dict[str, Any]]:
        request = failure.request
        response = getattr(failure.value, "response", None)
        status = getattr(response, "status", None)
        message = f"HTTP {status}" if status else f"request failed: {failure.getErrorMessage()}"
        yield self._error(request.url, message, retryable=status is None or status >= 500)
