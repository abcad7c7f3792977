"""Pure parsing of arXiv API Atom pages into raw paper records."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from crawlers.errors import CrawlError

logger = logging.getLogger(__name__)

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
    "arxiv": "http://arxiv.org/schemas/atom",
}
_ABS_ID = re.compile(r"abs/(?P<id>.+?)(?:v(?P<version>\d+))?$")
# New-style (2501.00001) and old-style (hep-th/9901001, math.GT/0309136) identifiers, without version.
_ARXIV_ID = re.compile(r"(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Za-z-]+)?/\d{7})")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True, slots=True)
class FeedPage:
    """One page of an arXiv API response."""

    total: int
    start: int
    per_page: int
    entries: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None


def split_arxiv_id(url_or_id: str) -> tuple[str, int | None]:
    """'http://arxiv.org/abs/2202.12139v1' -> ('2202.12139', 1); old-style ids keep their slash."""
    text = url_or_id.strip()
    match = _ABS_ID.search(text)
    if match:
        version = match.group("version")
        return match.group("id"), int(version) if version else None
    bare = re.match(r"(?P<id>.+?)(?:v(?P<version>\d+))?$", text)
    if bare is None:  # pragma: no cover - the pattern matches any non-empty string
        raise CrawlError(f"not an arXiv id: {url_or_id!r}")
    version = bare.group("version")
    return bare.group("id"), int(version) if version else None


def is_arxiv_id(paper_id: object) -> bool:
    """True for a bare arXiv identifier; anything else (path traversal, URLs, encoded dots) is refused
    before it is put into a URL or a file name."""
    return isinstance(paper_id, str) and _ARXIV_ID.fullmatch(paper_id) is not None


def _text(node: Any, path: str) -> str | None:
    found = node.find(path, NS)
    if found is None or found.text is None:
        return None
    return " ".join(found.text.split())


def _int(node: Any, path: str, default: int) -> int:
    value = _text(node, path)
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def parse_entry(entry: Any) -> dict[str, Any]:
    """One Atom <entry> as a raw paper record (every field arXiv gives)."""
    abs_url = _text(entry, "atom:id") or ""
    paper_id, version = split_arxiv_id(abs_url)
    pdf_url = None
    for link in entry.findall("atom:link", NS):
        if link.get("title") == "pdf" or link.get("type") == "application/pdf":
            pdf_url = link.get("href")
    primary = entry.find("arxiv:primary_category", NS)
    return {
        "paper_id": paper_id,
        "version": version or 1,
        "title": _text(entry, "atom:title"),
        "authors": [" ".join((a.text or "").split()) for a in entry.findall("atom:author/atom:name", NS)],
        "abstract": _text(entry, "atom:summary"),
        "categories": [c.get("term") for c in entry.findall("atom:category", NS) if c.get("term")],
        "primary_category": primary.get("term") if primary is not None else None,
        "published": _text(entry, "atom:published"),
        "updated": _text(entry, "atom:updated"),
        "doi": _text(entry, "arxiv:doi"),
        "journal_ref": _text(entry, "arxiv:journal_ref"),
        "comment": _text(entry, "arxiv:comment"),
        "abs_url": abs_url,
        "pdf_url": pdf_url,
    }


def parse_feed(body: bytes, *, url: str | None = None) -> FeedPage:
    """Parse an API response page; a malformed or truncated body raises CrawlError."""
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise CrawlError(f"malformed Atom feed: {exc}", url=url, retryable=True) from exc
    if root.tag != f"{{{NS['atom']}}}feed":
        raise CrawlError(f"not an Atom feed (root {root.tag})", url=url)
    entries = root.findall("atom:entry", NS)
    for entry in entries:
        if not _text(entry, "atom:id"):
            logger.warning("skipping an Atom entry without an id in %s", url)
    # arXiv reports query errors as a feed with one entry whose id is .../api/errors#...
    if len(entries) == 1 and "/api/errors" in (_text(entries[0], "atom:id") or ""):
        return FeedPage(0, 0, 0, [], error=_text(entries[0], "atom:summary") or "arXiv API error")
    return FeedPage(
        total=_int(root, "opensearch:totalResults", 0),
        start=_int(root, "opensearch:startIndex", 0),
        per_page=_int(root, "opensearch:itemsPerPage", len(entries)),
        entries=[parse_entry(e) for e in entries if _text(e, "atom:id")],
    )
