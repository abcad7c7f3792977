from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawlers.errors import CrawlError
from crawlers.pwc_archive import arxiv_id_from_url, iter_evaluation_rows


def test_flattens_nested_tasks_and_datasets(tmp_path: Path) -> None:
    tasks = [{"task": "Image Classification", "datasets": [
        {"dataset": "ImageNet", "sota": {"metrics": ["Top 1 Accuracy"], "rows": [
            {"model_name": "Net", "paper_url": "https://arxiv.org/abs/2001.90001v2", "paper_date": "2020-01-02",
             "metrics": {"Top 1 Accuracy": "80.1%", "Top 5 Accuracy": "95.0"}}]},
         "subdatasets": [{"subdataset": "ImageNet ReaL", "sota": {"rows": [
             {"model_name": "Sub", "paper_url": "https://example.org/p", "metrics": {"Accuracy": "88"}}]}}]}],
        "subtasks": [{"task": "Fine-grained", "datasets": [{"dataset": "CUB", "sota": {"rows": [
            {"model_name": "F", "paper_url": "http://arxiv.org/pdf/1512.03385", "metrics": {"Accuracy": "90"}}]}}]}]}]
    path = tmp_path / "t.json"
    path.write_text(json.dumps(tasks))
    rows = list(iter_evaluation_rows(path))
    assert [(r["task"], r["dataset"], r["metric"], r["value"], r["paper_id"], r["source_row"]) for r in rows] == [
        ("Image Classification", "ImageNet", "Top 1 Accuracy", "80.1%", "2001.90001", 0),
        ("Image Classification", "ImageNet", "Top 5 Accuracy", "95.0", "2001.90001", 1),
        ("Image Classification", "ImageNet ReaL", "Accuracy", "88", None, 2),
        ("Fine-grained", "CUB", "Accuracy", "90", "1512.03385", 3),
    ]


def test_truncated_dump_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text('[{"task": "x", "datasets": [')
    with pytest.raises(CrawlError, match="cannot read evaluation tables"):
        list(iter_evaluation_rows(path))


def test_arxiv_ids_from_links() -> None:
    assert arxiv_id_from_url("https://arxiv.org/abs/1706.03762v5") == "1706.03762"
    assert arxiv_id_from_url("http://arxiv.org/abs/hep-th/9901001") == "hep-th/9901001"
    assert arxiv_id_from_url("https://openreview.net/forum?id=x") is None
