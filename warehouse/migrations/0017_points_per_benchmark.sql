-- 0017: points per (paper, benchmark) with that benchmark's compute (issue 15), labelled single model or
-- ensemble. As in 0014, except:
-- * an extracted point's hardware burden and hardware time are those of the benchmark's runs
--   (v_point_compute, 0016); its effective compute is still the paper's stated compute or operation
--   count first, when it has one;
-- * a paper's best score is its best single-model score; an ensemble's only when it reports no single
--   model (the runs stated are one model's: an ensemble's compute is its members'); `model_kind` says
--   which, for every source (Thompson et al. name their ensembles: "(ensemble)").
-- (its views now live in warehouse/views.sql)
SELECT 1;
