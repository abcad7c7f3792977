-- 0005: the regression's points from every source, each tagged with where its score and its compute
-- came from. One row per (score, compute source); `compute-limits regress` picks one row per paper and
-- benchmark by source precedence, so no paper counts twice.

-- Epoch rows' hardware burden (Thompson's convention through the catalog), beside the hardware time.
ALTER TABLE check_epoch_compute ADD COLUMN hardware_burden DOUBLE;
