"""An analyst's plain DuckDB client, as a separate process: `python -m tests.operations.analyst`.

`--mode poll`: until the stop file appears, open the warehouse read-only, read counts and consistency
checks in one query, close; one JSON line per query (or per error) in the output file.
`--mode hold`: open one connection (read-only, or read-write as the DuckDB CLI does by default), keep it
for the whole run, and write what it sees at the start and at the stop file.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import duckdb

STATE = """
SELECT (SELECT count(*) FROM papers) AS papers,
       (SELECT count(*) FROM documents) AS documents,
       (SELECT count(*) FROM facts) AS facts,
       (SELECT count(*) FROM v_training_compute) AS training_compute_rows,
       (SELECT count(*) FROM ingest_runs WHERE status = 'running') AS running_runs,
       (SELECT count(*) FROM facts f ANTI JOIN documents d ON d.sha256 = f.sha256) AS orphan_facts,
       (SELECT count(*) FROM documents d ANTI JOIN papers p ON p.paper_id = d.paper_id) AS orphan_documents,
       (SELECT count(*) FROM documents WHERE parse_status = 'pending') AS pending_documents
"""


def state(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    cur = con.execute(STATE)
    names = [d[0] for d in cur.description]
    return dict(zip(names, cur.fetchone(), strict=True))


def poll(db: Path, out: Path, stop: Path) -> None:
    with out.open("a", encoding="utf-8") as sink:
        while not stop.exists():
            record: dict[str, Any] = {"at": time.time()}
            try:
                with duckdb.connect(str(db), read_only=True) as con:
                    record |= state(con)
            except duckdb.Error as exc:
                record["error"] = str(exc)
            sink.write(json.dumps(record) + "\n")
            sink.flush()
            time.sleep(0.05)


def hold(db: Path, out: Path, stop: Path, read_only: bool) -> None:
    con = duckdb.connect(str(db), read_only=read_only)
    first = state(con)
    out.write_text(json.dumps({"first": first}) + "\n", encoding="utf-8")
    while not stop.exists():
        time.sleep(0.1)
    last = state(con)
    con.close()
    out.write_text(json.dumps({"first": first, "last": last}) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--stop", type=Path, required=True)
    parser.add_argument("--mode", choices=("poll", "hold-ro", "hold-rw"), default="poll")
    args = parser.parse_args()
    if args.mode == "poll":
        poll(args.db, args.out, args.stop)
    else:
        hold(args.db, args.out, args.stop, read_only=args.mode == "hold-ro")


if __name__ == "__main__":
    main()
