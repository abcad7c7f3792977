"""Real processes for the operations tests: a Prefect server, `compute-limits ingest` runs in their own
process groups (watched line by line, killable with SIGKILL), and warehouse snapshots to compare."""

from __future__ import annotations

import contextlib
import hashlib
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

BIN = Path(sys.executable).parent
CLI = str(BIN / "compute-limits")

# Columns that record when or in which run something happened, not what the warehouse knows.
VOLATILE = {
    "crawl_state": {"updated_at"},
    "documents": {"fetched_at", "parsed_at"},
    "estimate_inputs": {"refreshed_at"},
    "errors": {"occurrences", "first_seen", "last_seen", "last_run_id", "resolved_at", "resolved_run_id"},
    "fits": {"created_at", "ingest_run_id"},
    "overrides": {"created_at"},
    "papers": {"first_seen", "last_seen"},
    "reference_seed": {"seeded_at"},
    "schema_views": {"created_at"},
}
RUN_TABLES = {"ingest_runs", "schema_migrations"}
LOOPBACK = re.compile(r"http://127\.0\.0\.1:\d+")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without Prefect's or compute-limits' settings (the test harness sets some)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "COMPUTE_LIMITS_"))}
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    env.update(extra)
    return env


def wait_http(url: str, timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not answer within {timeout_s:g} s")
        time.sleep(0.5)


def stop_group(proc: subprocess.Popen[Any], sig: int = signal.SIGTERM, timeout_s: float = 20.0) -> int:
    """Signal the process group; SIGKILL it if it has not ended within the timeout."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=timeout_s)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=timeout_s)
    with contextlib.suppress(ProcessLookupError, PermissionError):  # children that outlived the leader
        os.killpg(proc.pid, signal.SIGKILL)
    return int(proc.returncode)


@dataclass
class PrefectServer:
    api_url: str
    home: Path
    process: subprocess.Popen[Any]

    @classmethod
    def start(cls, home: Path) -> PrefectServer:
        port = free_port()
        log = open(home / "server.log", "wb")  # noqa: SIM115 - closed with the process
        env = clean_env(PREFECT_HOME=str(home))
        proc = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        server = cls(f"http://127.0.0.1:{port}/api", home, proc)
        try:
            wait_http(server.api_url + "/health")
        except BaseException:
            server.stop()
            raise
        return server

    @property
    def log(self) -> Path:
        return self.home / "server.log"

    def stop(self) -> None:
        stop_group(self.process)


@dataclass
class RunningIngest:
    """An `ingest` process whose output is read line by line in a thread."""

    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    _queue: queue.Queue[str | None] = field(default_factory=queue.Queue)

    def __post_init__(self) -> None:
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, pattern: str, timeout_s: float = 240.0) -> str:
        """The first new line matching `pattern`; fails if the process ends or time runs out first."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                line = self._queue.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(f"no line matching {pattern!r} in {timeout_s:g} s") from None
            if line is None:
                raise AssertionError(f"ingest ended before {pattern!r}:\n" + "\n".join(self.lines[-30:]))
            self.lines.append(line)
            if regex.search(line):
                return line

    def kill(self) -> int:
        """SIGKILL the whole process group (the flow, its spiders, workers and API server)."""
        return stop_group(self.process, signal.SIGKILL)

    def finish(self, timeout_s: float = 600.0) -> int:
        code = self.process.wait(timeout=timeout_s)
        while (line := self._queue.get(timeout=30)) is not None:
            self.lines.append(line)
        return code


@dataclass
class Workspace:
    """A warehouse, data and reports directory, and the environment that points the CLI at them."""

    root: Path
    api_url: str | None = None
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def db(self) -> Path:
        return self.root / "data" / "warehouse.duckdb"

    @property
    def env(self) -> dict[str, str]:
        env = clean_env(COMPUTE_LIMITS_DB=str(self.db), COMPUTE_LIMITS_DATA_DIR=str(self.root / "data"),
                        COMPUTE_LIMITS_REPORTS_DIR=str(self.root / "reports"), COMPUTE_LIMITS_EXTRACT_BATCH="5",
                        PREFECT_HOME=str(self.root / "prefect-home"), COLUMNS="200", **self.extra_env)
        if self.api_url:
            env["PREFECT_API_URL"] = self.api_url
        return env

    def start_ingest(self, *args: str) -> RunningIngest:
        proc = subprocess.Popen([CLI, "-v", "ingest", "--offline", *args], env=self.env, cwd=self.root, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        return RunningIngest(proc)

    def ingest(self, *args: str) -> RunningIngest:
        """Run to completion; fails with the output if the run fails."""
        run = self.start_ingest(*args)
        code = run.finish()
        assert code == 0, "\n".join(run.lines[-40:])
        return run

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([CLI, *args], env=self.env, cwd=self.root, text=True, capture_output=True, timeout=300)
        assert not check or done.returncode == 0, done.stderr
        return done


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows (sorted), without the columns that only say when or in which run."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT internal ORDER BY table_name").fetchall()]
        out = {}
        for table in tables:
            if table in RUN_TABLES:
                continue
            columns = [r[0] for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
                [table]).fetchall() if r[0] not in VOLATILE.get(table, set())]
            select = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f'SELECT {select} FROM "{table}"').fetchall()
            out[table] = sorted((tuple(_portless(v) for v in row) for row in rows), key=repr)
    return out


def _portless(value: Any) -> Any:
    """The offline fixture server listens on a new port every run: URLs name it `fixture-server`."""
    return LOOPBACK.sub("http://fixture-server", value) if isinstance(value, str) else value


def differences(a: dict[str, list[tuple[Any, ...]]], b: dict[str, list[tuple[Any, ...]]]) -> list[str]:
    """Readable differences between two snapshots (empty when equal)."""
    found = []
    for table in sorted(set(a) | set(b)):
        rows_a, rows_b = a.get(table, []), b.get(table, [])
        if rows_a != rows_b:
            only_a = [r for r in rows_a if r not in rows_b][:2]
            only_b = [r for r in rows_b if r not in rows_a][:2]
            found.append(f"{table}: {len(rows_a)} vs {len(rows_b)} rows; only in first {only_a}; only in second "
                         f"{only_b}")
    return found


def pdf_cache(ws: Workspace) -> tuple[list[str], list[str]]:
    """(cached PDFs, partial downloads) of a workspace."""
    cache = ws.root / "data" / "pdfs"
    return (sorted(p.name for p in cache.glob("*.pdf") if not p.name.startswith(".")),
            sorted(p.name for p in cache.glob(".incoming-*")))
