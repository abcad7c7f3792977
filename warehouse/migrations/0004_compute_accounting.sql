-- 0004: compute accounting. The catalog gains every precision's peak, memory, TDP and counting units;
-- dated prices; analysts' overrides; every estimate per run (hardware burden, hardware time, operation
-- count, 6ND, cost, energy, CO2) with low/high and its assumptions; checks against Thompson and Epoch.

DROP VIEW IF EXISTS v_source_comparison;
DROP VIEW IF EXISTS v_benchmark_points;
DROP VIEW IF EXISTS v_paper_compute;
DROP VIEW IF EXISTS v_training_compute;
DROP TABLE hardware;
DROP TABLE compute_estimates;

-- Peaks in FLOP/s per chip, dense (no 2:4 sparsity). Seeded from warehouse/data/hardware.csv.
CREATE TABLE hardware (
    accelerator        VARCHAR PRIMARY KEY,    -- canonical id, e.g. nvidia-v100
    name               VARCHAR NOT NULL,
    vendor             VARCHAR,
    kind               VARCHAR,                -- gpu | tpu | cpu | asic
    released           DATE,
    fp32_flops         DOUBLE,                 -- FP32, non-tensor
    tf32_flops         DOUBLE,                 -- TF32 tensor
    tensor16_flops     DOUBLE,                 -- FP16/BF16 tensor / matrix unit
    fp8_flops          DOUBLE,
    memory_gb          DOUBLE,
    tdp_w              DOUBLE,                 -- per chip
    chips_per_device   DOUBLE NOT NULL,        -- chips on the board / Cloud TPU device the product names
    pod_chips          DOUBLE,                 -- chips in a full TPU pod
    thompson_flops     DOUBLE,                 -- what Thompson et al. credit per unit they count
    thompson_unit      VARCHAR,                -- chip | board | device
    aliases            VARCHAR[],
    source             VARCHAR NOT NULL
);

-- Dated cloud list prices per chip-hour (warehouse/data/prices.csv).
CREATE TABLE prices (
    accelerator        VARCHAR NOT NULL,
    effective_date     DATE NOT NULL,
    usd_per_chip_hour  DOUBLE NOT NULL,
    provider           VARCHAR NOT NULL,
    offer              VARCHAR NOT NULL,
    source             VARCHAR NOT NULL,
    PRIMARY KEY (accelerator, effective_date, provider, offer)
);

-- Chips per reported counting unit (the extractor's count_unit): TPU cores and devices converted.
CREATE TABLE count_units (
    count_unit         VARCHAR PRIMARY KEY,
    chips_per_unit     DOUBLE NOT NULL,
    rule               VARCHAR NOT NULL
);
INSERT INTO count_units VALUES
    ('gpu', 1, 'one GPU (a K80 board counts as two)'),
    ('tpu_chip', 1, 'one TPU chip'),
    ('tpu_core', 0.5, 'TPU v2/v3/v4: 2 TensorCores per chip'),
    ('tpu_device', 4, 'Cloud TPU v2/v3/v4 device: 4 chips, 8 cores'),
    ('cpu', 1, 'one CPU');

-- Every hardware name met in a source and what it resolved to (unknown names are reported here).
CREATE TABLE hardware_names (
    name               VARCHAR NOT NULL,
    source             VARCHAR NOT NULL,       -- extracted | thompson | epoch | override
    accelerator        VARCHAR,
    chips_per_unit     DOUBLE,
    status             VARCHAR NOT NULL,       -- resolved | ambiguous | unknown
    rule               VARCHAR NOT NULL,
    occurrences        INTEGER NOT NULL,
    PRIMARY KEY (name, source)
);

-- Analysts' corrections. The newest override of a (paper, phase/run, field) wins; older ones are
-- kept with superseded_by. Extraction never writes here, so overrides survive re-ingest.
CREATE TABLE overrides (
    override_id        VARCHAR PRIMARY KEY,
    paper_id           VARCHAR NOT NULL,
    target             VARCHAR NOT NULL,       -- run | paper | result
    phase              VARCHAR,                -- run fields: training | pretraining | finetuning
    run_id             VARCHAR,                -- run fields: one extracted run, else the phase's main run
    field              VARCHAR NOT NULL,
    value_text         VARCHAR NOT NULL,       -- as given
    value              DOUBLE,                 -- numeric fields, parsed
    resolved           VARCHAR,                -- accelerator: the catalog id the name resolved to
    note               VARCHAR NOT NULL,
    author             VARCHAR NOT NULL,
    created_at         TIMESTAMP NOT NULL,
    superseded_by      VARCHAR
);

-- Every estimate per run (or per paper for operation counts), with its method, inputs and range.
CREATE TABLE compute_estimates (
    estimate_id        VARCHAR PRIMARY KEY,
    run_id             VARCHAR,
    paper_id           VARCHAR NOT NULL,
    phase              VARCHAR NOT NULL,
    method             VARCHAR NOT NULL,       -- hardware_burden | hardware_time | operation_count |
                                               -- parameter_tokens | cost | energy | co2
    unit               VARCHAR NOT NULL,       -- FLOP | USD | kWh | kgCO2e
    value              DOUBLE NOT NULL,
    value_low          DOUBLE NOT NULL,
    value_high         DOUBLE NOT NULL,
    headline           BOOLEAN NOT NULL,       -- the paper's preferred training-compute estimate
    peak_flops         DOUBLE,
    peak_basis         VARCHAR,
    chips              DOUBLE,
    seconds            DOUBLE,
    utilization        DOUBLE,
    inputs             JSON NOT NULL,          -- every number used, with where it came from
    assumptions        VARCHAR NOT NULL,
    sources            VARCHAR NOT NULL        -- extracted | override | extracted+override
);

-- Thompson et al.'s hardware burden recomputed through this catalog, per model row.
CREATE TABLE check_thompson_burden (
    model_id           VARCHAR PRIMARY KEY,
    source_file        VARCHAR NOT NULL,
    source_row         INTEGER NOT NULL,
    benchmark          VARCHAR NOT NULL,
    name               VARCHAR,
    published          DOUBLE NOT NULL,
    recomputed         DOUBLE,
    ratio              DOUBLE,
    within_10pct       BOOLEAN NOT NULL,
    terms              JSON NOT NULL,          -- per (phase, processor): name, resolved id, amount, peak, seconds
    reason             VARCHAR                 -- why a row does not match, when known
);

-- Epoch AI rows with hardware, quantity and hours: the hardware-time estimate beside their compute.
CREATE TABLE check_epoch_compute (
    model_id           VARCHAR PRIMARY KEY,
    source_file        VARCHAR NOT NULL,
    source_row         INTEGER NOT NULL,
    model              VARCHAR,
    hardware           VARCHAR NOT NULL,
    accelerator        VARCHAR,
    quantity           DOUBLE NOT NULL,
    hours              DOUBLE NOT NULL,
    precision          VARCHAR,
    peak_basis         VARCHAR,
    utilization        DOUBLE,
    estimate           DOUBLE,
    estimate_low       DOUBLE,
    estimate_high      DOUBLE,
    epoch_compute      DOUBLE,
    epoch_method       VARCHAR,
    ratio              DOUBLE,
    reason             VARCHAR
);

-- Runs as the estimates see them: extracted runs with analysts' overrides applied (an override
-- without a run target applies to the phase's most confident run, or stands alone as a new run).
CREATE VIEW v_effective_runs AS
WITH active AS (
    SELECT * FROM overrides WHERE superseded_by IS NULL AND target = 'run'
),
ranked AS (
    SELECT r.*, coalesce(r.phase, 'training') AS eff_phase,
           row_number() OVER (PARTITION BY r.paper_id, coalesce(r.phase, 'training')
                              ORDER BY r.confidence DESC NULLS LAST, r.run_id) AS phase_rank
    FROM training_runs r
),
curated_only AS (
    SELECT DISTINCT a.paper_id, a.phase
    FROM active a
    WHERE a.run_id IS NULL AND NOT EXISTS (
        SELECT 1 FROM training_runs r WHERE r.paper_id = a.paper_id AND coalesce(r.phase, 'training') = a.phase)
),
runs AS (
    SELECT run_id, paper_id, eff_phase AS phase, phase_rank, label, accelerator, accelerator_text, count,
           count_unit, chips, hours, hours_text, page, quote, confidence, extractor_version, sha256
    FROM ranked
    UNION ALL
    SELECT 'override:' || paper_id || ':' || phase, paper_id, phase, 1, NULL, NULL, NULL, NULL, NULL, NULL,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM curated_only
),
applied AS (
    SELECT r.run_id, a.field, a.value, a.value_text, a.resolved, a.note, a.author, a.created_at
    FROM runs r
    JOIN active a ON a.paper_id = r.paper_id
     AND (a.run_id = r.run_id OR (a.run_id IS NULL AND a.phase = r.phase AND r.phase_rank = 1))
),
per_run AS (
    SELECT run_id,
           max(resolved) FILTER (WHERE field = 'accelerator') AS o_accelerator,
           max(value_text) FILTER (WHERE field = 'accelerator') AS o_accelerator_text,
           max(value) FILTER (WHERE field = 'count') AS o_count,
           max(value_text) FILTER (WHERE field = 'count_unit') AS o_count_unit,
           max(value) FILTER (WHERE field = 'hours') AS o_hours,
           list(field ORDER BY field) AS fields,
           string_agg(field || ': ' || note || ' (' || author || ', ' || strftime(created_at, '%Y-%m-%d') || ')',
                      '; ' ORDER BY field) AS notes
    FROM applied
    GROUP BY run_id
),
merged AS (
    SELECT r.*, p.fields, p.notes,
           coalesce(p.o_accelerator, r.accelerator) AS e_accelerator,
           coalesce(p.o_accelerator_text, r.accelerator_text) AS e_accelerator_text,
           coalesce(p.o_count, r.count) AS e_count,
           coalesce(p.o_count_unit, r.count_unit, CASE WHEN p.o_count IS NOT NULL THEN
                    CASE WHEN coalesce(p.o_accelerator, r.accelerator) LIKE 'google-tpu%' THEN 'tpu_chip'
                         ELSE 'gpu' END END) AS e_count_unit,
           coalesce(p.o_hours, r.hours) AS e_hours,
           p.o_count IS NOT NULL OR p.o_count_unit IS NOT NULL AS count_changed
    FROM runs r
    LEFT JOIN per_run p ON p.run_id = r.run_id
)
SELECT m.run_id, m.paper_id, m.phase, m.label,
       m.e_accelerator AS accelerator, m.e_accelerator_text AS accelerator_text,
       m.e_count AS count, m.e_count_unit AS count_unit,
       CASE WHEN m.count_changed THEN m.e_count * u.chips_per_unit ELSE m.chips END AS chips,
       m.e_hours AS hours, m.hours_text,
       CASE WHEN m.fields IS NULL THEN 'extracted'
            WHEN m.sha256 IS NULL THEN 'override' ELSE 'extracted+override' END AS sources,
       coalesce(m.fields, []::VARCHAR[]) AS overridden, m.notes AS override_notes,
       CASE WHEN m.fields IS NULL THEN m.confidence ELSE 1.0 END AS confidence,
       m.confidence AS extracted_confidence,
       m.page, m.quote, m.extractor_version, m.sha256
FROM merged m
LEFT JOIN count_units u ON u.count_unit = m.e_count_unit;

-- Paper-level facts the operation count needs: the most confident (then first) extracted value per
-- kind, or the analyst's override.
CREATE VIEW v_paper_facts AS
WITH extracted AS (
    SELECT paper_id,
           CASE WHEN kind = 'training_set_size' AND unit = 'tokens' THEN 'training_tokens' ELSE kind END AS field,
           value, value_text, unit, page, quote, confidence,
           row_number() OVER (
               PARTITION BY paper_id, CASE WHEN kind = 'training_set_size' AND unit = 'tokens'
                                           THEN 'training_tokens' ELSE kind END
               ORDER BY confidence DESC NULLS LAST, page, char_start) AS pick
    FROM facts
    WHERE kind IN ('parameters', 'flops', 'multiply_adds', 'epochs', 'training_set_size', 'precision')
),
curated AS (
    SELECT paper_id, field, value, value_text, note, author, created_at
    FROM overrides WHERE superseded_by IS NULL AND target = 'paper'
)
SELECT coalesce(c.paper_id, e.paper_id) AS paper_id, coalesce(c.field, e.field) AS field,
       coalesce(c.value, CASE WHEN c.field IS NULL THEN e.value END) AS value,
       coalesce(c.value_text, e.value_text) AS value_text,
       CASE WHEN c.field IS NULL THEN e.unit END AS unit,
       CASE WHEN c.field IS NULL THEN 'extracted' ELSE 'override' END AS source,
       CASE WHEN c.field IS NULL THEN e.page END AS page,
       CASE WHEN c.field IS NULL THEN e.quote
            ELSE c.note || ' (' || c.author || ', ' || strftime(c.created_at, '%Y-%m-%d') || ')' END AS quote,
       CASE WHEN c.field IS NULL THEN e.confidence ELSE 1.0 END AS confidence
FROM (SELECT * FROM extracted WHERE pick = 1) e
FULL OUTER JOIN curated c ON c.paper_id = e.paper_id AND c.field = e.field;

-- Every override, active or superseded, for audit.
CREATE VIEW v_overrides AS
SELECT o.override_id, o.paper_id, p.title, o.target, o.phase, o.run_id, o.field, o.value_text, o.resolved,
       o.note, o.author, o.created_at, o.superseded_by IS NULL AS active, o.superseded_by
FROM overrides o
LEFT JOIN papers p ON p.paper_id = o.paper_id;

-- Hardware names no catalog alias resolves (or resolves only by assumption), most frequent first.
CREATE VIEW v_unresolved_hardware AS
SELECT name, source, status, rule, accelerator, occurrences
FROM hardware_names
WHERE status <> 'resolved'
ORDER BY status DESC, occurrences DESC, name;

-- One row per (effective) training run: hardware, time and every estimate beside it.
CREATE VIEW v_training_compute AS
WITH e AS (
    SELECT run_id,
           max(value) FILTER (WHERE method = 'hardware_burden') AS hardware_burden,
           max(peak_flops) FILTER (WHERE method = 'hardware_burden') AS burden_peak_flops,
           max(peak_basis) FILTER (WHERE method = 'hardware_burden') AS burden_peak_basis,
           max(value) FILTER (WHERE method = 'hardware_time') AS estimated_compute,
           max(value_low) FILTER (WHERE method = 'hardware_time') AS estimated_compute_low,
           max(value_high) FILTER (WHERE method = 'hardware_time') AS estimated_compute_high,
           max(assumptions) FILTER (WHERE method = 'hardware_time') AS estimate_assumptions,
           max(value) FILTER (WHERE method = 'operation_count') AS operation_count,
           max(value) FILTER (WHERE method = 'parameter_tokens') AS parameter_tokens,
           max(value) FILTER (WHERE method = 'cost') AS cost_usd,
           max(value_low) FILTER (WHERE method = 'cost') AS cost_usd_low,
           max(value_high) FILTER (WHERE method = 'cost') AS cost_usd_high,
           max(value) FILTER (WHERE method = 'energy') AS energy_kwh,
           max(value) FILTER (WHERE method = 'co2') AS co2_kg,
           max(value_low) FILTER (WHERE method = 'co2') AS co2_kg_low,
           max(value_high) FILTER (WHERE method = 'co2') AS co2_kg_high
    FROM compute_estimates
    WHERE run_id IS NOT NULL
    GROUP BY run_id
)
SELECT
    r.paper_id, p.title, year(p.published) AS year, r.run_id, r.label, r.phase,
    r.accelerator, r.accelerator_text, h.name AS accelerator_name,
    r.count, r.count_unit, r.chips, r.hours, r.hours_text,
    e.burden_peak_flops, e.burden_peak_basis, e.hardware_burden,
    e.estimated_compute, e.estimated_compute_low, e.estimated_compute_high, e.estimate_assumptions,
    e.operation_count, e.parameter_tokens,
    e.cost_usd, e.cost_usd_low, e.cost_usd_high, e.energy_kwh, e.co2_kg, e.co2_kg_low, e.co2_kg_high,
    r.sources, r.overridden, r.override_notes,
    r.page, r.quote, r.confidence, r.extracted_confidence, r.extractor_version, r.sha256
FROM v_effective_runs r
LEFT JOIN papers p ON p.paper_id = r.paper_id
LEFT JOIN hardware h ON h.accelerator = r.accelerator
LEFT JOIN e ON e.run_id = r.run_id;

-- Compute per paper: per phase the largest run, summed over phases (Thompson et al. sum pre-training
-- and fine-tuning of one model); runs below 0.5 confidence are left out. `headline_compute` follows
-- Epoch AI's preference: operation counting, else hardware time.
CREATE VIEW v_paper_compute AS
WITH runs AS (
    SELECT e.*, r.confidence
    FROM compute_estimates e
    LEFT JOIN v_effective_runs r ON r.run_id = e.run_id
    WHERE e.run_id IS NULL OR coalesce(r.confidence, 1) >= 0.5
),
per_phase AS (
    SELECT paper_id, phase, method,
           arg_max(value, value) AS value, arg_max(value_low, value) AS value_low,
           arg_max(value_high, value) AS value_high, bool_or(headline) AS headline,
           list(DISTINCT run_id ORDER BY run_id) FILTER (WHERE run_id IS NOT NULL) AS run_ids
    FROM runs
    GROUP BY paper_id, phase, method
),
per_paper AS (
    SELECT paper_id, method, sum(value) AS value, sum(value_low) AS value_low, sum(value_high) AS value_high,
           bool_or(headline) AS headline, count(*) AS phases, flatten(list(run_ids)) AS run_ids
    FROM per_phase
    GROUP BY paper_id, method
)
SELECT paper_id,
       max(value) FILTER (WHERE method = 'hardware_burden') AS hardware_burden,
       max(value) FILTER (WHERE method = 'hardware_time') AS estimated_compute,
       max(value_low) FILTER (WHERE method = 'hardware_time') AS estimated_compute_low,
       max(value_high) FILTER (WHERE method = 'hardware_time') AS estimated_compute_high,
       max(value) FILTER (WHERE method = 'operation_count') AS operation_count,
       max(value) FILTER (WHERE method = 'parameter_tokens') AS parameter_tokens,
       max(value) FILTER (WHERE headline) AS headline_compute,
       max(value_low) FILTER (WHERE headline) AS headline_compute_low,
       max(value_high) FILTER (WHERE headline) AS headline_compute_high,
       max(method) FILTER (WHERE headline) AS headline_method,
       max(value) FILTER (WHERE method = 'cost') AS cost_usd,
       max(value_low) FILTER (WHERE method = 'cost') AS cost_usd_low,
       max(value_high) FILTER (WHERE method = 'cost') AS cost_usd_high,
       max(value) FILTER (WHERE method = 'energy') AS energy_kwh,
       max(value) FILTER (WHERE method = 'co2') AS co2_kg,
       max(value_low) FILTER (WHERE method = 'co2') AS co2_kg_low,
       max(value_high) FILTER (WHERE method = 'co2') AS co2_kg_high,
       max(phases) FILTER (WHERE method = 'hardware_burden') AS phases,
       coalesce(max(run_ids) FILTER (WHERE method = 'hardware_burden'), []::VARCHAR[]) AS run_ids
FROM per_paper
GROUP BY paper_id;

-- One point per (paper, benchmark): the paper's best headline score beside its compute.
-- An analyst's override wins, then Papers with Code rows, then extracted ones.
CREATE VIEW v_benchmark_points AS
WITH candidates AS (
    SELECT s.*, b.higher_is_better,
           row_number() OVER (
               PARTITION BY s.paper_id, s.benchmark
               ORDER BY CASE s.source WHEN 'override' THEN 0 WHEN 'pwc' THEN 1 ELSE 2 END,
                        CASE WHEN b.higher_is_better THEN -s.value ELSE s.value END,
                        s.result_id
           ) AS rank
    FROM results s
    JOIN benchmarks b ON b.benchmark = s.benchmark AND b.headline_metric = s.metric_key
    WHERE s.paper_id IS NOT NULL AND s.value IS NOT NULL
      -- extracted results below 0.6 confidence (ablations, cost tables) are not headline numbers
      AND (s.source <> 'extracted' OR coalesce(s.confidence, 0) >= 0.6)
)
SELECT
    c.paper_id || ':' || c.benchmark AS point_id,
    c.paper_id, c.benchmark, c.dataset, c.metric, c.model,
    c.value AS score,
    CASE WHEN c.higher_is_better THEN 1 - c.value / 100 ELSE c.value END AS error,
    pc.hardware_burden AS compute,
    'hardware_burden' AS compute_kind,
    year(p.published) AS year,
    c.source AS result_source, c.result_id, pc.run_ids,
    pc.estimated_compute, pc.headline_compute, pc.headline_method
FROM candidates c
JOIN v_paper_compute pc ON pc.paper_id = c.paper_id
LEFT JOIN papers p ON p.paper_id = c.paper_id
WHERE c.rank = 1 AND pc.hardware_burden IS NOT NULL;

-- Per paper (arXiv id): hardware, count, hours and compute from each source side by side.
-- extracted: the PDF extraction (v_training_compute; compute = v_paper_compute's burden);
-- thompson: their CSV rows (hours = the phases' seconds summed; compute = hardware_burden);
-- epoch: their database rows (the newest, most complete row of all files loaded).
CREATE VIEW v_source_comparison AS
WITH extracted AS (
    SELECT paper_id,
           string_agg(DISTINCT coalesce(accelerator_name, accelerator, accelerator_text), '; ') AS hardware,
           max(count) AS hardware_count, max(chips) AS chips, max(hours) AS hours
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
    pc.estimated_compute AS extracted_estimated_compute, pc.headline_compute AS extracted_headline_compute,
    pc.headline_method AS extracted_headline_method,
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
