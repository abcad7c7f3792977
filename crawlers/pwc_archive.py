"""Papers with Code data flattened into result rows: `evaluation-tables` dumps and API crawl records.

The `evaluation-tables` JSON is a top-level array of tasks (task -> datasets -> subdatasets ->
sota.rows, recursive subtasks). It is read streaming with ijson: one top-level task is decoded at a
time, so the whole tree is never held in memory. The
Parquet form of the archive has the same nested schema; `warehouse.reference.iter_parquet_tasks`
turns its rows into the same task dicts, and `flatten_tasks` makes rows of either.

Every row: task, dataset, metric, value (the raw cell, as printed), value_number, value_unit,
metric_direction, model, paper_title, paper_url, paper_date, uses_additional_data, paper_id
(arXiv id from `paper_url`, when arXiv) and `source_row` (its ordinal in the file).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import ijson

from crawlers.errors import CrawlError
from crawlers.values import arxiv_id_from_url, metric_direction, parse_metric_value

logger = logging.getLogger(__name__)

__all__ = ["api_result_rows", "arxiv_id_from_url", "flatten_tasks", "iter_evaluation_rows", "iter_json_tasks"]

_CHUNK = 1 << 16


def _as_object(value: Any) -> Any:
    """Nested fields sometimes arrive as JSON text (e.g. from Parquet JSON columns): decode them."""
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _row(task: str, dataset: str | None, metric: str, raw: Any, row: Mapping[str, Any]) -> dict[str, Any]:
    parsed = parse_metric_value(raw)
    return {
        "task": task, "dataset": dataset, "metric": metric, "value": parsed.raw,
        "value_number": parsed.value, "value_unit": parsed.unit, "metric_direction": metric_direction(metric),
        "model": row.get("model_name"), "paper_title": row.get("paper_title"),
        "paper_url": row.get("paper_url"), "paper_date": _date_text(row.get("paper_date")),
        "uses_additional_data": row.get("uses_additional_data"),
        "paper_id": arxiv_id_from_url(row.get("paper_url")),
    }


def _date_text(value: Any) -> str | None:
    value = _as_object(value)
    if value is None or value == "":
        return None
    return str(value)[:10]


def _walk_datasets(task: str, datasets: Any, parent: str | None) -> Iterator[dict[str, Any]]:
    for ds in _as_object(datasets) or []:
        ds = _as_object(ds)
        name = ds.get("dataset") or ds.get("subdataset") or parent
        sota = _as_object(ds.get("sota")) or {}
        for row in _as_object(sota.get("rows")) or []:
            row = _as_object(row)
            metrics = _as_object(row.get("metrics")) or {}
            for metric, value in metrics.items():
                if value is None:  # a Parquet struct holds every metric of the table; absent ones are null
                    continue
                yield _row(task, name, metric, value, row)
        yield from _walk_datasets(task, ds.get("subdatasets"), name)


def _walk_tasks(tasks: Iterable[Any]) -> Iterator[dict[str, Any]]:
    for task in tasks:
        task = _as_object(task)
        if not isinstance(task, dict):
            raise ValueError(f"a task must be an object, not {type(task).__name__}")
        yield from _walk_datasets(task.get("task") or "", task.get("datasets"), None)
        yield from _walk_tasks(_as_object(task.get("subtasks")) or [])


def flatten_tasks(tasks: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """One row per (leaderboard row, metric) of the tasks, numbered by `source_row` in order."""
    for number, row in enumerate(_walk_tasks(tasks)):
        yield {**row, "source_row": number}


def iter_json_tasks(path: Path, *, chunk_size: int = _CHUNK) -> Iterator[dict[str, Any]]:
    """The top-level tasks of an evaluation-tables JSON file, decoded one at a time.

    A file holding one object (not an array) is that one task. Raises CrawlError for a file that
    is not valid JSON (e.g. truncated), after yielding the tasks before the fault.
    """
    path = Path(path)
    try:
        yield from _stream_array(path, chunk_size)
    except (OSError, ValueError) as exc:
        raise CrawlError(f"cannot read evaluation tables: {exc}", url=str(path)) from exc


def _stream_array(path: Path, chunk_size: int) -> Iterator[dict[str, Any]]:
    """ijson over the file: the array's items one at a time, or the one object the file holds."""
    with path.open("rb") as fh:
        head = fh.read(4096)
        start = 3 if head.startswith(b"\xef\xbb\xbf") else 0  # a UTF-8 byte-order mark
        first = head[start:].lstrip()[:1]
        fh.seek(start)
        if not first:
            raise ValueError("empty file")
        if first not in (b"[", b"{"):
            raise ValueError(f"expected a JSON array of tasks, found {first.decode(errors='replace')!r}")
        prefix = "item" if first == b"[" else ""
        try:
            for obj in ijson.items(fh, prefix, use_float=True, buf_size=chunk_size):
                if not isinstance(obj, dict):
                    raise ValueError(f"a task must be an object, not {type(obj).__name__}")
                yield obj
        except ijson.JSONError as exc:
            raise ValueError(str(exc) or "invalid JSON") from exc


def iter_evaluation_rows(path: Path) -> Iterator[dict[str, Any]]:
    """One row per (leaderboard row, metric) of an evaluation-tables JSON file, streaming.

    Raises CrawlError (after the rows before the fault) for a file that is not valid JSON or whose
    tasks do not have the dump's shape."""
    try:
        yield from flatten_tasks(iter_json_tasks(path))
    except CrawlError:
        raise
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise CrawlError(f"malformed evaluation tables: {type(exc).__name__}: {exc}", url=str(path)) from exc


def api_result_rows(records: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
    """Result rows from the records of the `pwc_api` spider (papers, evaluations, metrics, results).

    A result seen both under its paper and under an evaluation table is one result (the table
    gives task and dataset). The paper gives the arXiv id, title, URL and date; an evaluation's
    metric list gives each metric's direction (`is_loss`).
    """
    papers: dict[str, Mapping[str, Any]] = {}
    tables: dict[str, Mapping[str, Any]] = {}
    losses: dict[tuple[str, str], bool] = {}
    results: dict[str, dict[str, Any]] = {}
    for rec in records:
        kind = rec.get("kind")
        if kind == "paper":
            papers[str(rec["id"])] = rec
        elif kind == "evaluation":
            tables[str(rec["id"])] = rec
        elif kind == "metric" and rec.get("is_loss") is not None:
            losses[(str(rec["evaluation"]), str(rec["name"]).lower())] = bool(rec["is_loss"])
        elif kind == "result":
            merged = results.setdefault(str(rec["id"]), {})
            merged.update({k: v for k, v in rec.items() if v is not None})
    number = 0
    for result_id in sorted(results):
        res = results[result_id]
        paper = papers.get(str(res.get("paper")), {})
        table = tables.get(str(res.get("evaluation")), {})
        url = paper.get("url_abs") or paper.get("url_pdf")
        for metric, raw in (res.get("metrics") or {}).items():
            parsed = parse_metric_value(raw)
            is_loss = losses.get((str(res.get("evaluation")), str(metric).lower()))
            yield {
                "task": table.get("task"), "dataset": table.get("dataset"), "metric": metric,
                "value": parsed.raw, "value_number": parsed.value, "value_unit": parsed.unit,
                "metric_direction": metric_direction(metric, is_loss=is_loss),
                "model": res.get("methodology"), "paper_title": paper.get("title"), "paper_url": url,
                "paper_date": _date_text(paper.get("published") or res.get("evaluated_on")),
                "uses_additional_data": res.get("uses_additional_data"),
                "paper_id": paper.get("arxiv_id") or arxiv_id_from_url(url),
                "source_row": number, "external_id": result_id,
            }
            number += 1
