-- 0007: real papers in. Local PDFs (`compute-limits add`) become papers with an arXiv id (stamped on
-- page 1 or in the file name), an id given by the user, or `local:<sha256[:12]>`; and a backfill
-- queue of arXiv ids taken from the reference tables (`compute-limits backfill`), drained in budgets
-- by the backfill command and by every nightly ingest, resumable after a crash.

-- How precise `published` is: NULL or 'day' (arXiv metadata), 'month' (the yymm of an arXiv id),
-- 'year' (a year given or read from the PDF); NULL published when nothing tells.
ALTER TABLE papers ADD COLUMN published_precision VARCHAR;

-- The file a local document was added from (its name, as given), for provenance.
ALTER TABLE documents ADD COLUMN origin VARCHAR;

CREATE TABLE backfill_queue (
    paper_id    VARCHAR PRIMARY KEY,   -- arXiv id without version
    sources     VARCHAR[] NOT NULL,    -- thompson | epoch | pwc | file (every source that named it)
    benchmarks  VARCHAR[],             -- the benchmarks its reference rows report
    priority    INTEGER NOT NULL,      -- 0 first: rows of the chosen benchmarks (or a file of ids)
    state       VARCHAR NOT NULL,      -- queued | found | done | not_found | failed | refused
    attempts    INTEGER NOT NULL,      -- lookups and downloads tried
    last_error  VARCHAR,
    version     INTEGER,               -- the current version the lookup found
    queued_at   TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
