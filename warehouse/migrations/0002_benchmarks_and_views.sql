-- 0002: benchmark definitions and the analyst views.

CREATE TABLE benchmarks (
    benchmark          VARCHAR PRIMARY KEY,    -- normalised id
    name               VARCHAR NOT NULL,
    headline_metric    VARCHAR NOT NULL,       -- metric_key used for the scaling fit
    higher_is_better   BOOLEAN NOT NULL,
    error_rule         VARCHAR NOT NULL        -- how error is derived from the score
);

INSERT INTO benchmarks VALUES
    ('imagenet', 'ImageNet (ILSVRC-2012) classification', 'top1', TRUE, '1 - top1/100'),
    ('coco', 'MS COCO object detection', 'box_ap', TRUE, '1 - AP/100'),
    ('squad1.1', 'SQuAD 1.1 question answering', 'em', TRUE, '1 - EM/100'),
    ('conll2003', 'CoNLL-2003 named entity recognition', 'f1', TRUE, '1 - F1/100'),
    ('wmt2014-en-de', 'WMT2014 English-German translation', 'bleu', TRUE, '1 - BLEU/100'),
    ('wmt2014-en-fr', 'WMT2014 English-French translation', 'bleu', TRUE, '1 - BLEU/100');
