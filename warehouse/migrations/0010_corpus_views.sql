-- 0010: the corpus as one table of papers, and how much of it can reach a fit.
-- v_corpus: one row per paper (arXiv id, or a local id) that any source names, with what each
-- source says of it: arXiv metadata and PDF state, the extraction's runs, results and compute,
-- Thompson et al.'s, Epoch AI's and Papers with Code's rows (by `paper_links`), the backfill queue.
-- v_coverage: per benchmark and year, the papers known to report it, and how many have a score,
-- compute, or both (what a fit could use).

CREATE VIEW v_corpus AS
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

CREATE VIEW v_coverage AS
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
