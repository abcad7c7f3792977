"""OAI-PMH harvest spider: ListRecords (metadataPrefix arXiv, set cs) from a watermark, following
resumptionTokens until the list is complete. No `until`: each night picks up where the last ended."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from crawlers.atom import is_arxiv_id
from crawlers.errors import CrawlError, short_url
from crawlers.oai import parse_list_records, response_date

logger = logging.getLogger(__name__)


def harvest_source(set_spec: str = "cs") -> str:
    """The `source` of the errors of a harvest (a page that failed): one name for every page, so
    that the next complete harvest resolves them whatever the resumption tokens were."""
    return f"oai ListRecords set={set_spec}"


class ArxivOaiSpider(scrapy.Spider):
    """Yields `oai_record` items, `error` items, and one `harvest` item saying whether it completed.

    A record whose identifier is not an arXiv id (e.g. `../../etc/passwd`) is refused: an `error`
    item with that identifier as `source`, and no record."""

    name = "arxiv_oai"
    # OAI-PMH is an API governed by arXiv's terms of use (1 request / 3 s), not by robots.txt.
    custom_settings = {"ROBOTSTXT_OBEY": False}

    def __init__(self, base_url: str = "https://oaipmh.arxiv.org", set_spec: str = "cs",
                 from_date: str | None = None, metadata_prefix: str = "arXiv", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")
        self.set_spec = set_spec
        self.from_date = from_date or None
        self.metadata_prefix = metadata_prefix
        self.pages = 0
        self.records = 0
        self.started_at: str | None = None

    def _url(self, params: dict[str, str]) -> str:
        return f"{self.base_url}/oai?{urlencode(params)}"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        params = {"verb": "ListRecords", "metadataPrefix": self.metadata_prefix, "set": self.set_spec}
        if self.from_date:
            params["from"] = self.from_date
        yield scrapy.Request(self._url(params), callback=self.parse, errback=self.failed, dont_filter=True)

    def parse(self, response: Response) -> Iterator[Any]:
        if response.status != 200:
            yield from self._incomplete(response.url, f"HTTP {response.status}", retryable=True)
            return
        try:
            page = parse_list_records(response.body, url=response.url)
        except CrawlError as exc:
            yield from self._incomplete(response.url, exc.message, retryable=exc.retryable)
            return
        if self.started_at is None:
            self.started_at = response_date(response.body) or datetime.now(UTC).strftime("%Y-%m-%d")
        self.pages += 1
        if page.error_code == "noRecordsMatch":
            yield self._harvest(complete=True)
            return
        if page.error_code:
            yield from self._incomplete(response.url, f"OAI-PMH error {page.error_code}: {page.error}",
                                        retryable=False)
            return
        for record in page.records:
            if not is_arxiv_id(record["paper_id"]):
                yield {"kind": "error", "url": response.url, "source": str(record["paper_id"])[:200],
                       "message": f"refused: OAI-PMH record identifier is not an arXiv id: {record['paper_id']!r}",
                       "retryable": False}
                continue
            self.records += 1
            yield {"kind": "oai_record", "source": "oai", **record}
        if page.token:
            url = self._url({"verb": "ListRecords", "resumptionToken": page.token})
            yield scrapy.Request(url, callback=self.parse, errback=self.failed, dont_filter=True)
        else:
            yield self._harvest(complete=True)

    def _harvest(self, *, complete: bool) -> dict[str, Any]:
        return {"kind": "harvest", "complete": complete, "pages": self.pages, "records": self.records,
                "from_date": self.from_date, "response_date": self.started_at}

    def _incomplete(self, url: str, message: str, *, retryable: bool) -> Iterator[dict[str, Any]]:
        yield {"kind": "error", "url": url, "source": harvest_source(self.set_spec),
               "message": f"{message} ({short_url(url)})", "retryable": retryable}
        yield self._harvest(complete=False)

    def failed(self, failure: Any) -> Iterator[dict[str, Any]]:
        yield from self._incomplete(failure.request.url, f"request failed: {failure.getErrorMessage()}",
                                    retryable=True)
