"""SQL of the reference-source imports (Papers with Code, Thompson et al., Epoch AI).

Batches are pandas frames registered under a name for the length of one statement; every value
reaches DuckDB through them or through `?` parameters, never by string formatting.
"""

from __future__ import annotations

RESULTS_BATCH = "_results_batch"
THOMPSON_BATCH = "_thompson_batch"
THOMPSON_METRICS_BATCH = "_thompson_metrics_batch"
EPOCH_BATCH = "_epoch_batch"

DELETE_FILE_RESULTS = "DELETE FROM results WHERE source = ? AND source_file = ?"

INSERT_RESULTS_BATCH = """
INSERT INTO results BY NAME
SELECT result_id, paper_id, source, task, dataset, benchmark, metric, metric_key, value, value_text, model,
       paper_title, paper_url, TRY_CAST(paper_date AS DATE) AS paper_date,
       TRY_CAST(uses_additional_data AS BOOLEAN) AS uses_additional_data,
       source_file, source_row, metric_direction, value_unit, value_rule
FROM _results_batch
"""

DELETE_THOMPSON_FILE = (
    "DELETE FROM thompson_metrics WHERE source_file = ?",
    "DELETE FROM thompson_models WHERE source_file = ?",
)

INSERT_THOMPSON_BATCH = "INSERT INTO thompson_models BY NAME SELECT * FROM _thompson_batch"

INSERT_THOMPSON_METRICS_BATCH = "INSERT INTO thompson_metrics BY NAME SELECT * FROM _thompson_metrics_batch"

THOMPSON_COLUMNS = "SELECT column_name FROM information_schema.columns WHERE table_name = 'thompson_models'"

DELETE_EPOCH_FILE = "DELETE FROM epoch_models WHERE source_file = ?"

INSERT_EPOCH_BATCH = """
INSERT INTO epoch_models BY NAME
SELECT * REPLACE (CAST(publication_date AS DATE) AS publication_date,
                  CAST(last_modified AS TIMESTAMP) AS last_modified,
                  CAST(cost_usd_year AS INTEGER) AS cost_usd_year,
                  CAST(arxiv_ids AS VARCHAR[]) AS arxiv_ids, CAST(links AS VARCHAR[]) AS links,
                  CAST(hardware AS VARCHAR[]) AS hardware)
FROM _epoch_batch
"""

# The Parquet form of the evaluation tables, one top-level task per row as JSON text (nested
# structs, maps and JSON columns all become plain JSON), read in batches.
PARQUET_TASKS = "SELECT to_json(t) FROM read_parquet(?) t"

COUNT_SOURCE_ROWS = """
SELECT 'results:' || source, count(*) FROM results WHERE source IN ('pwc', 'pwc_api') GROUP BY source
UNION ALL SELECT 'thompson_models', count(*) FROM thompson_models
UNION ALL SELECT 'epoch_models', count(*) FROM epoch_models
"""

SOURCE_LINKS = """
SELECT count(*) FILTER (WHERE in_extracted) AS extracted,
       count(*) FILTER (WHERE in_thompson) AS thompson,
       count(*) FILTER (WHERE in_epoch) AS epoch,
       count(*) FILTER (WHERE in_pwc) AS pwc,
       count(*) FILTER (WHERE in_thompson AND in_epoch) AS thompson_epoch,
       count(*) FILTER (WHERE in_thompson AND in_pwc) AS thompson_pwc,
       count(*) FILTER (WHERE in_epoch AND in_pwc) AS epoch_pwc,
       count(*) FILTER (WHERE in_thompson AND in_epoch AND in_pwc) AS thompson_epoch_pwc,
       count(*) FILTER (WHERE in_extracted AND in_thompson AND in_epoch) AS extracted_thompson_epoch
FROM v_source_comparison
"""
