"""The warehouse regression: per benchmark, the scaling fits on the selected points with paper-level
bootstrap intervals, the leave-one-paper-out influence check, the polynomial-vs-exponential comparison
and the extrapolation to target errors with compute, cost and CO2.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.exceptions import InsufficientDataError
from analysis.scaling import FORMS, POLYNOMIAL, ScalingFit, extrapolate, fit_scaling, is_out_of_sample, usable_points
from analysis.selection import Selection, select_points
from analysis.uncertainty import bootstrap_fit, compare_forms, leave_one_paper_out

# Target errors (fractions) per benchmark; elsewhere half the best error seen ("the next halving").
TARGETS: dict[str, tuple[float, ...]] = {"imagenet": (0.05, 0.01)}
DRAWS = 1000
SEED = 20200712  # arXiv 2007.05558's submission date
TOP_INFLUENCE = 5

# flops, compute kind -> {"usd": .., "kg_co2e": .., "chip_hours": .., "basis": ..} or None
Converter = Callable[[float, str], dict[str, Any] | None]


@dataclass(slots=True)
class Regression:
    selection: Selection
    points: pd.DataFrame
    fits: list[ScalingFit] = field(default_factory=list)
    extras: dict[str, dict[str, Any]] = field(default_factory=dict)

    def records(self) -> list[dict[str, Any]]:
        """One dict per fit (the fit, its selection and extras) as `fits.detail` stores it."""
        return [{**f.to_dict(), "selection": self.selection.to_dict(), **self.extras.get(fit_key(f), {})}
                for f in self.fits]


def fit_key(fit: ScalingFit) -> str:
    return f"{fit.benchmark}/{fit.form}/{fit.x}"


def targets_for(benchmark: str, errors: pd.Series) -> tuple[float, ...]:
    if benchmark in TARGETS:
        return TARGETS[benchmark]
    best = float(errors.min()) if len(errors) else math.nan
    return (round(best / 2, 4),) if math.isfinite(best) and best > 0 else ()


def _convert(converter: Converter | None, log10_flops: float, kind: str) -> dict[str, Any] | None:
    if converter is None or not math.isfinite(log10_flops) or log10_flops > 300:
        return None
    return converter(10.0**log10_flops, kind)


def extrapolations(fit: ScalingFit, targets: Sequence[float], converter: Converter | None) -> list[dict[str, Any]]:
    out = []
    for target in targets:
        ex = extrapolate(fit, target)
        row: dict[str, Any] = {"target_error": target, "log10_compute": ex.log10_compute, "log10_low": ex.low,
                               "log10_high": ex.high, "out_of_sample": is_out_of_sample(fit, ex.log10_compute)}
        # the range: the compute interval's ends, each at the utilisation that stretches it further
        for label, value in (("", ex.log10_compute), ("_low", ex.low), ("_high", ex.high)):
            conv = _convert(converter, value, fit.compute_kind or fit.x)
            row[f"cost_usd{label}"] = conv.get(f"usd{label}", conv["usd"]) if conv else None
            row[f"co2_kg{label}"] = conv.get(f"kg_co2e{label}", conv["kg_co2e"]) if conv else None
            if label == "" and conv:
                row["chip_hours"] = conv["chip_hours"]
                row["conversion"] = conv["basis"]
        out.append(row)
    return out


def _with_keys(used: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    keys = points.set_index("point_id")["paper_key"]
    return used.assign(paper_key=used["point_id"].map(keys).fillna(used["point_id"]))


def points_by_source(rows: pd.DataFrame, fit: ScalingFit) -> dict[str, int]:
    """How many of the fit's points each compute source gave (thompson, extracted, epoch)."""
    used = rows.loc[rows["point_id"].astype(str).isin(set(fit.row_ids)), "source"]
    return {str(k): int(v) for k, v in sorted(used.value_counts().items())}


def run_regression(points: pd.DataFrame, selection: Selection, *, forms: Sequence[str] = FORMS,
                   draws: int = DRAWS, seed: int = SEED, converter: Converter | None = None) -> Regression:
    """Fit every benchmark of the selection; a benchmark with too few points is skipped (logged)."""
    chosen = select_points(points, selection)
    chosen[selection.x] = chosen["compute"]
    result = Regression(selection, chosen)
    for benchmark in sorted(chosen["benchmark"].dropna().unique()):
        rows = chosen.loc[chosen["benchmark"] == benchmark]
        fitted: dict[str, ScalingFit] = {}
        for form in forms:
            try:
                fitted[form] = fit_scaling(rows, benchmark=benchmark, form=form, x=selection.x,
                                           compute_kind=selection.x)
            except InsufficientDataError:
                continue
        if not fitted:
            continue
        used = _with_keys(usable_points(rows, benchmark=benchmark, x=selection.x, compute_kind=selection.x), rows)
        comparison = compare_forms(used).to_dict() if len(fitted) == len(FORMS) and used["paper_key"].nunique() > 3 \
            else None
        for form, fit in fitted.items():
            extra: dict[str, Any] = {"comparison": comparison, "points_by_source": points_by_source(rows, fit)}
            if used["paper_key"].nunique() >= 3:
                extra["bootstrap"] = bootstrap_fit(used, form, draws=draws, seed=seed).to_dict()
                extra["influence"] = [i.to_dict() for i in leave_one_paper_out(used, form)[:TOP_INFLUENCE]]
            if form == POLYNOMIAL and fit.identified:
                extra["extrapolations"] = extrapolations(fit, targets_for(benchmark, used["error"]), converter)
            result.fits.append(fit)
            result.extras[fit_key(fit)] = extra
    return result
