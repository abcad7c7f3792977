"""A million-row reference import stays under 1 GB of memory (issue 14, item 5).

The import runs as the real command in its own process; its peak resident memory is read from the
kernel (`getrusage` of a wrapper's only child), not sampled. Before the spooled loads, 100,000 Epoch
rows alone took 1.5 GB and a million passed 6 GB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import warehouse
from tests.reference.big_csv import write_epoch_csv, write_thompson_csv

ROWS = 1_000_000
BAD_EVERY = 10_000
LIMIT_BYTES = 1_000_000_000

# runs the command as its only child and prints that child's exit code and peak RSS (kilobytes)
_WRAPPER = """
import json, resource, subprocess, sys
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
print(json.dumps({"rc": rc, "max_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def _start(args: list[str], db: Path) -> subprocess.Popen[str]:
    """The command under the wrapper, started (it prints its exit code and peak RSS when done)."""
    env = {**os.environ, "COMPUTE_LIMITS_IMPORT_MAX_BYTES": str(10**10), "COMPUTE_LIMITS_DB": str(db)}
    command = [sys.executable, "-c", _WRAPPER, str(Path(sys.executable).parent / "compute-limits"), "-q", *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)


def _peak(process: subprocess.Popen[str]) -> tuple[int, int]:
    out, _ = process.communicate(timeout=900)
    result = json.loads(out.splitlines()[-1])
    return int(result["rc"]), int(result["max_rss_kb"]) * 1024


def test_a_million_row_epoch_and_thompson_imports_each_stay_under_a_gigabyte(tmp_path: Path) -> None:
    """Both imports run side by side (each in its own process and warehouse), so the test costs the
    time of one; each peak is its own process's."""
    epoch_db, thompson_db = tmp_path / "epoch" / "w.duckdb", tmp_path / "thompson" / "w.duckdb"
    folder = tmp_path / "csv"
    folder.mkdir()
    epoch_db.parent.mkdir()
    thompson_db.parent.mkdir()
    epoch_csv = write_epoch_csv(tmp_path / "epoch_big.csv", ROWS, bad_every=BAD_EVERY)
    epoch = _start(["import", "epoch", str(epoch_csv)], epoch_db)
    write_thompson_csv(folder / "image-classification-on-imagenet.csv", ROWS, bad_every=BAD_EVERY)
    thompson = _start(["import", "thompson", str(folder)], thompson_db)
    (epoch_rc, epoch_peak), (thompson_rc, thompson_peak) = _peak(epoch), _peak(thompson)
    print(f"peak RSS: epoch {epoch_peak / 1e6:.0f} MB, thompson {thompson_peak / 1e6:.0f} MB")
    assert (epoch_rc, thompson_rc) == (0, 0)
    assert epoch_peak < LIMIT_BYTES and thompson_peak < LIMIT_BYTES, (epoch_peak, thompson_peak)

    with warehouse.connect_read_only(epoch_db) as con:
        assert con.execute("select count(*), count(DISTINCT model_id), count(paper_id) from epoch_models"
                           ).fetchone() == (ROWS, ROWS, ROWS)
        assert con.execute("select count(*) from errors where stage = 'import'").fetchone() == (2 * ROWS // BAD_EVERY,)
        assert con.execute("select hardware_quantity, training_time_hours from epoch_models where model = 'Model-0'"
                           ).fetchone() == (None, None)
        assert con.execute("select count(*) from paper_links where source = 'epoch'").fetchone() == (ROWS,)
        assert con.execute("select count(*) from check_epoch_compute").fetchone()[0] == ROWS - ROWS // BAD_EVERY
    with warehouse.connect_read_only(thompson_db) as con:
        assert con.execute("select count(*), count(DISTINCT model_id) from thompson_models").fetchone() == (ROWS, ROWS)
        assert con.execute("select count(*) from thompson_metrics").fetchone() == (2 * ROWS,)
        assert con.execute("select count(*) from errors where stage = 'import'").fetchone() == (2 * ROWS // BAD_EVERY,)
        assert con.execute("select count(*) from check_thompson_burden").fetchone()[0] == ROWS
    for db in (epoch_db, thompson_db):
        assert not list(db.parent.glob(".spool-*")) and not list(db.parent.glob("*.staging*"))
