from __future__ import annotations

from pathlib import Path

import pytest

from crawlers.errors import CrawlError
from crawlers.oai import parse_list_records


@pytest.mark.corpus
def test_recorded_list_records_page(shared_dir: Path) -> None:
    page = parse_list_records((shared_dir / "reference/arxiv/oai/arxiv-physics-hep-ex.xml").read_bytes())
    assert len(page.records) == 3 and page.token is None
    first = page.records[0]
    assert first["paper_id"] == "1706.05371"
    assert first["published"] == "2017-06-16" and first["updated"] == "2017-12-12"
    assert first["authors"][:2] == ["Tyler Anderson", "Jacob Cutter"]
    assert first["title"].startswith("Evaluation of Silicon Photomultipliers")
    assert first["categories"] == ["physics.ins-det", "hep-ex"] and first["datestamp"] == "2017-12-14"


def test_resumption_token_and_errors() -> None:
    body = b"""<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>
    <record><header><identifier>oai:arXiv.org:2001.90001</identifier><datestamp>2020-01-03</datestamp></header>
    <metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>2001.90001</id><created>2020-01-02</created>
    <authors><author><keyname>Doe</keyname><forenames>Jane</forenames></author></authors><title>T</title>
    <categories>cs.LG stat.ML</categories></arXiv></metadata></record>
    <record><header status="deleted"><identifier>oai:arXiv.org:2001.90002</identifier></header></record>
    <resumptionToken cursor="0" completeListSize="5">tok-1</resumptionToken></ListRecords></OAI-PMH>"""
    page = parse_list_records(body)
    assert [r["paper_id"] for r in page.records] == ["2001.90001"]
    assert (page.token, page.complete_size) == ("tok-1", 5)
    assert page.records[0]["authors"] == ["Jane Doe"] and page.records[0]["primary_category"] == "cs.LG"
    err = parse_list_records(b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
                             b'<error code="noRecordsMatch">none</error></OAI-PMH>')
    assert (err.error_code, err.records) == ("noRecordsMatch", [])
    with pytest.raises(CrawlError, match="malformed OAI-PMH"):
        parse_list_records(body[:200])
