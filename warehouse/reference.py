"""Loads of the reference sources: Papers with Code results, Thompson et al.'s CSVs, Epoch AI's models.

Each import replaces what one file of one source contributed, in one transaction: a re-import
leaves no duplicates, and a failure mid-import (e.g. a dump truncated half-way through a streamed
read) rolls back to the previous import. Rows go in as batches (pandas frames), never row by row.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

import duckdb
import numpy as np
import pandas as pd

from warehouse import sql_reference as sql
from warehouse.db import WarehouseError
from warehouse.load import stable_id, transaction
from warehouse.names import benchmark_of, metric_key
from warehouse.records import record_error

logger = logging.getLogger(__name__)

BATCH_ROWS = 5000
IMPORT_STAGE = "import"


class Problem(Protocol):
    """A rejected cell (crawlers.epoch.CellProblem, analysis.thompson.CellProblem)."""

    line: int
    column: str
    value: str
    reason: str


@dataclass(frozen=True, slots=True)
class ImportCounts:
    """What one import loaded: rows, those with a numeric value (results) or metric values
    (Thompson), rows linked to an arXiv id, and cells reported to `errors`."""

    source: str
    source_file: str
    rows: int
    numeric: int = 0
    problems: int = 0
    linked: int = 0

    @property
    def non_numeric(self) -> int:
        return self.rows - self.numeric


def _insert_frame(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame, statement: str) -> None:
    con.register(name, frame)
    try:
        con.execute(statement)
    finally:
        con.unregister(name)


def _text(values: Iterable[Any]) -> pd.Series:
    """A string column (missing values NA, never NaN, so DuckDB sees text; faster to scan than objects)."""
    return pd.Series([None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in values],
                     dtype="string")


def _floats(values: Iterable[Any]) -> pd.Series:
    return pd.Series([np.nan if v is None else float(v) for v in values], dtype="float64")


def _record_problems(con: duckdb.DuckDBPyConnection, source_file: str, problems: Iterable[Problem]) -> int:
    count = 0
    for problem in problems:
        record_error(con, stage=IMPORT_STAGE, source=f"{source_file}:{problem.line}",
                     message=f"{problem.column}: {problem.value!r} {problem.reason}", retryable=False, run_id=None)
        count += 1
    return count


# Papers with Code -----------------------------------------------------------------------------

def _results_frame(rows: Sequence[Mapping[str, Any]], source: str, source_file: str) -> pd.DataFrame:
    return pd.DataFrame({
        "result_id": _text(stable_id(source, source_file, r["source_row"], r.get("metric")) for r in rows),
        "paper_id": _text(r.get("paper_id") for r in rows),
        "source": _text(source for _ in rows),
        "task": _text(r.get("task") for r in rows),
        "dataset": _text(r.get("dataset") for r in rows),
        "benchmark": _text(benchmark_of(r.get("dataset")) for r in rows),
        "metric": _text(r.get("metric") for r in rows),
        "metric_key": _text(metric_key(r.get("metric")) for r in rows),
        "value": _floats(r.get("value_number") for r in rows),
        "value_text": _text(r.get("value") for r in rows),
        "model": _text(r.get("model") for r in rows),
        "paper_title": _text(r.get("paper_title") for r in rows),
        "paper_url": _text(r.get("paper_url") for r in rows),
        "paper_date": _text(r.get("paper_date") or None for r in rows),
        "uses_additional_data": _text(r.get("uses_additional_data") for r in rows),
        "source_file": _text(source_file for _ in rows),
        "source_row": pd.Series([int(r["source_row"]) for r in rows], dtype="int64"),
        "metric_direction": _text(r.get("metric_direction") for r in rows),
        "value_unit": _text(r.get("value_unit") for r in rows),
    })


def replace_results(
    con: duckdb.DuckDBPyConnection, rows: Iterable[Mapping[str, Any]], *, source: str, source_file: str,
    batch_rows: int = BATCH_ROWS,
) -> ImportCounts:
    """Replace the `results` one file of a source contributed by `rows`, consumed lazily in batches.

    Each row: source_row, metric, value (raw text), value_number, value_unit, metric_direction,
    task, dataset, model, paper_id, paper_title, paper_url, paper_date, uses_additional_data.
    Everything happens in one transaction: if `rows` raises half-way, the previous import stays.
    """
    total = numeric = linked = 0
    iterator = iter(rows)
    with transaction(con):
        con.execute(sql.DELETE_FILE_RESULTS, [source, source_file])
        while batch := list(islice(iterator, batch_rows)):
            frame = _results_frame(batch, source, source_file)
            _insert_frame(con, sql.RESULTS_BATCH, frame, sql.INSERT_RESULTS_BATCH)
            total += len(frame)
            numeric += int(frame["value"].notna().sum())
            linked += int(frame["paper_id"].notna().sum())
    logger.info("%s %s: %d results (%d numeric)", source, source_file, total, numeric)
    return ImportCounts(source, source_file, total, numeric, linked=linked)


def iter_parquet_tasks(path: Path, *, batch_rows: int = 16) -> Iterator[dict[str, Any]]:
    """The top-level task rows of an evaluation-tables Parquet file, as task dicts, a few at a time.

    DuckDB's `read_parquet` reads the file (in a private in-memory connection, so a warehouse
    transaction can run beside it); each row comes back as JSON with the same nesting as the dump.
    """
    reader = duckdb.connect(":memory:")
    try:
        try:
            cursor = reader.execute(sql.PARQUET_TASKS, [str(path)])
        except duckdb.Error as exc:
            raise WarehouseError(f"cannot read Parquet evaluation tables: {exc}", path=str(path)) from exc
        while chunk := cursor.fetchmany(batch_rows):
            for (text,) in chunk:
                yield json.loads(text)
    finally:
        reader.close()


# Thompson et al. ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ThompsonFile:
    """One parsed CSV ready to load: its name, benchmark, typed frame, raw cells and problems."""

    source_file: str
    benchmark: str
    frame: pd.DataFrame
    raw: Sequence[Mapping[str, str]]
    problems: Sequence[Problem]


_THOMPSON_RENAMES = {"lo10net": "log10net"}
_THOMPSON_KEYS = ("model_id", "source", "source_file", "source_row", "benchmark", "paper_id", "raw")


def _thompson_frames(con: duckdb.DuckDBPyConnection, item: ThompsonFile,
                     paper_ids: Sequence[str | None]) -> tuple[pd.DataFrame, pd.DataFrame]:
    table_columns = {r[0]: r for r in con.execute(sql.THOMPSON_COLUMNS).fetchall()}
    frame = item.frame.rename(columns=_THOMPSON_RENAMES)
    lines = [int(v) for v in frame["line"]]
    ids = [stable_id("thompson", item.source_file, line) for line in lines]
    data: dict[str, pd.Series] = {
        "model_id": _text(ids), "source": _text("thompson" for _ in ids),
        "source_file": _text(item.source_file for _ in ids),
        "source_row": pd.Series(lines, dtype="int64"), "benchmark": _text(item.benchmark for _ in ids),
        "paper_id": _text(paper_ids),
        "raw": _text(json.dumps(dict(r), ensure_ascii=False) for r in item.raw),
    }
    for column in frame.columns:
        if column in table_columns and column not in _THOMPSON_KEYS:
            series = frame[column]
            data[column] = (series.astype("float64").reset_index(drop=True)
                            if pd.api.types.is_numeric_dtype(series) else _text(series))
    models = pd.DataFrame(data)
    metric_rows = []
    for column in (c for c in frame.columns if c.startswith("(")):
        name = column.strip("()").strip()
        for model_id, line, value in zip(ids, lines, frame[column], strict=True):
            if pd.notna(value):
                metric_rows.append((model_id, item.source_file, line, item.benchmark, name, metric_key(name),
                                    float(value)))
    metrics = pd.DataFrame(metric_rows, columns=["model_id", "source_file", "source_row", "benchmark", "metric",
                                                 "metric_key", "value"])
    return models, metrics


def replace_thompson(
    con: duckdb.DuckDBPyConnection, files: Sequence[ThompsonFile], *, paper_id_of: Any,
) -> list[ImportCounts]:
    """Replace the rows of these Thompson CSV files (one transaction for all); record rejected cells.

    `paper_id_of(paper_link)` gives the arXiv id of a link (or None).
    """
    counts = []
    with transaction(con):
        for item in files:
            links = item.frame["paper_link"] if "paper_link" in item.frame.columns else [None] * len(item.frame)
            models, metrics = _thompson_frames(con, item, [paper_id_of(link) for link in links])
            for statement in sql.DELETE_THOMPSON_FILE:
                con.execute(statement, [item.source_file])
            _insert_frame(con, sql.THOMPSON_BATCH, models, sql.INSERT_THOMPSON_BATCH)
            if len(metrics):
                _insert_frame(con, sql.THOMPSON_METRICS_BATCH, metrics, sql.INSERT_THOMPSON_METRICS_BATCH)
            problems = _record_problems(con, item.source_file, item.problems)
            linked = int(models["paper_id"].notna().sum())
            counts.append(ImportCounts("thompson", item.source_file, len(models), len(metrics), problems, linked))
            logger.info("thompson %s: %d model rows, %d metric values, %d problems", item.source_file,
                        len(models), len(metrics), problems)
    return counts


# Epoch AI -------------------------------------------------------------------------------------

_EPOCH_LISTS = ("arxiv_ids", "links", "hardware")


def replace_epoch(
    con: duckdb.DuckDBPyConnection, records: Iterable[Mapping[str, Any]], *, naming: str, source_file: str,
    problems: Sequence[Problem] = (),
) -> ImportCounts:
    """Replace the rows of one Epoch CSV by `records` (crawlers.epoch.stream_epoch_csv or read_epoch_csv)
    in one transaction, ``BATCH_ROWS`` at a time: a million-row file is never held whole. ``problems``
    is read after the records (a stream fills it as it goes)."""
    rows = linked = 0
    with transaction(con):
        con.execute(sql.DELETE_EPOCH_FILE, [source_file])
        iterator = iter(records)
        while batch := list(islice(iterator, BATCH_ROWS)):
            frame = _epoch_frame(batch, naming, source_file)
            _insert_frame(con, sql.EPOCH_BATCH, frame, sql.INSERT_EPOCH_BATCH)
            rows += len(frame)
            linked += int(frame["paper_id"].notna().sum()) if "paper_id" in frame.columns else 0
        recorded = _record_problems(con, source_file, problems)
    logger.info("epoch %s: %d rows, %d problems", source_file, rows, recorded)
    return ImportCounts("epoch", source_file, rows, problems=recorded, linked=linked)


def _epoch_frame(records: Sequence[Mapping[str, Any]], naming: str, source_file: str) -> pd.DataFrame:
    columns = [k for k in records[0] if k not in _EPOCH_LISTS and k != "source_row"]
    data: dict[str, pd.Series] = {
        "model_id": _text(stable_id("epoch", source_file, r["source_row"]) for r in records),
        "source": _text("epoch" for _ in records), "source_file": _text(source_file for _ in records),
        "source_row": pd.Series([int(r["source_row"]) for r in records], dtype="int64"),
        "naming": _text(naming for _ in records),
    }
    for column in columns:
        values = [r.get(column) for r in records]
        if all(v is None or isinstance(v, int | float) for v in values) and any(v is not None for v in values):
            data[column] = _floats(values)
        else:
            data[column] = _text(v.isoformat() if hasattr(v, "isoformat") else v for v in values)
    for column in _EPOCH_LISTS:
        data[column] = pd.Series([list(r.get(column) or []) for r in records], dtype=object)
    return pd.DataFrame(data)


def source_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per imported source table."""
    return {name: int(n) for name, n in con.execute(sql.COUNT_SOURCE_ROWS).fetchall()}


def source_links(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """How many papers (arXiv ids) each source and each combination of sources covers."""
    cursor = con.execute(sql.SOURCE_LINKS)
    names = [d[0] for d in cursor.description or []]
    row = cursor.fetchone() or ()
    return {name: int(value or 0) for name, value in zip(names, row, strict=False)}
