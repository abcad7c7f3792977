"""Thompson et al.'s published per-benchmark CSVs (METHODOLOGY §3) as a points frame.

Row 1 is the header, rows 2-4 are sub-headers (skipped), data starts on line 5. Names are
padded, numbers use scientific notation and at least one value sits in the wrong column, so each
numeric column is coerced on its own (non-numbers become NaN, logged).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.exceptions import AnalysisError

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
_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})", re.IGNORECASE)


def _clean(value: str) -> str | float:
    """A cell with its padding stripped; blank cells become NaN."""
    stripped = value.strip()
    return stripped if stripped else np.nan


def _is_numeric_column(name: str) -> bool:
    return name in _NUMERIC_EXACT or name.endswith(_NUMERIC_SUFFIXES) or name.startswith("(")


def read_thompson_csv(path: str | Path) -> pd.DataFrame:
    """One published CSV: sub-header rows skipped, names stripped, numeric columns coerced.

    The index is kept as the 0-based data row; ``line`` holds the 1-based line in the file.
    """
    path = Path(path)
    try:
        raw = pd.read_csv(path, skiprows=[1, 2, 3], dtype=str, keep_default_na=True)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise AnalysisError("cannot read Thompson CSV", path=str(path), reason=str(exc)) from exc
    raw.columns = [str(c).strip() for c in raw.columns]
    frame = raw.apply(lambda col: col.map(_clean, na_action="ignore"))
    for column in frame.columns:
        if not _is_numeric_column(column):
            continue
        text = frame[column]
        values = pd.to_numeric(text.map(lambda v: v.replace(",", ""), na_action="ignore"), errors="coerce")
        bad = text.notna() & values.isna()
        if bad.any():
            logger.warning(
                "%s: column %s: %d non-numeric values set to NaN (e.g. %r)",
                path.name,
                column,
                int(bad.sum()),
                text[bad].iloc[0],
            )
        frame[column] = values
    if "year" in frame.columns:
        frame["year"] = frame["year"].astype("Int64")
    frame["line"] = np.arange(len(frame)) + _FIRST_DATA_LINE
    return frame


def _paper_id(link: object, fallback: object) -> str | None:
    if isinstance(link, str):
        match = _ARXIV.search(link)
        return f"arxiv:{match.group(1)}" if match else link
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
