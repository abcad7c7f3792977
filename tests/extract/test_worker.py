"""``extract.worker.extract_many``: real child processes, real limits (no mocks).

A timeout, a memory-limit hit and a killed child each cost only their own document; the output keeps the
input order and every other document is extracted exactly as ``extract_pdf`` does in-process.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from extract import extract_pdf
from extract.worker import WorkerStats, extract_many

GOOD = [["We trained our models on one machine with 8 NVIDIA P100 GPUs.", "Training took 3.5 days."]]
SLOW_LINE = "We trained the model on 8 V100 GPUs for 3 days and reached 76.3 top-1 accuracy on ImageNet."


def _runs(d: dict) -> set[tuple[object, ...]]:
    return {(r["accelerator"], r["count"], r["hours"]) for r in d["training_runs"]}


@pytest.fixture(scope="module")
def slow_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 pages of training statements: several seconds of extraction."""
    from tests.extract.conftest import write_pdf

    return write_pdf(tmp_path_factory.mktemp("slow") / "slow.pdf", [[SLOW_LINE] * 50] * 200)


def test_order_errors_and_results_match_in_process_extraction(
    tmp_path: Path, make_pdf: Callable[..., Path]
) -> None:
    good = make_pdf(GOOD)
    other = make_pdf([["Each model was trained on 4 Tesla K80 GPUs for 2 weeks."]])
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7 broken")
    stats = WorkerStats()
    out = extract_many([str(good), str(bad), str(other)], workers=2, stats=stats)
    assert [d["pdf"] for d in out] == [str(good), str(bad), str(other)]
    assert out[0] == extract_pdf(good).to_dict() and out[2] == extract_pdf(other).to_dict()
    assert ("nvidia-p100", 8, 84.0) in _runs(out[0]) and ("nvidia-k80", 4, 336.0) in _runs(out[2])
    assert out[1]["error"].startswith("corrupt PDF")
    assert stats.documents == 3 and 0 < stats.max_peak_rss_mb < 500


def test_children_are_recycled(make_pdf: Callable[..., Path]) -> None:
    paths = [str(make_pdf(GOOD)) for _ in range(5)]
    stats = WorkerStats()
    out = extract_many(paths, workers=2, docs_per_child=2, stats=stats)
    assert all(d["error"] is None and ("nvidia-p100", 8, 84.0) in _runs(d) for d in out)
    assert stats.children >= 3 and len(stats.peak_rss_mb) == stats.children
    assert multiprocessing.active_children() == []


def test_tiny_timeout_gives_an_error(slow_pdf: Path) -> None:
    (d,) = extract_many([str(slow_pdf)], workers=1, timeout_s=0.01)
    assert d["error"] == "extraction timed out after 0.01 s"
    assert d["pdf"] == str(slow_pdf) and d["training_runs"] == [] and d["results"] == []


def test_timeout_costs_only_its_own_document(slow_pdf: Path, make_pdf: Callable[..., Path]) -> None:
    good = make_pdf(GOOD)
    t0 = time.monotonic()
    out = extract_many([str(slow_pdf), str(good), str(good)], workers=2, timeout_s=1.5)
    assert out[0]["error"] == "extraction timed out after 1.5 s"
    assert [d["error"] for d in out[1:]] == [None, None]
    assert all(("nvidia-p100", 8, 84.0) in _runs(d) for d in out[1:])
    assert time.monotonic() - t0 < 30


def test_memory_limit_costs_only_its_own_document(tmp_path: Path, make_pdf: Callable[..., Path]) -> None:
    good = make_pdf(GOOD)
    probe = WorkerStats()
    extract_many([str(good)], workers=1, stats=probe)
    assert probe.start_vm_mb > 0
    # a valid PDF padded with 80 MB of comment lines: reading it needs far more than 40 MB of headroom
    big = tmp_path / "padded.pdf"
    big.write_bytes(good.read_bytes() + (b"%" + b"x" * 99 + b"\n") * 800_000)
    limit = int(probe.start_vm_mb) + 40
    stats = WorkerStats()
    out = extract_many([str(good), str(big), str(good)], workers=1, memory_mb=limit, stats=stats)
    assert out[1]["error"] == f"extraction exceeded the {limit} MB memory limit"
    assert [out[0]["error"], out[2]["error"]] == [None, None]
    assert ("nvidia-p100", 8, 84.0) in _runs(out[2])
    assert stats.memory_errors == 1


def test_killed_worker_costs_only_its_own_document(tmp_path: Path, make_pdf: Callable[..., Path]) -> None:
    """The child blocks reading a FIFO (so we know it is busy with that document) and is then killed."""
    fifo = tmp_path / "stuck.pdf"
    os.mkfifo(fifo)
    good = make_pdf(GOOD)
    killed: list[int] = []

    def kill_reader() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:  # succeeds only once a reader (the child, busy with the FIFO) has it open
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as exc:
                assert exc.errno == errno.ENXIO
                time.sleep(0.05)
                continue
            for child in multiprocessing.active_children():
                os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
                killed.append(child.pid)  # type: ignore[arg-type]
            os.close(fd)
            return

    killer = threading.Thread(target=kill_reader)
    killer.start()
    stats = WorkerStats()
    out = extract_many([str(fifo), str(good)], workers=1, timeout_s=60, stats=stats)
    killer.join()
    assert killed
    assert out[0]["error"] == "extraction worker died (killed by SIGKILL)"
    assert out[1]["error"] is None and ("nvidia-p100", 8, 84.0) in _runs(out[1])
    assert stats.deaths == 1 and stats.children == 2


def test_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError):
        extract_many(["a.pdf"], workers=0)
    assert extract_many([]) == []
