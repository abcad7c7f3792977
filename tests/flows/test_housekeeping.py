"""Pruning data/crawl: the newest runs' outputs (and the current run's) stay, older ones go."""

from __future__ import annotations

import os
from pathlib import Path

from flows.housekeeping import prune_crawl_outputs

DAY = 86400.0
NOW = 1_750_000_000.0


def _run(crawl: Path, run_id: str, days_ago: float, names: tuple[str, ...] = ("arxiv_oai", "arxiv_pdf")) -> None:
    stamp = NOW - days_ago * DAY
    files = [f"{run_id}-{n}.jsonl" for n in names] + [f"{run_id}-{n}.log" for n in names]
    files.append(f"{run_id}-pdf-queue.jsonl")
    for name in files:
        path = crawl / name
        path.write_text("{}\n" * 10, "utf-8")
        os.utime(path, (stamp, stamp))


def _left(crawl: Path) -> set[str]:
    return {p.name.split("-arxiv")[0].split("-pdf-queue")[0] for p in crawl.iterdir() if p.suffix != ".txt"}


def test_keeps_the_newest_runs_and_the_current_one(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    for n, run_id in enumerate(["aaaa00000001", "aaaa00000002", "crawl-1a2b3c4d", "aaaa00000004", "r5"]):
        _run(crawl, run_id, days_ago=10 - n)
    _run(crawl, "0123456789ab", days_ago=20)  # the current run (its files may be older, e.g. a resumed run)
    (crawl / "notes.txt").write_text("not a run's output", "utf-8")
    result = prune_crawl_outputs(crawl, current_run_id="0123456789ab", keep_runs=2, now=NOW)
    assert sorted(result.runs_removed) == ["aaaa00000001", "aaaa00000002", "crawl-1a2b3c4d"]
    assert result.files_removed == 15 and result.bytes_removed == 15 * 30 and result.runs_kept == 2
    assert _left(crawl) == {"aaaa00000004", "r5", "0123456789ab"}
    assert (crawl / "notes.txt").exists()
    assert prune_crawl_outputs(crawl, current_run_id="0123456789ab", keep_runs=2, now=NOW).files_removed == 0


def test_max_age_removes_old_runs_even_among_the_newest(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    _run(crawl, "old", days_ago=40)
    _run(crawl, "recent", days_ago=2)
    result = prune_crawl_outputs(crawl, current_run_id=None, keep_runs=5, max_age_days=30, now=NOW)
    assert result.runs_removed == ["old"] and _left(crawl) == {"recent"}
    assert result.counts() == {"crawl_files_pruned": 5, "crawl_bytes_pruned": 150}


def test_a_missing_directory_is_nothing_to_do(tmp_path: Path) -> None:
    assert prune_crawl_outputs(tmp_path / "none", current_run_id="x").files_removed == 0
