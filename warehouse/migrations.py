"""Versioned schema migrations, recorded in `schema_migrations`.

Each file `migrations/NNNN_name.sql` is applied once, inside a transaction, in order.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib import resources

import duckdb

from warehouse.seed import seed_reference_data
from warehouse.txn import rollback

logger = logging.getLogger(__name__)

_CREATE_LEDGER = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp
)
"""
_APPLIED = "SELECT version FROM schema_migrations"
_RECORD = "INSERT INTO schema_migrations (version, name) VALUES (?, ?)"


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    """The migration files shipped with the package, in version order."""
    folder = resources.files("warehouse").joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            found.append(Migration(int(number), rest.removesuffix(".sql"), entry.read_text("utf-8")))
    return sorted(found, key=lambda m: m.version)


def apply_migrations(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply every migration not yet recorded; returns the versions applied now."""
    con.execute(_CREATE_LEDGER)
    done = {row[0] for row in con.execute(_APPLIED).fetchall()}
    applied = []
    for migration in available_migrations():
        if migration.version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(migration.sql)
            con.execute(_RECORD, [migration.version, migration.name])
            con.execute("COMMIT")
        except duckdb.Error:
            rollback(con)
            raise
        logger.info("applied migration %04d_%s", migration.version, migration.name)
        applied.append(migration.version)
    seed_reference_data(con, force=bool(applied))  # only when the shipped files changed, or the schema did
    return applied
