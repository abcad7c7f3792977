"""`compute-limits import pwc|thompson|epoch`: reference sources into the warehouse.

Each file's rows replace that file's previous import in one transaction. Cells that do not parse
are recorded in `errors` (stage `import`, source `FILE:LINE`) and the rest of the file loads.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import duckdb
import typer
from rich.console import Console

from flows.cli.options import DbOption
from flows.settings import Settings

logger = logging.getLogger(__name__)

import_app = typer.Typer(help="Load reference data (Papers with Code, Thompson et al., Epoch AI).",
                         no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

PWC_SUFFIXES = (".json", ".parquet", ".jsonl")


def _db(db: Path | None) -> Path:
    return (Settings(db=db) if db is not None else Settings()).db


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except ValueError as exc:
                    raise ValueError(f"{path.name} line {number}: not JSON ({exc})") from exc


def pwc_rows(path: Path) -> tuple[str, Iterator[dict[str, Any]]]:
    """(source, rows) of a Papers with Code file: a dump (.json, .parquet) or a pwc_api crawl (.jsonl)."""
    from crawlers.pwc_archive import api_result_rows, flatten_tasks, iter_evaluation_rows
    from warehouse.reference import iter_parquet_tasks

    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return "pwc", flatten_tasks(iter_parquet_tasks(path))
    if suffix == ".jsonl":
        return "pwc_api", api_result_rows(_jsonl(path))
    return "pwc", iter_evaluation_rows(path)


def load_pwc_file(con: duckdb.DuckDBPyConnection, path: Path) -> Any:
    """Replace one Papers with Code file's rows; returns warehouse.reference.ImportCounts."""
    from warehouse.reference import replace_results

    source, rows = pwc_rows(path)
    return replace_results(con, rows, source=source, source_file=path.name)


@import_app.command("pwc")
def import_pwc(
    path: Annotated[Path, typer.Argument(help="an evaluation-tables .json/.parquet, a pwc_api .jsonl, or a folder")],
    db: DbOption = None,
) -> None:
    """Load Papers with Code results (dumps as source `pwc`, API crawls as `pwc_api`) into `results`.

    A folder loads every .json, .parquet and .jsonl in it; a file that cannot be read is recorded
    in `errors`, the others still load, and the command then fails naming it.

    Example: compute-limits import pwc ../shared/reference/pwc/evaluation-tables
    """
    import warehouse
    from crawlers.errors import CrawlError
    from warehouse import WarehouseError
    from warehouse.records import record_error

    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in PWC_SUFFIXES)
        if not files:
            raise ValueError(f"no .json, .parquet or .jsonl file in {path}")
    elif path.is_file():
        files = [path]
    else:
        raise FileNotFoundError(f"no such file or folder: {path}")
    failed: list[str] = []
    with warehouse.writing(_db(db), holder="compute-limits import pwc", wait_s=Settings().lock_wait_s) as con:
        for file in files:
            try:
                counts = load_pwc_file(con, file)
            except (CrawlError, WarehouseError, ValueError, OSError, duckdb.Error) as exc:
                if len(files) == 1:
                    raise
                record_error(con, stage="import", source=file.name, message=str(exc), retryable=False, run_id=None)
                err.print(f"[red]{file.name}: not loaded[/]: {exc}", soft_wrap=True)
                failed.append(file.name)
                continue
            out.print(f"{counts.source} {file.name}: {counts.rows} results, {counts.numeric} numeric, "
                      f"{counts.non_numeric} kept raw (value NULL), {counts.linked} with an arXiv id")
        _refresh_links(con)
    if failed:
        raise ValueError(f"{len(failed)} of {len(files)} files not loaded (see `errors`): {', '.join(failed)}")


@import_app.command("thompson")
def import_thompson(
    directory: Annotated[Path, typer.Argument(help="folder of Thompson et al.'s per-benchmark CSVs")],
    db: DbOption = None,
) -> None:
    """Load Thompson et al.'s CSVs into `thompson_models` and `thompson_metrics` (all files, one transaction).

    Example: compute-limits import thompson ../shared/reference/thompson
    """
    import warehouse
    from analysis.thompson import THOMPSON_FILES, arxiv_id_of, stream_thompson_csv
    from warehouse.reference import ThompsonFile, replace_thompson

    if not directory.is_dir():
        raise FileNotFoundError(f"no such folder: {directory}")
    files = []
    for name, (benchmark, _, _) in THOMPSON_FILES.items():
        csv_path = directory / name
        if not csv_path.is_file():
            logger.warning("no %s in %s", name, directory)
            continue
        stream = stream_thompson_csv(_within_size(csv_path))  # every file checked before any is read
        files.append(ThompsonFile(name, benchmark, stream.rows, stream.problems))
    if not files:
        raise ValueError(f"no Thompson CSV in {directory} (expected {', '.join(sorted(THOMPSON_FILES))})")
    with warehouse.writing(_db(db), holder="compute-limits import thompson", wait_s=Settings().lock_wait_s) as con:
        counts = replace_thompson(con, files, paper_id_of=arxiv_id_of)
        _refresh_checks(con)
        links = _refresh_links(con, show=False)
    for c in counts:
        out.print(f"thompson {c.source_file}: {c.rows} models, {c.numeric} metric values, "
                  f"{c.linked} with an arXiv id, {c.problems} cells rejected (see `errors`)")
    out.print(links)


@import_app.command("epoch")
def import_epoch(
    csv_files: Annotated[list[Path], typer.Argument(help="Epoch AI models CSV(s)")],
    db: DbOption = None,
) -> None:
    """Load Epoch AI's models database (either naming: `Model` or older `System`) into `epoch_models`.

    Example: compute-limits import epoch ../shared/reference/epoch/all_ml_systems_2025-08.csv
    """
    import warehouse
    from crawlers.epoch import stream_epoch_csv
    from warehouse.reference import replace_epoch

    streams = []
    for csv_path in csv_files:  # every file checked (exists, size, an Epoch header) before any is loaded
        if not csv_path.is_file():
            raise FileNotFoundError(f"no such file: {csv_path}")
        streams.append((csv_path, *stream_epoch_csv(_within_size(csv_path))))
    with warehouse.writing(_db(db), holder="compute-limits import epoch", wait_s=Settings().lock_wait_s) as con:
        for csv_path, naming, problems, records in streams:
            c = replace_epoch(con, records, naming=naming, source_file=csv_path.name, problems=problems)
            out.print(f"epoch {csv_path.name} ({naming} naming): {c.rows} models, {c.linked} with an "
                      f"arXiv id, {c.problems} cells rejected (see `errors`)")
        _refresh_checks(con)
        _refresh_links(con)


def _within_size(path: Path) -> Path:
    """Refuse, before reading a line, a reference file past `import_max_bytes` (a hostile or wrong file)."""
    limit = Settings().import_max_bytes
    size = path.stat().st_size
    if size > limit:
        raise ValueError(f"{path.name} is {size / 1e6:.0f} MB, over the import limit of {limit / 1e6:.0f} MB "
                         "(COMPUTE_LIMITS_IMPORT_MAX_BYTES)")
    return path


def _refresh_checks(con: duckdb.DuckDBPyConnection) -> None:
    """The reference checks (`check_thompson_burden`, `check_epoch_compute`) follow every import."""
    from warehouse.checks import refresh_reference_checks

    refresh_reference_checks(con, Settings().accounting())


def _refresh_links(con: duckdb.DuckDBPyConnection, *, show: bool = True) -> str:
    """`paper_links` (one arXiv id per reference record) follows every import; one line said."""
    from warehouse.identity import refresh_paper_links

    line = refresh_paper_links(con).summary()
    if show:
        out.print(line)
    return line
