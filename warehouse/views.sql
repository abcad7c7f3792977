-- Every view of the warehouse, one body each (issue 17). The migrator re-creates them all after the
-- migrations, whenever this file changes or a migration was applied (warehouse/migrations.py), in the
-- order below (a view after those it reads). Migrations hold tables, data and macros only; a view is
-- changed here, in one place. Analysts' guide to the views: README.md.

-- One row per paper: metadata, its document and how much was extracted from it.
CREATE OR REPLACE VIEW v_papers AS
SELECT
    p.paper_id, p.version, p.title, p.authors, p.primary_category, p.categories,
    p.published, p.updated, p.source,
    d.sha256, d.pages, d.parse_status, d.error AS parse_error, d.extractor_version,
    (SELECT count(*) FROM training_runs r WHERE r.paper_id = p.paper_id) AS training_runs,
    (SELECT count(*) FROM results s WHERE s.paper_id = p.paper_id) AS results,
    (SELECT count(*) FROM facts f WHERE f.paper_id = p.paper_id) AS facts
FROM papers p
LEFT JOIN documents d ON d.paper_id = p.paper_id AND d.version = p.version;

-- Thompson hardware per (model row, phase, processor): model, amount, peak and the phase's time.
CREATE OR REPLACE VIEW v_thompson_hardware AS
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

-- Runs as the estimates see them: extracted runs with analysts' overrides applied (an override
-- without a run target applies to the phase's most confident run, or stands alone as a new run).
CREATE OR REPLACE VIEW v_effective_runs AS
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

-- Every override, active or superseded, for audit.
CREATE OR REPLACE VIEW v_overrides AS
SELECT o.override_id, o.paper_id, p.title, o.target, o.phase, o.run_id, o.field, o.value_text, o.resolved,
       o.note, o.author, o.created_at, o.superseded_by IS NULL AS active, o.superseded_by
FROM overrides o
LEFT JOIN papers p ON p.paper_id = o.paper_id;

-- Compute per paper: per phase the largest run, summed over phases (Thompson et al. sum pre-training
-- and fine-tuning of one model); runs below 0.5 confidence are left out. `headline_compute` follows
-- Epoch AI's preference: operation counting, else hardware time.
CREATE OR REPLACE VIEW v_paper_compute AS
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

-- One row per (effective) training run: hardware, time and every estimate beside it.
CREATE OR REPLACE VIEW v_training_compute AS
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

-- Per paper (arXiv id): hardware, count, hours and compute from each source side by side.
-- extracted: the PDF extraction (v_training_compute; compute = v_paper_compute's burden);
-- thompson: their CSV rows (hours = the phases' seconds summed; compute = hardware_burden);
-- epoch: their database rows (the newest, most complete row of all files loaded).
CREATE OR REPLACE VIEW v_source_comparison AS
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

-- Hardware names no catalog alias resolves (or resolves only by assumption), most frequent first.
CREATE OR REPLACE VIEW v_unresolved_hardware AS
SELECT name, source, status, rule, accelerator, occurrences
FROM hardware_names
WHERE status <> 'resolved'
ORDER BY status DESC, occurrences DESC, name;

CREATE OR REPLACE VIEW v_ingest_runs AS
SELECT run_id, status, mode, started_at, finished_at, published_at,
       date_diff('millisecond', started_at, finished_at) / 1000.0 AS seconds,
       papers_crawled, pdfs_downloaded, pdfs_parsed, facts_extracted, results_loaded, fits_made, errors,
       watermark, task_runner, stage_seconds, counts, cached, flow_run_id, message
FROM ingest_runs
ORDER BY started_at DESC;

CREATE OR REPLACE VIEW v_open_errors AS
SELECT stage, source, message, retryable, occurrences, first_seen, last_seen, last_run_id
FROM errors
WHERE resolved_at IS NULL
ORDER BY stage, last_seen DESC;

CREATE OR REPLACE VIEW v_backfill AS
SELECT state, count(*) AS papers, min(priority) AS best_priority, sum(attempts) AS attempts,
       max(updated_at) AS last_update
FROM backfill_queue
GROUP BY state
ORDER BY state;

-- v_corpus: one row per paper (arXiv id, or a local id) that any source names, with what each
-- source says of it: arXiv metadata and PDF state, the extraction's runs, results and compute,
-- Thompson et al.'s, Epoch AI's and Papers with Code's rows (by `paper_links`), the backfill queue.
-- v_coverage: per benchmark and year, the papers known to report it, and how many have a score,
-- compute, or both (what a fit could use).
CREATE OR REPLACE VIEW v_corpus AS
WITH ids AS (
    SELECT paper_id FROM papers
    UNION SELECT paper_id FROM paper_links
    UNION SELECT paper_id FROM backfill_queue
),
thompson AS (
    SELECT coalesce(m.paper_id, l.paper_id) AS paper_id, count(*) AS thompson_rows,
           list(DISTINCT m.benchmark ORDER BY m.benchmark) AS thompson_benchmarks, min(m.title) AS title,
           min(m.year) AS year, max(m.hardware_burden) AS thompson_burden
    FROM thompson_models m
    LEFT JOIN paper_links l ON l.source = 'thompson' AND l.record_id = m.model_id
    WHERE coalesce(m.paper_id, l.paper_id) IS NOT NULL
    GROUP BY 1
),
epoch AS (
    SELECT l.paper_id, count(*) AS epoch_rows, max(e.training_compute_flop) AS epoch_compute,
           min(e.model) AS model, min(year(e.publication_date)) AS year
    FROM paper_links l JOIN epoch_models e ON l.source = 'epoch' AND l.record_id = e.model_id
    GROUP BY 1
),
pwc AS (
    SELECT l.paper_id, count(*) AS pwc_results,
           list(DISTINCT r.benchmark ORDER BY r.benchmark) FILTER (WHERE r.benchmark IS NOT NULL) AS pwc_benchmarks,
           min(r.paper_title) AS title, min(year(r.paper_date)) AS year
    FROM paper_links l JOIN results r ON l.source IN ('pwc', 'pwc_api') AND l.record_id = r.result_id
    GROUP BY 1
),
links AS (
    SELECT paper_id, list(DISTINCT method ORDER BY method) AS link_methods FROM paper_links GROUP BY 1
)
SELECT
    i.paper_id,
    coalesce(p.title, t.title, w.title, e.model) AS title,
    coalesce(year(p.published), t.year, e.year, w.year) AS year,
    p.source AS metadata_source, p.version,
    coalesce(v.parse_status, CASE WHEN p.paper_id IS NULL THEN 'no paper row' ELSE 'no PDF' END) AS pdf_state,
    q.state AS queue_state, q.last_error AS queue_error,
    coalesce(v.training_runs, 0) AS training_runs,
    coalesce((SELECT count(*) FROM results r WHERE r.paper_id = i.paper_id AND r.source = 'extracted'), 0)
        AS extracted_results,
    pc.hardware_burden AS extracted_burden, pc.headline_compute AS extracted_compute,
    coalesce(t.thompson_rows, 0) AS thompson_rows, t.thompson_benchmarks, t.thompson_burden,
    coalesce(e.epoch_rows, 0) AS epoch_rows, e.epoch_compute,
    coalesce(w.pwc_results, 0) AS pwc_results, w.pwc_benchmarks,
    k.link_methods
FROM ids i
LEFT JOIN papers p ON p.paper_id = i.paper_id
LEFT JOIN v_papers v ON v.paper_id = i.paper_id
LEFT JOIN v_paper_compute pc ON pc.paper_id = i.paper_id
LEFT JOIN backfill_queue q ON q.paper_id = i.paper_id
LEFT JOIN thompson t ON t.paper_id = i.paper_id
LEFT JOIN epoch e ON e.paper_id = i.paper_id
LEFT JOIN pwc w ON w.paper_id = i.paper_id
LEFT JOIN links k ON k.paper_id = i.paper_id;

CREATE OR REPLACE VIEW v_coverage AS
WITH scored AS (   -- a headline score on a benchmark, from any source (each record under its paper's id)
    SELECT coalesce(m.paper_id, l.paper_id, 'thompson:' || m.model_id) AS paper_key, m.benchmark, m.year
    FROM thompson_models m
    JOIN benchmarks b ON b.benchmark = m.benchmark
    JOIN thompson_metrics t ON t.model_id = m.model_id AND t.metric_key = b.headline_metric AND t.value IS NOT NULL
    LEFT JOIN paper_links l ON l.source = 'thompson' AND l.record_id = m.model_id
    UNION ALL
    SELECT coalesce(r.paper_id, l.paper_id) AS paper_key, r.benchmark,
           coalesce(year(p.published), year(r.paper_date)) AS year
    FROM results r
    JOIN benchmarks b ON b.benchmark = r.benchmark AND b.headline_metric = r.metric_key
    LEFT JOIN paper_links l ON l.source = r.source AND l.record_id = r.result_id
    LEFT JOIN papers p ON p.paper_id = coalesce(r.paper_id, l.paper_id)
    WHERE r.value IS NOT NULL AND coalesce(r.paper_id, l.paper_id) IS NOT NULL
      AND (r.source <> 'extracted' OR coalesce(r.confidence, 0) >= 0.6)
),
named AS (         -- papers a source ties to a benchmark, scored or not
    SELECT paper_key, benchmark, year FROM scored
    UNION ALL
    SELECT coalesce(m.paper_id, l.paper_id, 'thompson:' || m.model_id), m.benchmark, m.year
    FROM thompson_models m LEFT JOIN paper_links l ON l.source = 'thompson' AND l.record_id = m.model_id
    UNION ALL
    SELECT q.paper_id, unnest(q.benchmarks), year(p.published)
    FROM backfill_queue q LEFT JOIN papers p ON p.paper_id = q.paper_id
),
computed AS (      -- papers with training compute from any source
    SELECT paper_id AS paper_key FROM v_paper_compute
    WHERE coalesce(hardware_burden, headline_compute, estimated_compute) > 0
    UNION
    SELECT coalesce(m.paper_id, l.paper_id, 'thompson:' || m.model_id)
    FROM thompson_models m LEFT JOIN paper_links l ON l.source = 'thompson' AND l.record_id = m.model_id
    WHERE m.hardware_burden > 0
    UNION
    SELECT l.paper_id FROM paper_links l JOIN epoch_models e ON l.source = 'epoch' AND l.record_id = e.model_id
    WHERE e.training_compute_flop > 0
),
per_paper AS (
    SELECT n.benchmark, n.paper_key, min(n.year) AS year,
           bool_or(s.paper_key IS NOT NULL) AS with_score, bool_or(c.paper_key IS NOT NULL) AS with_compute
    FROM named n
    LEFT JOIN (SELECT DISTINCT paper_key, benchmark FROM scored) s
           ON s.paper_key = n.paper_key AND s.benchmark = n.benchmark
    LEFT JOIN computed c ON c.paper_key = n.paper_key
    WHERE n.benchmark IS NOT NULL
    GROUP BY n.benchmark, n.paper_key
)
SELECT benchmark, year, count(*) AS papers,
       count(*) FILTER (WHERE with_score) AS with_score,
       count(*) FILTER (WHERE with_compute) AS with_compute,
       count(*) FILTER (WHERE with_score AND with_compute) AS with_both
FROM per_paper
GROUP BY benchmark, year
ORDER BY benchmark, year;

-- As in 0004 (renamed v_benchmark_points_all by 0011), with the registry's rule for the error.
CREATE OR REPLACE VIEW v_benchmark_points_all AS
WITH candidates AS (
    SELECT s.*, b.higher_is_better, b.error_kind,
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
    benchmark_error(c.error_kind, c.value) AS error,
    pc.hardware_burden AS compute,
    'hardware_burden' AS compute_kind,
    year(p.published) AS year,
    c.source AS result_source, c.result_id, pc.run_ids,
    pc.estimated_compute, pc.headline_compute, pc.headline_method
FROM candidates c
JOIN v_paper_compute pc ON pc.paper_id = c.paper_id
LEFT JOIN papers p ON p.paper_id = c.paper_id
WHERE c.rank = 1 AND pc.hardware_burden IS NOT NULL;

CREATE OR REPLACE VIEW v_benchmark_points AS
SELECT b.* FROM v_benchmark_points_all b
WHERE NOT EXISTS (SELECT 1 FROM papers p WHERE p.paper_id = b.paper_id AND p.synthetic);

CREATE OR REPLACE VIEW v_paper_facts AS
WITH extracted AS (
    SELECT paper_id,
           CASE WHEN kind = 'training_set_size' AND unit = 'tokens' THEN 'training_tokens' ELSE kind END AS field,
           value, value_text, unit, page, quote, confidence,
           row_number() OVER (
               PARTITION BY paper_id, CASE WHEN kind = 'training_set_size' AND unit = 'tokens'
                                           THEN 'training_tokens' ELSE kind END
               ORDER BY confidence DESC NULLS LAST, page, char_start) AS pick
    FROM facts
    WHERE kind IN ('parameters', 'flops', 'multiply_adds', 'epochs', 'training_set_size', 'precision',
                   'utilization')
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

-- ImageNet for 3 days and another on JFT for a month has an ImageNet point of 3 days, not of a month.
-- The extractor records the dataset a run's statement names (`dataset` in the run's JSON, kept in the
-- `facts` row of kind training_run whose fact_id is the run_id): a benchmark id, another dataset's
-- name, or none.
--
-- For each benchmark a paper reports, per phase: the runs whose dataset is that benchmark, else the
-- runs that name no dataset; runs that name another dataset count only in pre-training (a model is
-- trained through its pre-training before it meets the benchmark). Per phase the largest such run;
-- phases summed, as v_paper_compute does. Runs below 0.5 confidence are left out, as there.
CREATE OR REPLACE VIEW v_run_datasets AS
SELECT r.run_id, r.paper_id, r.phase, json_extract_string(f.value_text, '$.dataset') AS dataset
FROM v_effective_runs r
LEFT JOIN facts f ON f.fact_id = r.run_id AND f.kind = 'training_run';

CREATE OR REPLACE VIEW v_point_compute AS
WITH runs AS (
    SELECT e.paper_id, e.run_id, e.phase, e.method, e.value, e.value_low, e.value_high, d.dataset
    FROM compute_estimates e
    JOIN v_effective_runs r ON r.run_id = e.run_id
    LEFT JOIN v_run_datasets d ON d.run_id = e.run_id
    WHERE e.method IN ('hardware_burden', 'hardware_time') AND e.chips IS NOT NULL
      AND coalesce(r.confidence, 1) >= 0.5
),
targets AS (
    SELECT DISTINCT paper_id, benchmark FROM results WHERE paper_id IS NOT NULL AND benchmark IS NOT NULL
),
tied AS (
    SELECT t.benchmark, u.*,
           CASE WHEN u.dataset = t.benchmark THEN 0 WHEN u.dataset IS NULL THEN 1 ELSE 2 END AS tie
    FROM targets t
    JOIN runs u ON u.paper_id = t.paper_id
),
chosen AS (
    SELECT * FROM (
        SELECT *, min(tie) OVER (PARTITION BY paper_id, benchmark, phase) AS best_tie FROM tied
    )
    WHERE tie = best_tie AND (tie < 2 OR phase = 'pretraining')
),
per_phase AS (
    SELECT paper_id, benchmark, phase, method, arg_max(run_id, value) AS run_id, max(value) AS value,
           arg_max(value_low, value) AS value_low, arg_max(value_high, value) AS value_high,
           arg_max(dataset, value) AS dataset
    FROM chosen
    GROUP BY paper_id, benchmark, phase, method
)
SELECT paper_id, benchmark,
       sum(value) FILTER (WHERE method = 'hardware_burden') AS hardware_burden,
       sum(value) FILTER (WHERE method = 'hardware_time') AS estimated_compute,
       sum(value_low) FILTER (WHERE method = 'hardware_time') AS estimated_compute_low,
       sum(value_high) FILTER (WHERE method = 'hardware_time') AS estimated_compute_high,
       list(DISTINCT run_id ORDER BY run_id) AS run_ids,
       list(DISTINCT phase ORDER BY phase) AS phases,
       list(DISTINCT dataset ORDER BY dataset) FILTER (WHERE dataset IS NOT NULL) AS run_datasets
FROM per_phase
GROUP BY paper_id, benchmark;

-- As in 0017, except that a warehouse score's error is its benchmark's rule (Thompson et al.'s rows keep
-- 1 - score/100: their six benchmarks are all accuracy-like, in percent).
CREATE OR REPLACE VIEW v_regression_points_base AS
WITH thompson_scores AS (
    SELECT m.* REPLACE (coalesce(m.paper_id, l.paper_id) AS paper_id), t.value AS score, t.metric_key AS metric_key,
           c.effective_compute
    FROM thompson_models m
    LEFT JOIN paper_links l ON l.source = 'thompson' AND l.record_id = m.model_id
    LEFT JOIN check_thompson_burden c ON c.model_id = m.model_id
    JOIN benchmarks b ON b.benchmark = m.benchmark
    JOIN thompson_metrics t ON t.model_id = m.model_id AND t.metric_key = b.headline_metric
    WHERE t.value IS NOT NULL
),
-- Thompson et al.'s own rows: their score, their hardware burden, its effective compute and network operations.
thompson AS (
    SELECT 'thompson:' || model_id AS point_id, paper_id, coalesce(paper_id, 'thompson:' || model_id) AS paper_key,
           benchmark, trim(name) AS model, metric_key AS metric, score, 1 - score / 100 AS error, year,
           'thompson' AS result_source, 'thompson' AS compute_source,
           hardware_burden, effective_compute AS estimated_compute, network_operations,
           source_file || ':' || source_row AS provenance,
           CASE WHEN regexp_matches(coalesce(name, ''), '(?i)\bensemble') THEN 'ensemble' ELSE 'single' END AS model_kind
    FROM thompson_scores
),
-- Scores held in the warehouse (analyst overrides, Papers with Code, extraction): the best per paper.
scores AS (
    SELECT s.*, b.higher_is_better, b.error_kind,
           row_number() OVER (
               PARTITION BY s.paper_id, s.benchmark
               ORDER BY CASE s.source WHEN 'override' THEN 0 WHEN 'pwc' THEN 1 WHEN 'pwc_api' THEN 1 ELSE 2 END,
                        s.model_kind = 'ensemble',
                        CASE WHEN b.higher_is_better THEN -s.value ELSE s.value END, s.result_id
           ) AS rank
    FROM (SELECT r.* REPLACE (coalesce(r.paper_id, l.paper_id) AS paper_id),
                 CASE WHEN regexp_matches(coalesce(r.model, '') || ' ' || coalesce(r.quote, ''), '(?i)\bensembles?\b')
                      THEN 'ensemble' ELSE 'single' END AS model_kind
          FROM results r
          LEFT JOIN paper_links l ON l.source = r.source AND l.record_id = r.result_id) s
    JOIN benchmarks b ON b.benchmark = s.benchmark AND b.headline_metric = s.metric_key
    WHERE s.paper_id IS NOT NULL AND s.value IS NOT NULL
      AND (s.source <> 'extracted' OR coalesce(s.confidence, 0) >= 0.6)
),
best AS (
    SELECT s.*, benchmark_error(s.error_kind, s.value) AS error,
           coalesce(year(p.published), year(s.paper_date)) AS year
    FROM scores s
    LEFT JOIN papers p ON p.paper_id = s.paper_id
    WHERE s.rank = 1
),
-- ... with the compute extracted from the paper itself (overrides applied),
extracted AS (
    SELECT b.paper_id || ':' || b.benchmark || ':extracted' AS point_id, b.paper_id, b.paper_id AS paper_key,
           b.benchmark, b.model, b.metric_key AS metric, b.value AS score, b.error, b.year,
           b.source AS result_source, 'extracted' AS compute_source,
           pt.hardware_burden,
           coalesce(CASE WHEN pc.headline_method <> 'hardware_time' THEN pc.headline_compute END,
                    pt.estimated_compute) AS estimated_compute,
           pc.operation_count AS network_operations,
           'result ' || b.result_id || '; runs ' || array_to_string(coalesce(pt.run_ids, pc.run_ids), ',')
               || coalesce('; compute ' || pc.headline_method, '') AS provenance,
           b.model_kind
    FROM best b
    LEFT JOIN v_point_compute pt ON pt.paper_id = b.paper_id AND pt.benchmark = b.benchmark
    LEFT JOIN v_paper_compute pc ON pc.paper_id = b.paper_id
    WHERE pt.paper_id IS NOT NULL OR pc.paper_id IS NOT NULL
),
-- ... and with Epoch AI's compute for the same arXiv paper (the newest, most complete row).
epoch_ids AS (
    SELECT unnest(e.arxiv_ids) AS paper_id, e.model_id, e.model, e.training_compute_flop, e.publication_date,
           e.source_file, e.source_row, e.last_modified
    FROM epoch_models e
    UNION ALL
    SELECT l.paper_id, e.model_id, e.model, e.training_compute_flop, e.publication_date,
           e.source_file, e.source_row, e.last_modified
    FROM epoch_models e
    JOIN paper_links l ON l.source = 'epoch' AND l.record_id = e.model_id
    WHERE e.paper_id IS NULL AND len(coalesce(e.arxiv_ids, []::VARCHAR[])) = 0
),
epoch_linked AS (
    SELECT * FROM (
        SELECT i.*, c.hardware_burden,
               row_number() OVER (PARTITION BY i.paper_id
                                  ORDER BY (i.training_compute_flop IS NOT NULL) DESC,
                                           i.last_modified DESC NULLS LAST, i.source_file DESC, i.source_row) AS pick
        FROM epoch_ids i
        LEFT JOIN check_epoch_compute c ON c.model_id = i.model_id
    ) WHERE pick = 1
),
epoch AS (
    SELECT b.paper_id || ':' || b.benchmark || ':epoch' AS point_id, b.paper_id, b.paper_id AS paper_key,
           b.benchmark, coalesce(b.model, e.model) AS model, b.metric_key AS metric, b.value AS score, b.error,
           coalesce(b.year, year(e.publication_date)) AS year, b.source AS result_source, 'epoch' AS compute_source,
           e.hardware_burden, e.training_compute_flop AS estimated_compute, NULL::DOUBLE AS network_operations,
           'result ' || b.result_id || '; epoch ' || e.source_file || ':' || e.source_row AS provenance,
           b.model_kind
    FROM best b
    JOIN epoch_linked e ON e.paper_id = b.paper_id
    WHERE e.training_compute_flop IS NOT NULL OR e.hardware_burden IS NOT NULL
)
SELECT * FROM thompson
UNION ALL SELECT * FROM extracted
UNION ALL SELECT * FROM epoch;

-- The views over it bind their column list when created; the list is unchanged, re-created all the same.
CREATE OR REPLACE VIEW v_regression_points_all AS
SELECT r.*, coalesce(p.synthetic, false) AS synthetic
FROM v_regression_points_base r
LEFT JOIN papers p ON p.paper_id = r.paper_id;

CREATE OR REPLACE VIEW v_regression_points AS
SELECT * EXCLUDE (synthetic) FROM v_regression_points_all WHERE NOT synthetic;
