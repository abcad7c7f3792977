"""`compute-limits regress`: fit the scaling regressions (flows.fitting, the flow's own path) and print
them: a table of fits with OLS and bootstrap intervals, then per fit the influential papers, the form
comparison and the extrapolation with compute, cost and CO2; or refit Thompson et al.'s published ones."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from flows.cli.options import DbOption, settings_for
from flows.session import staged

out = Console(soft_wrap=True)


def _g(value: Any, spec: str = ".3g") -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return format(value, spec)


def _interval(low: Any, high: Any, spec: str = ".3g") -> str:
    return f"[{_g(low, spec)}, {_g(high, spec)}]"


def eng(value: Any) -> str:
    """A multiplier in engineering notation past 10,000 ("8.6e84", exponent a multiple of 3), so a
    26-digit factor stays one short cell; below that, a plain integer with separators."""
    if value is None or not isinstance(value, int | float) or not math.isfinite(value):
        return "–"
    if abs(value) < 1e4:
        return f"{value:,.0f}"
    exponent = int(math.floor(math.log10(abs(value)) / 3) * 3)
    mantissa = value / 10**exponent
    if abs(round(mantissa, 2)) >= 1000:  # 999.999e3 rounds up to the next group
        mantissa, exponent = mantissa / 1000, exponent + 3
    return f"{mantissa:.3g}e{exponent}"


def _money(value: Any) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return f"${value:,.3g}" if value < 1e6 else f"${value:.2e}"


def _k_and_halving(r: dict[str, Any]) -> tuple[str, str]:
    """The k and halving cells of a fit record: "not identified (reason)" and "–" unless k is identified."""
    if r["form"] != "polynomial":
        return "–", "–"
    if not r.get("identified") or r.get("k") is None:
        return f"not identified ({r.get('not_identified_reason') or 'slope CI not entirely below zero'})", "–"
    bounds = f"[{eng(r['halving_multiplier_low'])}, {eng(r['halving_multiplier_high'])}]"
    return f"{_g(r['k'])} {_interval(r['k_low'], r['k_high'])}", f"{eng(r['halving_multiplier'])} {bounds}"


def print_regressions(fitted: list[tuple[Any, list[dict[str, Any]]]], as_json: bool,
                      synthetic_left_out: int = 0) -> None:
    """Print each (selection, fit records) as a table with notes, or as JSON Lines; `synthetic_left_out`
    papers are named if none fit."""
    records = [r for _, fit_rows in fitted for r in fit_rows]
    if as_json:
        for record in records:
            sys.stdout.write(json.dumps(record, default=str) + "\n")
        return
    if not records:
        hint = (f" ({synthetic_left_out} synthetic fixture papers are left out; --include-synthetic fits them "
                "on their own)" if synthetic_left_out else "")
        out.print(f"no benchmark has 3 or more usable points for this selection{hint}", highlight=False)
        return
    table = Table(title=f"scaling fits ({fitted[0][0].label()})")
    for col in ("benchmark", "form", "n", "slope ± SE", "95% CI (OLS)", "95% CI (bootstrap)", "R²", "k [CI]",
                "×compute to halve error"):
        table.add_column(col, overflow="fold")
    for r in records:
        boot = r.get("bootstrap") or {}
        k, halving = _k_and_halving(r)
        table.add_row(r["benchmark"], r["form"], str(r["n"]), f"{r['slope']:.4f} ± {r['se']:.4f}",
                      _interval(r["ci_low"], r["ci_high"], ".4f"),
                      _interval(boot.get("slope_low"), boot.get("slope_high"), ".4f"), f"{r['r2']:.3f}", k, halving)
    out.print(table)
    for r in records:
        if r["form"] != "polynomial":
            continue
        lines = []
        influence = r.get("influence") or []
        if influence:
            lines.append("  most influential papers (slope without them): " + "; ".join(
                f"{i['paper_key']} {i['slope_without']:.4f}" for i in influence[:3]))
        if r.get("comparison"):
            lines.append("  " + r["comparison"].get("statement", ""))
        if not r.get("identified"):
            lines.append(f"  no extrapolation: k {_k_and_halving(r)[0]}")
        for e in (r.get("extrapolations") or []) if r.get("identified") else []:
            lines.append(
                f"  error {e['target_error']:.1%}: 10^{e['log10_compute']:.1f} FLOP "
                f"[10^{_g(e['log10_low'], '.1f')}, 10^{_g(e['log10_high'], '.1f')}], "
                f"cost {_money(e.get('cost_usd'))} [{_money(e.get('cost_usd_low'))}, {_money(e.get('cost_usd_high'))}]"
                f", CO2 {_g(e.get('co2_kg'))} kg (out of sample)")
        if lines:
            out.print(f"[bold]{r['benchmark']}[/bold] ({r['n']} points):")
            for line in lines:
                out.print(line, highlight=False)
    out.print(f"{len(records)} fits stored in `fits` with their point ids")


_THOMPSON_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "thompson"


def regress(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the fits as JSON Lines")] = False,
    source: Annotated[str, typer.Option(
        "--source", help="warehouse (fit and store) or thompson (refit Thompson et al.'s published CSVs)")
    ] = "warehouse",
    directory: Annotated[Path | None, typer.Option(
        "--dir", help="with --source thompson: the folder holding their CSVs")] = None,
    benchmark: Annotated[list[str] | None, typer.Option(
        help="only this benchmark (repeatable): a registry id (warehouse/data/benchmarks.csv), e.g. imagenet, "
             "humaneval")] = None,
    x: Annotated[str, typer.Option("--x", help="hardware_burden | estimated_compute | network_operations")
                 ] = "hardware_burden",
    frontier: Annotated[bool, typer.Option(help="only points that were state of the art at their date")] = False,
    year_from: Annotated[int | None, typer.Option(help="only points from this year on")] = None,
    year_to: Annotated[int | None, typer.Option(help="only points up to this year")] = None,
    points_from: Annotated[str, typer.Option(help="compute sources to use, in precedence order")
                           ] = "thompson,extracted,epoch",
    draws: Annotated[int, typer.Option(help="bootstrap draws (paper-level resampling, fixed seed)")] = 1000,
    include_synthetic: Annotated[bool, typer.Option(
        "--include-synthetic", help="also fit the synthetic fixture papers, on their own")] = False,
) -> None:
    """Fit the scaling regression per benchmark on the warehouse and store the fits.

    Points come from every source (Thompson et al.'s rows; the warehouse's scores with compute extracted
    from the paper or from Epoch AI), one per paper by source precedence. With --source thompson, refit
    Thompson et al.'s published regressions from their CSVs instead (nothing is stored).
    Example: compute-limits regress --benchmark imagenet --x hardware_burden --frontier;
    compute-limits regress --source thompson --json
    """
    if source == "thompson":
        _regress_thompson(directory, as_json)
        return
    if source != "warehouse":
        raise ValueError(f"unknown --source {source!r}: use warehouse or thompson")
    if directory is not None:
        raise ValueError("--dir applies to --source thompson only")
    from dataclasses import replace

    from analysis.selection import Selection, check_benchmarks
    from flows import fitting
    from flows.cli.regress import print_regressions

    sources = tuple(s.strip() for s in points_from.split(",") if s.strip())
    selection = Selection(x=x, benchmarks=check_benchmarks(benchmark or ()), sources=sources, year_from=year_from,
                          year_to=year_to, frontier=frontier, precedence=sources)
    selections = [selection, replace(selection, synthetic=True)] if include_synthetic else [selection]
    with staged(settings_for(db), holder="compute-limits regress") as settings:
        fitted = fitting.regress(settings, run_id=None, selections=selections, draws=draws, cached=False).fitted
        left_out = 0 if include_synthetic else _synthetic_papers(settings.db)
    print_regressions(fitted, as_json, synthetic_left_out=left_out)


def _synthetic_papers(db_path: Path) -> int:
    """How many synthetic fixture papers the warehouse holds (left out of fits unless asked for)."""
    import warehouse
    from warehouse.reads import synthetic_papers

    with warehouse.connect(db_path) as con:
        return synthetic_papers(con)


def _regress_thompson(directory: Path | None, as_json: bool) -> None:
    """Refit Thompson et al.'s regressions (analysis.reproduce) and print them."""
    from analysis.reproduce import reproduce_thompson, reproduction_json

    if directory is None:
        if not _THOMPSON_DIR.is_dir():
            raise ValueError("give --dir: the folder holding Thompson et al.'s CSVs")
        directory = _THOMPSON_DIR
    fits = reproduce_thompson(directory)
    if as_json:
        sys.stdout.write(reproduction_json(fits))
        return
    table = Table(title="Thompson et al.'s regressions, refitted")
    for column in ("benchmark", "fit", "n", "a", "b ± se", "95% CI of b", "R²", "k [CI]", "2^k [CI]"):
        table.add_column(column, overflow="fold")
    for f in fits:
        terms = "".join(f" + {t.name}" for t in f.terms)
        k = "" if f.k is None else f"{f.k:.3g} [{f.k_low:.3g}, {f.k_high:.3g}]"
        mult = "" if f.k is None else (f"{f.halving_multiplier:.3g} [{f.halving_multiplier_low:.3g}, "
                                       f"{f.halving_multiplier_high:.3g}]")
        table.add_row(f.benchmark, f"{f.form}: {f.response} ~ log10({f.x}){terms}", str(f.n), f"{f.intercept:.4f}",
                      f"{f.slope:.4f} ± {f.se:.3f}", f"[{f.ci_low:.3f}, {f.ci_high:.3f}]", f"{f.r2:.3f}", k, mult)
    out.print(table)
    for f in fits:
        if f.exponent.startswith("identified by the slope CI"):
            out.print(f"{f.key}: {f.exponent.split('; ', 1)[1]}, so k is not identified by this project's rule "
                      "(METHODOLOGY §6); the published numbers are shown.", soft_wrap=True, highlight=False)
    out.print(f"{len(fits)} regressions refitted from {directory}")


def _fmt(value: Any) -> Any:
    return f"{value:.4g}" if isinstance(value, float) else value


def register(app: typer.Typer) -> None:
    app.command()(regress)
