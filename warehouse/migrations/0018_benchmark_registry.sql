-- 0018: the benchmark registry (issue 16). `warehouse/data/benchmarks.csv` is the one vocabulary of
-- benchmarks: the extractor's and Papers with Code's dataset names, tasks and headline metrics are read from
-- it (extract/registry.py), and the warehouse seeds it into `benchmarks` on connect (warehouse/seed.py),
-- as it does the hardware catalog. This migration adds the registry's columns to `benchmarks`, the rule
-- macro, and makes the points' error the registry's rule.
--
-- Numbered 0018, not 0015: 0016 and 0017 re-create v_regression_points_base after 0015 would run, and
-- migrations are applied in version order.

ALTER TABLE benchmarks ADD COLUMN task VARCHAR;
ALTER TABLE benchmarks ADD COLUMN domain VARCHAR;              -- vision | language | code | speech | graph | ...
ALTER TABLE benchmarks ADD COLUMN aliases VARCHAR[];           -- dataset names as printed
ALTER TABLE benchmarks ADD COLUMN dataset_pattern VARCHAR;     -- regular expression over normalised names
ALTER TABLE benchmarks ADD COLUMN metric_aliases VARCHAR[];    -- names the headline metric is printed under
ALTER TABLE benchmarks ADD COLUMN error_kind VARCHAR;          -- the named form of error_rule (below)
ALTER TABLE benchmarks ADD COLUMN pwc_tasks VARCHAR[];
ALTER TABLE benchmarks ADD COLUMN pwc_datasets VARCHAR[];
ALTER TABLE benchmarks ADD COLUMN source VARCHAR;              -- where the benchmark's convention is documented

-- Thompson et al.'s six rows, filled here so that the table is whole before the seed replaces it.
UPDATE benchmarks SET error_kind = 'one_minus_percent';

-- The error of a headline score by the registry's rule (extract/registry.py ERROR_RULES):
--   one_minus_percent  1 - x/100  accuracy-like scores in percent (top-1, AP, EM, F1, BLEU, mIoU, pass@1)
--   percent            x/100      error rates in percent (WER): the rate as a fraction
--   one_minus          1 - x      accuracy-like scores as fractions (OGB)
--   log                ln(x)      perplexity: log perplexity, the cross-entropy in nats per token
CREATE OR REPLACE MACRO benchmark_error(kind, score) AS
    CASE kind
        WHEN 'one_minus_percent' THEN 1 - score / 100
        WHEN 'percent' THEN score / 100
        WHEN 'one_minus' THEN 1 - score
        WHEN 'log' THEN CASE WHEN score > 0 THEN ln(score) END
    END;

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

-- Papers with Code rows map to the new benchmarks (and their metric names): forget the digests of the dumps
-- the pipeline loaded, so that its next run re-imports them with the registry's mapping (as 0013 did).
DELETE FROM crawl_state WHERE key LIKE 'reference.pwc.%.sha256';
