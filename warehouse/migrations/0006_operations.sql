-- 0006: operations. Every count of a run and what Prefect's cache answered; errors that a later run
-- fixed are marked resolved (never deleted), so analysts see what is still open.

ALTER TABLE ingest_runs ADD COLUMN counts JSON;          -- every count of the run, per stage
ALTER TABLE ingest_runs ADD COLUMN cached JSON;          -- tasks answered from the cache, per stage
ALTER TABLE ingest_runs ADD COLUMN task_runner VARCHAR;  -- threads | dask (address)
ALTER TABLE ingest_runs ADD COLUMN flow_run_id VARCHAR;  -- the Prefect flow run
ALTER TABLE ingest_runs ADD COLUMN published_at TIMESTAMP;  -- when the staging file became the warehouse

ALTER TABLE errors ADD COLUMN resolved_at TIMESTAMP;     -- a later run did the same work successfully
ALTER TABLE errors ADD COLUMN resolved_run_id VARCHAR;

CREATE VIEW v_open_errors AS
SELECT stage, source, message, retryable, occurrences, first_seen, last_seen, last_run_id
FROM errors
WHERE resolved_at IS NULL
ORDER BY stage, last_seen DESC;

CREATE VIEW v_ingest_runs AS
SELECT run_id, status, mode, started_at, finished_at, published_at,
       date_diff('millisecond', started_at, finished_at) / 1000.0 AS seconds,
       papers_crawled, pdfs_downloaded, pdfs_parsed, facts_extracted, results_loaded, fits_made, errors,
       watermark, task_runner, stage_seconds, counts, cached, flow_run_id, message
FROM ingest_runs
ORDER BY started_at DESC;
