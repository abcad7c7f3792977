"""Word positions of a page, for reading a table by its columns.

PDFium's text layer keeps a table row on one line but says nothing of which header a number stands
under. :class:`Layouts` reads, for the few pages that need it, every character box from PDFium (about
10 ms a page) and builds words (split at spaces), lines (words whose vertical centres agree) and
*phrases* (words of a line closer than a column gap). :func:`column_headers` then stacks, for each cell
of a table row, the header phrases above it: "BLEU" + "EN-DE" for the first score of "Transformer (big)
28.4 41.0", "SQuAD2.0" … "EM" for a side-by-side table.
"""

from __future__ import annotations

import ctypes
import logging
import re
from dataclasses import dataclass
from types import TracebackType

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extract.pdf import normalise_text

logger = logging.getLogger(__name__)

_CAPTION = re.compile(r"(?i)^(?:table|tab\.|figure|fig\.)\s*\d+\s*[.:|]?")
_PROSE_WORD = re.compile(r"^[a-z]{4,}[,.;:]?$")
MAX_HEADER_LINES = 4
_SUB = re.compile(r"^(?:\d{1,3}|[SMLsml]|box|mask|bb|b|m)$")


@dataclass(frozen=True, slots=True)
class Word:
    """A word and its box in PDF points (``y`` grows upwards; ``top`` > ``bottom``)."""

    text: str
    x0: float
    x1: float
    bottom: float
    top: float

    @property
    def height(self) -> float:
        return self.top - self.bottom

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


Line = list[Word]


def _words(textpage: pdfium.PdfTextPage) -> list[Word]:
    count = textpage.count_chars()
    raw = textpage.get_text_range()
    if len(raw) != count:  # characters outside the BMP shift the indices: no positions for this page
        return []
    words: list[Word] = []
    start = -1  # index of the current word's first character, -1 between words
    x0 = b0 = x1 = t0 = 0.0  # the current word's box

    def flush(end: int) -> None:
        text = raw[start:end]
        if not (text.isascii() and text.isprintable()):
            text = normalise_text(text).strip()
        if text:
            words.append(Word(text, x0, x1, b0, t0))

    # the raw call with reused doubles is twice as fast as the helper on the ~3,000 characters of a page
    lft, rgt, btm, tp = (ctypes.c_double() for _ in range(4))
    charbox, handle = pdfium_c.FPDFText_GetCharBox, textpage.raw
    for i, ch in enumerate(raw):
        if ch.isspace() or ch == "\ufffe":
            if start >= 0:
                flush(i)
                start = -1
            continue
        charbox(handle, i, lft, rgt, btm, tp)
        left, right, bottom, top = lft.value, rgt.value, btm.value, tp.value
        if start >= 0:
            height = max(top - bottom, t0 - b0)
            if left - x1 > height * 0.6 or bottom > t0 or top < b0:
                flush(i)  # a gap or a jump to another line without a space character
                start = -1
        if start < 0:
            start, x0, b0, x1, t0 = i, left, bottom, right, top
        else:
            x0, b0, x1, t0 = min(x0, left), min(b0, bottom), max(x1, right), max(t0, top)
    if start >= 0:
        flush(len(raw))
    return words


def lines_of(words: list[Word]) -> list[Line]:
    """Words grouped into lines, top of the page first, each line left to right."""
    lines: list[Line] = []
    for w in sorted(words, key=lambda w: -w.middle):
        line = lines[-1] if lines else None
        if line is not None and abs(line[0].middle - w.middle) <= 0.45 * max(line[0].height, w.height, 1.0):
            line.append(w)
        else:
            lines.append([w])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def phrases_of(line: Line) -> list[Line]:
    """The line's words grouped into phrases: a gap wider than about one character height starts a new
    one (a word space is a third of that; a table's column gap is more)."""
    out: list[Line] = []
    for w in line:
        if out and w.x0 - out[-1][-1].x1 <= 0.9 * max(w.height, out[-1][-1].height, 4.0):
            out[-1].append(w)
        else:
            out.append([w])
    return out


class Layouts:
    """Word lines of a PDF's pages, read on first use and kept; ``None`` where positions are unavailable
    (no bytes, a page PDFium cannot read, indices that do not line up with the text)."""

    def __init__(self, data: bytes | None) -> None:
        self._data = data
        self._doc: pdfium.PdfDocument | None = None
        self._lines: dict[int, list[Line] | None] = {}

    def __enter__(self) -> Layouts:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._doc is not None:
            self._doc.close()
            self._doc = None

    def lines(self, page_number: int) -> list[Line] | None:
        """The word lines of page ``page_number`` (1-based)."""
        if page_number not in self._lines:
            self._lines[page_number] = self._read(page_number)
        return self._lines[page_number]

    def _read(self, page_number: int) -> list[Line] | None:
        if self._data is None:
            return None
        try:
            if self._doc is None:
                self._doc = pdfium.PdfDocument(self._data)
            page = self._doc[page_number - 1]
            textpage = page.get_textpage()
            try:
                words = _words(textpage)
            finally:
                textpage.close()
                page.close()
        except (pdfium.PdfiumError, IndexError) as exc:
            logger.debug("page %d: no word positions: %s", page_number, exc)
            return None
        return lines_of(words) if words else None


def find_row(lines: list[Line], tokens: list[str]) -> tuple[int, int] | None:
    """(line index, first word index) of the words that spell ``tokens`` in order, or None."""
    n = len(tokens)
    for li, line in enumerate(lines):
        texts = [w.text for w in line]
        for j in range(len(texts) - n + 1):
            if texts[j] == tokens[0] and texts[j : j + n] == tokens:
                return li, j
    return None


_VALUE = re.compile(r"^[(\[]?[-+~±]?\d[\d.,/%±]*(?:[kmbgt]|ms|s|x|fps|h|gb)?[)\]*†‡,]*$", re.IGNORECASE)


_PLACEHOLDERS = frozenset({"-", "--", "–", "—", "n/a", "N/A"})


def is_row(words: Line) -> bool:
    """A line of table cells: two or more numbers (or placeholders "-"), a third of its words. A number
    after "=" names a column ("k = 1 k = 10 k = 100"), it is not a cell."""
    values = sum(
        1
        for k, w in enumerate(words)
        if (_VALUE.match(w.text) or w.text in _PLACEHOLDERS) and not (k and words[k - 1].text.endswith("="))
    )
    return values >= 2 and values >= len(words) / 3


def _kind(words: Line) -> str:
    text = " ".join(w.text for w in words)
    if _CAPTION.match(text):
        return "caption"
    if is_row(words):
        return "row"
    phrases = phrases_of(words)
    single = len(phrases) == 1
    if len(phrases) >= 3 and all(len(p) <= 2 for p in phrases):
        return "header"  # column names set apart ("challenge easy swag bookqa grande" under "arc arc hella")
    if sum(1 for w in words if _PROSE_WORD.match(w.text)) >= 4 or len(words) > 16 or (single and len(words) >= 7):
        return "prose"
    return "single" if single else "header"


def _subscripts(words: Line, row_height: float) -> bool:
    return all(len(w.text) <= 3 for w in words) and max(w.height for w in words) < 0.8 * row_height


def header_lines(lines: list[Line], first_row: int, left: float, right: float) -> list[Line]:
    """The header lines of a table whose first row is ``lines[first_row]``, top first: the lines just
    above it within ``left``..``right``, up to a caption, prose, a wide vertical gap or
    :data:`MAX_HEADER_LINES` lines. Rows above, and a section title between rows ("Test set results,
    with data augmentation"), are passed over while no header line has been found."""
    clipped = [[w for w in line if w.x1 >= left and w.x0 <= right] for line in lines[:first_row + 1]]
    out: list[Line] = []
    below = clipped[first_row]
    row_height = max((w.height for w in below), default=0.0)
    above = [li for li in range(first_row - 1, -1, -1) if clipped[li]]
    for n, li in enumerate(above):
        words = clipped[li]
        height = max(max(w.height for w in words), max(w.height for w in below), 4.0)
        if words[0].bottom - below[0].top > 2.6 * height:
            break
        kind = _kind(words)
        if kind == "row" and not out and _subscripts(words, row_height):
            kind = "header"  # the "50 75" under "AP AP" of the header
        elif kind == "row" and out and words[0].x0 > left + 40:
            kind = "header"  # a line of values with no label ("67B 72B 8x22B") under model names
        if kind == "caption" or (kind == "row" and out):
            break
        if kind in ("prose", "single") and not out:
            nxt = clipped[above[n + 1]] if n + 1 < len(above) else None
            if nxt is None or _kind(nxt) not in ("row", "header", "single"):
                break
            below = words
            continue  # a section title between rows
        if kind == "prose":
            break
        below = words
        if kind == "row":
            continue
        out.append(words)
        if len(out) == MAX_HEADER_LINES:
            break
    return list(reversed(out))


def territories(cells: list[Word], label_right: float) -> list[tuple[float, float]]:
    """The horizontal span each cell of a row owns: from the midpoint with its left neighbour (or the
    label) to the midpoint with its right neighbour."""
    out = []
    for k, cell in enumerate(cells):
        lo = (cells[k - 1].x1 + cell.x0) / 2 if k else (label_right + cell.x0) / 2
        hi = (cell.x1 + cells[k + 1].x0) / 2 if k + 1 < len(cells) else cell.x1 + max(8.0, (cell.x1 - cell.x0) / 2)
        out.append((lo, hi))
    return out


def _centred(phrase: Line, span: tuple[float, float]) -> bool:
    middle, width = (phrase[0].x0 + phrase[-1].x1) / 2, span[1] - span[0]
    return abs(middle - (span[0] + span[1]) / 2) < 0.15 * width


def column_header(
    headers: list[Line], span: tuple[float, float], label_right: float, row_span: tuple[float, float] | None = None
) -> list[str]:
    """The header text over a cell owning ``span``, top line first. The lowest header line names one
    column per word group, so the words centred in the span are taken; a line above it holds group
    titles ("BLEU" over "EN-DE EN-FR", "Training Cost (FLOPs)" over two columns), so the phrase that
    overlaps the span most is; a lone title centred over the whole ``row_span`` of cells ("pass@k" over
    "k = 1 k = 10 k = 100") is every column's. Words over the label column (left of ``label_right``)
    never count."""
    lo, hi = span
    parts: list[str] = []
    lowest = max((k for k, line in enumerate(headers) if not all(_SUB.match(w.text) for w in line)), default=0)
    for k, line in enumerate(headers):
        words = [w for w in line if w.x1 > label_right]
        inside = [w.text for w in words if lo <= (w.x0 + w.x1) / 2 < hi]
        if inside and k >= lowest:  # the column-name line and its subscripts ("AP" over "50")
            parts.append(" ".join(inside))
            continue
        phrases = phrases_of(words)
        if len(phrases) == 1 and k < lowest and row_span and _centred(phrases[0], row_span):
            parts.append(" ".join(w.text for w in phrases[0]))  # one title centred over all the columns
            continue
        overlaps = [(min(hi, p[-1].x1) - max(lo, p[0].x0), p) for p in phrases]
        best = max(overlaps, key=lambda o: o[0], default=None)
        if best is not None and best[0] > 0:
            parts.append(" ".join(w.text for w in best[1]))
    return parts


def left_headers(headers: list[Line], cell: Word, left: float) -> list[str]:
    """Header phrases to the left of ``cell`` (nearest first), from ``left`` on: a side-by-side table
    names its dataset over its own label column."""
    found: list[tuple[float, str]] = []
    for line in headers:
        for phrase in phrases_of(line):
            if phrase[-1].x1 <= cell.x0 and phrase[0].x0 >= left - 2:
                found.append((cell.x0 - phrase[-1].x1, " ".join(w.text for w in phrase)))
    return [text for _, text in sorted(found)]
