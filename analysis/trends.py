"""Growth of training compute over time (Epoch AI's method): OLS of log10(compute) on the fractional
publication year, per source and group, with a paper-level bootstrap interval.

Input: the frame of `warehouse.trends.trend_rows` (columns source, row_id, cluster, name, published,
precision, year, compute, domain, task, benchmarks, category, synthetic). Per fit: n, the slope
(log10 FLOP per year), growth per year ``10**slope``, doubling time ``12·log10(2)/slope`` months,
their 90% intervals from a bootstrap that resamples papers (`cluster`) with replacement (fixed seed,
percentiles 5 and 95; `analysis.cluster_ols`), and the date range. Sources are never pooled: each
fit is one (source, group), and synthetic fixture papers form a source of their own
(``extracted:synthetic``). Dates, domains, code models and the frontier: `analysis.trend_groups`.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.cluster_ols import fit_clustered
from analysis.exceptions import AnalysisError, InsufficientDataError
from analysis.json_values import json_number
from analysis.trend_groups import (
    ALL,
    BENCHMARK_DOMAINS,
    CATEGORY_DOMAINS,
    date_label,
    domain_group,
    fractional_year,
    frontier_mask,
    is_code_model,
    row_fractional_year,
)
from analysis.uncertainty import DEFAULT_DRAWS, DEFAULT_SEED

__all__ = [
    "BY",
    "LOG2_MONTHS",
    "TrendFit",
    "TrendGap",
    "fractional_year",
    "is_code_model",
    "prepare_rows",
    "trend_fits",
]

logger = logging.getLogger(__name__)

BY = ("none", "domain", "benchmark")
SOURCE_ORDER = ("epoch", "thompson", "extracted")
LOG2_MONTHS = 12.0 * math.log10(2.0)  # months per doubling at a slope of 1 log10 unit per year
LEVEL = 0.90
INTERVAL = "90% paper-level bootstrap: papers resampled with replacement, percentiles 5 and 95"


def doubling_months(slope: float) -> float | None:
    """``12·log10(2)/slope`` months; None when compute does not grow (slope ≤ 0)."""
    return LOG2_MONTHS / slope if slope > 0 else None


@dataclass(frozen=True, slots=True)
class TrendFit:
    """One (source, group) fit. ``doubling_high`` is inf when the slope interval reaches 0."""

    source: str
    group: str
    by: str
    frontier: bool
    since: str | None
    n: int
    papers: int
    slope: float
    intercept: float
    r2: float
    slope_low: float
    slope_high: float
    growth_per_year: float
    growth_low: float
    growth_high: float
    doubling_months: float | None
    doubling_low: float | None
    doubling_high: float | None
    date_from: str | None
    date_to: str | None
    year_from: float
    year_to: float
    compute_min: float
    compute_max: float
    draws: int
    draws_used: int
    seed: int
    interval: str = INTERVAL
    kind: str = "trend"

    def to_dict(self) -> dict[str, Any]:
        return {k: json_number(v) if isinstance(v, float) else v for k, v in asdict(self).items()}


@dataclass(frozen=True, slots=True)
class TrendGap:
    """A (source, group) with too few rows or papers to fit."""

    source: str
    group: str
    by: str
    n: int
    papers: int
    reason: str
    kind: str = "trend-not-fitted"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def prepare_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The usable rows (compute > 0, a date or year) with `t` (fractional year), `date` (as far as
    known) and `fit_source` (the source, ``:synthetic`` for synthetic fixture papers)."""
    missing = [c for c in ("source", "cluster", "published", "precision", "year", "compute") if c not in rows]
    if missing:
        raise AnalysisError("trend rows lack columns", missing=missing)
    out = rows.copy()
    out["compute"] = pd.to_numeric(out["compute"], errors="coerce")
    triples = list(zip(out["published"], out["precision"], out["year"], strict=True))
    out["t"] = [row_fractional_year(*triple) for triple in triples]
    out["date"] = [date_label(*triple) for triple in triples]
    synthetic = out["synthetic"].fillna(False).astype(bool) if "synthetic" in out else False
    out["fit_source"] = out["source"].astype(str) + np.where(synthetic, ":synthetic", "")
    ok = np.isfinite(out["compute"]) & (out["compute"] > 0) & np.isfinite(out["t"])
    return out.loc[ok].reset_index(drop=True)


def groups_of(row: pd.Series, by: str) -> list[str]:
    """The groups a row belongs to besides ``all`` (none when its domain or benchmark is unknown)."""
    benchmarks = row.get("benchmarks")
    benchmarks = list(benchmarks) if isinstance(benchmarks, list | tuple | np.ndarray) else []
    if by == "benchmark":
        return sorted({str(b) for b in benchmarks})
    if by != "domain":
        return []
    if row["source"] == "epoch":
        group = domain_group(row.get("domain"), row.get("task"))
    elif row["source"] == "thompson":
        group = BENCHMARK_DOMAINS.get(str(benchmarks[0])) if benchmarks else None
    else:
        group = CATEGORY_DOMAINS.get(str(row.get("category")))
    return [group] if group else []


def _memberships(rows: pd.DataFrame, by: str) -> pd.DataFrame:
    pairs = [(index, group) for index, row in rows.iterrows() for group in [ALL, *groups_of(row, by)]]
    return pd.DataFrame(pairs, columns=["index", "group"])


def _fit_group(rows: pd.DataFrame, *, source: str, group: str, by: str, frontier: bool, since: str | None,
               draws: int, seed: int) -> TrendFit:
    fit = fit_clustered(rows["t"].to_numpy(float), np.log10(rows["compute"].to_numpy(float)),
                        rows["cluster"].astype(str).to_numpy(), draws=draws, seed=seed)
    intercept, slope = (float(v) for v in fit.coefficients)
    low, high = fit.interval(1, LEVEL)
    first, last = rows["t"].idxmin(), rows["t"].idxmax()
    return TrendFit(
        source=source, group=group, by=by, frontier=frontier, since=since, n=fit.n, papers=fit.clusters,
        slope=slope, intercept=intercept, r2=fit.r2, slope_low=low, slope_high=high,
        growth_per_year=10.0**slope, growth_low=10.0**low, growth_high=10.0**high,
        doubling_months=doubling_months(slope), doubling_low=doubling_months(high),
        doubling_high=doubling_months(low) if low > 0 else math.inf,
        date_from=rows.at[first, "date"], date_to=rows.at[last, "date"],
        year_from=float(rows["t"].min()), year_to=float(rows["t"].max()),
        compute_min=float(rows["compute"].min()), compute_max=float(rows["compute"].max()),
        draws=fit.draws_asked, draws_used=fit.draws_used, seed=fit.seed)


def _order(keys: list[tuple[str, str]], sizes: dict[tuple[str, str], int]) -> list[tuple[str, str]]:
    rank = {s: i for i, s in enumerate(SOURCE_ORDER)}

    def key(item: tuple[str, str]) -> tuple[int, str, int, int, str]:
        source, group = item
        base = source.split(":")[0]
        return rank.get(base, len(rank)), source, group != ALL, -sizes[item], group

    return sorted(keys, key=key)


def trend_fits(rows: pd.DataFrame, *, by: str = "none", frontier: bool = False, since: dt.date | None = None,
               draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> list[TrendFit | TrendGap]:
    """One fit per (source, group) of ``rows`` (see module doc), ``all`` first in each source.

    ``frontier`` keeps the rows in the running top 10 by compute of their (source, group), judged over
    the whole history before ``since`` cuts the rows published earlier (``since`` compares fractional
    years). Groups with fewer than 3 rows or 2 papers come back as `TrendGap`."""
    if by not in BY:
        raise AnalysisError("unknown grouping", by=by, choices=BY)
    usable = prepare_rows(rows)
    members = _memberships(usable, by).merge(usable[["fit_source"]], left_on="index", right_index=True)
    start = fractional_year(since) if since is not None else -math.inf
    selected: dict[tuple[str, str], pd.DataFrame] = {}
    for (source, group), part in members.groupby(["fit_source", "group"], sort=False):
        subset = usable.loc[part["index"].to_numpy()]
        if frontier:
            subset = subset.loc[frontier_mask(subset["t"].to_numpy(float), subset["compute"].to_numpy(float))]
        selected[(str(source), str(group))] = subset.loc[subset["t"] >= start]
    results: list[TrendFit | TrendGap] = []
    label = since.isoformat() if since is not None else None
    for source, group in _order(list(selected), {k: len(v) for k, v in selected.items()}):
        subset = selected[(source, group)]
        if subset.empty:
            continue
        try:
            results.append(_fit_group(subset, source=source, group=group, by=by, frontier=frontier, since=label,
                                      draws=draws, seed=seed))
        except InsufficientDataError as exc:
            results.append(TrendGap(source, group, by, len(subset), int(subset["cluster"].nunique()), str(exc)))
    logger.info("trend fits: %d of %d groups fitted", sum(isinstance(r, TrendFit) for r in results), len(results))
    return results
