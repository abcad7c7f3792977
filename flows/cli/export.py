"""`compute-limits export DIR --format parquet|csv`: the analyst views as files for other tools."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from flows.cli.options import DbOption
from flows.settings import Settings

out = Console(soft_wrap=True)


def export(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="where to write (replaced as a whole)")],
    fmt: Annotated[str, typer.Option("--format", help="parquet (ZSTD) | csv")],
    view: Annotated[list[str] | None, typer.Option(
        "--view", help="only this view (repeatable); default: every v_* view")] = None,
    partition_by_year: Annotated[bool, typer.Option(
        "--partition-by-year", help="parquet: views with a year write <view>/year=YYYY/ directories")] = False,
    db: DbOption = None,
) -> None:
    """Write the analyst views (v_*) as Parquet or CSV files with a manifest.json, read-only.

    DIR is built beside itself and swapped in when complete; it may be absent, empty or an earlier export.
    Example: compute-limits export exports/ --format parquet --partition-by-year
    """
    import warehouse
    from warehouse.export import export_views

    settings = Settings(db=db) if db is not None else Settings()
    with warehouse.connect_read_only(settings.db) as con:
        manifest = export_views(con, directory, fmt.strip().lower(), views=view,
                                partition_by_year=partition_by_year)
    table = Table()
    table.add_column("view")
    table.add_column("rows", justify="right")
    table.add_column("file")
    for item in manifest.views:
        if item.partition_by:
            where = f"{item.name}/ ({len(item.files)} files by {item.partition_by})"
        else:
            where = item.files[0].path if item.files else ""
        table.add_row(item.name, str(item.rows), where)
    out.print(table)
    out.print(f"manifest: {manifest.manifest_path}")


def register(app: typer.Typer) -> None:
    app.command()(export)
