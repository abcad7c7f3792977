"""Where a table's cells are on the page and which header stands over each: the metric, dataset, cost
flag and error / accuracy wording of one cell, read from PDFium word boxes (:mod:`extract.layout`).

Shared by the readers of own-model rows and of own-model columns (:mod:`extract.table_results`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from extract import layout, names
from extract.layout import Line, Word
from extract.nlp import PageDoc, load_patterns
from extract.result_labels import ACCURACY_WORD, ERROR_WORD, entities, most_specific


@dataclass(frozen=True, slots=True)
class Row:
    """A table line: its label and every cell token after it (placeholders included)."""

    start: int
    end: int
    label: str
    cells: tuple[str, ...]


NOT_SCORE_COLUMN = re.compile(
    r"(?i)#|\bparam|\bflops?\b|mult-?adds|\bmacs?\b|latency|\btime\b|speed|throughput|memory|\bsize\b|"
    r"\bepochs?\b|\bbatch|\bgpus?\b|\btpus?\b|\bcost\b|\bhours?\b|\bdays?\b|\bfps\b|\bms\b|im(?:age)?s?/s|"
    r"resolution|\bres\.?\b|\bsteps?\b|\blayers?\b|\bdepth\b|\bwidth\b|\btokens?\b|\bdim\b|x10\d|\bgb\b"
)


@dataclass(frozen=True, slots=True)
class Placed:
    """Where a block's rows are on the page: each row's cell boxes, and the header lines above."""

    cells: dict[int, list[Word]]  # row start offset -> one box per cell token
    label_right: dict[int, float]  # row start offset -> right edge of its label
    headers: list[Line]
    left: float


def _cell_words(words: list[Word], label: str, cells: tuple[str, ...]) -> list[Word] | None:
    """One box for the label and one per cell token, by consuming ``words`` whose texts concatenate to
    each token (a cell "22.15/20.80" may be three words)."""
    boxes: list[Word] = []
    k = 0
    for goal in ["".join(label.split()), *cells]:
        got, first = "", k
        while k < len(words) and len(got) < len(goal):
            got += words[k].text
            k += 1
        if got != goal:
            return None
        part = words[first:k]
        boxes.append(Word(goal, part[0].x0, part[-1].x1, min(w.bottom for w in part), max(w.top for w in part)))
    return boxes


def place(text: str, block: list[Row], lines: list[Line] | None) -> Placed | None:
    if not lines:
        return None
    cells: dict[int, list[Word]] = {}
    label_right: dict[int, float] = {}
    first, left, right = len(lines), float("inf"), float("-inf")
    for row in block:
        tokens = text[row.start : row.end].split()
        hit = layout.find_row(lines, tokens)
        boxes = _cell_words(lines[hit[0]][hit[1] : hit[1] + len(tokens)], row.label, row.cells) if hit else None
        if hit is None or boxes is None:
            continue
        label_right[row.start], cells[row.start] = boxes[0].x1, boxes[1:]
        first, left, right = min(first, hit[0]), min(left, boxes[0].x0), max(right, boxes[-1].x1)
    if not cells:
        return None
    return Placed(cells, label_right, layout.header_lines(lines, first, left - 5, right + 8), left - 5)


@dataclass(frozen=True, slots=True)
class Table:
    page: PageDoc
    header: str
    caption: str
    main_dataset: str | None
    footing: str
    placed: Placed | None


_SUBSCRIPT = re.compile(r"^(?:50|75|[SMLsml])$")
_AP_FORM = re.compile(r"\bm?AP\s*(?P<kind>box|bbox|bb|b|mask|mk|m)?\s*(?P<sub>50|75|[SML])?\b")


def _ap_name(m: re.Match[str]) -> str:
    """"APbox50" -> "AP50", "APm" / "APmask" -> "mask AP", "APS" stays: box AP is COCO's AP."""
    kind, sub = m.group("kind") or "", m.group("sub") or ""
    return f"mask AP{sub}" if kind in ("mask", "mk", "m") else f"AP{sub}"


_K_VALUE = re.compile(r"\bk\s*=\s*(\d+)\b")


@lru_cache(maxsize=1)
def _dataset_names() -> dict[str, str]:
    """Lower-cased dataset names (patterns and ids) -> id."""
    rows = load_patterns("datasets.jsonl")
    out = {str(r["pattern"]).lower(): str(r["id"]) for r in rows if isinstance(r["pattern"], str)}
    return out | {str(r["id"]).lower(): str(r["id"]) for r in rows}


@lru_cache(maxsize=4096)
def abbreviated_dataset(word: str) -> str | None:
    """The dataset a cut-short column name stands for: "HellaS" HellaSwag, "WinoG" WinoGrande, "HumanE"
    HumanEval (the shortest name it begins); None for plain words ("Test"), words under 4 letters or
    that begin no name."""
    w = word.lower().strip(".:,()")
    if len(w) < 4 or not w[0].isalpha():
        return None
    if w in _dataset_names():
        return _dataset_names()[w]  # "Math": the name itself, in a case the patterns do not match
    if not any(c.isupper() for c in word[1:]):
        return None  # "Test", "Multi": plain words; a cut name keeps a capital ("HellaS", "CIFAR")
    hits = sorted((n for n in _dataset_names() if n.startswith(w) and len(n) > len(w)), key=len)
    return _dataset_names()[hits[0]] if hits else None


def header_parts(table: Table, row: Row, idx: int) -> list[str] | None:
    """The header text stacked over cell ``idx`` of ``row``, top line first; None when the row's words
    were not placed."""
    placed = table.placed
    if placed is None or row.start not in placed.cells or not placed.headers:
        return None
    cells, label_right = placed.cells[row.start], placed.label_right[row.start]
    spans = layout.territories(cells, label_right)
    return layout.column_header(placed.headers, spans[idx], label_right, (spans[0][0], spans[-1][1]))


class Column(NamedTuple):
    """What the header over one cell says."""

    metric: str | None
    dataset: str | None
    cost: bool  # a parameter count, FLOPs, latency or time column: not a score
    footing: str  # the header's own error / accuracy wording, or ""
    average: bool  # an "Avg." / "Average" column: the mean over the table's tasks


_AVERAGE = re.compile(r"(?i)^(?:avg\.?|average|mean)(?:\s*(?:acc\.?|accuracy|score|\(%\)))?\.?$")


def by_column(table: Table, row: Row, idx: int) -> Column | None:
    """What the header over cell ``idx`` of ``row`` says, or None when the row's words were not placed."""
    parts = header_parts(table, row, idx)
    if parts is None or table.placed is None:
        return None
    placed, cell = table.placed, table.placed.cells[row.start][idx]
    if len(parts) >= 2 and _SUBSCRIPT.match(parts[-1]):
        parts = [*parts[:-2], parts[-2] + parts[-1]]  # "AP" over "50": AP50
    parts = [_AP_FORM.sub(_ap_name, part) for part in parts]
    # the metric may be split over lines ("Top-1" over "Acc."); the dataset nearest the cell is the
    # most specific ("top-1 acc. on ImageNet" over "ReaL")
    metric = most_specific(entities(" ".join(parts)), names.LABEL_METRIC)
    if metric == "pass@k" and (k := _K_VALUE.search(" ".join(parts))):
        metric = f"pass@{k.group(1)}"  # "PASS@k" over "k = 10": pass@10
    # a name split over two header lines ("hella" over "swag" is HellaSwag, not SWAG)
    dataset = _dataset_names().get("".join(parts).lower()) if len(parts) > 1 else None
    for part in reversed(parts):
        if dataset or (dataset := most_specific(entities(part), names.LABEL_DATASET)):
            break
    if dataset is None and parts:
        # stacked words that only name it together ("arc" over "challenge"), or a name cut short ("HellaS")
        dataset = most_specific(entities(" ".join(parts)), names.LABEL_DATASET)
        dataset = dataset or next((d for word in parts[-1].split() if (d := abbreviated_dataset(word))), None)
    average = bool(parts) and bool(_AVERAGE.match(parts[-1]))
    if dataset is None and not average:  # an "Avg." column is not the dataset named to its left
        for phrase in layout.left_headers(placed.headers, cell, placed.left):
            if dataset := most_specific(entities(phrase), names.LABEL_DATASET):
                break
    said = " ".join(parts)
    footing = said if ERROR_WORD.search(said) or ACCURACY_WORD.search(said) else ""
    cost = metric is None and bool(NOT_SCORE_COLUMN.search(said))
    return Column(metric, dataset, cost, footing, average)

