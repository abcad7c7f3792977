"""The report's trends page and its source-code section (issue 16).

* Trends: training compute over time by domain (`analysis.trends`, Epoch AI's method: OLS of log10
  compute on the fractional publication year, paper-level bootstrap), each source fitted on its own,
  from 2010 on. One figure (``trends.png``: points by domain, fitted lines) and the doubling-time table.
* Source code, the question of "The Growing Cost of Deep Learning for Source Code" (CACM, 2022): code
  models (Epoch rows whose domain or task is code), compute growth per year for them beside all
  models, and compute against pass@1 on the code benchmarks (HumanEval, MBPP, ...) with the stored
  scaling fit when it is identified. ``code.png`` draws those points. A paragraph says in plain words
  what the numbers say, with n and intervals, and what they cannot say.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from analysis.scaling import POLYNOMIAL, ScalingFit
from analysis.trend_groups import ALL, CODE
from analysis.trends import TrendFit, TrendGap, groups_of, prepare_rows, trend_fits

SINCE = dt.date(2010, 1, 1)
TRENDS_PNG = "trends.png"
CODE_PNG = "code.png"
MAX_GROUPS = 6  # domains drawn in the figure (largest first; code always)


@dataclass(frozen=True)
class TrendsReport:
    """What the trends page and the source-code section show."""

    fits: list[TrendFit | TrendGap]
    rows: pd.DataFrame                       # prepared trend rows with their domain group
    code_points: pd.DataFrame                # regression points of the code benchmarks
    code_fits: list[ScalingFit] = field(default_factory=list)

    def fitted(self, source: str, group: str) -> TrendFit | None:
        return next((f for f in self.fits if isinstance(f, TrendFit) and f.source == source and f.group == group),
                    None)


def build(rows: pd.DataFrame, points: pd.DataFrame, fits: Sequence[ScalingFit], code_benchmarks: Sequence[str], *,
          draws: int = 1000) -> TrendsReport:
    """The trend fits by domain (from 2010) and the code benchmarks' points and stored fits."""
    prepared = prepare_rows(rows) if len(rows) else rows.assign(t=[], fit_source=[])
    groups = [next(iter(groups_of(r, "domain")), None) for _, r in prepared.iterrows()] if len(prepared) else []
    prepared = prepared.assign(group=groups)
    trend = trend_fits(rows, by="domain", since=SINCE, draws=draws) if len(prepared) else []
    code = set(code_benchmarks)
    code_points = points.loc[points["benchmark"].isin(code)] if "benchmark" in points else points.iloc[0:0]
    return TrendsReport(trend, prepared.loc[prepared["t"] >= SINCE.year], code_points,
                        [f for f in fits if f.benchmark in code and f.form == POLYNOMIAL])


def _groups_drawn(report: TrendsReport) -> list[str]:
    sizes = report.rows["group"].dropna().value_counts()
    drawn = [str(g) for g in sizes.index[:MAX_GROUPS]]
    return drawn + ([CODE] if CODE in sizes.index and CODE not in drawn else [])


def plot_trends(report: TrendsReport, path: Path) -> None:
    """Compute over time: one colour per domain, one marker per source, each source's fitted lines."""
    fig = Figure(figsize=(9, 5.5))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    colours = colormaps["tab10"]
    markers = {"epoch": "o", "thompson": "s", "extracted": "^"}
    for i, group in enumerate(_groups_drawn(report)):
        part = report.rows.loc[report.rows["group"] == group]
        for source, rows in part.groupby("fit_source"):
            ax.scatter(rows["t"], rows["compute"], s=14, alpha=0.6, color=colours(i),
                       marker=markers.get(str(source).split(":")[0], "o"), label=f"{group} ({source})")
        fit = report.fitted("epoch", group) or report.fitted("thompson", group) or report.fitted("extracted", group)
        if fit is not None:
            xs = np.linspace(fit.year_from, fit.year_to, 50)
            ax.plot(xs, 10 ** (fit.intercept + fit.slope * xs), color=colours(i), lw=1.8)
    overall = report.fitted("epoch", ALL)
    if overall is not None:
        xs = np.linspace(overall.year_from, overall.year_to, 50)
        ax.plot(xs, 10 ** (overall.intercept + overall.slope * xs), color="black", lw=2.2, ls="--",
                label=f"all (Epoch): doubling {overall.doubling_months:.1f} months")
    ax.set_yscale("log")
    ax.set_xlabel("publication date (fractional year)")
    ax.set_ylabel("training compute (FLOP)")
    ax.set_title("Training compute over time, by domain (from 2010)")
    ax.grid(True, which="major", alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, loc="upper left", ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def plot_code(report: TrendsReport, path: Path) -> None:
    """Compute against pass@1 on the code benchmarks, with each identified fit's line."""
    fig = Figure(figsize=(7, 4.5))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    pts = report.code_points
    x = next((c for c in ("estimated_compute", "compute", "hardware_burden") if c in pts), None)
    for bench, rows in pts.groupby("benchmark") if x else []:
        ok = rows.loc[pd.to_numeric(rows[x], errors="coerce") > 0]
        ax.scatter(ok[x].astype(float), ok["score"].astype(float), s=18, label=f"{bench} (n={len(ok)})")
    for fit in report.code_fits:
        if fit.identified:
            xs = np.linspace(fit.x_min, fit.x_max, 30)
            ax.plot(10**xs, 100 * (1 - 10 ** (fit.intercept + fit.slope * xs)), lw=1.5, label=f"{fit.benchmark} fit")
    ax.set_xscale("log")
    ax.set_xlabel("training compute (FLOP)")
    ax.set_ylabel("pass@1 (%)")
    ax.set_title("Code models: compute and pass@1")
    ax.grid(True, alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def write_figures(report: TrendsReport, out_dir: Path) -> list[str]:
    """The figures there is something to draw in: compute over time, and the code benchmarks' points."""
    written = []
    if len(report.rows):
        plot_trends(report, out_dir / TRENDS_PNG)
        written.append(TRENDS_PNG)
    if len(report.code_points):
        plot_code(report, out_dir / CODE_PNG)
        written.append(CODE_PNG)
    return written


def _interval(value: float | None, low: float | None, high: float | None, spec: str) -> str:
    def f(v: float | None) -> str:
        return "∞" if v is not None and math.isinf(v) else ("–" if v is None else format(v, spec))

    return f"{f(value)} [{f(low)}, {f(high)}]"


def doubling_rows(report: TrendsReport) -> list[dict[str, str]]:
    """The doubling-time table: one row per fitted (source, group), and the groups too small to fit."""
    out = []
    for f in report.fits:
        if isinstance(f, TrendFit):
            out.append({"source": f.source, "group": f.group, "n": str(f.n), "papers": str(f.papers),
                        "growth per year": _interval(f.growth_per_year, f.growth_low, f.growth_high, ".2f") + "×",
                        "doubling (months)": _interval(f.doubling_months, f.doubling_low, f.doubling_high, ".1f"),
                        "dates": f"{f.date_from} – {f.date_to}"})
        else:
            out.append({"source": f.source, "group": f.group, "n": str(f.n), "papers": str(f.papers),
                        "growth per year": "not fitted", "doubling (months)": f.reason, "dates": ""})
    return out


def code_paragraph(report: TrendsReport) -> str:
    """What the code numbers say, in plain words, with n and intervals."""
    code, every = report.fitted("epoch", CODE), report.fitted("epoch", ALL)
    parts = []
    if code is None or every is None:
        parts.append("Too few dated code models with a training compute to fit their growth "
                     "(import an Epoch AI snapshot whose rows carry a task or domain naming code).")
    else:
        faster = code.slope_low > every.slope_high
        slower = code.slope_high < every.slope_low
        verdict = ("faster than" if faster else "slower than" if slower else
                   "not distinguishable, at this n, from")
        parts.append(
            f"Since 2010 the training compute of code models (n = {code.n}, {code.date_from} to {code.date_to}) "
            f"grew {code.growth_per_year:.1f}× a year (90% interval {code.growth_low:.1f}–{code.growth_high:.1f}×), "
            f"doubling every {code.doubling_months:.1f} months; all models (n = {every.n}) grew "
            f"{every.growth_per_year:.1f}× a year ({every.growth_low:.1f}–{every.growth_high:.1f}×). "
            f"Code models' growth is {verdict} the field's.")
    identified = [f for f in report.code_fits if f.identified]
    if identified:
        parts += [f"On {f.benchmark}, pass@1 error falls with compute at slope {f.slope:.3f} "
                  f"(95% CI {f.ci_low:.3f} to {f.ci_high:.3f}, n = {f.n}): halving the error takes "
                  f"{f.halving_multiplier:,.0f}× the compute." for f in identified]
    else:
        n = len(report.code_points)
        parts.append(f"Compute against pass@1: {n} code-benchmark point{'s' if n != 1 else ''} with compute; "
                     + ("no fit is identified, so no cost of a better score is claimed."
                        if report.code_fits else "too few for a fit, so no cost of a better score is claimed."))
    return " ".join(parts)


def _table_html(rows: list[dict[str, str]]) -> str:
    if not rows:
        return "<p>No trend fits: import an Epoch AI snapshot or Thompson et al.'s rows.</p>"
    head = "".join(f"<th>{html.escape(k)}</th>" for k in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in r.values()) + "</tr>" for r in rows)
    return f"<table class='doubling'><tr>{head}</tr>{body}</table>"


def html_sections(report: TrendsReport) -> list[tuple[str, str, str]]:
    """(anchor, nav label, HTML) of the trends page and the source-code section."""
    figure = (f"<img src='{TRENDS_PNG}' alt='training compute over time by domain'>" if len(report.rows)
              else "<p>No dated training compute to draw.</p>")
    trends = ("<section id='trends'><h2>Compute over time</h2>" + figure
              + "<p class='note'>OLS of log10(training compute) on the fractional publication "
              "year (year + (day of year − 1)/365.25) from 2010, per source and domain (Epoch AI's method); "
              "growth per year 10<sup>slope</sup>, doubling time 12·log10(2)/slope months, 90% intervals from "
              "resampling whole papers.</p><h3>Doubling times</h3>" + _table_html(doubling_rows(report))
              + "</section>")
    code_rows = [r for r in doubling_rows(report) if r["group"] in (CODE, ALL)]
    code = ("<section id='code'><h2>The cost of deep learning for source code</h2>"
            f"<p>{html.escape(code_paragraph(report))}</p>"
            + (f"<img src='{CODE_PNG}' alt='compute and pass@1 of code models'>" if len(report.code_points) else "")
            + "".join(f"<p>{html.escape(f.benchmark)}: k not identified "
                      f"({html.escape(f.not_identified_reason or 'no fit')})</p>"
                      for f in report.code_fits if not f.identified)
            + _table_html(code_rows) + "</section>")
    return [("trends", "trends", trends), ("code", "source code", code)]


def markdown_lines(report: TrendsReport) -> list[str]:
    rows = doubling_rows(report)
    lines = ["## Compute over time", "", f"![training compute over time]({TRENDS_PNG})", ""]
    if rows:
        lines += ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
        lines += ["| " + " | ".join(r.values()) + " |" for r in rows]
    lines += ["", "## The cost of deep learning for source code", "", code_paragraph(report), ""]
    if len(report.code_points):
        lines += [f"![compute and pass@1]({CODE_PNG})", ""]
    return lines
