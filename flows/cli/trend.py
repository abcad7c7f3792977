"""`compute-limits trend`: how fast training compute grows (per source and group), and with
`--progress BENCHMARK` how fast the compute needed for a fixed error falls (algorithmic progress).

Reads the published warehouse read-only (`warehouse.connect_read_only`, as `status` and
`overrides` do); the rows come from `warehouse.trends`, the maths from `analysis.trends` and
`analysis.progress`. Every option is checked before the warehouse is opened.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from flows.cli.options import DbOption, one_of, since_date
from flows.cli.regress import eng
from flows.settings import Settings

out = Console(soft_wrap=True)
SOURCE_CHOICES = ("thompson", "epoch", "extracted", "all")
BY_CHOICES = ("domain", "benchmark", "none")
X_CHOICES = ("hardware_burden", "estimated_compute")


def _benchmark(value: str | None) -> str | None:
    """``--progress``: one of the warehouse's benchmarks (checked without opening it)."""
    if value is None:
        return None
    from analysis.error_rates import HEADLINE_METRICS

    return one_of(*HEADLINE_METRICS)(value)


def _g(value: Any, spec: str = ".3g") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float) and math.isinf(value):
        return "∞" if value > 0 else "-∞"
    return format(value, spec)


def _ci(low: Any, high: Any, spec: str = ".3g") -> str:
    return f"[{_g(low, spec)}, {_g(high, spec)}]"


def _check_combination(progress: str | None, by: str | None, frontier: bool, x: str | None) -> None:
    """Options that do not go together fail here, one line naming the option."""
    if progress is not None and by is not None:
        raise typer.BadParameter("groups compute trends; --progress fits one benchmark", param_hint="--by")
    if progress is not None and frontier:
        raise typer.BadParameter("applies to compute trends, not to --progress", param_hint="--frontier")
    if progress is None and x is not None:
        raise typer.BadParameter("applies to --progress only", param_hint="--x")


def trend(
    source: Annotated[str, typer.Option(
        "--source", callback=one_of(*SOURCE_CHOICES),
        help="thompson | epoch | extracted | all (each source fitted on its own, never pooled)")] = "all",
    by: Annotated[str | None, typer.Option(
        "--by", callback=one_of(*BY_CHOICES),
        help="domain (code models as group `code`) | benchmark | none; an `all` group is always fitted")] = None,
    frontier: Annotated[bool, typer.Option(
        "--frontier", help="only models in the running top 10 by compute of their group at publication")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print a JSON list of the fits")] = False,
    since: Annotated[str, typer.Option(
        "--since", callback=since_date, help="only models published on or after YYYY-MM-DD")] = "2010-01-01",
    progress: Annotated[str | None, typer.Option(
        "--progress", metavar="BENCHMARK", callback=_benchmark,
        help="algorithmic progress on this benchmark: log10(compute) ~ year + log10(error)")] = None,
    x: Annotated[str | None, typer.Option(
        "--x", callback=one_of(*X_CHOICES),
        help="with --progress: hardware_burden (default) | estimated_compute")] = None,
    draws: Annotated[int, typer.Option("--draws", min=100, help="bootstrap draws (papers resampled, fixed seed)")
                     ] = 1000,
    include_synthetic: Annotated[bool, typer.Option(
        "--include-synthetic", help="also fit the synthetic fixture papers, on their own")] = False,
    db: DbOption = None,
) -> None:
    """Growth of training compute over time: OLS of log10(compute) on the fractional publication year
    per source and group (growth per year, doubling time, 90% paper-level bootstrap interval); with
    --progress, the halving time of the compute needed for a fixed error on one benchmark.

    Example: compute-limits trend --source epoch --by domain; compute-limits trend --progress imagenet
    """
    import warehouse

    _check_combination(progress, by, frontier, x)
    settings = Settings(db=db) if db is not None else Settings()
    start = dt.date.fromisoformat(since)
    sources = ("epoch", "thompson", "extracted") if source == "all" else (source,)
    with warehouse.connect_read_only(settings.db) as con:
        if progress is not None:
            from warehouse.trends import progress_points

            points = progress_points(con, progress)
        else:
            from warehouse.trends import trend_rows

            rows = trend_rows(con, sources, include_synthetic=include_synthetic)
    if progress is not None:
        order = ("thompson", "extracted", "epoch") if source == "all" else sources  # regress's precedence
        records = _progress_records(points, progress, x or "hardware_burden", order, include_synthetic, start,
                                    draws)
        _print_progress(records, as_json)
        return
    from analysis.trends import trend_fits

    results = trend_fits(rows, by=by or "none", frontier=frontier, since=start, draws=draws)
    _print_trends([r.to_dict() for r in results], as_json, by=by or "none", since=since, frontier=frontier)


def _progress_records(points: Any, benchmark: str, x: str, sources: tuple[str, ...], include_synthetic: bool,
                      since: dt.date, draws: int) -> list[dict[str, Any]]:
    """The real points' fit, and with --include-synthetic the synthetic points' apart; a fit that
    cannot be made is a record saying why."""
    from analysis.exceptions import InsufficientDataError
    from analysis.progress import fit_progress

    records = []
    for synthetic in (False, True) if include_synthetic else (False,):
        try:
            fit = fit_progress(points, benchmark, x=x, sources=sources, synthetic=synthetic, since=since, draws=draws)
            records.append(fit.to_dict())
        except InsufficientDataError as exc:
            records.append({"kind": "progress-not-fitted", "benchmark": benchmark, "x": x, "sources": list(sources),
                            "synthetic": synthetic, "since": since.isoformat(), "reason": str(exc)})
    return records


def _dates(r: dict[str, Any]) -> str:
    return f"{r.get('date_from') or '?'} – {r.get('date_to') or '?'}"


def _print_trends(records: list[dict[str, Any]], as_json: bool, *, by: str, since: str, frontier: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(records, default=str) + "\n")
        return
    fits = [r for r in records if r["kind"] == "trend"]
    if not fits:
        out.print(f"no source has 3 or more dated models with a compute since {since} for this selection",
                  highlight=False)
    else:
        title = f"compute trends: log10(compute) ~ fractional year, by {by}, since {since}"
        table = Table(title=title + (", running top-10 frontier" if frontier else ""))
        for col in ("source", "group", "n", "papers", "dates", "compute (FLOP)", "slope (log10/yr)",
                    "growth ×/yr [90% CI]", "doubling, months [90% CI]"):
            table.add_column(col, overflow="fold")
        for r in fits:
            table.add_row(r["source"], r["group"], str(r["n"]), str(r["papers"]), _dates(r),
                          f"{eng(r['compute_min'])} – {eng(r['compute_max'])}", f"{r['slope']:.4f}",
                          f"{_g(r['growth_per_year'])} {_ci(r['growth_low'], r['growth_high'])}",
                          f"{_g(r['doubling_months'])} {_ci(r['doubling_low'], _inf(r['doubling_high']))}")
        out.print(table)
        first = fits[0]
        out.print(f"intervals: {first['interval']} ({first['draws']} draws, seed {first['seed']}); "
                  "fractional year = year + (day of year - 1) / 365.25", highlight=False)
    for r in records:
        if r["kind"] != "trend":
            out.print(f"not fitted: {r['source']} {r['group']} (n {r['n']}, papers {r['papers']}): {r['reason']}",
                      highlight=False)


def _inf(value: Any) -> Any:
    return math.inf if value == "inf" else value


def _print_progress(records: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(records, default=str) + "\n")
        return
    fits = [r for r in records if r["kind"] == "progress"]
    if fits:
        table = Table(title="algorithmic progress: log10(compute) = a + b·year + c·log10(error)")
        for col in ("benchmark", "n", "papers", "dates", "compute (FLOP)", "b (log10/yr) [90% CI]", "c [90% CI]",
                    "R²", "compute for a fixed error halves every"):
            table.add_column(col, overflow="fold")
        for r in fits:
            halving = (f"{_g(r['halving_months'])} months {_ci(r['halving_low'], r['halving_high'])}"
                       if r["identified"] else f"not identified ({r['not_identified_reason']})")
            label = r["benchmark"] + (" (synthetic fixture papers only)" if r["synthetic"] else "")
            table.add_row(label, str(r["n"]), str(r["papers"]), _dates(r),
                          f"{eng(r['compute_min'])} – {eng(r['compute_max'])}",
                          f"{r['b']:.4f} {_ci(r['b_low'], r['b_high'], '.4f')}",
                          f"{r['c']:.3f} {_ci(r['c_low'], r['c_high'])}", f"{r['r2']:.3f}", halving)
        out.print(table)
        first = fits[0]
        out.print(f"points: one per paper, compute = {first['x']} from {', then '.join(first['sources'])}; "
                  f"intervals: {first['interval']} ({first['draws']} draws, seed {first['seed']}); "
                  "halving time = 12·log10(2)/(-b) months", highlight=False)
    for r in records:
        if r["kind"] != "progress":
            which = "synthetic fixture points" if r["synthetic"] else "points"
            out.print(f"not fitted: {r['benchmark']} {which}: {r['reason']}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(trend)
