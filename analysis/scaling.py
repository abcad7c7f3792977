"""Compute-vs-error scaling fits (METHODOLOGY §5) and their derived quantities (§6).

Forms, OLS through ``statsmodels.formula.api.ols`` on per-model rows:

* ``polynomial``: ``log10(error) = a + b·log10(C)``; implied exponent ``k = 1/|b|`` and the compute
  multiplier to halve the error ``2**k``, with bounds from the slope's 95% CI edges.
* ``exponential``: ``1/error = a + c·log10(C)``; no constant exponent, halving error ``e`` adds
  ``1/(c·e)`` decades of compute (``exponential_halving_decades``).

Pure: a points frame in, frozen ``ScalingFit`` values out.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import MISSING, asdict, dataclass, fields, replace
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

from analysis.error_rates import headline_metric, resolve_errors, select_headline
from analysis.exceptions import AnalysisError, InsufficientDataError
from analysis.exponents import MAX_EXPONENT_SPAN, halving_multiplier, identification, implied_exponents

__all__ = [
    "FORMS",
    "AnalysisError",
    "Extrapolation",
    "InsufficientDataError",
    "MAX_EXPONENT_SPAN",
    "ScalingFit",
    "exponential_halving_decades",
    "extrapolate",
    "fit_all",
    "fit_scaling",
    "halving_multiplier",
    "identification",
    "implied_exponents",
    "is_out_of_sample",
    "mean_band",
    "usable_points",
]

logger = logging.getLogger(__name__)

POLYNOMIAL = "polynomial"
EXPONENTIAL = "exponential"
FORMS: tuple[str, ...] = (POLYNOMIAL, EXPONENTIAL)
MIN_POINTS = 3
_REQUIRED = ("point_id", "benchmark", "metric", "score")


@dataclass(frozen=True, slots=True)
class ScalingFit:
    """One OLS fit of one benchmark, form and compute variable.

    ``x`` is the points column used as compute; ``compute_kind`` its kind (e.g. hardware_burden);
    ``metric`` the headline measure fitted. ``x_mean``/``x_min``/``x_max`` are in log10(compute);
    ``intercept_se``, ``cov_intercept_slope`` and ``df_resid`` let a report draw the confidence
    band without refitting. ``k``/``halving_multiplier`` and their bounds are None unless the
    form is polynomial and the fit is identified (``identification``: slope CI entirely below 0 and
    k_high/k_low at most ``MAX_EXPONENT_SPAN``); ``not_identified_reason`` then says why not.
    """

    benchmark: str
    form: str
    x: str
    n: int
    intercept: float
    slope: float
    se: float
    ci_low: float
    ci_high: float
    r2: float
    p_value: float
    k: float | None
    k_low: float | None
    k_high: float | None
    halving_multiplier: float | None
    halving_multiplier_low: float | None
    halving_multiplier_high: float | None
    identified: bool
    row_ids: tuple[str, ...]
    compute_kind: str | None = None
    metric: str | None = None
    intercept_se: float = math.nan
    cov_intercept_slope: float = math.nan
    df_resid: int = 0
    x_mean: float = math.nan
    x_min: float = math.nan
    x_max: float = math.nan
    not_identified_reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain Python values (``row_ids`` as a list); floats may be inf or NaN."""
        data = asdict(self)
        data["row_ids"] = list(self.row_ids)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScalingFit:
        """Inverse of ``to_dict``; also accepts "inf"/"nan" strings for floats. Extra keys are ignored.

        A polynomial fit stored before ``not_identified_reason`` existed is judged again by
        ``identification`` (an old record may carry k for an exponent the data do not pin down).
        """
        names = {f.name for f in fields(cls)}
        required = {f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING}
        missing = sorted(required - set(data))
        if missing:
            raise AnalysisError("fit dict lacks fields", missing=missing)
        values: dict[str, Any] = {}
        for name in names & set(data):
            value = data[name]
            if name in _INT_FIELDS:
                values[name] = int(value)
            elif name == "identified":
                values[name] = bool(value)
            elif name == "row_ids":
                values[name] = tuple(str(v) for v in value)
            elif name in _STR_FIELDS:
                values[name] = None if value is None else str(value)
            else:
                values[name] = None if value is None else float(value)
        fit = cls(**values)
        if "not_identified_reason" not in data and fit.form == POLYNOMIAL and fit.identified:
            identified, reason = identification(fit.slope, fit.ci_low, fit.ci_high)
            if not identified:
                fit = replace(fit, identified=False, not_identified_reason=reason, k=None, k_low=None,
                              k_high=None, halving_multiplier=None, halving_multiplier_low=None,
                              halving_multiplier_high=None)
        return fit


_INT_FIELDS = frozenset({"n", "df_resid"})
_STR_FIELDS = frozenset({"benchmark", "form", "x", "compute_kind", "metric", "not_identified_reason"})


class Extrapolation(NamedTuple):
    """log10 of the compute predicted for a target error, with the range from the slope CI edges."""

    log10_compute: float
    low: float
    high: float


def _as_float(values: pd.Series) -> np.ndarray:
    """Numbers as float64 (non-numbers and pd.NA become NaN), whatever the column's dtype."""
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _response(form: str, error: np.ndarray) -> np.ndarray:
    return np.log10(error) if form == POLYNOMIAL else 1.0 / error


def usable_points(
    points: pd.DataFrame, *, benchmark: str, x: str = "compute", compute_kind: str | None = None
) -> pd.DataFrame:
    """The rows a fit of ``benchmark`` uses, sorted by point_id.

    Columns ``point_id``, ``metric``, ``compute`` (the ``x`` column), ``error`` (given, else from
    the score) and ``log10_compute``. Keeps the headline metric only, the given ``compute_kind``
    (when None, the rows must not mix kinds), and finite positive compute and error.
    """
    missing = [c for c in (*_REQUIRED, x) if c not in points.columns]
    if missing:
        raise AnalysisError("points frame lacks columns", missing=missing)
    rows = points.loc[points["benchmark"] == benchmark]
    if "compute_kind" in rows.columns:
        if compute_kind is not None:
            rows = rows.loc[rows["compute_kind"] == compute_kind]
    elif compute_kind is not None:
        raise AnalysisError("points frame has no compute_kind column", compute_kind=compute_kind)
    rows = select_headline(rows)
    out = pd.DataFrame(
        {
            "point_id": rows["point_id"].astype(str),
            "metric": rows["metric"],
            "compute": _as_float(rows[x]),
            "error": resolve_errors(rows),
        },
        index=rows.index,
    )
    if "compute_kind" in rows.columns:
        out["compute_kind"] = rows["compute_kind"]
    ok = np.isfinite(out["compute"]) & (out["compute"] > 0) & np.isfinite(out["error"]) & (out["error"] > 0)
    if int((~ok).sum()):
        logger.debug(
            "%s: %d of %d headline rows unusable (compute or error)", benchmark, int((~ok).sum()), len(out)
        )
    out = out.loc[ok].copy()
    if compute_kind is None and "compute_kind" in out.columns:
        kinds = sorted({str(k) for k in out["compute_kind"].dropna()})
        if len(kinds) > 1:
            raise AnalysisError(
                "points mix compute kinds; pass compute_kind", benchmark=benchmark, kinds=kinds
            )
    if out["point_id"].duplicated().any():
        dupes = sorted(set(out.loc[out["point_id"].duplicated(), "point_id"]))[:5]
        raise AnalysisError("duplicate point_id among usable points", benchmark=benchmark, examples=dupes)
    out["log10_compute"] = np.log10(out["compute"].to_numpy(dtype=float))
    return out.sort_values("point_id", kind="mergesort")


def _identify(form: str, slope: float, ci_low: float, ci_high: float
              ) -> tuple[bool, str | None, tuple[float | None, float | None, float | None]]:
    """Whether a fit's slope is identified, why not, and (polynomial, identified) k with its range."""
    if form != POLYNOMIAL:
        identified = bool(ci_low > 0.0)
        return identified, None if identified else "slope CI not entirely above zero", (None, None, None)
    identified, reason = identification(slope, ci_low, ci_high)
    if not identified:
        return False, reason, (None, None, None)
    k, k_low, k_high, _ = implied_exponents(slope, ci_low, ci_high)
    return True, reason, (k, k_low, k_high)


def fit_scaling(
    points: pd.DataFrame,
    *,
    benchmark: str,
    form: str = POLYNOMIAL,
    x: str = "compute",
    compute_kind: str | None = None,
    min_points: int = MIN_POINTS,
) -> ScalingFit:
    """Fit one form (``polynomial`` or ``exponential``) for one benchmark by OLS.

    Raises ``InsufficientDataError`` (an ``AnalysisError``) with fewer than ``min_points`` usable
    points or no spread in compute, ``AnalysisError`` for an unknown form or a bad frame.
    """
    if form not in FORMS:
        raise AnalysisError("unknown regression form", form=form, forms=FORMS)
    if min_points < MIN_POINTS:
        raise AnalysisError("a fit with a CI needs at least 3 points", min_points=min_points)
    used = usable_points(points, benchmark=benchmark, x=x, compute_kind=compute_kind)
    n = len(used)
    if n < min_points:
        raise InsufficientDataError(
            "too few usable points", benchmark=benchmark, form=form, n=n, min_points=min_points
        )
    log_c = used["log10_compute"].to_numpy(dtype=float)
    if float(np.ptp(log_c)) == 0.0:
        raise InsufficientDataError("compute has no spread", benchmark=benchmark, form=form, n=n)
    frame = pd.DataFrame({"y": _response(form, used["error"].to_numpy(dtype=float)), "x": log_c})
    result = smf.ols("y ~ x", data=frame).fit()
    ci = result.conf_int(alpha=0.05)
    intercept, slope = float(result.params["Intercept"]), float(result.params["x"])
    ci_low, ci_high = float(ci.loc["x", 0]), float(ci.loc["x", 1])
    identified, reason, (k, k_low, k_high) = _identify(form, slope, ci_low, ci_high)
    kinds = sorted({str(v) for v in used["compute_kind"].dropna()}) if "compute_kind" in used else []
    fit = ScalingFit(
        benchmark=benchmark, form=form, x=x, n=n, intercept=intercept, slope=slope, se=float(result.bse["x"]),
        ci_low=ci_low, ci_high=ci_high, r2=float(result.rsquared), p_value=float(result.pvalues["x"]),
        k=k, k_low=k_low, k_high=k_high, halving_multiplier=halving_multiplier(k),
        halving_multiplier_low=halving_multiplier(k_low), halving_multiplier_high=halving_multiplier(k_high),
        identified=identified, not_identified_reason=reason, row_ids=tuple(used["point_id"]),
        compute_kind=compute_kind if compute_kind is not None else (kinds[0] if kinds else None),
        metric=headline_metric(benchmark, used["metric"].tolist()), intercept_se=float(result.bse["Intercept"]),
        cov_intercept_slope=float(result.cov_params().loc["Intercept", "x"]), df_resid=int(round(result.df_resid)),
        x_mean=float(log_c.mean()), x_min=float(log_c.min()), x_max=float(log_c.max()),
    )
    logger.info("%s %s on %s: n=%d slope=%.4g [%.4g, %.4g] r2=%.3f identified=%s %s", benchmark, form,
                fit.compute_kind or x, n, slope, ci_low, ci_high, fit.r2, identified, reason or "")
    return fit


def fit_all(
    points: pd.DataFrame,
    forms: Iterable[str] = FORMS,
    *,
    x: str = "compute",
    min_points: int = MIN_POINTS,
) -> list[ScalingFit]:
    """Every form for every benchmark (and compute kind) with at least ``min_points`` usable points.

    Benchmarks with too few points are skipped (logged), not an error. Order: benchmark, compute
    kind, then ``forms`` order.
    """
    forms = tuple(forms)
    fits: list[ScalingFit] = []
    if points.empty:
        return fits
    for benchmark in sorted({str(b) for b in points["benchmark"].dropna()}):
        rows = points.loc[points["benchmark"] == benchmark]
        kinds: list[str | None] = []
        if "compute_kind" in rows.columns:
            kinds = [*sorted({str(k) for k in rows["compute_kind"].dropna()})]
        for kind in kinds or [None]:
            for form in forms:
                try:
                    fits.append(
                        fit_scaling(
                            rows,
                            benchmark=benchmark,
                            form=form,
                            x=x,
                            compute_kind=kind,
                            min_points=min_points,
                        )
                    )
                except InsufficientDataError as exc:
                    logger.info("skipped: %s", exc)
    return fits


def _check_error(target_error: float) -> float:
    value = float(target_error)
    if not (math.isfinite(value) and value > 0.0):
        raise AnalysisError("target error must be finite and positive", target_error=target_error)
    return value


def extrapolate(fit: ScalingFit, target_error: float) -> Extrapolation:
    """log10 of the compute at which the fit reaches ``target_error`` (METHODOLOGY §6).

    Polynomial: ``(log10 e* - a)/b``; exponential: ``(1/e* - a)/c``. The range evaluates the
    slope's 95% CI edges with the line pivoting on the data centroid (OLS lines pass through it),
    so it widens with the distance from the data. Not identified: range ``(-inf, inf)``. The result
    is out-of-sample unless ``is_out_of_sample`` says otherwise; for AlexNet-normalised compute,
    add log10 of AlexNet's value.
    """
    e_star = _check_error(target_error)
    if fit.slope == 0.0:
        raise AnalysisError("slope is zero: no compute reaches a different error", benchmark=fit.benchmark)
    y_star = math.log10(e_star) if fit.form == POLYNOMIAL else 1.0 / e_star
    central = (y_star - fit.intercept) / fit.slope
    if not fit.identified:
        logger.warning("%s %s: not identified, extrapolation range unbounded", fit.benchmark, fit.form)
        return Extrapolation(central, -math.inf, math.inf)
    y_mean = fit.intercept + fit.slope * fit.x_mean
    edges = [fit.x_mean + (y_star - y_mean) / b for b in (fit.ci_low, fit.ci_high)]
    return Extrapolation(central, min(edges), max(edges))


def is_out_of_sample(fit: ScalingFit, log10_compute: float) -> bool:
    """True when ``log10_compute`` lies outside the compute range the fit saw."""
    return not (fit.x_min <= log10_compute <= fit.x_max)


def exponential_halving_decades(fit: ScalingFit, error: float) -> float | None:
    """Decades of compute an exponential fit needs to halve ``error``: ``1/(c·e)``; else None."""
    if fit.form != EXPONENTIAL or not fit.identified:
        return None
    return 1.0 / (fit.slope * _check_error(error))


def mean_band(fit: ScalingFit, log10_compute: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fitted response and its 95% confidence band (for the mean) at ``log10_compute``.

    Response space: log10(error) for polynomial fits, 1/error for exponential. The t critical
    value is recovered from the stored slope CI, so the band matches the reported interval.
    """
    xs = np.asarray(log10_compute, dtype=float)
    y = fit.intercept + fit.slope * xs
    t_crit = (fit.ci_high - fit.slope) / fit.se if fit.se > 0 else 0.0
    var = fit.intercept_se**2 + 2.0 * xs * fit.cov_intercept_slope + xs**2 * fit.se**2
    half = t_crit * np.sqrt(np.clip(var, 0.0, None))
    return y, y - half, y + half
