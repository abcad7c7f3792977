"""Refreshing `compute_estimates` and `hardware_names` from the effective runs, facts and catalog.

Estimates are derived data, computed per paper from `v_effective_runs` (extracted runs with analysts'
overrides applied), `v_paper_facts`, the paper's date and categories, the catalog and the accounting
assumptions. `refresh_compute_estimates` recomputes them all in one transaction.
`update_compute_estimates` (the ingest's estimate stage) recomputes only the papers whose inputs
changed since (a fingerprint per paper in `estimate_inputs`), and everything when the assumptions,
the catalog, the estimate code or the schema changed (one fingerprint in `crawl_state`); the rows it
leaves are the same as a full recompute's. A run that changed nothing reads two fingerprints and
writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from warehouse import records
from warehouse import sql as wsql
from warehouse import sql_accounting as sql
from warehouse.accounting import AccountingParams, Estimate, operation_count, parameter_tokens, run_estimates
from warehouse.catalog import Catalog, shipped_catalog
from warehouse.load import now, transaction
from warehouse.stated_compute import StatedCompute, largest_stated

logger = logging.getLogger(__name__)

# A `flops` fact above this is a training total, not one forward pass (the largest published forward
# passes are ~1e13 FLOPs; totals start near 1e15).
MAX_FORWARD_FLOPS = 1e15
LLM_PARAMETERS = 1e9

INPUTS_KEY = "estimates.inputs"            # crawl_state: assumptions, catalog, code and schema
CHECKS_KEY = "estimates.reference_checks"  # crawl_state: the checks' inputs and their summary
RESULT_OVERRIDES_KEY = "estimates.result_overrides"
_CODE = tuple(Path(__file__).with_name(n) for n in ("estimates.py", "accounting.py", "stated_compute.py"))


@dataclass(frozen=True, slots=True)
class PaperContext:
    published: date | None
    llm: bool
    precision: str | None
    facts: dict[str, tuple[float | None, str | None, str]]  # field -> (value, value_text, source)


@dataclass(frozen=True, slots=True)
class EstimateRefresh:
    """What an update did: everything (`full`), or the `papers` whose inputs changed."""

    full: bool
    papers: int
    rows_written: int
    names_refreshed: bool


def _contexts(con: duckdb.DuckDBPyConnection, papers: list[str] | None = None) -> dict[str, PaperContext]:
    facts: dict[str, dict[str, tuple[float | None, str | None, str]]] = {}
    fact_rows = (con.execute(sql.PAPER_FACTS) if papers is None else con.execute(wsql.PAPER_FACTS_OF, [papers]))
    for paper_id, field, value, value_text, source in fact_rows.fetchall():
        facts.setdefault(paper_id, {})[field] = (value, value_text, source)
    meta_rows = con.execute(sql.PAPER_META) if papers is None else con.execute(wsql.PAPER_META_OF, [papers])
    meta = {pid: (published, categories) for pid, published, categories in meta_rows.fetchall()}
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


def _estimate_rows(con: duckdb.DuckDBPyConnection, p: AccountingParams, cat: Catalog,
                   papers: list[str] | None = None) -> list[tuple[Any, ...]]:
    """Every estimate row of these papers (None: of all). Each paper's rows depend on its inputs only.

    A paper's headline estimate is the compute it states, else its operation count (forward FLOPs, 6ND),
    else the hardware time of its runs: Epoch AI's order of preference."""
    contexts = _contexts(con, papers)
    stated = _stated(con, papers)
    runs = (con.execute(sql.EFFECTIVE_RUNS) if papers is None else con.execute(wsql.EFFECTIVE_RUNS_OF, [papers]))
    all_runs = runs.fetchall()
    main_run = {r[1]: r[0] for r in all_runs if r[2] == "training" and r[7] == 1}
    main_acc: dict[str, str] = {}
    for _run, paper_id, _phase, accelerator, *_rest, phase_rank in all_runs:
        if accelerator and (phase_rank == 1 or paper_id not in main_acc):
            main_acc[paper_id] = accelerator
    paper_rows: dict[str, list[tuple[Estimate, str]]] = {}
    for paper_id in sorted(set(contexts) | set(stated)):
        ctx = contexts.get(paper_id) or PaperContext(None, False, None, {})
        first = largest_stated(stated.get(paper_id, []), cat, cat.get(main_acc.get(paper_id)), precision=ctx.precision,
                               llm=ctx.llm, utilization=_utilization(ctx), params=p)
        found = ([(first, "extracted")] if first else []) + paper_estimates(ctx, p)
        if found:
            paper_rows[paper_id] = found
    rows: list[tuple[Any, ...]] = []
    for run_id, paper_id, phase, accelerator, chips, hours, sources, _rank in all_runs:
        if not (accelerator and chips and hours):
            continue
        ctx = contexts.get(paper_id) or PaperContext(None, False, None, {})
        for est in run_estimates(cat, accelerator, chips, hours, precision=ctx.precision, llm=ctx.llm,
                                 on=ctx.published, params=p, utilization=_utilization(ctx)):
            headline = est.method == "hardware_time" and paper_id not in paper_rows
            rows.append(_row(est, run_id=run_id, paper_id=paper_id, phase=phase, chips=chips,
                             seconds=hours * 3600, sources=sources, headline=headline))
    for paper_id, estimates in paper_rows.items():
        for i, (est, sources) in enumerate(estimates):
            rows.append(_row(est, run_id=main_run.get(paper_id), paper_id=paper_id, phase="training", chips=None,
                             seconds=None, sources=sources, headline=i == 0))
    return rows


def _utilization(ctx: PaperContext) -> float | None:
    """The utilisation (MFU) the paper states for its training, when in (0, 1]."""
    value = _fact(ctx, "utilization")
    return value if value is not None and 0 < value <= 1 else None


def _stated(con: duckdb.DuckDBPyConnection, papers: list[str] | None) -> dict[str, list[StatedCompute]]:
    """Each paper's compute statements (extracted facts of kind `compute`, confident enough)."""
    out: dict[str, list[StatedCompute]] = {}
    for paper_id, fact_id, amount, unit, quote, page in con.execute(sql.STATED_COMPUTE, [papers, papers]).fetchall():
        if amount and unit:
            out.setdefault(paper_id, []).append(StatedCompute(float(amount), unit, quote or "", page, fact_id))
    return out


def inputs_fingerprint(con: duckdb.DuckDBPyConnection, params: AccountingParams, catalog: Catalog) -> str:
    """What every estimate depends on besides its paper's own rows: the assumptions, the catalog and
    prices, the estimate code and the schema version (its views)."""
    digest = hashlib.sha256(repr(params).encode("utf-8"))
    digest.update(repr(sorted(catalog.accelerators.items())).encode("utf-8"))
    digest.update(repr(catalog.prices).encode("utf-8"))
    for path in _CODE:
        digest.update(path.read_bytes())
    row = con.execute(wsql.SCHEMA_VERSION).fetchone()
    digest.update(str(row[0] if row else None).encode("utf-8"))
    return digest.hexdigest()


def refresh_compute_estimates(con: duckdb.DuckDBPyConnection, params: AccountingParams | None = None,
                              catalog: Catalog | None = None) -> int:
    """Recompute every estimate and the hardware-name report; returns the estimate rows written."""
    p = params or AccountingParams()
    cat = catalog or shipped_catalog()
    fingerprint = inputs_fingerprint(con, p, cat)
    with transaction(con):
        rows = _estimate_rows(con, p, cat)
        con.execute(sql.DELETE_ESTIMATES)
        _insert_estimates(con, rows)
        _refresh_names(con, cat)
        con.execute(wsql.DELETE_ALL_ESTIMATE_INPUTS)
        con.execute(wsql.INSERT_ALL_ESTIMATE_INPUTS, [now()])
        records.set_state(con, INPUTS_KEY, fingerprint)
    return len(rows)


def update_compute_estimates(con: duckdb.DuckDBPyConnection, params: AccountingParams | None = None,
                             catalog: Catalog | None = None, *, full: bool = False,
                             names: bool = False) -> EstimateRefresh:
    """Recompute the estimates of the papers whose inputs changed (all of them when `full`, or when the
    assumptions, catalog, code or schema changed); rebuild `hardware_names` when any paper changed or
    `names` asks (the reference rows changed)."""
    p = params or AccountingParams()
    cat = catalog or shipped_catalog()
    fingerprint = inputs_fingerprint(con, p, cat)
    if full or records.get_state(con, INPUTS_KEY) != fingerprint:
        written = refresh_compute_estimates(con, p, cat)
        logger.info("estimates: full recompute, %d rows", written)
        return EstimateRefresh(True, int(_scalar(con, wsql.ESTIMATE_INPUT_COUNT)), written, True)
    with transaction(con):
        changed = con.execute(wsql.CHANGED_ESTIMATE_INPUTS).fetchall()
        papers = [str(pid) for pid, _ in changed]
        rows: list[tuple[Any, ...]] = []
        if papers:
            rows = _estimate_rows(con, p, cat, papers)
            con.execute(wsql.DELETE_ESTIMATES_OF, [papers])
            _insert_estimates(con, rows)
            con.execute(wsql.DELETE_ESTIMATE_INPUTS_OF, [papers])
            kept = [(pid, fp) for pid, fp in changed if fp is not None]
            if kept:
                con.execute(wsql.INSERT_ESTIMATE_INPUTS, [[k[0] for k in kept], [k[1] for k in kept], now()])
        if papers or names:
            _refresh_names(con, cat)
    logger.info("estimates: %d papers changed, %d rows written", len(papers), len(rows))
    return EstimateRefresh(False, len(papers), len(rows), bool(papers or names))


def _insert_estimates(con: duckdb.DuckDBPyConnection, rows: list[tuple[Any, ...]]) -> None:
    """All rows in one statement (a DataFrame scan: row-by-row inserts cost ~1 ms each)."""
    import pandas as pd

    if not rows:
        return
    con.register("estimate_rows", pd.DataFrame(rows, columns=list(wsql.ESTIMATE_COLUMNS)))
    try:
        con.execute(wsql.INSERT_ESTIMATE_ROWS)
    finally:
        con.unregister("estimate_rows")


def estimate_count(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute(wsql.ESTIMATE_COUNT).fetchone()
    return int(row[0]) if row else 0


def refresh_reference_checks_if_changed(con: duckdb.DuckDBPyConnection, params: AccountingParams,
                                        catalog: Catalog | None = None, *,
                                        force: bool = False) -> tuple[dict[str, Any], bool]:
    """The reference checks (`checks.refresh_reference_checks`) recomputed only when Thompson's or
    Epoch's rows, the assumptions, the catalog or the code changed; else their stored summary.
    Returns (summary as a dict, whether they were recomputed)."""
    from dataclasses import asdict

    from warehouse.checks import refresh_reference_checks

    cat = catalog or shipped_catalog()
    key = _checks_inputs(con, params, cat)
    stored = records.get_state(con, CHECKS_KEY)
    if stored and not force:
        saved = json.loads(stored)
        if saved.get("inputs") == key:
            return dict(saved["summary"]), False
    summary = asdict(refresh_reference_checks(con, params, cat))
    records.set_state(con, CHECKS_KEY, json.dumps({"inputs": key, "summary": summary}, sort_keys=True))
    return summary, True


def _checks_inputs(con: duckdb.DuckDBPyConnection, params: AccountingParams, cat: Catalog) -> str:
    """What the reference checks read: Thompson's and Epoch's rows, the assumptions, catalog and code."""
    return hashlib.sha256((_scalar(con, wsql.REFERENCE_FINGERPRINT) + inputs_fingerprint(con, params, cat)
                           + Path(__file__).with_name("checks.py").read_text("utf-8")).encode("utf-8")).hexdigest()


def unchanged_summary(con: duckdb.DuckDBPyConnection, params: AccountingParams,
                      catalog: Catalog | None = None) -> dict[str, Any] | None:
    """When nothing the estimate stage reads changed since it last ran: the reference checks' stored
    summary, found without writing (a read-only connection will do). Else None, and also when the
    warehouse predates the bookkeeping."""
    cat = catalog or shipped_catalog()
    try:
        if records.get_state(con, RESULT_OVERRIDES_KEY) != _scalar(con, wsql.RESULT_OVERRIDES_FINGERPRINT):
            return None
        if records.get_state(con, INPUTS_KEY) != inputs_fingerprint(con, params, cat):
            return None
        stored = records.get_state(con, CHECKS_KEY)
        saved = json.loads(stored) if stored else {}
        if saved.get("inputs") != _checks_inputs(con, params, cat):
            return None
        if con.execute(wsql.CHANGED_ESTIMATE_INPUTS).fetchone() is not None:
            return None
    except duckdb.Error:  # e.g. no estimate_inputs table yet
        return None
    return dict(saved["summary"])


def _scalar(con: duckdb.DuckDBPyConnection, query: str) -> str:
    row = con.execute(query).fetchone()
    return str(row[0]) if row else ""


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
    rows: list[tuple[str, str, str | None, float | None, str, str, int]] = []
    for (name, source), n in sorted(counts.items()):
        res = cat.resolve(name)
        if source == "extracted" and name in known_by_extractor and not res.known:
            rows.append((name, source, known_by_extractor[name], 1.0, "resolved", "extractor pattern", n))
        else:
            rows.append((name, source, res.accelerator, res.chips_per_unit, res.status, res.rule, n))
    con.execute("DELETE FROM hardware_names")
    if rows:
        con.executemany(sql.INSERT_HARDWARE_NAME, rows)
