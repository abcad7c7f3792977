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
from warehouse.bulk import Spool, bounded_memory, column_types, insert_spooled, spool, upsert_errors
from warehouse.db import WarehouseError
from warehouse.load import now, stable_id, transaction
from warehouse.names import benchmark_of, headline_of, metric_key

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


def _drain(problems: list[Any], errors: Spool, source_file: str) -> None:
    """Move rejected cells from a reader's list into the `errors` spool (as record_error words them)."""
    if not problems:
        return
    stamp = now()
    for problem in problems:
        source = f"{source_file}:{problem.line}"
        message = " ".join(f"{problem.column}: {problem.value!r} {problem.reason}".split())[:2000]
        errors.write({"error_id": stable_id(IMPORT_STAGE, source, message), "stage": IMPORT_STAGE,
                      "source": source, "message": message, "retryable": False, "first_seen": stamp,
                      "last_seen": stamp})
    problems.clear()


# Papers with Code -----------------------------------------------------------------------------

def _results_frame(rows: Sequence[Mapping[str, Any]], source: str, source_file: str) -> pd.DataFrame:
    """One batch as the `results` columns. The benchmark is judged by task and dataset, the metric key by the
    metric on that benchmark (the registry's names for its headline metric first); an error rate is stored
    as its accuracy with the rule that converted it (names.headline_of)."""
    benchmarks = [benchmark_of(r.get("dataset"), r.get("task")) for r in rows]
    heads = [headline_of(r.get("metric"), None if r.get("value_number") is None else float(r["value_number"]),
                         r.get("value_unit"), b) for r, b in zip(rows, benchmarks, strict=True)]
    return pd.DataFrame({
        "result_id": _text(stable_id(source, source_file, r["source_row"], r.get("metric")) for r in rows),
        "paper_id": _text(r.get("paper_id") for r in rows),
        "source": _text(source for _ in rows),
        "task": _text(r.get("task") for r in rows),
        "dataset": _text(r.get("dataset") for r in rows),
        "benchmark": _text(benchmarks),
        "metric": _text(r.get("metric") for r in rows),
        "metric_key": _text(h.key for h in heads),
        "value": _floats(h.value for h in heads),
        "value_text": _text(r.get("value") for r in rows),
        "value_rule": _text(h.rule for h in heads),
        "model": _text(r.get("model") for r in rows),
        "paper_title": _text(r.get("paper_title") for r in rows),
        "paper_url": _text(r.get("paper_url") for r in rows),
        "paper_date": _text(r.get("paper_date") or None for r in rows),
        "uses_additional_data": _text(r.get("uses_additional_data") for r in rows),
        "source_file": _text(source_file for _ in rows),
        "source_row": pd.Series([int(r["source_row"]) for r in rows], dtype="int64"),
        # a converted error is an accuracy: higher is better
        "metric_direction": _text("higher" if h.rule else r.get("metric_direction") for r, h in zip(rows, heads,
                                                                                                    strict=True)),
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
    """One CSV to load: its name, benchmark, and its rows as analysis.thompson.stream_thompson_csv reads
    them ((line, typed cells, cells as printed)); ``problems`` fills, and is drained, as they are read."""

    source_file: str
    benchmark: str
    rows: Iterable[tuple[int, Mapping[str, Any], Mapping[str, str]]]
    problems: list[Any]


_THOMPSON_RENAMES = {"lo10net": "log10net"}
_THOMPSON_KEYS = frozenset(("model_id", "source", "source_file", "source_row", "benchmark", "paper_id", "raw",
                            "line"))


def _metric_names(column: str) -> tuple[str, str | None]:
    """A performance column's metric name (without parentheses) and its key."""
    metric = column.strip("()").strip()
    return metric, metric_key(metric)


def _thompson_spools(con: duckdb.DuckDBPyConnection, item: ThompsonFile, paper_id_of: Any,
                     models: Spool, metrics: Spool, errors: Spool) -> tuple[int, int, int]:
    """Write one file's model rows, metric values and rejected cells; (rows, metric values, linked)."""
    table_columns = set(column_types(con, "thompson_models"))
    rows = values = linked = 0
    metric_names: dict[str, tuple[str, str | None]] = {}
    for line, cells, raw in item.rows:
        model_id = stable_id("thompson", item.source_file, line)
        paper_id = paper_id_of(cells.get("paper_link"))
        row: dict[str, Any] = {"model_id": model_id, "source": "thompson", "source_file": item.source_file,
                               "source_row": line, "benchmark": item.benchmark, "paper_id": paper_id, "raw": raw}
        for column, value in cells.items():
            name = _THOMPSON_RENAMES.get(column, column)
            if name in table_columns and name not in _THOMPSON_KEYS:
                row[name] = int(value) if name == "year" and isinstance(value, float) and value == value else value
            if column.startswith("(") and isinstance(value, float) and value == value:
                metric, key = metric_names.get(column) or metric_names.setdefault(column, _metric_names(column))
                metrics.write({"model_id": model_id, "source_file": item.source_file, "source_row": line,
                               "benchmark": item.benchmark, "metric": metric, "metric_key": key, "value": value})
                values += 1
        models.write(row)
        rows += 1
        linked += paper_id is not None
        _drain(item.problems, errors, item.source_file)
    return rows, values, linked


def replace_thompson(
    con: duckdb.DuckDBPyConnection, files: Sequence[ThompsonFile], *, paper_id_of: Any,
) -> list[ImportCounts]:
    """Replace the rows of these Thompson CSV files (one transaction for all); record rejected cells.

    `paper_id_of(paper_link)` gives the arXiv id of a link (or None). Each file's rows are spooled
    (warehouse.bulk) as they are read, then inserted by DuckDB: memory stays flat for any length.
    """
    counts = []
    with spool(con) as models, spool(con) as metrics, spool(con) as errors:
        for item in files:
            before = errors.rows
            rows, values, linked = _thompson_spools(con, item, paper_id_of, models, metrics, errors)
            _drain(item.problems, errors, item.source_file)
            counts.append(ImportCounts("thompson", item.source_file, rows, values, errors.rows - before, linked))
        with bounded_memory(con), transaction(con):
            for item in files:
                for statement in sql.DELETE_THOMPSON_FILE:
                    con.execute(statement, [item.source_file])
            insert_spooled(con, "thompson_models", models)
            insert_spooled(con, "thompson_metrics", metrics)
            upsert_errors(con, errors)
    for c in counts:
        logger.info("thompson %s: %d model rows, %d metric values, %d problems", c.source_file, c.rows, c.numeric,
                    c.problems)
    return counts


# Epoch AI -------------------------------------------------------------------------------------

def replace_epoch(
    con: duckdb.DuckDBPyConnection, records: Iterable[Mapping[str, Any]], *, naming: str, source_file: str,
    problems: list[Any] | None = None,
) -> ImportCounts:
    """Replace the rows of one Epoch CSV by `records` (crawlers.epoch.stream_epoch_csv or read_epoch_csv)
    in one transaction. The records are spooled (warehouse.bulk) as they are read, so a million-row
    file is never held; ``problems`` (the stream's list, which fills as records are read) is drained
    into `errors` as it goes. A stream that fails half-way changes nothing."""
    rows = linked = 0
    pending = problems if problems is not None else []
    with spool(con) as models, spool(con) as errors:
        for record in records:
            models.write({"model_id": stable_id("epoch", source_file, record["source_row"]), "source": "epoch",
                          "source_file": source_file, "naming": naming, **record})
            rows += 1
            linked += record.get("paper_id") is not None
            _drain(pending, errors, source_file)
        _drain(pending, errors, source_file)
        with bounded_memory(con), transaction(con):
            con.execute(sql.DELETE_EPOCH_FILE, [source_file])
            insert_spooled(con, "epoch_models", models)
            upsert_errors(con, errors)
    logger.info("epoch %s: %d rows, %d problems", source_file, rows, errors.rows)
    return ImportCounts("epoch", source_file, rows, problems=errors.rows, linked=linked)


def source_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per imported source table."""
    return {name: int(n) for name, n in con.execute(sql.COUNT_SOURCE_ROWS).fetchall()}


def source_links(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """How many papers (arXiv ids) each source and each combination of sources covers."""
    cursor = con.execute(sql.SOURCE_LINKS)
    names = [d[0] for d in cursor.description or []]
    row = cursor.fetchone() or ()
    return {name: int(value or 0) for name, value in zip(names, row, strict=False)}
