"""Synthetic reference files of any length, shaped like Epoch AI's and Thompson et al.'s downloads
(their column names, realistic cells; every ``bad_every``-th row carries absurd amounts), written
line by line so that making them costs no memory. Used by the import-memory test and
benchmarks/bench_big_imports.py."""

from __future__ import annotations

import csv
from pathlib import Path

EPOCH_COLUMNS = (
    "Model", "Domain", "Task", "Organization", "Publication date", "Reference", "Link", "Parameters",
    "Training compute (FLOP)", "Training dataset size (datapoints)", "Epochs", "Training time (hours)",
    "Training hardware", "Hardware quantity", "Hardware utilization (MFU)", "Training compute cost (2023 USD)",
    "Confidence", "Model accessibility", "Training compute notes", "Frontier model",
)
THOMPSON_COLUMNS = (
    "name", "year", "parameters", "title", "paper_link", "flops", "training_epochs", "training_time_total",
    "training_time_total_sec", "training_gpu_model", "training_gpu_amount", "training_tpu_model",
    "training_tpu_amount", "training_time_tpu_core_days", "hardware_burden", "(TOP 1 score)", "(TOP 5 score)",
)
_GPUS = ("NVIDIA V100", "NVIDIA A100 SXM4 80 GB", "NVIDIA H100 SXM5 80GB", "Google TPU v3", "NVIDIA Tesla K80")


def write_epoch_csv(path: Path, rows: int, *, bad_every: int = 0) -> Path:
    """An Epoch models CSV of ``rows`` rows (~330 bytes each); with ``bad_every`` every such row has
    a negative hardware quantity and infinite hours (two rejected cells)."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(EPOCH_COLUMNS)
        for i in range(rows):
            bad = bad_every and i % bad_every == 0
            out.writerow((
                f"Model-{i}", "Language" if i % 3 else "Vision", "Language modeling", f"Lab {i % 97}",
                f"{2012 + i % 13}-{1 + i % 12:02d}-{1 + i % 28:02d}", f"A study of scale, part {i}",
                f"https://arxiv.org/abs/{15 + i % 10}{1 + i % 12:02d}.{i % 100000:05d}", f"{(i % 900 + 1) * 1e7:g}",
                f"{(i % 1000 + 1) * 1e19:g}", f"{(i % 50 + 1) * 1e9:g}", str(1 + i % 90),
                "inf" if bad else str(24 * (1 + i % 60)), _GPUS[i % len(_GPUS)], "-8" if bad else str(2 ** (i % 11)),
                f"0.{30 + i % 30}", f"{(i % 5000) * 100}", "Confident", "Open weights (unrestricted)",
                "6ND approximation with the stated tokens", "",
            ))
    return path


def write_thompson_csv(path: Path, rows: int, *, bad_every: int = 0) -> Path:
    """A Thompson per-benchmark CSV (header, three sub-header lines, data) of ``rows`` rows (~300 bytes
    each); with ``bad_every`` every such row has a negative GPU count and a number as its GPU model."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(THOMPSON_COLUMNS)
        for label in ("group", "short", "units"):
            out.writerow([label] + [""] * (len(THOMPSON_COLUMNS) - 1))
        for i in range(rows):
            bad = bad_every and i % bad_every == 0
            out.writerow((
                f"Net-{i}", str(2012 + i % 9), f"{(i % 900 + 1) * 1e5:g}", f"Deep networks at scale {i}",
                f"https://arxiv.org/abs/{15 + i % 6}{1 + i % 12:02d}.{i % 100000:05d}", f"{(i % 80 + 1) * 1e8:g}",
                str(90 + i % 300), f"{1 + i % 20} days", str(86400 * (1 + i % 20)),
                "314" if bad else "NVIDIA Tesla K80", "-8" if bad else str(2 ** (i % 7)), "", "", "",
                f"{(i % 1000 + 1) * 1e17:g}", f"{60 + (i % 300) / 10:.1f}", f"{80 + (i % 190) / 10:.1f}",
            ))
    return path
