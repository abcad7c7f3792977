"""Rows of any number into a table in bounded memory: spooled to a temporary JSON Lines file, then
inserted by DuckDB's own reader in one statement.

Python frames handed to DuckDB batch by batch kept every batch's strings alive in the process
(~13 KB of resident memory per 4 KB Epoch row, 1.5 GB at 100,000 rows). Written to a spool file
they cost nothing in Python, and `read_json` streams the file into the table, spilling to disk past
the connection's memory limit. The spool sits beside the warehouse file (the same disk the data
goes to, never a small /tmp) and is removed afterwards, whatever happens.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

import duckdb

from warehouse import sql_bulk as sql

IMPORT_MEMORY_LIMIT = "512MB"  # DuckDB's buffer pool during a bulk import (it spills past it); see bounded_memory
IMPORT_THREADS = 1  # one spool file is read by one thread anyway; each further thread holds its own buffers


def _json_default(value: Any) -> Any:
    """What json cannot write itself: dates as ISO text, anything else as its text."""
    return value.isoformat() if isinstance(value, datetime | date) else str(value)


class Spool:
    """Rows (mappings by column name) written one line each to a temporary file."""

    _encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=_json_default).encode

    def __init__(self, handle: TextIO, path: Path) -> None:
        self._handle, self.path, self.rows = handle, path, 0
        self.keys: set[str] = set()

    def write(self, row: Mapping[str, Any]) -> None:
        """One row; a None or NaN value is left out (NULL in the table), infinities refused."""
        self.keys.update(row)
        self._handle.write(self._encode({k: v for k, v in row.items() if v is not None and v == v}))
        self._handle.write("\n")
        self.rows += 1

    def write_all(self, rows: Iterable[Mapping[str, Any]]) -> int:
        for row in rows:
            self.write(row)
        return self.rows

    def close(self) -> None:
        """Finish the file (before DuckDB reads it)."""
        if not self._handle.closed:
            self._handle.close()


def database_folder(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The folder of the connection's database file (None in memory)."""
    row = con.execute(sql.DATABASE_PATH).fetchone()
    return Path(row[0]).parent if row and row[0] else None


@contextmanager
def spool(con: duckdb.DuckDBPyConnection) -> Iterator[Spool]:
    """A spool beside the connection's database, deleted on leaving (also after an error)."""
    fd, name = tempfile.mkstemp(prefix=".spool-", suffix=".jsonl", dir=database_folder(con))
    path = Path(name)
    spooled = Spool(os.fdopen(fd, "w", encoding="utf-8"), path)
    try:
        yield spooled
    finally:
        spooled.close()
        path.unlink(missing_ok=True)


def column_types(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """A table's columns and their DuckDB types, in table order."""
    return {name: kind for name, kind in con.execute(sql.COLUMN_TYPES, [table]).fetchall()}


def spooled_rows(con: duckdb.DuckDBPyConnection, table: str, spooled: Spool) -> str:
    """A `read_json(...)` expression of a spool's rows, each key typed as ``table``'s column of that
    name (a key the table lacks is an error); the spool is closed first."""
    spooled.close()
    types = column_types(con, table)
    unknown = [k for k in spooled.keys if k not in types]
    if unknown:
        raise ValueError(f"{table} has no column {', '.join(unknown)}")
    columns = ", ".join(f"{_quote(k)}: '{types[k]}'" for k in sorted(spooled.keys)) or "id: 'VARCHAR'"
    return sql.READ_SPOOL.format(path=str(spooled.path).replace("'", "''"), columns=columns)


@contextmanager
def bounded_memory(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """DuckDB's memory limit at IMPORT_MEMORY_LIMIT (spilling to disk past it) and its threads at
    IMPORT_THREADS for a bulk load and its commit, then back to what they were. Without it DuckDB
    may take 80% of the machine's memory for a large insert: a million Epoch rows reached several GB.
    What cannot spill is the primary-key indexes of the loaded tables (~100 bytes a key), which is why
    the limit is not lower: a million Thompson rows (three million keys) fail to commit at 384 MB."""
    limit, threads = con.execute(sql.MEMORY_SETTINGS).fetchone() or (None, None)
    con.execute(sql.SET_MEMORY_LIMIT.format(limit=IMPORT_MEMORY_LIMIT))
    con.execute(sql.SET_THREADS.format(threads=IMPORT_THREADS))
    try:
        yield
    finally:
        if limit:
            con.execute(sql.SET_MEMORY_LIMIT.format(limit=limit))
        if threads:
            con.execute(sql.SET_THREADS.format(threads=int(threads)))


def insert_spooled(con: duckdb.DuckDBPyConnection, table: str, spooled: Spool, *, select: str = "*") -> int:
    """Insert a spool's rows into ``table`` by name. ``select`` may rewrite columns (``* REPLACE``)."""
    source = spooled_rows(con, table, spooled)
    if not spooled.rows:
        return 0
    con.execute(sql.INSERT_SPOOLED.format(table=_quote(table), select=select, source=source))
    return spooled.rows


def bulk_insert(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[Mapping[str, Any]],
                *, select: str = "*") -> int:
    """Spool ``rows`` and insert them into ``table`` (see `insert_spooled`); returns how many."""
    with spool(con) as out:
        out.write_all(rows)
        return insert_spooled(con, table, out, select=select)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def upsert_errors(con: duckdb.DuckDBPyConnection, spooled: Spool) -> int:
    """Insert (or count again) the `errors` rows of a spool (error_id, stage, source, message,
    retryable, first_seen, last_seen): as warehouse.records.record_error does, in one statement."""
    source = spooled_rows(con, "errors", spooled)
    if not spooled.rows:
        return 0
    con.execute(sql.UPSERT_SPOOLED_ERRORS.format(source=source))
    return spooled.rows
