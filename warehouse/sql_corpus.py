"""SQL of the corpus: local papers (`compute-limits add`), versions superseded, the backfill queue."""

from __future__ import annotations

DOCUMENT_BY_SHA = "SELECT paper_id, version FROM documents WHERE sha256 = ?"

PAPER_ROW = "SELECT version, source FROM papers WHERE paper_id = ?"

DOCUMENT_OF_VERSION = "SELECT sha256 FROM documents WHERE paper_id = ? AND version = ?"

MAX_DOCUMENT_VERSION = "SELECT max(version) FROM documents WHERE paper_id = ?"

INSERT_LOCAL_PAPER = """
INSERT INTO papers (paper_id, version, title, published, published_precision, source, first_seen, last_seen)
VALUES (?, ?, ?, ?, ?, 'local', ?, ?)
"""

# A newer version of a paper already known: only the version moves (and a local paper's own guesses
# fill what is still empty); arXiv's metadata, where the crawl brought it, is kept.
UPDATE_PAPER_VERSION = """
UPDATE papers SET version = ?, title = coalesce(title, ?),
    published_precision = CASE WHEN published IS NULL THEN ? ELSE published_precision END,
    published = coalesce(published, ?), last_seen = ?
WHERE paper_id = ?
"""

INSERT_LOCAL_DOCUMENT = """
INSERT INTO documents (sha256, paper_id, version, path, url, bytes, parse_status, fetched_at, origin)
VALUES (?, ?, ?, ?, NULL, ?, 'pending', ?, ?)
ON CONFLICT (sha256) DO NOTHING
"""

# Once a paper's current document is loaded, the facts of its other documents (older versions, or
# other bytes of the same version) are gone, as an arXiv version replaces the one before it.
OTHER_DOCUMENTS = "SELECT sha256 FROM documents WHERE paper_id = ? AND sha256 <> ? AND parse_status <> 'superseded'"
SUPERSEDE_DOCUMENT = "UPDATE documents SET parse_status = 'superseded' WHERE sha256 = ?"

# --- the backfill queue --------------------------------------------------------------------------

# Every arXiv id each reference source names, with the benchmarks its rows report.
REFERENCE_IDS = {
    "thompson": """
        SELECT paper_id, list(DISTINCT benchmark) FILTER (WHERE benchmark IS NOT NULL) AS benchmarks
        FROM thompson_models WHERE paper_id IS NOT NULL GROUP BY paper_id
    """,
    "epoch": """
        SELECT DISTINCT paper_id, []::VARCHAR[] AS benchmarks
        FROM (SELECT unnest(arxiv_ids) AS paper_id FROM epoch_models) WHERE paper_id IS NOT NULL
    """,
    "pwc": """
        SELECT paper_id, list(DISTINCT benchmark) FILTER (WHERE benchmark IS NOT NULL) AS benchmarks
        FROM results WHERE source IN ('pwc', 'pwc_api') AND paper_id IS NOT NULL GROUP BY paper_id
    """,
}

ENQUEUE = """
INSERT INTO backfill_queue (paper_id, sources, benchmarks, priority, state, attempts, last_error, version,
                            queued_at, updated_at)
VALUES (?, ?, ?, ?, ?, 0, NULL, NULL, ?, ?)
ON CONFLICT (paper_id) DO UPDATE SET
    sources = list_sort(list_distinct(list_concat(backfill_queue.sources, excluded.sources))),
    benchmarks = list_sort(list_distinct(list_concat(coalesce(backfill_queue.benchmarks, []),
                                                     coalesce(excluded.benchmarks, [])))),
    priority = least(backfill_queue.priority, excluded.priority),
    updated_at = CASE WHEN excluded.priority < backfill_queue.priority THEN excluded.updated_at
                      ELSE backfill_queue.updated_at END
"""

# Papers that already have a document of their current version need no backfill.
HAVE_DOCUMENT = """
SELECT p.paper_id FROM papers p JOIN documents d ON d.paper_id = p.paper_id AND d.version = p.version
"""

NEXT_QUEUED = """
SELECT paper_id FROM backfill_queue WHERE state = 'queued'
ORDER BY priority, paper_id
LIMIT ?
"""

SET_STATE = """
UPDATE backfill_queue SET state = ?, version = coalesce(?, version), last_error = ?, updated_at = ?
WHERE paper_id = ?
"""

COUNT_ATTEMPT = """
UPDATE backfill_queue SET attempts = attempts + 1, last_error = ?, updated_at = ?,
    state = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE state END
WHERE paper_id = ?
"""

# Found ids whose PDF is in and parsed (or unparseable): done. The others keep the download's error.
SETTLE_FOUND = """
UPDATE backfill_queue q SET state = 'done', last_error = d.error, updated_at = ?
FROM papers p JOIN documents d ON d.paper_id = p.paper_id AND d.version = p.version
WHERE q.state = 'found' AND p.paper_id = q.paper_id AND d.parse_status IN ('parsed', 'error', 'superseded')
"""

FOUND_DOWNLOAD_ERRORS = """
SELECT q.paper_id, e.message, e.retryable FROM backfill_queue q
JOIN papers p ON p.paper_id = q.paper_id
JOIN errors e ON e.stage = 'download' AND e.source = p.paper_id || 'v' || p.version AND e.resolved_at IS NULL
WHERE q.state = 'found'
"""

QUEUE_COUNTS = "SELECT state, count(*) FROM backfill_queue GROUP BY state ORDER BY state"
