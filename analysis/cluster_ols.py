"""OLS with a paper-level (cluster) bootstrap, for any small number of regressors.

`analysis.uncertainty.bootstrap_fit` does this for the scaling fit (error on compute, one regressor);
the trend fits regress log10(compute) on the year, and the algorithmic-progress fit on the year and
log10(error), so this module generalises its method: per cluster (paper) the sufficient statistics
X'X and X'y of the centred design; each draw picks as many clusters as there are, with replacement,
weights their statistics by how often each was drawn, and solves the normal equations. Same seed,
same numbers. Draws whose design is singular (e.g. every drawn paper from one date) are dropped and
counted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.exceptions import AnalysisError, InsufficientDataError

__all__ = ["ClusterFit", "fit_clustered"]

_SINGULAR = 1e-10  # a draw whose normal matrix has a relative determinant below this is degenerate


@dataclass(frozen=True, slots=True)
class ClusterFit:
    """OLS coefficients (intercept first) and the bootstrap draws of each (draws_used × coefficients)."""

    coefficients: np.ndarray
    draws: np.ndarray
    n: int
    clusters: int
    r2: float
    draws_asked: int
    seed: int

    @property
    def draws_used(self) -> int:
        return int(self.draws.shape[0])

    def interval(self, index: int, level: float = 0.90) -> tuple[float, float]:
        """The percentile interval of coefficient ``index`` at ``level`` (0.90: 5th and 95th percentiles)."""
        tail = 100.0 * (1.0 - level) / 2.0
        low, high = np.percentile(self.draws[:, index], [tail, 100.0 - tail])
        return float(low), float(high)


def _centred(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    x_mean = x.mean(axis=0)
    y_mean = float(y.mean())
    design = np.column_stack([np.ones(len(y)), x - x_mean])
    return design, y - y_mean, x_mean, y_mean


def _uncentre(beta: np.ndarray, x_mean: np.ndarray, y_mean: float) -> np.ndarray:
    """Coefficients of the centred design back to (intercept, slopes...) in original units."""
    slopes = beta[..., 1:]
    intercept = beta[..., 0] + y_mean - slopes @ x_mean
    return np.concatenate([intercept[..., None], slopes], axis=-1)


def _solve_draws(xtx: np.ndarray, xty: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve each draw's normal equations; (betas, ok) with ok False where the draw is singular."""
    scale = np.prod(np.diagonal(xtx, axis1=1, axis2=2), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        relative = np.abs(np.linalg.det(xtx)) / np.where(scale > 0, scale, np.nan)
    ok = np.isfinite(relative) & (relative > _SINGULAR)
    safe = np.where(ok[:, None, None], xtx, np.eye(xtx.shape[1])[None, :, :])
    betas = np.linalg.solve(safe, xty[..., None])[..., 0]
    return betas, ok


def fit_clustered(x: np.ndarray, y: np.ndarray, clusters: np.ndarray, *, draws: int, seed: int,
                  min_points: int = 3) -> ClusterFit:
    """OLS of ``y`` on the columns of ``x`` (an intercept is added) and its cluster bootstrap.

    Raises `InsufficientDataError` with fewer than ``min_points`` rows, fewer than 2 clusters, a
    singular design, or fewer than 2 usable draws; `AnalysisError` for mismatched inputs."""
    y = np.asarray(y, dtype=float)
    x = np.asarray(x, dtype=float)
    x = x.reshape(len(y), -1) if x.size else np.zeros((len(y), max(x.ndim - 1, 1)))
    if draws < 2:
        raise AnalysisError("a bootstrap needs at least 2 draws", draws=draws)
    if not (np.isfinite(x).all() and np.isfinite(y).all()) or len(clusters) != len(y):
        raise AnalysisError("regression inputs must be finite and of one length", n=len(y))
    if len(y) < max(min_points, x.shape[1] + 1):
        raise InsufficientDataError("too few points", n=len(y), min_points=max(min_points, x.shape[1] + 1))
    codes, uniques = pd.factorize(pd.Series(clusters).astype(str), sort=True)
    if len(uniques) < 2:
        raise InsufficientDataError("a paper-level bootstrap needs at least 2 papers", papers=len(uniques))
    design, yc, x_mean, y_mean = _centred(x, y)
    k = design.shape[1]
    outer = np.einsum("ni,nj->nij", design, design).reshape(len(y), k * k)
    per_xtx = np.stack([np.bincount(codes, weights=outer[:, j], minlength=len(uniques)) for j in range(k * k)], 1)
    per_xty = np.stack([np.bincount(codes, weights=design[:, j] * yc, minlength=len(uniques)) for j in range(k)], 1)
    full, ok_full = _solve_draws(per_xtx.sum(axis=0).reshape(1, k, k), per_xty.sum(axis=0)[None, :])
    if not ok_full[0]:
        raise InsufficientDataError("the regressors have no spread", n=len(y))
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(uniques), size=(draws, len(uniques)))
    offsets = (np.arange(draws) * len(uniques))[:, None]
    weights = np.bincount((picks + offsets).ravel(), minlength=draws * len(uniques)).reshape(draws, len(uniques))
    betas, ok = _solve_draws((weights @ per_xtx).reshape(draws, k, k), weights @ per_xty)
    if ok.sum() < 2:
        raise InsufficientDataError("fewer than 2 bootstrap draws have spread in the regressors", draws=draws)
    residual = yc - design @ full[0]
    total = float(yc @ yc)
    r2 = 1.0 - float(residual @ residual) / total if total > 0 else float("nan")
    return ClusterFit(coefficients=_uncentre(full[0], x_mean, y_mean), draws=_uncentre(betas[ok], x_mean, y_mean),
                      n=len(y), clusters=len(uniques), r2=r2, draws_asked=draws, seed=seed)
