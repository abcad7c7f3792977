"""The fixture server honours OAI-PMH `from=` / `until=` on a route flagged `oai_dates`, across the
recorded resumption chain; without the flag (the default fixtures) dates are ignored as recorded."""

from __future__ import annotations

import json
from pathlib import Path

from crawlers.fixture_server import FixtureServer
from crawlers.oai import parse_list_records, response_date
from crawlers.run import run_spider

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DATES = {"2401.50001": "2024-01-05", "2401.50002": "2024-02-10", "2401.50003": "2024-03-15",
         "2401.50004": "2024-04-20", "2401.50005": "2025-01-10"}


def _page(ids: list[str], token: str | None) -> str:
    records = "".join(
        f"<record><header><identifier>oai:arXiv.org:{i}</identifier><datestamp>{DATES[i]}</datestamp>"
        f"<setSpec>cs</setSpec></header><metadata><arXiv xmlns=\"http://arxiv.org/OAI/arXiv/\"><id>{i}</id>"
        f"<created>{DATES[i]}</created><title>Paper {i}</title><categories>cs.LG</categories></arXiv>"
        f"</metadata></record>" for i in ids)
    tail = f"<resumptionToken cursor=\"0\">{token}</resumptionToken>" if token else "<resumptionToken/>"
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\">"
            "<responseDate>2025-01-15T09:30:00Z</responseDate>"
            "<request verb=\"ListRecords\">https://oaipmh.arxiv.org/oai</request>"
            f"<ListRecords>{records}{tail}</ListRecords></OAI-PMH>")


def _site(tmp_path: Path, *, flagged: bool = True) -> Path:
    http = tmp_path / "site" / "http"
    (http / "oai").mkdir(parents=True)
    ids = sorted(DATES)
    pages = [(ids[0:2], "tok-2"), (ids[2:4], "tok-3"), (ids[4:], None)]
    routes = []
    for n, (chunk, token) in enumerate(pages, start=1):
        (http / "oai" / f"p{n}.xml").write_text(_page(chunk, token), "utf-8")
        query = {"verb": "ListRecords"} | ({"resumptionToken": f"tok-{n}"} if n > 1 else {})
        routes.append({"path": "/oai", "query": query, "file": f"oai/p{n}.xml"} | (
            {"oai_dates": True} if flagged and n == 1 else {}))
    (http / "routes.json").write_text(json.dumps(routes), "utf-8")
    return tmp_path / "site"


def _ids(body: bytes) -> list[str]:
    return [r["paper_id"] for r in parse_list_records(body).records]


def test_from_and_until_filter_the_whole_chain_into_one_page(tmp_path: Path) -> None:
    server = FixtureServer(_site(tmp_path))
    status, _, body = server.respond("/oai?verb=ListRecords&metadataPrefix=arXiv&set=cs&from=2024-02-10")
    page = parse_list_records(body)
    assert status == 200 and page.token is None
    assert _ids(body) == ["2401.50002", "2401.50003", "2401.50004", "2401.50005"]  # from is inclusive
    assert response_date(body) == "2025-01-15"
    _, _, body = server.respond("/oai?verb=ListRecords&from=2024-02-01&until=2024-03-15")
    assert _ids(body) == ["2401.50002", "2401.50003"]
    _, _, body = server.respond("/oai?verb=ListRecords&until=2024-01-31")
    assert _ids(body) == ["2401.50001"]


def test_nothing_in_range_is_no_records_match(tmp_path: Path) -> None:
    server = FixtureServer(_site(tmp_path))
    _, _, body = server.respond("/oai?verb=ListRecords&metadataPrefix=arXiv&set=cs&from=2025-01-15")
    page = parse_list_records(body)
    assert (page.error_code, page.records) == ("noRecordsMatch", [])
    assert response_date(body) == "2025-01-15"


def test_without_dates_or_without_the_flag_the_chain_is_served_as_recorded(tmp_path: Path) -> None:
    flagged = FixtureServer(_site(tmp_path))
    _, _, body = flagged.respond("/oai?verb=ListRecords&metadataPrefix=arXiv&set=cs")
    assert _ids(body) == ["2401.50001", "2401.50002"] and parse_list_records(body).token == "tok-2"
    plain = FixtureServer(_site(tmp_path / "plain", flagged=False))
    _, _, body = plain.respond("/oai?verb=ListRecords&from=2025-01-01")
    assert _ids(body) == ["2401.50001", "2401.50002"] and parse_list_records(body).token == "tok-2"
    default = FixtureServer(FIXTURES)
    status, _, body = default.respond("/oai?verb=ListRecords&metadataPrefix=arXiv&set=cs&from=2030-01-01")
    assert status == 200 and len(_ids(body)) == 19 and parse_list_records(body).token == "fixture-cs-arXiv-19"


def test_the_spider_harvests_only_what_changed_and_a_rerun_is_a_no_op(tmp_path: Path) -> None:
    settings = {"DOWNLOAD_DELAY": 0, "RETRY_BACKOFF_BASE": 0.1}
    with FixtureServer(_site(tmp_path)) as server:
        base = server.base_url
        full = run_spider("arxiv_oai", out=tmp_path / "a.jsonl", args={"base_url": base}, settings=settings)
        later = run_spider("arxiv_oai", out=tmp_path / "b.jsonl", args={"base_url": base, "from_date": "2024-04-01"},
                           settings=settings)
        none = run_spider("arxiv_oai", out=tmp_path / "c.jsonl", args={"base_url": base, "from_date": "2025-01-15"},
                          settings=settings)
    assert len(full.of_kind("oai_record")) == 5 and full.of_kind("harvest")[0]["pages"] == 3
    assert [r["paper_id"] for r in later.of_kind("oai_record")] == ["2401.50004", "2401.50005"]
    assert later.of_kind("harvest")[0]["pages"] == 1
    assert none.of_kind("oai_record") == []
    assert none.of_kind("harvest")[0] | {"kind": "harvest"} == {
        "kind": "harvest", "complete": True, "pages": 1, "records": 0, "from_date": "2025-01-15",
        "response_date": "2025-01-15"}
