"""The backfill queue's stages: queue ids (`enqueue_ids`), look up a budget of them (`drain_queue`),
settle them once their PDFs are parsed (`settle_queue`). Plain functions, called by the Prefect tasks
of `flows.pipeline` in the `backfill` and `ingest` flows.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import warehouse
from flows import progress
from flows.crawl import Endpoint, lookup_ids, refuse_foreign_links
from flows.settings import Settings
from warehouse import backfill as queue
from warehouse import load, records

logger = logging.getLogger(__name__)


def read_id_file(path: Path) -> list[str]:
    """One arXiv id per line (blank lines and `#` comments skipped; `arXiv:` prefixes and versions allowed)."""
    from crawlers.atom import split_arxiv_id

    ids = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].strip()
        if text:
            ids.append(split_arxiv_id(text.removeprefix("arXiv:").removeprefix("arxiv:"))[0])
    return ids


def enqueue_ids(settings: Settings, *, sources: Sequence[str], id_file: Path | None,
                benchmarks: Sequence[str]) -> dict[str, Any]:
    """Queue the ids of the chosen reference sources (and of a file: those first)."""
    counts: dict[str, Any] = {}
    with warehouse.connect(settings.db) as con:
        if sources:
            named = queue.reference_ids(con, sources)
            got = queue.enqueue(con, named, benchmarks=benchmarks)
            counts |= {"backfill_named": got.named, "backfill_already": got.already}
        if id_file is not None:
            ids = read_id_file(id_file)
            got = queue.enqueue(con, {i: ({"file"}, set()) for i in ids}, first=True)
            counts["backfill_named"] = counts.get("backfill_named", 0) + got.named
            counts["backfill_already"] = counts.get("backfill_already", 0) + got.already
        counts["queue"] = queue.queue_counts(con)
    return counts


def drain_queue(settings: Settings, endpoint: Endpoint, *, run_id: str, budget: int) -> dict[str, Any]:
    """Look up to `budget` queued ids; found ones become papers (their PDFs then wait for the download
    stage), unknown ones `not_found`; a failed lookup batch counts an attempt and stays queued."""
    with warehouse.connect(settings.db) as con:
        ids = queue.next_batch(con, budget)
    if not ids:
        return {"backfill_looked_up": 0, "backfill_found": 0, "backfill_errors": 0}
    progress.current().stage("look up backfill ids", len(ids))
    looked = lookup_ids(settings, endpoint, ids)
    progress.current().advance(len(ids))
    foreign = refuse_foreign_links(looked.found, settings)
    with warehouse.connect(settings.db) as con:
        upsert = load.upsert_papers(con, looked.found, source="backfill")
        with load.transaction(con):
            for rec in looked.found:
                queue.mark(con, [rec["paper_id"]], "found", version=int(rec["version"]))
                records.resolve_errors(con, stage="backfill", source=rec["paper_id"], run_id=run_id)
            queue.mark(con, looked.missing, "not_found", error="arXiv does not know this id")
            for paper_id, message in looked.refused.items():
                queue.mark(con, [paper_id], "refused", error=message)
            for paper_id, message in looked.failed.items():
                queue.count_attempt(con, [paper_id], message)
                records.record_error(con, stage="backfill", source=paper_id, message=message, retryable=True,
                                     run_id=run_id)
            for paper_id, message in foreign.items():
                records.record_error(con, stage="backfill", source=paper_id, message=message, retryable=False,
                                     run_id=run_id)
    logger.info("backfill: %d ids looked up, %d found, %d not found, %d failed", len(ids), len(looked.found),
                len(looked.missing), len(looked.failed))
    return {"backfill_looked_up": len(ids), "backfill_found": len(looked.found),
            "backfill_not_found": len(looked.missing), "backfill_new_papers": upsert.new,
            "backfill_errors": len(looked.failed) + len(foreign) + len(looked.refused)}


def settle_queue(settings: Settings) -> dict[str, Any]:
    """Found ids whose PDF is in and parsed are done; see `warehouse.backfill.settle`."""
    with warehouse.connect(settings.db) as con:
        return {"queue": queue.settle(con)}
