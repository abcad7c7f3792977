"""Refreshing `compute_estimates` and `hardware_names` from the effective runs, facts and catalog.

Estimates are derived data: every refresh recomputes them all from `v_effective_runs` (extracted
runs with analysts' overrides applied), `v_paper_facts` and the shipped catalog, in one transaction.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from warehouse import sql_accounting as sql
from warehouse.accounting import AccountingParams, Estimate, operation_count, parameter_tokens, run_estimates
from warehouse.catalog import Catalog, shipped_catalog
from warehouse.load import transaction

# A `flops` fact above this is a training total, not one forward pass (the largest published forward
# passes are ~1e13 FLOPs; totals start near 1e15).
MAX_FORWARD_FLOPS = 1e15
LLM_PARAMETERS = 1e9


@dataclass(frozen=True, slots=True)
class PaperContext:
    published: date | None
    llm: bool
    precision: str | None
    facts: dict[str, tuple[float | None, str | None, str]]  # field -> (value, value_text, source)


def _contexts(con: duckdb.DuckDBPyConnection) -> dict[str, PaperContext]:
    facts: dict[str, dict[str, tuple[float | None, str | None, str]]] = {}
    for paper_id, field, value, value_text, source in con.execute(sql.PAPER_FACTS).fetchall():
        facts.setdefault(paper_id, {})[field] = (value, value_text, source)
    meta = {pid: (published, categories) for pid, published, categories in con.execute(sql.PAPER_META).fetchall()}
    out = {}
    for paper_id in set(facts) | set(meta):
        f = facts.get(paper_id, {})
        published, categories = meta.get(paper_id, (None, None))
        params = (f.get("parameters") or (None,))[0]
        llm_override = (f.get("llm") or (None, None))[1]
        if llm_override is not None:
            llm = llm_override.strip().lower() in ("true", "yes", "1")
        else:
            llm = bool(params and params >= LLM_PARAMETERS and (
                "cs.CL" in (categories or []) or "training_tokens" in f))
        precision = (f.get("precision") or (None, None))[1]
        out[paper_id] = PaperContext(published, llm, precision, f)
    return out


def _row(est: Estimate, *, run_id: str | None, paper_id: str, phase: str, chips: float | None,
         seconds: float | None, sources: str, headline: bool) -> tuple[Any, ...]:
    key = run_id or f"{paper_id}:{phase}"
    return (f"{key}:{est.method}", run_id, paper_id, phase, est.method, est.unit, est.value, est.low, est.high,
            headline, est.peak_flops, est.peak_basis, chips, seconds, est.utilization,
            json.dumps(est.inputs, default=str), est.assumptions, sources)


def _fact(ctx: PaperContext, name: str) -> float | None:
    value = (ctx.facts.get(name) or (None,))[0]
    return float(value) if value else None


def _fact_sources(ctx: PaperContext, names: Iterable[str]) -> str:
    kinds = {ctx.facts[n][2] for n in names if n in ctx.facts}
    return "+".join(sorted(kinds)) or "extracted"


def paper_estimates(ctx: PaperContext, params: AccountingParams) -> list[tuple[Estimate, str]]:
    """Operation counts from the paper's facts: forward FLOPs x 3 x epochs x examples, and 6ND."""
    out: list[tuple[Estimate, str]] = []
    flops, madds = _fact(ctx, "flops"), _fact(ctx, "multiply_adds")
    forward = flops if flops and flops < MAX_FORWARD_FLOPS else (2 * madds if madds else None)
    epochs, examples = _fact(ctx, "epochs"), _fact(ctx, "training_set_size")
    if forward and epochs and examples:
        used = ["flops" if flops and flops < MAX_FORWARD_FLOPS else "multiply_adds", "epochs", "training_set_size"]
        inputs = {"forward_from": used[0]}
        out.append((operation_count(forward, epochs, examples, params, inputs), _fact_sources(ctx, used)))
    parameters, tokens = _fact(ctx, "parameters"), _fact(ctx, "training_tokens")
    if parameters and tokens:
        out.append((parameter_tokens(parameters, tokens, params, {}), _fact_sources(ctx, ["parameters",
                                                                                          "training_tokens"])))
    return out


def refresh_compute_estimates(con: duckdb.DuckDBPyConnection, params: AccountingParams | None = None,
                              catalog: Catalog | None = None) -> int:
    """Recompute every estimate and the hardware-name report; returns the estimate rows written."""
    p = params or AccountingParams()
    cat = catalog or shipped_catalog()
    contexts = _contexts(con)
    runs = con.execute(sql.EFFECTIVE_RUNS).fetchall()
    rows: list[tuple[Any, ...]] = []
    main_run: dict[str, str] = {}
    has_paper_count: set[str] = set()
    for paper_id, ctx in contexts.items():
        if paper_estimates(ctx, p):
            has_paper_count.add(paper_id)
    for run_id, paper_id, phase, accelerator, chips, hours, sources, phase_rank in runs:
        if phase == "training" and phase_rank == 1:
            main_run[paper_id] = run_id
        if not (accelerator and chips and hours):
            continue
        ctx = contexts.get(paper_id) or PaperContext(None, False, None, {})
        for est in run_estimates(cat, accelerator, chips, hours, precision=ctx.precision, llm=ctx.llm,
                                 on=ctx.published, params=p):
            headline = est.method == "hardware_time" and paper_id not in has_paper_count
            rows.append(_row(est, run_id=run_id, paper_id=paper_id, phase=phase, chips=chips,
                             seconds=hours * 3600, sources=sources, headline=headline))
    for paper_id in sorted(has_paper_count):
        estimates = paper_estimates(contexts[paper_id], p)
        for i, (est, sources) in enumerate(estimates):
            rows.append(_row(est, run_id=main_run.get(paper_id), paper_id=paper_id, phase="training", chips=None,
                             seconds=None, sources=sources, headline=i == 0))
    with transaction(con):
        con.execute(sql.DELETE_ESTIMATES)
        if rows:
            con.executemany(sql.INSERT_ESTIMATE, rows)
        _refresh_names(con, cat)
    return len(rows)


def _refresh_names(con: duckdb.DuckDBPyConnection, cat: Catalog) -> None:
    """Resolve every hardware name seen in extraction, Thompson and Epoch rows into `hardware_names`."""
    counts: Counter[tuple[str, str]] = Counter()
    known_by_extractor: dict[str, str] = {}
    for text, accelerator in con.execute(sql.EXTRACTED_NAMES).fetchall():
        name = (text or accelerator or "").strip()
        if name:
            counts[(name, "extracted")] += 1
            if accelerator and cat.get(accelerator):
                known_by_extractor[name] = accelerator
    for source, query in (("thompson", sql.THOMPSON_NAMES), ("epoch", sql.EPOCH_NAMES)):
        for (name,) in con.execute(query).fetchall():
            if name and name.strip():
                counts[(name.strip(), source)] += 1
    rows = []
    for (name, source), n in sorted(counts.items()):
        res = cat.resolve(name)
        if source == "extracted" and name in known_by_extractor and not res.known:
            rows.append((name, source, known_by_extractor[name], 1.0, "resolved", "extractor pattern", n))
        else:
            rows.append((name, source, res.accelerator, res.chips_per_unit, res.status, res.rule, n))
    con.execute("DELETE FROM hardware_names")
    if rows:
        con.executemany(sql.INSERT_HARDWARE_NAME, rows)
