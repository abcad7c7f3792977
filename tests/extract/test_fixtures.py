"""The synthetic offline corpus (``fixtures/corpus.json`` + ``fixtures/pdfs``): every expected training
run and result is found, and the deliberately broken PDFs give an error."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from extract import Extraction, extract_pdf
from tests.extract.conftest import FIXTURES

CHIPS_PER = {"tpu_device": 4.0, "tpu_core": 0.5}


def _entries() -> list[dict[str, Any]]:
    return json.loads((FIXTURES / "corpus.json").read_text())


@cache
def _extract(pdf: str) -> Extraction:
    return extract_pdf(FIXTURES / pdf)


def _chips(run: dict[str, Any]) -> float | None:
    count = run.get("count")
    return None if count is None else float(count) * CHIPS_PER.get(run.get("count_unit") or "", 1.0)


def _same_run(got: Any, want: dict[str, Any]) -> bool:
    if got.confidence < 0.5 or got.accelerator != want["accelerator"]:
        return False
    if want.get("count") is not None and _chips(got.to_dict()) != _chips(want):
        return False
    hours = want.get("hours")
    return hours is None or (got.hours is not None and abs(got.hours - hours) <= 0.1 * hours)


ENTRIES = _entries()


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["arxiv_id"] for e in ENTRIES])
def test_fixture_paper(entry: dict[str, Any]) -> None:
    x = _extract(entry["pdf"])
    assert x.sha256 == entry["sha256"]
    if entry.get("expect_error"):
        assert x.error and x.training_runs == () and x.results == ()
        return
    assert x.error is None and x.pages == entry["pages"]
    for want in entry["training_runs"]:
        assert any(_same_run(r, want) for r in x.training_runs), (want["quote"], x.training_runs)
    if not entry.get("states_training_hardware", True):
        assert not [
            r for r in x.training_runs if r.confidence >= 0.5 and (r.accelerator or r.accelerator_text)
        ]
    for want in entry["results"]:
        assert any(abs(r.value - want["value"]) <= 0.051 for r in x.results), (want["quote"], x.results)
    headline = [r for r in x.results if r.confidence >= 0.6]
    for want in (w for w in entry["results"] if w.get("headline")):
        assert any(
            abs(r.value - want["value"]) <= 0.051 and r.dataset == want["dataset"] for r in headline
        ), want
