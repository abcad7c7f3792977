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

-- Papers with Code rows map to the new benchmarks (and their metric names): forget the digests of the dumps
-- the pipeline loaded, so that its next run re-imports them with the registry's mapping (as 0013 did).
DELETE FROM crawl_state WHERE key LIKE 'reference.pwc.%.sha256';
