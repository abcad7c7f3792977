"""``index.html``: the report as one self-contained page (inline CSS, no scripts, PNGs beside it).

Sections: the fits table (OLS and paper-level bootstrap intervals, implied exponent k and the
compute multiplier that halves the error), then per benchmark its figure, the most influential
papers, the polynomial-vs-exponential comparison and the out-of-sample extrapolations (compute,
cost, CO2 with ranges), and last a comparison of compute sources.

The fits and their extras are rendered as given, never refitted, with one exception asked for by
the report's readers: the comparison of sources fits the polynomial form on each source's points
alone (``fit_scaling``), since those fits are not stored anywhere.
"""

from __future__ import annotations

import html
import logging
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from analysis.exceptions import AnalysisError
from analysis.plots import figure_name, fit_key
from analysis.report_format import fmt, fmt_multiplier, made_line, not_identified, sort_key
from analysis.scaling import POLYNOMIAL, ScalingFit, fit_scaling
from analysis.uncertainty import top_influences

__all__ = ["fmt_log10", "fmt_money", "fmt_sci", "render_html", "source_slopes"]

logger = logging.getLogger(__name__)

Extras = Mapping[str, Mapping[str, Any]]
_DASH = "–"
_MIN_SOURCE_POINTS = 3

_CSS = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 2em auto;
       max-width: 1200px; padding: 0 1.5em; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
.meta, .note, figcaption { color: #555; font-size: 0.92em; }
table { border-collapse: collapse; margin: 0.8em 0 1.2em; font-size: 0.9em; }
th, td { border: 1px solid #d0d0d0; padding: 0.3em 0.6em; vertical-align: top; }
th { background: #f3f3f3; text-align: left; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.boot { color: #1d5fa6; font-size: 0.88em; } .oos { color: #a33; font-weight: 600; }
figure { margin: 1em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
nav a { margin-right: 1em; }
"""


def _num(value: Any) -> float | None:
    """A float from a number or an "inf"/"nan" string; None for None, NaN and anything else."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def fmt_sci(value: Any, digits: int = 2) -> str:
    """Plain with thousands separators below 1e6 ("12,345"), else "1.2e+21"; "n/a", "∞" as ``fmt``."""
    number = _num(value)
    if number is None:
        return "n/a"
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    if number != 0 and (abs(number) >= 1e6 or abs(number) < 10.0 ** -digits):
        return f"{number:.{digits - 1}e}"
    return f"{number:,.{digits}g}" if abs(number) < 10.0**digits else f"{number:,.0f}"


def fmt_log10(value: Any, unit: str = "") -> str:
    """``10<sup>22.3</sup>`` (HTML) for a log10 value; "unbounded" when infinite."""
    number = _num(value)
    if number is None:
        return "n/a"
    if math.isinf(number):
        return "unbounded"
    return f"10<sup>{number:.1f}</sup>{' ' + unit if unit else ''}"


def fmt_money(value: Any) -> str:
    """US dollars: "$980,201", "$4.62 billion", "$9.44 trillion", "$1.2e+16"."""
    number = _num(value)
    if number is None:
        return "n/a"
    if math.isinf(number):
        return "∞"
    if number < 1e6:
        return f"${number:,.0f}"
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if number >= scale and number < 1e15:
            return f"${number / scale:.3g} {word}"
    return f"${number:.2g}"


def _fmt_co2(value: Any) -> str:
    number = _num(value)
    if number is None:
        return "n/a"
    return f"{fmt_sci(number, 3)} kg" if number < 1000 else f"{fmt_sci(number / 1000.0, 3)} t"


def _range(low: Any, high: Any, render: Callable[[Any], str]) -> str:
    lo, hi = _num(low), _num(high)
    if lo is None and hi is None:
        return ""
    if (lo is not None and math.isinf(lo)) or (hi is not None and math.isinf(hi)):
        return "[unbounded]"
    return f"[{render(low)}, {render(high)}]"


def _cell(central: str, row: Mapping[str, Any], prefix: str, render: Callable[[Any], str]) -> str:
    """The central value followed by its range from ``<prefix>_low``/``<prefix>_high``, if any."""
    return f"{central} {_range(row.get(prefix + '_low'), row.get(prefix + '_high'), render)}".strip()


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _anchor(benchmark: str) -> str:
    return "b-" + figure_name(benchmark).removesuffix(".png")


def _k_cells(fit: ScalingFit, boot: Mapping[str, Any] | None) -> tuple[str, str]:
    """k and 2^k with their OLS ranges (and bootstrap ranges); "not identified (reason)" and nothing more
    when either the OLS fit or, for the bootstrap ranges, the bootstrap does not identify k."""
    if fit.form != POLYNOMIAL:
        return _DASH, _DASH
    if not fit.identified or fit.k is None:
        text = _e(not_identified(fit))
        return text, text
    k_cell = f"{fmt(fit.k, '.2f')} [{fmt(fit.k_low, '.2f')}, {fmt(fit.k_high, '.2f')}]"
    mult_cell = (
        f"{fmt_multiplier(fit.halving_multiplier)} "
        f"[{fmt_multiplier(fit.halving_multiplier_low)}, {fmt_multiplier(fit.halving_multiplier_high)}]"
    )
    if boot is not None:
        if boot.get("identified") and boot.get("k") is not None:
            k_cell += (
                f"<br><span class='boot'>bootstrap [{fmt(_num(boot.get('k_low')), '.2f')}, "
                f"{fmt(_num(boot.get('k_high')), '.2f')}]</span>"
            )
            mult_cell += (
                f"<br><span class='boot'>bootstrap [{fmt_multiplier(_num(boot.get('halving_multiplier_low')))}, "
                f"{fmt_multiplier(_num(boot.get('halving_multiplier_high')))}]</span>"
            )
        else:
            why = boot.get("not_identified_reason") or "slope interval not entirely below zero"
            k_cell += f"<br><span class='boot'>bootstrap: not identified ({_e(why)})</span>"
    return k_cell, mult_cell


def _fits_table(fits: Sequence[ScalingFit], extras: Extras) -> list[str]:
    head = (
        "<tr><th>benchmark</th><th>form</th><th>compute (x)</th><th>n</th><th>slope</th><th>SE</th>"
        "<th>95% CI (OLS)</th><th>95% CI (paper bootstrap)</th><th>R²</th><th>k [95% range]</th>"
        "<th>compute to halve error [95% range]</th></tr>"
    )
    rows = ["<table class='fits'>", head]
    for fit in fits:
        boot = extras.get(fit_key(fit), {}).get("bootstrap")
        boot_ci = (
            f"[{fmt(_num(boot.get('slope_low')))}, {fmt(_num(boot.get('slope_high')))}]"
            f"<br><span class='boot'>{_e(boot.get('n_papers'))} papers, {_e(boot.get('draws_used'))} draws</span>"
            if boot
            else "n/a"
        )
        k_cell, mult_cell = _k_cells(fit, boot)
        rows.append(
            f"<tr><td><a href='#{_anchor(fit.benchmark)}'>{_e(fit.benchmark)}</a></td><td>{_e(fit.form)}</td>"
            f"<td>{_e(fit.compute_kind or fit.x)}</td><td class='num'>{fit.n}</td>"
            f"<td class='num'>{fmt(fit.slope)}</td><td class='num'>{fmt(fit.se)}</td>"
            f"<td class='num'>[{fmt(fit.ci_low)}, {fmt(fit.ci_high)}]</td><td class='num'>{boot_ci}</td>"
            f"<td class='num'>{fmt(fit.r2, '.3f')}</td><td class='num'>{k_cell}</td>"
            f"<td class='num'>{mult_cell}</td></tr>"
        )
    return [*rows, "</table>"]


def _extrapolation_table(fit: ScalingFit, rows: Sequence[Mapping[str, Any]]) -> list[str]:
    out = [
        f"<h4>Extrapolation of the {_e(fit.form)} fit on {_e(fit.compute_kind or fit.x)} "
        "<span class='oos'>(out-of-sample)</span></h4>",
        "<table class='extrapolation'><tr><th>target error</th><th>compute [95% range]</th>"
        "<th>cost (USD) [range]</th><th>CO₂e [range]</th><th>within the fitted compute range?</th></tr>",
    ]
    for row in rows:
        centre = _num(row.get("log10_compute"))
        flag = row.get("out_of_sample")  # analysis.regression's flag, else judged from the fit's range
        inside = not flag if isinstance(flag, bool) else centre is not None and fit.x_min <= centre <= fit.x_max
        target = _num(row.get("target_error"))
        out.append(
            f"<tr><td class='num'>{fmt(target, '.3g')}</td>"
            f"<td class='num'>{_cell(fmt_log10(centre, 'FLOPs'), row, 'log10', fmt_log10)}</td>"
            f"<td class='num'>{_cell(fmt_money(row.get('cost_usd')), row, 'cost_usd', fmt_money)}</td>"
            f"<td class='num'>{_cell(_fmt_co2(row.get('co2_kg')), row, 'co2_kg', _fmt_co2)}</td>"
            f"<td>{'yes' if inside else '<span class=oos>no: out-of-sample</span>'}</td></tr>"
        )
    out.append("</table>")
    basis = next((r.get("conversion") for r in rows if r.get("conversion")), None)
    if basis:
        out.append(f"<p class='note'>Priced as effective compute: {_e(basis)}; the range spans the compute "
                   "interval and the utilisation range.</p>")
    elif (fit.compute_kind or fit.x) != "estimated_compute":
        out.append("<p class='note'>Not priced: hardware burden counts the peak operations of its day's "
                   "hardware, not work a chip of today would do. The effective-compute fit prices the same "
                   "target.</p>")
    return out


def _benchmark_section(benchmark: str, fits: Sequence[ScalingFit], extras: Extras, n_rows: int) -> list[str]:
    png = figure_name(benchmark)
    out = [
        f"<section id='{_anchor(benchmark)}'>",
        f"<h2>{_e(benchmark)}</h2>",
        f"<figure><img src='{_e(png)}' alt='{_e(benchmark)}: error against compute, log-log'>",
        "<figcaption>Left: the fitted points and the fits over the compute range they cover. Marker shape: "
        "compute source; fill colour: year (grey when unknown). Solid red: polynomial fit with its 95% "
        "confidence band; dashed grey: exponential fit. Right, where there are extrapolations (an identified "
        "polynomial fit only): the same line carried past the data, the fitted compute range shaded, and a "
        "dashed red line to a star per target error, with the 95% range as a horizontal bar.</figcaption></figure>",
        f"<p class='note'>Rows for this benchmark in the points frame: {n_rows}.</p>",
    ]
    statements: list[str] = []
    for fit in fits:
        extra = extras.get(fit_key(fit), {})
        head = f"<h3>{_e(fit.form)} on {_e(fit.compute_kind or fit.x)} (n = {fit.n})</h3>"
        made = made_line(extra)
        body: list[str] = [f"<p class='note'>{_e(made)}</p>"] if made else []
        boot = extra.get("bootstrap")
        if boot:
            body.append(
                f"<p>Paper-level bootstrap ({_e(boot.get('draws_used'))} of {_e(boot.get('draws'))} draws kept, "
                f"{_e(boot.get('degenerate'))} without spread in compute dropped; seed {_e(boot.get('seed'))}): "
                f"slope SE {fmt(_num(boot.get('slope_se')))} against {fmt(fit.se)} from OLS; "
                f"{fmt(100 * (_num(boot.get('share_negative')) or 0.0), '.1f')}% of draws have a negative slope.</p>"
            )
        influence = extra.get("influence")
        if influence:
            names = _e(top_influences(influence))
            body.append(f"<p>Most influential papers (slope change when left out): {names}.</p>")
        comparison = extra.get("comparison")
        if comparison and comparison.get("statement") not in statements:
            statements.append(str(comparison.get("statement")))
        if fit.form == POLYNOMIAL and not fit.identified:
            body.append(f"<p>No extrapolation: k {_e(not_identified(fit))}.</p>")
        elif extra.get("extrapolations"):
            body += _extrapolation_table(fit, extra["extrapolations"])
        if body:
            out += [head, *body]
    if statements:
        out.append("<h3>Polynomial or exponential?</h3>")
        out += [f"<p>{_e(s)} (Leave-one-paper-out prediction of each paper's error.)</p>" for s in statements]
    return [*out, "</section>"]


def source_slopes(fit: ScalingFit, points: pd.DataFrame) -> list[dict[str, Any]]:
    """Per compute source among the fit's points: n and the polynomial fit on that source alone (n ≥ 3).

    Rows ``{"source", "n", "fit"}`` sorted by source, ``fit`` None when the source has too few
    points or no spread in compute. Empty when the frame has no ``source`` column.
    """
    if "source" not in points.columns or "point_id" not in points.columns:
        return []
    rows = points.loc[points["point_id"].astype(str).isin(set(fit.row_ids))]
    if fit.compute_kind and "compute_kind" in rows.columns:
        rows = rows.loc[rows["compute_kind"] == fit.compute_kind]
    rows = rows.drop_duplicates(subset="point_id")
    out: list[dict[str, Any]] = []
    for source, part in sorted(rows.groupby(rows["source"].fillna("unknown").astype(str)), key=lambda kv: kv[0]):
        source_fit: ScalingFit | None = None
        if len(part) >= _MIN_SOURCE_POINTS:
            try:
                source_fit = fit_scaling(
                    part, benchmark=fit.benchmark, form=POLYNOMIAL, x=fit.x, compute_kind=fit.compute_kind
                )
            except AnalysisError as exc:
                logger.debug("no source fit for %s/%s: %s", fit.benchmark, source, exc)
        out.append({"source": str(source), "n": len(part), "fit": source_fit})
    return out


def _sources_section(fits: Sequence[ScalingFit], points: pd.DataFrame) -> list[str]:
    out = ["<section id='sources'>", "<h2>Comparison of sources</h2>"]
    if "source" not in points.columns:
        return [*out, "<p>The points frame has no <code>source</code> column.</p>", "</section>"]
    out.append(
        "<p class='note'>The polynomial form fitted on each compute source's points alone (where it has at "
        f"least {_MIN_SOURCE_POINTS}), beside the fit on all of them. Slopes that disagree beyond their "
        "intervals point to a difference in how the sources count compute.</p>"
    )
    out.append(
        "<table class='sources'><tr><th>benchmark</th><th>compute (x)</th><th>source</th><th>n</th>"
        "<th>slope [95% CI]</th><th>k</th></tr>"
    )
    for fit in (f for f in fits if f.form == POLYNOMIAL):
        cells = [f"<td>{_e(fit.benchmark)}</td><td>{_e(fit.compute_kind or fit.x)}</td>"]
        rows = [("all sources", fit.n, fit), *((r["source"], r["n"], r["fit"]) for r in source_slopes(fit, points))]
        for source, n, source_fit in rows:
            if source_fit is None:
                slope, k = f"{_DASH} (too few points)" if n < _MIN_SOURCE_POINTS else f"{_DASH} (no fit)", _DASH
            else:
                slope = f"{fmt(source_fit.slope)} [{fmt(source_fit.ci_low)}, {fmt(source_fit.ci_high)}]"
                k = fmt(source_fit.k, ".2f") if source_fit.identified else _e(not_identified(source_fit))
            out.append(
                f"<tr>{cells[0]}<td>{_e(source)}</td><td class='num'>{n}</td>"
                f"<td class='num'>{slope}</td><td class='num'>{k}</td></tr>"
            )
    return [*out, "</table>", "</section>"]


def render_html(
    fits: Sequence[ScalingFit],
    points: pd.DataFrame,
    *,
    extras: Extras | None = None,
    title: str,
    generated_at: str,
    sections: Sequence[tuple[str, str, str]] = (),
) -> str:
    """The text of ``index.html``; images are the ``<benchmark>.png`` files ``write_report`` writes.
    ``sections`` are further (anchor, nav label, HTML) sections appended after the sources."""
    extras = extras or {}
    ordered = sorted(fits, key=sort_key)
    benchmarks = sorted({fit.benchmark for fit in ordered})
    counts: dict[str, int] = {}
    if "benchmark" in points.columns:
        counts = {str(k): int(v) for k, v in points["benchmark"].value_counts(dropna=True).items()}
    out = [
        "<!DOCTYPE html>",
        "<html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f"<p class='meta'>Generated at {_e(generated_at)}. {len(ordered)} fits over {len(benchmarks)} "
        f"benchmarks, from a points frame of {len(points)} rows.</p>",
        "<p class='note'>OLS per benchmark on its headline metric (METHODOLOGY §5–6). Polynomial form "
        "log10(error) = a + b·log10(C): implied exponent k = 1/|b|, compute to halve the error 2<sup>k</sup>; "
        "OLS ranges from the slope's 95% CI edges, bootstrap ranges from resampling whole papers "
        "(points of one paper are not independent). k is not identified, and no k, multiplier or extrapolation "
        "is given, when the slope's CI includes zero or k's range spans more than a factor of 10. "
        "Exponential form 1/error = a + c·log10(C). "
        "Extrapolations beyond a fit's compute range are out-of-sample.</p>",
        "<nav>" + "".join(f"<a href='#{_anchor(b)}'>{_e(b)}</a>" for b in benchmarks)
        + "<a href='#sources'>sources</a>" + "".join(f"<a href='#{a}'>{_e(label)}</a>" for a, label, _ in sections)
        + "</nav>",
        "<h2>Fits</h2>",
    ]
    out += _fits_table(ordered, extras) if ordered else ["<p>No fits.</p>"]
    for benchmark in benchmarks:
        bench_fits = [fit for fit in ordered if fit.benchmark == benchmark]
        out += _benchmark_section(benchmark, bench_fits, extras, counts.get(benchmark, 0))
    out += _sources_section(ordered, points)
    out += [body for _, _, body in sections]
    out += ["</body></html>", ""]
    return "\n".join(out)
