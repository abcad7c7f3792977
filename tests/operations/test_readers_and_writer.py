"""Analysts and the nightly writer, with real processes in both directions.

Readers: during the baseline's full run (see conftest), a plain DuckDB client polls the published file
read-only, another holds one read-only connection throughout, and `compute-limits sql` runs in a loop.
Every query must succeed and see a complete state: the published state before the run or the one after,
never a mixture, never a running run. Writer: a run completes while an analyst holds the file open,
even read-write (the DuckDB CLI's default), because the writer never opens the published file itself.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time

import duckdb
import pytest

from tests.operations.conftest import REPO, Baseline, new_workspace
from tests.operations.procs import PrefectServer

KEYS = ("papers", "documents", "facts")


def _counts(snap: dict) -> tuple[int, ...]:
    return tuple(len(snap[k]) for k in KEYS)


def test_every_poll_during_the_run_succeeded_and_saw_a_complete_state(baseline: Baseline) -> None:
    a = baseline.analysts
    during = [p for p in a.polls if a.started <= p["at"] <= a.ended]
    assert len(during) >= 20, f"only {len(during)} polls while the run wrote"
    assert [p for p in a.polls if "error" in p] == []
    before, after = _counts(baseline.first_snapshot), _counts(baseline.snapshot)
    assert before != after
    seen = {tuple(p[k] for k in KEYS) for p in a.polls}
    assert seen == {before, after}  # both states, nothing in between
    for p in a.polls:
        assert p["running_runs"] == p["orphan_facts"] == p["orphan_documents"] == p["pending_documents"] == 0


def test_the_published_state_changes_once_at_the_end_of_the_run(baseline: Baseline) -> None:
    a = baseline.analysts
    after = _counts(baseline.snapshot)
    first_new = min(p["at"] for p in a.polls if tuple(p[k] for k in KEYS) == after)
    assert all(tuple(p[k] for k in KEYS) == after for p in a.polls if p["at"] > first_new)
    assert first_new > a.started + 5  # not before the run had done its work


def test_a_connection_held_through_the_run_keeps_its_consistent_snapshot(baseline: Baseline) -> None:
    held = baseline.analysts.held
    before = _counts(baseline.first_snapshot)
    assert tuple(held["first"][k] for k in KEYS) == before
    assert held["last"] == held["first"]  # the old file, whole, until it reconnects


def test_compute_limits_sql_answered_throughout(baseline: Baseline) -> None:
    a = baseline.analysts
    assert len(a.sql) >= 3
    assert [s["err"] for s in a.sql if s["code"] != 0] == []
    answers = {(r["papers"], r["facts"]) for s in a.sql for r in map(json.loads, s["out"].splitlines())}
    allowed = {(_counts(baseline.first_snapshot)[0], _counts(baseline.first_snapshot)[2]),
               (_counts(baseline.snapshot)[0], _counts(baseline.snapshot)[2])}
    assert answers <= allowed and len(answers) >= 1


def test_a_run_completes_while_an_analyst_holds_the_file_read_write(
        baseline: Baseline, prefect_server: PrefectServer, tmp_path_factory: pytest.TempPathFactory) -> None:
    ws = new_workspace(tmp_path_factory.mktemp("held"), prefect_server)
    shutil.copytree(baseline.workspace.root / "data", ws.root / "data")
    with duckdb.connect(str(ws.db)) as con:  # forget the watermark: the run has something to publish
        con.execute("DELETE FROM crawl_state")
    stop, out = ws.root / "stop", ws.root / "held.json"
    holder = subprocess.Popen([sys.executable, "-m", "tests.operations.analyst", "--db", str(ws.db), "--out",
                               str(out), "--stop", str(stop), "--mode", "hold-rw"], cwd=REPO, env=ws.env)
    try:
        deadline = time.monotonic() + 60
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        run = ws.ingest()
    finally:
        stop.touch()
        holder.wait(timeout=60)
    assert holder.returncode == 0
    assert any("finished in" in line for line in run.lines)
    with duckdb.connect(str(ws.db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM crawl_state").fetchone()[0] >= 1  # the run's work, published
