"""Idempotent, parameterised loads: every write the pipeline makes goes through here."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb

from warehouse import sql, sql_corpus
from warehouse.names import benchmark_of, chips_of, metric_key, parse_number, percent_value
from warehouse.txn import rollback

logger = logging.getLogger(__name__)


def stable_id(*parts: object) -> str:
    """A deterministic id from its parts, so that reloading the same input hits the same key."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: commit on success, roll back on any exception."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        rollback(con)
        raise
    con.execute("COMMIT")


@dataclass(slots=True)
class PaperUpsert:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    versions: list[tuple[str, int]] = field(default_factory=list)


def upsert_papers(
    con: duckdb.DuckDBPyConnection, records: Iterable[Mapping[str, Any]], *, source: str,
    watermark: tuple[str, str] | None = None,
) -> PaperUpsert:
    """Insert new papers, update those with a newer (or equal) version; never duplicate.

    The batch is written by one statement (`sql.UPSERT_PAPERS`, the rows as one JSON parameter), not
    row by row. `watermark` (key, value) is stored in the same transaction: it advances only if every
    record is committed.
    """
    counts = PaperUpsert()
    seen = now()
    latest: dict[str, Mapping[str, Any]] = {}
    for rec in records:
        current = latest.get(rec["paper_id"])
        if current is None or int(rec["version"]) >= int(current["version"]):
            latest[rec["paper_id"]] = rec
    with transaction(con):
        stored = _stored_versions(con, list(latest))
        rows = []
        for paper_id, rec in latest.items():
            version, old = int(rec["version"]), stored.get(paper_id)
            if old is not None and old > version:  # an older version never overwrites a newer one
                counts.unchanged += 1
                continue
            if old is None:
                counts.new += 1
            elif old < version:
                counts.updated += 1
            else:
                counts.unchanged += 1
            rows.append(_paper_row(rec, version))
            counts.versions.append((paper_id, version))
        if rows:
            con.execute(sql.UPSERT_PAPERS, [json.dumps(rows, default=str), source, seen, seen])
        if watermark is not None:
            con.execute(sql.SET_STATE, [watermark[0], watermark[1], seen])
    return counts


def _stored_versions(con: duckdb.DuckDBPyConnection, paper_ids: list[str]) -> dict[str, int]:
    """The version stored for each of these papers that is known (one query for the batch)."""
    if not paper_ids:
        return {}
    return {str(pid): int(v) for pid, v in con.execute(sql.PAPER_VERSIONS, [paper_ids]).fetchall()}


def _paper_row(rec: Mapping[str, Any], version: int) -> dict[str, Any]:
    """One record as `sql.UPSERT_PAPERS` reads it from JSON (missing fields are NULL)."""
    row: dict[str, Any] = {name: rec.get(name) for name in PAPER_FIELDS}
    row["paper_id"], row["version"] = str(rec["paper_id"]), version
    row["authors"] = [str(a) for a in rec.get("authors") or []]
    row["categories"] = [str(c) for c in rec.get("categories") or []]
    return row


PAPER_FIELDS = ("title", "abstract", "primary_category", "published", "updated", "doi", "journal_ref",
                "comment", "pdf_url")


def papers_needing_pdf(con: duckdb.DuckDBPyConnection, *, limit: int | None = None) -> list[dict[str, Any]]:
    """Papers whose current version has no document yet (and was not refused for good: see `errors`)."""
    rows = con.execute(sql.PAPERS_NEEDING_PDF, [limit if limit is not None else 2**31 - 1]).fetchall()
    return [{"paper_id": r[0], "version": r[1], "pdf_url": r[2]} for r in rows]


def record_document(con: duckdb.DuckDBPyConnection, item: Mapping[str, Any]) -> None:
    """A downloaded PDF (content-addressed); a second download of the same bytes is a no-op."""
    con.execute(sql.INSERT_DOCUMENT, [
        item["sha256"], item["paper_id"], int(item["version"]), item["path"], item.get("url"),
        item.get("bytes"), now(),
    ])


def documents_to_parse(con: duckdb.DuckDBPyConnection, *, extractor_version: str) -> list[dict[str, Any]]:
    """Documents never parsed, or parsed by another extractor version."""
    rows = con.execute(sql.DOCUMENTS_TO_PARSE, [extractor_version]).fetchall()
    return [{"sha256": r[0], "paper_id": r[1], "version": r[2], "path": r[3]} for r in rows]


def _fact_rows(paper_id: str, sha: str, ext: Mapping[str, Any]) -> Iterator[tuple[str, list[Any]]]:
    version = ext.get("extractor_version") or "unknown"
    for run in ext.get("training_runs") or []:
        fid = stable_id(sha, "training_run", run.get("page"), run.get("char_start"), run.get("char_end"),
                        run.get("accelerator"), run.get("count"), run.get("hours"), run.get("phase"))
        yield "fact", [fid, paper_id, sha, "training_run", run.get("hours"),
                       json.dumps(run, sort_keys=True), "hours", run["page"], run["quote"],
                       run.get("char_start"), run.get("char_end"), run.get("confidence"), version]
        yield "run", [fid, paper_id, sha, run.get("label"), run.get("phase"), run.get("accelerator"),
                      run.get("accelerator_text"), run.get("count"), run.get("count_unit"),
                      chips_of(run.get("count"), run.get("count_unit")), run.get("hours"),
                      run.get("hours_text"), run["page"], run["quote"], run.get("confidence"), version]
    for res in ext.get("results") or []:
        fid = stable_id(sha, "result", res.get("page"), res.get("char_start"), res.get("dataset"),
                        res.get("metric"), res.get("value"), res.get("model"))
        yield "fact", [fid, paper_id, sha, "result", parse_number(res.get("value")),
                       json.dumps(res, sort_keys=True), res.get("metric"), res["page"], res["quote"],
                       res.get("char_start"), res.get("char_end"), res.get("confidence"), version]
        # the extractor's own tags (0.4.0 on); older extractions are tagged here the same way
        benchmark = res["benchmark"] if "benchmark" in res else benchmark_of(res.get("dataset"))
        key = res["metric_key"] if "metric_key" in res else metric_key(res.get("metric"), benchmark)
        yield "result", [fid, paper_id, "extracted", None, res.get("dataset"), benchmark, res.get("metric"), key,
                         percent_value(parse_number(res.get("value")), key, res.get("value"), benchmark),
                         str(res.get("value")), res.get("model"),
                         None, None, None, None, res["page"], res["quote"], res.get("confidence"),
                         sha, version, None, None]
    for fact in ext.get("facts") or []:
        fid = stable_id(sha, fact.get("kind"), fact.get("page"), fact.get("char_start"), fact.get("value"))
        value = fact.get("value")
        yield "fact", [fid, paper_id, sha, fact.get("kind"), parse_number(value) if value is not None else None,
                       None if value is None else str(value), fact.get("unit"), fact["page"], fact["quote"],
                       fact.get("char_start"), fact.get("char_end"), fact.get("confidence"), version]


def load_extraction(
    con: duckdb.DuckDBPyConnection, *, sha256: str, paper_id: str, extraction: Mapping[str, Any]
) -> int:
    """Replace everything extracted from one document by this extraction; returns facts loaded."""
    rows = list(_fact_rows(paper_id, sha256, extraction))
    statements = {"fact": sql.INSERT_FACT, "run": sql.INSERT_TRAINING_RUN, "result": sql.INSERT_RESULT}
    with transaction(con):
        for statement in sql.DELETE_EXTRACTED:
            con.execute(statement, [sha256])
        for kind, params in _dedupe(rows):
            con.execute(statements[kind], params)
        con.execute(sql.UPDATE_DOCUMENT_PARSED, [
            "error" if extraction.get("error") else "parsed", extraction.get("error"),
            extraction.get("pages"), extraction.get("extractor_version"), now(), sha256,
        ])
        if not extraction.get("error"):  # a parsed new version replaces the facts of the ones before it
            supersede_other_documents(con, paper_id=paper_id, sha256=sha256)
    return sum(1 for kind, _ in rows if kind == "fact")


def supersede_other_documents(con: duckdb.DuckDBPyConnection, *, paper_id: str, sha256: str) -> int:
    """Remove what the paper's other documents (earlier versions, other bytes) contributed, and mark
    them `superseded` (never parsed again); in the caller's transaction. Returns how many."""
    others = [row[0] for row in con.execute(sql_corpus.OTHER_DOCUMENTS, [paper_id, sha256]).fetchall()]
    for sha in others:
        for statement in sql.DELETE_EXTRACTED:
            con.execute(statement, [sha])
        con.execute(sql_corpus.SUPERSEDE_DOCUMENT, [sha])
    if others:
        logger.info("%s: %d earlier document(s) superseded by %s", paper_id, len(others), sha256[:12])
    return len(others)


def _dedupe(rows: list[tuple[str, list[Any]]]) -> list[tuple[str, list[Any]]]:
    seen: set[tuple[str, str]] = set()
    out = []
    for kind, params in rows:
        key = (kind, params[0])
        if key not in seen:
            seen.add(key)
            out.append((kind, params))
    return out
