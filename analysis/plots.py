"""Figures for the report: log-log error vs compute with each fitted line and its 95% band.

Uses matplotlib's object API with the Agg canvas (no pyplot, no global backend switch), so it is
safe in worker threads and headless runs. Never refits: lines and bands come from the fits.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from analysis.errors import resolve_errors
from analysis.scaling import POLYNOMIAL, ScalingFit, mean_band

logger = logging.getLogger(__name__)

_STYLE = {POLYNOMIAL: ("tab:blue", "-"), "exponential": ("tab:orange", "--")}


def figure_name(benchmark: str) -> str:
    """The PNG file name of a benchmark (unsafe characters replaced by "_")."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", benchmark) + ".png"


def _points_of(row_ids: set[str], x: str, kind: str, points: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    if "point_id" not in points.columns or x not in points.columns:
        return np.array([]), np.array([])
    rows = points.loc[points["point_id"].astype(str).isin(row_ids)]
    if kind and "compute_kind" in rows.columns:
        rows = rows.loc[rows["compute_kind"] == kind]
    rows = rows.drop_duplicates(subset="point_id")
    if len(rows) != len(row_ids):
        logger.warning("%d of %d fitted points found in the frame", len(rows), len(row_ids))
    compute = pd.to_numeric(rows[x], errors="coerce").to_numpy(dtype=float)
    error = resolve_errors(rows).to_numpy(dtype=float)
    ok = np.isfinite(compute) & (compute > 0) & np.isfinite(error) & (error > 0)
    return compute[ok], error[ok]


def _draw_fit(ax: Axes, fit: ScalingFit) -> None:
    xs = np.linspace(fit.x_min, fit.x_max, 200)
    y, lo, hi = mean_band(fit, xs)
    color, style = _STYLE.get(fit.form, ("tab:gray", ":"))
    if fit.form == POLYNOMIAL:
        line, band_lo, band_hi = 10.0**y, 10.0**lo, 10.0**hi
        label = f"polynomial: b = {fit.slope:.4f}"
        if fit.k is not None:
            label += f", k = {fit.k:.2f}"
    else:
        # 1/error = y; only where the response is positive is there an error to draw.
        with np.errstate(divide="ignore", invalid="ignore"):
            line = np.where(y > 0, 1.0 / y, np.nan)
            band_lo = np.where(hi > 0, 1.0 / hi, np.nan)
            band_hi = np.where(lo > 0, 1.0 / lo, np.nan)
        label = f"exponential: c = {fit.slope:.4f}"
    compute = 10.0**xs
    ax.plot(compute, line, color=color, linestyle=style, label=f"{label} (R² = {fit.r2:.3f})")
    ax.fill_between(compute, band_lo, band_hi, color=color, alpha=0.15, linewidth=0)


def plot_benchmark(fits: Sequence[ScalingFit], points: pd.DataFrame, path: Path, *, dpi: int = 100) -> Path:
    """One PNG for one benchmark's fits: one panel per compute kind; returns ``path``."""
    if not fits:
        raise ValueError("plot_benchmark needs at least one fit")
    benchmark = fits[0].benchmark
    panels: dict[tuple[str, str], list[ScalingFit]] = {}
    for fit in fits:
        panels.setdefault((fit.compute_kind or "", fit.x), []).append(fit)
    fig = Figure(figsize=(6.4 * len(panels), 4.8), dpi=dpi)
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    for ax, ((kind, x), panel_fits) in zip(axes, sorted(panels.items()), strict=True):
        row_ids = {pid for fit in panel_fits for pid in fit.row_ids}
        compute, error = _points_of(row_ids, x, kind, points)
        if len(compute):
            ax.scatter(
                compute, error, s=18, color="black", alpha=0.7, zorder=3, label=f"points (n = {len(compute)})"
            )
        for fit in panel_fits:
            _draw_fit(ax, fit)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(f"{kind or x} (FLOPs)")
        ax.set_ylabel("error")
        ax.set_title(f"{benchmark}: error vs {kind or x}")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize="small")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", metadata={"Software": None})
    return path
