-- 0013: how a reference result's value was derived from the cell printed (value_text).
-- NULL: as printed. Papers with Code error rates with an accuracy-like complement are stored as that
-- accuracy ("Top 1 Error" 20.3 -> metric_key top1, value 79.7), and the rule applied is written here,
-- e.g. 'top1 = 100 - Top 1 Error (%)', so the converted row traces back to its cell.

ALTER TABLE results ADD COLUMN value_rule VARCHAR;

-- Papers with Code rows are now mapped by task + dataset + metric (issue 15): forget the digests of the
-- dumps the pipeline loaded, so that its next run re-imports them with the new mapping (a file loaded by
-- `compute-limits import pwc` is re-mapped when it is imported again).
DELETE FROM crawl_state WHERE key LIKE 'reference.pwc.%.sha256';
