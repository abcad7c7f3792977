"""Analysts' corrections (overrides) and the review queue.

An override names a paper, a field and a value, with a note, an author and a time. Run fields apply
to one run (``run_id``) or to the most confident run of a phase; paper fields replace the extracted
fact the operation count uses; ``score.<benchmark>`` sets the paper's headline score. The newest
override of a target wins and supersedes the older ones (kept for audit). Extraction never touches
the `overrides` table, so corrections survive every re-ingest; estimates are recomputed at once.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb

from warehouse import records
from warehouse import sql as wsql
from warehouse import sql_accounting as sql
from warehouse.accounting import AccountingParams, precision_peak
from warehouse.catalog import Catalog, shipped_catalog
from warehouse.db import WarehouseError
from warehouse.estimates import RESULT_OVERRIDES_KEY
from warehouse.load import transaction

RUN_FIELDS = ("accelerator", "count", "count_unit", "hours")
PAPER_FIELDS = ("parameters", "flops", "multiply_adds", "epochs", "training_set_size", "training_tokens",
                "precision", "llm")
COUNT_UNITS = ("gpu", "tpu_chip", "tpu_core", "tpu_device", "cpu")
PHASES = ("training", "pretraining", "finetuning")
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9, "t": 1e12,
          "trillion": 1e12}
_NUMBER = re.compile(r"^\s*(\d[\d,]*\.?\d*(?:e[-+]?\d+)?)\s*([a-z]+)?\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Override:
    override_id: str
    paper_id: str
    target: str
    phase: str | None
    run_id: str | None
    field: str
    value_text: str
    value: float | None
    resolved: str | None
    note: str
    author: str
    created_at: datetime


def parse_quantity(text: str) -> float:
    """"1.2B" -> 1.2e9, "300M" -> 3e8, "3e9" -> 3e9, "1,024" -> 1024; positive numbers only."""
    m = _NUMBER.match(text)
    scale = 1.0
    if m and m.group(2):
        scale = _SCALE.get(m.group(2).lower(), 0.0)
    if not m or not scale:
        raise WarehouseError(f"not a number: {text!r} (e.g. 8, 1.2e9, 300M, 1.2B)")
    value = float(m.group(1).replace(",", "")) * scale
    if value <= 0:
        raise WarehouseError(f"must be positive: {text!r}")
    return value


def parse_hours(text: str) -> float:
    """"72" (hours), "3 days", "2 weeks", "36h" -> hours."""
    from extract.timing import find_durations

    try:
        return parse_quantity(text)
    except WarehouseError:
        pass
    found = find_durations(text)
    if len(found) != 1:
        raise WarehouseError(f"not a duration: {text!r} (e.g. 72, 36h, 3 days, 2 weeks)")
    return float(found[0].hours)


def _value(field: str, text: str, catalog: Catalog) -> tuple[float | None, str | None]:
    """(numeric value, resolved id) of a field's value, or a clear error."""
    if field == "accelerator":
        res = catalog.resolve(text)
        if not res.known:
            raise WarehouseError(f"unknown accelerator {text!r}: no catalog alias matches "
                                 "(`compute-limits hardware` lists the catalog)")
        return res.chips_per_unit, res.accelerator
    if field == "count_unit":
        if text not in COUNT_UNITS:
            raise WarehouseError(f"count_unit must be one of {', '.join(COUNT_UNITS)}, not {text!r}")
        return None, None
    if field == "hours":
        return parse_hours(text), None
    if field == "precision":
        if precision_peak(text) is None:
            raise WarehouseError(f"unknown precision {text!r} (fp32, tf32, fp16, bf16, mixed-precision, fp8)")
        return None, None
    if field == "llm":
        if text.lower() not in ("true", "false", "yes", "no", "1", "0"):
            raise WarehouseError(f"llm must be true or false, not {text!r}")
        return None, None
    if field.startswith("score."):
        value = float(parse_quantity(text))
        if not 0 < value <= 100:
            raise WarehouseError(f"a score is a percentage in (0, 100], not {text!r}")
        return value, None
    return parse_quantity(text), None


def _target(field: str, benchmarks: set[str]) -> str:
    if field in RUN_FIELDS:
        return "run"
    if field in PAPER_FIELDS:
        return "paper"
    if field.startswith("score.") and field.removeprefix("score.") in benchmarks:
        return "result"
    fields = [*RUN_FIELDS, *PAPER_FIELDS, *(f"score.{b}" for b in sorted(benchmarks))]
    raise WarehouseError(f"unknown field {field!r}; one of: {', '.join(fields)}")


def default_author() -> str:
    return os.environ.get("COMPUTE_LIMITS_USER") or getpass.getuser()


def add_override(con: duckdb.DuckDBPyConnection, paper_id: str, field: str, value_text: str, *, note: str,
                 author: str | None = None, phase: str = "training", run_id: str | None = None,
                 catalog: Catalog | None = None, params: AccountingParams | None = None,
                 now: datetime | None = None) -> Override:
    """Record one correction, supersede older ones of the same target, recompute the estimates."""
    from warehouse.estimates import refresh_compute_estimates

    if not note.strip():
        raise WarehouseError("an override needs a note saying why (--note)")
    exists = con.execute(sql.PAPER_EXISTS, [paper_id, paper_id]).fetchone()
    if not exists or not exists[0]:
        raise WarehouseError(f"unknown paper {paper_id!r}: not in the warehouse")
    benchmarks = {b for (b,) in con.execute("SELECT benchmark FROM benchmarks").fetchall()}
    target = _target(field, benchmarks)
    if phase not in PHASES:
        raise WarehouseError(f"phase must be one of {', '.join(PHASES)}, not {phase!r}")
    if run_id is not None:
        if target != "run":
            raise WarehouseError(f"--run applies to run fields ({', '.join(RUN_FIELDS)}), not {field!r}")
        runs = {r[0]: r[1] for r in con.execute(sql.RUNS_OF_PAPER, [paper_id]).fetchall()}
        if run_id not in runs:
            raise WarehouseError(f"paper {paper_id} has no run {run_id!r}; its runs: {', '.join(runs) or 'none'}")
        phase = runs[run_id]
    cat = catalog or shipped_catalog()
    value, resolved = _value(field, value_text.strip(), cat)
    if field == "accelerator":
        value = None
    stamp = now or datetime.now(UTC).replace(tzinfo=None)
    digest = hashlib.sha256(f"{paper_id}|{field}|{phase}|{run_id}|{value_text}|{stamp.isoformat()}".encode())
    override = Override(digest.hexdigest()[:16], paper_id, target, phase if target == "run" else None,
                        run_id, field, value_text.strip(), value, resolved, note.strip(),
                        author or default_author(), stamp)
    with transaction(con):
        con.execute(sql.SUPERSEDE_OVERRIDES, [override.override_id, paper_id, target, field, override.phase, run_id])
        con.execute(sql.INSERT_OVERRIDE, [override.override_id, paper_id, target, override.phase, run_id, field,
                                          override.value_text, value, resolved, override.note, override.author,
                                          stamp])
    apply_result_overrides(con)
    refresh_compute_estimates(con, params, cat)
    return override


def apply_result_overrides(con: duckdb.DuckDBPyConnection) -> int:
    """Materialise active score overrides as `results` rows of source 'override'."""
    with transaction(con):
        con.execute(sql.DELETE_OVERRIDE_RESULTS)
        con.execute(sql.INSERT_OVERRIDE_RESULTS)
    row = con.execute("SELECT count(*) FROM results WHERE source = 'override'").fetchone()
    return int(row[0]) if row else 0


def review_queue(con: duckdb.DuckDBPyConnection, *, limit: int = 20, conflict_factor: float = 2.0
                 ) -> list[dict[str, Any]]:
    """Runs to check first: disagreements beyond `conflict_factor` with Thompson or Epoch, then the
    least confident. Each row says why it is listed."""
    cur = con.execute(sql.REVIEW, [conflict_factor, limit])
    cols = [d[0] for d in cur.description]
    out = []
    for values in cur.fetchall():
        row = dict(zip(cols, values, strict=True))
        reasons = []
        for key, label in (("burden_factor", "hardware burden vs Thompson"),
                           ("epoch_factor", "estimated compute vs Epoch"), ("hours_factor", "hours vs reference")):
            if row[key] and row[key] > conflict_factor:
                reasons.append(f"{label}: {row[key]:.1f}x apart")
        if not reasons:
            conf = row["confidence"]
            reasons.append(f"confidence {conf:.2f}" if conf is not None else "no confidence")
        row["why"] = "; ".join(reasons)
        out.append(row)
    return out


def apply_result_overrides_if_changed(con: duckdb.DuckDBPyConnection) -> bool:
    """Materialise the score overrides (`apply_result_overrides`) only when the overrides,
    the benchmarks or the materialised rows changed since the last time; returns whether it ran."""
    before = _fingerprint(con)
    if records.get_state(con, RESULT_OVERRIDES_KEY) == before:
        return False
    apply_result_overrides(con)
    records.set_state(con, RESULT_OVERRIDES_KEY, _fingerprint(con))
    return True


def _fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    row = con.execute(wsql.RESULT_OVERRIDES_FINGERPRINT).fetchone()
    return str(row[0]) if row else ""
