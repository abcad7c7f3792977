"""`compute-limits sql QUERY`: an analyst's read-only query, printed as a table, CSV or JSON Lines.

The query runs through :mod:`warehouse.analyst` (the warehouse file alone, one read-only query, a time limit).
The table shows at most ``--max-rows`` rows and says how many more there were; CSV and JSON Lines
stream every row in batches. Cells are printed as text, never as markup.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import json
import sys
import uuid
from collections.abc import Iterator
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from flows.cli.options import DbOption
from flows.settings import Settings

FORMATS = ("table", "csv", "jsonl", "json")  # "json" is the former name of JSON Lines


def cell_text(value: Any) -> str:
    """A cell as plain text: floats without binary noise (0.45, not 0.44999999999999996)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return format(value, ".15g")
    if isinstance(value, dict | list | tuple | decimal.Decimal):
        return json.dumps(json_value(value), ensure_ascii=False, default=str)
    return str(value)


def json_value(value: Any) -> Any:
    """A cell as JSON: decimals as numbers, structs and lists as objects and arrays, dates as ISO text."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, dt.date | dt.time | dt.timedelta | uuid.UUID | bytes):
        return value.hex() if isinstance(value, bytes) else str(value)
    return value


def print_table(columns: list[str], batches: Iterator[list[Any]], max_rows: int, console: Console) -> None:
    table = Table()
    for c in columns:
        table.add_column(Text(c), overflow="fold")
    shown = more = 0
    for batch in batches:
        for row in batch:
            if shown < max_rows:
                table.add_row(*[Text(cell_text(v)) for v in row])
                shown += 1
            else:
                more += 1
    console.print(table)
    if more:
        console.print(Text(f"{more} more rows (raise --max-rows, or use --format csv)"))


def print_lines(columns: list[str], batches: Iterator[list[Any]], fmt: str) -> None:
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for batch in batches:
            writer.writerows([["" if v is None else cell_text(v) for v in row] for row in batch])
        return
    for batch in batches:
        for row in batch:
            record = {c: json_value(v) for c, v in zip(columns, row, strict=True)}
            sys.stdout.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")


def sql(
    query: Annotated[str, typer.Argument(help="one read-only query (a select statement)")],
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table | csv | jsonl")] = "table",
    allow_files: Annotated[bool, typer.Option(
        "--allow-files", help="let the query read files (read_csv, read_parquet, glob); never write")] = False,
    timeout: Annotated[float, typer.Option("--timeout", help="stop the query after this many seconds")] = 60.0,
    max_rows: Annotated[int, typer.Option("--max-rows", help="table format: rows shown (the rest counted)")
                        ] = 10_000,
) -> None:
    """Query the warehouse read-only: the warehouse file alone, one read-only query, a time limit.

    Example: compute-limits sql "select benchmark, count(*) from v_benchmark_points group by 1"
    """
    from warehouse.analyst import run_query

    if fmt not in FORMATS:
        raise typer.BadParameter("must be table, csv or jsonl", param_hint="--format")  # one line, named
    if timeout <= 0:
        raise typer.BadParameter("must be a positive number of seconds", param_hint="--timeout")
    if max_rows < 0:
        raise typer.BadParameter("must be 0 or more", param_hint="--max-rows")
    settings = Settings(db=db) if db is not None else Settings()
    stream = run_query(settings.db, query, allow_files=allow_files, timeout_s=timeout)
    columns = next(stream)
    if fmt == "table":
        print_table(columns, stream, max_rows, Console(soft_wrap=False))
    else:
        print_lines(columns, stream, fmt)


def register(app: typer.Typer) -> None:
    app.command()(sql)
