-- Issue 15: the Epoch check compares like with like. Epoch's own utilisation for a row (their
-- `Hardware utilization (MFU)` column, else the one their compute notes state) and the ratio of the
-- hardware-time estimate re-run at it; their base model (fine-tunes count the base's pretraining).
ALTER TABLE check_epoch_compute ADD COLUMN epoch_utilization DOUBLE;
ALTER TABLE check_epoch_compute ADD COLUMN epoch_utilization_source VARCHAR;  -- column | notes
ALTER TABLE check_epoch_compute ADD COLUMN ratio_at_their_utilization DOUBLE;
ALTER TABLE check_epoch_compute ADD COLUMN base_model VARCHAR;
