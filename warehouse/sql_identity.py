"""SQL of `paper_links`: one arXiv id per reference record (warehouse/identity.py).

The records stay in DuckDB: their distinct titles are normalised in Python and go back in as the
temporary table `_identity_titles`; `_identity_records` joins them, and the matching is one statement.
"""

from __future__ import annotations

TITLES_TABLE = "_identity_titles"

# Every record that can carry or receive an arXiv id, and the papers' own metadata (index only).
_RECORDS = """
SELECT 'thompson' AS source, source_file, source_row, model_id AS record_id, paper_id, title,
       year::INTEGER AS year
FROM thompson_models
UNION ALL
SELECT 'epoch', source_file, source_row, model_id, paper_id, reference, year(publication_date)::INTEGER
FROM epoch_models
UNION ALL
SELECT source, source_file, source_row, result_id, paper_id, paper_title, year(paper_date)::INTEGER
FROM results
WHERE source IN ('pwc', 'pwc_api')
UNION ALL
SELECT 'papers', NULL, NULL, paper_id, paper_id, title, year(published)::INTEGER
FROM papers
"""

DISTINCT_TITLES = f"SELECT DISTINCT title FROM ({_RECORDS}) WHERE title IS NOT NULL"

CREATE_TITLES = """
CREATE OR REPLACE TEMP TABLE _identity_titles (title VARCHAR, title_key VARCHAR, usable BOOLEAN, alone BOOLEAN)
"""

CREATE_RECORDS = f"""
CREATE OR REPLACE TEMP TABLE _identity_records AS
SELECT r.*, coalesce(t.title_key, '') AS title_key, coalesce(t.usable, false) AS usable,
       coalesce(t.alone, false) AS alone
FROM ({_RECORDS}) r
LEFT JOIN _identity_titles t ON t.title = r.title
"""

# records of each source without an arXiv id of their own (before linking)
WITHOUT_ID = """
SELECT source, count(*) FROM _identity_records
WHERE source <> 'papers' AND paper_id IS NULL GROUP BY source
"""

DROP_TEMP = ("DROP TABLE IF EXISTS _identity_records", "DROP TABLE IF EXISTS _identity_titles")

DELETE_LINKS = "DELETE FROM paper_links"

# Parameters: arXiv id pattern, year tolerance, title_year confidence, title confidence.
# The title index holds, per usable normalised title, every (arXiv id, year) that a record carrying
# that id gives it, plus the year of the id itself (its yymm); a title naming two ids is not used.
INSERT_LINKS = """
INSERT INTO paper_links (source, source_file, source_row, record_id, paper_id, method, confidence, title, year)
WITH params AS (
    SELECT ?::VARCHAR AS arxiv_pattern, ?::INTEGER AS tolerance, ?::DOUBLE AS title_year_conf,
           ?::DOUBLE AS title_conf
),
carriers AS (
    SELECT r.title_key, r.paper_id, r.year
    FROM _identity_records r, params
    WHERE r.paper_id IS NOT NULL AND r.usable AND regexp_full_match(r.paper_id, params.arxiv_pattern)
),
index_rows AS (
    SELECT title_key, paper_id, year FROM carriers WHERE year IS NOT NULL
    UNION
    SELECT title_key, paper_id,
           CASE WHEN regexp_full_match(paper_id, '[0-9]{4}[.][0-9]{4,5}')
                THEN 2000 + CAST(left(paper_id, 2) AS INTEGER)
                ELSE CAST(regexp_extract(paper_id, '/([0-9]{2})', 1) AS INTEGER)
                     + CASE WHEN CAST(regexp_extract(paper_id, '/([0-9]{2})', 1) AS INTEGER) >= 91
                            THEN 1900 ELSE 2000 END
           END
    FROM carriers
),
titles AS (
    SELECT title_key, min(paper_id) AS paper_id
    FROM carriers
    GROUP BY title_key
    HAVING count(DISTINCT paper_id) = 1
),
candidates AS (
    SELECT r.*, t.paper_id AS linked_id,
           EXISTS (SELECT 1 FROM index_rows i
                   WHERE i.title_key = r.title_key AND abs(i.year - r.year) <= params.tolerance) AS year_agrees
    FROM _identity_records r
    JOIN titles t ON t.title_key = r.title_key
    CROSS JOIN params
    WHERE r.source <> 'papers' AND r.paper_id IS NULL AND r.usable
)
SELECT source, source_file, source_row, record_id, paper_id, 'arxiv_link', 1.0, title, year
FROM _identity_records
WHERE source <> 'papers' AND paper_id IS NOT NULL
UNION ALL
SELECT c.source, c.source_file, c.source_row, c.record_id, c.linked_id,
       CASE WHEN c.year IS NULL THEN 'title' ELSE 'title_year' END,
       CASE WHEN c.year IS NULL THEN params.title_conf ELSE params.title_year_conf END,
       c.title, c.year
FROM candidates c, params
WHERE (c.year IS NOT NULL AND c.year_agrees) OR (c.year IS NULL AND c.alone)
"""

# Links per (source, method), and ambiguous titles (usable titles that name two or more arXiv ids).
COUNT_LINKS = "SELECT source, method, count(*) FROM paper_links GROUP BY ALL ORDER BY ALL"

AMBIGUOUS_TITLES = """
SELECT count(*) FROM (
    SELECT title_key
    FROM _identity_records
    WHERE paper_id IS NOT NULL AND usable AND regexp_full_match(paper_id, ?)
    GROUP BY title_key
    HAVING count(DISTINCT paper_id) > 1
)
"""
