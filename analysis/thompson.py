"""Thompson et al.'s published per-benchmark CSVs (METHODOLOGY §3) as a points frame.

Row 1 is the header, rows 2-4 are sub-headers (skipped), data starts on line 5. Names are
padded, numbers use scientific notation and at least one value sits in the wrong column, so each
column is type-checked on its own (rejected cells become NaN and are reported with their line).
`parse_thompson_csv` is the one parser: the analysis reads its frame, and the warehouse import
(`compute-limits import thompson`) loads its frame and records its problems.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.exceptions import AnalysisError
from crawlers.values import CellProblem, arxiv_id_from_url, control_characters, implausible

logger = logging.getLogger(__name__)

# file name -> (benchmark id, dataset name, headline performance column)
THOMPSON_FILES: dict[str, tuple[str, str, str]] = {
    "image-classification-on-imagenet.csv": ("imagenet", "ImageNet", "(TOP 1 score)"),
    "object-detection-on-coco.csv": ("coco", "COCO", "(BOX AP)"),
    "question-answering-on-squad-1-1.csv": ("squad1.1", "SQuAD 1.1", "(EM score)"),
    "named-entity-recognition-on-conll-2003.csv": ("conll2003", "CoNLL-2003", "(F1 score)"),
    "machine-translation-on-wmt2014-en-fr.csv": ("wmt2014-en-fr", "WMT2014 English-French", "(BLEU)"),
    "machine-translation-on-wmt2014-en-de.csv": ("wmt2014-en-de", "WMT2014 English-German", "(BLEU)"),
}

_NUMERIC_EXACT = frozenset(
    {
        "year",
        "parameters",
        "flops",
        "multiadds",
        "fp_bp_ratio",
        "network_operations",
        "hardware_burden",
        "log10net",
        "lo10net",
        "log10hw",
        "computing_power",
    }
)
_NUMERIC_SUFFIXES = (
    "_epochs",
    "_set_size",
    "_time_total_sec",
    "_time_tpu_core_days",
    "_amount",
    "_ptp_gflops",
)
_FIRST_DATA_LINE = 5  # 1-based line of the first data row in the file
_BARE_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


@dataclass(frozen=True, slots=True)
class ThompsonCsv:
    """One published CSV, typed: the frame (``line`` = 1-based file line) and the rejected cells."""

    frame: pd.DataFrame
    problems: tuple[CellProblem, ...]
    raw: tuple[dict[str, str], ...] = ()  # every row's cells as printed, by column name


@cache
def _is_numeric_column(name: str) -> bool:
    return name in _NUMERIC_EXACT or name.endswith(_NUMERIC_SUFFIXES) or name.startswith("(")


@cache
def _quantity_kind(column: str) -> str:
    """The kind of amount a numeric column holds, for its plausibility bound."""
    for suffix, kind in (("_amount", "count"), ("_time_total_sec", "seconds"), ("_time_tpu_core_days", "days"),
                         ("_epochs", "epochs")):
        if column.endswith(suffix):
            return kind
    if column.startswith(("log10", "lo10")):
        return "log"
    return "ratio" if column == "fp_bp_ratio" else "any"


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _check(column: str, text: str) -> tuple[object, str | None]:
    """The typed value of one non-blank cell, or NaN and the reason it was rejected."""
    if _is_numeric_column(column):
        try:
            value = _number(text)
        except ValueError:
            return np.nan, "is not a number"
        if column == "year" and not (1940 <= value <= 2100 and value.is_integer()):
            return np.nan, "is not a year"
        if reason := implausible(value, _quantity_kind(column)):
            return np.nan, reason
        return value, None
    if reason := control_characters(text):
        return np.nan, reason
    if column.endswith("_model") and _BARE_NUMBER.fullmatch(text):
        return np.nan, "is a number in a hardware-model column (value in the wrong column?)"
    if column.endswith("_time_total") and _BARE_NUMBER.fullmatch(text):
        return np.nan, "is a bare number in a duration column (value in the wrong column?)"
    return text, None


@dataclass(slots=True)
class ThompsonStream:
    """A published CSV read row by row: its header, the rejected cells so far (filled, and drainable,
    as rows are read) and the rows: (line, typed cells by column, cells as printed by column)."""

    header: list[str]
    problems: list[CellProblem]
    rows: Iterator[tuple[int, dict[str, object], dict[str, str]]]


def stream_thompson_csv(path: str | Path) -> ThompsonStream:
    """One published CSV, checked to be one (a `name` column) before any row is read; rows are typed
    as they are consumed, so a file of any length takes constant memory."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            header = [c.strip() for c in next(csv.reader(fh), [])]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise AnalysisError("cannot read Thompson CSV", path=str(path), reason=str(exc)) from exc
    if "name" not in header:
        raise AnalysisError("not a Thompson CSV: no `name` column", path=str(path))
    problems: list[CellProblem] = []
    return ThompsonStream(header, problems, _thompson_rows(path, header, problems))


def _thompson_rows(path: Path, header: list[str],
                   problems: list[CellProblem]) -> Iterator[tuple[int, dict[str, object], dict[str, str]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            next(reader, None)
            for _ in range(3):  # group labels, short names, units
                next(reader, None)
            start = reader.line_num + 1
            for cells in reader:
                line, start = start, reader.line_num + 1
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
                    problems.append(CellProblem(line, "(extra cells)", ",".join(cells[len(header):]),
                                                "more cells than columns"))
                row: dict[str, object] = {}
                for column, raw in zip(header, cells + [""] * (len(header) - len(cells)), strict=False):
                    text = raw.strip()
                    if not text:
                        row[column] = np.nan
                        continue
                    value, reason = _check(column, text)
                    if reason:
                        problems.append(CellProblem(line, column, text, reason))
                    row[column] = value
                yield line, row, dict(zip(header, cells, strict=False))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise AnalysisError("cannot read Thompson CSV", path=str(path), reason=str(exc)) from exc


def parse_thompson_csv(path: str | Path) -> ThompsonCsv:
    """One published CSV: sub-header rows skipped, cells stripped, every column type-checked.

    Numeric columns become floats (``year`` Int64); a number where text belongs (a FLOP count as a
    duration, a peak as a CPU model) or text where a number belongs is set to NaN and reported.
    """
    path = Path(path)
    stream = stream_thompson_csv(path)
    records: list[list[object]] = []
    raws: list[dict[str, str]] = []
    lines: list[int] = []
    for line, row, raw in stream.rows:
        records.append(list(row.values()))
        raws.append(raw)
        lines.append(line)
    frame = pd.DataFrame(records, columns=stream.header)
    for column in frame.columns:
        if _is_numeric_column(column):
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    if "year" in frame.columns:
        frame["year"] = frame["year"].astype("Int64")
    frame["line"] = lines
    for problem in stream.problems:
        logger.warning("%s line %d, %s: %r %s", path.name, problem.line, problem.column, problem.value,
                       problem.reason)
    return ThompsonCsv(frame, tuple(stream.problems), tuple(raws))


def read_thompson_csv(path: str | Path) -> pd.DataFrame:
    """One published CSV as a typed frame (see `parse_thompson_csv`); rejected cells are NaN.

    ``line`` holds the 1-based line in the file.
    """
    return parse_thompson_csv(path).frame


def arxiv_id_of(link: object) -> str | None:
    """The arXiv id in a ``paper_link`` (abs or pdf URL, with or without version), else None."""
    return arxiv_id_from_url(link) if isinstance(link, str) else None


def _paper_id(link: object, fallback: object) -> str | None:
    if isinstance(link, str):
        arxiv_id = arxiv_id_of(link)
        return f"arxiv:{arxiv_id}" if arxiv_id else link
    return str(fallback) if isinstance(fallback, str) else None


def thompson_points(
    directory: str | Path, *, compute_column: str = "hardware_burden", all_metrics: bool = False
) -> pd.DataFrame:
    """A points frame (ARCHITECTURE's ``v_benchmark_points`` columns) from the published CSVs.

    Compute is ``compute_column`` (``hardware_burden`` by default; also ``network_operations`` or,
    for ImageNet and COCO, ``computing_power``), ``compute_kind`` its name. The score is the
    headline performance column (all performance columns with ``all_metrics``), the metric its
    name without parentheses, ``error`` NaN (the analysis computes it). Rows without a score are
    dropped; rows without compute are kept with NaN compute. Files absent from ``directory`` are
    skipped; none present is an error.
    """
    directory = Path(directory)
    parts: list[pd.DataFrame] = []
    for file_name, (benchmark, dataset, headline) in THOMPSON_FILES.items():
        path = directory / file_name
        if not path.is_file():
            logger.info("no %s in %s", file_name, directory)
            continue
        frame = read_thompson_csv(path)
        columns = [c for c in frame.columns if c.startswith("(")] if all_metrics else [headline]
        compute = (
            frame[compute_column] if compute_column in frame.columns else pd.Series(np.nan, index=frame.index)
        )
        for column in columns:
            if column not in frame.columns:
                raise AnalysisError("performance column missing", path=str(path), column=column)
            scored = frame.loc[frame[column].notna()]
            metric = column.strip("()").strip()
            slug = re.sub(r"[^a-z0-9]+", "_", metric.lower()).strip("_")
            parts.append(
                pd.DataFrame(
                    {
                        "point_id": [f"thompson:{benchmark}:{slug}:L{line}" for line in scored["line"]],
                        "paper_id": [
                            _paper_id(link, name)
                            for link, name in zip(scored["paper_link"], scored["name"], strict=True)
                        ],
                        "benchmark": benchmark,
                        "dataset": dataset,
                        "metric": metric,
                        "model": scored["name"],
                        "score": scored[column].astype(float),
                        "error": np.nan,
                        "compute": compute.loc[scored.index].astype(float),
                        "compute_kind": compute_column,
                        "year": scored["year"] if "year" in scored.columns else pd.NA,
                    }
                )
            )
    if not parts:
        raise AnalysisError(
            "no Thompson CSV found", directory=str(directory), expected=sorted(THOMPSON_FILES)
        )
    points = pd.concat(parts, ignore_index=True)
    points["year"] = points["year"].astype("Int64")
    return points
