"""Figures for the report: log-log error vs compute with each fitted line and its 95% band, and beside it
the extrapolations to target errors on their own axes (so the data keep the whole of the first panel).

Uses matplotlib's object API with the Agg canvas (no pyplot, no global backend switch), so it is
safe in worker threads and headless runs. Never refits: lines and bands come from the fits.

Encoding: marker shape = the point's compute source (points column ``source``), fill colour =
its year (``year``, viridis with a colour bar; grey when unknown). The polynomial fit is a solid
red line with its 95% band, the exponential a dashed grey line. In the extrapolation panel the fitted
compute range is shaded and the line continues dashed to a star per target error, with the 95% range
as a horizontal bar.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import LogFormatterSciNotation, MaxNLocator

from analysis.error_rates import resolve_errors
from analysis.scaling import POLYNOMIAL, ScalingFit, mean_band

logger = logging.getLogger(__name__)

_STYLE = {POLYNOMIAL: ("#c0392b", "-"), "exponential": ("#555555", "--")}
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "h")
_NO_YEAR = "#bbbbbb"
_CMAP = colormaps["viridis"]
_RANGE_CLIP = 4.0  # decades either side of an extrapolation drawn before its range bar is clipped
_MARGIN = 0.05  # share of the data's compute span left either side of the data panel

Extrapolations = Mapping[str, Sequence[Mapping[str, Any]]]


def figure_name(benchmark: str) -> str:
    """The PNG file name of a benchmark (unsafe characters replaced by "_")."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", benchmark) + ".png"


def fit_key(fit: ScalingFit) -> str:
    """The key of a fit in a report's ``extras``: ``"benchmark/form/x"``."""
    return f"{fit.benchmark}/{fit.form}/{fit.x}"


def fitted_points(fits: Sequence[ScalingFit], points: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``points`` the fits used, as columns compute, error, source, year (usable rows only).

    ``source`` is "points" and ``year`` NaN where the frame lacks those columns. All fits must
    share one compute column ``x`` and kind.
    """
    empty = pd.DataFrame({"compute": [], "error": [], "source": [], "year": []})
    if not fits:
        return empty
    x, kind = fits[0].x, fits[0].compute_kind or ""
    row_ids = {pid for fit in fits for pid in fit.row_ids}
    if "point_id" not in points.columns or x not in points.columns:
        return empty
    rows = points.loc[points["point_id"].astype(str).isin(row_ids)]
    if kind and "compute_kind" in rows.columns:
        rows = rows.loc[rows["compute_kind"] == kind]
    rows = rows.drop_duplicates(subset="point_id")
    if len(rows) != len(row_ids):
        logger.warning("%d of %d fitted points found in the frame", len(rows), len(row_ids))
    out = pd.DataFrame(
        {
            "compute": pd.to_numeric(rows[x], errors="coerce").to_numpy(dtype=float, na_value=np.nan),
            "error": resolve_errors(rows).to_numpy(dtype=float),
            "source": rows["source"].fillna("unknown").astype(str).to_numpy()
            if "source" in rows.columns
            else "points",
            "year": pd.to_numeric(rows["year"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            if "year" in rows.columns
            else np.nan,
        }
    )
    ok = np.isfinite(out["compute"]) & (out["compute"] > 0) & np.isfinite(out["error"]) & (out["error"] > 0)
    return out.loc[ok].reset_index(drop=True)


def _to_error(fit: ScalingFit, response: np.ndarray) -> np.ndarray:
    if fit.form == POLYNOMIAL:
        return np.power(10.0, response)
    # 1/error = response; only where the response is positive is there an error to draw.
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(response > 0, 1.0 / response, np.nan)


def _draw_fit(ax: Axes, fit: ScalingFit) -> None:
    xs = np.linspace(fit.x_min, fit.x_max, 200)
    y, lo, hi = mean_band(fit, xs)
    color, style = _STYLE.get(fit.form, ("tab:gray", ":"))
    if fit.form == POLYNOMIAL:
        label = f"polynomial: b = {fit.slope:.4f}"
        if fit.k is not None:
            label += f", k = {fit.k:.2f}"
        label += f", R² = {fit.r2:.3f}, 95% band"
        ax.fill_between(10.0**xs, _to_error(fit, lo), _to_error(fit, hi), color=color, alpha=0.18, linewidth=0)
        width = 2.0
    else:
        label = f"exponential: c = {fit.slope:.4f}, R² = {fit.r2:.3f}"
        width = 1.3
    ax.plot(10.0**xs, _to_error(fit, y), color=color, linestyle=style, linewidth=width, label=label, zorder=4)


def _finite(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _target_label(target: float) -> str:
    return f"{100 * target:g}% error" if target <= 1.0 else f"error {target:g}"


def _draw_extrapolations(
    ax: Axes, fit: ScalingFit, rows: Sequence[Mapping[str, Any]]
) -> list[tuple[float, float, str]]:
    """Dashed continuation, star and range bar per target; returns (log10 compute, error, label) per star."""
    color, _ = _STYLE.get(fit.form, ("tab:gray", ":"))
    drawn: list[tuple[float, float, str]] = []
    for row in rows:
        target, centre = _finite(row.get("target_error")), _finite(row.get("log10_compute"))
        if target is None or centre is None or target <= 0:
            continue
        xs = np.linspace(min(fit.x_max, centre), max(fit.x_max, centre), 100)
        ax.plot(10.0**xs, _to_error(fit, fit.intercept + fit.slope * xs), color=color, linestyle=(0, (4, 3)),
                linewidth=1.4, zorder=4)
        low, high = _finite(row.get("log10_low")), _finite(row.get("log10_high"))
        if low is not None and high is not None:
            lo, hi = max(low, centre - _RANGE_CLIP), min(high, centre + _RANGE_CLIP)
            ax.plot([10.0**lo, 10.0**hi], [target, target], color=color, linewidth=1.2, alpha=0.7, zorder=4,
                    marker="|", markersize=9)
        ax.plot([10.0**centre], [target], marker="*", markersize=13, color=color, markeredgecolor="black",
                markeredgewidth=0.6, linestyle="none", zorder=6)
        drawn.append((centre, target, f"{_target_label(target)}: $10^{{{centre:.1f}}}$ FLOPs"))
    return drawn


def _label_extrapolations(ax: Axes, labels: Sequence[tuple[float, float, str]], x_span: tuple[float, float]) -> None:
    """Labels above the stars: to the right, or to the left for stars in the right third of the panel.

    The fitted line falls to the right, so the space above-right of a star is empty unless the
    label would run off the panel; there the space above-left (already past the data) is used.
    """
    lo, hi = x_span
    for centre, target, text in labels:
        right_side = hi > lo and (centre - lo) / (hi - lo) > 0.66
        ax.annotate(
            text,
            xy=(10.0**centre, target),
            xytext=(-8, 8) if right_side else (8, 8),
            textcoords="offset points",
            ha="right" if right_side else "left",
            va="bottom",
            fontsize=8.5,
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
            zorder=7,
        )


class _PlainLogFormatter(LogFormatterSciNotation):
    """Log-axis tick labels as plain numbers (0.3, 0.05) where matplotlib would label a tick at all."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        return f"{x:g}" if super().__call__(x, pos) else ""


def _scatter(ax: Axes, data: pd.DataFrame, norm: Normalize | None) -> list[Line2D]:
    """One scatter (PathCollection) per source; returns legend proxies for the sources."""
    handles: list[Line2D] = []
    for i, source in enumerate(sorted(set(data["source"]))):
        part = data.loc[data["source"] == source]
        years = part["year"].to_numpy(dtype=float)
        colors = [_CMAP(norm(y)) if norm is not None and math.isfinite(y) else _NO_YEAR for y in years]
        marker = _MARKERS[i % len(_MARKERS)]
        ax.scatter(part["compute"], part["error"], s=30, c=colors, marker=marker, edgecolors="black",
                   linewidths=0.5, alpha=0.9, zorder=5)
        handles.append(Line2D([], [], marker=marker, linestyle="none", markerfacecolor="white",
                              markeredgecolor="black", markersize=7, label=f"{source} (n = {len(part)})"))
    return handles


def _title(benchmark: str, kind: str, fits: Sequence[ScalingFit]) -> str:
    poly = next((f for f in fits if f.form == POLYNOMIAL), None)
    n = poly.n if poly else max(f.n for f in fits)
    if poly is None:
        k_text = "no polynomial fit"
    elif not poly.identified or poly.k is None:
        k_text = f"k not identified\n({poly.not_identified_reason or 'slope CI not entirely below zero'})"
    else:
        k_text = f"k = {poly.k:.2f} [{poly.k_low:.2f}, {poly.k_high:.2f}]"
    return f"{benchmark} ({kind}): n = {n}, {k_text}"


def _log_axes(ax: Axes, xlabel: str, title: str) -> None:
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(_PlainLogFormatter())
    ax.yaxis.set_minor_formatter(_PlainLogFormatter(labelOnlyBase=False))
    ax.set_xlabel(xlabel)
    ax.set_ylabel("error (fraction, log scale)")
    ax.set_title(title, fontsize=11)
    ax.grid(True, which="major", alpha=0.35)
    ax.grid(True, which="minor", alpha=0.12)


def _padded(lo: float, hi: float, share: float = _MARGIN) -> tuple[float, float]:
    """``10**`` of [lo, hi] widened by ``share`` of its span (at least a tenth of a decade) either side."""
    pad = max(share * (hi - lo), 0.1)
    return 10.0 ** (lo - pad), 10.0 ** (hi + pad)


def _data_panel(ax: Axes, fits: Sequence[ScalingFit], data: pd.DataFrame, norm: Normalize | None, title: str,
                xlabel: str) -> None:
    """The points and the fits over the compute range they saw; x limits from the data."""
    ax.set_label("data")
    handles = _scatter(ax, data, norm)
    for fit in fits:
        _draw_fit(ax, fit)
    _log_axes(ax, xlabel, title)
    xs = [*np.log10(data["compute"].to_numpy(dtype=float))]
    xs += [v for fit in fits for v in (fit.x_min, fit.x_max) if math.isfinite(v)]
    ax.margins(y=0.12)
    if xs:
        ax.set_xlim(*_padded(min(xs), max(xs)))
    line_handles, _ = ax.get_legend_handles_labels()
    ax.legend(handles=[*handles, *line_handles], loc="upper center", bbox_to_anchor=(0.5, -0.13),
              ncol=2, fontsize="small", frameon=False)


def _extrapolation_panel(ax: Axes, fits: Sequence[ScalingFit], rows: Mapping[str, Sequence[Mapping[str, Any]]],
                         data: pd.DataFrame, xlabel: str) -> None:
    """The fit line carried past the data to each target error, the fitted compute range shaded."""
    ax.set_label("extrapolation")
    ax.scatter(data["compute"], data["error"], s=10, color="#999999", alpha=0.6, zorder=3, label="fitted points")
    labels: list[tuple[float, float, str]] = []
    for fit in fits:
        labels += _draw_extrapolations(ax, fit, rows.get(fit_key(fit), ()))
        color, style = _STYLE.get(fit.form, ("tab:gray", ":"))
        xs = np.linspace(fit.x_min, fit.x_max, 50)
        ax.plot(10.0**xs, _to_error(fit, fit.intercept + fit.slope * xs), color=color, linestyle=style,
                linewidth=2.0, zorder=4, label=f"{fit.form} fit (dashed beyond the data)")
    x_lo = min(fit.x_min for fit in fits)
    x_hi = max(fit.x_max for fit in fits)
    ax.axvspan(10.0**x_lo, 10.0**x_hi, color="#888888", alpha=0.15, linewidth=0, label="fitted compute range")
    # everything drawn (points, lines, stars, clipped range bars) stays inside the panel
    lo, hi = (float(v) for v in np.log10(ax.dataLim.intervalx))
    _label_extrapolations(ax, labels, (lo, hi))
    _log_axes(ax, xlabel, "extrapolation to target errors (out-of-sample)")
    ax.set_xlim(*_padded(lo, hi))
    ax.margins(y=0.15)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, fontsize="small", frameon=False)


def benchmark_figure(
    fits: Sequence[ScalingFit],
    points: pd.DataFrame,
    *,
    extrapolations: Extrapolations | None = None,
    dpi: int = 100,
) -> Figure:
    """The figure of one benchmark's fits, with an Agg canvas.

    Per compute variable a data panel (axis label "data": points and fits, x limits from the data)
    and, when one of its identified fits has extrapolations, an "extrapolation" panel beside it.
    ``extrapolations`` maps ``fit_key(fit)`` to rows with ``target_error``, ``log10_compute`` and
    optionally ``log10_low``/``log10_high`` (see ``analysis.report.write_report``'s extras); those of
    a fit that is not identified are not drawn.
    """
    if not fits:
        raise ValueError("benchmark_figure needs at least one fit")
    benchmark = fits[0].benchmark
    panels: dict[tuple[str, str], list[ScalingFit]] = {}
    for fit in fits:
        panels.setdefault((fit.compute_kind or "", fit.x), []).append(fit)
    rows: dict[str, list[Mapping[str, Any]]] = {}
    for fit in fits:
        given = (extrapolations or {}).get(fit_key(fit), ())
        if fit.identified and given:
            rows[fit_key(fit)] = list(given)
    extrapolated = {key: [f for f in panel_fits if fit_key(f) in rows] for key, panel_fits in panels.items()}
    widths = [w for key in sorted(panels) for w in ((8.0, 6.5) if extrapolated[key] else (8.0,))]
    fig = Figure(figsize=(sum(widths), 6.2), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    axes = iter(fig.subplots(1, len(widths), squeeze=False, width_ratios=widths)[0])
    for (kind, x), panel_fits in sorted(panels.items()):
        ax = next(axes)
        data = fitted_points(panel_fits, points)
        years = data["year"].to_numpy(dtype=float)
        years = years[np.isfinite(years)]
        norm = Normalize(years.min() - 0.5, years.max() + 0.5) if len(years) else None
        xlabel = f"{kind or x} (FLOPs, log scale)"
        _data_panel(ax, panel_fits, data, norm, _title(benchmark, kind or x, panel_fits), xlabel)
        if norm is not None:
            bar = fig.colorbar(ScalarMappable(norm=norm, cmap=_CMAP), ax=ax, pad=0.01, fraction=0.05)
            bar.set_label("year (grey: unknown)")
            bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        if extrapolated[(kind, x)]:
            _extrapolation_panel(next(axes), extrapolated[(kind, x)], rows, data, xlabel)
    return fig


def plot_benchmark(
    fits: Sequence[ScalingFit],
    points: pd.DataFrame,
    path: Path,
    *,
    dpi: int = 100,
    extrapolations: Extrapolations | None = None,
) -> Path:
    """Write ``benchmark_figure(...)`` as a PNG at ``path``; returns ``path``."""
    fig = benchmark_figure(fits, points, extrapolations=extrapolations, dpi=dpi)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", metadata={"Software": None})
    return path
