"""SQL of bulk inserts through a spool file (warehouse.bulk)."""

DATABASE_PATH = "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"

COLUMN_TYPES = """
SELECT column_name, data_type FROM information_schema.columns
WHERE table_name = ? AND table_schema = current_schema()
ORDER BY ordinal_position
"""

MEMORY_SETTINGS = "SELECT current_setting('memory_limit'), current_setting('threads')"

SET_MEMORY_LIMIT = "SET memory_limit = '{limit}'"

SET_THREADS = "SET threads = {threads}"

# {path} is the spool's own temporary file, {columns} built from the table's catalogue entry: never input
READ_SPOOL = "read_json('{path}', format = 'newline_delimited', columns = {{{columns}}})"

INSERT_SPOOLED = "INSERT INTO {table} BY NAME SELECT {select} FROM {source}"

# rejected cells of an import, one row per (stage, source, message) however often the file repeats it
UPSERT_SPOOLED_ERRORS = """
INSERT INTO errors (error_id, stage, source, message, retryable, occurrences, first_seen, last_seen, last_run_id)
SELECT error_id, any_value(stage), any_value(source), any_value(message), bool_and(retryable), count(*)::INTEGER,
       min(first_seen), max(last_seen), NULL
FROM {source}
GROUP BY error_id
ON CONFLICT (error_id) DO UPDATE SET
    occurrences = errors.occurrences + excluded.occurrences, last_seen = excluded.last_seen,
    last_run_id = excluded.last_run_id, resolved_at = NULL, resolved_run_id = NULL
"""
