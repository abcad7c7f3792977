"""Which warehouse points a regression uses: compute variable, sources, years, frontier, one per paper.

`v_regression_points` holds one row per (score, compute source): Thompson et al.'s rows, and the
warehouse's best score per paper joined with the compute extracted from the paper and with Epoch AI's.
A paper can therefore appear with several compute sources; `select_points` keeps one row per
(benchmark, paper) by source precedence so that no paper counts twice. Points of synthetic papers
(the bundled fixture corpus, `synthetic` true) are taken only by a selection that asks for them
alone: no fit mixes made-up papers with real ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.exceptions import AnalysisError
from extract.registry import benchmark_ids

X_VARIABLES = ("hardware_burden", "estimated_compute", "network_operations")
SOURCES = ("thompson", "extracted", "epoch")
# Hand-curated figures first, then the paper's own (extracted, with page and quote), then Epoch's.
DEFAULT_PRECEDENCE: tuple[str, ...] = ("thompson", "extracted", "epoch")


@dataclass(frozen=True, slots=True)
class Selection:
    """The filters of one regression, stored with its fits."""

    x: str = "hardware_burden"
    benchmarks: tuple[str, ...] = ()
    sources: tuple[str, ...] = SOURCES
    year_from: int | None = None
    year_to: int | None = None
    frontier: bool = False
    precedence: tuple[str, ...] = field(default=DEFAULT_PRECEDENCE)
    synthetic: bool = False  # the bundled fixture papers alone (never pooled with real points)

    def __post_init__(self) -> None:
        if self.x not in X_VARIABLES:
            raise AnalysisError("unknown compute variable", x=self.x, choices=X_VARIABLES)
        unknown = sorted(set(self.sources) - set(SOURCES))
        if unknown or not self.sources:
            raise AnalysisError("unknown compute source", sources=unknown or "none", choices=SOURCES)
        if self.year_from and self.year_to and self.year_from > self.year_to:
            raise AnalysisError("year range is empty", year_from=self.year_from, year_to=self.year_to)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Selection:
        """A selection as stored with its fits (`dataclasses.asdict`, lists for tuples)."""
        return cls(
            x=str(data.get("x", "hardware_burden")), benchmarks=tuple(data.get("benchmarks") or ()),
            sources=tuple(data.get("sources") or SOURCES), year_from=data.get("year_from"),
            year_to=data.get("year_to"), frontier=bool(data.get("frontier")),
            precedence=tuple(data.get("precedence") or DEFAULT_PRECEDENCE), synthetic=bool(data.get("synthetic")))

    def label(self) -> str:
        parts = [self.x, "+".join(self.sources)]
        if self.year_from or self.year_to:
            parts.append(f"{self.year_from or ''}-{self.year_to or ''}")
        if self.frontier:
            parts.append("frontier")
        if self.synthetic:
            parts.append("synthetic fixture papers only")
        return " ".join(parts)

    def to_dict(self) -> dict[str, object]:
        return {"x": self.x, "benchmarks": list(self.benchmarks), "sources": list(self.sources),
                "year_from": self.year_from, "year_to": self.year_to, "frontier": self.frontier,
                "precedence": list(self.precedence), "synthetic": self.synthetic}


def check_benchmarks(names: Sequence[str]) -> tuple[str, ...]:
    """``names`` when each is a benchmark registry id (warehouse/data/benchmarks.csv), else AnalysisError
    naming the ids: `regress --benchmark humaneval` works as `--benchmark imagenet` does."""
    known = benchmark_ids()
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise AnalysisError("unknown benchmark", benchmarks=unknown, choices=", ".join(known))
    return tuple(names)


def frontier_points(points: pd.DataFrame) -> pd.DataFrame:
    """Points that were state of the art at their date: lower error than every earlier year's point
    of the same benchmark (points without a year cannot be placed and are left out)."""
    keep = []
    for _, rows in points.dropna(subset=["year"]).groupby("benchmark", sort=True):
        best = np.inf
        for _, same_year in rows.sort_values(["year", "error", "point_id"]).groupby("year", sort=True):
            prior = best
            keep.extend(same_year.index[same_year["error"] < prior])
            best = min(best, float(same_year["error"].min()))
    return points.loc[sorted(keep)]


def select_points(points: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """The regression input: columns point_id, paper_key, benchmark, metric, score, error, compute,
    compute_kind, year, source, result_source, provenance; one row per (benchmark, paper)."""
    missing = [c for c in ("point_id", "paper_key", "benchmark", "error", "compute_source", selection.x)
               if c not in points.columns]
    if missing:
        raise AnalysisError("points frame lacks columns", missing=missing)
    synthetic = (points["synthetic"].fillna(False).astype(bool) if "synthetic" in points.columns
                 else pd.Series(False, index=points.index))
    rows = points.loc[points["compute_source"].isin(selection.sources) & (synthetic == selection.synthetic)].copy()
    if selection.benchmarks:
        rows = rows.loc[rows["benchmark"].isin(selection.benchmarks)]
    compute = pd.to_numeric(rows[selection.x], errors="coerce")
    error = pd.to_numeric(rows["error"], errors="coerce")
    rows = rows.loc[(compute > 0) & (error > 0) & np.isfinite(compute) & np.isfinite(error)]
    years = pd.to_numeric(rows.get("year"), errors="coerce") if "year" in rows else pd.Series(np.nan, rows.index)
    if selection.year_from is not None:
        rows = rows.loc[years >= selection.year_from]
    if selection.year_to is not None:
        rows = rows.loc[years.reindex(rows.index) <= selection.year_to]
    order = {s: i for i, s in enumerate(_precedence(selection.precedence))}
    rows = rows.assign(_rank=rows["compute_source"].map(order))
    rows = rows.sort_values(["benchmark", "paper_key", "_rank", "point_id"], kind="mergesort")
    rows = rows.drop_duplicates(["benchmark", "paper_key"], keep="first").drop(columns="_rank")
    out = pd.DataFrame({
        "point_id": rows["point_id"].astype(str), "paper_key": rows["paper_key"].astype(str),
        "benchmark": rows["benchmark"], "metric": rows.get("metric"), "score": rows.get("score"),
        "error": pd.to_numeric(rows["error"]), "compute": pd.to_numeric(rows[selection.x]),
        "compute_kind": selection.x, "year": pd.to_numeric(rows.get("year"), errors="coerce"),
        "source": rows["compute_source"], "result_source": rows.get("result_source"),
        "provenance": rows.get("provenance"), "model": rows.get("model"), "paper_id": rows.get("paper_id"),
    }, index=rows.index)
    if selection.frontier:
        out = frontier_points(out)
    return out.sort_values(["benchmark", "point_id"], kind="mergesort").reset_index(drop=True)


def _precedence(order: Sequence[str]) -> list[str]:
    return [*order, *(s for s in SOURCES if s not in order)]
