-- 0009: incremental estimates. What each paper's estimates were last computed from: a fingerprint of
-- its training runs, paper-level facts, overrides and metadata (`warehouse/estimates.py`). The
-- estimate stage recomputes only the papers whose fingerprint changed; a change of the accounting
-- assumptions, the catalog or the estimate code (fingerprinted in crawl_state) recomputes them all.

CREATE TABLE estimate_inputs (
    paper_id      VARCHAR PRIMARY KEY,
    fingerprint   UBIGINT NOT NULL,
    refreshed_at  TIMESTAMP NOT NULL
);
