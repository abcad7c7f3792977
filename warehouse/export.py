"""Export the analyst views (`v_*`) as Parquet or CSV files, with a manifest, for use in other tools.

The export is built in `<DIR>.tmp-<pid>` beside DIR and swapped into place only when complete, so a
reader of DIR sees the previous export or the new one, never half of one. All views are read in one
transaction: the files are one consistent snapshot of the warehouse.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from warehouse.db import WarehouseError
from warehouse.txn import rollback

FORMATS = ("parquet", "csv")
MANIFEST = "manifest.json"

ANALYST_VIEWS = """
SELECT view_name
FROM duckdb_views()
WHERE NOT internal AND NOT temporary AND database_name = current_database() AND schema_name = 'main'
  AND starts_with(view_name, 'v_')
ORDER BY view_name
"""

VIEW_COLUMNS = """
SELECT column_name, data_type
FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ?
ORDER BY column_index
"""

WAREHOUSE_PATH = "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"

HAS_INGEST_RUNS = """
SELECT count(*) FROM duckdb_tables()
WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'ingest_runs'
"""

LATEST_COMPLETED_RUN = """
SELECT run_id, finished_at FROM ingest_runs
WHERE status = 'completed' AND finished_at IS NOT NULL
ORDER BY finished_at DESC, run_id DESC
LIMIT 1
"""

COPY_PARQUET = "COPY ({select}) TO {path} (FORMAT parquet, COMPRESSION zstd{partition})"
COPY_CSV = "COPY ({select}) TO {path} (FORMAT csv, HEADER true)"

# Integer types a `year` column may have to be partitioned on as it is.
_INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                  "UBIGINT", "UHUGEINT"}
# Date columns a partition year may be derived from (publication dates only: not e.g. started_at).
_YEAR_SOURCES = ("published", "publication_date", "paper_date")


class ExportError(WarehouseError):
    """The export could not be made (bad arguments, unknown views, a DIR that is not an export)."""


@dataclass(slots=True)
class ExportedFile:
    path: str            # relative to the export directory, with '/' separators
    bytes: int
    sha256: str


@dataclass(slots=True)
class ViewExport:
    name: str
    rows: int
    columns: list[dict[str, str]]           # [{"name", "type"}] as the view declares them
    files: list[ExportedFile]
    partition_by: str | None = None         # "year" when written as <view>/year=YYYY/...
    year_from: str | None = None            # the column the partition year is (derived) from
    json_columns: list[str] = field(default_factory=list)  # CSV: list/struct/JSON columns written as JSON text


@dataclass(slots=True)
class ExportManifest:
    directory: str
    exported_at: str
    format: str
    warehouse: str | None
    ingest_run_id: str | None
    ingest_finished_at: str | None
    partition_by_year: bool
    views: list[ViewExport]

    @property
    def manifest_path(self) -> Path:
        return Path(self.directory) / MANIFEST

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("directory")
        data["compression"] = "zstd" if self.format == "parquet" else None
        return data


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """A SQL string literal (COPY's target path cannot be a bound parameter)."""
    return "'" + text.replace("'", "''") + "'"


def analyst_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [str(name) for (name,) in con.execute(ANALYST_VIEWS).fetchall()]


def _select_views(con: duckdb.DuckDBPyConnection, views: Sequence[str] | None) -> list[str]:
    available = analyst_views(con)
    if not available:
        raise ExportError("this database has no analyst views (v_*); is it a compute-limits warehouse?")
    if not views:
        return available
    wanted = list(dict.fromkeys(views))
    unknown = [v for v in wanted if v not in available]
    if unknown:
        raise ExportError(f"unknown view{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
                          f"the analyst views are: {', '.join(available)}")
    return wanted


def _csv_expression(name: str, data_type: str) -> str:
    """The column as CSV should hold it: JSON as its stored text; list, array, struct, map, union as JSON."""
    column = quote_identifier(name)
    upper = data_type.upper()
    if upper == "JSON":
        return f"CAST({column} AS VARCHAR) AS {column}"
    if upper.endswith("]") or upper.startswith(("STRUCT", "MAP", "UNION")):
        return f"CAST(to_json({column}) AS VARCHAR) AS {column}"
    return column


def _year_column(columns: list[tuple[str, str]]) -> tuple[str, str] | None:
    """(partition expression, source column) for a view that has a year, or None."""
    types = {name: data_type.upper() for name, data_type in columns}
    if types.get("year") in _INTEGER_TYPES:
        return quote_identifier("year"), "year"
    if "year" in types:
        return None
    for name in _YEAR_SOURCES:
        if types.get(name, "").startswith(("DATE", "TIMESTAMP")):
            return f"year({quote_identifier(name)})", name
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(root: Path, target: Path) -> list[ExportedFile]:
    paths = [target] if target.is_file() else sorted(p for p in target.rglob("*") if p.is_file())
    return [ExportedFile(path=p.relative_to(root).as_posix(), bytes=p.stat().st_size, sha256=_sha256(p))
            for p in paths]


def _export_view(con: duckdb.DuckDBPyConnection, root: Path, view: str, fmt: str,
                 partition_by_year: bool) -> ViewExport:
    columns = [(str(n), str(t)) for n, t in con.execute(VIEW_COLUMNS, [view]).fetchall()]
    source = quote_identifier(view)
    year = _year_column(columns) if partition_by_year else None
    json_columns: list[str] = []
    if fmt == "csv":
        expressions = [_csv_expression(name, data_type) for name, data_type in columns]
        json_columns = [name for (name, _), e in zip(columns, expressions, strict=True) if e != quote_identifier(name)]
        select_list = ", ".join(expressions)
        target = root / f"{view}.csv"
        statement = COPY_CSV.format(select=f"SELECT {select_list} FROM {source}", path=quote_literal(str(target)))
    elif year is not None:
        expression, year_from = year
        select = (f"SELECT * FROM {source}" if year_from == "year"
                  else f"SELECT *, {expression} AS year FROM {source}")
        target = root / view
        statement = COPY_PARQUET.format(select=select, path=quote_literal(str(target)),
                                        partition=", PARTITION_BY (year)")
    else:
        target = root / f"{view}.parquet"
        statement = COPY_PARQUET.format(select=f"SELECT * FROM {source}", path=quote_literal(str(target)),
                                        partition="")
    written = con.execute(statement).fetchone()  # COPY answers the number of rows written
    rows = int(written[0]) if written else 0
    if year is not None and rows == 0:  # no partition to write: one empty file keeps the schema
        shutil.rmtree(target, ignore_errors=True)
        year, target = None, root / f"{view}.parquet"
        con.execute(COPY_PARQUET.format(select=f"SELECT * FROM {source}", path=quote_literal(str(target)),
                                        partition=""))
    return ViewExport(name=view, rows=rows, columns=[{"name": n, "type": t} for n, t in columns],
                      files=_files(root, target), partition_by="year" if year else None,
                      year_from=year[1] if year else None, json_columns=json_columns)


def _latest_run(con: duckdb.DuckDBPyConnection) -> tuple[str | None, str | None]:
    has_table = con.execute(HAS_INGEST_RUNS).fetchone()
    if not has_table or not has_table[0]:
        return None, None
    row = con.execute(LATEST_COMPLETED_RUN).fetchone()
    if row is None:
        return None, None
    finished: datetime = row[1]
    if finished.tzinfo is None:  # the warehouse stores naive UTC
        finished = finished.replace(tzinfo=UTC)
    return str(row[0]), finished.isoformat()


def _warehouse_name(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute(WAREHOUSE_PATH).fetchone()
    return Path(row[0]).name if row and row[0] else None


def _check_target(out_dir: Path) -> None:
    """DIR may be absent, empty, or a previous export; anything else is not ours to replace."""
    if not out_dir.exists() and not out_dir.is_symlink():
        return
    if not out_dir.is_dir() or out_dir.is_symlink():
        raise ExportError(f"{out_dir} exists and is not a directory; refusing to replace it")
    if any(out_dir.iterdir()) and not (out_dir / MANIFEST).is_file():
        raise ExportError(f"{out_dir} exists and is not an export (no {MANIFEST}); refusing to replace it")


def _swap_into_place(tmp: Path, out_dir: Path) -> None:
    """Rename the old DIR away, the new one in, then delete the old."""
    if not out_dir.exists():
        os.rename(tmp, out_dir)
        return
    old = out_dir.with_name(f"{out_dir.name}.old-{os.getpid()}")
    shutil.rmtree(old, ignore_errors=True)
    os.rename(out_dir, old)
    try:
        os.rename(tmp, out_dir)
    except OSError:
        os.rename(old, out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)


def export_views(con: duckdb.DuckDBPyConnection, out_dir: str | Path, fmt: str, views: Sequence[str] | None = None,
                 partition_by_year: bool = False) -> ExportManifest:
    """Write the analyst views (all `v_*`, or `views`) into out_dir as one file per view, plus manifest.json.

    fmt is parquet (ZSTD) or csv (with a header; list, struct and JSON columns as JSON text). With
    partition_by_year (parquet only), views with an integer `year` column, or a publication date to
    derive one from, are written as `<view>/year=YYYY/*.parquet`. out_dir is replaced as a whole.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: use {' or '.join(FORMATS)}")
    if partition_by_year and fmt != "parquet":
        raise ExportError("--partition-by-year needs --format parquet")
    target = Path(os.path.abspath(out_dir))
    if target.parent == target:
        raise ExportError(f"cannot export into {target}")
    _check_target(target)
    chosen = _select_views(con, views)
    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in target.parent.glob(f"{target.name}.tmp-*"):  # exports killed before they finished
        pid = leftover.name.rsplit("-", 1)[-1]
        if not (pid.isdigit() and _alive(int(pid))):
            shutil.rmtree(leftover, ignore_errors=True)
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        con.execute("BEGIN TRANSACTION")  # one snapshot for every view and the run id
        try:
            exported = [_export_view(con, tmp, view, fmt, partition_by_year) for view in chosen]
            run_id, finished_at = _latest_run(con)
        finally:
            rollback(con)
        manifest = ExportManifest(
            directory=str(target), exported_at=datetime.now(UTC).isoformat(timespec="seconds"), format=fmt,
            warehouse=_warehouse_name(con), ingest_run_id=run_id, ingest_finished_at=finished_at,
            partition_by_year=partition_by_year, views=exported)
        (tmp / MANIFEST).write_text(json.dumps(manifest.to_dict(), indent=2) + "\n", encoding="utf-8")
        _check_target(target)  # still ours to replace
        _swap_into_place(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (an export of its own may still be writing its folder)."""
    if pid == os.getpid():
        return False  # ours: a leftover of this very process is stale
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

