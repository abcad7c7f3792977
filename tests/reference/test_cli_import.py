"""`compute-limits import pwc`: files and folders, one-line errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import warehouse
from flows.cli import main

TASKS = [{"task": "Image Classification", "datasets": [{"dataset": "ImageNet", "sota": {"rows": [
    {"model_name": "Net", "paper_url": "https://arxiv.org/abs/2001.90001", "metrics": {"Top 1 Accuracy": "80.1%"}},
    {"model_name": "Other", "paper_url": "https://arxiv.org/abs/2001.90002", "metrics": {"Top 1 Accuracy": "-"}},
]}}]}]


def test_folder_loads_good_files_and_fails_naming_the_bad_one(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "dumps"
    folder.mkdir()
    (folder / "good.json").write_text(json.dumps(TASKS))
    (folder / "bad.json").write_text('[{"task": "x", "datasets": [')
    (folder / "notes.txt").write_text("ignored")
    db = tmp_path / "w.duckdb"
    assert main(["import", "pwc", str(folder), "--db", str(db)]) == 1
    captured = capsys.readouterr()
    assert "pwc good.json: 2 results, 1 numeric, 1 kept raw (value NULL), 2 with an arXiv id" in captured.out
    assert captured.err.splitlines()[-1] == "error: 1 of 2 files not loaded (see `errors`): bad.json"
    with warehouse.connect_read_only(db) as con:
        assert con.execute("select source, source_file, count(*) from results group by all").fetchall() == [
            ("pwc", "good.json", 2)]
        assert con.execute("select stage, source from errors").fetchall() == [("import", "bad.json")]
    assert main(["import", "pwc", str(folder / "good.json"), "--db", str(db)]) == 0
    with warehouse.connect_read_only(db) as con:
        assert con.execute("select count(*) from results").fetchone() == (2,)


def test_a_bad_file_alone_is_one_line_and_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1]")
    proc = subprocess.run([sys.executable, "-c", "from flows.cli import entry; entry()", "import", "pwc", str(bad),
                           "--db", str(tmp_path / "w.duckdb")], capture_output=True, text=True, timeout=120,
                          check=False)
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[-1].startswith("error: cannot read evaluation tables: a task must be an object")
    assert main(["import", "pwc", str(tmp_path / "absent.json"), "--db", str(tmp_path / "w.duckdb")]) == 1


def test_import_commands_are_documented(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "--help"]) == 0
    text = capsys.readouterr().out
    assert all(name in text for name in ("pwc", "thompson", "epoch"))
    for name in ("pwc", "thompson", "epoch"):
        assert main(["import", name, "--help"]) == 0
        assert "Example: compute-limits import " + name in " ".join(capsys.readouterr().out.split())


def test_a_file_over_the_import_limit_is_refused_before_reading(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 14, item 5: a configurable size limit, one line, nothing written."""
    big = tmp_path / "epoch.csv"
    big.write_text("Model,Parameters\n" + "A,1\n" * 200, "utf-8")
    monkeypatch.setenv("COMPUTE_LIMITS_IMPORT_MAX_BYTES", "500")
    db = tmp_path / "w.duckdb"
    assert main(["import", "epoch", str(big), "--db", str(db)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "over the import limit" in err[0] and "COMPUTE_LIMITS_IMPORT_MAX_BYTES" in err[0]
    assert not db.exists()
