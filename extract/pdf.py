"""Open a PDF and return its normalised per-page text (PDFium text layer).

PDFium (``pypdfium2``) keeps inter-word spaces that pdfplumber loses on many LaTeX PDFs and is ~40x
faster, so it is the text layer every pattern runs on. :func:`normalise_text` joins words hyphenated
at line ends and maps ligatures, dashes, ``×`` and odd spaces to ASCII, so that offsets of facts are
offsets into the *normalised* page text.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from extract.errors import CorruptPdfError, EncryptedPdfError, ExtractionError, NotAPdfError

logger = logging.getLogger(__name__)

# Characters mapped to one replacement each: dashes and minus, multiplication signs, tildes, asterisks,
# quotes, odd spaces; removed: soft hyphen, zero-width characters and PDFium's line-end hyphen U+FFFE.
_SAME = {
    "-": "\u2010\u2011\u2012\u2013\u2014\u2015\u2212",
    "x": "\u00d7\u2715\u2716",
    "~": "\u223c\u02dc\u2248\u2243",
    "*": "\u2217\u22c6",
    "'": "\u2018\u2019\u201a\u2032",
    '"': "\u201c\u201d\u201e",
    " ": "\u00a0\u2002\u2003\u2009\u200a\u202f\t",
    "": "\u00ad\u200b\u200c\u200d\ufeff\ufffe",
}
_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
_TRANSLATE = str.maketrans(
    {c: to for to, chars in _SAME.items() for c in chars}
    | _LIGATURES
    | {chr(c): " " for c in range(32) if chr(c) not in "\n\t"}  # control characters
    | {chr(c): " " for c in range(0xF8E0, 0xF900)}  # private-use glyphs of math fonts
)
# "imple-\nmentation" -> "implementation"; "ResNet-\n50" keeps its hyphen; a lone "-" (an empty table
# cell, "UNet 83.7 12.9 -") keeps its line break.
_LINE_HYPHEN = re.compile(r"(?<=[a-z])-\n(?=[a-z])")
_HYPHEN_KEEP = re.compile(r"(?<!\s)-\n(?=[A-Z0-9])")


def normalise_text(raw: str) -> str:
    """Normalise one page of PDFium text (see module docstring)."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_TRANSLATE)
    text = _LINE_HYPHEN.sub("", text)
    return _HYPHEN_KEEP.sub("-", text)


@dataclass(frozen=True, slots=True)
class PaperText:
    """The text layer of one PDF: normalised text of each page (index 0 = page 1)."""

    source: str
    sha256: str
    pages: tuple[str, ...]

    @property
    def has_text(self) -> bool:
        """False when no page has a meaningful amount of text (scanned / image-only PDF)."""
        return sum(len(p.split()) for p in self.pages) >= 5


def _describe_start(data: bytes) -> str:
    head = data[:40].decode("latin-1", errors="replace")
    head = " ".join(head.split())
    return repr(head[:30])


def read_pdf(source: str | Path | bytes, *, name: str | None = None) -> PaperText:
    """Read a PDF from a path or bytes and return its normalised page texts.

    Raises an :class:`~extract.errors.ExtractionError` subclass with a one-line message when the input
    is unreadable, empty, not a PDF, encrypted or corrupt. An image-only PDF is *not* an error here
    (``PaperText.has_text`` is False); the pipeline decides.
    """
    label = name if name is not None else (str(source) if not isinstance(source, bytes) else "<bytes>")
    if isinstance(source, bytes):
        data = source
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise ExtractionError(f"cannot read file: {exc.strerror or exc}", pdf=label) from exc
    sha = hashlib.sha256(data).hexdigest()
    if not data:
        raise NotAPdfError("not a PDF: empty file (0 bytes)", pdf=label)
    if b"%PDF-" not in data[:1024]:
        raise NotAPdfError(f"not a PDF: file starts with {_describe_start(data)}", pdf=label)
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise EncryptedPdfError("encrypted PDF: password required", pdf=label) from exc
        detail = msg.split("(PDFium:")[-1].strip(" ).") if "PDFium:" in msg else msg
        raise CorruptPdfError(f"corrupt PDF: {detail}", pdf=label) from exc
    pages: list[str] = []
    try:
        for index in range(len(doc)):
            try:
                page = doc[index]
                textpage = page.get_textpage()
                raw = textpage.get_text_range()
                textpage.close()
                page.close()
            except pdfium.PdfiumError as exc:  # one broken page must not lose the others
                logger.warning("%s: page %d has no readable text: %s", label, index + 1, exc)
                raw = ""
            pages.append(normalise_text(raw))
    finally:
        doc.close()
    logger.info("read %s: %d pages", label, len(pages))
    return PaperText(source=label, sha256=sha, pages=tuple(pages))
