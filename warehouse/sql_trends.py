"""SQL of the compute trends (`compute-limits trend`): one row per model or paper with a date and a
compute, from each source, and the points of the algorithmic-progress fit.

Every query returns the same columns for the trend rows: source, row_id, cluster (the paper a row
belongs to, the bootstrap's resampling unit), name, published (DATE or NULL), precision (day |
month | year: how much of `published` is known), year, compute (FLOP), domain, task, benchmarks
(VARCHAR[] or NULL), category (arXiv primary category or NULL), synthetic.
"""

from __future__ import annotations

# Epoch AI: every row with a training compute > 0 and a publication date. A model named in several
# imported snapshots counts once: its rows are taken from one file (the one with a compute and a date,
# then the newest by its latest publication date, then by name); rows that repeat a name within one
# file all stay (the file says they are separate records). A row without a task takes the task another
# snapshot gives the same model name (the Notable download has no Task column).
EPOCH_TREND_ROWS = """
WITH rows AS (
    SELECT e.*, trim(e.model) AS name_key,
           max(e.publication_date) OVER (PARTITION BY e.source_file) AS file_newest,
           coalesce(e.training_compute_flop > 0 AND e.publication_date IS NOT NULL, false) AS usable
    FROM epoch_models e
),
pick AS (
    SELECT name_key, arg_max(source_file, (usable, file_newest, source_file)) AS source_file
    FROM rows WHERE name_key IS NOT NULL
    GROUP BY name_key
),
tasks AS (
    SELECT name_key, min(task) AS task FROM rows WHERE task IS NOT NULL GROUP BY name_key
)
SELECT 'epoch' AS source, r.model_id AS row_id,
       coalesce(r.paper_id, r.link, 'epoch:' || r.model_id) AS cluster,
       r.model AS name, r.publication_date AS published, 'day' AS precision,
       year(r.publication_date) AS year, r.training_compute_flop AS compute,
       r.domain, coalesce(r.task, t.task) AS task, NULL::VARCHAR[] AS benchmarks, NULL::VARCHAR AS category,
       false AS synthetic
FROM rows r
LEFT JOIN pick p ON p.name_key = r.name_key
LEFT JOIN tasks t ON t.name_key = r.name_key
WHERE r.usable AND (r.name_key IS NULL OR p.source_file = r.source_file)
ORDER BY r.publication_date, r.source_file, r.source_row
"""

# Thompson et al.: their hardware burden and year (no finer date in their CSVs). A model that
# appears in two benchmark files is two training runs and two rows; both belong to one paper.
THOMPSON_TREND_ROWS = """
SELECT 'thompson' AS source, m.model_id AS row_id,
       coalesce(m.paper_id, l.paper_id, 'thompson:' || m.model_id) AS cluster,
       trim(m.name) AS name, NULL::DATE AS published, 'year' AS precision, m.year AS year,
       m.hardware_burden AS compute, NULL::VARCHAR AS domain, NULL::VARCHAR AS task,
       [m.benchmark] AS benchmarks, NULL::VARCHAR AS category, false AS synthetic
FROM thompson_models m
LEFT JOIN paper_links l ON l.source = 'thompson' AND l.record_id = m.model_id
WHERE m.hardware_burden > 0 AND m.year IS NOT NULL
ORDER BY m.year, m.source_file, m.source_row
"""

# Papers of the warehouse: their compute (Epoch's preferred headline estimate, else hardware time,
# else the hardware burden) at their arXiv date; the benchmarks their results report.
EXTRACTED_TREND_ROWS = """
WITH benchmarks AS (
    SELECT paper_id, list(DISTINCT benchmark ORDER BY benchmark) AS benchmarks
    FROM results WHERE paper_id IS NOT NULL AND benchmark IS NOT NULL
    GROUP BY paper_id
)
SELECT 'extracted' AS source, pc.paper_id AS row_id, pc.paper_id AS cluster, p.title AS name,
       CAST(p.published AS DATE) AS published, coalesce(p.published_precision, 'day') AS precision,
       year(p.published) AS year,
       coalesce(pc.headline_compute, pc.estimated_compute, pc.hardware_burden) AS compute,
       NULL::VARCHAR AS domain, NULL::VARCHAR AS task, b.benchmarks, p.primary_category AS category,
       coalesce(p.synthetic, false) AS synthetic
FROM v_paper_compute pc
JOIN papers p ON p.paper_id = pc.paper_id
LEFT JOIN benchmarks b ON b.paper_id = pc.paper_id
WHERE coalesce(pc.headline_compute, pc.estimated_compute, pc.hardware_burden) > 0 AND p.published IS NOT NULL
  AND (? OR NOT coalesce(p.synthetic, false))
ORDER BY p.published, pc.paper_id
"""

# The regression points of one benchmark (every compute source, synthetic ones flagged) with the
# paper's arXiv date and its precision where the warehouse knows the paper.
PROGRESS_POINTS = """
SELECT r.*, CAST(p.published AS DATE) AS published, p.published_precision
FROM v_regression_points_all r
LEFT JOIN papers p ON p.paper_id = r.paper_id
WHERE r.benchmark = ?
ORDER BY r.point_id
"""

CODE_BENCHMARKS = "SELECT benchmark FROM benchmarks WHERE domain = 'code' ORDER BY benchmark"
