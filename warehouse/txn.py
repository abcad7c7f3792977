"""Ending a transaction that failed without hiding why it failed."""

from __future__ import annotations

import logging

import duckdb

logger = logging.getLogger(__name__)


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back the open transaction, if there still is one. When DuckDB has already ended it (a full
    disk, an invalidated database), ROLLBACK itself fails with "no transaction is active"; that is noted
    and swallowed, so the caller re-raises the error that caused it."""
    try:
        con.execute("ROLLBACK")
    except duckdb.Error as exc:
        logger.debug("nothing to roll back: %s", exc)
