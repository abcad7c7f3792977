-- 0014: effective compute for every run (issue 15). Thompson et al.'s rows get one beside their hardware
-- burden: their hardware and time, each chip at the precision it was usually trained at (the catalog's
-- usual_precision, else Epoch's order) x Epoch's default utilisation (warehouse/checks.py). The
-- regression points' `estimated_compute` of a Thompson row is that figure, so burden and effective
-- compute are fitted on the same rows. Papers' stated utilisation (MFU, fact kind `utilization`) joins
-- their facts; their stated compute is read from `facts` directly (warehouse/stated_compute.py).

ALTER TABLE check_thompson_burden ADD COLUMN effective_compute DOUBLE;
ALTER TABLE check_thompson_burden ADD COLUMN effective_compute_low DOUBLE;
ALTER TABLE check_thompson_burden ADD COLUMN effective_compute_high DOUBLE;
ALTER TABLE check_thompson_burden ADD COLUMN effective_basis VARCHAR;

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

-- As in 0008 (renamed v_regression_points_base by 0011), with the Thompson rows' effective compute.
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
           source_file || ':' || source_row AS provenance
    FROM thompson_scores
),
-- Scores held in the warehouse (analyst overrides, Papers with Code, extraction): the best per paper.
scores AS (
    SELECT s.*, b.higher_is_better,
           row_number() OVER (
               PARTITION BY s.paper_id, s.benchmark
               ORDER BY CASE s.source WHEN 'override' THEN 0 WHEN 'pwc' THEN 1 WHEN 'pwc_api' THEN 1 ELSE 2 END,
                        CASE WHEN b.higher_is_better THEN -s.value ELSE s.value END, s.result_id
           ) AS rank
    FROM (SELECT r.* REPLACE (coalesce(r.paper_id, l.paper_id) AS paper_id)
          FROM results r
          LEFT JOIN paper_links l ON l.source = r.source AND l.record_id = r.result_id) s
    JOIN benchmarks b ON b.benchmark = s.benchmark AND b.headline_metric = s.metric_key
    WHERE s.paper_id IS NOT NULL AND s.value IS NOT NULL
      AND (s.source <> 'extracted' OR coalesce(s.confidence, 0) >= 0.6)
),
best AS (
    SELECT s.*, CASE WHEN s.higher_is_better THEN 1 - s.value / 100 ELSE s.value END AS error,
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
           pc.hardware_burden, coalesce(pc.headline_compute, pc.estimated_compute) AS estimated_compute,
           pc.operation_count AS network_operations,
           'result ' || b.result_id || '; runs ' || array_to_string(pc.run_ids, ',') AS provenance
    FROM best b
    JOIN v_paper_compute pc ON pc.paper_id = b.paper_id
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
           'result ' || b.result_id || '; epoch ' || e.source_file || ':' || e.source_row AS provenance
    FROM best b
    JOIN epoch_linked e ON e.paper_id = b.paper_id
    WHERE e.training_compute_flop IS NOT NULL OR e.hardware_burden IS NOT NULL
)
SELECT * FROM thompson
UNION ALL SELECT * FROM extracted
UNION ALL SELECT * FROM epoch;
