"""How far to trust a scaling fit: paper-level bootstrap, leave-one-paper-out influence, form comparison.

Points from one paper share its training setup, its compute accounting and often its authors'
reporting habits, so they are not independent draws: OLS standard errors that treat them as
independent are too narrow when a few papers contribute many points. Everything here therefore
resamples or holds out whole papers (the ``paper_key`` column), never single points.

Input frames are ``analysis.scaling.usable_points(...)`` plus a ``paper_key`` column; only the
columns ``log10_compute``, ``error`` and ``paper_key`` are read. The response of each form is the
one ``analysis.scaling`` fits (polynomial: log10(error); exponential: 1/error).

All refits are closed-form OLS of the response on log10(compute) from per-paper sufficient
statistics (count and sums of x, y, x², xy, with x and y centred on their overall means for
numerical stability), so a 1,000-draw bootstrap over 10,000 points is two small matrix products.
"""

from __future__ import annotations

import logging
import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.exceptions import AnalysisError, InsufficientDataError
from analysis.exponents import halving_multiplier, span_reason
from analysis.json_values import json_number
from analysis.scaling import EXPONENTIAL, FORMS, POLYNOMIAL
from analysis.scaling import _response as response_of

__all__ = [
    "DEFAULT_DRAWS",
    "DEFAULT_SEED",
    "BootstrapResult",
    "FormComparison",
    "Influence",
    "bootstrap_fit",
    "compare_forms",
    "leave_one_paper_out",
    "top_influences",
]

logger = logging.getLogger(__name__)

DEFAULT_DRAWS = 1000
DEFAULT_SEED = 20200712  # arXiv 2007.05558's submission date
_COLUMNS = ("log10_compute", "error", "paper_key")
_REL_SPREAD = 1e-12  # a sample whose x variance is below this share of the overall one has no spread
_TIE = 0.01  # forms whose held-out RMSEs differ by less than 1% are called a tie
_EXP_FLOOR = 0.5  # exponential predictions 1/error ≤ 0 are floored at half the smallest observed 1/error


def _json_dict(obj: Any) -> dict[str, Any]:
    return {k: (json_number(v) if isinstance(v, float) else v) for k, v in asdict(obj).items()}


@dataclass(frozen=True, slots=True)
class BootstrapResult:
    """Paper-level bootstrap of one form's OLS fit.

    ``slope``/``intercept`` are the full-data OLS estimates; ``*_low``/``*_high`` the 2.5th and
    97.5th percentiles over the ``draws_used`` non-degenerate draws (``degenerate`` draws had no
    spread in compute and were dropped); ``slope_se`` the standard deviation of the draws;
    ``share_negative`` the share of draws with slope < 0. Polynomial only: ``k = 1/|b|`` and the
    multiplier ``2**k`` that halves the error with percentile intervals over the draws (a draw
    with slope ≥ 0 counts as k = ∞); all None, with ``identified`` False and ``not_identified_reason``
    set, when the slope interval reaches 0 or k_high/k_low exceeds 10 (``analysis.exponents``). For
    the exponential form ``identified`` means the interval lies above 0.
    """

    form: str
    n_points: int
    n_papers: int
    draws: int
    draws_used: int
    degenerate: int
    seed: int
    slope: float
    slope_low: float
    slope_high: float
    slope_se: float
    intercept: float
    intercept_low: float
    intercept_high: float
    share_negative: float
    identified: bool
    k: float | None = None
    k_low: float | None = None
    k_high: float | None = None
    halving_multiplier: float | None = None
    halving_multiplier_low: float | None = None
    halving_multiplier_high: float | None = None
    not_identified_reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain values; non-finite floats as "inf"/"-inf"/"nan" so ``json.dumps(allow_nan=False)`` works."""
        return _json_dict(self)


@dataclass(frozen=True, slots=True)
class Influence:
    """The fit without one paper: ``delta = slope_without - slope_all`` (NaN when not estimable)."""

    paper_key: str
    n_points: int
    slope_without: float
    delta: float

    def to_dict(self) -> dict[str, Any]:
        """Plain values; non-finite floats as "inf"/"-inf"/"nan"."""
        return _json_dict(self)


@dataclass(frozen=True, slots=True)
class FormComparison:
    """Leave-one-paper-out prediction errors of the polynomial and exponential forms.

    ``rmse_log10_*`` is the RMSE of predicted log10(error) on held-out papers, ``rmse_error_*``
    that of the error itself; ``winner`` is the form with the lower log10 RMSE ("tie" within 1%).
    ``guarded`` counts exponential predictions with 1/error ≤ 0 that were floored (see
    ``compare_forms``); ``n_predicted`` the held-out points predicted by both forms.
    """

    n_points: int
    n_papers: int
    n_predicted: int
    rmse_log10_polynomial: float
    rmse_log10_exponential: float
    rmse_error_polynomial: float
    rmse_error_exponential: float
    guarded: int
    winner: str
    statement: str

    def to_dict(self) -> dict[str, Any]:
        """Plain values; non-finite floats as "inf"/"-inf"/"nan"."""
        return _json_dict(self)


@dataclass(frozen=True, slots=True)
class _PaperStats:
    """Per-paper sufficient statistics on centred x and y (columns n, Σx, Σy, Σx², Σxy)."""

    keys: np.ndarray  # paper keys, one per row of ``table``
    codes: np.ndarray  # paper index of every point
    table: np.ndarray  # shape (papers, 5)
    x_mean: float
    y_mean: float
    x_var: float  # overall variance of x, the scale for "no spread"


def _check_form(form: str) -> None:
    if form not in FORMS:
        raise AnalysisError("unknown regression form", form=form, forms=FORMS)


def _arrays(points: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    missing = [c for c in _COLUMNS if c not in points.columns]
    if missing:
        raise AnalysisError("points frame lacks columns", missing=missing)
    x = pd.to_numeric(points["log10_compute"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    error = pd.to_numeric(points["error"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    keys = points["paper_key"].astype(str).to_numpy()
    ok = np.isfinite(x) & np.isfinite(error) & (error > 0) & points["paper_key"].notna().to_numpy()
    if not ok.all():
        raise AnalysisError("points need finite log10_compute, positive error and a paper_key", bad=int((~ok).sum()))
    return x, error, keys


def _paper_stats(x: np.ndarray, y: np.ndarray, keys: np.ndarray) -> _PaperStats:
    if len(x) < 3:
        raise InsufficientDataError("too few points", n=len(x), min_points=3)
    codes, uniques = pd.factorize(keys, sort=True)
    x_mean, y_mean = float(x.mean()), float(y.mean())
    xc, yc = x - x_mean, y - y_mean
    papers = len(uniques)
    table = np.column_stack(
        [np.bincount(codes, weights=w, minlength=papers) for w in (np.ones_like(xc), xc, yc, xc * xc, xc * yc)]
    )
    x_var = float(xc.var())
    if x_var == 0.0:
        raise InsufficientDataError("compute has no spread", n=len(x))
    return _PaperStats(np.asarray(uniques, dtype=str), codes, table, x_mean, y_mean, x_var)


def _solve(sums: np.ndarray, stats: _PaperStats) -> tuple[np.ndarray, np.ndarray]:
    """OLS (slope, intercept) in original units from rows of (n, Σx, Σy, Σx², Σxy); NaN without spread."""
    n, sx, sy, sxx, sxy = (sums[..., i] for i in range(5))
    with np.errstate(divide="ignore", invalid="ignore"):
        sxx_c = sxx - sx * sx / n  # n·var(x) of the sample
        sxy_c = sxy - sx * sy / n
        spread = (n > 1) & (sxx_c > _REL_SPREAD * stats.x_var * n)
        slope = np.where(spread, sxy_c / sxx_c, np.nan)
        intercept_c = np.where(spread, (sy - slope * sx) / n, np.nan)
    return slope, intercept_c + stats.y_mean - slope * stats.x_mean


def _percentiles(values: np.ndarray) -> tuple[float, float]:
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def bootstrap_fit(
    points: pd.DataFrame, form: str, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED
) -> BootstrapResult:
    """Paper-level (cluster) bootstrap of the OLS fit of ``form`` on ``points``.

    Each draw picks as many papers as there are, with replacement, and keeps all their points; the
    draw's OLS slope follows from the summed per-paper statistics, weighted by how often each paper
    was drawn (a draws × papers count matrix). Same ``seed``, same numbers. Draws without spread in
    compute are dropped and counted. Raises ``InsufficientDataError`` with fewer than 3 points,
    2 papers or no spread in compute, ``AnalysisError`` for a bad form, frame or ``draws``.
    """
    _check_form(form)
    if draws < 2:
        raise AnalysisError("a bootstrap needs at least 2 draws", draws=draws)
    x, error, keys = _arrays(points)
    stats = _paper_stats(x, response_of(form, error), keys)
    papers = len(stats.keys)
    if papers < 2:
        raise InsufficientDataError("a paper-level bootstrap needs at least 2 papers", papers=papers)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, papers, size=(draws, papers))
    offsets = (np.arange(draws) * papers)[:, None]
    weights = np.bincount((picks + offsets).ravel(), minlength=draws * papers).reshape(draws, papers)
    slopes, intercepts = _solve(weights.astype(float) @ stats.table, stats)
    full_slope, full_intercept = (float(v) for v in _solve(stats.table.sum(axis=0), stats))
    ok = np.isfinite(slopes)
    degenerate = int((~ok).sum())
    if ok.sum() < 2:
        raise InsufficientDataError("fewer than 2 bootstrap draws have spread in compute", degenerate=degenerate)
    slopes, intercepts = slopes[ok], intercepts[ok]
    slope_low, slope_high = _percentiles(slopes)
    intercept_low, intercept_high = _percentiles(intercepts)
    identified, reason, derived = _bootstrap_identification(form, slopes, full_slope, slope_low, slope_high)
    result = BootstrapResult(
        form=form, n_points=len(x), n_papers=papers, draws=draws, draws_used=int(ok.sum()), degenerate=degenerate,
        seed=seed, slope=full_slope, slope_low=slope_low, slope_high=slope_high, slope_se=float(slopes.std(ddof=1)),
        intercept=full_intercept, intercept_low=intercept_low, intercept_high=intercept_high,
        share_negative=float((slopes < 0.0).mean()), identified=bool(identified), not_identified_reason=reason,
        **derived,
    )
    if degenerate:
        logger.warning("%s bootstrap: %d of %d draws had no spread in compute (dropped)", form, degenerate, draws)
    logger.info("%s bootstrap over %d papers (%d points): slope %.4g [%.4g, %.4g]", form, papers, len(x),
                full_slope, slope_low, slope_high)
    return result


def _bootstrap_identification(form: str, slopes: np.ndarray, full_slope: float, slope_low: float,
                              slope_high: float) -> tuple[bool, str | None, dict[str, float | None]]:
    """Whether the bootstrap interval identifies the slope (the scaling fit's rule, analysis.exponents),
    why not, and for an identified polynomial fit k and the compute to halve the error with their ranges."""
    if form != POLYNOMIAL:
        identified = slope_low > 0.0
        return identified, None if identified else "slope interval not entirely above zero", {}
    if not slope_high < 0.0:
        return False, "slope interval not entirely below zero", {}
    with np.errstate(divide="ignore"):
        k_draws = np.where(slopes < 0.0, -1.0 / slopes, np.inf)
    k_low, k_high = _percentiles(k_draws)
    reason = span_reason(k_low, k_high)
    if reason is not None:
        return False, reason, {}
    k = 1.0 / abs(full_slope)
    return True, None, {"k": k, "k_low": k_low, "k_high": k_high, **{
        f"halving_multiplier{end}": halving_multiplier(v) for end, v in (("", k), ("_low", k_low), ("_high", k_high))}}


def _without_each(stats: _PaperStats) -> tuple[np.ndarray, np.ndarray]:
    """(slope, intercept) of the fit without each paper, one per paper."""
    return _solve(stats.table.sum(axis=0)[None, :] - stats.table, stats)


def leave_one_paper_out(points: pd.DataFrame, form: str) -> list[Influence]:
    """The slope of ``form`` refitted without each paper, most influential first (by |delta|).

    A paper whose removal leaves no spread in compute gets NaN and sorts last. Raises
    ``InsufficientDataError`` with fewer than 3 points or no spread in compute.
    """
    _check_form(form)
    x, error, keys = _arrays(points)
    stats = _paper_stats(x, response_of(form, error), keys)
    slope_all = float(_solve(stats.table.sum(axis=0), stats)[0])
    slopes, _ = _without_each(stats)
    deltas = slopes - slope_all
    order = np.lexsort((stats.keys, -np.nan_to_num(np.abs(deltas), nan=-1.0)))
    return [
        Influence(str(stats.keys[i]), int(stats.table[i, 0]), float(slopes[i]), float(deltas[i])) for i in order
    ]


def top_influences(influences: list[Influence] | list[dict[str, Any]], count: int = 3) -> str:
    """The ``count`` most influential papers as text: "2001.00001 (Δb = +0.0123, 40 points); …"."""
    parts = []
    for item in influences[:count]:
        row = item.to_dict() if isinstance(item, Influence) else item
        delta = row.get("delta")
        shown = f"{float(delta):+.4f}" if isinstance(delta, int | float) and math.isfinite(delta) else "n/a"
        n = row.get("n_points")
        parts.append(f"{row.get('paper_key')} (Δb = {shown}, {n} point{'' if n == 1 else 's'})")
    return "; ".join(parts) if parts else "none"


def _rmse(residuals: np.ndarray) -> float:
    return float(np.sqrt(np.mean(residuals**2))) if len(residuals) else math.nan


def compare_forms(points: pd.DataFrame) -> FormComparison:
    """Which form predicts papers it has not seen better: polynomial or exponential.

    The two forms are fitted on different responses (log10(error) and 1/error), so their R² and
    residuals are on different scales and cannot be compared. Instead each form is refitted without
    each paper in turn and its prediction for that paper's points is back-transformed to an error
    (polynomial ``10**ŷ``, exponential ``1/ŷ``); both are scored on the same scale, the RMSE of
    log10(error) (errors span orders of magnitude and the headline is about ratios), with the RMSE
    of the error itself reported beside it. Holding out whole papers, not points, keeps a paper's
    other points from vouching for it. The exponential form can predict ``1/error ≤ 0`` (an
    impossible, unbounded error) far from the data; such predictions are floored at half the
    smallest observed 1/error (at most twice the worst observed error) and counted in ``guarded``.
    Raises ``InsufficientDataError`` with fewer than 3 points, 2 papers or no spread in compute.
    """
    x, error, keys = _arrays(points)
    log_error = np.log10(error)
    predictions: dict[str, np.ndarray] = {}
    guarded = 0
    for form in (POLYNOMIAL, EXPONENTIAL):
        y = response_of(form, error)
        stats = _paper_stats(x, y, keys)
        if len(stats.keys) < 2:
            raise InsufficientDataError("comparing forms needs at least 2 papers", papers=len(stats.keys))
        slopes, intercepts = _without_each(stats)
        y_hat = intercepts[stats.codes] + slopes[stats.codes] * x
        if form == POLYNOMIAL:
            predictions[form] = y_hat
        else:
            floor = _EXP_FLOOR * float(y.min())
            low = np.isfinite(y_hat) & (y_hat <= floor)
            guarded = int(low.sum())
            # log10 of the predicted error, 1/ŷ, with ŷ floored
            predictions[form] = -np.log10(np.where(low, floor, y_hat))
    ok = np.isfinite(predictions[POLYNOMIAL]) & np.isfinite(predictions[EXPONENTIAL])
    rmse_log = {f: _rmse(predictions[f][ok] - log_error[ok]) for f in predictions}
    rmse_err = {f: _rmse(10.0 ** predictions[f][ok] - error[ok]) for f in predictions}
    poly, expo = rmse_log[POLYNOMIAL], rmse_log[EXPONENTIAL]
    winner = _winner(poly, expo)
    comparison = FormComparison(
        n_points=len(x),
        n_papers=len(np.unique(keys)),
        n_predicted=int(ok.sum()),
        rmse_log10_polynomial=poly,
        rmse_log10_exponential=expo,
        rmse_error_polynomial=rmse_err[POLYNOMIAL],
        rmse_error_exponential=rmse_err[EXPONENTIAL],
        guarded=guarded,
        winner=winner,
        statement=_statement(poly, expo, winner),
    )
    logger.info("form comparison: %s", comparison.statement)
    return comparison


def _winner(poly: float, expo: float) -> str:
    if not (math.isfinite(poly) and math.isfinite(expo)):
        return "undetermined"
    if abs(poly - expo) <= _TIE * max(poly, expo):
        return "tie"
    return POLYNOMIAL if poly < expo else EXPONENTIAL


def _statement(poly: float, expo: float, winner: str) -> str:
    if winner == "undetermined":
        return "No held-out paper could be predicted by both forms: the forms are not compared."
    if winner == "tie":
        return (
            f"The polynomial and exponential forms predict held-out papers' log10 error equally well "
            f"(RMSE {poly:.3f} vs {expo:.3f}): the data do not choose between them."
        )
    first, second = (poly, expo) if winner == POLYNOMIAL else (expo, poly)
    other = EXPONENTIAL if winner == POLYNOMIAL else POLYNOMIAL
    return (
        f"The {winner} form predicts held-out papers' log10 error with RMSE {first:.3f} vs {second:.3f} "
        f"for the {other}: the {winner} fits better."
    )
