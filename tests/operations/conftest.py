"""Fixtures shared by the operations tests: one real Prefect server, and an uninterrupted baseline.

The baseline is what the other tests must reproduce: a first run limited to 20 papers, then a full
run (35 new papers: crawl, download, extraction in batches of 5, estimates, fits, report). During the
full run, analysts query the published warehouse from other processes (`tests.operations.analyst`
polling read-only, one holding a read-only connection throughout, and `compute-limits sql` in a loop).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.operations.procs import CLI, PrefectServer, Workspace, snapshot

FIRST_LIMIT = "20"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrefectServer]:
    """`prefect server start --host 127.0.0.1` on a free port, with its own PREFECT_HOME."""
    server = PrefectServer.start(tmp_path_factory.mktemp("prefect-server"))
    try:
        yield server
    finally:
        server.stop()


@dataclass
class Analysts:
    """What the analysts saw during the full run (`started`..`ended` are the run's wall times)."""

    started: float
    ended: float
    polls: list[dict[str, Any]]
    held: dict[str, Any]
    sql: list[dict[str, Any]]


@dataclass
class Baseline:
    workspace: Workspace
    snapshot: dict[str, list[tuple[Any, ...]]]
    first_snapshot: dict[str, list[tuple[Any, ...]]]
    analysts: Analysts
    first_data: Path  # a copy of data/ after the first run: other tests start from it

    def workspace_after_first_run(self, root: Path, server: PrefectServer) -> Workspace:
        """A new workspace holding what the baseline's first run published."""
        shutil.copytree(self.first_data, root / "data")
        return new_workspace(root, server)


@pytest.fixture(scope="session")
def baseline(prefect_server: PrefectServer, tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    ws = Workspace(tmp_path_factory.mktemp("baseline"), api_url=prefect_server.api_url)
    ws.ingest("--limit", FIRST_LIMIT)
    first = snapshot(ws.db)
    first_data = ws.root / "first-data"
    shutil.copytree(ws.root / "data", first_data, ignore=shutil.ignore_patterns("*.lock", "prefect-results"))
    with AnalystProcesses(ws) as analysts:
        analysts.started = time.time()
        ws.ingest()
        analysts.ended = time.time()
        time.sleep(1.5)  # let them see the published result too
    return Baseline(ws, snapshot(ws.db), first, analysts.result(), first_data)


class AnalystProcesses:
    """Readers in their own processes for as long as the block lasts."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.dir = ws.root / "analysts"
        self.dir.mkdir(exist_ok=True)
        self.stop = self.dir / "stop"
        self.procs: list[subprocess.Popen[Any]] = []
        self.sql: list[dict[str, Any]] = []
        self.started = self.ended = 0.0
        self._thread = threading.Thread(target=self._sql_loop, daemon=True)

    def _client(self, mode: str, out: str) -> None:
        self.procs.append(subprocess.Popen(
            [sys.executable, "-m", "tests.operations.analyst", "--db", str(self.ws.db), "--out",
             str(self.dir / out), "--stop", str(self.stop), "--mode", mode], cwd=REPO, env=self.ws.env))

    def _sql_loop(self) -> None:
        query = "SELECT count(*) AS papers, (SELECT count(*) FROM facts) AS facts FROM papers"
        while not self.stop.exists():
            done = subprocess.run([CLI, "sql", query, "--format", "json"], env=self.ws.env, text=True,
                                  capture_output=True, timeout=120)
            self.sql.append({"at": time.time(), "code": done.returncode, "out": done.stdout, "err": done.stderr})
            time.sleep(1.0)  # an analyst, not a load test: leave the cores to the run

    def __enter__(self) -> AnalystProcesses:
        self._client("hold-ro", "held.json")
        self._client("poll", "polls.jsonl")
        deadline = time.monotonic() + 60
        while not (self.dir / "held.json").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.touch()
        for proc in self.procs:
            proc.wait(timeout=60)
        self._thread.join(timeout=120)

    def result(self) -> Analysts:
        polls = [json.loads(line) for line in (self.dir / "polls.jsonl").read_text().splitlines()]
        held = json.loads((self.dir / "held.json").read_text())
        return Analysts(self.started, self.ended, polls, held, self.sql)


def new_workspace(root: Path, server: PrefectServer, **env: str) -> Workspace:
    return Workspace(root, api_url=server.api_url, extra_env=env)
