"""Loads besides extraction: imported results, estimates, fits, run records, errors, crawl state."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import duckdb

from warehouse import sql
from warehouse.load import now, stable_id, transaction

logger = logging.getLogger(__name__)


def _date(value: object) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def regression_points(con: duckdb.DuckDBPyConnection) -> Any:
    """Every candidate regression point (a pandas DataFrame) from `v_regression_points_all`, synthetic
    papers' included and flagged (`synthetic`): a Selection takes one kind or the other, never both."""
    return con.execute(sql.REGRESSION_POINTS).df()


def mark_synthetic(con: duckdb.DuckDBPyConnection, paper_ids: Iterable[str]) -> int:
    """Mark these papers synthetic (made-up fixture papers); returns how many the warehouse holds."""
    ids = sorted(set(paper_ids))
    if not ids:
        return 0
    con.execute(sql.MARK_SYNTHETIC, [ids])
    row = con.execute(sql.COUNT_SYNTHETIC).fetchone()
    return int(row[0]) if row else 0


def coverage(con: duckdb.DuckDBPyConnection) -> Any:
    """Papers per benchmark and year with a score, compute, both (a pandas DataFrame of `v_coverage`)."""
    return con.execute("SELECT * FROM v_coverage ORDER BY benchmark, year").df()


def benchmark_points(con: duckdb.DuckDBPyConnection) -> Any:
    """The regression input (a pandas DataFrame) from `v_benchmark_points`."""
    return con.execute(sql.BENCHMARK_POINTS).df()


def store_fits(
    con: duckdb.DuckDBPyConnection, fits: Iterable[Mapping[str, Any]], *, ingest_run_id: str | None
) -> int:
    """Store fits keyed by their inputs: the same inputs give the same row (no duplicates)."""
    created = now()
    params = []
    for fit in fits:
        row_ids = sorted(str(r) for r in fit["row_ids"])
        fit_id = stable_id(fit["benchmark"], fit["form"], fit["x"], fit.get("compute_kind"), *row_ids)
        params.append([
            fit_id, fit["benchmark"], fit["form"], fit["x"], fit.get("compute_kind"), fit["n"],
            fit.get("intercept"), fit.get("slope"),
            fit.get("se"), fit.get("ci_low"), fit.get("ci_high"), fit.get("r2"), fit.get("p_value"),
            fit.get("k"), fit.get("k_low"), fit.get("k_high"), fit.get("halving_multiplier"),
            fit.get("identified"), row_ids, json.dumps(dict(fit), sort_keys=True, default=str),
            ingest_run_id, created,
        ])
    with transaction(con):
        for p in params:
            con.execute(sql.UPSERT_FIT, p)
    return len(params)


def latest_fits(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The newest fit of every (benchmark, form, x) and kind of points (real or synthetic), as the dicts
    they were stored from plus ``ingest_run_id`` and ``created_at`` (UTC)."""
    return [{**json.loads(detail), "ingest_run_id": run_id, "created_at": created}
            for detail, run_id, created in con.execute(sql.LATEST_FITS).fetchall()]


def record_error(
    con: duckdb.DuckDBPyConnection, *, stage: str, source: str, message: str,
    retryable: bool, run_id: str | None,
) -> None:
    """Record (or count again) an error; the same error seen twice is one row."""
    message = " ".join(str(message).split())[:2000]
    ts = now()
    con.execute(sql.UPSERT_ERROR, [stable_id(stage, source, message), stage, source, message, retryable,
                                   ts, ts, run_id])
    logger.warning("%s error for %s: %s", stage, source, message)


def resolve_errors(con: duckdb.DuckDBPyConnection, *, stage: str, source: str, run_id: str | None) -> None:
    """Mark the open errors of (stage, source) resolved: a later run did that work successfully."""
    con.execute(sql.RESOLVE_ERRORS, [now(), run_id, stage, source])


def quarantine_errors(con: duckdb.DuckDBPyConnection, *, stage: str, source: str, attempts: int) -> None:
    """Mark the open retryable errors of (stage, source) permanent: they failed ``attempts`` times."""
    con.execute(sql.QUARANTINE_ERRORS, [attempts, stage, source])
    logger.warning("%s: %s quarantined after %d failed attempts; the work moves on past it", stage, source, attempts)


def start_run(
    con: duckdb.DuckDBPyConnection, *, run_id: str, mode: str, published: list[str] | None = None
) -> int:
    """Record a run as running; earlier runs still `running` were killed: mark them interrupted. In a
    resumed staging file, ``published`` (the run ids the published file marks published) tells the runs
    killed after marking themselves published but before the rename: interrupted too.

    Returns how many were."""
    interrupted = con.execute(sql.INTERRUPT_STALE_RUNS, [now(), run_id, run_id]).fetchone()
    count = int(interrupted[0]) if interrupted else 0
    if published is not None:
        unpublished = con.execute(sql.UNPUBLISH_UNFINISHED_RUNS, [run_id, published]).fetchone()
        count += int(unpublished[0]) if unpublished else 0
    con.execute(sql.START_RUN, [run_id, now(), mode])
    return count


def published_run_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The runs a warehouse file marks published."""
    return [str(r[0]) for r in con.execute(sql.PUBLISHED_RUN_IDS).fetchall()]


def mark_published(con: duckdb.DuckDBPyConnection, *, run_id: str) -> None:
    con.execute(sql.PUBLISH_RUN, [now(), run_id])


def finish_run(
    con: duckdb.DuckDBPyConnection, *, run_id: str, status: str, counts: Mapping[str, Any],
    watermark: str | None, message: str | None = None,
) -> None:
    """Close a run's row with its counts: the headline columns, and every count as JSON."""
    con.execute(sql.FINISH_RUN, [
        now(), status, counts.get("papers_crawled", 0), counts.get("pdfs_downloaded", 0),
        counts.get("pdfs_parsed", 0), counts.get("facts_extracted", 0), counts.get("results_loaded", 0),
        counts.get("fits_made", 0), counts.get("errors", 0), watermark,
        json.dumps(counts.get("stage_seconds") or {}), message,
        json.dumps({k: v for k, v in counts.items() if k not in ("stage_seconds", "cached", "tables")},
                   sort_keys=True, default=str),
        json.dumps(counts.get("cached") or {}, sort_keys=True), counts.get("task_runner"),
        counts.get("flow_run_id"), run_id,
    ])


def get_state(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = con.execute(sql.GET_STATE, [key]).fetchone()
    return None if row is None else str(row[0])


def set_state(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute(sql.SET_STATE, [key, value, now()])


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {name: int(n) for name, n in con.execute(sql.TABLE_COUNTS).fetchall()}
