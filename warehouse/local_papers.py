"""Local PDFs as papers (`compute-limits add`), and one document per paper version.

A local PDF is keyed by its bytes (sha256): adding the same file again changes no row. Its paper id
is an arXiv id (stamped on page 1 or in the file name), an id the user gave, or `local:<sha[:12]>`.
A new version of a paper (a higher arXiv version, or new bytes under the same id) becomes the
paper's current version; once its document is parsed, `warehouse.load.supersede_other_documents`
removes what the earlier documents contributed, as an arXiv version replaces the one before it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import duckdb

from warehouse import sql_corpus as sql
from warehouse.load import now, transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LocalPdf:
    """One PDF to add, its identity already read (see `extract.paper_meta`)."""

    sha256: str
    path: str                       # in the PDF cache, relative to the data directory
    bytes: int
    origin: str                     # the file name it was added from
    paper_id: str
    version: int | None = None      # the arXiv version, when the PDF says it
    title: str | None = None
    year: int | None = None
    month: int | None = None


@dataclass(frozen=True, slots=True)
class Registered:
    paper_id: str
    version: int
    outcome: str                    # new | new_version | unchanged | older_version | same_version


def _published(pdf: LocalPdf) -> tuple[datetime | None, str | None]:
    if pdf.year is None:
        return None, None
    if pdf.month is not None:
        return datetime(pdf.year, pdf.month, 1), "month"
    return datetime(pdf.year, 1, 1), "year"


def register_local(con: duckdb.DuckDBPyConnection, pdf: LocalPdf) -> Registered:
    """Record a local PDF as a document of its paper (creating or advancing the paper). Idempotent."""
    known = con.execute(sql.DOCUMENT_BY_SHA, [pdf.sha256]).fetchone()
    if known is not None:
        return Registered(str(known[0]), int(known[1]), "unchanged")
    paper = con.execute(sql.PAPER_ROW, [pdf.paper_id]).fetchone()
    latest = con.execute(sql.MAX_DOCUMENT_VERSION, [pdf.paper_id]).fetchone()
    latest_doc = int(latest[0]) if latest and latest[0] is not None else 0
    current = int(paper[0]) if paper is not None else 0
    # Its version: the arXiv version it states, else one past every version seen (new bytes, no version).
    version = pdf.version if pdf.version is not None else max(current, latest_doc) + 1
    if pdf.version is not None and con.execute(sql.DOCUMENT_OF_VERSION, [pdf.paper_id, version]).fetchone():
        return Registered(pdf.paper_id, version, "same_version")  # that arXiv version is in, from other bytes
    published, precision = _published(pdf)
    ts = now()
    with transaction(con):
        if paper is None:
            con.execute(sql.INSERT_LOCAL_PAPER, [pdf.paper_id, version, pdf.title, published, precision, ts, ts])
            outcome = "new"
        elif version >= current:
            con.execute(sql.UPDATE_PAPER_VERSION, [version, pdf.title, precision, published, ts, pdf.paper_id])
            outcome = "new_version"
        else:
            outcome = "older_version"  # kept as a document, never parsed: the paper's current version is newer
        con.execute(sql.INSERT_LOCAL_DOCUMENT, [pdf.sha256, pdf.paper_id, version, pdf.path, pdf.bytes, ts,
                                                pdf.origin])
    return Registered(pdf.paper_id, version, outcome)

