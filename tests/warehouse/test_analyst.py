"""Analysts' SQL cannot touch anything but the warehouse (issue 14, item 1): real DuckDB files, the real
`compute-limits sql` process for the reproductions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from warehouse import WarehouseError
from warehouse.analyst import QueryStopped, check_query, run_query

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture()
def wh(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE papers AS SELECT range AS id, range / 3 AS x FROM range(25)")
    con.close()
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    return path


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    return subprocess.run([sys.executable, "-c", "from flows.cli import entry; entry()", *args],
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=300, check=False)


def _rows(path: Path, query: str, **kw: object) -> list[tuple[object, ...]]:
    stream = run_query(path, query, **kw)  # type: ignore[arg-type]
    next(stream)
    return [row for batch in stream for row in batch]


@pytest.mark.parametrize("query", [
    "COPY (SELECT 1 AS x) TO 'data/warehouse.duckdb' (FORMAT csv)",
    "EXPORT DATABASE '/tmp/anywhere'",
    "ATTACH 'other.duckdb' AS o (READ_WRITE)",
    "SET enable_external_access = true",
    "PRAGMA threads = 1",
    "DELETE FROM papers",
    "CREATE TABLE t (x INT)",
    "INSTALL httpfs",
    "SELECT 1; DROP TABLE papers",
])
def test_anything_but_one_select_is_refused_before_it_runs(query: str) -> None:
    with pytest.raises(WarehouseError):
        check_query(query)


@pytest.mark.parametrize("query", [
    "SELECT * FROM read_csv('{notes}')",
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM glob('/root/*')",
])
def test_files_stay_out_of_reach(wh: Path, query: str) -> None:
    with pytest.raises(duckdb.Error, match="(?i)permission|disabled"):
        _rows(wh, query.format(notes=wh.parent / "notes.csv"))


def test_allow_files_reads_a_file_and_still_never_writes(wh: Path, tmp_path: Path) -> None:
    assert _rows(wh, f"SELECT a, b FROM read_csv('{wh.parent / 'notes.csv'}')", allow_files=True) == [(1, 2)]
    with pytest.raises(WarehouseError, match="COPY"):
        _rows(wh, f"COPY (SELECT 1) TO '{tmp_path / 'out.csv'}'", allow_files=True)
    assert not (tmp_path / "out.csv").exists()


def test_a_query_past_its_time_is_stopped(wh: Path) -> None:
    with pytest.raises(QueryStopped, match="--timeout"):
        _rows(wh, "SELECT count(*) FROM range(10000000000) a", timeout_s=0.5)


def test_copy_over_the_published_warehouse_leaves_it_intact(wh: Path) -> None:
    proc = _cli("sql", f"COPY (SELECT 1 AS x) TO '{wh}' (FORMAT csv)", "--db", str(wh))
    assert proc.returncode == 1 and proc.stderr.startswith("error: ") and "COPY" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    again = _cli("sql", "SELECT count(*) AS n FROM papers", "--db", str(wh), "--format", "jsonl")
    assert again.returncode == 0 and json.loads(again.stdout) == {"n": 25}


def test_the_table_caps_rows_and_prints_cells_as_text(wh: Path) -> None:
    proc = _cli("sql", "SELECT id, 'a[/b] c :x: [see 12]' AS t, 0.1 + 0.2 AS f FROM papers ORDER BY id",
                "--db", str(wh), "--max-rows", "5")
    assert proc.returncode == 0, proc.stderr
    assert "a[/b] c :x: [see 12]" in proc.stdout and "0.3 " in proc.stdout and "0.30000000000000004" not in proc.stdout
    assert "20 more rows" in proc.stdout
    assert " 5 " not in proc.stdout.split("20 more rows")[0].split("│ 4 ")[-1]  # row ids 0..4 only


def test_csv_ends_lines_with_newline_and_jsonl_keeps_numbers_and_objects(wh: Path) -> None:
    csv_out = _cli("sql", "SELECT id FROM papers ORDER BY id LIMIT 2", "--db", str(wh), "--format", "csv")
    assert csv_out.stdout == "id\n0\n1\n"
    line = _cli("sql", "SELECT 2.50::DECIMAL(4, 2) AS d, {'k': [1, 2]} AS s", "--db", str(wh), "--format", "jsonl")
    assert json.loads(line.stdout) == {"d": 2.5, "s": {"k": [1, 2]}}


@pytest.mark.parametrize("option", [("--format", "xml"), ("--timeout", "0"), ("--max-rows", "-1")])
def test_bad_options_fail_before_any_work_with_one_line_naming_them(wh: Path, option: tuple[str, str]) -> None:
    proc = _cli("sql", "SELECT 1", "--db", str(wh), *option)
    assert proc.returncode != 0 and option[0] in proc.stderr
    assert "Traceback" not in proc.stderr
