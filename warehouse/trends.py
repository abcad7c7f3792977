"""Reading the inputs of `compute-limits trend` from the warehouse (the SQL is in `warehouse.sql_trends`).

`trend_rows` gives one row per model (Epoch AI, Thompson et al.) or paper (extracted) with its date
and compute; `progress_points` the regression points of one benchmark with the papers' dates. Both
return pandas frames for `analysis.trends` / `analysis.progress`, which never see DuckDB.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from warehouse import sql_trends as sql
from warehouse.db import WarehouseError

TREND_SOURCES = ("epoch", "thompson", "extracted")
TREND_COLUMNS = ("source", "row_id", "cluster", "name", "published", "precision", "year", "compute", "domain",
                 "task", "benchmarks", "category", "synthetic")


def _frame(con: duckdb.DuckDBPyConnection, query: str, params: list[object] | None = None) -> pd.DataFrame:
    cursor = con.execute(query, params or [])
    columns = [d[0] for d in cursor.description or []]
    return pd.DataFrame(cursor.fetchall(), columns=columns, dtype=object)


def trend_rows(con: duckdb.DuckDBPyConnection, sources: Sequence[str], *,
               include_synthetic: bool = False) -> pd.DataFrame:
    """The dated compute rows of ``sources`` (epoch, thompson, extracted), in `TREND_COLUMNS`.

    Synthetic fixture papers (extracted only) are left out unless ``include_synthetic``; they keep
    their `synthetic` flag so that the analysis fits them apart."""
    unknown = sorted(set(sources) - set(TREND_SOURCES))
    if unknown:
        raise WarehouseError(f"unknown trend source(s) {', '.join(unknown)}; choose from {', '.join(TREND_SOURCES)}")
    queries: dict[str, tuple[str, list[object]]] = {
        "epoch": (sql.EPOCH_TREND_ROWS, []), "thompson": (sql.THOMPSON_TREND_ROWS, []),
        "extracted": (sql.EXTRACTED_TREND_ROWS, [include_synthetic])}
    frames = [_frame(con, *queries[source]) for source in TREND_SOURCES if source in sources]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in TREND_COLUMNS})
    rows = pd.concat(frames, ignore_index=True)[list(TREND_COLUMNS)]
    rows["compute"] = pd.to_numeric(rows["compute"], errors="coerce")
    rows["year"] = pd.to_numeric(rows["year"], errors="coerce")
    rows["synthetic"] = rows["synthetic"].fillna(False).astype(bool)
    return rows


def progress_points(con: duckdb.DuckDBPyConnection, benchmark: str) -> pd.DataFrame:
    """Every regression point of ``benchmark`` (`v_regression_points_all`: all compute sources, synthetic
    points flagged) with the paper's `published` date and `published_precision` where known."""
    return _frame(con, sql.PROGRESS_POINTS, [benchmark])


def code_benchmarks(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The benchmarks of the registry's code domain (HumanEval, MBPP, ...)."""
    try:
        return [str(b) for (b,) in con.execute(sql.CODE_BENCHMARKS).fetchall()]
    except duckdb.BinderException:  # a registry without domains: no code benchmarks known
        return []
