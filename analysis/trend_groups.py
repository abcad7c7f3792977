"""The rules of the compute trends that are not the regression: dates as fractional years, the domain
of a model (with code models as a group of their own) and the running top-10 frontier.

Dates. Epoch AI's method places a model at its fractional publication year,
``year + (day_of_year - 1) / 365.25``. A date known only to the month sits mid-month
(``year + (month - 0.5) / 12``); one known only to the year sits mid-year (``year + 0.5``), the
middle of the interval it stands for (Thompson et al.'s CSVs give the year alone).

Domains. Epoch's `Domain` may list several (``"Multimodal,Language,Vision"``): a model is
``multimodal`` when its list names Multimodal, else it takes the first domain listed (the others
are further applications, e.g. ``"Vision,Image generation"``, ``"Audio,Speech"``). A code model
(`is_code_model`) forms the group ``code`` instead of its domain. Thompson et al.'s rows take the
domain of their benchmark, papers of the warehouse that of their arXiv primary category.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from extract.registry import registry

__all__ = [
    "ALL",
    "CODE",
    "MULTIMODAL",
    "date_label",
    "domain_group",
    "fractional_year",
    "frontier_mask",
    "is_code_model",
    "row_fractional_year",
]

ALL = "all"
CODE = "code"
MULTIMODAL = "multimodal"
FRONTIER_TOP = 10

# Thompson et al.'s benchmarks and the warehouse's: the domain of the task they measure (the registry's,
# warehouse/data/benchmarks.csv).
BENCHMARK_DOMAINS = {b.benchmark: b.domain for b in registry()}
# arXiv primary categories of the warehouse's papers.
CATEGORY_DOMAINS = {"cs.CV": "vision", "eess.IV": "vision", "cs.CL": "language", "cs.SD": "speech",
                    "eess.AS": "speech", "cs.RO": "robotics", "cs.SE": CODE, "cs.PL": CODE, "q-bio.BM": "biology",
                    "q-bio.QM": "biology"}
# A task or domain item names code: "Code generation", "Code autocompletion" (Epoch's tasks), a
# domain "Code" or "Programming", "program synthesis".
_CODE_ITEM = re.compile(r"^(code|coding|programming|program synthesis|software engineering)\b", re.IGNORECASE)


def fractional_year(day: dt.date) -> float:
    """Epoch AI's fractional year: ``year + (day_of_year - 1) / 365.25`` (1 January is ``year + 0``)."""
    return day.year + (day.timetuple().tm_yday - 1) / 365.25


def row_fractional_year(published: object, precision: object, year: object) -> float:
    """The fractional year of one row by how much of its date is known (day, month or year; see above).
    NaN when neither a date nor a year is given."""
    if isinstance(published, pd.Timestamp):
        published = published.date()
    if isinstance(published, dt.date):
        if precision == "year":
            return published.year + 0.5
        if precision == "month":
            return published.year + (published.month - 0.5) / 12.0
        return fractional_year(published)
    try:
        value = float(year)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return value + 0.5 if math.isfinite(value) else math.nan


def date_label(published: object, precision: object, year: object) -> str | None:
    """A row's date as far as it is known: 2021-03-04, 2021-03 or 2021."""
    if isinstance(published, pd.Timestamp):
        published = published.date()
    if isinstance(published, dt.date):
        text = published.isoformat()
        return text[:4] if precision == "year" else text[:7] if precision == "month" else text
    try:
        return str(int(year))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def _items(text: object) -> list[str]:
    if not isinstance(text, str):
        return []
    return [item.strip() for item in text.split(",") if item.strip()]


def is_code_model(domain: str | None, task: str | None) -> bool:
    """Whether an Epoch AI row is a model of source code: a domain or a task item (comma lists) that
    names code, e.g. task ``"Code generation"``, ``"Chat,Code autocompletion"``, domain ``"Code"``.
    Words that merely contain "code" (``Encoder``, ``Autoencoder``) do not count."""
    return any(_CODE_ITEM.match(item) for item in (*_items(domain), *_items(task)))


def domain_group(domain: str | None, task: str | None) -> str | None:
    """The `--by domain` group of an Epoch AI row: ``code`` for code models, ``multimodal`` when the
    domains name Multimodal, else the first domain listed, lower case; None without a domain."""
    if is_code_model(domain, task):
        return CODE
    items = [item.lower() for item in _items(domain)]
    if not items:
        return None
    return MULTIMODAL if MULTIMODAL in items else items[0]


def frontier_mask(years: Sequence[float] | np.ndarray, compute: Sequence[float] | np.ndarray,
                  top: int = FRONTIER_TOP) -> np.ndarray:
    """Which rows were in the running top ``top`` by compute when published: a row is kept when fewer
    than ``top`` rows published on or before its date have a larger compute (rows of the same date
    count as earlier; ties in compute keep both). That is: its compute reaches the ``top``-th largest
    compute published up to its date, itself included."""
    t = np.asarray(years, dtype=float)
    c = np.asarray(compute, dtype=float)
    keep = np.zeros(len(t), dtype=bool)
    if not len(t):
        return keep
    largest: list[float] = []  # min-heap of the `top` largest computes so far
    order = np.argsort(t, kind="stable")
    starts = np.flatnonzero(np.r_[True, t[order][1:] != t[order][:-1]])
    for start, end in zip(starts, [*starts[1:], len(t)], strict=True):
        same = order[start:end]
        for value in c[same]:
            if len(largest) < top:
                heapq.heappush(largest, float(value))
            elif value > largest[0]:
                heapq.heapreplace(largest, float(value))
        threshold = largest[0] if len(largest) == top else -math.inf
        keep[same] = c[same] >= threshold
    return keep
