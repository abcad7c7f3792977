"""Read queries the command line shows (status, overrides, checks, hardware): SQL stays in warehouse/.

Each returns plain rows as dicts (column name -> value), in the order the views give them.
"""

from __future__ import annotations

from typing import Any

import duckdb

RECENT_RUNS = """
SELECT run_id, status, mode, started_at, seconds, papers_crawled, pdfs_parsed, facts_extracted, fits_made, errors,
       task_runner, published_at
FROM v_ingest_runs LIMIT ?
"""
OPEN_ERRORS_BY_STAGE = "SELECT stage, count(*) FROM v_open_errors GROUP BY stage ORDER BY stage"
QUARANTINED = """
SELECT stage, source, message FROM v_open_errors
WHERE NOT retryable AND message LIKE 'quarantined after %' ORDER BY stage, source
"""
SYNTHETIC_PAPERS = "SELECT count(*) FROM papers WHERE synthetic"
PAPER_RUNS = """
SELECT run_id, accelerator, count, chips, hours, hardware_burden, estimated_compute, sources
FROM v_training_compute WHERE paper_id = ? ORDER BY phase, run_id
"""
OVERRIDES = "SELECT * FROM v_overrides WHERE (? IS NULL OR paper_id = ?) AND (active OR ?) ORDER BY created_at"
UNRESOLVED_HARDWARE = "SELECT * FROM v_unresolved_hardware"
CHECK_OUTLIERS = """
SELECT * FROM (
    SELECT 'thompson' AS source, trim(name) AS model, ratio, reason FROM check_thompson_burden WHERE NOT within_10pct
    UNION ALL
    SELECT 'epoch', model, ratio, reason FROM check_epoch_compute
    WHERE ratio IS NOT NULL AND (ratio > 3 OR ratio < 1.0 / 3)
) ORDER BY source DESC, abs(ln(coalesce(ratio, 1e9))) DESC
"""


def _dicts(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    cols = [d[0] for d in cur.description or []]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def recent_runs(con: duckdb.DuckDBPyConnection, limit: int) -> list[dict[str, Any]]:
    """The newest ingest runs, newest first."""
    return _dicts(con.execute(RECENT_RUNS, [limit]))


def open_errors_by_stage(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {str(stage): int(n) for stage, n in con.execute(OPEN_ERRORS_BY_STAGE).fetchall()}


def quarantined(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Feed pages given up on after their attempts, as "<stage> <source>: <message>"."""
    return [f"{stage} {source}: {message}" for stage, source, message in con.execute(QUARANTINED).fetchall()]


def synthetic_papers(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute(SYNTHETIC_PAPERS).fetchone()
    return int(row[0]) if row else 0


def paper_runs(con: duckdb.DuckDBPyConnection, paper_id: str) -> list[dict[str, Any]]:
    """A paper's effective runs with their burden and effective compute."""
    return _dicts(con.execute(PAPER_RUNS, [paper_id]))


def overrides(con: duckdb.DuckDBPyConnection, paper_id: str | None, include_superseded: bool) -> list[dict[str, Any]]:
    return _dicts(con.execute(OVERRIDES, [paper_id, paper_id, include_superseded]))


def unresolved_hardware(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return _dicts(con.execute(UNRESOLVED_HARDWARE))


def check_outliers(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Thompson rows off by more than 10%, Epoch rows off by more than 3x, worst first."""
    return _dicts(con.execute(CHECK_OUTLIERS))
