"""`v_source_comparison`: per arXiv id, each source's hardware, count, hours and compute side by side."""

from __future__ import annotations

from pathlib import Path

import pytest

import warehouse
from flows.cli import main
from warehouse import load
from warehouse.estimates import refresh_compute_estimates
from warehouse.reference import source_counts, source_links

pytestmark = pytest.mark.corpus

EPOCH = ("all_ml_systems_2025-08.csv", "all_ml_systems_2024-02.csv", "notable_ai_models_2025-02-24.csv",
         "large_scale_ai_models_2024-07.csv")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("cmp") / "w.duckdb"
    ref = shared_dir / "reference"
    assert main(["import", "thompson", str(ref / "thompson"), "--db", str(path)]) == 0
    assert main(["import", "epoch", *(str(ref / "epoch" / n) for n in EPOCH), "--db", str(path)]) == 0
    assert main(["import", "pwc", str(ref / "pwc" / "evaluation-tables"), "--db", str(path)]) == 1  # one bad file
    # an extracted paper that Thompson et al. and Epoch also hold (LSTM-CNN-CRF, arXiv 1603.01354)
    with warehouse.connect(path) as con:
        load.upsert_papers(con, [{"paper_id": "1603.01354", "version": 1, "title": "End-to-end Sequence Labeling"}],
                           source="test")
        load.record_document(con, {"sha256": "b" * 64, "paper_id": "1603.01354", "version": 1, "path": "x.pdf"})
        load.load_extraction(con, sha256="b" * 64, paper_id="1603.01354", extraction={
            "pages": 9, "extractor_version": "test", "results": [], "facts": [],
            "training_runs": [{"phase": "training", "accelerator": "nvidia-titan-x",
                               "accelerator_text": "GeForce GTX TITAN X", "count": 1, "count_unit": "gpu",
                               "hours": 12.0, "page": 6, "quote": "12 hours on a single GeForce GTX TITAN X GPU",
                               "confidence": 0.9}]})
        refresh_compute_estimates(con)
    return path


def test_row_counts_per_source(db: Path) -> None:
    with warehouse.connect_read_only(db) as con:
        assert source_counts(con) == {"results:pwc": 6747, "thompson_models": 516, "epoch_models": 4086}


def test_papers_linked_across_sources(db: Path) -> None:
    with warehouse.connect_read_only(db) as con:
        links = source_links(con)
        assert links == {"extracted": 1, "thompson": 331, "epoch": 1002, "pwc": 428, "thompson_epoch": 74,
                         "thompson_pwc": 50, "epoch_pwc": 71, "thompson_epoch_pwc": 21, "extracted_thompson_epoch": 1}
        assert con.execute("select count(*), count(distinct paper_id) from v_source_comparison").fetchone() == (
            con.execute("select count(distinct paper_id) from v_source_comparison").fetchone()[0],) * 2


def test_one_paper_from_three_sources_side_by_side(db: Path) -> None:
    with warehouse.connect_read_only(db) as con:
        cursor = con.execute("select * from v_source_comparison where paper_id = '1603.01354'")
        row = dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))
    assert row["in_extracted"] and row["in_thompson"] and row["in_epoch"] and row["in_pwc"]
    assert (row["extracted_count"], row["extracted_hours"]) == (1.0, 12.0)
    assert row["extracted_hardware"] == "GeForce GTX Titan X (Maxwell)"
    assert row["extracted_hardware_burden"] == pytest.approx(1 * 11.0e12 * 12 * 3600)  # Thompson's Titan X peak
    assert (row["thompson_hardware"], row["thompson_count"], row["thompson_hours"]) == ("GeForce GTX Titan X", 1.0, 8.0)
    assert row["thompson_benchmarks"] == "conll2003" and row["thompson_hardware_burden"] == 3.16e17
    assert (row["epoch_hardware"], row["epoch_count"], row["epoch_hours"]) == ("NVIDIA GeForce GTX TITAN X", 1.0, 12.0)
    assert row["epoch_compute"] == pytest.approx(1.454112e17) and row["epoch_rows"] >= 2
