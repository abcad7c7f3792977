"""Papers with Code `evaluation-tables` (nested JSON dump) flattened into result rows."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crawlers.errors import CrawlError

logger = logging.getLogger(__name__)

_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/(?P<id>\d{4}\.\d{4,5}|[a-z][a-z.-]*/\d{7})(?:v\d+)?",
                        re.IGNORECASE)


def arxiv_id_from_url(url: str | None) -> str | None:
    """The arXiv id in an arxiv.org abs/pdf link, else None."""
    if not url:
        return None
    match = _ARXIV_URL.search(url)
    return match.group("id") if match else None


def _walk_datasets(task: str, datasets: list[dict[str, Any]], parent: str | None) -> Iterator[dict[str, Any]]:
    for ds in datasets or []:
        name = ds.get("dataset") or ds.get("subdataset") or parent
        for row in (ds.get("sota") or {}).get("rows") or []:
            for metric, value in (row.get("metrics") or {}).items():
                yield {
                    "task": task, "dataset": name, "metric": metric, "value": value,
                    "model": row.get("model_name"), "paper_title": row.get("paper_title"),
                    "paper_url": row.get("paper_url"), "paper_date": row.get("paper_date"),
                    "uses_additional_data": row.get("uses_additional_data"),
                    "paper_id": arxiv_id_from_url(row.get("paper_url")),
                }
        yield from _walk_datasets(task, ds.get("subdatasets") or [], name)


def _walk_tasks(tasks: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for task in tasks:
        yield from _walk_datasets(task.get("task") or "", task.get("datasets") or [], None)
        yield from _walk_tasks(task.get("subtasks") or [])


def iter_evaluation_rows(path: Path) -> Iterator[dict[str, Any]]:
    """One row per (leaderboard row, metric), numbered by `source_row` in file order."""
    try:
        tasks = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise CrawlError(f"cannot read evaluation tables: {exc}", url=str(path)) from exc
    if isinstance(tasks, dict):
        tasks = [tasks]
    for number, row in enumerate(_walk_tasks(tasks)):
        yield {**row, "source_row": number}
