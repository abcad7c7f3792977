-- 0001: the initial warehouse schema.
-- Every number keeps its provenance: extracted facts carry sha256, page, quote and extractor
-- version; imported rows carry source, source_file and source_row.

CREATE TABLE papers (
    paper_id          VARCHAR PRIMARY KEY,     -- arXiv id without version, e.g. 1706.03762
    version           INTEGER NOT NULL,        -- latest version seen
    title             VARCHAR,
    authors           VARCHAR[],
    abstract          VARCHAR,
    categories        VARCHAR[],
    primary_category  VARCHAR,
    published         TIMESTAMP,
    updated           TIMESTAMP,
    doi               VARCHAR,
    journal_ref       VARCHAR,
    comment           VARCHAR,
    pdf_url           VARCHAR,
    source            VARCHAR NOT NULL,        -- arxiv_api | oai | ...
    first_seen        TIMESTAMP NOT NULL,
    last_seen         TIMESTAMP NOT NULL
);

CREATE TABLE documents (
    sha256             VARCHAR PRIMARY KEY,    -- content address of the PDF bytes
    paper_id           VARCHAR NOT NULL,
    version            INTEGER NOT NULL,
    path               VARCHAR NOT NULL,       -- relative to the data directory
    url                VARCHAR,
    bytes              BIGINT,
    pages              INTEGER,
    parse_status       VARCHAR NOT NULL,       -- pending | parsed | error
    error              VARCHAR,
    extractor_version  VARCHAR,
    fetched_at         TIMESTAMP,
    parsed_at          TIMESTAMP
);

CREATE TABLE facts (
    fact_id            VARCHAR PRIMARY KEY,    -- deterministic hash of sha256, kind, page, span
    paper_id           VARCHAR NOT NULL,
    sha256             VARCHAR NOT NULL,
    kind               VARCHAR NOT NULL,       -- training_run | result | parameters | flops | ...
    value              DOUBLE,
    value_text         VARCHAR,
    unit               VARCHAR,
    page               INTEGER NOT NULL,
    quote              VARCHAR NOT NULL,
    char_start         INTEGER,
    char_end           INTEGER,
    confidence         DOUBLE,
    extractor_version  VARCHAR NOT NULL
);

CREATE TABLE training_runs (
    run_id             VARCHAR PRIMARY KEY,    -- = fact_id of its training_run fact
    paper_id           VARCHAR NOT NULL,
    sha256             VARCHAR NOT NULL,
    label              VARCHAR,
    phase              VARCHAR,
    accelerator        VARCHAR,                -- canonical id, e.g. nvidia-v100
    accelerator_text   VARCHAR,
    count              DOUBLE,
    count_unit         VARCHAR,
    chips              DOUBLE,                 -- count normalised to chips (TPU cores / devices converted)
    hours              DOUBLE,
    hours_text         VARCHAR,
    page               INTEGER NOT NULL,
    quote              VARCHAR NOT NULL,
    confidence         DOUBLE,
    extractor_version  VARCHAR NOT NULL
);

CREATE TABLE results (
    result_id          VARCHAR PRIMARY KEY,
    paper_id           VARCHAR,                -- arXiv id when known
    source             VARCHAR NOT NULL,       -- extracted | pwc
    task               VARCHAR,
    dataset            VARCHAR,
    benchmark          VARCHAR,                -- normalised benchmark id, e.g. imagenet
    metric             VARCHAR,
    metric_key         VARCHAR,                -- normalised metric, e.g. top1
    value              DOUBLE,
    value_text         VARCHAR,
    model              VARCHAR,
    paper_title        VARCHAR,
    paper_url          VARCHAR,
    paper_date         DATE,
    uses_additional_data BOOLEAN,
    page               INTEGER,
    quote              VARCHAR,
    confidence         DOUBLE,
    sha256             VARCHAR,                -- extracted: the document
    extractor_version  VARCHAR,
    source_file        VARCHAR,                -- imported: file and row
    source_row         INTEGER
);

CREATE TABLE hardware (
    accelerator        VARCHAR PRIMARY KEY,    -- canonical id
    name               VARCHAR NOT NULL,
    vendor             VARCHAR,
    kind               VARCHAR,                -- gpu | tpu | cpu
    released           DATE,
    fp32_flops         DOUBLE,                 -- per chip, dense, FLOP/s
    tensor_flops       DOUBLE,                 -- per chip, dense FP16/BF16 tensor peak
    thompson_flops     DOUBLE,                 -- per chip, the peak Thompson et al. credit
    aliases            VARCHAR[],
    source             VARCHAR NOT NULL
);

CREATE TABLE compute_estimates (
    estimate_id        VARCHAR PRIMARY KEY,
    run_id             VARCHAR NOT NULL,
    paper_id           VARCHAR NOT NULL,
    method             VARCHAR NOT NULL,       -- hardware_burden | hardware_time
    flops              DOUBLE,
    flops_low          DOUBLE,
    flops_high         DOUBLE,
    peak_flops         DOUBLE,
    chips              DOUBLE,
    seconds            DOUBLE,
    utilization        DOUBLE,
    assumptions        VARCHAR NOT NULL
);

CREATE TABLE fits (
    fit_id             VARCHAR PRIMARY KEY,    -- hash of benchmark, form, x and the input point ids
    benchmark          VARCHAR NOT NULL,
    form               VARCHAR NOT NULL,
    x                  VARCHAR NOT NULL,
    compute_kind       VARCHAR,                -- hardware_burden | network_operations | ...
    n                  INTEGER NOT NULL,
    intercept          DOUBLE,
    slope              DOUBLE,
    se                 DOUBLE,
    ci_low             DOUBLE,
    ci_high            DOUBLE,
    r2                 DOUBLE,
    p_value            DOUBLE,
    k                  DOUBLE,
    k_low              DOUBLE,
    k_high             DOUBLE,
    halving_multiplier DOUBLE,
    identified         BOOLEAN,
    row_ids            VARCHAR[] NOT NULL,
    detail             JSON,                   -- the whole fit as JSON
    ingest_run_id      VARCHAR,                -- the last run that made this fit
    created_at         TIMESTAMP NOT NULL      -- the last time it was made
);

CREATE TABLE ingest_runs (
    run_id             VARCHAR PRIMARY KEY,
    started_at         TIMESTAMP NOT NULL,
    finished_at        TIMESTAMP,
    status             VARCHAR NOT NULL,       -- running | completed | failed
    mode               VARCHAR,
    papers_crawled     INTEGER,
    pdfs_downloaded    INTEGER,
    pdfs_parsed        INTEGER,
    facts_extracted    INTEGER,
    results_loaded     INTEGER,
    fits_made          INTEGER,
    errors             INTEGER,
    watermark          VARCHAR,
    stage_seconds      JSON,                   -- wall time per stage
    message            VARCHAR
);

CREATE TABLE errors (
    error_id           VARCHAR PRIMARY KEY,    -- hash of stage, source, message: a rerun does not duplicate
    stage              VARCHAR NOT NULL,       -- crawl | download | extract | load | regress | report
    source             VARCHAR NOT NULL,       -- url, paper id or file
    message            VARCHAR NOT NULL,
    retryable          BOOLEAN NOT NULL,
    occurrences        INTEGER NOT NULL,
    first_seen         TIMESTAMP NOT NULL,
    last_seen          TIMESTAMP NOT NULL,
    last_run_id        VARCHAR
);

CREATE TABLE crawl_state (
    key                VARCHAR PRIMARY KEY,    -- e.g. arxiv_api.watermark
    value              VARCHAR NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
