-- 0014: effective compute for every run (issue 15). Thompson et al.'s rows get one beside their hardware
-- burden: their hardware and time, each chip at the precision it was usually trained at (the catalog's
-- usual_precision, else Epoch's order) x Epoch's default utilisation (warehouse/checks.py). The
-- regression points' `estimated_compute` of a Thompson row is that figure, so burden and effective
-- compute are fitted on the same rows. Papers' stated utilisation (MFU, fact kind `utilization`) joins
-- their facts; their stated compute is read from `facts` directly (warehouse/stated_compute.py).

ALTER TABLE check_thompson_burden ADD COLUMN effective_compute DOUBLE;
ALTER TABLE check_thompson_burden ADD COLUMN effective_compute_low DOUBLE;
ALTER TABLE check_thompson_burden ADD COLUMN effective_compute_high DOUBLE;
ALTER TABLE check_thompson_burden ADD COLUMN effective_basis VARCHAR;
