"""Render fits: ``report.md`` (human summary), ``index.html`` (``analysis.html_report``), ``fits.json``
and one PNG per benchmark.

Never refits: the fits come in; the points frame only supplies counts and the scatter. Given
``generated_at`` the markdown and JSON are byte-for-byte deterministic.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.coverage import coverage_lines
from analysis.html_report import render_html
from analysis.plots import figure_name, fit_key, plot_benchmark
from analysis.report_format import fits_json, fmt, fmt_multiplier, made_line, not_identified, sort_key
from analysis.scaling import POLYNOMIAL, ScalingFit, exponential_halving_decades
from analysis.trends_report import TrendsReport, html_sections, markdown_lines, write_figures

logger = logging.getLogger(__name__)

HEADLINE_K = 9.0  # Thompson et al.: compute grows at least with the 9th power of the improvement
HEADLINE_MULTIPLIER = 2.0**HEADLINE_K  # 512: "more than 500x the compute to halve the error"
_DASH = "–"


def _k_cell(fit: ScalingFit) -> str:
    if fit.form != POLYNOMIAL:
        return _DASH
    if not fit.identified or fit.k is None:
        return not_identified(fit)
    return f"{fmt(fit.k, '.2f')} [{fmt(fit.k_low, '.2f')}, {fmt(fit.k_high, '.2f')}]"


def _halving_cell(fit: ScalingFit) -> str:
    if fit.form != POLYNOMIAL:
        return _DASH
    if not fit.identified or fit.halving_multiplier is None:
        return not_identified(fit)
    return (
        f"{fmt_multiplier(fit.halving_multiplier)} "
        f"[{fmt_multiplier(fit.halving_multiplier_low)}, {fmt_multiplier(fit.halving_multiplier_high)}]"
    )


def _table(fits: Sequence[ScalingFit]) -> list[str]:
    lines = [
        "| benchmark | compute | form | n | slope ± SE | 95% CI | R² | p | k [95% range] "
        "| compute to halve error [95% range] |",
        "|---|---|---|---:|---|---|---:|---:|---|---|",
    ]
    for fit in fits:
        lines.append(
            f"| {fit.benchmark} | {fit.compute_kind or fit.x} | {fit.form} | {fit.n} "
            f"| {fmt(fit.slope)} ± {fmt(fit.se)} | [{fmt(fit.ci_low)}, {fmt(fit.ci_high)}] "
            f"| {fmt(fit.r2, '.3f')} | {fmt(fit.p_value, '.2g')} | {_k_cell(fit)} | {_halving_cell(fit)} |"
        )
    return lines


def _comparison(fit: ScalingFit) -> str:
    """One honest sentence comparing a polynomial fit with the k ≥ 9 headline."""
    where = f"{fit.benchmark} ({fit.compute_kind or fit.x}, n = {fit.n})"
    if not fit.identified or fit.k is None or fit.k_low is None or fit.k_high is None:
        return (
            f"{where}: slope {fmt(fit.slope)} ± {fmt(fit.se)}, 95% CI [{fmt(fit.ci_low)}, {fmt(fit.ci_high)}]; "
            f"k {not_identified(fit)}, so these points say nothing about the headline."
        )
    span = f"k = {fmt(fit.k, '.2f')}, 95% range {fmt(fit.k_low, '.2f')}{_DASH}{fmt(fit.k_high, '.2f')}"
    if fit.k_low >= HEADLINE_K:
        verdict = "the whole range lies at or above 9, consistent with the headline's lower bound"
    elif fit.k_high < HEADLINE_K:
        verdict = (
            "the whole range lies below 9: on these points error falls faster with compute than the "
            f"headline implies (less than {HEADLINE_MULTIPLIER:.0f}× to halve it)"
        )
    else:
        verdict = "the range includes 9, so these points neither support nor contradict the headline"
    return f"{where}: {span}; {verdict}."


def _fit_lines(fit: ScalingFit) -> list[str]:
    metric = fit.metric or "n/a"
    head = f"- **{fit.form}** on {fit.compute_kind or fit.x} (n = {fit.n}, headline metric {metric}): "
    if fit.form == POLYNOMIAL:
        eq = f"log10(error) = {fmt(fit.intercept)} + ({fmt(fit.slope)}) · log10(C)"
    else:
        eq = f"1/error = {fmt(fit.intercept)} + ({fmt(fit.slope)}) · log10(C)"
    stats = (
        f"{eq}; slope SE {fmt(fit.se)}, 95% CI [{fmt(fit.ci_low)}, {fmt(fit.ci_high)}], "
        f"R² = {fmt(fit.r2, '.3f')}, p = {fmt(fit.p_value, '.2g')}, "
        f"compute range 10^{fmt(fit.x_min, '.2f')}{_DASH}10^{fmt(fit.x_max, '.2f')} FLOPs."
    )
    lines = [head + stats]
    if fit.form == POLYNOMIAL:
        if not fit.identified or fit.k is None:
            lines.append(f"  k {not_identified(fit)}.")
        else:
            lines.append(
                f"  Implied k = {fmt(fit.k, '.2f')} (95% range {fmt(fit.k_low, '.2f')}{_DASH}"
                f"{fmt(fit.k_high, '.2f')}): halving the error takes "
                f"{fmt_multiplier(fit.halving_multiplier)} the compute "
                f"({fmt_multiplier(fit.halving_multiplier_low)}{_DASH}"
                f"{fmt_multiplier(fit.halving_multiplier_high)})."
            )
    else:
        y_mean = fit.intercept + fit.slope * fit.x_mean
        decades = exponential_halving_decades(fit, 1.0 / y_mean) if y_mean > 0 else None
        if decades is None:
            lines.append(
                "  The slope's CI is not entirely above zero: the exponential form is not identified."
            )
        else:
            lines.append(
                f"  At the harmonic-mean error of the fitted points (e = {fmt(1.0 / y_mean, '.3f')}), "
                f"halving the error adds 1/(c·e) = {fmt(decades, '.2f')} decades of compute "
                f"({fmt_multiplier(10.0**decades if decades < 300 else math.inf)}), more as error falls."
            )
    return lines


METHOD_NOTE = (
    "Method (METHODOLOGY §5–6): OLS (statsmodels) per benchmark on its headline metric, error by the "
    "benchmark registry's rule (1 − score/100 for accuracy-like metrics). Polynomial form log10(error) = a + "
    "b·log10(C): implied exponent k = 1/|b| and compute to halve the error 2^k, with ranges from the slope's "
    "95% CI edges (the edge farthest from zero gives the conservative lower bound). k is not identified, and "
    "no k, multiplier or extrapolation is given, when the slope's CI includes zero or k's range spans more "
    "than a factor of 10. Exponential form 1/error = a + c·log10(C). Hardware burden is peak FLOP/s × time "
    "with no utilisation factor: an upper bound on the FLOPs executed; effective compute counts the chips at "
    "their usual precision × utilisation (docs/ACCOUNTING.md)."
)


def _comparison_lines(polynomial: Sequence[ScalingFit]) -> list[str]:
    """The section comparing the polynomial fits with Thompson et al.'s k ≥ 9 headline."""
    return [
        "## Comparison with Thompson et al.",
        "",
        "Thompson, Greenewald, Lee and Manso (arXiv:2007.05558; IEEE Spectrum 2021) report that compute "
        "grows at least with the 9th power of the improvement (k ≥ 9), so halving the error costs more "
        "than 500× the compute (2^9 = 512); by our reconstruction (unconfirmed against the paper text) that "
        "figure is the conservative CI edge of their ImageNet hardware-burden fit.",
        "",
        *([f"- {_comparison(fit)}" for fit in polynomial] or ["- No polynomial fit to compare."]),
        "",
        "These numbers describe only the points above. With a few dozen points or fewer, from a crawl of "
        "limited size or a synthetic offline corpus, they test the pipeline: they are not evidence for or "
        "against the published estimate. The compute definition, which models get a compute figure, the "
        "metric's footing and the spread of years all move the slope; extrapolation beyond the compute "
        "range of a fit is out-of-sample.",
        "",
    ]


def render_markdown(
    fits: Sequence[ScalingFit], points: pd.DataFrame, *, title: str, generated_at: str,
    coverage: pd.DataFrame | None = None, extras: Mapping[str, Mapping[str, Any]] | None = None,
) -> str:
    """The text of ``report.md`` (fits in any order; sorted here); with ``coverage`` (``v_coverage``), a
    section on how much of the corpus can reach a fit; with ``extras``, each stored fit's ``made_line``."""
    ordered = sorted(fits, key=sort_key)
    fitted = sorted({fit.benchmark for fit in ordered})
    counts: dict[str, int] = {}
    if "benchmark" in points.columns:
        counts = {str(k): int(v) for k, v in points["benchmark"].value_counts(dropna=True).items()}
    lines = [
        f"# {title}",
        "",
        f"Generated at {generated_at}. {len(ordered)} fits over {len(fitted)} benchmarks, "
        f"from a points frame of {len(points)} rows.",
        "",
        METHOD_NOTE,
        "",
        "## Summary",
        "",
        *_table(ordered),
        "",
        *(coverage_lines(coverage) if coverage is not None else []),
    ]
    for benchmark in fitted:
        bench_fits = [fit for fit in ordered if fit.benchmark == benchmark]
        lines += [f"## {benchmark}", "", f"![{benchmark}]({figure_name(benchmark)})", ""]
        lines.append(f"Points in the frame: {counts.get(benchmark, 0)}.")
        lines.append("")
        for fit in bench_fits:
            lines += _fit_lines(fit)
            made = made_line((extras or {}).get(fit_key(fit), {}))
            if made:
                lines.append(f"  {made}")
        lines.append("")
    unfitted = sorted(set(counts) - set(fitted))
    if unfitted:
        lines += ["## Not fitted", ""]
        lines += [
            f"- {b}: {counts[b]} rows; no fit (fewer than 3 usable points, no spread in compute, or no known "
            "headline metric)."
            for b in unfitted
        ]
        lines.append("")
    lines += _comparison_lines([fit for fit in ordered if fit.form == POLYNOMIAL])
    return "\n".join(lines)


def write_report(
    fits: list[ScalingFit],
    points: pd.DataFrame,
    out_dir: Path,
    *,
    title: str = "compute-limits report",
    generated_at: str | None = None,
    extras: Mapping[str, Mapping[str, Any]] | None = None,
    coverage: pd.DataFrame | None = None,
    trends: TrendsReport | None = None,
) -> Path:
    """Write ``report.md``, ``index.html``, ``fits.json`` and ``<benchmark>.png`` per fitted benchmark;
    with ``trends`` (``analysis.trends_report``), the trends page and the source-code section too.

    ``extras`` maps ``"benchmark/form/x"`` (``analysis.plots.fit_key``) to optional entries
    ``"bootstrap"`` (``BootstrapResult.to_dict()``), ``"influence"`` (``Influence.to_dict()`` list),
    ``"comparison"`` (``FormComparison.to_dict()``) and ``"extrapolations"`` (dicts with
    target_error, log10_compute, log10_low, log10_high, cost_usd[_low|_high], co2_kg[_low|_high],
    the cost and CO2 possibly None); they appear in ``index.html`` and the figures. ``points_by_source``,
    ``ingest_run_id`` and ``created_at`` say where a stored fit comes from (``made_line``). Returns report.md.
    """

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if generated_at is None:
        generated_at = datetime.now(UTC).isoformat(timespec="seconds")
    extrapolations = {
        key: extra["extrapolations"] for key, extra in (extras or {}).items()
        if extra.get("extrapolations")
    }
    by_benchmark: dict[str, list[ScalingFit]] = {}
    for fit in sorted(fits, key=sort_key):
        by_benchmark.setdefault(fit.benchmark, []).append(fit)
    for benchmark, bench_fits in by_benchmark.items():
        plot_benchmark(bench_fits, points, out_dir / figure_name(benchmark), extrapolations=extrapolations)
    (out_dir / "fits.json").write_text(fits_json(fits), encoding="utf-8")
    sections = []
    if trends is not None:
        write_figures(trends, out_dir)
        sections = html_sections(trends)
    report = out_dir / "report.md"
    report.write_text(render_markdown(fits, points, title=title, generated_at=generated_at, coverage=coverage,
                                       extras=extras)
                      + ("\n" + "\n".join(markdown_lines(trends)) if trends is not None else ""),
                      encoding="utf-8")
    if coverage is not None:
        coverage.to_csv(out_dir / "coverage.csv", index=False)
    html_text = render_html(fits, points, extras=extras, title=title, generated_at=generated_at, sections=sections)
    (out_dir / "index.html").write_text(html_text, encoding="utf-8")
    logger.info("report written to %s (%d fits, %d figures)", report, len(fits), len(by_benchmark))
    return report
