"""Algorithmic progress on one benchmark, in the way of Erdil & Besiroglu (ImageNet, arXiv 2212.05153)
and Ho et al. (language models, arXiv 2403.05812): OLS of

    log10(compute) = a + b·year + c·log10(error)

on the benchmark's regression points (one per paper, `analysis.selection.select_points`). At a fixed
error, the log10 compute needed changes by ``b`` per year, so with ``b < 0`` the compute needed for
a fixed error halves every ``12·log10(2)/(-b)`` months and falls ``10**(-b)``-fold per year. ``c`` is
the compute-error elasticity (Thompson et al.'s slope, inverted). Intervals: a 90% bootstrap that
resamples papers with replacement (`analysis.cluster_ols`). When the interval of ``b`` includes 0
(or lies above it), the halving time is not identified and none is given.

Dates: the point's year (`v_regression_points`: the paper's arXiv year, the result's date, Thompson
et al.'s year or Epoch's date) at mid-year, refined to the paper's arXiv date (`papers.published`,
at its precision) when that falls in the same year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.cluster_ols import fit_clustered
from analysis.exceptions import AnalysisError
from analysis.json_values import json_number
from analysis.selection import SOURCES, Selection, select_points
from analysis.trend_groups import date_label, fractional_year, row_fractional_year
from analysis.trends import INTERVAL, LEVEL, LOG2_MONTHS
from analysis.uncertainty import DEFAULT_DRAWS, DEFAULT_SEED

__all__ = ["PROGRESS_X", "ProgressFit", "fit_progress", "halving_text", "point_years"]

PROGRESS_X = ("hardware_burden", "estimated_compute")


@dataclass(frozen=True, slots=True)
class ProgressFit:
    """The fit of one benchmark's points; halving fields None unless identified."""

    benchmark: str
    x: str
    sources: tuple[str, ...]
    synthetic: bool
    since: str | None
    n: int
    papers: int
    a: float
    b: float
    c: float
    r2: float
    b_low: float
    b_high: float
    c_low: float
    c_high: float
    identified: bool
    not_identified_reason: str | None
    halving_months: float | None
    halving_low: float | None
    halving_high: float | None
    reduction_per_year: float
    date_from: str | None
    date_to: str | None
    compute_min: float
    compute_max: float
    error_min: float
    error_max: float
    draws: int
    draws_used: int
    seed: int
    interval: str = INTERVAL
    kind: str = "progress"

    def to_dict(self) -> dict[str, Any]:
        out = {k: json_number(v) if isinstance(v, float) else v for k, v in asdict(self).items()}
        out["sources"] = list(self.sources)
        return out


def point_years(points: pd.DataFrame) -> tuple[list[float], list[str | None]]:
    """(fractional year, date label) of each point: the view's year at mid-year, or the paper's arXiv
    date at its precision when that date falls in the point's year."""
    years: list[float] = []
    labels: list[str | None] = []
    for published, precision, year in zip(points["published"], points["published_precision"], points["year"],
                                          strict=True):
        day = published.date() if isinstance(published, pd.Timestamp) else published
        same = isinstance(day, dt.date) and pd.notna(year) and day.year == int(year)
        args = (day, precision or "day", year) if same else (None, "year", year)
        years.append(row_fractional_year(*args))
        labels.append(date_label(*args))
    return years, labels


def _halving(b: float, low: float, high: float
             ) -> tuple[bool, str | None, tuple[float | None, float | None, float | None]]:
    """Whether b is identified, why not, and the halving time in months with its interval."""
    if high < 0:
        return True, None, (LOG2_MONTHS / -b, LOG2_MONTHS / -low, LOG2_MONTHS / -high)
    reason = ("b's 90% interval lies above 0: the compute needed for a fixed error grew" if low > 0
              else "b's 90% interval includes 0")
    return False, reason, (None, None, None)


def _selected(points: pd.DataFrame, benchmark: str, x: str, sources: Sequence[str], synthetic: bool,
              since: dt.date | None) -> pd.DataFrame:
    if x not in PROGRESS_X:
        raise AnalysisError("unknown compute variable for progress", x=x, choices=PROGRESS_X)
    if "synthetic" not in points:
        points = points.assign(synthetic=False)
    chosen = select_points(points, Selection(x=x, benchmarks=(benchmark,), sources=tuple(sources),
                                             precedence=tuple(sources), synthetic=synthetic))
    dates = points.drop_duplicates("point_id").set_index("point_id")[["published", "published_precision"]]
    chosen = chosen.join(dates, on="point_id")
    chosen["t"], chosen["date"] = point_years(chosen)
    chosen = chosen.loc[np.isfinite(chosen["t"].astype(float))]
    if since is not None:
        chosen = chosen.loc[chosen["t"] >= fractional_year(since)]
    return chosen.reset_index(drop=True)


def fit_progress(points: pd.DataFrame, benchmark: str, *, x: str = "hardware_burden",
                 sources: Sequence[str] = SOURCES, synthetic: bool = False, since: dt.date | None = None,
                 draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> ProgressFit:
    """Fit ``benchmark``'s points (`v_regression_points_all` columns plus `published`,
    `published_precision`): one per paper by the precedence of ``sources``, synthetic fixture points
    alone or none of them. Raises `InsufficientDataError` with fewer than 4 points or 2 papers."""
    rows = _selected(points, benchmark, x, sources, synthetic, since)
    error = rows["error"].to_numpy(float)
    design = np.column_stack([rows["t"].to_numpy(float), np.log10(error)])
    fit = fit_clustered(design, np.log10(rows["compute"].to_numpy(float)), rows["paper_key"].to_numpy(),
                        draws=draws, seed=seed, min_points=4)
    a, b, c = (float(v) for v in fit.coefficients)
    b_low, b_high = fit.interval(1, LEVEL)
    c_low, c_high = fit.interval(2, LEVEL)
    identified, reason, halving = _halving(b, b_low, b_high)
    first, last = rows["t"].idxmin(), rows["t"].idxmax()
    return ProgressFit(
        benchmark=benchmark, x=x, sources=tuple(sources), synthetic=synthetic,
        since=since.isoformat() if since else None, n=fit.n, papers=fit.clusters, a=a, b=b, c=c, r2=fit.r2,
        b_low=b_low, b_high=b_high, c_low=c_low, c_high=c_high, identified=identified,
        not_identified_reason=reason, reduction_per_year=10.0**-b, halving_months=halving[0],
        halving_low=halving[1], halving_high=halving[2],
        date_from=rows.at[first, "date"], date_to=rows.at[last, "date"],
        compute_min=float(rows["compute"].min()), compute_max=float(rows["compute"].max()),
        error_min=float(error.min()), error_max=float(error.max()),
        draws=fit.draws_asked, draws_used=fit.draws_used, seed=fit.seed)


def halving_text(fit: ProgressFit) -> str:
    """The halving time in words: "9.1 months [4.2, 25]" or "not identified (reason)"."""
    if not fit.identified or fit.halving_months is None:
        return f"not identified ({fit.not_identified_reason})"
    return f"{fit.halving_months:.3g} months [{fit.halving_low:.3g}, {fit.halving_high:.3g}]"

