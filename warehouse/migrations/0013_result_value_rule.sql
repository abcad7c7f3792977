-- 0013: how a reference result's value was derived from the cell printed (value_text).
-- NULL: as printed. Papers with Code error rates with an accuracy-like complement are stored as that
-- accuracy ("Top 1 Error" 20.3 -> metric_key top1, value 79.7), and the rule applied is written here,
-- e.g. 'top1 = 100 - Top 1 Error (%)', so the converted row traces back to its cell.

ALTER TABLE results ADD COLUMN value_rule VARCHAR;
