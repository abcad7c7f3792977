"""Every SQL statement the project runs (besides the migrations). Parameters are bound with `?`."""

from __future__ import annotations

PAPER_VERSION = "SELECT version FROM papers WHERE paper_id = ?"

PAPER_VERSIONS = "SELECT paper_id, version FROM papers WHERE paper_id IN (SELECT unnest(?::VARCHAR[]))"

# A batch of papers in one statement: the rows come as one JSON array (parameter 1), then the source
# and the first/last-seen time. The caller leaves out rows older than what is stored.
UPSERT_PAPERS = """
INSERT INTO papers (paper_id, version, title, authors, abstract, categories, primary_category,
                    published, updated, doi, journal_ref, comment, pdf_url, source, first_seen, last_seen)
SELECT b.paper_id, b.version, b.title, b.authors, b.abstract, b.categories, b.primary_category,
       CAST(b.published AS TIMESTAMP), CAST(b.updated AS TIMESTAMP), b.doi, b.journal_ref, b.comment, b.pdf_url,
       s.source, s.first_seen, s.last_seen
FROM (SELECT unnest(from_json(?::JSON, '[{"paper_id": "VARCHAR", "version": "INTEGER", "title": "VARCHAR",
          "authors": "VARCHAR[]", "abstract": "VARCHAR", "categories": "VARCHAR[]", "primary_category": "VARCHAR",
          "published": "VARCHAR", "updated": "VARCHAR", "doi": "VARCHAR", "journal_ref": "VARCHAR",
          "comment": "VARCHAR", "pdf_url": "VARCHAR"}]'), recursive := true)) b,
     (SELECT ?::VARCHAR AS source, ?::TIMESTAMP AS first_seen, ?::TIMESTAMP AS last_seen) s
ON CONFLICT (paper_id) DO UPDATE SET
    version = excluded.version, title = excluded.title, authors = excluded.authors,
    abstract = excluded.abstract, categories = excluded.categories,
    primary_category = excluded.primary_category, published = excluded.published,
    updated = excluded.updated, doi = excluded.doi, journal_ref = excluded.journal_ref,
    comment = excluded.comment, pdf_url = excluded.pdf_url, source = excluded.source,
    last_seen = excluded.last_seen
"""

PAPERS_NEEDING_PDF = """
SELECT p.paper_id, p.version, p.pdf_url
FROM papers p
WHERE NOT EXISTS (
    SELECT 1 FROM documents d WHERE d.paper_id = p.paper_id AND d.version = p.version
)
  -- a version refused for good (e.g. larger than the limit) is not asked for again; a new version is
  AND NOT EXISTS (
    SELECT 1 FROM errors e
    WHERE e.stage = 'download' AND e.source = p.paper_id || 'v' || p.version
      AND NOT e.retryable AND e.resolved_at IS NULL
)
ORDER BY p.paper_id
LIMIT ?
"""

INSERT_DOCUMENT = """
INSERT INTO documents (sha256, paper_id, version, path, url, bytes, parse_status, fetched_at)
VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)
ON CONFLICT (sha256) DO NOTHING
"""

DOCUMENTS_TO_PARSE = """
SELECT d.sha256, d.paper_id, d.version, d.path
FROM documents d
JOIN papers p ON p.paper_id = d.paper_id AND p.version = d.version
WHERE d.parse_status <> 'superseded' AND (d.parse_status = 'pending' OR d.extractor_version IS DISTINCT FROM ?)
ORDER BY d.paper_id
"""

DELETE_EXTRACTED = (
    "DELETE FROM facts WHERE sha256 = ?",
    "DELETE FROM training_runs WHERE sha256 = ?",
    "DELETE FROM results WHERE source = 'extracted' AND sha256 = ?",
)

INSERT_FACT = """
INSERT INTO facts (fact_id, paper_id, sha256, kind, value, value_text, unit, page, quote,
                   char_start, char_end, confidence, extractor_version)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""

INSERT_TRAINING_RUN = """
INSERT INTO training_runs (run_id, paper_id, sha256, label, phase, accelerator, accelerator_text,
                           count, count_unit, chips, hours, hours_text, page, quote, confidence,
                           extractor_version)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""

INSERT_RESULT = """
INSERT INTO results (result_id, paper_id, source, task, dataset, benchmark, metric, metric_key, value,
                     value_text, model, paper_title, paper_url, paper_date, uses_additional_data,
                     page, quote, confidence, sha256, extractor_version, source_file, source_row)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""

UPDATE_DOCUMENT_PARSED = """
UPDATE documents SET parse_status = ?, error = ?, pages = ?, extractor_version = ?, parsed_at = ?
WHERE sha256 = ?
"""

DELETE_SOURCE_RESULTS = "DELETE FROM results WHERE source = ? AND source_file = ?"

# --- incremental estimates (warehouse/estimates.py) ------------------------------------------------

# Per paper, a hash of everything its estimates are computed from: its training runs, the paper-level
# facts `v_paper_facts` picks from, its overrides (active or superseded) and its date and categories.
PAPER_INPUT_FINGERPRINTS = """
SELECT i.paper_id, hash(r.n, r.h, f.n, f.h, o.n, o.h, m.h) AS fingerprint
FROM (SELECT paper_id FROM training_runs UNION SELECT paper_id FROM facts UNION SELECT paper_id FROM overrides
      UNION SELECT paper_id FROM papers) i
LEFT JOIN (SELECT paper_id, count(*) AS n,
                  sum(hash(run_id, sha256, phase, accelerator, accelerator_text, count, count_unit, chips, hours,
                           confidence)) AS h
           FROM training_runs GROUP BY paper_id) r ON r.paper_id = i.paper_id
LEFT JOIN (SELECT paper_id, count(*) AS n,
                  sum(hash(fact_id, kind, value, value_text, unit, page, char_start, confidence)) AS h
           FROM facts
           WHERE kind IN ('parameters', 'flops', 'multiply_adds', 'epochs', 'training_set_size', 'precision',
                          'compute', 'utilization')
           GROUP BY paper_id) f ON f.paper_id = i.paper_id
LEFT JOIN (SELECT paper_id, count(*) AS n,
                  sum(hash(override_id, target, phase, run_id, field, value, value_text, resolved,
                           superseded_by)) AS h
           FROM overrides GROUP BY paper_id) o ON o.paper_id = i.paper_id
LEFT JOIN (SELECT paper_id, hash(published::DATE, categories) AS h FROM papers) m ON m.paper_id = i.paper_id
"""

# Papers whose fingerprint differs from the stored one (a NULL fingerprint: the paper is gone).
CHANGED_ESTIMATE_INPUTS = f"""
SELECT coalesce(c.paper_id, s.paper_id) AS paper_id, c.fingerprint
FROM ({PAPER_INPUT_FINGERPRINTS}) c
FULL OUTER JOIN estimate_inputs s ON s.paper_id = c.paper_id
WHERE c.fingerprint IS DISTINCT FROM s.fingerprint
ORDER BY 1
"""

DELETE_ALL_ESTIMATE_INPUTS = "DELETE FROM estimate_inputs"

INSERT_ALL_ESTIMATE_INPUTS = f"""
INSERT INTO estimate_inputs SELECT paper_id, fingerprint, ? FROM ({PAPER_INPUT_FINGERPRINTS}) c
"""

DELETE_ESTIMATE_INPUTS_OF = "DELETE FROM estimate_inputs WHERE paper_id IN (SELECT unnest(?::VARCHAR[]))"

INSERT_ESTIMATE_INPUTS = "INSERT INTO estimate_inputs SELECT unnest(?::VARCHAR[]), unnest(?::UBIGINT[]), ?"

DELETE_ESTIMATES_OF = "DELETE FROM compute_estimates WHERE paper_id IN (SELECT unnest(?::VARCHAR[]))"

EFFECTIVE_RUNS_OF = """
SELECT run_id, paper_id, phase, accelerator, chips, hours, sources,
       row_number() OVER (PARTITION BY paper_id, phase ORDER BY confidence DESC NULLS LAST, run_id) AS phase_rank
FROM v_effective_runs
WHERE paper_id IN (SELECT unnest(?::VARCHAR[]))
ORDER BY paper_id, phase, run_id
"""

PAPER_FACTS_OF = """
SELECT paper_id, field, value, value_text, source FROM v_paper_facts
WHERE paper_id IN (SELECT unnest(?::VARCHAR[]))
"""

PAPER_META_OF = """
SELECT paper_id, published::DATE, categories FROM papers WHERE paper_id IN (SELECT unnest(?::VARCHAR[]))
"""

# Estimate rows in one statement, from a DataFrame registered as `estimate_rows` (ESTIMATE_COLUMNS).
INSERT_ESTIMATE_ROWS = """
INSERT INTO compute_estimates (estimate_id, run_id, paper_id, phase, method, unit, value, value_low, value_high,
                               headline, peak_flops, peak_basis, chips, seconds, utilization, inputs,
                               assumptions, sources)
SELECT estimate_id, run_id, paper_id, phase, method, unit, value, value_low, value_high, headline, peak_flops,
       peak_basis, chips, seconds, utilization, inputs, assumptions, sources
FROM estimate_rows
"""

ESTIMATE_COLUMNS = ("estimate_id", "run_id", "paper_id", "phase", "method", "unit", "value", "value_low",
                    "value_high", "headline", "peak_flops", "peak_basis", "chips", "seconds", "utilization", "inputs",
                    "assumptions", "sources")

ESTIMATE_COUNT = "SELECT count(*) FROM compute_estimates"

ESTIMATE_INPUT_COUNT = "SELECT count(*) FROM estimate_inputs"

SCHEMA_VERSION = "SELECT max(version) FROM schema_migrations"

# What the reference checks read (Thompson's and Epoch's rows), and what the result overrides read.
REFERENCE_FINGERPRINT = """
SELECT (SELECT count(*) || ':' || coalesce(sum(hash(m)), 0) FROM thompson_models m) || '/' ||
       (SELECT count(*) || ':' || coalesce(sum(hash(e)), 0) FROM epoch_models e)
"""

RESULT_OVERRIDES_FINGERPRINT = """
SELECT (SELECT count(*) || ':' || coalesce(sum(hash(o)), 0) FROM overrides o WHERE o.target = 'result') || '/' ||
       (SELECT count(*) || ':' || coalesce(sum(hash(b)), 0) FROM benchmarks b) || '/' ||
       (SELECT count(*) FROM results WHERE source = 'override')
"""

REGRESSION_POINTS = "SELECT * FROM v_regression_points_all ORDER BY benchmark, point_id"

MARK_SYNTHETIC = "UPDATE papers SET synthetic = true WHERE list_contains(?, paper_id) AND NOT synthetic"

COUNT_SYNTHETIC = "SELECT count(*) FROM papers WHERE synthetic"

BENCHMARK_POINTS = """
SELECT point_id, paper_id, benchmark, dataset, metric, model, score, error, compute, compute_kind, year
FROM v_benchmark_points
ORDER BY benchmark, point_id
"""

UPSERT_FIT = """
INSERT INTO fits (fit_id, benchmark, form, x, compute_kind, n, intercept, slope, se, ci_low, ci_high, r2, p_value,
                  k, k_low, k_high, halving_multiplier, identified, row_ids, detail, ingest_run_id,
                  created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (fit_id) DO UPDATE SET ingest_run_id = excluded.ingest_run_id, created_at = excluded.created_at,
    detail = excluded.detail
"""

# The newest fit per (benchmark, form, x, compute kind) and per kind of points (real, or the synthetic
# fixture papers on their own), with the run that made it and when.
LATEST_FITS = """
SELECT detail, ingest_run_id, strftime(created_at, '%Y-%m-%d %H:%M:%S')
FROM (SELECT *, row_number() OVER (
          PARTITION BY benchmark, form, x, compute_kind,
                       coalesce(detail->>'$.selection.synthetic', 'false') = 'true'
          ORDER BY created_at DESC, fit_id) AS newest
      FROM fits)
WHERE newest = 1
ORDER BY benchmark, form, x, compute_kind, coalesce(detail->>'$.selection.synthetic', 'false')
"""

START_RUN = "INSERT INTO ingest_runs (run_id, started_at, status, mode) VALUES (?, ?, 'running', ?)"

FINISH_RUN = """
UPDATE ingest_runs SET finished_at = ?, status = ?, papers_crawled = ?, pdfs_downloaded = ?,
    pdfs_parsed = ?, facts_extracted = ?, results_loaded = ?, fits_made = ?, errors = ?,
    watermark = ?, stage_seconds = ?, message = ?, counts = ?, cached = ?, task_runner = ?, flow_run_id = ?
WHERE run_id = ?
"""

UPSERT_ERROR = """
INSERT INTO errors (error_id, stage, source, message, retryable, occurrences, first_seen, last_seen,
                    last_run_id)
VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)
ON CONFLICT (error_id) DO UPDATE SET
    occurrences = errors.occurrences + 1, last_seen = excluded.last_seen,
    last_run_id = excluded.last_run_id,
    retryable = CASE WHEN errors.message LIKE 'quarantined after %' THEN false ELSE excluded.retryable END,
    resolved_at = NULL, resolved_run_id = NULL
"""

RESOLVE_ERRORS = """
UPDATE errors SET resolved_at = ?, resolved_run_id = ?
WHERE stage = ? AND source = ? AND resolved_at IS NULL
"""

QUARANTINE_ERRORS = """
UPDATE errors SET retryable = false, message = 'quarantined after ' || ? || ' failed attempts, not retried: ' || message
WHERE stage = ? AND source = ? AND resolved_at IS NULL AND retryable
"""

INTERRUPT_STALE_RUNS = """
UPDATE ingest_runs SET status = 'interrupted', finished_at = ?,
    message = 'the process ended before the run finished; run ' || ? || ' resumed its work'
WHERE status = 'running' AND run_id <> ?
"""

PUBLISH_RUN = "UPDATE ingest_runs SET published_at = ? WHERE run_id = ?"

PUBLISHED_RUN_IDS = "SELECT run_id FROM ingest_runs WHERE published_at IS NOT NULL"

# A resumed staging file holds runs marked published that never were: killed after marking, before the rename.
UNPUBLISH_UNFINISHED_RUNS = """
UPDATE ingest_runs SET status = 'interrupted', published_at = NULL,
    message = 'the process ended after the run finished but before it was published; run ' || ? || ' redid its work'
WHERE published_at IS NOT NULL AND NOT list_contains(?::VARCHAR[], run_id)
"""

GET_STATE = "SELECT value FROM crawl_state WHERE key = ?"

SET_STATE = """
INSERT INTO crawl_state (key, value, updated_at) VALUES (?, ?, ?)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
"""

TABLE_COUNTS = """
SELECT 'papers' AS t, count(*) FROM papers UNION ALL
SELECT 'documents', count(*) FROM documents UNION ALL
SELECT 'facts', count(*) FROM facts UNION ALL
SELECT 'training_runs', count(*) FROM training_runs UNION ALL
SELECT 'results', count(*) FROM results UNION ALL
SELECT 'compute_estimates', count(*) FROM compute_estimates UNION ALL
SELECT 'fits', count(*) FROM fits UNION ALL
SELECT 'errors', count(*) FROM errors
"""
