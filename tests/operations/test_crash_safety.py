"""SIGKILL a real `compute-limits ingest` at every stage, rerun, and get the uninterrupted warehouse.

Starting from what the baseline's first run (20 papers) published, a second run (35 new papers) is
killed, with its whole process group (flow, spider subprocess, extraction workers), at each point below
in turn; every rerun resumes the staging file the killed one left. After each kill the published
warehouse is byte for byte what it was, and shows no running run. A last run completes; its warehouse
must hold exactly the rows of the baseline (the same runs, never interrupted): no duplicates, nothing lost.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.operations.conftest import Baseline
from tests.operations.procs import PrefectServer, differences, pdf_cache, sha256, snapshot


@dataclass(frozen=True)
class KillPoint:
    name: str
    pattern: str  # a line of the run's output
    delay_s: float  # then wait this long, then SIGKILL
    unfinished: str | None  # a line that must not have appeared: the stage was cut short


KILL_POINTS = (
    KillPoint("crawl", r"stage crawl started", 1.0, r"stage crawl finished"),
    KillPoint("download", r"stage download started", 1.5, r"stage download finished"),
    KillPoint("extract", r"extraction batch 3 of \d+ loaded", 0.0, r"stage extract finished"),
    KillPoint("estimate", r"stage estimate started", 0.0, None),
    KillPoint("regress", r"stage regress started", 0.2, None),
    KillPoint("report", r"stage report started", 0.2, None),
    KillPoint("publish", r"publishing ", 0.0, None),
)


@dataclass
class Kill:
    point: KillPoint
    code: int
    last_line: str
    cut_short: bool
    published_unchanged: bool
    running_rows_published: int


@pytest.fixture(scope="module")
def crashed(prefect_server: PrefectServer, baseline: Baseline,
            tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    ws = baseline.workspace_after_first_run(tmp_path_factory.mktemp("crash"), prefect_server)
    before = sha256(ws.db)
    kills = []
    for point in KILL_POINTS:
        run = ws.start_ingest()
        try:
            run.wait_for(point.pattern)
            time.sleep(point.delay_s)
        finally:
            code = run.kill()
        unfinished = point.unfinished
        now = sha256(ws.db)
        with duckdb.connect(str(ws.db), read_only=True) as con:
            running = con.execute("SELECT count(*) FROM ingest_runs WHERE status = 'running'").fetchone()[0]
        kills.append(Kill(point, code, run.lines[-1],
                          cut_short=unfinished is None or not any(unfinished in line for line in run.lines),
                          published_unchanged=now == before, running_rows_published=running))
        if now != before:  # only the publish point may land after the rename: then that run completed
            assert point.name == "publish", f"published warehouse changed by a run killed at {point.name}"
            before = now
    staging_left = ws.db.with_name(ws.db.name + ".staging").exists()
    final = ws.ingest()
    return {"ws": ws, "kills": kills, "final": final, "staging_left": staging_left}


def test_every_kill_was_a_sigkill_that_cut_its_stage_short(crashed: dict) -> None:
    kills: list[Kill] = crashed["kills"]
    assert [k.point.name for k in kills] == [p.name for p in KILL_POINTS]
    assert all(k.code == -9 for k in kills), [(k.point.name, k.code) for k in kills]
    assert all(k.cut_short for k in kills), [(k.point.name, k.last_line) for k in kills if not k.cut_short]


def test_a_killed_run_never_changes_or_half_publishes_the_warehouse(crashed: dict) -> None:
    kills: list[Kill] = crashed["kills"]
    assert all(k.published_unchanged for k in kills if k.point.name != "publish")
    assert all(k.running_rows_published == 0 for k in kills)


def test_the_rerun_ends_with_exactly_the_uninterrupted_warehouse(crashed: dict, baseline: Baseline) -> None:
    ws = crashed["ws"]
    assert differences(snapshot(ws.db), baseline.snapshot) == []
    cached, partial = pdf_cache(ws)
    assert cached == pdf_cache(baseline.workspace)[0] and partial == []
    with duckdb.connect(str(ws.db), read_only=True) as con:
        papers, documents = con.execute("SELECT (SELECT count(*) FROM papers), (SELECT count(*) FROM documents)"
                                        ).fetchone()
        statuses = dict(con.execute("SELECT status, count(*) FROM ingest_runs GROUP BY status").fetchall())
    assert papers == documents == 55
    # the runs killed before the publish point are on record as interrupted, resumed by the next one
    assert statuses.get("interrupted", 0) >= len(KILL_POINTS) - 1 and statuses.get("running", 0) == 0


def test_the_final_run_resumed_what_the_last_kill_left(crashed: dict) -> None:
    said = any("resuming an unfinished run" in line for line in crashed["final"].lines)
    assert said == crashed["staging_left"]


def test_no_staging_or_lock_holder_is_left_behind(crashed: dict) -> None:
    db: Path = crashed["ws"].db
    assert not db.with_name(db.name + ".staging").exists()
    assert not list(db.parent.glob(db.name + ".staging*"))
    assert db.with_name(db.name + ".lock").read_text() == ""
