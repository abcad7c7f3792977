"""Lookups by arXiv id with the `arxiv` package (versions, PDF links), in polite batches.

`lookup` never lets one bad batch (an HTTP error after retries, a malformed or truncated Atom
answer, a timeout) lose the others: it returns the failed ids with the reason, for the caller to
record and the next run to retry. Ids that are not arXiv ids are refused before any request, and
an answer whose entry ids are not arXiv ids is ignored.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import arxiv
import requests
from lxml import etree
from requests.adapters import HTTPAdapter

from crawlers.atom import is_arxiv_id, split_arxiv_id
from crawlers.errors import CrawlError

logger = logging.getLogger(__name__)


_STRICT = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class MalformedAnswer(requests.exceptions.ConnectionError):
    """A 200 answer whose body is not well-formed XML (e.g. cut off mid-entry).

    The package parses with a recovering parser: a truncated answer would silently give the entries
    before the cut, and the others would look unknown to arXiv. Raised as a ConnectionError, it is
    retried by the package like a dropped connection, then fails the batch."""


class _IdentifyingAdapter(HTTPAdapter):
    """Sends our User-Agent (with a contact address) instead of the package's generic one, gives
    every request a timeout (the package sets none: a silent server would hang the crawl), and
    refuses a malformed answer (`MalformedAnswer`)."""

    def __init__(self, user_agent: str | None, timeout: float | None) -> None:
        super().__init__()
        self.user_agent = user_agent
        self.timeout = timeout

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        if self.user_agent:
            request.headers["User-Agent"] = self.user_agent
        if kwargs.get("timeout") is None and self.timeout:
            kwargs["timeout"] = self.timeout
        response = super().send(request, *args, **kwargs)
        if response.status_code == 200:
            try:
                etree.fromstring(response.content, _STRICT)
            except etree.XMLSyntaxError as exc:
                raise MalformedAnswer(f"malformed Atom feed from the arXiv API: {exc}", request=request,
                                      response=response) from exc
        return response


@dataclass(slots=True)
class Lookup:
    """What a lookup found, what arXiv does not know, and what failed (id -> reason; retry later)."""

    found: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)


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


def lookup(ids: Iterable[str], *, base_url: str = "https://export.arxiv.org", delay: float = 3.0,
           batch_size: int = 100, retries: int = 3, user_agent: str | None = None,
           timeout: float | None = 60.0) -> Lookup:
    """Fetch the current metadata (with version) of each id, batch by batch; a failed batch is
    reported in `failed` and the others go on.

    The package's client keeps `delay` seconds between requests (3 s for arXiv) and retries.
    """
    out = Lookup()
    wanted: list[str] = []
    for i in dict.fromkeys(ids):
        if is_arxiv_id(split_arxiv_id(i)[0]):
            wanted.append(i)
        else:
            out.refused[i] = f"refused: not an arXiv id: {i!r}"
    client = arxiv.Client(page_size=batch_size, delay_seconds=delay, num_retries=retries)
    client.query_url_format = f"{base_url.rstrip('/')}/api/query?{{}}"
    adapter = _IdentifyingAdapter(user_agent, timeout)
    client._session.mount("http://", adapter)
    client._session.mount("https://", adapter)
    for start in range(0, len(wanted), batch_size):
        chunk = wanted[start:start + batch_size]
        try:
            out.found.extend(_batch(client, chunk, base_url))
        except CrawlError as exc:
            logger.warning("lookup of %d ids failed: %s", len(chunk), exc.message)
            out.failed.update(dict.fromkeys(chunk, exc.message))
    got = {r["paper_id"] for r in out.found}
    out.missing = [i for i in wanted if split_arxiv_id(i)[0] not in got and i not in out.failed]
    logger.info("looked up %d ids: %d found, %d missing, %d failed, %d refused", len(wanted), len(out.found),
                len(out.missing), len(out.failed), len(out.refused))
    return out


def _batch(client: arxiv.Client, chunk: list[str], base_url: str) -> list[dict[str, Any]]:
    asked = {split_arxiv_id(i)[0] for i in chunk}
    search = arxiv.Search(id_list=chunk, max_results=len(chunk))
    try:
        records = [result_record(r) for r in client.results(search)]
    except MalformedAnswer as exc:
        raise CrawlError(f"arXiv lookup failed: {exc}", url=base_url, retryable=True) from exc
    except arxiv.ArxivError as exc:
        raise CrawlError(f"arXiv lookup failed: {exc.message}", url=getattr(exc, "url", None),
                         retryable=True) from exc
    except Exception as exc:  # requests' connection errors and timeouts after the package's own retries
        raise CrawlError(f"arXiv lookup failed: {type(exc).__name__}", url=base_url, retryable=True) from exc
    unasked = [r["paper_id"] for r in records if r["paper_id"] not in asked]
    if unasked:
        logger.warning("ignoring %d entries the lookup did not ask for: %s", len(unasked), unasked[:5])
    return [r for r in records if r["paper_id"] in asked]


def lookup_ids(ids: Iterable[str], *, base_url: str = "https://export.arxiv.org", delay: float = 3.0,
               batch_size: int = 100, retries: int = 3, user_agent: str | None = None,
               timeout: float | None = 60.0) -> tuple[list[dict[str, Any]], list[str]]:
    """`lookup`, all or nothing: (records, ids not found); raises CrawlError if any batch failed."""
    out = lookup(ids, base_url=base_url, delay=delay, batch_size=batch_size, retries=retries,
                 user_agent=user_agent, timeout=timeout)
    if out.failed:
        raise CrawlError(next(iter(out.failed.values())), url=base_url, retryable=True)
    return out.found, out.missing + list(out.refused)
