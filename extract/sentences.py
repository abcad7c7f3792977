"""Split a page of text into sentences with character spans.

A rule-based splitter tuned for papers: it does not split after abbreviations ("et al.", "Fig.", "e.g."),
initials or decimals, splits after footnote markers (".13 Training"), and treats the end of a short line
(a heading, table row, caption end or the last line of a paragraph) as a hard break. ``para_end`` marks
sentences that close a paragraph, which bounds how far a training time may be linked to hardware.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.names import words

_ABBREVIATIONS = words(
    """
    a.k.a al app approx appx avg cf ch dr e.g ed eds eg eq eqs est etc., fig figs i.e ie inc jr ltd max mr
    ms no nos pp prof ref refs resp sec secs sect tab vol vs w.r.t
    """
)
_BOUNDARY = re.compile(
    r"[.!?][\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9])"  # "... end. Next"
    r"|(?<=[^\d\s])\.\d{1,2}(?=\s+[A-Z])"  # footnote mark: "(16 TPU chips total).13 Training"
)
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_MAX_SENTENCE = 1200


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a page: ``text[start:end]``; ``para_end`` if it closes a paragraph or line unit."""

    index: int
    start: int
    end: int
    para_end: bool


def _typical_width(lines: list[str]) -> float:
    """Width of a full text line: the most common line length (two-column pages: the column width)."""
    widths = [len(line.strip()) for line in lines if len(line.strip()) >= 25]
    if len(widths) < 3:
        return 80.0
    bins: dict[int, int] = {}
    for w in widths:
        bins[w // 5] = bins.get(w // 5, 0) + 1
    mode = (max(bins, key=lambda b: (bins[b], b)) + 0.5) * 5
    near = sorted(w for w in widths if 0.8 * mode <= w <= 1.25 * mode)
    return float(near[int(0.9 * (len(near) - 1))])


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    m = _WORD_BEFORE.search(text, max(0, dot - 20), dot)
    if not m:
        return False
    word = m.group(1)
    if len(word) == 1 and word.isupper():  # an initial: "J. Smith"
        return True
    return word.lower().rstrip(".") in _ABBREVIATIONS or word.lower() in _ABBREVIATIONS


def split_sentences(text: str) -> list[Sentence]:
    """Return the sentences of ``text`` in order; whitespace between sentences belongs to none."""
    lines = text.split("\n")
    width = _typical_width(lines)
    hard: set[int] = set()  # offsets just after a short line
    soft_para: set[int] = set()
    pos = 0
    for k, line in enumerate(lines):
        end = pos + len(line)
        stripped = line.strip()
        nxt = lines[k + 1].lstrip() if k + 1 < len(lines) else ""
        continues = bool(nxt[:1].islower()) and not stripped.endswith((".", ":", "!", "?"))
        if 4 <= len(stripped) < 0.7 * width and not continues:  # not a stray superscript line
            hard.add(end)
        if looks_like_table_row(stripped):  # a table row is a unit of its own, whatever its width
            hard.update((end, pos - 1 if pos else 0))
        if stripped and len(stripped) < 0.75 * width and not continues:
            soft_para.add(end)
        pos = end + 1
    cuts: set[int] = set(hard)
    for m in _BOUNDARY.finditer(text):
        if not _is_abbreviation(text, m.start()):
            cuts.add(m.end())
    sentences: list[Sentence] = []
    start = 0
    for cut in sorted(cuts) + [len(text)]:
        _emit(text, start, cut, cut in hard or cut in soft_para or cut == len(text), sentences)
        start = cut
    return sentences


def _emit(text: str, start: int, end: int, para_end: bool, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    stop = end
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    if stop <= start:
        return
    if stop - start > _MAX_SENTENCE:  # runaway (equations, references): cut at line ends
        nl = text.rfind("\n", start, start + _MAX_SENTENCE)
        if nl > start:
            _emit(text, start, nl, True, out)
            _emit(text, nl, end, para_end, out)
            return
    out.append(Sentence(index=len(out), start=start, end=stop, para_end=para_end))


_PROSE_TOKEN = re.compile(r"^[a-z]{4,}[,.;:]?$")
_NUMERIC_TOKEN = re.compile(r"^[(\[]?[-+~]?\d[\d.,]*[%kKMBG]?[)\]]?[*†‡?]?$")


def looks_like_table_row(text: str) -> bool:
    """True for a line of a table ("RNNenc-30 8.46 6.4 109 TITAN BLACK 28.1 53.0"), not prose."""
    tokens = text.split()
    numbers = sum(1 for t in tokens if _NUMERIC_TOKEN.match(t))
    prose = sum(1 for t in tokens if _PROSE_TOKEN.match(t))
    return numbers >= 3 and numbers >= 0.3 * len(tokens) and prose < 3
