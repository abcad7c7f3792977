-- 0010: the corpus as one table of papers, and how much of it can reach a fit.
-- v_corpus: one row per paper (arXiv id, or a local id) that any source names, with what each
-- source says of it: arXiv metadata and PDF state, the extraction's runs, results and compute,
-- Thompson et al.'s, Epoch AI's and Papers with Code's rows (by `paper_links`), the backfill queue.
-- v_coverage: per benchmark and year, the papers known to report it, and how many have a score,
-- compute, or both (what a fit could use).
-- (its views now live in warehouse/views.sql)
SELECT 1;
