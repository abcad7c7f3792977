"""`compute-limits extract PDF ...`: extraction without a warehouse, in the pipeline's limited workers.

Each PDF runs in a worker process with the pipeline's time and memory limits (``extract_timeout_s``,
``extract_memory_mb``), so a PDF bomb dies in its worker and is reported as that PDF's error. Output
comes in order, each PDF as soon as it and those before it are done. The exit code is 1 when any PDF
could not be read (each one's ``error`` says why), 0 otherwise; a missing file fails before any work.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from extract import ExtractionError
from flows.settings import Settings

out = Console()


def _print(pdf: Path, result: dict[str, Any]) -> None:
    out.print(f"[bold]{escape(str(pdf))}[/] ({result.get('pages')} pages)"
              + (f" [red]error: {escape(str(result['error']))}[/]" if result.get("error") else ""))
    for run in result["training_runs"]:
        out.print(escape(f"  run: {run.get('phase')} {run.get('count')} x {run.get('accelerator')} "
                         f"({run.get('count_unit')}), {run.get('hours')} h  [p{run['page']}] {run['quote'][:80]}"))
    for res in result["results"]:
        out.print(escape(f"  result: {res.get('dataset')} {res.get('metric')} = {res.get('value')} "
                         f"({res.get('model')}) [p{res['page']}]"))


def extract(
    pdfs: Annotated[list[Path], typer.Argument(help="PDF files")],
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per PDF (JSON Lines)")] = False,
) -> None:
    """Extract training hardware, time and results from PDFs, without a warehouse.

    Example: compute-limits extract paper.pdf --json
    """
    from extract.worker import extract_many

    for pdf in pdfs:
        if not pdf.is_file():
            raise typer.BadParameter(f"no such file: {pdf}", param_hint="PDFS")
    settings = Settings()
    failed = 0

    def emit(path: str, result: dict[str, Any]) -> None:  # in order, as soon as each is done
        nonlocal failed
        result["pdf"] = path
        failed += bool(result.get("error"))
        if as_json:
            sys.stdout.write(json.dumps(result) + "\n")
            sys.stdout.flush()
        else:
            _print(Path(path), result)

    extract_many([str(p) for p in pdfs], workers=settings.extract_workers, timeout_s=settings.extract_timeout_s,
                 memory_mb=settings.extract_memory_mb, emit=emit)
    if failed:
        raise ExtractionError(f"{failed} of {len(pdfs)} PDFs could not be read (see their error)")


def register(app: typer.Typer) -> None:
    app.command()(extract)
