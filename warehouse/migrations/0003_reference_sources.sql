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

-- Thompson hardware per (model row, phase, processor): model, amount, peak and the phase's time.
CREATE VIEW v_thompson_hardware AS
SELECT model_id, paper_id, benchmark, name, 'training' AS phase, 'gpu' AS processor,
       training_gpu_model AS hardware, training_gpu_amount AS amount, training_gpu_ptp_gflops AS peak_gflops,
       training_time_total_sec AS seconds, training_time_tpu_core_days AS tpu_core_days
FROM thompson_models WHERE training_gpu_model IS NOT NULL OR training_gpu_amount IS NOT NULL
UNION ALL
SELECT model_id, paper_id, benchmark, name, 'training' AS phase, 'tpu' AS processor,
       training_tpu_model AS hardware, training_tpu_amount AS amount, training_tpu_ptp_gflops AS peak_gflops,
       training_time_total_sec AS seconds, training_time_tpu_core_days AS tpu_core_days
FROM thompson_models WHERE training_tpu_model IS NOT NULL OR training_tpu_amount IS NOT NULL
UNION ALL
SELECT model_id, paper_id, benchmark, name, 'training' AS phase, 'cpu' AS processor,
       training_cpu_model AS hardware, training_cpu_amount AS amount, training_cpu_ptp_gflops AS peak_gflops,
       training_time_total_sec AS seconds, training_time_tpu_core_days AS tpu_core_days
FROM thompson_models WHERE training_cpu_model IS NOT NULL OR training_cpu_amount IS NOT NULL
UNION ALL
SELECT model_id, paper_id, benchmark, name, 'pretraining' AS phase, 'gpu' AS processor,
       pretraining_gpu_model AS hardware, pretraining_gpu_amount AS amount, pretraining_gpu_ptp_gflops AS peak_gflops,
       pretraining_time_total_sec AS seconds, pretraining_time_tpu_core_days AS tpu_core_days
FROM thompson_models WHERE pretraining_gpu_model IS NOT NULL OR pretraining_gpu_amount IS NOT NULL
UNION ALL
SELECT model_id, paper_id, benchmark, name, 'pretraining' AS phase, 'tpu' AS processor,
       pretraining_tpu_model AS hardware, pretraining_tpu_amount AS amount, pretraining_tpu_ptp_gflops AS peak_gflops,
       pretraining_time_total_sec AS seconds, pretraining_time_tpu_core_days AS tpu_core_days
FROM thompson_models WHERE pretraining_tpu_model IS NOT NULL OR pretraining_tpu_amount IS NOT NULL
UNION ALL
SELECT model_id, paper_id, benchmark, name, 'pretraining' AS phase, 'cpu' AS processor,
       pretraining_cpu_model AS hardware, pretraining_cpu_amount AS amount, pretraining_cpu_ptp_gflops AS peak_gflops,
       pretraining_time_total_sec AS seconds, pretraining_time_tpu_core_days AS tpu_core_days
FROM thompson_models WHERE pretraining_cpu_model IS NOT NULL OR pretraining_cpu_amount IS NOT NULL
UNION ALL
SELECT model_id, paper_id, benchmark, name, 'finetuning' AS phase, 'gpu' AS processor,
       finetuning_gpu_model AS hardware, finetuning_gpu_amount AS amount, finetuning_gpu_ptp_gflops AS peak_gflops,
       finetuning_time_total_sec AS seconds, finetuning_time_tpu_core_days AS tpu_core_days
FROM thompson_models WHERE finetuning_gpu_model IS NOT NULL OR finetuning_gpu_amount IS NOT NULL
UNION ALL
SELECT model_id, paper_id, benchmark, name, 'finetuning' AS phase, 'tpu' AS processor,
       finetuning_tpu_model AS hardware, finetuning_tpu_amount AS amount, finetuning_tpu_ptp_gflops AS peak_gflops,
       finetuning_time_total_sec AS seconds, finetuning_time_tpu_core_days AS tpu_core_days
FROM thompson_models WHERE finetuning_tpu_model IS NOT NULL OR finetuning_tpu_amount IS NOT NULL
UNION ALL
SELECT model_id, paper_id, benchmark, name, 'finetuning' AS phase, 'cpu' AS processor,
       finetuning_cpu_model AS hardware, finetuning_cpu_amount AS amount, finetuning_cpu_ptp_gflops AS peak_gflops,
       finetuning_time_total_sec AS seconds, finetuning_time_tpu_core_days AS tpu_core_days
FROM thompson_models WHERE finetuning_cpu_model IS NOT NULL OR finetuning_cpu_amount IS NOT NULL;

-- Per paper (arXiv id): hardware, count, hours and compute from each source side by side.
-- extracted: the PDF extraction (v_training_compute; compute = v_paper_compute's burden);
-- thompson: their CSV rows (hours = the phases' seconds summed; compute = hardware_burden);
-- epoch: their database rows (the newest, most complete row of all files loaded).
CREATE VIEW v_source_comparison AS
WITH extracted AS (
    SELECT paper_id,
           string_agg(DISTINCT coalesce(accelerator_name, accelerator, accelerator_text), '; ') AS hardware,
           max(count) AS hardware_count, max(chips) AS chips, max(hours) AS hours,
           sum(estimated_compute) AS estimated_compute
    FROM v_training_compute
    GROUP BY paper_id
),
thompson_rows AS (
    SELECT m.*,
           nullif(coalesce(training_time_total_sec, 0) + coalesce(pretraining_time_total_sec, 0)
                  + coalesce(finetuning_time_total_sec, 0), 0) / 3600.0 AS hours_total,
           nullif(coalesce(training_time_tpu_core_days, 0) + coalesce(pretraining_time_tpu_core_days, 0)
                  + coalesce(finetuning_time_tpu_core_days, 0), 0) AS tpu_core_days_total
    FROM thompson_models m
    WHERE paper_id IS NOT NULL
),
thompson AS (
    SELECT t.paper_id,
           string_agg(DISTINCT t.benchmark, '; ') AS benchmarks,
           count(*) AS model_rows,
           max(t.hours_total) AS hours,
           max(t.tpu_core_days_total) AS tpu_core_days,
           max(t.hardware_burden) AS hardware_burden,
           max(t.network_operations) AS network_operations,
           min(t.title) AS title
    FROM thompson_rows t
    GROUP BY t.paper_id
),
thompson_hw AS (
    SELECT paper_id, string_agg(DISTINCT hardware, '; ') AS hardware, max(amount) AS hardware_count
    FROM v_thompson_hardware
    WHERE paper_id IS NOT NULL
    GROUP BY paper_id
),
epoch_linked AS (
    SELECT unnest(arxiv_ids) AS paper_id, e.* EXCLUDE (paper_id)
    FROM epoch_models e
),
epoch AS (
    SELECT * FROM (
        SELECT paper_id, model, training_hardware, hardware_quantity, training_time_hours,
               training_compute_flop, training_chip_hours, source_file,
               count(*) OVER (PARTITION BY paper_id) AS epoch_rows,
               row_number() OVER (
                   PARTITION BY paper_id
                   ORDER BY (training_compute_flop IS NOT NULL)::INTEGER
                            + (training_hardware IS NOT NULL)::INTEGER
                            + (hardware_quantity IS NOT NULL)::INTEGER
                            + (training_time_hours IS NOT NULL)::INTEGER DESC,
                            last_modified DESC NULLS LAST, source_file DESC, source_row
               ) AS pick
        FROM epoch_linked
    ) WHERE pick = 1
),
pwc AS (
    SELECT paper_id, count(*) AS results
    FROM results
    WHERE source IN ('pwc', 'pwc_api') AND paper_id IS NOT NULL
    GROUP BY paper_id
),
ids AS (
    SELECT paper_id FROM extracted UNION SELECT paper_id FROM thompson
    UNION SELECT paper_id FROM epoch UNION SELECT paper_id FROM pwc
)
SELECT
    i.paper_id,
    coalesce(p.title, t.title, e.model) AS title,
    x.paper_id IS NOT NULL AS in_extracted,
    t.paper_id IS NOT NULL AS in_thompson,
    e.paper_id IS NOT NULL AS in_epoch,
    w.paper_id IS NOT NULL AS in_pwc,
    x.hardware AS extracted_hardware, x.hardware_count AS extracted_count, x.chips AS extracted_chips,
    x.hours AS extracted_hours, pc.hardware_burden AS extracted_hardware_burden,
    x.estimated_compute AS extracted_estimated_compute,
    t.benchmarks AS thompson_benchmarks, th.hardware AS thompson_hardware,
    th.hardware_count AS thompson_count, t.hours AS thompson_hours, t.tpu_core_days AS thompson_tpu_core_days,
    t.hardware_burden AS thompson_hardware_burden, t.network_operations AS thompson_network_operations,
    e.model AS epoch_model, e.training_hardware AS epoch_hardware, e.hardware_quantity AS epoch_count,
    e.training_time_hours AS epoch_hours, e.training_chip_hours AS epoch_chip_hours,
    e.training_compute_flop AS epoch_compute, e.epoch_rows, e.source_file AS epoch_source_file,
    w.results AS pwc_results
FROM ids i
LEFT JOIN papers p ON p.paper_id = i.paper_id
LEFT JOIN extracted x ON x.paper_id = i.paper_id
LEFT JOIN v_paper_compute pc ON pc.paper_id = i.paper_id
LEFT JOIN thompson t ON t.paper_id = i.paper_id
LEFT JOIN thompson_hw th ON th.paper_id = i.paper_id
LEFT JOIN epoch e ON e.paper_id = i.paper_id
LEFT JOIN pwc w ON w.paper_id = i.paper_id;
