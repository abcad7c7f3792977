"""The backfill queue: arXiv ids named by the reference tables (or a file), fetched in budgets.

States: `queued` (to look up) -> `found` (arXiv knows it; its PDF is queued by `papers`) -> `done`
(its current version's PDF is in and parsed, or unparseable) | `not_found` (arXiv does not know it)
| `refused` (not an arXiv id) | `failed` (lookups or downloads failed `max_attempts` times). The
queue lives in the warehouse, so a backfill cut by its budget, a crash or SIGKILL goes on from the
states its last commit left.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import duckdb

from warehouse import sql_corpus as sql
from warehouse.load import now, transaction

logger = logging.getLogger(__name__)

SOURCES = ("thompson", "epoch", "pwc")
MAX_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class Enqueued:
    named: int          # distinct ids the sources name
    queued: int         # of them, still to fetch after this call
    already: int        # already have a document of their current version


def reference_ids(con: duckdb.DuckDBPyConnection, sources: Sequence[str]) -> dict[str, tuple[set[str], set[str]]]:
    """arXiv id -> (the sources naming it, the benchmarks their rows report)."""
    unknown = [s for s in sources if s not in SOURCES]
    if unknown:
        raise ValueError(f"unknown backfill source {unknown[0]!r}: use {', '.join(SOURCES)}")
    found: dict[str, tuple[set[str], set[str]]] = {}
    for source in sources:
        for paper_id, benchmarks in con.execute(sql.REFERENCE_IDS[source]).fetchall():
            names, marks = found.setdefault(str(paper_id), (set(), set()))
            names.add(source)
            marks.update(benchmarks or [])
    return found


def enqueue(con: duckdb.DuckDBPyConnection, ids: dict[str, tuple[set[str], set[str]]], *,
            benchmarks: Iterable[str] = (), first: bool = False) -> Enqueued:
    """Queue ids (idempotent: a queued id keeps its state, gains sources, keeps its best priority).

    Priority 0: ids with rows in one of `benchmarks` (with none given: in any benchmark), or every id
    when `first` (a file of ids); 1: the others. Ids whose current version already has a document are
    recorded as `done`."""
    wanted = set(benchmarks)
    have = {row[0] for row in con.execute(sql.HAVE_DOCUMENT).fetchall()}
    ts = now()
    rows = []
    for paper_id, (names, marks) in sorted(ids.items()):
        hit = bool(marks & wanted) if wanted else bool(marks)
        priority = 0 if (first or hit) else 1
        rows.append([paper_id, sorted(names), sorted(marks), priority, "done" if paper_id in have else "queued",
                     ts, ts])
    with transaction(con):
        if rows:
            con.executemany(sql.ENQUEUE, rows)
    queued = sum(1 for r in rows if r[4] == "queued")
    return Enqueued(named=len(rows), queued=queued, already=len(rows) - queued)


def next_batch(con: duckdb.DuckDBPyConnection, budget: int) -> list[str]:
    """Up to `budget` queued ids, best priority first, then by id (a stable order to resume in)."""
    return [row[0] for row in con.execute(sql.NEXT_QUEUED, [max(0, budget)]).fetchall()]


def mark(con: duckdb.DuckDBPyConnection, paper_ids: Iterable[str], state: str, *, version: int | None = None,
         error: str | None = None) -> None:
    ts = now()
    con.executemany(sql.SET_STATE, [[state, version, error, ts, p] for p in paper_ids])


def count_attempt(con: duckdb.DuckDBPyConnection, paper_ids: Iterable[str], error: str) -> None:
    """A failed try: the id stays queued until `MAX_ATTEMPTS`, then is `failed`."""
    ts = now()
    con.executemany(sql.COUNT_ATTEMPT, [[error, ts, MAX_ATTEMPTS, p] for p in paper_ids])


def settle(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """After download and extraction: found ids with their PDF in are `done`; a download refused for
    good fails the id; a retryable download error is counted (the next run's download retries it)."""
    with transaction(con):
        con.execute(sql.SETTLE_FOUND, [now()])
        for paper_id, message, retryable in con.execute(sql.FOUND_DOWNLOAD_ERRORS).fetchall():
            if retryable:
                count_attempt(con, [paper_id], message)
            else:
                mark(con, [paper_id], "failed", error=message)
    return queue_counts(con)


def queue_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {state: int(n) for state, n in con.execute(sql.QUEUE_COUNTS).fetchall()}
