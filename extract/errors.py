"""The extract package's exceptions: one base class, picklable (Prefect serialises exceptions)."""

from __future__ import annotations


class ExtractionError(Exception):
    """A PDF could not be turned into text. Carries the PDF path and, when known, the 1-based page."""

    def __init__(self, message: str, pdf: str | None = None, page: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.pdf = pdf
        self.page = page

    def __reduce__(self) -> tuple[type[ExtractionError], tuple[str, str | None, int | None]]:
        return (type(self), (self.message, self.pdf, self.page))

    def __str__(self) -> str:
        return self.message


class NotAPdfError(ExtractionError):
    """The bytes are not a PDF at all (empty file, HTML error page, ...)."""


class CorruptPdfError(ExtractionError):
    """The file claims to be a PDF but PDFium cannot parse it."""


class EncryptedPdfError(ExtractionError):
    """The PDF needs a password to open."""


class NoTextLayerError(ExtractionError):
    """The PDF opens but has no extractable text (scanned / image-only)."""
