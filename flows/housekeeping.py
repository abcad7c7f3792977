"""Housekeeping at the start of a run: the crawl outputs of old runs are removed.

Every run leaves in `<data_dir>/crawl/` its spiders' JSON Lines (`<run>-arxiv_oai.jsonl`,
`<run>-arxiv_pdf.jsonl`, ...), their logs (`.log`) and the PDF queue (`<run>-pdf-queue.jsonl`). The
warehouse holds what they carried, so they only serve to debug recent runs. `prune_crawl_outputs`
keeps the files of the newest `keep_runs` runs (newest by their files' times) and removes the others,
and also those older than `max_age_days` when given. It never touches the current run's files, nor
files that are not named like a run's output.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

# <run id>-<spider or pdf-queue>.<jsonl | log>; the run id may itself hold dashes ("crawl-1a2b3c4d").
_OUTPUT = re.compile(r"^(?P<run>.+?)-(?:pdf-queue|[A-Za-z_]+)\.(?:jsonl|log)$")


@dataclass(slots=True)
class PruneResult:
    files_removed: int = 0
    bytes_removed: int = 0
    runs_removed: list[str] = field(default_factory=list)
    runs_kept: int = 0

    def counts(self) -> dict[str, Any]:
        """For a run's summary."""
        return {"crawl_files_pruned": self.files_removed, "crawl_bytes_pruned": self.bytes_removed}


def _runs(crawl_dir: Path) -> dict[str, list[tuple[Path, float, int]]]:
    """Output files by run: (path, mtime, size)."""
    runs: dict[str, list[tuple[Path, float, int]]] = {}
    for path in crawl_dir.iterdir():
        match = _OUTPUT.match(path.name)
        if match is None or not path.is_file():
            continue
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        runs.setdefault(match.group("run"), []).append((path, stat.st_mtime, stat.st_size))
    return runs


def prune_crawl_outputs(crawl_dir: Path, *, current_run_id: str | None, keep_runs: int = 7,
                        max_age_days: float | None = None, now: float | None = None) -> PruneResult:
    """Remove the crawl outputs of every run but the newest `keep_runs` (and of runs whose newest file
    is older than `max_age_days`); the current run's files are always kept."""
    result = PruneResult()
    if not crawl_dir.is_dir():
        return result
    runs = _runs(crawl_dir)
    runs.pop(current_run_id or "", None)
    newest = sorted(runs, key=lambda run: (max(m for _, m, _ in runs[run]), run), reverse=True)
    cutoff = None if max_age_days is None else (now if now is not None else time.time()) - max_age_days * 86400
    for rank, run in enumerate(newest):
        last = max(m for _, m, _ in runs[run])
        if rank < keep_runs and (cutoff is None or last >= cutoff):
            result.runs_kept += 1
            continue
        for path, _, size in runs[run]:
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            result.files_removed += 1
            result.bytes_removed += size
        result.runs_removed.append(run)
    if result.files_removed:
        logger.info("pruned %d crawl files (%.1f MB) of %d old runs from %s", result.files_removed,
                    result.bytes_removed / 1e6, len(result.runs_removed), crawl_dir)
    return result
