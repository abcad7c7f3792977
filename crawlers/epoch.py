"""Epoch AI's models database (CSV downloads: AI Models, Notable, Large-Scale, older snapshots).

Both namings load: the older files name the first column `System`, the newer `Model`; utilisation
is `Hardware utilization` or `Hardware utilization (MFU)`; the compute cost is in 2020 or 2023
USD. Links may hold several URLs (newlines, commas, ';'); every arXiv id among them is kept.
Training hardware may list several accelerators separated by commas. A cell that does not parse
becomes NULL and a `CellProblem` (line, column, value, reason); the row still loads.
"""

from __future__ import annotations

import csv
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from crawlers.errors import CrawlError
from crawlers.values import CellProblem, arxiv_ids_in, control_characters, implausible, parse_float, split_urls

logger = logging.getLogger(__name__)

# record field -> the column names it may have, newest first
_TEXT: dict[str, tuple[str, ...]] = {
    "model": ("Model", "System"),
    "domain": ("Domain",), "task": ("Task",), "organization": ("Organization",),
    "organization_categorization": ("Organization categorization",
                                    "Organization categorization (from Organization)"),
    "country": ("Country (of organization)", "Country (from Organization)"),
    "authors": ("Authors",), "reference": ("Reference",), "link": ("Link",),
    "notability_criteria": ("Notability criteria",), "training_dataset": ("Training dataset",),
    "training_hardware": ("Training hardware",), "confidence": ("Confidence",),
    "model_accessibility": ("Model accessibility",), "training_compute_notes": ("Training compute notes",),
    "training_time_notes": ("Training time notes",), "training_compute_estimation_method": (
        "Training compute estimation method",),
    "base_model": ("Base model",), "frontier_model": ("Frontier model",), "numerical_format": ("Numerical format",),
    "training_cloud_compute_vendor": ("Training cloud compute vendor",),
}
_NUMBERS: dict[str, tuple[str, ...]] = {
    "parameters": ("Parameters",),
    "training_compute_flop": ("Training compute (FLOP)",),
    "training_compute_lower": ("Training compute lower bound",),
    "training_compute_upper": ("Training compute upper bound",),
    "finetune_compute_flop": ("Finetune compute (FLOP)",),
    "training_dataset_size": ("Training dataset size (datapoints)",),
    "epochs": ("Epochs",),
    "training_time_hours": ("Training time (hours)",),
    "hardware_quantity": ("Hardware quantity",),
    "training_chip_hours": ("Training chip-hours",),
    "hardware_utilization": ("Hardware utilization (MFU)", "Hardware utilization"),
    "training_power_draw_w": ("Training power draw (W)",),
    "citations": ("Citations",),
}
_KINDS = {"hardware_quantity": "count", "training_time_hours": "hours", "epochs": "epochs",
          "hardware_utilization": "ratio"}
_COST = (("Training compute cost (2023 USD)", 2023), ("Training compute cost (2020 USD)", 2020))


@dataclass(slots=True)
class EpochTable:
    naming: str  # Model | System
    records: list[dict[str, Any]] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)


def _first(row: dict[str, str], names: tuple[str, ...]) -> tuple[str | None, str]:
    for name in names:
        if name in row:
            return name, (row[name] or "").strip()
    return None, ""


def _date(text: str) -> date:
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 1, 1)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return date.fromisoformat(text + "-01")
    return date.fromisoformat(text[:10])


def _timestamp(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("/", "-"))


def _hardware(text: str) -> list[str]:
    return [h.strip() for h in re.split(r"[,;\n]", text) if h.strip()]


def read_epoch_csv(path: Path) -> EpochTable:
    """Every row of an Epoch models CSV as a record (`source_row` = the line it starts on)."""
    naming, problems, records = stream_epoch_csv(path)
    table = EpochTable(naming, list(records), problems)
    if table.problems:
        first = table.problems[0]
        logger.warning("%s: %d cells rejected (first: line %d, %s: %r %s)", Path(path).name, len(table.problems),
                       first.line, first.column, first.value, first.reason)
    return table


def stream_epoch_csv(path: Path) -> tuple[str, list[CellProblem], Iterator[dict[str, Any]]]:
    """(naming, problems, records) of an Epoch models CSV, the records read one at a time as they are
    consumed (a million-row file never sits in memory); ``problems`` fills while they are. The naming
    is known, and a file that is no Epoch CSV refused, before the first record."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            columns = [c.strip() for c in next(csv.reader(fh), [])]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CrawlError(f"cannot read Epoch CSV: {exc}", url=str(path)) from exc
    naming = "Model" if "Model" in columns else "System" if "System" in columns else None
    if naming is None:
        raise CrawlError("not an Epoch models CSV: no `Model` or `System` column", url=str(path))
    problems: list[CellProblem] = []
    return naming, problems, _records(path, columns, problems)


def _records(path: Path, columns: list[str], problems: list[CellProblem]) -> Iterator[dict[str, Any]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            reader.fieldnames = columns
            next(reader, None)  # the header line itself, read as a row under the stripped names
            start = reader.line_num + 1
            for row in reader:
                yield _record(row, start, problems)
                start = reader.line_num + 1
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CrawlError(f"cannot read Epoch CSV: {exc}", url=str(path)) from exc


def _record(row: dict[str, Any], line: int, problems: list[CellProblem]) -> dict[str, Any]:
    rec: dict[str, Any] = {"source_row": line}
    for key, names in _TEXT.items():
        column, text = _first(row, names)
        rec[key] = text or None
        if text and (reason := control_characters(text)):
            rec[key] = None
            problems.append(CellProblem(line, column or key, text, reason))
    for key, names in _NUMBERS.items():
        column, text = _first(row, names)
        try:
            rec[key] = parse_float(text)
        except ValueError:
            rec[key] = None
            problems.append(CellProblem(line, column or key, text, "is not a number"))
            continue
        if rec[key] is not None and (reason := implausible(rec[key], _KINDS.get(key, "any"))):
            rec[key] = None
            problems.append(CellProblem(line, column or key, text, reason))
    rec["training_compute_cost_usd"], rec["cost_usd_year"] = None, None
    for column, year in _COST:
        if column in row:
            try:
                rec["training_compute_cost_usd"] = parse_float((row[column] or "").strip().lstrip("$"))
                rec["cost_usd_year"] = year
            except ValueError:
                problems.append(CellProblem(line, column, row[column], "is not a number"))
            break
    for key, column, parse in (("publication_date", "Publication date", _date),
                               ("last_modified", "Last modified", _timestamp)):
        text = (row.get(column) or "").strip()
        try:
            rec[key] = parse(text) if text else None
        except ValueError:
            rec[key] = None
            problems.append(CellProblem(line, column, text, "is not a date"))
    rec["links"] = split_urls(rec["link"])
    rec["arxiv_ids"] = arxiv_ids_in(rec["link"])
    rec["paper_id"] = rec["arxiv_ids"][0] if rec["arxiv_ids"] else None
    rec["hardware"] = _hardware(rec["training_hardware"] or "")
    extra = row.get(None)  # type: ignore[call-overload]  # csv.DictReader keeps surplus cells under None
    if extra:
        problems.append(CellProblem(line, "(extra cells)", json.dumps(extra), "more cells than columns"))
    rec["raw"] = {k: v for k, v in row.items() if k is not None}
    return rec
