-- 0003: reference sources beside the extracted facts: Papers with Code (dumps and API) in
-- `results`, Thompson et al.'s per-benchmark CSVs, Epoch AI's models database, and a view that
-- puts each source's hardware, count, hours and compute side by side per paper (arXiv id).
-- Imported rows carry source, source_file and source_row (Thompson and Epoch: the file line on
-- which the record starts; Papers with Code: the row's ordinal in the file).

-- Papers with Code rows: the metric's direction and the unit its printed value carried.
ALTER TABLE results ADD COLUMN metric_direction VARCHAR;   -- higher | lower (is better) | NULL unknown
ALTER TABLE results ADD COLUMN value_unit VARCHAR;         -- % | K | M | B | T (value already scaled)

-- Thompson, Greenewald, Lee, Manso: one row per model row of a published CSV, every column kept
-- (names as in the CSV; `lo10net` of the COCO file is `log10net`). Rejected cells are NULL here,
-- in `raw` as printed, and in `errors` with file and line.
CREATE TABLE thompson_models (
    model_id           VARCHAR PRIMARY KEY,    -- hash of source_file and source_row
    source             VARCHAR NOT NULL,       -- thompson
    source_file        VARCHAR NOT NULL,
    source_row         INTEGER NOT NULL,       -- file line of the record
    benchmark          VARCHAR NOT NULL,       -- imagenet | coco | squad1.1 | conll2003 | wmt2014-en-fr | -en-de
    paper_id           VARCHAR,                -- arXiv id from paper_link, when an arXiv link
    name               VARCHAR,
    year               INTEGER,
    parameters         DOUBLE,
    title              VARCHAR,
    paper_with_code    VARCHAR,
    paper_link         VARCHAR,
    flops              DOUBLE,
    multiadds          DOUBLE,
    fp_bp_ratio        DOUBLE,
    training_epochs DOUBLE, training_set_size DOUBLE, training_dataset VARCHAR,
    training_time_total VARCHAR, training_time_total_sec DOUBLE, training_time_tpu_core_days DOUBLE,
    training_gpu_model VARCHAR, training_gpu_amount DOUBLE, training_gpu_ptp_gflops DOUBLE,
    training_tpu_model VARCHAR, training_tpu_amount DOUBLE, training_tpu_ptp_gflops DOUBLE,
    training_cpu_model VARCHAR, training_cpu_amount DOUBLE, training_cpu_ptp_gflops DOUBLE,
    pretraining_epochs DOUBLE, pretraining_set_size DOUBLE, pretraining_dataset VARCHAR,
    pretraining_time_total VARCHAR, pretraining_time_total_sec DOUBLE, pretraining_time_tpu_core_days DOUBLE,
    pretraining_gpu_model VARCHAR, pretraining_gpu_amount DOUBLE, pretraining_gpu_ptp_gflops DOUBLE,
    pretraining_tpu_model VARCHAR, pretraining_tpu_amount DOUBLE, pretraining_tpu_ptp_gflops DOUBLE,
    pretraining_cpu_model VARCHAR, pretraining_cpu_amount DOUBLE, pretraining_cpu_ptp_gflops DOUBLE,
    finetuning_epochs DOUBLE, finetuning_set_size DOUBLE, finetuning_dataset VARCHAR,
    finetuning_time_total VARCHAR, finetuning_time_total_sec DOUBLE, finetuning_time_tpu_core_days DOUBLE,
    finetuning_gpu_model VARCHAR, finetuning_gpu_amount DOUBLE, finetuning_gpu_ptp_gflops DOUBLE,
    finetuning_tpu_model VARCHAR, finetuning_tpu_amount DOUBLE, finetuning_tpu_ptp_gflops DOUBLE,
    finetuning_cpu_model VARCHAR, finetuning_cpu_amount DOUBLE, finetuning_cpu_ptp_gflops DOUBLE,
    network_operations DOUBLE,
    hardware_burden    DOUBLE,
    log10net           DOUBLE,
    log10hw            DOUBLE,
    computing_power    DOUBLE,
    relevant           VARCHAR,
    comments           VARCHAR,
    raw                JSON NOT NULL           -- every cell as printed, by column name
);

-- The performance columns of the Thompson CSVs, one row per (model row, metric).
CREATE TABLE thompson_metrics (
    model_id           VARCHAR NOT NULL,
    source_file        VARCHAR NOT NULL,
    source_row         INTEGER NOT NULL,
    benchmark          VARCHAR NOT NULL,
    metric             VARCHAR NOT NULL,       -- the column name without parentheses, e.g. TOP 1 score
    metric_key         VARCHAR,                -- normalised, e.g. top1
    value              DOUBLE,
    PRIMARY KEY (model_id, metric)
);

-- Epoch AI's models database (AI Models / Notable / Large-Scale downloads and older snapshots).
CREATE TABLE epoch_models (
    model_id           VARCHAR PRIMARY KEY,    -- hash of source_file and source_row
    source             VARCHAR NOT NULL,       -- epoch
    source_file        VARCHAR NOT NULL,
    source_row         INTEGER NOT NULL,       -- file line on which the record starts
    naming             VARCHAR NOT NULL,       -- Model (newer files) | System (older)
    model              VARCHAR,
    paper_id           VARCHAR,                -- the first arXiv id among the links
    arxiv_ids          VARCHAR[],
    links              VARCHAR[],
    link               VARCHAR,
    publication_date   DATE,
    domain             VARCHAR,
    task               VARCHAR,
    organization       VARCHAR,
    organization_categorization VARCHAR,
    country            VARCHAR,
    authors            VARCHAR,
    reference          VARCHAR,
    notability_criteria VARCHAR,
    training_hardware  VARCHAR,                -- as printed
    hardware           VARCHAR[],              -- split at commas
    hardware_quantity  DOUBLE,
    training_time_hours DOUBLE,
    training_chip_hours DOUBLE,
    hardware_utilization DOUBLE,               -- MFU (newer) or "Hardware utilization" (older)
    training_compute_flop DOUBLE,
    training_compute_lower DOUBLE,
    training_compute_upper DOUBLE,
    finetune_compute_flop DOUBLE,
    parameters         DOUBLE,
    training_dataset   VARCHAR,
    training_dataset_size DOUBLE,
    epochs             DOUBLE,
    training_compute_cost_usd DOUBLE,
    cost_usd_year      INTEGER,                -- 2023 or 2020 dollars
    training_power_draw_w DOUBLE,
    citations          DOUBLE,
    confidence         VARCHAR,
    model_accessibility VARCHAR,
    frontier_model     VARCHAR,
    base_model         VARCHAR,
    numerical_format   VARCHAR,
    training_cloud_compute_vendor VARCHAR,
    training_compute_notes VARCHAR,
    training_time_notes VARCHAR,
    training_compute_estimation_method VARCHAR,
    last_modified      TIMESTAMP,
    raw                JSON NOT NULL           -- every cell as printed, by column name
);
