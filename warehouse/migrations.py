"""Versioned schema migrations, recorded in `schema_migrations`, and the views.

Each file `migrations/NNNN_name.sql` (tables, data, macros) is applied once, inside a transaction, in
order. The views are in one file, `views.sql`, one body each: re-created after the migrations whenever
that file changed or a migration was applied (its digest in `schema_views`).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

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
VIEWS = Path(__file__).with_name("views.sql")


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
    refresh_views(con, force=bool(applied))
    seed_reference_data(con, force=bool(applied))  # only when the shipped files changed, or the schema did
    return applied


def refresh_views(con: duckdb.DuckDBPyConnection, *, force: bool = False) -> bool:
    """(Re-)create every view of `views.sql` when the file changed since (or ``force``); returns whether
    it did. An open of an up-to-date warehouse reads one row."""
    text = VIEWS.read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    row = con.execute("SELECT digest FROM schema_views").fetchone()
    if not force and row is not None and row[0] == digest:
        return False
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(text)
        con.execute("DELETE FROM schema_views")
        con.execute("INSERT INTO schema_views VALUES (?, ?)", [digest, datetime.now(UTC).replace(tzinfo=None)])
        con.execute("COMMIT")
    except duckdb.Error:
        rollback(con)
        raise
    logger.info("views re-created from %s", VIEWS.name)
    return True
