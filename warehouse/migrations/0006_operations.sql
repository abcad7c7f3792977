-- 0006: operations. Every count of a run and what Prefect's cache answered; errors that a later run
-- fixed are marked resolved (never deleted), so analysts see what is still open.

ALTER TABLE ingest_runs ADD COLUMN counts JSON;          -- every count of the run, per stage
ALTER TABLE ingest_runs ADD COLUMN cached JSON;          -- tasks answered from the cache, per stage
ALTER TABLE ingest_runs ADD COLUMN task_runner VARCHAR;  -- threads | dask (address)
ALTER TABLE ingest_runs ADD COLUMN flow_run_id VARCHAR;  -- the Prefect flow run
ALTER TABLE ingest_runs ADD COLUMN published_at TIMESTAMP;  -- when the staging file became the warehouse

ALTER TABLE errors ADD COLUMN resolved_at TIMESTAMP;     -- a later run did the same work successfully
ALTER TABLE errors ADD COLUMN resolved_run_id VARCHAR;
