"""The output records: provenance is mandatory, ``to_dict`` is the FORMAT.md object, round trips hold."""

from __future__ import annotations

import json

import pytest

from extract import EXTRACTOR_VERSION, Extraction, Fact, Result, TrainingRun

RUN = dict(
    label="Transformer (big)",
    phase="training",
    accelerator="nvidia-p100",
    accelerator_text="P100 GPUs",
    count=8,
    count_unit="gpu",
    hours=84.0,
    hours_text="3.5 days",
    page=7,
    quote="Training took 3.5 days.",
    char_start=10,
    char_end=33,
    confidence=0.9,
)

RUN_KEYS = {
    "label",
    "phase",
    "accelerator",
    "accelerator_text",
    "count",
    "count_unit",
    "hours",
    "hours_text",
    "page",
    "quote",
    "char_start",
    "char_end",
    "confidence",
    "dataset",
}
RESULT_KEYS = {"dataset", "metric", "value", "model", "page", "quote", "char_start", "char_end", "confidence",
               "benchmark", "metric_key"}
FACT_KEYS = {"kind", "value", "unit", "page", "quote", "char_start", "char_end", "confidence"}
TOP_KEYS = {"pdf", "sha256", "pages", "training_runs", "results", "facts", "error", "extractor_version"}


@pytest.mark.parametrize(("field", "value"), [("page", None), ("page", 0), ("quote", ""), ("quote", None)])
def test_no_provenance_no_record(field: str, value: object) -> None:
    with pytest.raises(ValueError):
        TrainingRun(**{**RUN, field: value})
    with pytest.raises(ValueError):
        Result(
            dataset="COCO",
            metric="AP",
            value=40.0,
            model="x",
            page=value if field == "page" else 1,
            quote=value if field == "quote" else "q",
        )  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Fact(
            kind="epochs",
            value=90,
            unit="epochs",
            page=value if field == "page" else 1,
            quote=value if field == "quote" else "q",
        )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phase", "inference"),
        ("accelerator", "V100"),
        ("count_unit", "gpus"),
        ("count", 0),
        ("hours", -1.0),
        ("confidence", 1.5),
        ("char_end", 5),
    ],
)
def test_invalid_values_are_rejected(field: str, value: object) -> None:
    with pytest.raises(ValueError):
        TrainingRun(**{**RUN, field: value})


def test_to_dict_is_the_extractor_output_format_and_round_trips() -> None:
    x = Extraction(
        pdf="pdfs/1706.03762.pdf",
        sha256="ab" * 32,
        pages=11,
        training_runs=(TrainingRun(**RUN),),
        results=(
            Result(
                dataset="WMT2014 English-German",
                metric="BLEU",
                value=28.4,
                model="Transformer (big)",
                page=8,
                quote="28.4 BLEU",
                confidence=0.8,
            ),
        ),
        facts=(Fact(kind="parameters", value=213e6, unit="parameters", page=9, quote="213M parameters"),),
    )
    d = x.to_dict()
    assert set(d) == TOP_KEYS
    assert set(d["training_runs"][0]) == RUN_KEYS
    assert set(d["results"][0]) == RESULT_KEYS
    assert set(d["facts"][0]) == FACT_KEYS
    assert d["extractor_version"] == EXTRACTOR_VERSION and d["error"] is None
    back = Extraction.from_dict(json.loads(json.dumps(d)))
    assert back == x and back.to_dict() == d


def test_extraction_is_frozen() -> None:
    x = Extraction(pdf="a.pdf", sha256=None, pages=0, error="not a PDF: empty file (0 bytes)")
    with pytest.raises(AttributeError):
        x.pages = 3  # type: ignore[misc]
