"""`compute-limits override | overrides | review | hardware | checks`: curation and compute accounting."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from flows.cli.options import DbOption, JsonOption, settings_for

out = Console(soft_wrap=True)




def _num(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def _emit(rows: list[dict[str, Any]], cols: list[str], as_json: bool, title: str | None = None) -> None:
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps({c: row.get(c) for c in cols}, default=str) + "\n")
        return
    table = Table(title=title)
    for c in cols:
        table.add_column(c)
    for row in rows:
        table.add_row(*(_num(row.get(c)) for c in cols))
    out.print(table)


def override(
    paper: Annotated[str, typer.Argument(help="arXiv id, e.g. 1512.03385")],
    field: Annotated[str, typer.Argument(help="accelerator | count | count_unit | hours | parameters | flops | "
                                              "multiply_adds | epochs | training_set_size | training_tokens | "
                                              "precision | llm | score.<benchmark>")],
    value: Annotated[str, typer.Argument(help="the corrected value, e.g. V100, 8, '3 days', 1.2B, 76.1")],
    note: Annotated[str, typer.Option("--note", help="why: what the paper says, where")],
    phase: Annotated[str, typer.Option(help="run fields: training | pretraining | finetuning")] = "training",
    run: Annotated[str | None, typer.Option("--run", help="run fields: one run id (default: the phase's "
                                                          "most confident run)")] = None,
    by: Annotated[str | None, typer.Option("--by", help="who (default: env COMPUTE_LIMITS_USER or login)")] = None,
    db: DbOption = None,
) -> None:
    """Correct a fact. Kept with who/when/why, wins over extraction, survives re-ingest.

    Example: compute-limits override 1512.03385 hours "3 weeks" --note "p.5: 'trained for 3 weeks'"
    """
    import warehouse
    from warehouse import reads
    from warehouse.curation import add_override

    settings = settings_for(db)
    with warehouse.writing(settings.db, holder="compute-limits override", wait_s=settings.lock_wait_s) as con:
        o = add_override(con, paper, field, value, note=note, author=by, phase=phase, run_id=run,
                         params=settings.accounting())
        runs = reads.paper_runs(con, paper)
    resolved = f" (= {o.resolved})" if o.resolved else ""
    out.print(f"override {o.override_id}: {o.paper_id} {o.field} = {o.value_text}{resolved} by {o.author}")
    cols = ["run_id", "accelerator", "count", "chips", "hours", "hardware_burden", "estimated_compute", "sources"]
    _emit(runs, cols, False, title=f"runs of {paper} now")


def overrides(
    paper: Annotated[str | None, typer.Argument(help="only this paper")] = None,
    all_: Annotated[bool, typer.Option("--all", help="include superseded overrides")] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List analysts' overrides (active ones; --all for the history).

    Example: compute-limits overrides 1512.03385 --all
    """
    import warehouse
    from warehouse import reads

    with warehouse.connect_read_only(settings_for(db).db) as con:
        rows = reads.overrides(con, paper, all_)
    _emit(rows, ["paper_id", "field", "value_text", "resolved", "phase", "run_id", "note", "author", "created_at",
                 "active"], as_json)


def review(
    limit: Annotated[int, typer.Option(help="at most N runs")] = 20,
    factor: Annotated[float, typer.Option(help="a disagreement beyond this factor is a conflict")] = 2.0,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Runs to check first: conflicts with Thompson or Epoch (> 2x), then the least confident.

    Example: compute-limits review --limit 10
    """
    import warehouse
    from warehouse.curation import review_queue

    with warehouse.connect_read_only(settings_for(db).db) as con:
        rows = review_queue(con, limit=limit, conflict_factor=factor)
    if as_json:
        _emit(rows, ["paper_id", "run_id", "phase", "accelerator", "count", "count_unit", "hours", "confidence",
                     "sources", "hardware_burden", "thompson_hardware_burden", "estimated_compute", "epoch_compute",
                     "conflict", "why", "page", "quote"], True)
        return
    for row in rows:
        row["hardware"] = f"{_num(row['count'])} x {row['accelerator'] or row['accelerator_text'] or '?'}"
        row["run"] = (row["run_id"] or "")[:8]
    _emit(rows, ["paper_id", "run", "phase", "hardware", "hours", "confidence", "why"], False)


def hardware(
    names: Annotated[list[str] | None, typer.Argument(help="names to resolve, e.g. 'Tesla V100-SXM2-16GB'")] = None,
    unresolved: Annotated[bool, typer.Option("--unresolved", help="names seen in the sources that no alias "
                                                                  "resolves (from the warehouse)")] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """The hardware catalog; resolve names; or list the names it does not know.

    Example: compute-limits hardware "TPUv3-8" "Cloud TPU v3 Pod" 2080Ti
    """
    from warehouse.catalog import shipped_catalog

    catalog = shipped_catalog()
    if names:
        rows = [{"name": r.name, "accelerator": r.accelerator, "chips_per_unit": r.chips_per_unit,
                 "status": r.status, "rule": r.rule} for r in map(catalog.resolve, names)]
        _emit(rows, ["name", "accelerator", "chips_per_unit", "status", "rule"], as_json)
        return
    if unresolved:
        import warehouse
        from warehouse import reads

        with warehouse.connect_read_only(settings_for(db).db) as con:
            rows = reads.unresolved_hardware(con)
            cols = list(rows[0]) if rows else ["name", "source", "status", "rule", "accelerator", "occurrences"]
        _emit(rows, cols, as_json)
        return
    rows = [{"accelerator": a.accelerator, "name": a.name,
             "released": a.released.isoformat() if a.released else None,
             "fp32_tflops": a.fp32 and a.fp32 / 1e12, "tf32_tflops": a.tf32 and a.tf32 / 1e12,
             "tensor16_tflops": a.tensor16 and a.tensor16 / 1e12, "fp8_tflops": a.fp8 and a.fp8 / 1e12,
             "memory_gb": a.memory_gb, "tdp_w": a.tdp_w, "chips_per_device": a.chips_per_device,
             "thompson_tflops": a.thompson and a.thompson / 1e12, "thompson_unit": a.thompson_unit,
             "source": a.source} for a in catalog.accelerators.values()]
    _emit(rows, list(rows[0]), as_json)


def checks(as_json: JsonOption = False, db: DbOption = None) -> None:
    """Recompute and show the reference checks: Thompson's hardware burden through this catalog, and the
    hardware-time estimate against Epoch's training compute (after `import thompson` / `import epoch`).

    Example: compute-limits checks
    """
    import warehouse
    from warehouse import reads
    from warehouse.checks import refresh_reference_checks

    settings = settings_for(db)
    with warehouse.writing(settings.db, holder="compute-limits checks", wait_s=settings.lock_wait_s) as con:
        summary = refresh_reference_checks(con, settings.accounting())
        rows = reads.check_outliers(con)
    if as_json:
        sys.stdout.write(json.dumps({"summary": asdict(summary), "outliers": rows}, default=str) + "\n")
        return
    out.print(f"Thompson et al.: {summary.thompson_within_10pct} of {summary.thompson_rows} hardware burdens "
              "recomputed within 10%")
    median = f"{summary.epoch_median_ratio:.2f}" if summary.epoch_median_ratio else "n/a"
    out.print(f"Epoch AI: {summary.epoch_compared} of {summary.epoch_rows} rows compared; median ratio of the "
              f"hardware-time estimate to their compute {median}")
    if summary.epoch_hardware_rows:
        n = summary.epoch_hardware_rows
        out.print(f"Epoch AI hardware-method rows (no base model), at their utilisation where they state one: "
                  f"{summary.epoch_hardware_within_2x} of {n} within 2x ({summary.epoch_hardware_within_2x / n:.0%}), "
                  f"{summary.epoch_hardware_within_25pct} within 25% ({summary.epoch_hardware_within_25pct / n:.0%})")
    if summary.epoch_hardware_only_rows:
        n = summary.epoch_hardware_only_rows
        out.print(f"  of which Epoch's figure is from the hardware method alone: "
                  f"{summary.epoch_hardware_only_within_2x} of {n} within 2x "
                  f"({summary.epoch_hardware_only_within_2x / n:.0%}), {summary.epoch_hardware_only_within_25pct} "
                  f"within 25% ({summary.epoch_hardware_only_within_25pct / n:.0%}); the others list operation "
                  "counting too, which Epoch prefer where both are possible")
    _emit(rows, ["source", "model", "ratio", "reason"], False, title="rows that disagree (Thompson > 10%, Epoch > 3x)")


def register(app: typer.Typer) -> None:
    for command in (override, overrides, review, hardware, checks):
        app.command()(command)
