"""Retry with bounded exponential back-off that honours `Retry-After` (429/503)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.task import deferLater

logger = logging.getLogger(__name__)


def parse_retry_after(value: bytes | str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), else None."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_delay(attempt: int, *, base: float, cap: float, retry_after: float | None) -> float | None:
    """Exponential back-off (base * 2**attempt, at most cap), at least Retry-After.

    Returns None when the server asks for a longer wait than the cap: give up for this run.
    """
    if retry_after is not None and retry_after > cap:
        return None
    delay = min(cap, base * (2 ** attempt))
    return max(delay, retry_after or 0.0)


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, plus a wait before each retry: polite to a server that is struggling."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 3.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 300.0)

    async def process_response(self, request: Request, response: Response,  # type: ignore[override]
                               spider: Spider | None = None) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        attempt = int(request.meta.get("retry_times", 0))
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        delay = backoff_delay(attempt, base=self.base, cap=self.cap, retry_after=retry_after)
        if delay is None:
            logger.warning("%s asks to wait %.0f s (more than %.0f s): giving up for now",
                           request.url, retry_after or 0, self.cap)
            return response
        retried = self._retry(request, f"HTTP {response.status}")
        if retried is None:
            return response
        logger.info("HTTP %s from %s: waiting %.1f s before retry %d", response.status, request.url, delay,
                    attempt + 1)
        if delay > 0:
            await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))
        return retried

    async def process_exception(self, request: Request, exception: Exception,  # type: ignore[override]
                                spider: Spider | None = None) -> Request | Response | None:
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry", False):
            return None
        attempt = int(request.meta.get("retry_times", 0))
        retried = self._retry(request, exception)
        if retried is not None:
            delay = backoff_delay(attempt, base=self.base, cap=self.cap, retry_after=None) or 0.0
            logger.info("%s for %s: waiting %.1f s before retry %d", type(exception).__name__, request.url,
                        delay, attempt + 1)
            await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))
        return retried
