-- 0002: benchmark definitions and the analyst views.

CREATE TABLE benchmarks (
    benchmark          VARCHAR PRIMARY KEY,    -- normalised id
    name               VARCHAR NOT NULL,
    headline_metric    VARCHAR NOT NULL,       -- metric_key used for the scaling fit
    higher_is_better   BOOLEAN NOT NULL,
    error_rule         VARCHAR NOT NULL        -- how error is derived from the score
);

INSERT INTO benchmarks VALUES
    ('imagenet', 'ImageNet (ILSVRC-2012) classification', 'top1', TRUE, '1 - top1/100'),
    ('coco', 'MS COCO object detection', 'box_ap', TRUE, '1 - AP/100'),
    ('squad1.1', 'SQuAD 1.1 question answering', 'em', TRUE, '1 - EM/100'),
    ('conll2003', 'CoNLL-2003 named entity recognition', 'f1', TRUE, '1 - F1/100'),
    ('wmt2014-en-de', 'WMT2014 English-German translation', 'bleu', TRUE, '1 - BLEU/100'),
    ('wmt2014-en-fr', 'WMT2014 English-French translation', 'bleu', TRUE, '1 - BLEU/100');

-- One row per paper: metadata, its document and how much was extracted from it.
CREATE VIEW v_papers AS
SELECT
    p.paper_id, p.version, p.title, p.authors, p.primary_category, p.categories,
    p.published, p.updated, p.source,
    d.sha256, d.pages, d.parse_status, d.error AS parse_error, d.extractor_version,
    (SELECT count(*) FROM training_runs r WHERE r.paper_id = p.paper_id) AS training_runs,
    (SELECT count(*) FROM results s WHERE s.paper_id = p.paper_id) AS results,
    (SELECT count(*) FROM facts f WHERE f.paper_id = p.paper_id) AS facts
FROM papers p
LEFT JOIN documents d ON d.paper_id = p.paper_id AND d.version = p.version;

-- One row per training run: hardware, time, the catalog's peaks and the compute estimates.
CREATE VIEW v_training_compute AS
SELECT
    r.paper_id, p.title, year(p.published) AS year, r.run_id, r.label, r.phase,
    r.accelerator, r.accelerator_text, h.name AS accelerator_name,
    r.count, r.count_unit, r.chips, r.hours, r.hours_text,
    hb.peak_flops AS burden_peak_flops, hb.flops AS hardware_burden,
    ht.flops AS estimated_compute, ht.flops_low AS estimated_compute_low,
    ht.flops_high AS estimated_compute_high, ht.assumptions AS estimate_assumptions,
    r.page, r.quote, r.confidence, r.extractor_version, r.sha256
FROM training_runs r
LEFT JOIN papers p ON p.paper_id = r.paper_id
LEFT JOIN hardware h ON h.accelerator = r.accelerator
LEFT JOIN compute_estimates hb ON hb.run_id = r.run_id AND hb.method = 'hardware_burden'
LEFT JOIN compute_estimates ht ON ht.run_id = r.run_id AND ht.method = 'hardware_time';

-- Compute per paper: per phase the largest run, summed over phases (Thompson et al. sum
-- pre-training and fine-tuning of one model). Runs below 0.5 confidence are left out.
CREATE VIEW v_paper_compute AS
WITH per_phase AS (
    SELECT r.paper_id, coalesce(r.phase, 'training') AS phase, max(e.flops) AS flops,
           list(r.run_id ORDER BY r.run_id) AS run_ids
    FROM training_runs r
    JOIN compute_estimates e ON e.run_id = r.run_id AND e.method = 'hardware_burden'
    WHERE e.flops IS NOT NULL AND coalesce(r.confidence, 1) >= 0.5
    GROUP BY r.paper_id, coalesce(r.phase, 'training')
)
SELECT paper_id, sum(flops) AS hardware_burden, count(*) AS phases,
       flatten(list(run_ids)) AS run_ids
FROM per_phase
GROUP BY paper_id;

-- One point per (paper, benchmark): the paper's best headline score beside its compute.
-- Papers with Code rows are preferred to extracted ones when both exist.
CREATE VIEW v_benchmark_points AS
WITH candidates AS (
    SELECT s.*, b.higher_is_better,
           row_number() OVER (
               PARTITION BY s.paper_id, s.benchmark
               ORDER BY CASE s.source WHEN 'pwc' THEN 0 ELSE 1 END,
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
    c.source AS result_source, c.result_id, pc.run_ids
FROM candidates c
JOIN v_paper_compute pc ON pc.paper_id = c.paper_id
LEFT JOIN papers p ON p.paper_id = c.paper_id
WHERE c.rank = 1;
