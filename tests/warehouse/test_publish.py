"""The single writer (warehouse.publish): lock, staging copy, resume after SIGKILL, atomic publish.

Writers run in real child processes; the tests look at the files and at what readers see.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

import warehouse
from flows.cli import main
from warehouse.publish import WarehouseBusy, WriteSession, writer_status

HOLDER = """
import sys, time
from warehouse.publish import WriteSession
import warehouse
with WriteSession(sys.argv[1], holder="test writer") as s:
    con = warehouse.connect(s.staging)
    con.execute("INSERT INTO crawl_state VALUES ('marker', 'staged', now())")
    con.close()
    print("holding", flush=True)
    time.sleep(600)
"""


def _published(tmp_path: Path) -> Path:
    db = tmp_path / "w.duckdb"
    with warehouse.writing(db, holder="setup") as con:
        con.execute("INSERT INTO crawl_state VALUES ('setup', 'published', now())")
    return db


def _hold(db: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    return proc


def _keys(db: Path) -> set[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {r[0] for r in con.execute("SELECT key FROM crawl_state").fetchall()}


def test_publish_leaves_no_staging_no_wal_and_the_lock_free(tmp_path: Path) -> None:
    db = _published(tmp_path)
    assert _keys(db) == {"setup"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb", "w.duckdb.lock"]
    assert (tmp_path / "w.duckdb.lock").read_text() == ""


def test_a_second_writer_is_refused_naming_the_holder_and_readers_are_not(tmp_path: Path) -> None:
    db = _published(tmp_path)
    holder = _hold(db)
    try:
        with pytest.raises(WarehouseBusy, match=r"being written by test writer \(pid \d+"), \
                WriteSession(db, holder="second"):
            pass
        assert _keys(db) == {"setup"}  # readers see the published state, not the staged row
        status = writer_status(db)
        assert status["writer"].startswith("test writer (pid ") and status["staging"]
        code = main(["override", "1512.03385", "hours", "3 days", "--note", "x", "--db", str(db)])
        assert code == 1
    finally:
        holder.kill()
        holder.wait()


def test_the_writer_waits_when_asked(tmp_path: Path) -> None:
    db = _published(tmp_path)
    holder = _hold(db)
    try:
        started = time.monotonic()
        with pytest.raises(WarehouseBusy):
            WriteSession(db, holder="patient", wait_s=1.0).__enter__()
        assert time.monotonic() - started >= 0.9
    finally:
        holder.kill()
        holder.wait()


def test_after_sigkill_the_next_session_resumes_the_staging_file(tmp_path: Path) -> None:
    db = _published(tmp_path)
    before = db.read_bytes()
    holder = _hold(db)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert db.read_bytes() == before  # untouched by the killed writer
    status = writer_status(db)
    assert status["writer"] is None and status["staging"] is not None  # the dead pid holds nothing
    with WriteSession(db, holder="next") as session:
        assert session.resumed
        with warehouse.connect(session.staging) as con:
            assert {r[0] for r in con.execute("SELECT key FROM crawl_state").fetchall()} == {"setup", "marker"}
        session.publish()
    assert _keys(db) == {"setup", "marker"}


def test_a_staging_file_from_another_published_file_is_discarded(tmp_path: Path) -> None:
    db = _published(tmp_path)
    holder = _hold(db)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    other = _published(tmp_path / "other")  # an operator restores a different file over the warehouse
    os.replace(other, db)
    with WriteSession(db, holder="next") as session:
        assert not session.resumed
        session.publish()
    assert _keys(db) == {"setup"}


def test_a_failing_session_publishes_nothing(tmp_path: Path) -> None:
    db = _published(tmp_path)
    with pytest.raises(RuntimeError), warehouse.writing(db, holder="failing") as con:
        con.execute("INSERT INTO crawl_state VALUES ('half', 'done', now())")
        raise RuntimeError("stage failed")
    assert _keys(db) == {"setup"}
    # a short write (override, import) has nothing to resume: no staging copy, no "unfinished write"
    assert writer_status(db)["staging"] is None and not list(tmp_path.glob("w.duckdb.staging*"))
    with pytest.raises(RuntimeError), WriteSession(db, holder="ingest run f1", work="ingest") as session:
        raise RuntimeError("stage failed")  # a pipeline run keeps its staging for the resume
    assert session.staging.exists() and writer_status(db)["staging"] is not None


def test_status_reports_the_warehouse_runs_and_open_errors(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from warehouse import records

    db = tmp_path / "w.duckdb"
    with warehouse.writing(db, holder="setup") as con:
        records.start_run(con, run_id="r1", mode="offline")
        records.record_error(con, stage="download", source="2101.00001v1", message="HTTP 503", retryable=True,
                             run_id="r1")
        records.finish_run(con, run_id="r1", status="completed", counts={"papers_crawled": 3}, watermark=None)
    assert main(["status", "--json", "--db", str(db)]) == 0
    state = json.loads(capsys.readouterr().out)
    assert state["writer"] is None and state["staging"] is None
    assert [(r["run_id"], r["status"], r["papers_crawled"]) for r in state["runs"]] == [("r1", "completed", 3)]
    assert state["open_errors"] == {"download": 1}


ANALYST_RW = """
import os, sys
import duckdb
con = duckdb.connect(sys.argv[1])  # read-write, as the DuckDB CLI opens a file by default
con.execute("CREATE TABLE analyst_notes AS SELECT 42 AS x")
print("written", flush=True)
os.kill(os.getpid(), 9)  # the session dies before it checkpoints: its writes stay in the WAL
"""


def test_an_analysts_leftover_wal_never_meets_the_new_file(tmp_path: Path) -> None:
    """Issue 14, item 3: a dead read-write session's WAL beside the published file is set aside at the
    next publish (kept, reported), so readers of the new file never replay it."""
    db = _published(tmp_path)
    proc = subprocess.run([sys.executable, "-c", ANALYST_RW, str(db)], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == -signal.SIGKILL and "written" in proc.stdout
    wal = db.with_name(db.name + ".wal")
    assert wal.exists()
    with warehouse.writing(db, holder="ingest") as con:
        con.execute("INSERT INTO crawl_state VALUES ('after', 'published', now())")
    assert not wal.exists()
    aside = list(tmp_path.glob("w.duckdb.wal.set-aside-*"))
    assert len(aside) == 1 and aside[0].stat().st_size > 0
    with duckdb.connect(str(db), read_only=True) as ro:
        assert ro.execute("SELECT count(*) FROM crawl_state").fetchone() == (2,)
        tables = {r[0] for r in ro.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert "analyst_notes" not in tables
    assert main(["sql", "SELECT count(*) AS n FROM crawl_state", "--db", str(db), "--format", "csv"]) == 0


ANALYST_OPEN = """
import sys, time
import duckdb
con = duckdb.connect(sys.argv[1])  # read-write, kept open through the publish
con.execute("CREATE TABLE analyst_notes AS SELECT 42 AS x")
print("open", flush=True)
time.sleep(600)
"""


def test_a_read_write_session_open_at_publish_is_reported_and_kept_out(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = _published(tmp_path)
    analyst = subprocess.Popen([sys.executable, "-c", ANALYST_OPEN, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert analyst.stdout is not None and analyst.stdout.readline().strip() == "open"
        with caplog.at_level("WARNING", logger="warehouse.publish"), warehouse.writing(db, holder="ingest") as con:
            con.execute("INSERT INTO crawl_state VALUES ('after', 'published', now())")
        assert "read-write connection from outside the pipeline" in caplog.text
    finally:
        analyst.kill()
        analyst.wait()
    with duckdb.connect(str(db), read_only=True) as ro:
        tables = {r[0] for r in ro.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert ro.execute("SELECT count(*) FROM crawl_state").fetchone() == (2,)
    assert "analyst_notes" not in tables


INGEST_KILLED = """
import sys, time
from warehouse.publish import WriteSession
import warehouse
with WriteSession(sys.argv[1], holder="ingest run k1", work="ingest") as s:
    con = warehouse.connect(s.staging)
    con.execute("INSERT INTO crawl_state VALUES ('ingest-half', 'staged', now())")
    con.close()
    print("holding", flush=True)
    time.sleep(600)
"""


def _kill_after_holding(code: str, db: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", code, str(db)], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "holding"
    child.send_signal(signal.SIGKILL)
    child.wait()


def _keys(db: Path) -> set[str]:
    with duckdb.connect(str(db), read_only=True) as ro:
        return {r[0] for r in ro.execute("SELECT key FROM crawl_state").fetchall()}


def test_another_kind_of_writer_never_publishes_a_killed_ingests_staging(tmp_path: Path) -> None:
    """Issue 14, item 2: an import after a killed ingest works from the published file and leaves the
    ingest's staging alone; once the import is published that staging is stale and the next ingest
    starts afresh from the file that holds the import."""
    db = _published(tmp_path)
    _kill_after_holding(INGEST_KILLED, db)
    staging = db.with_name(db.name + ".staging")
    assert staging.exists()
    with warehouse.writing(db, holder="compute-limits import epoch") as con:
        con.execute("INSERT INTO crawl_state VALUES ('imported', 'epoch', now())")
    assert _keys(db) == {"setup", "imported"}  # not the killed ingest's half
    assert staging.exists() and not list(tmp_path.glob("w.duckdb.staging-*"))
    with WriteSession(db, holder="ingest run k2", work="ingest") as session:
        assert not session.resumed
        with duckdb.connect(str(session.staging)) as con:
            keys = {r[0] for r in con.execute("SELECT key FROM crawl_state").fetchall()}
    assert keys == {"setup", "imported"}


def test_the_same_kind_of_work_still_resumes_its_staging(tmp_path: Path) -> None:
    db = _published(tmp_path)
    _kill_after_holding(INGEST_KILLED, db)
    with WriteSession(db, holder="ingest run k2", work="ingest") as session:
        assert session.resumed
        with duckdb.connect(str(session.staging)) as con:
            assert ("ingest-half",) in con.execute("SELECT key FROM crawl_state").fetchall()


def test_a_run_killed_after_marking_itself_published_does_not_stay_completed(tmp_path: Path) -> None:
    from warehouse import records

    db = _published(tmp_path)
    with pytest.raises(KeyboardInterrupt), WriteSession(db, holder="ingest run r1", work="ingest") as s:
        with warehouse.connect(s.staging) as con:
            records.start_run(con, run_id="r1", mode="offline")
            records.finish_run(con, run_id="r1", status="completed", counts={}, watermark=None)
            records.mark_published(con, run_id="r1")
        raise KeyboardInterrupt  # killed between marking the run published and the rename
    with WriteSession(db, holder="ingest run r2", work="ingest") as s:
        assert s.resumed
        with warehouse.connect_read_only(db) as ro:
            published = records.published_run_ids(ro)
        with warehouse.connect(s.staging) as con:
            assert records.start_run(con, run_id="r2", mode="offline", published=published) == 1
            row = con.execute("SELECT status, published_at FROM ingest_runs WHERE run_id = 'r1'").fetchone()
    assert row == ("interrupted", None)


def test_a_failed_transaction_reports_its_own_error_not_the_rollbacks(tmp_path: Path) -> None:
    """Issue 14, item 6: when DuckDB has already ended the transaction (a full disk), the caller sees the
    cause, not "cannot rollback - no transaction is active"."""
    from warehouse.load import transaction

    con = duckdb.connect(str(tmp_path / "t.duckdb"))
    with pytest.raises(OSError, match="No space left"), transaction(con):
        con.execute("CREATE TABLE t (x INT)")
        con.execute("ROLLBACK")  # what DuckDB does to a transaction it cannot continue
        raise OSError(28, "No space left on device")
    con.close()


def test_an_export_killed_midway_leaves_no_folder_behind_the_next(tmp_path: Path) -> None:
    from warehouse.export import export_views

    db = _published(tmp_path)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    leftover = tmp_path / f"out.tmp-{dead}"
    leftover.mkdir()
    (leftover / "v_papers.csv").write_text("half", encoding="utf-8")
    with warehouse.connect_read_only(db) as con:
        export_views(con, tmp_path / "out", "csv")
    assert not leftover.exists() and (tmp_path / "out").is_dir()

