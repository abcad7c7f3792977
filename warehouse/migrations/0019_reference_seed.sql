-- 0019: the shipped reference data (hardware catalog, prices, benchmark registry) is seeded when it
-- changed, not on every open (issue 17). One row: the digest of the files last seeded and when.
CREATE TABLE reference_seed (
    digest             VARCHAR NOT NULL,
    seeded_at          TIMESTAMP NOT NULL
);
