"""SQL of compute accounting: estimates, hardware names, overrides, review and reference checks."""

from __future__ import annotations

DELETE_ESTIMATES = "DELETE FROM compute_estimates"

INSERT_ESTIMATE = """
INSERT INTO compute_estimates (estimate_id, run_id, paper_id, phase, method, unit, value, value_low, value_high,
                               headline, peak_flops, peak_basis, chips, seconds, utilization, inputs,
                               assumptions, sources)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""

EFFECTIVE_RUNS = """
SELECT run_id, paper_id, phase, accelerator, chips, hours, sources,
       row_number() OVER (PARTITION BY paper_id, phase ORDER BY confidence DESC NULLS LAST, run_id) AS phase_rank
FROM v_effective_runs
ORDER BY paper_id, phase, run_id
"""

PAPER_FACTS = "SELECT paper_id, field, value, value_text, source FROM v_paper_facts"

PAPER_META = "SELECT paper_id, published::DATE, categories FROM papers"

# Compute the papers state ("2.5k TPUv3-core-days"): extracted `compute` facts of 0.5 confidence or more
# (a statement beside a citation is another paper's, read at 0.3). ? = the papers (NULL: all).
STATED_COMPUTE = """
SELECT paper_id, fact_id, value, unit, quote, page FROM facts
WHERE kind = 'compute' AND coalesce(confidence, 0) >= 0.5
  AND (?::VARCHAR[] IS NULL OR paper_id IN (SELECT unnest(?::VARCHAR[])))
ORDER BY paper_id, page, char_start
"""

EXTRACTED_NAMES = "SELECT accelerator_text, accelerator FROM v_effective_runs WHERE sources <> 'override'"

THOMPSON_NAMES = "SELECT hardware FROM v_thompson_hardware WHERE hardware IS NOT NULL"

EPOCH_NAMES = "SELECT unnest(hardware) FROM epoch_models WHERE hardware IS NOT NULL"

INSERT_HARDWARE_NAME = "INSERT INTO hardware_names VALUES (?, ?, ?, ?, ?, ?, ?)"

# --- overrides ---------------------------------------------------------------------------------

PAPER_EXISTS = """
SELECT (SELECT count(*) FROM papers WHERE paper_id = ?) + (SELECT count(*) FROM training_runs WHERE paper_id = ?)
"""

RUNS_OF_PAPER = """
SELECT run_id, phase, accelerator, count, hours, confidence, sources
FROM v_effective_runs WHERE paper_id = ? ORDER BY phase, confidence DESC NULLS LAST, run_id
"""

SUPERSEDE_OVERRIDES = """
UPDATE overrides SET superseded_by = ?
WHERE superseded_by IS NULL AND paper_id = ? AND target = ? AND field = ?
  AND phase IS NOT DISTINCT FROM ? AND run_id IS NOT DISTINCT FROM ?
"""

INSERT_OVERRIDE = """
INSERT INTO overrides (override_id, paper_id, target, phase, run_id, field, value_text, value, resolved, note,
                       author, created_at, superseded_by)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
"""

# Result overrides are materialised as `results` rows of source 'override' (extraction never deletes them).
DELETE_OVERRIDE_RESULTS = "DELETE FROM results WHERE source = 'override'"

INSERT_OVERRIDE_RESULTS = """
INSERT INTO results (result_id, paper_id, source, dataset, benchmark, metric, metric_key, value, value_text,
                     model, quote, confidence, source_file, source_row)
SELECT 'override:' || o.override_id, o.paper_id, 'override', b.name, b.benchmark, b.headline_metric,
       b.headline_metric, o.value, o.value_text, NULL,
       o.note || ' (' || o.author || ', ' || strftime(o.created_at, '%Y-%m-%d') || ')', 1.0, 'overrides', NULL
FROM overrides o
JOIN benchmarks b ON o.field = 'score.' || b.benchmark
WHERE o.target = 'result' AND o.superseded_by IS NULL
"""

# --- review ------------------------------------------------------------------------------------

# Runs to look at first: the largest disagreement with Thompson or Epoch (as a factor >= 1), then the
# lowest confidence. Compared like with like: burden with burden, hardware time with Epoch's compute,
# chips and hours with the sources' counts and hours.
REVIEW = """
WITH cmp AS (
    SELECT r.run_id, r.paper_id, r.phase, r.accelerator, r.accelerator_text, r.count, r.count_unit, r.chips,
           r.hours, r.confidence, r.sources, r.page, r.quote,
           t.hardware_burden, t.estimated_compute,
           c.thompson_hardware_burden, c.epoch_compute, c.thompson_count, c.epoch_count, c.thompson_hours,
           c.epoch_hours, c.in_thompson, c.in_epoch,
           greatest(t.hardware_burden / c.thompson_hardware_burden, c.thompson_hardware_burden / t.hardware_burden)
               AS burden_factor,
           greatest(t.estimated_compute / c.epoch_compute, c.epoch_compute / t.estimated_compute) AS epoch_factor,
           greatest(r.hours / c.thompson_hours, c.thompson_hours / r.hours,
                    r.hours / c.epoch_hours, c.epoch_hours / r.hours) AS hours_factor
    FROM v_effective_runs r
    LEFT JOIN v_training_compute t ON t.run_id = r.run_id
    LEFT JOIN v_source_comparison c ON c.paper_id = r.paper_id
    WHERE r.phase = 'training' OR r.phase IS NULL OR c.paper_id IS NOT NULL
)
SELECT *, greatest(coalesce(burden_factor, 1), coalesce(epoch_factor, 1), coalesce(hours_factor, 1)) AS conflict
FROM cmp
ORDER BY (greatest(coalesce(burden_factor, 1), coalesce(epoch_factor, 1), coalesce(hours_factor, 1)) > ?) DESC,
         conflict DESC, confidence ASC NULLS FIRST, paper_id, run_id
LIMIT ?
"""

# --- reference checks ----------------------------------------------------------------------------

THOMPSON_ROWS = """
SELECT model_id, source_file, source_row, benchmark, name, hardware_burden, to_json(m)
FROM (SELECT * EXCLUDE (raw) FROM thompson_models) m
WHERE hardware_burden IS NOT NULL
ORDER BY source_file, source_row
"""

EPOCH_ROWS = """
SELECT model_id, source_file, source_row, model, training_hardware, hardware, hardware_quantity,
       training_time_hours, numerical_format, domain, training_compute_flop, training_compute_estimation_method,
       base_model, hardware_utilization, training_compute_notes
FROM epoch_models
WHERE training_hardware IS NOT NULL AND hardware_quantity IS NOT NULL AND training_time_hours IS NOT NULL
ORDER BY source_file, source_row
"""

DELETE_CHECKS = ("DELETE FROM check_thompson_burden", "DELETE FROM check_epoch_compute")

# rows of each check, Thompson rows within 10%, Epoch rows compared (a non-zero ratio), their median ratio;
# then Epoch's hardware-method rows of their own (no base model): how many, and how many within 2x and
# within 25% once re-run at their utilisation
CHECK_SUMMARY = """
SELECT (SELECT count(*) FROM check_thompson_burden),
       (SELECT count(*) FILTER (WHERE within_10pct) FROM check_thompson_burden),
       (SELECT count(*) FROM check_epoch_compute),
       (SELECT count(ratio) FROM check_epoch_compute WHERE ratio <> 0),
       (SELECT median(ratio) FROM check_epoch_compute WHERE ratio <> 0),
       count(*), count(*) FILTER (WHERE m BETWEEN 0.5 AND 2), count(*) FILTER (WHERE m BETWEEN 0.8 AND 1.25),
       count(*) FILTER (WHERE only_hw), count(*) FILTER (WHERE only_hw AND m BETWEEN 0.5 AND 2),
       count(*) FILTER (WHERE only_hw AND m BETWEEN 0.8 AND 1.25)
FROM (SELECT ratio_at_their_utilization AS m, lower(trim(epoch_method)) = 'hardware' AS only_hw
      FROM check_epoch_compute
      WHERE epoch_method ILIKE '%hardware%' AND base_model IS NULL AND epoch_compute > 0)
"""
