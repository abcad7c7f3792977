"""Thompson et al.'s six CSVs into `thompson_models` / `thompson_metrics` (needs ../shared/reference/thompson)."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import duckdb
import pytest

import warehouse
from analysis.thompson import THOMPSON_FILES
from flows.cli import main

pytestmark = pytest.mark.corpus


def _data_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line, row) of every data row, counted with the csv module alone: 4 header lines, then data."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        rows = list(reader)
    header = [c.strip() for c in rows[0]]
    return [(number + 5, dict(zip(header, cells, strict=True))) for number, cells in enumerate(rows[4:])
            if any(c.strip() for c in cells)]


@pytest.fixture()
def thompson_dir(reference_dir: Path) -> Path:
    return reference_dir / "thompson"


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    return tmp_path / "w.duckdb"


def _import(directory: Path, db: Path) -> int:
    return main(["import", "thompson", str(directory), "--db", str(db)])


def test_every_row_of_the_six_csvs_loads(thompson_dir: Path, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _import(thompson_dir, db) == 0
    printed = capsys.readouterr().out
    with warehouse.connect_read_only(db) as con:
        per_file = dict(con.execute("select source_file, count(*) from thompson_models group by 1").fetchall())
        expected = {name: len(_data_rows(thompson_dir / name)) for name in THOMPSON_FILES}
        assert per_file == expected
        assert expected == {"image-classification-on-imagenet.csv": 208, "object-detection-on-coco.csv": 116,
                            "question-answering-on-squad-1-1.csv": 41, "named-entity-recognition-on-conll-2003.csv": 54,
                            "machine-translation-on-wmt2014-en-fr.csv": 42,
                            "machine-translation-on-wmt2014-en-de.csv": 55}
        assert sum(per_file.values()) == 516
        for name in THOMPSON_FILES:
            assert f"thompson {name}: {expected[name]} models" in printed
        # every field kept: the raw JSON holds each cell as printed; typed columns agree with it
        for name in THOMPSON_FILES:
            stored = {r[0]: json.loads(r[1]) for r in con.execute(
                "select source_row, raw from thompson_models where source_file = ?", [name]).fetchall()}
            assert stored == {line: row for line, row in _data_rows(thompson_dir / name)}
        metric_count = con.execute("select count(*) from thompson_metrics").fetchone()[0]
        independent = sum(1 for name in THOMPSON_FILES for _, row in _data_rows(thompson_dir / name)
                          for column, cell in row.items() if column.startswith("(") and cell.strip())
        assert metric_count == independent


def test_fields_per_phase_metrics_and_links(thompson_dir: Path, db: Path) -> None:
    assert _import(thompson_dir, db) == 0
    with warehouse.connect_read_only(db) as con:
        coca = con.execute("""
            select name, year, paper_id, source, source_row, benchmark, pretraining_tpu_model, pretraining_tpu_amount,
                   pretraining_tpu_ptp_gflops, pretraining_time_total, pretraining_time_total_sec,
                   training_set_size, training_dataset, fp_bp_ratio, hardware_burden, log10hw, computing_power
            from thompson_models where source_file = 'image-classification-on-imagenet.csv' and source_row = 5
        """).fetchone()
        assert coca == ("CoCa", 2022, "2205.01917", "thompson", 5, "imagenet", "Cloud TPU v4", 512.0, 1.1e6,
                        "5 days", 4.32e5, 1.28e6, "ImageNet 1K", 3.0, 2.4e23, pytest.approx(23.38614639), 2.4e23)
        assert con.execute("""select metric, metric_key, value from thompson_metrics m join thompson_models t
                              using (model_id) where t.name = 'CoCa' order by metric""").fetchall() == [
            ("TOP 1 score", "top1", 91.0)]
        luke = con.execute("""select training_gpu_model, training_gpu_amount, training_cpu_model, training_cpu_amount,
                                     training_cpu_ptp_gflops, hardware_burden
                              from thompson_models where name = 'LUKE' and benchmark = 'conll2003'""").fetchone()
        assert luke == ("Tesla V100 PCIe 32 GB", 16.0, "Intel Xeon Platinum 8168", 2.0, 2070.0, 5.97e20)
        names = [r[0] for r in con.execute("select name from thompson_models").fetchall()]
        assert "QANet" in names and "ColorNet" in names and all(n == n.strip() for n in names)  # padding gone
        coco_log = con.execute("select count(log10net) from thompson_models where benchmark = 'coco'").fetchone()
        assert coco_log[0] > 0  # COCO's `lo10net` (sic) lands in log10net
        linked = con.execute("select count(paper_id), count(*) from thompson_models").fetchone()
        assert linked == (359, 516)


def test_malformed_cells_become_errors_and_the_rest_loads(thompson_dir: Path, db: Path) -> None:
    assert _import(thompson_dir, db) == 0
    with warehouse.connect_read_only(db) as con:
        errors = con.execute("select source, message from errors where stage = 'import' order by source").fetchall()
        assert [source for source, _ in errors] == ["image-classification-on-imagenet.csv:20",
                                                    "machine-translation-on-wmt2014-en-de.csv:17",
                                                    "machine-translation-on-wmt2014-en-de.csv:37",
                                                    "machine-translation-on-wmt2014-en-de.csv:40"]
        assert errors[0][1].startswith("training_time_total: '9.13E+20'")
        assert all(message.startswith("training_cpu_model: '4.20E+05'") for _, message in errors[1:])
        row = con.execute("""select training_time_total, raw->>'training_time_total', name from thompson_models
                             where source_file = 'image-classification-on-imagenet.csv' and source_row = 20""")
        assert row.fetchone()[:2] == (None, "9.13E+20")  # rejected cell NULL, kept raw


def test_reimport_replaces_and_a_failed_import_leaves_the_previous_one(
    thompson_dir: Path, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "thompson"
    shutil.copytree(thompson_dir, copy)
    assert _import(copy, db) == 0
    with warehouse.connect_read_only(db) as con:
        before = con.execute("select * from thompson_models order by model_id").fetchall()
        before_metrics = con.execute("select * from thompson_metrics order by all").fetchall()
    assert _import(copy, db) == 0
    with warehouse.connect_read_only(db) as con:
        assert con.execute("select * from thompson_models order by model_id").fetchall() == before
        assert con.execute("select count(*), max(occurrences) from errors").fetchone() == (4, 2)
    # the last file gets two columns that are one metric: its insert fails after five files went in
    last = copy / "machine-translation-on-wmt2014-en-de.csv"
    text = last.read_text("utf-8").splitlines()
    text[0] = text[0].replace("(SACREBLEU)", "( BLEU )")
    last.write_text("\n".join(text) + "\n", "utf-8")
    (copy / "image-classification-on-imagenet.csv").write_text(
        (thompson_dir / "image-classification-on-imagenet.csv").read_text("utf-8").replace("CoCa,", "CoCa v2,", 1))
    capsys.readouterr()
    assert _import(copy, db) == 1
    assert capsys.readouterr().err.count("\n") == 1  # one line
    with warehouse.connect_read_only(db) as con:
        assert con.execute("select * from thompson_models order by model_id").fetchall() == before
        assert con.execute("select * from thompson_metrics order by all").fetchall() == before_metrics
        assert con.execute("select count(*) from thompson_models where name = 'CoCa v2'").fetchone() == (0,)


def test_missing_folder_is_one_line_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "thompson", str(tmp_path / "absent"), "--db", str(tmp_path / "w.duckdb")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: no such folder") and err.count("\n") == 1
    (tmp_path / "empty").mkdir()
    assert main(["import", "thompson", str(tmp_path / "empty"), "--db", str(tmp_path / "w.duckdb")]) == 1
    assert "no Thompson CSV" in capsys.readouterr().err


def test_thompson_rows_read_by_duckdb_and_by_the_analysis_agree(thompson_dir: Path, db: Path) -> None:
    from analysis.thompson import thompson_points

    assert _import(thompson_dir, db) == 0
    points = thompson_points(thompson_dir)
    with duckdb.connect(str(db), read_only=True) as con:
        stored = con.execute("""select count(*), count(t.hardware_burden) from thompson_metrics m
                                join thompson_models t using (model_id)
                                where m.metric in ('TOP 1 score', 'BOX AP', 'EM score', 'F1 score', 'BLEU')
                                  and (t.benchmark <> 'squad1.1' or m.metric = 'EM score')""").fetchone()
    assert stored == (len(points), int(points["compute"].notna().sum()))
