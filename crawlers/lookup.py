"""Lookups by arXiv id with the `arxiv` package (versions, PDF links), in polite batches."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import arxiv
import requests
from requests.adapters import HTTPAdapter

from crawlers.atom import split_arxiv_id
from crawlers.errors import CrawlError

logger = logging.getLogger(__name__)


class _IdentifyingAdapter(HTTPAdapter):
    """Sends our User-Agent (with a contact address) instead of the package's generic one."""

    def __init__(self, user_agent: str) -> None:
        super().__init__()
        self.user_agent = user_agent

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        request.headers["User-Agent"] = self.user_agent
        return super().send(request, *args, **kwargs)


def _iso(value: Any) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value is not None else None


def result_record(result: arxiv.Result) -> dict[str, Any]:
    """An `arxiv.Result` as the same raw paper record the search spider yields."""
    paper_id, version = split_arxiv_id(result.entry_id)
    return {
        "paper_id": paper_id, "version": version or 1,
        "title": " ".join(result.title.split()), "authors": [a.name for a in result.authors],
        "abstract": " ".join(result.summary.split()), "categories": list(result.categories),
        "primary_category": result.primary_category, "published": _iso(result.published),
        "updated": _iso(result.updated), "doi": result.doi or None, "journal_ref": result.journal_ref or None,
        "comment": result.comment or None, "abs_url": result.entry_id, "pdf_url": result.pdf_url,
    }


def lookup_ids(ids: Iterable[str], *, base_url: str = "https://export.arxiv.org", delay: float = 3.0,
               batch_size: int = 100, retries: int = 3,
               user_agent: str | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """Fetch the current metadata (with version) of each id; returns (records, ids not found).

    The package's client keeps `delay` seconds between requests (3 s for arXiv) and retries.
    """
    wanted = list(dict.fromkeys(ids))
    client = arxiv.Client(page_size=batch_size, delay_seconds=delay, num_retries=retries)
    client.query_url_format = f"{base_url.rstrip('/')}/api/query?{{}}"
    if user_agent:
        adapter = _IdentifyingAdapter(user_agent)
        client._session.mount("http://", adapter)
        client._session.mount("https://", adapter)
    found: list[dict[str, Any]] = []
    for start in range(0, len(wanted), batch_size):
        chunk = wanted[start:start + batch_size]
        search = arxiv.Search(id_list=chunk, max_results=len(chunk))
        try:
            found.extend(result_record(r) for r in client.results(search))
        except arxiv.ArxivError as exc:
            raise CrawlError(f"arXiv lookup failed: {exc}", url=getattr(exc, "url", None),
                             retryable=True) from exc
        except Exception as exc:  # requests' connection errors after the package's own retries
            raise CrawlError(f"arXiv lookup failed: {type(exc).__name__}: {exc}", url=base_url,
                             retryable=True) from exc
    got = {r["paper_id"] for r in found}
    missing = [i for i in wanted if split_arxiv_id(i)[0] not in got]
    logger.info("looked up %d ids: %d found, %d missing", len(wanted), len(found), len(missing))
    return found, missing
