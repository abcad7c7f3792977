"""Tables in real PDFs made with reportlab: training-time tables (pdfplumber word boxes) and results."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from extract import extract_pdf

TITLE = "GateNet: Gated Residual Networks for Image Classification"


def _table_pdf(path: Path, header: list[str], rows: list[list[str]], caption: str, prose: list[str]) -> Path:
    """Title, prose, then a table drawn cell by cell at fixed column x positions (as LaTeX does)."""
    c = canvas.Canvas(str(path), pagesize=letter)
    c.setFont("Helvetica", 14)
    c.drawString(60, 740, TITLE)
    c.setFont("Helvetica", 10)
    y = 700
    for line in prose:
        c.drawString(60, y, line)
        y -= 14
    y -= 20
    xs = [60 + 95 * k for k in range(len(header))]
    for k, word in enumerate(header):
        c.drawString(xs[k], y, word)
    c.line(55, y - 4, xs[-1] + 80, y - 4)
    for row in rows:
        y -= 15
        for k, cell in enumerate(row):
            c.drawString(xs[k], y, cell)
    y -= 22
    c.drawString(60, y, caption)
    c.showPage()
    c.save()
    return path


def test_hours_column_with_device_column(tmp_path: Path) -> None:
    p = _table_pdf(
        tmp_path / "t.pdf",
        ["Model", "Updates", "Hours", "GPU", "BLEU"],
        [
            ["GateNet-S", "8.46", "109", "TITAN BLACK", "28.1"],
            ["GateNet-L", "6.00", "252", "Quadro K-6000", "30.2"],
        ],
        "Table 2: Learning statistics of our models.",
        ["We propose GateNet, a gated residual network. GateNet is simple."],
    )
    x = extract_pdf(p)
    assert x.error is None
    runs = {(r.label, r.accelerator, r.hours) for r in x.training_runs}
    assert ("GateNet-S", "nvidia-titan-black", 109.0) in runs
    assert ("GateNet-L", "nvidia-quadro-k6000", 252.0) in runs


def test_hours_column_with_count_column(tmp_path: Path) -> None:
    p = _table_pdf(
        tmp_path / "t.pdf",
        ["Model", "Hardware", "GPUs", "Time (h)"],
        [["GateNet-S", "Tesla V100", "8", "30"], ["GateNet-L", "Tesla V100", "32", "70"]],
        "Table 1: Training cost of our models. Time is wall-clock hours.",
        ["Table 1 lists the hardware and the wall-clock training time of each model."],
    )
    runs = {(r.accelerator, r.count, r.count_unit, r.hours) for r in extract_pdf(p).training_runs}
    assert {("nvidia-v100", 8, "gpu", 30.0), ("nvidia-v100", 32, "gpu", 70.0)} <= runs


def test_time_cells_with_units(tmp_path: Path) -> None:
    p = _table_pdf(
        tmp_path / "t.pdf",
        ["Method", "CIFAR10+", "CIFAR100+", "SVHN"],
        [["Constant Depth", "20h 42m", "20h 51m", "33h 43m"], ["GateNet", "15h 7m", "15h 20m", "25h 33m"]],
        "Table 2. Training time comparison on benchmark datasets.",
        ["We report the training time of each model."],
    )
    hours = sorted(r.hours for r in extract_pdf(p).training_runs if r.hours)
    assert hours == sorted([20.7, 20.85, 33.717, 15.117, 15.333, 25.55])


def test_per_epoch_time_table_is_not_a_training_time(tmp_path: Path) -> None:
    p = _table_pdf(
        tmp_path / "t.pdf",
        ["Model", "Time/epoch", "Top-1", "Top-5"],
        [["ResNet-50", "4.4 min", "76.21", "92.97"], ["GateNet", "13.3 min", "77.87", "93.70"]],
        "Table 3: Comparison of the training time and validation accuracy.",
        ["Our models are trained with mixed precision."],
    )
    assert [r.hours for r in extract_pdf(p).training_runs if r.hours] == []


def test_results_table_rows_of_own_model(tmp_path: Path) -> None:
    p = _table_pdf(
        tmp_path / "t.pdf",
        ["Method", "Params", "Top-1 err.", "Top-5 err."],
        [
            ["ResNet-50 [12]", "25.6M", "24.70", "7.80"],
            ["GateNet-50 (ours)", "26.1M", "22.10", "6.05"],
            ["GateNet-101", "44.2M", "21.05", "5.51"],
        ],
        "Table 4: Single-crop error rates (%) on the ImageNet validation set.",
        ["We propose GateNet, a gated residual network. GateNet is simple and GateNet is fast."],
    )
    results = extract_pdf(p).results
    got = {(r.value, r.metric, r.dataset) for r in results}
    assert {
        (22.10, "top-1 error", "ImageNet"),
        (6.05, "top-5 error", "ImageNet"),
        (21.05, "top-1 error", "ImageNet"),
    } <= got
    assert 24.70 not in {r.value for r in results}  # the baseline row is not the paper's result
    assert 25.6 not in {r.value for r in results} and 26.1 not in {
        r.value for r in results
    }  # parameter counts


def test_results_from_prose(make_pdf: Callable[..., Path]) -> None:
    p = make_pdf(
        [
            [
                TITLE,
                "Abstract",
                "We propose GateNet, a gated residual network.",
                "GateNet achieves 84.4% top-1 accuracy on ImageNet, and our big model",
                "obtains a BLEU score of 28.4 on WMT 2014 English-German.",
            ]
        ]
    )
    got = {(r.value, r.metric) for r in extract_pdf(p).results}
    assert {(84.4, "top-1 accuracy"), (28.4, "BLEU")} <= got


def test_worked_example_with_hours_is_not_a_time_table(tmp_path: Path) -> None:
    """A sentence with a duration ("3 hours at 10 mph") above a line of arithmetic is prose, not the
    header of an hours column: no training time comes from a model's worked answer."""
    p = _table_pdf(
        tmp_path / "t.pdf",
        ["He", "travels", "3", "hours", "at 10 mph", "means he travels"],
        [["3", "*", "10", "=", "30 miles.", "He then travels"]],
        "Table 9: Example outputs of the model on word problems.",
        ["We propose GateNet, a gated residual network. GateNet is simple."],
    )
    x = extract_pdf(p)
    assert x.error is None
    assert [r.hours for r in x.training_runs if r.hours is not None] == []


def test_hours_column_next_to_prose_like_column_names(tmp_path: Path) -> None:
    """A header with lowercase column names ("dec. type ft hours speedup") still names an hours column, an
    empty cell ("-") ends its row, and the row of the paper's own model outranks the alternatives'."""
    p = _table_pdf(
        tmp_path / "t.pdf",
        ["dec. type", "ft", "hours", "speedup"],
        [["UNet", "83.7", "12.9", "-"], ["GateNet", "83.7", "7.7", "1.7x"]],
        "Table 1: Decoder design.",
        ["We propose GateNet, a gated residual network. GateNet is simple."],
    )
    x = extract_pdf(p)
    assert x.error is None
    conf = {r.hours: r.confidence for r in x.training_runs}
    assert conf[7.7] >= 0.5 > conf[12.9]
