-- 0011: synthetic papers. The bundled offline corpus (fixtures/) is made-up papers generated to
-- exercise the pipeline; they are marked `papers.synthetic` by the run that harvests them, and the
-- analysts' points views leave them out. `v_regression_points_all` keeps every point with its flag,
-- for fits that ask for synthetic points on their own (`--include-synthetic`); a fit never pools both.
ALTER TABLE papers ADD COLUMN synthetic BOOLEAN DEFAULT false;

ALTER VIEW v_regression_points RENAME TO v_regression_points_base;

CREATE VIEW v_regression_points_all AS
SELECT r.*, coalesce(p.synthetic, false) AS synthetic
FROM v_regression_points_base r
LEFT JOIN papers p ON p.paper_id = r.paper_id;

CREATE VIEW v_regression_points AS
SELECT * EXCLUDE (synthetic) FROM v_regression_points_all WHERE NOT synthetic;

ALTER VIEW v_benchmark_points RENAME TO v_benchmark_points_all;

CREATE VIEW v_benchmark_points AS
SELECT b.* FROM v_benchmark_points_all b
WHERE NOT EXISTS (SELECT 1 FROM papers p WHERE p.paper_id = b.paper_id AND p.synthetic);
