-- 0016: compute per (paper, benchmark), not per paper (issue 15). A paper that trains one model on
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
