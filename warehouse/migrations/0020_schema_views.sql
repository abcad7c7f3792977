-- 0020: views live in warehouse/views.sql, one body each, re-created by the migrator after the
-- migrations whenever that file changes (issue 17). One row: the digest of the views last created.
CREATE TABLE schema_views (
    digest             VARCHAR NOT NULL,
    created_at         TIMESTAMP NOT NULL
);
