"""Printed values of reference sources: metric cells, metric directions, arXiv links."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from crawlers.values import arxiv_id_from_url, arxiv_ids_in, metric_direction, parse_float, parse_metric_value


@pytest.mark.parametrize(("raw", "value", "unit"), [
    ("85.3", 85.3, None), ("85.3%", 85.3, "%"), ("76.5 %", 76.5, "%"), ("1,024", 1024.0, None),
    ("28.4 ± 0.1", 28.4, None), ("0.8428 ± 0.0014", 0.8428, None), ("**70.3**", 70.3, None),
    ("\ufeff93.3", 93.3, None), ("63.7*", 63.7, None), ("60.7+", 60.7, None), ("93.0/90.7", 93.0, None),
    ("17.1(16.1 with basic dynamic evaluation)", 17.1, None), ("24M", 24e6, "M"), ("~257M", 257e6, "M"),
    ("0.46B", 0.46e9, "B"), ("43B?", 43e9, "B"), ("220k", 220e3, "K"), ("3.0m", 3e6, "M"),
    ("1.2e-3", 1.2e-3, None), ("\u22121.5", -1.5, None), (81.3, 81.3, None), (58, 58.0, None),
])
def test_numeric_cells_parse(raw: object, value: float, unit: str | None) -> None:
    parsed = parse_metric_value(raw)
    assert parsed.value == pytest.approx(value)
    assert parsed.unit == unit
    assert parsed.raw is not None  # the printed text is kept


@pytest.mark.parametrize("raw", ["-", "--*", "", "\u2212", "Please tell us", "Yes", "?",
                                 "Stanford conversion **v3.5.0**", True])
def test_non_numeric_cells_keep_their_text(raw: object) -> None:
    parsed = parse_metric_value(raw)
    assert parsed.value is None and parsed.raw == str(raw)


def test_metric_direction() -> None:
    for metric in ("Top 1 Error", "Percentage error", "Perplexity", "Test perplexity", "FID", "WER", "Loss",
                   "Bits per Character (BPC)", "Model Entropy", "MAE"):
        assert metric_direction(metric) == "lower", metric
    for metric in ("Top 1 Accuracy", "F1", "EM", "BLEU score", "box AP", "AP50", "mean iou (class)", "ROC-AUC",
                   "ELO rating", "Percentage correct", "Score"):
        assert metric_direction(metric) == "higher", metric
    assert metric_direction("Parameters") is None and metric_direction(None) is None
    assert metric_direction("Parameters", is_loss=True) == "lower"  # the API's is_loss wins


def test_arxiv_links() -> None:
    assert arxiv_id_from_url("https://arxiv.org/pdf/2205.01917v1.pdf") == "2205.01917"
    assert arxiv_id_from_url("http://export.arxiv.org/abs/cs/9301114") == "cs/9301114"
    cell = ("https://huggingface.co/rinna/bilingual-gpt-neox-4b\n\nhttps://arxiv.org/abs/2404.01657, "
            "https://arxiv.org/pdf/2309.05463.pdf; https://arxiv.org/abs/2404.01657v2")
    assert arxiv_ids_in(cell) == ["2404.01657", "2309.05463"]
    assert arxiv_ids_in("https://openreview.net/forum?id=x") == [] and arxiv_ids_in(None) == []


def test_plain_numbers() -> None:
    assert parse_float(" 37065600000000000000.00 ") == 3.70656e19 and parse_float("1.35e+22") == 1.35e22
    assert parse_float("") is None and parse_float(None) is None
    with pytest.raises(ValueError):
        parse_float("$6770000.00")


def test_implausible_amounts_and_control_characters() -> None:
    from crawlers.values import control_characters, implausible

    assert implausible(float("nan")) == "is not a number" and implausible(float("inf")) == "is not finite"
    assert implausible(-8, "count") == "is negative" and implausible(-3.2, "log") is None
    assert implausible(1e30, "count") and implausible(1e24) is None and implausible(4096, "count") is None
    assert control_characters("Evil\x00Corp") and control_characters("abc\u202egnp.exe")
    assert control_characters("The 360 \u200b\u200bBrain Model") is None  # zero-width spaces are real text


def test_thompson_rows_with_absurd_amounts_are_refused_cell_by_cell(tmp_path: Path) -> None:
    from analysis.thompson import parse_thompson_csv

    path = tmp_path / "image-classification-on-imagenet.csv"
    path.write_text("name,training_gpu_amount,training_time_total_sec,training_gpu_model\n"
                    "group,,,\nshort,,,\nunits,,,\n"
                    "A,-8,-360000,V100\nB,1e30,inf,V100\nC,8,360000,V1\x0000\nD,8,360000,V100\n", "utf-8")
    parsed = parse_thompson_csv(path)
    reasons = {(p.line, p.column): p.reason for p in parsed.problems}
    assert reasons == {(5, "training_gpu_amount"): "is negative", (5, "training_time_total_sec"): "is negative",
                       (6, "training_gpu_amount"): "is implausibly large (over 1e+07)",
                       (6, "training_time_total_sec"): "is not finite",
                       (7, "training_gpu_model"): "holds control or bidirectional-override characters"}
    frame = parsed.frame.set_index("name")
    assert frame.loc["D", "training_gpu_amount"] == 8 and math.isnan(frame.loc["A", "training_gpu_amount"])
