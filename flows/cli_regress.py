"""Printing warehouse regressions: a table of fits with OLS and bootstrap intervals, then per fit the
influential papers, the form comparison and the extrapolation with compute, cost and CO2."""

from __future__ import annotations

import json
import math
import sys
from typing import Any

from rich.console import Console
from rich.table import Table

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
