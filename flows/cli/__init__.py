"""The `compute-limits` command line (typer). Errors reach the user as one line and exit 1."""

from __future__ import annotations

import logging
import os
import sys
from typing import Annotated

import typer
from rich.console import Console

from flows.cli.corpus import register as register_corpus
from flows.cli.curation import register as register_curation
from flows.cli.export import register as register_export
from flows.cli.extract_pdfs import register as register_extract
from flows.cli.ops import register as register_ops
from flows.cli.pipeline import register as register_pipeline
from flows.cli.reference import import_app
from flows.cli.regress import register as register_regress
from flows.cli.sql import register as register_sql
from flows.cli.trend import register as register_trend

app = typer.Typer(no_args_is_help=True, help="Measure what deep learning's progress costs in compute.")


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        out.print(f"compute-limits {version('compute-limits')}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="print the version and exit")] = False,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="only warnings and errors from the flows "
                                                 "(the default when stderr is not a terminal)")] = False,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="the flows' INFO lines even in a pipe "
                                          "or where PREFECT_LOGGING_LEVEL says less")] = False,
) -> None:
    """Measure what deep learning's progress costs in compute."""
    piped = not sys.stderr.isatty() and "PREFECT_LOGGING_LEVEL" not in os.environ
    if quiet or verbose or piped:  # in a pipe (cron, a script) quiet unless -v; at a terminal, the stage lines
        level = "INFO" if verbose else "WARNING"
        os.environ["PREFECT_LOGGING_LEVEL"] = level
        logging.getLogger("prefect").setLevel(level)


out = Console()
for register in (register_corpus, register_curation, register_export, register_ops, register_sql, register_extract,
                 register_trend, register_pipeline, register_regress):
    register(app)
app.add_typer(import_app, name="import")


def main(argv: list[str] | None = None) -> int:
    """Entry point; callable from tests. Known errors become one line on stderr and exit 1."""
    import duckdb

    from analysis import AnalysisError
    from crawlers import CrawlError
    from extract import ExtractionError
    from warehouse import WarehouseError

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app(args=argv, standalone_mode=False)
    except (WarehouseError, CrawlError, ExtractionError, AnalysisError, duckdb.Error, OSError,
            ValueError) as exc:
        _fail(_settings_problem(exc) or str(exc))
        return 1
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        _fail("aborted")
        return 1
    except Exception as exc:  # click's usage errors and anything unexpected: still one line
        # typer carries its own copy of click: its usage errors are known by their message method
        format_message = getattr(exc, "format_message", None)
        if callable(format_message):
            _fail(str(format_message()))  # "Invalid value for --format: must be table, csv or jsonl"
            return int(getattr(exc, "exit_code", 2))
        _fail(f"{type(exc).__name__}: {exc}")
        return 1
    return 0


def _settings_problem(exc: Exception) -> str | None:
    """A bad COMPUTE_LIMITS_ environment variable said by its name, not as pydantic words it."""
    from pydantic import ValidationError

    from flows.settings import settings_problem

    return settings_problem(exc) if isinstance(exc, ValidationError) else None


def _fail(message: str) -> None:
    """One line on stderr, never wrapped, never a traceback."""
    sys.stderr.write("error: " + " ".join(message.split()) + "\n")


def entry() -> None:
    sys.exit(main())
