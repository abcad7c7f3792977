"""The crawlers' one base exception."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit


def short_url(url: str) -> str:
    """A URL without scheme and host (its path and query), for error messages: the same failure reads
    the same in every run, whichever port the offline fixture server had."""
    parts = urlsplit(url)
    if not parts.netloc:
        return url
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class CrawlError(Exception):
    """A crawl failed: carries the url and whether a retry may help."""

    def __init__(self, message: str, *, url: str | None = None, retryable: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.url = url
        self.retryable = retryable

    def __reduce__(self) -> tuple[type, tuple[str], dict[str, object]]:
        return (self.__class__, (self.message,), {"url": self.url, "retryable": self.retryable})

    def __setstate__(self, state: dict[str, Any] | None) -> None:
        state = state or {}
        self.url = state.get("url")
        self.retryable = bool(state.get("retryable"))

    def __str__(self) -> str:
        return f"{self.message} ({self.url})" if self.url else self.message
