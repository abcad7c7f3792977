-- 0011: synthetic papers. The bundled offline corpus (fixtures/) is made-up papers generated to
-- exercise the pipeline; they are marked `papers.synthetic` by the run that harvests them, and the
-- analysts' points views leave them out. `v_regression_points_all` keeps every point with its flag,
-- for fits that ask for synthetic points on their own (`--include-synthetic`); a fit never pools both.
ALTER TABLE papers ADD COLUMN synthetic BOOLEAN DEFAULT false;
