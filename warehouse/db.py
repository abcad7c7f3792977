"""Opening the warehouse: one writing connection (migrated) or read-only ones."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import duckdb

from warehouse.migrations import apply_migrations

logger = logging.getLogger(__name__)


class WarehouseError(Exception):
    """A warehouse operation failed; carries the database path."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __reduce__(self) -> tuple[type, tuple[str], dict[str, str | None]]:
        return (self.__class__, (self.message,), {"path": self.path})

    def __setstate__(self, state: dict[str, Any] | None) -> None:
        self.path = (state or {}).get("path")

    def __str__(self) -> str:
        return f"{self.message} ({self.path})" if self.path else self.message


def connect(path: str | Path) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the warehouse for writing and bring its schema up to date."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(target))
    except duckdb.Error as exc:
        raise WarehouseError(f"cannot open warehouse for writing: {exc}", path=str(target)) from exc
    apply_migrations(con)
    return con


def connect_read_only(path: str | Path) -> duckdb.DuckDBPyConnection:
    """Open an existing warehouse read-only (analysts' queries)."""
    target = Path(path)
    if not target.exists():
        raise WarehouseError("warehouse does not exist; run `compute-limits ingest` first", path=str(target))
    try:
        return duckdb.connect(str(target), read_only=True)
    except duckdb.Error as exc:
        raise WarehouseError(f"cannot open warehouse read-only: {exc}", path=str(target)) from exc
