"""Pure parsing of arXiv OAI-PMH `ListRecords` pages (metadataPrefix `arXiv`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from crawlers.errors import CrawlError

OAI = "http://www.openarchives.org/OAI/2.0/"
ARXIV = "http://arxiv.org/OAI/arXiv/"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True, slots=True)
class OaiPage:
    records: list[dict[str, Any]] = field(default_factory=list)
    token: str | None = None  # resumptionToken; None or empty when the list is complete
    complete_size: int | None = None
    error_code: str | None = None
    error: str | None = None


def _clean(text: str | None) -> str | None:
    return " ".join(text.split()) if text and text.strip() else None


def _child(node: Any, name: str) -> Any:
    """A child in the arXiv namespace, or without one (some responses omit it)."""
    found = node.find(f"{{{ARXIV}}}{name}")
    return found if found is not None else node.find(name)


def _record(rec: Any) -> dict[str, Any] | None:
    header = rec.find(f"{{{OAI}}}header")
    if header is not None and header.get("status") == "deleted":
        return None
    meta = rec.find(f"{{{OAI}}}metadata")
    if meta is None or len(meta) == 0:
        return None
    arx = meta[0]
    authors = []
    holder = _child(arx, "authors")
    for author in list(holder) if holder is not None else []:
        keyname = _clean(author.findtext(f"{{{ARXIV}}}keyname") or author.findtext("keyname"))
        forenames = _clean(author.findtext(f"{{{ARXIV}}}forenames") or author.findtext("forenames"))
        authors.append(" ".join(p for p in (forenames, keyname) if p))

    def text(name: str) -> str | None:
        node = _child(arx, name)
        return _clean(node.text) if node is not None else None

    categories = (text("categories") or "").split()
    return {
        "paper_id": text("id"), "version": None, "title": text("title"), "authors": authors,
        "abstract": text("abstract"), "categories": categories,
        "primary_category": categories[0] if categories else None,
        "published": text("created"), "updated": text("updated") or text("created"),
        "doi": text("doi"), "journal_ref": text("journal-ref"), "comment": text("comments"),
        "license": text("license"),
        "datestamp": _clean(header.findtext(f"{{{OAI}}}datestamp")) if header is not None else None,
    }


def parse_list_records(body: bytes, *, url: str | None = None) -> OaiPage:
    """Parse one ListRecords response; malformed or truncated XML raises CrawlError."""
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise CrawlError(f"malformed OAI-PMH response: {exc}", url=url, retryable=True) from exc
    error = root.find(f"{{{OAI}}}error")
    if error is not None:
        return OaiPage(error_code=error.get("code"), error=_clean(error.text) or error.get("code"))
    listing = root.find(f"{{{OAI}}}ListRecords")
    if listing is None:
        raise CrawlError("OAI-PMH response without ListRecords", url=url)
    records = [r for r in (_record(rec) for rec in listing.findall(f"{{{OAI}}}record")) if r and r["paper_id"]]
    token_node = listing.find(f"{{{OAI}}}resumptionToken")
    token = _clean(token_node.text) if token_node is not None else None
    size = token_node.get("completeListSize") if token_node is not None else None
    return OaiPage(records, token, int(size) if size and size.isdigit() else None)


def response_date(body: bytes) -> str | None:
    """The date (YYYY-MM-DD) of an OAI-PMH response: the next harvest's `from`."""
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError:
        return None
    text = root.findtext(f"{{{OAI}}}responseDate")
    return text.strip()[:10] if text else None
