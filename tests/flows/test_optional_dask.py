"""Dask is an optional extra ([dask]): the package imports and runs without it, and asking for the Dask
runner without it fails before any work with one line saying how to install it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HIDE_DASK = "import sys\nfor m in ('dask', 'distributed', 'prefect_dask'):\n    sys.modules[m] = None\n"


def run(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", HIDE_DASK + code], capture_output=True, text=True, cwd=tmp_path,
                          timeout=300)


def test_the_flows_import_without_dask(tmp_path: Path) -> None:
    done = run("import flows.ingest, flows.extraction, flows.cli\n"
               "assert all(sys.modules[m] is None for m in ('dask', 'distributed', 'prefect_dask'))\n"
               "print('ok')", tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_the_dask_runner_without_the_extra_fails_first_with_one_line(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    done = run(f"from flows.cli import main\nsys.exit(main(['ingest', '--offline', '--task-runner', 'dask', "
               f"'--db', {str(db)!r}]))", tmp_path)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'compute-limits[dask]'" in lines[0] and "--task-runner" in lines[0]
    assert not db.exists()  # no work was done
