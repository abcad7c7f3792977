"""Rules that keep live crawls within arXiv's terms of use."""

from __future__ import annotations

from urllib.parse import urlsplit

ARXIV_MIN_DELAY = 3.0  # seconds between requests: https://info.arxiv.org/help/api/tou.html
ARXIV_HOSTS = frozenset({"arxiv.org", "export.arxiv.org", "oaipmh.arxiv.org", "www.arxiv.org"})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def is_arxiv(url: str) -> bool:
    return host_of(url) in ARXIV_HOSTS


def is_loopback(url: str) -> bool:
    return host_of(url) in LOOPBACK_HOSTS


def effective_delay(base_url: str, requested: float) -> float:
    """The delay to use: never below arXiv's 3 s against arXiv hosts; as requested elsewhere."""
    if requested < 0:
        raise ValueError("a request delay cannot be negative")
    return max(requested, ARXIV_MIN_DELAY) if is_arxiv(base_url) else requested


def pdf_host_allowed(url: str, *, allow_loopback: bool = True) -> bool:
    """PDFs are fetched only from arXiv (or, with `allow_loopback`, the local fixture server of an
    offline run)."""
    return urlsplit(url).scheme in {"http", "https"} and (is_arxiv(url) or (allow_loopback and is_loopback(url)))
