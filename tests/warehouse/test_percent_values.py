"""Scores printed as fractions reach the warehouse in percent, so the error rule 1 - score/100 holds."""

from __future__ import annotations

from pathlib import Path

import pytest

import warehouse
from warehouse.load import load_extraction
from warehouse.names import percent_value


@pytest.mark.parametrize(("value", "key", "text", "expected"), [
    (0.79, "top1", "0.790", 79.0), (0.945, "top5", "0.945", 94.5), (0.912, "f1", "0.912", 91.2),
    (79.0, "top1", "79.0", 79.0), (1.0, "top1", "1", 1.0), (0.5, "bleu", "0.5", 0.5), (0.3, None, "0.3", 0.3),
    (None, "top1", None, None),
])
def test_percent_value(value: float | None, key: str | None, text: str | None, expected: float | None) -> None:
    assert percent_value(value, key, text) == expected


def test_a_fraction_accuracy_becomes_a_percent_point(tmp_path: Path) -> None:
    result = {"dataset": "ImageNet", "metric": "top-1 accuracy", "value": 0.79, "model": "Xception", "page": 6,
              "quote": "Xception 0.790 0.945", "char_start": 0, "char_end": 20, "confidence": 0.7}
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        con.execute("insert into papers (paper_id, version, source, first_seen, last_seen) "
                    "values ('1610.02357', 1, 'local', now(), now())")
        con.execute("insert into documents (sha256, paper_id, version, path, parse_status) "
                    "values ('s', '1610.02357', 1, 'p', 'pending')")
        load_extraction(con, sha256="s", paper_id="1610.02357", extraction={
            "results": [result], "training_runs": [], "facts": [], "pages": 8, "extractor_version": "t"})
        row = con.execute("select value, value_text, metric_key, benchmark from results").fetchone()
    assert row == (79.0, "0.79", "top1", "imagenet")  # the quote keeps the printed text
