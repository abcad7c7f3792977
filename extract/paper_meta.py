"""Who a PDF is: its arXiv id and version, title and year, read from the file itself.

arXiv stamps page 1 of every PDF it serves with `arXiv:1512.03385v1 [cs.CV] 10 Dec 2015`; a file
named after its id (`1512.03385v1.pdf`) says the same. The title is the PDF's metadata title when
it looks like one, else the largest-type lines at the top of page 1. The year is the arXiv id's
(its yymm is the month of the first version), else a venue line on page 1 ("Published as a
conference paper at ICLR 2021"), else the PDF's creation date. Pure: reads with pypdfium2, never
raises for a bad file (the reason comes back in `error`).
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

# arXiv:1512.03385v1 [cs.CV] 10 Dec 2015, also the pre-2007 form arXiv:cs/0601001v2 [cs.LG]
STAMP = re.compile(r"arXiv:\s*(?!submit/)((?:\d{4}\.\d{4,5})|(?:[a-z\-]+(?:\.[A-Z]{2})?/\d{7}))"
                   r"(?:v(\d+))?\s*\[[^\]]{2,20}\]")
FILE_ID = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5})(?:v(\d+))?(?![\d])")
VENUE_YEAR = re.compile(
    r"(?:Conference|Proceedings|Workshop|Symposium|Journal|Published|Copyright|©|\(c\)|ICLR|NeurIPS|NIPS|ICML|"
    r"CVPR|ICCV|ECCV|ACL|EMNLP|NAACL|COLING|AAAI|IJCAI|KDD|BMVC|WACV|Interspeech|ICASSP|TACL|JMLR|TPAMI)"
    r"[^\n]{0,60}?\b((?:19[89]|20[0-4])\d)\b")
NOT_TITLES = {"abstract", "introduction", "contents", "preface", "preprint", "draft"}
_SCAN_CHARS = 2500
_TITLE_LINES = 12


@dataclass(frozen=True, slots=True)
class PaperMeta:
    """What a PDF says of itself. `*_from` name where each value was read."""

    arxiv_id: str | None = None
    version: int | None = None
    id_from: str | None = None            # stamp | file name
    title: str | None = None
    title_from: str | None = None         # metadata | first page
    year: int | None = None
    month: int | None = None
    year_from: str | None = None          # arxiv id | first page | metadata
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def arxiv_year_month(arxiv_id: str) -> tuple[int, int] | None:
    """The month of an arXiv id's first version: 1512.03385 -> (2015, 12); cs/0601001 -> (2006, 1)."""
    match = re.match(r"^(?:[a-z\-]+(?:\.[A-Z]{2})?/)?(\d{2})(\d{2})", arxiv_id)
    if not match:
        return None
    yy, mm = int(match.group(1)), int(match.group(2))
    if not 1 <= mm <= 12:
        return None
    return (1900 + yy if yy >= 91 else 2000 + yy), mm


def id_from_name(name: str) -> tuple[str, int | None] | None:
    """An arXiv id in a file name (`1706.03762v5.pdf`, `paper-2010.11929.pdf`), with its version."""
    match = FILE_ID.search(Path(name).stem)
    if not match or arxiv_year_month(match.group(1)) is None:
        return None
    return match.group(1), int(match.group(2)) if match.group(2) else None


def _lines_with_sizes(textpage: Any, raw: Any) -> list[tuple[str, float]]:
    n = min(textpage.count_chars(), _SCAN_CHARS)
    if n <= 0:
        return []
    text = textpage.get_text_range(0, n)
    lines: list[tuple[str, float]] = []
    chars: list[str] = []
    size = 0.0
    for index, ch in enumerate(text[:n]):
        if ch in "\r\n":
            if chars and "".join(chars).strip():
                lines.append((" ".join("".join(chars).split()), size))
            chars, size = [], 0.0
            continue
        chars.append(ch)
        if ch.strip():
            size = max(size, float(raw.FPDFText_GetFontSize(textpage.raw, index)))
    if chars and "".join(chars).strip():
        lines.append((" ".join("".join(chars).split()), size))
    return lines


def title_from_lines(lines: list[tuple[str, float]]) -> str | None:
    """The largest-type lines among the first few (joined), when they read like a title."""
    top = [(text, size) for text, size in lines[:_TITLE_LINES] if not STAMP.search(text)]
    if not top:
        return None
    biggest = max(size for _, size in top)
    body = sorted(size for _, size in lines)[len(lines) // 2]
    if biggest <= body:
        return None
    start = next(i for i, (_, size) in enumerate(top) if size == biggest)
    parts = []
    for text, size in top[start:]:
        if abs(size - biggest) > 0.05:
            break
        parts.append(text)
    return clean_title(" ".join(parts))


def clean_title(text: str | None) -> str | None:
    """A title, or None when the text is not one (empty, one word, a section name, a file name)."""
    if not text:
        return None
    title = " ".join(text.replace("\x00", " ").split()).strip(" .:;-")
    words = re.findall(r"[A-Za-z][A-Za-z0-9'\-]*", title)
    if len(words) < 2 or len(title) > 300 or title.casefold() in NOT_TITLES:
        return None
    if re.search(r"\.(?:dvi|tex|docx?|pdf)\b|^Microsoft Word", title, re.IGNORECASE):
        return None
    return title


def read_meta(path: Path) -> PaperMeta:
    """Read a PDF's own identity. A file pypdfium2 cannot open gives `error` and nothing else."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as exc:  # pypdfium2 raises PdfiumError (and OSError for unreadable files)
        return PaperMeta(error=f"cannot open PDF: {exc}")
    try:
        if len(pdf) == 0:
            return PaperMeta(error="cannot open PDF: no pages")
        page = pdf[0]
        textpage = page.get_textpage()
        lines = _lines_with_sizes(textpage, raw)
        full_text = textpage.get_text_range()
        metadata = pdf.get_metadata_dict()
    except Exception as exc:
        return PaperMeta(error=f"cannot read page 1: {exc}")
    finally:
        pdf.close()
    return meta_from(path.name, lines, metadata, full_text)


def meta_from(name: str, lines: list[tuple[str, float]], metadata: dict[str, str],
              full_text: str | None = None) -> PaperMeta:
    """The identity from page 1 (its top lines with font sizes, and its whole text: the stamp sits in the
    margin, often last), the metadata dictionary and the file name."""
    text = " ".join((full_text if full_text is not None else "\n".join(t for t, _ in lines)).split())
    arxiv_id, version, id_source = None, None, None
    stamp = STAMP.search(text)
    if stamp:
        arxiv_id, version, id_source = stamp.group(1), int(stamp.group(2)) if stamp.group(2) else None, "stamp"
    elif (named := id_from_name(name)) is not None:
        (arxiv_id, version), id_source = named, "file name"
    title, title_source = clean_title(metadata.get("Title")), "metadata"
    if title is None:
        title, title_source = title_from_lines(lines), "first page"
    year, month, year_source = None, None, None
    if arxiv_id and (ym := arxiv_year_month(arxiv_id)):
        (year, month), year_source = ym, "arxiv id"
    elif venue := VENUE_YEAR.search(text[:800] + " \n " + text[-600:]):  # header and footer, not citations
        year, year_source = int(venue.group(1)), "first page"
    elif created := re.match(r"D:((?:19|20)\d\d)", metadata.get("CreationDate") or ""):
        year, year_source = int(created.group(1)), "metadata"
    return PaperMeta(arxiv_id=arxiv_id, version=version, id_from=id_source, title=title,
                     title_from=title_source if title else None, year=year, month=month, year_from=year_source)
