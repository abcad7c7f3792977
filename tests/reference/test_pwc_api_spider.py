"""The `pwc_api` spider, run for real (subprocess, HTTP) against recorded Papers with Code API responses.

The routes serve ../shared/reference/pwc/api/ (a recorded `/papers/` page whose `next` names
paperswithcode.com, a paper, a results list, an empty page) plus the small composed pages in
tests/reference/pwc_api/ (page 2 of `/papers/`, `/evaluations/` with metrics and paginated results).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import warehouse
from crawlers.fixture_server import FixtureServer
from crawlers.pwc_archive import api_result_rows
from crawlers.run import run_spider
from flows.cli.reference import load_pwc_file

pytestmark = pytest.mark.corpus

COMPOSED = Path(__file__).resolve().parent / "pwc_api"
API = "/api/v1"
MISSING = "neural-networks-and-physical-systems-with"  # its results route is absent: HTTP 404


def _site(root: Path, shared: Path) -> tuple[Path, list[dict[str, Any]]]:
    http = root / "http"
    http.mkdir(parents=True)
    for path in [*sorted((shared / "reference/pwc/api").glob("*.json")), *sorted(COMPOSED.glob("*.json"))]:
        shutil.copy(path, http / path.name)
    papers = json.loads((http / "paper_list_response.json").read_text())["results"]
    papers += json.loads((http / "papers_page2.json").read_text())["results"]
    json_ct = {"Content-Type": "application/json"}
    routes: list[dict[str, Any]] = [
        {"path": f"{API}/papers/", "query": {}, "file": "paper_list_response.json", "headers": json_ct},
        {"path": f"{API}/papers/", "query": {"page": "2"}, "file": "papers_page2.json", "headers": json_ct},
        {"path": f"{API}/papers/generative-adversarial-networks/", "file": "paper_get_response.json"},
        {"path": f"{API}/evaluations/", "query": {}, "file": "evaluations_page1.json"},
        {"path": f"{API}/evaluations/", "query": {"page": "2"}, "file": "evaluations_page2.json"},
        {"path": f"{API}/evaluations/semantic-segmentation-on-cityscapes/metrics/", "file": "metrics_cityscapes.json"},
        {"path": f"{API}/evaluations/semantic-segmentation-on-cityscapes/results/", "file": "results_cityscapes.json"},
        {"path": f"{API}/evaluations/image-generation-on-cifar-10/metrics/", "file": "metrics_cifar10.json"},
        {"path": f"{API}/evaluations/image-generation-on-cifar-10/results/", "query": {},
         "file": "results_cifar10_page1.json"},
        {"path": f"{API}/evaluations/image-generation-on-cifar-10/results/", "query": {"page": "2"},
         "file": "results_cifar10_page2.json"},
    ]
    for paper in papers:
        if paper["id"] == MISSING:
            continue
        recorded = "paper_result_list.json" if paper["id"] == "hierarchical-multi-scale-attention-for" else (
            "paper_task_list_response.json")  # a recorded empty page
        routes.append({"path": f"{API}/papers/{paper['id']}/results/", "file": recorded})
    (http / "routes.json").write_text(json.dumps(routes))
    return root, papers


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> dict[str, Any]:
    root, papers = _site(tmp_path_factory.mktemp("pwc_site"), shared_dir)
    out = tmp_path_factory.mktemp("pwc_out") / "pwc_api.jsonl"
    with FixtureServer(root) as server:
        run = run_spider("pwc_api", out=out, args={"base_url": server.base_url + API},
                         settings={"DOWNLOAD_DELAY": 0}, timeout=300)
        requests = [(r.path, r.query, r.status) for r in server.requests]
    return {"run": run, "papers": papers, "requests": requests, "out": out}


def test_follows_next_on_its_own_host_through_every_listing(crawl: dict[str, Any]) -> None:
    requests = crawl["requests"]
    assert (f"{API}/papers/", {}, 200) in requests
    assert (f"{API}/papers/", {"items_per_page": "50", "page": "2"}, 200) in requests  # recorded `next`, rebased
    assert (f"{API}/evaluations/", {"page": "2"}, 200) in requests
    assert (f"{API}/evaluations/image-generation-on-cifar-10/results/", {"page": "2"}, 200) in requests
    assert (f"{API}/papers/generative-adversarial-networks/", {}, 200) in requests  # a result's unseen paper
    assert sum(1 for path, _, _ in requests if path.endswith("/results/") and "/papers/" in path) == 51


def test_records_papers_results_and_errors(crawl: dict[str, Any]) -> None:
    run = crawl["run"]
    papers = {p["id"]: p for p in run.of_kind("paper")}
    assert set(papers) == {p["id"] for p in crawl["papers"]} | {"generative-adversarial-networks"}
    for recorded in crawl["papers"]:
        assert papers[recorded["id"]]["arxiv_id"] == recorded["arxiv_id"]
        assert papers[recorded["id"]]["title"] == recorded["title"]
    assert papers["generative-adversarial-networks"]["arxiv_id"] == "1406.2661"
    results = run.of_kind("result")
    assert {r["id"] for r in results} == {"657bb1c5-de55-4afc-ba54-0af74eaab5e2",
                                          "a0db982b-68a8-4685-921d-a8a557304c85",
                                          "c0mp05ed-0000-4000-8000-000000000001",
                                          "c0mp05ed-0000-4000-8000-000000000002"}
    assert {m["name"]: m["is_loss"] for m in run.of_kind("metric")} == {
        "mean iou (class)": False, "FID": True, "Inception score": False}
    errors = run.of_kind("error")
    assert [(e["url"].split(API)[1], e["message"]) for e in errors] == [(f"/papers/{MISSING}/results/", "HTTP 404")]


def test_output_loads_into_results_as_pwc_api(crawl: dict[str, Any], tmp_path: Path) -> None:
    rows = list(api_result_rows(crawl["run"].records))
    assert len(rows) == 5  # 4 results, one with two metrics
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        counts = load_pwc_file(con, crawl["out"])
        assert (counts.source, counts.rows, counts.numeric) == ("pwc_api", 5, 4)
        assert load_pwc_file(con, crawl["out"]).rows == 5  # re-import: replaced, not duplicated
        got = {r[0]: r[1:] for r in con.execute("""
            select metric, paper_id, task, dataset, value, value_text, value_unit, metric_direction, model,
                   paper_date::varchar, source, source_file
            from results order by source_row""").fetchall()}
    assert got["mean iou (class)"] == ("2005.10821", "Semantic Segmentation", "Cityscapes test", 85.1, "85.1%", "%",
                                       "higher", "hrnet-ocr (hierarchical multi-scale attention)", "2020-05-21",
                                       "pwc_api", "pwc_api.jsonl")
    assert got["pq"][:4] == ("2005.10821", None, None, 17.6)  # only seen under its paper: no table
    fid = [v for k, v in got.items() if k == "FID"]
    assert fid[0][0] == "1406.2661" and fid[0][2] == "CIFAR-10" and fid[0][6] == "lower"  # the table's is_loss
    assert got["Inception score"][3:5] == (6.41, "6.41 ± 0.07")
