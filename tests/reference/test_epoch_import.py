"""Epoch AI's models database into `epoch_models`: both namings, every row, arXiv links, rejected cells."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

import warehouse
from crawlers.epoch import read_epoch_csv
from flows.cli import main
from warehouse.reference import replace_epoch

FILES = {"all_ml_systems_2025-08.csv": (1892, "Model"), "all_ml_systems_2024-02.csv": (1107, "System"),
         "notable_ai_models_2025-02-24.csv": (895, "Model"), "large_scale_ai_models_2024-07.csv": (192, "System")}
NUMBERS = {"Parameters": "parameters", "Training compute (FLOP)": "training_compute_flop",
           "Training time (hours)": "training_time_hours", "Hardware quantity": "hardware_quantity",
           "Epochs": "epochs", "Training dataset size (datapoints)": "training_dataset_size"}


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:  # 2024-02 starts with a byte-order mark
        return list(csv.DictReader(fh))


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(FILES))
def test_every_row_loads_with_its_numbers(name: str, reference_dir: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = reference_dir / "epoch" / name
    db = tmp_path / "w.duckdb"
    assert main(["import", "epoch", str(path), "--db", str(db)]) == 0
    expected_rows, naming = FILES[name]
    rows = _csv_rows(path)
    assert len(rows) == expected_rows
    assert f"epoch {name} ({naming} naming): {expected_rows} models" in capsys.readouterr().out
    with warehouse.connect_read_only(db) as con:
        assert con.execute("select count(*), min(naming), max(naming), count(distinct source_row) from epoch_models"
                           ).fetchone() == (expected_rows, naming, naming, expected_rows)
        stored = con.execute(f"""select model, publication_date::varchar, {', '.join(NUMBERS.values())}, link, paper_id
                                 from epoch_models order by source_row""").fetchall()
        assert con.execute("select count(*) from errors").fetchone() == (0,)
    for row, got in zip(rows, stored, strict=True):
        assert got[0] == ((row.get("Model") or row.get("System") or "").strip() or None)
        assert got[1] == (row["Publication date"] or None)
        for index, column in enumerate(NUMBERS, start=2):
            if column in row:
                assert got[index] == (float(row[column]) if row[column].strip() else None), (column, row[column])
        assert got[-2] == (row["Link"].strip() or None)
        if "arxiv.org/abs/" in row["Link"] or "arxiv.org/pdf/" in row["Link"]:
            assert got[-1] is not None and got[-1] in row["Link"]


@pytest.mark.corpus
def test_links_hardware_costs_and_both_namings(reference_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    paths = [str(reference_dir / "epoch" / name) for name in FILES]
    assert main(["import", "epoch", *paths, "--db", str(db)]) == 0
    with warehouse.connect_read_only(db) as con:
        assert dict(con.execute("select source_file, count(*) from epoch_models group by 1").fetchall()) == {
            name: rows for name, (rows, _) in FILES.items()}
        multi = con.execute("""select paper_id, len(links) from epoch_models
                               where link like 'https://huggingface.co/rinna/bilingual-gpt-neox-4b%'""").fetchone()
        assert multi == ("2404.01657", 2)  # several URLs in one cell: the arXiv one links
        two = con.execute("""select hardware from epoch_models
                             where training_hardware = 'NVIDIA M40,NVIDIA GeForce GTX TITAN X' limit 1""").fetchone()
        assert two == (["NVIDIA M40", "NVIDIA GeForce GTX TITAN X"],)
        costs = con.execute("""select cost_usd_year, count(training_compute_cost_usd) from epoch_models
                               where training_compute_cost_usd is not null group by 1 order by 1""").fetchall()
        assert [year for year, _ in costs] == [2020, 2023] and all(n > 50 for _, n in costs)  # "$6770000.00" parsed
        gpt3 = con.execute("""select training_compute_flop, parameters, hardware_quantity, training_hardware
                              from epoch_models where model = 'GPT-3 175B (davinci)'
                                and source_file = 'all_ml_systems_2025-08.csv'""").fetchone()
        assert gpt3[0] == pytest.approx(3.14e23) and gpt3[1] == 1.75e11
        linked = dict(con.execute("select source_file, count(paper_id) from epoch_models group by 1").fetchall())
        assert linked == {"all_ml_systems_2025-08.csv": 1013, "all_ml_systems_2024-02.csv": 626,
                          "notable_ai_models_2025-02-24.csv": 504, "large_scale_ai_models_2024-07.csv": 79}


@pytest.mark.corpus
def test_load_of_1892_rows(reference_dir: Path, con: duckdb.DuckDBPyConnection) -> None:
    table = read_epoch_csv(reference_dir / "epoch" / "all_ml_systems_2025-08.csv")
    counts = replace_epoch(con, table.records, naming=table.naming, source_file="a.csv")  # speed: benchmarks/
    assert counts.rows == 1892 and con.execute("select count(*) from epoch_models").fetchone() == (1892,)


def test_malformed_cells_are_reported_and_the_row_still_loads(tmp_path: Path,
                                                              con: duckdb.DuckDBPyConnection) -> None:
    path = tmp_path / "epoch.csv"
    path.write_text(
        "Model,Publication date,Link,Parameters,Training hardware,Hardware quantity,Training time (hours),"
        "Training compute (FLOP),Last modified\n"
        'A,2020-01-02,"https://example.org/a\nhttps://arxiv.org/abs/2001.90001v2",1.5e9,"NVIDIA V100,Google TPU v3",'
        "8,72,1e21,2024-01-22 14:05\n"
        "B,sometime,https://arxiv.org/pdf/2002.00002.pdf,lots,,,,,\n", "utf-8")
    table = read_epoch_csv(path)
    counts = replace_epoch(con, table.records, naming=table.naming, source_file=path.name, problems=table.problems)
    assert (counts.rows, counts.problems, counts.linked) == (2, 2, 2)
    rows = con.execute("""select model, source_row, paper_id, arxiv_ids, hardware, hardware_quantity, parameters,
                                 publication_date::varchar, last_modified::varchar from epoch_models order by 2""")
    assert rows.fetchall() == [
        ("A", 2, "2001.90001", ["2001.90001"], ["NVIDIA V100", "Google TPU v3"], 8.0, 1.5e9, "2020-01-02",
         "2024-01-22 14:05:00"),
        ("B", 4, "2002.00002", ["2002.00002"], [], None, None, None, None),  # the record starts on line 4
    ]
    assert sorted(con.execute("select source, message from errors").fetchall()) == [
        ("epoch.csv:4", "Parameters: 'lots' is not a number"),
        ("epoch.csv:4", "Publication date: 'sometime' is not a date")]
    # re-import replaces; a file without a Model/System column is refused and changes nothing
    replace_epoch(con, table.records, naming=table.naming, source_file=path.name)
    assert con.execute("select count(*) from epoch_models").fetchone() == (2,)
    (tmp_path / "other.csv").write_text("Name,Link\nx,y\n")
    assert main(["import", "epoch", str(tmp_path / "other.csv"), "--db", str(tmp_path / "x.duckdb")]) == 1


def test_absurd_values_and_control_characters_are_refused_cell_by_cell(tmp_path: Path,
                                                                      con: duckdb.DuckDBPyConnection) -> None:
    """Issue 14, item 5: negative, infinite, NaN and absurdly large amounts, and NUL / right-to-left
    override characters, become NULL and an `errors` row with file and line; the rows still load, and
    -8 chips x -100 h never becomes a plausible positive estimate."""
    path = tmp_path / "epoch.csv"
    path.write_text(
        "Model,Hardware quantity,Training time (hours),Training compute (FLOP),Organization\n"
        "neg,-8,-100,1e21,Lab\n"
        "inf,inf,nan,1e21,Lab\n"
        "huge,1e30,72,1e21,Lab\n"
        "ctl,8,72,1e21,Evil\x00Corp\u202egnp.exe\n"
        "fine,8,72,1e21,Lab\n", "utf-8")
    table = read_epoch_csv(path)
    counts = replace_epoch(con, table.records, naming=table.naming, source_file=path.name, problems=table.problems)
    assert (counts.rows, counts.problems) == (5, 6)
    rows = dict(((m, (q, h, o)) for m, q, h, o in con.execute(
        "select model, hardware_quantity, training_time_hours, organization from epoch_models").fetchall()))
    assert rows == {"neg": (None, None, "Lab"), "inf": (None, None, "Lab"), "huge": (None, 72.0, "Lab"),
                    "ctl": (8.0, 72.0, None), "fine": (8.0, 72.0, "Lab")}
    messages = sorted(con.execute("select source, message from errors").fetchall())
    assert ("epoch.csv:2", "Hardware quantity: '-8' is negative") in messages
    assert ("epoch.csv:4", "Hardware quantity: '1e30' is implausibly large (over 1e+07)") in messages
    assert any(source == "epoch.csv:5" and "control" in message for source, message in messages)
