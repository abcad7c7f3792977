"""`compute-limits backfill --from thompson --offline` as real processes, against a fixture server that
knows five of Thompson et al.'s arXiv ids (real PDFs from ../shared/corpus): those load, the other 326
are recorded as not found, and a backfill cut by --budget and then SIGKILLed mid-extraction ends, after
a rerun, with exactly the rows of an uninterrupted backfill."""

from __future__ import annotations

import subprocess
from pathlib import Path

import duckdb
import pytest

from tests.operations import realfixtures
from tests.operations.procs import CLI, PrefectServer, RunningIngest, Workspace, differences, pdf_cache, snapshot

pytestmark = pytest.mark.corpus

KNOWN = ["1409.0473", "1512.03385", "1611.05431", "1707.01083", "1906.08237"]
VOLATILE_QUEUE = "backfill_queue"


def _workspace(root: Path, server: PrefectServer, fixtures: Path, shared: Path) -> Workspace:
    ws = Workspace(root, api_url=server.api_url, extra_env={"COMPUTE_LIMITS_FIXTURES_DIR": str(fixtures)})
    ws.cli("import", "thompson", str(shared / "reference" / "thompson"))
    return ws


def _start(ws: Workspace, *args: str) -> RunningIngest:
    proc = subprocess.Popen([CLI, "-v", "backfill", "--from", "thompson", "--offline", *args], env=ws.env, cwd=ws.root,
                            text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    return RunningIngest(proc)


def _run(ws: Workspace, *args: str) -> RunningIngest:
    run = _start(ws, *args)
    assert run.finish() == 0, "\n".join(run.lines[-40:])
    return run


def _comparable(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """The snapshot without the queue's timestamps (when an id was queued or moved says which run), and
    with the latest fit per selection instead of the fit history (a budgeted run made fits of its own)."""
    snap = snapshot(db)
    with duckdb.connect(str(db), read_only=True) as con:
        snap["fits"] = sorted(con.execute(
            "select benchmark, form, x, compute_kind, n, slope, row_ids from fits f where created_at = "
            "(select max(created_at) from fits g where g.benchmark = f.benchmark and g.form = f.form "
            "and g.x = f.x and g.compute_kind is not distinct from f.compute_kind)").fetchall(), key=repr)
        snap[VOLATILE_QUEUE] = sorted(con.execute(
            "select paper_id, sources, benchmarks, priority, state, attempts, last_error, version "
            "from backfill_queue").fetchall(), key=repr)
    return snap


@pytest.fixture(scope="module")
def fixtures(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return realfixtures.build(tmp_path_factory.mktemp("known-arxiv"), realfixtures.from_gold(shared_dir, KNOWN))


@pytest.fixture(scope="module")
def uninterrupted(prefect_server: PrefectServer, fixtures: Path, shared_dir: Path,
                  tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = _workspace(tmp_path_factory.mktemp("backfill-whole"), prefect_server, fixtures, shared_dir)
    _run(ws)
    return ws


def test_known_ids_load_and_the_rest_are_not_found(uninterrupted: Workspace) -> None:
    with duckdb.connect(str(uninterrupted.db), read_only=True) as con:
        states = dict(con.execute("select state, count(*) from backfill_queue group by 1").fetchall())
        done = sorted(r[0] for r in con.execute("select paper_id from backfill_queue where state = 'done'").fetchall())
        papers = con.execute("select paper_id, source, title from papers order by 1").fetchall()
        parsed = con.execute("select count(*) from documents where parse_status = 'parsed'").fetchone()
        runs = con.execute("select count(distinct paper_id) from v_training_compute").fetchone()
        wanted = con.execute("select count(distinct paper_id) from thompson_models where paper_id is not null")
        total = wanted.fetchone()
    assert total is not None and states == {"done": 5, "not_found": total[0] - 5}
    assert done == KNOWN and [p[0] for p in papers] == KNOWN and {p[1] for p in papers} == {"backfill"}
    assert parsed == (5,) and runs is not None and runs[0] >= 3
    status = uninterrupted.cli("status")
    assert f"backfill queue: done 5, not found {total[0] - 5}" in status.stdout


def test_a_rerun_adds_nothing(uninterrupted: Workspace) -> None:
    before = _comparable(uninterrupted.db)
    run = _run(uninterrupted)
    assert any("0 looked up" in line for line in run.lines)
    assert differences(before, _comparable(uninterrupted.db)) == []


def test_budget_then_sigkill_then_rerun_equals_the_uninterrupted_backfill(
        uninterrupted: Workspace, prefect_server: PrefectServer, fixtures: Path, shared_dir: Path,
        tmp_path: Path) -> None:
    ws = _workspace(tmp_path, prefect_server, fixtures, shared_dir)
    _run(ws, "--budget", "20")  # the first 20 ids in queue order hold 1409.0473 and 1512.03385
    with duckdb.connect(str(ws.db), read_only=True) as con:
        states = dict(con.execute("select state, count(*) from backfill_queue group by 1").fetchall())
    assert states["done"] == 2 and states["not_found"] == 18 and states["queued"] > 300

    killed = _start(ws)
    killed.wait_for(r"extraction batch 1 of 2 loaded")
    assert killed.kill() == -9
    assert pdf_cache(ws)[1] == []  # no partial download left behind by the kill (the rerun cleans any)

    _run(ws)
    assert differences(_comparable(uninterrupted.db), _comparable(ws.db)) == []
    assert sorted(pdf_cache(ws)[0]) == sorted(pdf_cache(uninterrupted)[0])


def test_the_nightly_ingest_drains_its_share_of_the_queue(prefect_server: PrefectServer, shared_dir: Path,
                                                        tmp_path: Path) -> None:
    """Queued with --budget 0, then two nightly runs (offline corpus + the known ids) at 20 ids each."""
    repo_fixtures = Path(__file__).resolve().parents[2] / "fixtures"
    both = realfixtures.build(tmp_path / "fixtures", realfixtures.from_gold(shared_dir, KNOWN), base=repo_fixtures)
    (tmp_path / "ws").mkdir()
    ws = _workspace(tmp_path / "ws", prefect_server, both, shared_dir)
    ws.extra_env["COMPUTE_LIMITS_BACKFILL_PER_RUN"] = "20"
    _run(ws, "--budget", "0")
    with duckdb.connect(str(ws.db), read_only=True) as con:
        assert con.execute("select count(*) from backfill_queue where state = 'queued'").fetchone()[0] > 300
    ws.ingest()
    with duckdb.connect(str(ws.db), read_only=True) as con:
        states = dict(con.execute("select state, count(*) from backfill_queue group by 1").fetchall())
        kinds = dict(con.execute("select source, count(*) from papers group by 1").fetchall())
    assert states["done"] == 2 and states["not_found"] == 18  # the first 20 in queue order
    assert kinds["backfill"] == 2 and kinds["oai"] >= 40  # the nightly harvest as before, plus the backfill
    ws.ingest()
    with duckdb.connect(str(ws.db), read_only=True) as con:
        states = dict(con.execute("select state, count(*) from backfill_queue group by 1").fetchall())
    assert states["done"] == 3 and states["not_found"] == 37  # 1611.05431 is 34th in queue order
