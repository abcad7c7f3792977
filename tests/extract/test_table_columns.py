"""A table cell takes the metric and dataset of the header stacked above it, read from word positions:
kinds of table layout on synthetic PDFs (reportlab, cells placed by x), then the real tables they
come from (../shared/corpus)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from extract import extract_pdf
from extract.facts import Result
from tests.extract.conftest import SHARED

Cells = Sequence[tuple[float, str]]  # (x, text) of one line


def _table_pdf(path: Path, rows: Sequence[Cells | str], *, intro: str = "We propose NovaNet, our model.") -> Path:
    """Page 1: an introduction naming the own model; page 2: ``rows`` top down, a string is a left-aligned
    line (caption, section title), a list of (x, text) cells is a table line."""
    c = canvas.Canvas(str(path), pagesize=letter)
    c.setFont("Helvetica", 10)
    c.drawString(60, 740, intro)
    c.drawString(60, 726, "NovaNet is trained with standard settings and evaluated below.")
    c.showPage()
    c.setFont("Helvetica", 9)
    y = 740.0
    for row in rows:
        if isinstance(row, str):
            c.drawString(60, y, row)
        else:
            for x, text in row:
                c.drawString(x, y, text)
        y -= 13
    c.showPage()
    c.save()
    return path


def _own(path: Path) -> dict[float, Result]:
    return {r.value: r for r in extract_pdf(path).results if r.model and "NovaNet" in r.model and r.page == 2}


def test_a_group_title_spans_its_columns_and_a_cost_column_is_not_a_score(tmp_path: Path) -> None:
    pdf = _table_pdf(tmp_path / "t.pdf", [
        "Table 2: Translation quality on newstest2014.",
        [(60, "Model"), (200, "BLEU"), (300, "Training Cost (FLOPs)")],
        [(180, "EN-DE"), (225, "EN-FR"), (290, "EN-DE"), (345, "EN-FR")],
        [(60, "OtherNet [3]"), (182, "24.6"), (227, "39.9"), (292, "2.3"), (347, "1.4")],
        [(60, "NovaNet (big)"), (182, "28.4"), (227, "41.0"), (292, "3.3"), (347, "2.7")],
    ])
    got = _own(pdf)
    assert (got[28.4].metric, got[28.4].dataset, got[28.4].benchmark) == ("BLEU", "WMT2014 English-German",
                                                                         "wmt2014-en-de")
    assert (got[41.0].dataset, got[41.0].benchmark, got[41.0].metric_key) == ("WMT2014 English-French",
                                                                           "wmt2014-en-fr", "bleu")
    assert 3.3 not in got and 2.7 not in got  # training cost, not BLEU


def test_a_side_by_side_table_names_its_dataset_over_its_label_column(tmp_path: Path) -> None:
    pdf = _table_pdf(tmp_path / "t.pdf", [
        [(60, "SQuAD1.1"), (160, "EM"), (200, "F1"), (260, "SQuAD2.0"), (360, "EM"), (400, "F1")],
        "Test set results, with data augmentation and ensembles of several models",
        [(60, "Human [27]"), (158, "82.30"), (198, "91.22"), (260, "SG-Net [4]"), (358, "85.23"), (398, "87.93")],
        [(60, "NovaNet"), (158, "89.90"), (198, "95.08"), (260, "NovaNet"), (358, "86.35"), (398, "89.13")],
        "Table 2: Question answering.",
    ])
    got = _own(pdf)
    assert (got[89.9].metric, got[89.9].dataset) == ("EM", "SQuAD1.1")
    assert (got[95.08].metric, got[95.08].dataset) == ("F1", "SQuAD1.1")
    assert (got[86.35].metric, got[86.35].dataset) == ("EM", "SQuAD2.0")
    assert (got[89.13].metric, got[89.13].dataset) == ("F1", "SQuAD2.0")


def test_bare_topk_columns_under_an_error_caption_are_errors(tmp_path: Path) -> None:
    pdf = _table_pdf(tmp_path / "t.pdf", [
        "Table 3: Single-crop error rates (%) on the ImageNet validation set.",
        [(60, "Model"), (200, "top-1"), (250, "top-5")],
        [(60, "ResNet-50 [9]"), (202, "23.9"), (252, "7.1")],
        [(60, "NovaNet-50"), (202, "22.15"), (252, "6.12")],
    ])
    got = _own(pdf)
    assert (got[22.15].metric, got[22.15].dataset, got[22.15].metric_key) == ("top-1 error", "ImageNet", None)
    assert got[6.12].metric == "top-5 error"


def test_parameter_flop_and_latency_columns_are_not_scores(tmp_path: Path) -> None:
    pdf = _table_pdf(tmp_path / "t.pdf", [
        "Table 1: Results on ImageNet.",
        [(60, "Model"), (160, "#Params"), (210, "FLOPs"), (260, "Top-1 Acc. (%)"), (340, "Top-5 Acc. (%)"),
         (420, "Latency")],
        [(60, "MobileNetV2 [29]"), (162, "3.4"), (212, "300"), (262, "72.0"), (342, "91.0"), (422, "75")],
        [(60, "NovaNet-A1"), (162, "3.9"), (212, "312"), (262, "75.2"), (342, "92.5"), (422, "78")],
    ])
    got = _own(pdf)
    assert (got[75.2].metric, got[75.2].metric_key) == ("top-1 accuracy", "top1")
    assert (got[92.5].metric, got[92.5].metric_key) == ("top-5 accuracy", "top5")
    assert set(got) == {75.2, 92.5}


def test_ap50_and_ap75_columns_keep_their_names(tmp_path: Path) -> None:
    pdf = _table_pdf(tmp_path / "t.pdf", [
        "Table 4: Object detection on COCO test-dev.",
        [(60, "Method"), (200, "AP"), (240, "AP50"), (280, "AP75")],
        [(60, "RetinaNet [20]"), (200, "39.1"), (240, "59.1"), (280, "42.3")],
        [(60, "NovaNet-D7"), (200, "52.2"), (240, "71.4"), (280, "56.3")],
    ])
    got = _own(pdf)
    assert (got[52.2].metric, got[52.2].metric_key, got[52.2].benchmark) == ("AP", "box_ap", "coco")
    assert (got[71.4].metric, got[71.4].metric_key) == ("AP50", None)
    assert got[56.3].metric_key is None


CORPUS = SHARED / "corpus" / "pdfs"


def _results(name: str) -> list[Result]:
    return list(extract_pdf(CORPUS / name).results)


def _labels(results: list[Result], value: float) -> set[tuple[str | None, str | None]]:
    return {(r.metric, r.dataset) for r in results if r.value == value and r.confidence >= 0.6}


def test_a_dataset_column_without_a_metric_takes_the_datasets_convention(tmp_path: Path) -> None:
    pdf = _table_pdf(tmp_path / "t.pdf", [
        "Table 4: Results on the GLUE and code benchmarks.",
        [(60, "Model"), (200, "MNLI"), (250, "CoLA"), (300, "HumanEval"), (360, "MRPC")],
        [(60, "OtherNet [3]"), (202, "84.1"), (252, "52.1"), (302, "20.3"), (362, "88.0")],
        [(60, "NovaNet"), (202, "86.7"), (252, "60.5"), (302, "28.8"), (362, "89.3")],
    ])
    got = _own(pdf)
    assert (got[86.7].dataset, got[86.7].metric) == ("MNLI (MultiNLI)", "accuracy")
    assert (got[60.5].dataset, got[60.5].metric) == ("CoLA", "Matthews correlation")
    assert (got[28.8].dataset, got[28.8].metric) == ("HumanEval", "pass@1")
    assert (got[89.3].dataset, got[89.3].metric) == ("MRPC", None)  # F1 or accuracy: no convention


def test_a_centred_title_over_k_columns_names_each_pass_at_k(tmp_path: Path) -> None:
    pdf = _table_pdf(tmp_path / "t.pdf", [
        "Table 1: NovaNet evaluations for HumanEval.",
        [(258, "PASS@k")],
        [(200, "k = 1"), (260, "k = 10"), (320, "k = 100")],
        [(60, "OtherNet-2B"), (200, "4.79%"), (260, "7.47%"), (320, "16.30%")],
        [(60, "NovaNet-12B"), (200, "28.81%"), (260, "46.81%"), (320, "72.31%")],
    ])
    got = _own(pdf)
    assert [got[v].metric for v in (28.81, 46.81, 72.31)] == ["pass@1", "pass@10", "pass@100"]
    assert {got[v].dataset for v in (28.81, 46.81, 72.31)} == {"HumanEval"}


def test_a_table_of_models_as_columns_takes_the_own_models_column(tmp_path: Path) -> None:
    pdf = _table_pdf(tmp_path / "t.pdf", [
        "Table 3: Comparison with other base models.",
        [(60, "Benchmark (Metric)"), (200, "Llama 3"), (260, "OtherNet"), (330, "NovaNet")],
        [(200, "70B"), (260, "7B"), (330, "8B")],  # sizes under the names: a header line, not a row
        [(60, "Architecture"), (200, "Dense"), (260, "MoE"), (330, "MoE")],
        [(60, "# Total Params"), (200, "70B"), (260, "7B"), (330, "8B")],
        "English",
        [(60, "MMLU (Acc.)"), (200, "58.1"), (260, "54.8"), (330, "57.4")],
        [(60, "BBH (EM)"), (200, "60.2"), (260, "59.9"), (330, "61.5")],
        [(60, "HumanEval"), (200, "31.1"), (260, "27.4"), (330, "35.4")],
        [(60, "Params"), (200, "8.0"), (260, "7.1"), (330, "8.2")],
    ])
    got = _own(pdf)
    assert {v: (r.dataset, r.metric) for v, r in got.items()} == {
        57.4: ("MMLU", "accuracy"), 61.5: ("BBH (BIG-Bench Hard)", "EM"), 35.4: ("HumanEval", "pass@1")}


def test_cut_short_dataset_names_and_row_names_with_numbers(tmp_path: Path) -> None:
    """"HellaS" over a column is HellaSwag; a benchmark row "AIME 2024 (Pass@1)" keeps its year and metric;
    "MBPP(Pass@1)" glued to its bracket still names both."""
    pdf = _table_pdf(tmp_path / "t.pdf", [
        [(60, "Model"), (200, "HellaS"), (250, "WinoG"), (300, "HumanE")],
        [(60, "Llama 2 70B"), (200, "85.4%"), (250, "80.2%"), (300, "29.3%")],
        [(60, "NovaNet 8x7B"), (200, "84.4%"), (250, "77.2%"), (300, "40.2%")],
        "Table 2: Comparison with Llama on MMLU and other benchmarks.",
    ])
    got = _own(pdf)
    assert [(got[v].dataset, got[v].metric) for v in (84.4, 77.2, 40.2)] == [
        ("HellaSwag", "accuracy"), ("WinoGrande", "accuracy"), ("HumanEval", "pass@1")]
    pdf = _table_pdf(tmp_path / "u.pdf", [
        [(60, "Benchmark (Metric)"), (200, "OtherNet"), (260, "NovaNet")],
        [(60, "AIME 2024 (Pass@1)"), (200, "63.6"), (260, "79.8")],
        [(60, "MBPP(Pass@1) 3-shot"), (200, "57.4"), (260, "66.6")],
        "Table 4: Reasoning benchmarks.",
    ])
    got = _own(pdf)
    assert {v: (r.dataset, r.metric) for v, r in got.items()} == {79.8: ("AIME", "pass@1"), 66.6: ("MBPP", "pass@1")}


def test_names_split_over_header_lines_an_average_column_and_r1_of_a_summary(tmp_path: Path) -> None:
    """"hella" over "swag" is HellaSwag (not SWAG), "arc" over "challenge" ARC-Challenge; "avg." is the mean
    over the table's tasks, not the dataset to its left; "R1" of a summarisation set is ROUGE-1."""
    pdf = _table_pdf(tmp_path / "t.pdf", [
        "Table 6: Zero-shot evaluation of base models.",
        [(200, "arc"), (250, "hella"), (300, "wino")],
        [(60, "7B Models"), (350, "piqa"), (400, "avg.")],
        [(190, "challenge"), (250, "swag"), (300, "grande")],
        [(60, "Llama-7B"), (200, "44.5"), (250, "76.2"), (300, "68.3"), (350, "78.1"), (400, "66.8")],
        [(60, "NovaNet-7B"), (200, "48.5"), (250, "76.4"), (300, "67.9"), (350, "78.4"), (400, "67.8")],
    ])
    got = _own(pdf)
    assert [(got[v].dataset, got[v].metric) for v in (48.5, 76.4, 67.9, 78.4)] == [
        ("ARC-Challenge", "accuracy"), ("HellaSwag", "accuracy"), ("WinoGrande", "accuracy"), ("PIQA", "accuracy")]
    assert (got[67.8].dataset, got[67.8].metric) == ("average over the table's tasks", "average score")
    pdf = _table_pdf(tmp_path / "u.pdf", [
        "Table 4: Summarisation results.",
        [(60, "Model"), (200, "SAMSum"), (260, "XSum")],
        [(200, "R1"), (260, "R1")],
        [(60, "NovaNet"), (200, "53.8"), (260, "47.1")],
    ])
    assert {v: (r.dataset, r.metric) for v, r in _own(pdf).items()} == {
        53.8: ("SAMSum", "ROUGE-1"), 47.1: ("XSum", "ROUGE-1")}


@pytest.mark.corpus
def test_real_language_pairs_under_a_bleu_group_title() -> None:
    results = _results("AttentionIsAllYouNeed.pdf")
    assert ("BLEU", "WMT2014 English-French") in _labels(results, 41.0)
    assert ("BLEU", "WMT2014 English-German") not in _labels(results, 41.0)
    assert not any(r.value in (2.3, 3.3) and r.confidence >= 0.6 for r in results)  # FLOPs mantissas


@pytest.mark.corpus
def test_real_side_by_side_squad_table() -> None:
    results = _results("XLNet.pdf")
    assert _labels(results, 95.08) == {("F1", "SQuAD1.1")}
    assert ("F1", "SQuAD2.0") in _labels(results, 89.13)


@pytest.mark.corpus
def test_real_error_table_and_cost_columns() -> None:
    assert ("top-1 error", "ImageNet") in _labels(_results("DenseNet.pdf"), 22.15)
    mnas = _results("Tan_MnasNet_Platform-Aware_Neural_Architecture_Search_for_Mobile_CVPR_2019_paper.pdf")
    assert ("top-5 accuracy", "ImageNet") in {(r.metric, r.dataset) for r in mnas if r.value == 92.7}
    assert not any(r.value in (4.8, 84.0) for r in mnas)  # parameters (4.8M), latency (84ms)


@pytest.mark.corpus
def test_real_pass_at_k_table_of_a_code_model() -> None:
    pdf = next((SHARED / "corpus" / "recent" / "pdfs").glob("Evaluating_Large_Language_Models*.pdf"))
    got = {r.value: r for r in extract_pdf(pdf).results if r.page == 7}
    assert [(got[v].metric, got[v].dataset) for v in (28.81, 46.81, 72.31)] == [
        ("pass@1", "HumanEval"), ("pass@10", "HumanEval"), ("pass@100", "HumanEval")]
