"""The content-addressed PDF cache: `<cache>/<sha256>.pdf`, written atomically."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from crawlers.errors import CrawlError

MIN_PDF_BYTES = 200
MAX_PDF_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class CachedPdf:
    sha256: str
    path: Path
    bytes: int
    existed: bool


def check_pdf_bytes(body: bytes, *, url: str | None = None, max_bytes: int = MAX_PDF_BYTES) -> None:
    """Reject what is not a plausible PDF (HTML error pages, empty or huge bodies)."""
    if len(body) < MIN_PDF_BYTES:
        raise CrawlError(f"PDF too small ({len(body)} bytes)", url=url, retryable=True)
    if len(body) > max_bytes:
        raise CrawlError(f"PDF too large ({len(body)} bytes, more than {max_bytes})", url=url)
    if not body.lstrip()[:5].startswith(b"%PDF"):
        raise CrawlError("response is not a PDF (no %PDF header)", url=url, retryable=True)


def store_pdf(cache_dir: Path, body: bytes) -> CachedPdf:
    """Write the bytes under their sha256 (temp file + rename); a second store is a no-op."""
    digest = hashlib.sha256(body).hexdigest()
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / f"{digest}.pdf"
    if target.exists() and target.stat().st_size == len(body):
        return CachedPdf(digest, target, len(body), existed=True)
    fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".incoming-", suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return CachedPdf(digest, target, len(body), existed=False)


def remove_partial_downloads(cache_dir: Path) -> int:
    """Delete the temp files of downloads a killed process never finished (call with the writer lock)."""
    removed = 0
    for partial in Path(cache_dir).glob(".incoming-*.pdf"):
        partial.unlink(missing_ok=True)
        removed += 1
    return removed
