"""The deployment ingest/nightly as an operator runs it: a real Prefect server, `compute-limits serve`,
`prefect deployment run`, a restart. Real processes only; every process group is killed at the end."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest
import yaml

from flows.settings import Settings
from tests.operations.procs import PrefectServer

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REGISTER_S = 90.0
RUN_S = 240.0
EXIT_S = 90.0
SCHEDULER_BROKEN = "Can't evaluate bulk DML statement"


def _clean_env() -> dict[str, str]:
    """This process's environment without any PREFECT_* or COMPUTE_LIMITS_* (the test harness's API URL)."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "COMPUTE_LIMITS_"))}


def _start(args: list[str], env: dict[str, str], log: Path, cwd: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as sink:
        return subprocess.Popen(args, env=env, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def _stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM, grace_s: float = 30.0) -> int | None:
    """Signal the process, wait, then kill its whole process group (children included)."""
    if proc.poll() is None:
        proc.send_signal(sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=grace_s)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    try:
        return proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        return None


def _children(proc: subprocess.Popen[bytes]) -> list[Any]:
    import psutil

    alive = []
    try:
        for child in psutil.Process(proc.pid).children(recursive=True):
            try:
                # not an exited run its parent has not reaped yet, nor multiprocessing's resource tracker
                if child.status() != psutil.STATUS_ZOMBIE and "resource_tracker" not in " ".join(child.cmdline()):
                    alive.append(child)
            except psutil.NoSuchProcess:
                continue
    except psutil.NoSuchProcess:
        pass
    return alive


def _tail(log: Path, n: int = 3000) -> str:
    return log.read_text(errors="replace")[-n:] if log.exists() else "(no log)"


def _wait_for(what: str, probe: Callable[[], Any], timeout_s: float, proc: subprocess.Popen[bytes] | None = None,
              log: Path | None = None, detail: Callable[[], Any] | None = None) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"process exited ({proc.returncode}) while waiting for {what}:\n{_tail(log) if log else ''}")
        value = probe()
        if value:
            return value
        time.sleep(0.5)
    extra = f"\n{detail()}" if detail else ""
    pytest.fail(f"timed out after {timeout_s:.0f} s waiting for {what}:{extra}\n{_tail(log) if log else ''}")


@dataclass
class Stack:
    """A Prefect server and the `compute-limits serve` process talking to it."""

    base: Path
    api: str
    env: dict[str, str]
    server_log: Path
    serve_log: Path
    db: Path
    serve: subprocess.Popen[bytes] | None = None
    others: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def get(self, path: str) -> httpx.Response:
        return httpx.get(self.api + path, timeout=10)

    def post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        return httpx.post(self.api + path, json=body, timeout=10)

    def deployment(self) -> dict[str, Any] | None:
        response = self.get("/deployments/name/ingest/nightly")
        return response.json() if response.status_code == 200 else None

    def start_serve(self) -> subprocess.Popen[bytes]:
        args = [str(BIN / "compute-limits"), "serve", "--offline", "--db", str(self.db)]
        self.serve = _start(args, self.env, self.serve_log, cwd=self.base)  # not the repo: runs must not need it
        self.others.append(self.serve)
        return self.serve

    def flow_runs(self, deployment_id: str, state_types: list[str]) -> list[dict[str, Any]]:
        body = {"flow_runs": {"deployment_id": {"any_": [deployment_id]}, "state": {"type": {"any_": state_types}}}}
        response = self.post("/flow_runs/filter", body)
        response.raise_for_status()
        return list(response.json())


@pytest.fixture(scope="module")
def deployment_server(prefect_server: PrefectServer,
                      tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, dict[str, str], Path]:
    """The session's `prefect server start` (see conftest); yields (base, api, env, server log)."""
    base = tmp_path_factory.mktemp("deployment")
    env = _clean_env() | {"PREFECT_HOME": str(base / "prefect-home"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    return base, prefect_server.api_url, env | {"PREFECT_API_URL": prefect_server.api_url}, prefect_server.log


@pytest.fixture(scope="module")
def stack(deployment_server: tuple[Path, str, dict[str, str], Path]) -> Iterator[Stack]:
    """`compute-limits serve --offline` against the server, with data and reports in a temporary folder."""
    base, api, env, server_log = deployment_server
    env = env | {"COMPUTE_LIMITS_DATA_DIR": str(base / "data"), "COMPUTE_LIMITS_REPORTS_DIR": str(base / "reports")}
    stack = Stack(base=base, api=api, env=env, server_log=server_log, serve_log=base / "serve.log",
                  db=base / "w.duckdb")
    try:
        serve = stack.start_serve()
        _wait_for("deployment ingest/nightly", stack.deployment, REGISTER_S, serve, stack.serve_log)
        yield stack
    finally:
        for proc in stack.others:
            _stop(proc, signal.SIGTERM)


def _assert_nightly_schedule(deployment: dict[str, Any]) -> None:
    assert deployment["paused"] is False
    schedules = deployment["schedules"]
    assert len(schedules) == 1, schedules
    assert schedules[0]["active"] is True
    assert schedules[0]["schedule"]["cron"] == "0 2 * * *"
    assert schedules[0]["schedule"]["timezone"] == "UTC"


def test_serve_registers_nightly_with_an_active_cron_schedule_in_utc(stack: Stack) -> None:
    deployment = stack.deployment()
    assert deployment is not None
    _assert_nightly_schedule(deployment)
    params = deployment["parameters"]
    assert params["db"] == str(stack.db.resolve())
    assert params["data_dir"] == str((stack.base / "data").resolve())
    assert params["reports_dir"] == str((stack.base / "reports").resolve())
    assert params["live"] is False and params["source"] == "oai"
    assert "serving deployment ingest/nightly: cron '0 2 * * *' (UTC)" in _tail(stack.serve_log, 100_000)


def test_the_server_schedules_the_next_nightly_run_at_0200_utc(stack: Stack) -> None:
    deployment = stack.deployment()
    assert deployment is not None

    def auto_scheduled() -> list[dict[str, Any]]:
        if SCHEDULER_BROKEN in _tail(stack.server_log, 1_000_000):
            pytest.fail("Prefect's scheduler cannot insert runs with this SQLAlchemy (2.1 changed bulk inserts of "
                        "hybrid attributes): the cron would never fire; install sqlalchemy<2.1")
        return [r for r in stack.flow_runs(deployment["id"], ["SCHEDULED"]) if r["auto_scheduled"]]

    runs = _wait_for("the scheduler to create the nightly runs", auto_scheduled, 60, log=stack.server_log)
    for run in runs:
        assert run["expected_start_time"][11:19] == "02:00:00", run["expected_start_time"]
        assert run["parameters"]["db"] == str(stack.db.resolve())


def test_prefect_deployment_run_completes_and_fills_the_warehouse(stack: Stack) -> None:
    proc = subprocess.run([str(BIN / "prefect"), "deployment", "run", "ingest/nightly", "--watch",
                           "--watch-interval", "2", "--watch-timeout", str(int(RUN_S))],
                          env=stack.env, cwd=stack.base, capture_output=True, text=True, timeout=RUN_S + 30,
                          check=False)
    assert proc.returncode == 0, f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}\nserve:\n{_tail(stack.serve_log)}"
    deployment = stack.deployment()
    assert deployment is not None
    completed = [r for r in stack.flow_runs(deployment["id"], ["COMPLETED"]) if not r["auto_scheduled"]]
    assert len(completed) == 1, proc.stdout[-2000:]
    assert completed[0]["state"]["type"] == "COMPLETED"
    with duckdb.connect(str(stack.db), read_only=True) as con:
        row = con.execute("select count(*) from papers").fetchone()
    assert row is not None and row[0] >= 40
    assert (stack.base / "reports" / "report.md").exists()


def test_a_restart_keeps_the_schedule_active_and_one_deployment(stack: Stack) -> None:
    before = stack.deployment()
    assert before is not None and stack.serve is not None
    # the run of the previous test is complete, but its process may still be flushing logs on a busy machine
    _wait_for("the served flow run's process to exit", lambda: not _children(stack.serve), EXIT_S,
              log=stack.serve_log, detail=lambda: [" ".join(c.cmdline()[:4]) for c in _children(stack.serve)])
    # SIGTERM, as systemd or a container runtime stops it (SIGINT is ignored in a shell's background jobs)
    assert _stop(stack.serve, signal.SIGTERM, grace_s=60) == 0, _tail(stack.serve_log)
    after_stop = stack.deployment()
    assert after_stop is not None
    _assert_nightly_schedule(after_stop)  # pause_on_shutdown=False: stopping did not pause it

    serve = stack.start_serve()
    _wait_for("the restarted serve to re-register ingest/nightly",
              lambda: (d := stack.deployment()) is not None and d["updated"] != before["updated"],
              REGISTER_S, serve, stack.serve_log)
    found = stack.post("/deployments/filter", {"deployments": {"name": {"any_": ["nightly"]}}})
    found.raise_for_status()
    assert [d["id"] for d in found.json()] == [before["id"]]
    again = stack.deployment()
    assert again is not None
    _assert_nightly_schedule(again)
    assert again["schedules"][0]["id"] == before["schedules"][0]["id"]


def test_prefect_yaml_defines_nightly_for_the_ingest_flow_on_the_default_schedule() -> None:
    from prefect.flows import load_flow_from_entrypoint

    config = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
    (nightly,) = [d for d in config["deployments"] if d["name"] == "nightly"]
    path, _, function = nightly["entrypoint"].partition(":")
    flow = load_flow_from_entrypoint(f"{REPO / path}:{function}")
    assert flow.name == "ingest"
    (schedule,) = nightly["schedules"]
    assert schedule["cron"] == Settings.model_fields["schedule_cron"].default
    assert schedule["timezone"] == Settings.model_fields["schedule_timezone"].default
    assert nightly["work_pool"]["name"] == "compute-limits"
    assert set(nightly["parameters"]) <= set(flow.parameters.properties)
    assert any("set_working_directory" in "".join(step) for step in config["pull"])


def test_serve_rejects_a_bad_cron_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    from flows.cli import main

    assert main(["serve", "--cron", "every night"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: invalid cron 'every night'") and err.count("\n") == 1
