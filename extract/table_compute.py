"""Compute stated in a table row: "TPUv3-core-days 2.5k 0.68k 0.23k 9.9k 12.3k", "GPU hours 120 480".

A comparison table often closes with a row of each column's training compute. The row's label is a
compute unit (the units of :mod:`extract.model_facts`: accelerator[-core]-hours/days, petaflop/s-days);
each cell is an amount ("2.5k"). A cell under a column headed by one of the paper's own models is the
paper's statement (confidence 0.6); the others are its baselines' (0.3, kept for provenance, below what
the estimates read). Without word positions no column can be told apart, and every cell is read at 0.3.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from extract.facts import Fact
from extract.layout import Layouts
from extract.model_facts import compute_unit, compute_unit_match
from extract.nlp import PageDoc
from extract.own_models import mentions_own
from extract.table_cells import Row, Table, header_parts
from extract.table_results import own_tables

OWN_CONFIDENCE = 0.6
OTHER_CONFIDENCE = 0.3
_AMOUNT = re.compile(r"^(?P<n>\d+(?:\.\d+)?)(?P<s>[kKMB])?[*†‡]?$")
_SCALE = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9}


def amount(cell: str) -> float | None:
    """ "2.5k" -> 2500.0, "480" -> 480.0; None for anything else ("-", "n/a", "12h")."""
    m = _AMOUNT.match(cell.replace(",", ""))
    if m is None:
        return None
    return float(m.group("n")) * _SCALE.get(m.group("s") or "", 1.0)


def _row_facts(table: Table, row: Row, unit: str, own: list[str]) -> Iterator[Fact]:
    quote = " ".join(table.page.text[row.start : row.end].split())
    for idx, cell in enumerate(row.cells):
        value = amount(cell)
        if not value:
            continue
        parts = header_parts(table, row, idx) or []
        model = next((p for p in reversed(parts) if mentions_own(p, own)), None)
        yield Fact(kind="compute", value=value, unit=unit, page=table.page.number,
                   quote=f"{quote} [column {idx + 1}{': ' + model if model else ''}]",
                   char_start=row.start, char_end=row.end,
                   confidence=OWN_CONFIDENCE if model else OTHER_CONFIDENCE)


# A page worth reading for compute rows names a compute unit somewhere (most pages do not).
_UNIT_WORD = re.compile(r"(?i)(?:core|gpu|tpu|chip|accelerator|\b[a-z]\d{2,3})s?[- ]?(?:hours?|days?)\b"
                        r"|pf[- /]*days?\b|peta-?flop")


def table_compute(page: PageDoc, own: list[str], layouts: Layouts | None = None) -> list[Fact]:
    """The compute facts of the compute rows of ``page``'s own-model tables."""
    out: list[Fact] = []
    if not _UNIT_WORD.search(page.text):
        return out
    for table, block, _own_rows in own_tables(page, own, None, "", layouts):
        for row in block:
            m = compute_unit_match(row.label)
            if m is not None:
                out.extend(_row_facts(table, row, compute_unit(m), own))
    return out
