"""`compute-limits export`: the analyst views as Parquet or CSV files, read back and compared with the views."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

import warehouse
from flows.cli import main
from warehouse import load, records
from warehouse.estimates import refresh_compute_estimates

REPO = Path(__file__).resolve().parents[2]
TITLE = 'A "quoted", title\nover two lines'


def _paper(paper_id: str, year: int, title: str) -> dict[str, Any]:
    stamp = f"{year}-03-04T10:00:00Z"
    return {"paper_id": paper_id, "version": 1, "title": title, "authors": ["A. Author", "B. O'Brien"],
            "abstract": "x", "categories": ["cs.LG", "cs.CV"], "primary_category": "cs.LG",
            "published": stamp, "updated": stamp, "pdf_url": None}


def _extraction(sha: str, accelerator: str, count: int, hours: float, score: float) -> dict[str, Any]:
    return {
        "pdf": "x.pdf", "sha256": sha, "pages": 4, "error": None, "extractor_version": "test-1",
        "training_runs": [{"label": None, "phase": "training", "accelerator": accelerator,
                           "accelerator_text": "the GPUs", "count": count, "count_unit": "gpu", "hours": hours,
                           "hours_text": f"{hours} hours", "page": 3, "quote": f"trained on {count} GPUs",
                           "char_start": 10, "char_end": 40, "confidence": 0.9}],
        "results": [{"dataset": "ImageNet", "metric": "Top-1 accuracy", "value": score, "model": "Net",
                     "page": 4, "quote": str(score), "char_start": 1, "char_end": 5, "confidence": 0.8}],
        "facts": [{"kind": "parameters", "value": 25600000, "unit": "parameters", "page": 2,
                   "quote": "25.6M parameters", "char_start": 3, "char_end": 19, "confidence": 0.9}],
    }


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small real warehouse: three papers over two years, their runs, estimates and two ingest runs."""
    path = tmp_path_factory.mktemp("export") / "w.duckdb"
    con = warehouse.connect(path)
    papers = [("2001.90001", 2019, TITLE, "nvidia-v100", 8, 72.0, 80.5),
              ("2001.90002", 2020, "Second", "nvidia-p100", 4, 24.0, 76.0),
              ("2001.90003", 2020, "Third", "nvidia-v100", 16, 10.0, 82.0)]
    for paper_id, year, title, accelerator, count, hours, score in papers:
        sha = hashlib.sha256(paper_id.encode()).hexdigest()
        load.upsert_papers(con, [_paper(paper_id, year, title)], source="test")
        load.record_document(con, {"sha256": sha, "paper_id": paper_id, "version": 1, "path": "p", "bytes": 10})
        load.load_extraction(con, sha256=sha, paper_id=paper_id,
                             extraction=_extraction(sha, accelerator, count, hours, score))
    refresh_compute_estimates(con)
    records.start_run(con, run_id="run-1", mode="offline")
    records.finish_run(con, run_id="run-1", status="completed", watermark=None,
                       counts={"stage_seconds": {"crawl": 1.5, "extract": 2.25}, "papers_crawled": 3})
    records.start_run(con, run_id="run-2", mode="offline")  # still running: not the export's run
    con.close()
    return path


@pytest.fixture()
def ro(db: Path) -> Any:
    with warehouse.connect_read_only(db) as con:
        yield con


def _export(db: Path, out: Path, *args: str) -> int:
    return main(["export", str(out), "--db", str(db), *args])


def _same_rows(con: duckdb.DuckDBPyConnection, left: str, right: str) -> bool:
    diff = con.execute(f"SELECT count(*) FROM (({left} EXCEPT ALL {right}) UNION ALL ({right} EXCEPT ALL {left}))")
    return diff.fetchone() == (0,)


def _manifest(out: Path) -> dict[str, Any]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_parquet_round_trips_every_view(db: Path, tmp_path: Path, ro: duckdb.DuckDBPyConnection,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "exports"
    assert _export(db, out, "--format", "parquet") == 0
    printed = capsys.readouterr().out
    assert "v_training_compute.parquet" in printed and f"manifest: {out / 'manifest.json'}" in printed
    views = [v for (v,) in ro.execute("SELECT view_name FROM duckdb_views() WHERE starts_with(view_name, 'v_') "
                                      "AND NOT internal ORDER BY 1").fetchall()]
    assert [v["name"] for v in _manifest(out)["views"]] == views
    for view in ("v_training_compute", "v_papers", "v_ingest_runs", "v_benchmark_points"):
        written = f"SELECT * FROM read_parquet('{out / view}.parquet')"
        assert ro.execute(f"SELECT count(*) FROM ({written})").fetchone() == ro.execute(
            f"SELECT count(*) FROM {view}").fetchone() != (0,)
        assert _same_rows(ro, f"SELECT * FROM {view}", written), view
    described = ro.execute(f"DESCRIBE SELECT * FROM read_parquet('{out}/v_ingest_runs.parquet')").fetchall()
    assert {name: kind for name, kind, *_ in described}["stage_seconds"] == "JSON"
    meta = ro.execute(f"SELECT DISTINCT compression FROM parquet_metadata('{out}/v_papers.parquet')").fetchall()
    assert meta == [("ZSTD",)]


def test_csv_round_trips_with_json_lists_and_awkward_text(db: Path, tmp_path: Path,
                                                          ro: duckdb.DuckDBPyConnection) -> None:
    out = tmp_path / "csv"
    assert _export(db, out, "--format", "csv", "--view", "v_papers", "--view", "v_ingest_runs") == 0
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "v_ingest_runs.csv", "v_papers.csv"]
    with (out / "v_papers.csv").open(encoding="utf-8", newline="") as fh:
        rows = {r["paper_id"]: r for r in csv.DictReader(fh)}
    expected = ro.execute("SELECT paper_id, title, authors, categories, facts FROM v_papers").fetchall()
    assert len(rows) == len(expected) == 3
    for paper_id, title, authors, categories, facts in expected:
        row = rows[paper_id]
        assert row["title"] == title
        assert json.loads(row["authors"]) == authors == ["A. Author", "B. O'Brien"]
        assert json.loads(row["categories"]) == categories
        assert int(row["facts"]) == facts
    assert rows["2001.90001"]["title"] == TITLE
    with (out / "v_ingest_runs.csv").open(encoding="utf-8", newline="") as fh:
        runs = {r["run_id"]: r for r in csv.DictReader(fh)}
    assert set(runs) == {"run-1", "run-2"}
    stored = ro.execute("SELECT stage_seconds FROM ingest_runs WHERE run_id = 'run-1'").fetchone()
    assert runs["run-1"]["stage_seconds"] == stored[0]  # the JSON text as stored, not re-serialised
    assert json.loads(runs["run-1"]["stage_seconds"]) == {"crawl": 1.5, "extract": 2.25}
    assert json.loads(runs["run-1"]["counts"])["papers_crawled"] == 3
    by_name = {v["name"]: v for v in _manifest(out)["views"]}
    assert {"authors", "categories"} <= set(by_name["v_papers"]["json_columns"])
    assert {"stage_seconds", "counts"} <= set(by_name["v_ingest_runs"]["json_columns"])


def test_partitioned_export_writes_year_directories_whose_union_is_the_view(
        db: Path, tmp_path: Path, ro: duckdb.DuckDBPyConnection) -> None:
    out = tmp_path / "parts"
    assert _export(db, out, "--format", "parquet", "--partition-by-year") == 0
    views = {v["name"]: v for v in _manifest(out)["views"]}
    assert sorted(p.name for p in (out / "v_training_compute").iterdir()) == ["year=2019", "year=2020"]
    assert views["v_training_compute"]["partition_by"] == "year"
    columns = ", ".join(c["name"] for c in views["v_training_compute"]["columns"])
    union = f"SELECT {columns} FROM read_parquet('{out}/v_training_compute/**/*.parquet', hive_partitioning=true)"
    assert _same_rows(ro, f"SELECT {columns} FROM v_training_compute", union)
    # v_papers has no year column: the year is derived from `published`, the rows are unchanged
    assert views["v_papers"]["year_from"] == "published"
    assert sorted(p.name for p in (out / "v_papers").iterdir()) == ["year=2019", "year=2020"]
    papers = f"read_parquet('{out}/v_papers/**/*.parquet', hive_partitioning=true)"
    columns = ", ".join(c["name"] for c in views["v_papers"]["columns"])
    assert _same_rows(ro, f"SELECT {columns} FROM v_papers", f"SELECT {columns} FROM {papers}")
    assert ro.execute(f"SELECT count(*) FROM {papers} WHERE year <> year(published)").fetchone() == (0,)
    # views without a year stay single files
    assert (out / "v_ingest_runs.parquet").is_file() and views["v_ingest_runs"]["partition_by"] is None


def test_an_empty_warehouse_exports_empty_files_that_keep_the_schema(tmp_path: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    warehouse.connect(empty).close()
    out = tmp_path / "out"
    assert _export(empty, out, "--format", "parquet", "--partition-by-year", "--view", "v_papers") == 0
    manifest = _manifest(out)
    assert manifest["ingest_run_id"] is None and manifest["ingest_finished_at"] is None
    assert manifest["views"][0]["rows"] == 0 and manifest["views"][0]["partition_by"] is None
    with duckdb.connect() as con:
        described = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{out}/v_papers.parquet')").fetchall()
    assert [d[0] for d in described] == [c["name"] for c in manifest["views"][0]["columns"]]


def test_manifest_counts_and_checksums_match_the_files(db: Path, tmp_path: Path,
                                                       ro: duckdb.DuckDBPyConnection) -> None:
    out = tmp_path / "exports"
    assert _export(db, out, "--format", "parquet", "--partition-by-year") == 0
    manifest = _manifest(out)
    assert manifest["format"] == "parquet" and manifest["warehouse"] == "w.duckdb"
    assert manifest["ingest_run_id"] == "run-1"
    finished = ro.execute("SELECT finished_at FROM ingest_runs WHERE run_id = 'run-1'").fetchone()[0]
    assert manifest["ingest_finished_at"].startswith(finished.isoformat())
    assert manifest["exported_at"].endswith("+00:00")
    listed = set()
    for view in manifest["views"]:
        paths = [out / f["path"] for f in view["files"]]
        listed.update(paths)
        for f, path in zip(view["files"], paths, strict=True):
            assert hashlib.sha256(path.read_bytes()).hexdigest() == f["sha256"]
            assert path.stat().st_size == f["bytes"]
        files = ", ".join(f"'{p}'" for p in paths)
        read = f"SELECT count(*) FROM read_parquet([{files}])"
        assert ro.execute(read).fetchone()[0] == view["rows"] == ro.execute(
            f"SELECT count(*) FROM {view['name']}").fetchone()[0]
        assert [c["name"] for c in view["columns"]] == [d[0] for d in ro.execute(
            f"DESCRIBE {view['name']}").fetchall()]
    on_disk = {p for p in out.rglob("*") if p.is_file()}
    assert on_disk == listed | {out / "manifest.json"}
    assert str(tmp_path) not in (out / "manifest.json").read_text(encoding="utf-8")  # no absolute paths


def test_an_export_replaces_the_previous_one_completely(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "it's exports"  # a quote in the path: COPY's target is a quoted literal
    assert _export(db, out, "--format", "parquet") == 0
    (out / "stray.txt").write_text("left over")
    (out / "v_old").mkdir()
    assert _export(db, out, "--format", "csv", "--view", "v_papers") == 0
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "v_papers.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["it's exports"]  # no .tmp-/.old- directory left
    assert _manifest(out)["format"] == "csv"


def test_errors_are_one_line_and_leave_the_previous_export(db: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "exports"
    assert _export(db, out, "--format", "csv", "--view", "v_papers") == 0
    before = (out / "manifest.json").read_bytes()
    capsys.readouterr()
    messages = []
    for args in (("--format", "parquet", "--view", "v_nope"), ("--format", "csv", "--partition-by-year"),
                 ("--format", "xml")):
        assert _export(db, out, *args) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err, err
        messages.append(err)
    assert "unknown view v_nope" in messages[0] and "v_training_compute" in messages[0]  # names what exists
    assert (out / "manifest.json").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exports"]
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.tex").write_text("keep me")
    assert _export(db, precious, "--format", "csv") == 1
    assert "not an export" in capsys.readouterr().err
    assert (precious / "thesis.tex").read_text() == "keep me"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API", "COMPUTE_LIMITS_"))}
    return subprocess.run([sys.executable, "-c", "from flows.cli import entry; entry()", *args], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=120, check=False)


def test_export_works_while_another_process_reads_the_warehouse(db: Path, tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
         "con.execute('SELECT count(*) FROM papers').fetchall(); print('ready', flush=True); sys.stdin.read()",
         str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        proc = _cli("export", str(tmp_path / "out"), "--format", "parquet", "--db", str(db))
        assert proc.returncode == 0, proc.stderr
        assert "v_papers" in proc.stdout and "manifest:" in proc.stdout
        assert (tmp_path / "out" / "v_papers.parquet").is_file()
    finally:
        holder.communicate(input="", timeout=60)
    assert holder.returncode == 0


@pytest.mark.corpus
def test_thompson_rows_export_partitioned(db: Path, tmp_path: Path, shared_dir: Path) -> None:
    """Thompson et al.'s CSVs imported with the CLI, exported by year, read back equal to the views."""
    copy = tmp_path / "thompson.duckdb"
    copy.write_bytes(db.read_bytes())
    assert main(["import", "thompson", str(shared_dir / "reference" / "thompson"), "--db", str(copy)]) == 0
    out = tmp_path / "out"
    assert _export(copy, out, "--format", "parquet", "--partition-by-year",
                   "--view", "v_regression_points", "--view", "v_thompson_hardware") == 0
    views = {v["name"]: v for v in _manifest(out)["views"]}
    years = {p.name for p in (out / "v_regression_points").iterdir()}
    assert {"year=2012", "year=2015", "year=2019"} <= years
    assert views["v_thompson_hardware"]["partition_by"] is None
    with warehouse.connect_read_only(copy) as con:
        assert views["v_regression_points"]["rows"] == con.execute(
            "SELECT count(*) FROM v_regression_points").fetchone()[0] > 400
        columns = ", ".join(c["name"] for c in views["v_regression_points"]["columns"])
        union = (f"SELECT {columns} FROM read_parquet('{out}/v_regression_points/**/*.parquet', "
                 "hive_partitioning=true)")
        assert _same_rows(con, f"SELECT {columns} FROM v_regression_points", union)
        assert _same_rows(con, "SELECT * FROM v_thompson_hardware",
                          f"SELECT * FROM read_parquet('{out}/v_thompson_hardware.parquet')")
