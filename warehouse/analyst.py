"""Analysts' SQL: one read-only query against the warehouse file alone, bounded in time and in output.

The connection is opened read-only with ``enable_external_access = false`` (no ``read_csv``, ``glob``,
``COPY ... TO``, ``ATTACH`` of other files) and ``lock_configuration = true`` (no ``SET`` / ``PRAGMA`` can
lift that); ``allow_files`` keeps file *reading* for the analyst who asks for it. Only one ``SELECT``
(or ``EXPLAIN``, ``DESCRIBE``, ``SUMMARIZE``, ``FROM ...``) statement runs: ``COPY``, ``EXPORT``,
``ATTACH``, ``SET``, ``INSTALL`` / ``LOAD`` and every write are refused before anything runs, so even with
files allowed nothing is ever written. A timer interrupts the query after ``timeout_s`` seconds, and rows
are fetched in batches, so a caller can stop after a row cap without holding the whole answer.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from warehouse.db import WarehouseError

_ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
BATCH = 1000


class QueryStopped(WarehouseError):
    """The analyst's query ran past its time limit and was interrupted."""


def check_query(query: str) -> None:
    """Refuse anything but a single read-only statement, before it runs."""
    try:
        statements = duckdb.extract_statements(query)
    except duckdb.Error as exc:
        raise WarehouseError(f"cannot parse the query: {str(exc).splitlines()[0]}") from exc
    if len(statements) != 1:
        raise WarehouseError(f"one statement per query, got {len(statements)}")
    kind = statements[0].type
    if kind not in _ALLOWED:
        raise WarehouseError(f"only read-only SELECT queries run here; refused the {kind.name} statement")


def open_for_analyst(path: str | Path, *, allow_files: bool = False) -> duckdb.DuckDBPyConnection:
    """The warehouse at ``path``, read-only, sealed from other files unless ``allow_files``."""
    target = Path(path)
    if not target.exists():
        raise WarehouseError("warehouse does not exist; run `compute-limits ingest` first", path=str(target))
    try:
        con = duckdb.connect(str(target), read_only=True, config={"enable_external_access": allow_files})
        con.execute("SET enable_progress_bar = false")
        con.execute("SET lock_configuration = true")
    except duckdb.Error as exc:
        raise WarehouseError(f"cannot open warehouse read-only: {exc}", path=str(target)) from exc
    return con


@contextmanager
def _deadline(con: duckdb.DuckDBPyConnection, timeout_s: float | None) -> Iterator[threading.Event]:
    fired = threading.Event()

    def stop() -> None:
        fired.set()
        con.interrupt()

    timer = threading.Timer(timeout_s, stop) if timeout_s else None
    if timer is not None:
        timer.daemon = True
        timer.start()
    try:
        yield fired
    finally:
        if timer is not None:
            timer.cancel()


def run_query(
    path: str | Path, query: str, *, allow_files: bool = False, timeout_s: float | None = 60.0
) -> Iterator[list[Any]]:
    """Run ``query`` on the warehouse: yields the column names, then batches of row tuples."""
    check_query(query)
    con = open_for_analyst(path, allow_files=allow_files)
    try:
        with _deadline(con, timeout_s) as fired:
            try:
                cursor = con.execute(query)
                yield [d[0] for d in cursor.description or []]
                while batch := cursor.fetchmany(BATCH):
                    yield batch
            except (duckdb.InterruptException, RuntimeError) as exc:
                if fired.is_set():
                    raise QueryStopped(f"query stopped after {timeout_s:g} s (raise it with --timeout)") from exc
                raise
    finally:
        con.close()
