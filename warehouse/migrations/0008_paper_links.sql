-- 0008: one identity per paper across sources. `paper_links` maps every reference record (Thompson
-- model row, Epoch row, Papers with Code result) to an arXiv id: the id its link carries, or one found
-- by its normalised title (warehouse/identity.py rebuilds the table after every import). The
-- regression points then key Thompson rows, Papers with Code results and Epoch rows without an arXiv
-- link of their own by the linked id, so a paper that two sources hold counts once.

CREATE TABLE paper_links (
    source             VARCHAR NOT NULL,       -- thompson | epoch | pwc | pwc_api
    source_file        VARCHAR,
    source_row         INTEGER,
    record_id          VARCHAR NOT NULL,       -- thompson_models/epoch_models.model_id, results.result_id
    paper_id           VARCHAR NOT NULL,       -- arXiv id
    method             VARCHAR NOT NULL,       -- arxiv_link | title_year | title
    confidence         DOUBLE NOT NULL,        -- 1.0 arxiv_link; lower for title matches
    title              VARCHAR,                -- the record's title, as printed
    year               INTEGER,                -- the record's year (NULL: none to compare)
    PRIMARY KEY (source, record_id)
);
