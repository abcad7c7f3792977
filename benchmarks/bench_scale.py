"""What a nightly run costs as the corpus grows: N papers cold, a no-op rerun, then 20 new papers.

For each N it builds, in a temporary directory, a fixture root the offline run serves as it serves
`fixtures/`: `pdfs/<id>v1.pdf` made from the real PDFs of the shared corpus (each copy made distinct
by a PDF comment after `%%EOF`, so that every paper is its own document), an OAI-PMH ListRecords
chain (100 records a page, resumption tokens, a datestamp per record; the first route honours
`from=`, see crawlers/fixture_server.py) and one Atom API page holding every entry (the lookups by
id are answered from it). Then it runs the real command line (`compute-limits ingest --offline`, its
own Prefect home) three times:

1. cold: N papers into an empty warehouse;
2. no-op: nothing new (the harvest asks `from=` the watermark and gets noRecordsMatch);
3. +20: the feed gains 20 papers with later datestamps.

It prints, as markdown: wall seconds, each stage's seconds (from `ingest_runs`), the peak RSS of
the whole process tree (sampled every 0.2 s with psutil, summed over processes), the warehouse file
and the PDF cache, then the per-paper growth.

Run: python benchmarks/bench_scale.py [N ...]   (default 100 300 1000; --keep DIR keeps the roots)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import duckdb
import psutil

from warehouse import records

CLI = str(Path(sys.executable).parent / "compute-limits")
CORPUS = Path(os.environ.get("COMPUTE_LIMITS_SCALE_CORPUS", "/work/shared/corpus"))
PAGE = 100
ADDED = 20
STAGES = ("crawl", "download", "extract", "reference", "estimate", "regress", "report")  # then any others
FIRST_RESPONSE, LATER_RESPONSE = "2025-01-15T09:30:00Z", "2025-01-20T09:30:00Z"
CATEGORIES = (["cs.CV", "cs.LG"], ["cs.CL", "cs.LG"], ["cs.LG", "stat.ML"])


@dataclass(frozen=True, slots=True)
class Paper:
    arxiv_id: str
    title: str
    created: str
    datestamp: str
    categories: list[str]
    source: Path
    index: int


@dataclass(slots=True)
class Measure:
    label: str
    wall: float
    flow: float
    peak_rss: int
    peak_pss: int
    stages: dict[str, float]
    counts: dict[str, Any]
    warehouse: int
    cache: int
    tables: dict[str, int] = field(default_factory=dict)


def sources() -> list[tuple[Path, str, int]]:
    """The shared corpus's PDFs with the title and year of their gold file (else the file name)."""
    gold = {}
    for path in sorted((CORPUS / "gold").glob("*.gold.json")):
        record = json.loads(path.read_text("utf-8"))
        gold[Path(record.get("pdf") or "").name] = (record.get("title"), record.get("year"))
    out = []
    for pdf in sorted((CORPUS / "pdfs").glob("*.pdf")):
        title, year = gold.get(pdf.name, (None, None))
        out.append((pdf, title or pdf.stem.replace("_", " "), int(year or 2018)))
    if not out:
        raise SystemExit(f"no PDFs in {CORPUS / 'pdfs'}")
    return out


def papers(start: int, count: int, first_stamp: date) -> list[Paper]:
    pdfs = sources()
    out = []
    for i in range(start, start + count):
        pdf, title, year = pdfs[i % len(pdfs)]
        out.append(Paper(f"2401.{10000 + i:05d}", f"{title} (scale copy {i})",
                         f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                         (first_stamp + timedelta(days=(i - start) % 360)).isoformat(), CATEGORIES[i % 3], pdf, i))
    return out


def write_pdfs(root: Path, batch: list[Paper]) -> None:
    """Each paper's PDF: its source's bytes and one comment line after %%EOF (distinct sha256)."""
    (root / "pdfs").mkdir(parents=True, exist_ok=True)
    cache: dict[Path, bytes] = {}
    for p in batch:
        data = cache.setdefault(p.source, p.source.read_bytes())
        sep = b"" if data.endswith(b"\n") else b"\n"
        (root / "pdfs" / f"{p.arxiv_id}v1.pdf").write_bytes(data + sep + f"%compute-limits-scale {p.index}\n".encode())


def _oai_record(p: Paper) -> str:
    return (f"<record><header><identifier>oai:arXiv.org:{p.arxiv_id}</identifier><datestamp>{p.datestamp}"
            f"</datestamp><setSpec>cs</setSpec></header><metadata><arXiv xmlns=\"http://arxiv.org/OAI/arXiv/\">"
            f"<id>{p.arxiv_id}</id><created>{p.created}</created><authors><author><keyname>Scale</keyname>"
            f"<forenames>Bench</forenames></author></authors><title>{escape(p.title)}</title>"
            f"<categories>{' '.join(p.categories)}</categories><abstract>A copy of {escape(p.title)} for the "
            f"scale benchmark.</abstract></arXiv></metadata></record>")


def _atom_entry(p: Paper) -> str:
    cats = "".join(f'<category term="{c}" scheme="http://arxiv.org/schemas/atom"/>' for c in p.categories)
    stamp = f"{p.created}T12:00:00Z"
    return (f"<entry><id>http://arxiv.org/abs/{p.arxiv_id}v1</id><title>{escape(p.title)}</title>"
            f"<updated>{stamp}</updated><published>{stamp}</published><summary>A copy for the scale benchmark."
            f"</summary><link href=\"https://arxiv.org/abs/{p.arxiv_id}v1\" rel=\"alternate\" type=\"text/html\"/>"
            f"<link href=\"https://arxiv.org/pdf/{p.arxiv_id}v1\" rel=\"related\" type=\"application/pdf\" "
            f"title=\"pdf\"/>{cats}<arxiv:primary_category term=\"{p.categories[0]}\"/>"
            f"<author><name>Bench Scale</name></author></entry>")


def write_feeds(root: Path, feed: list[Paper], response_date: str) -> None:
    """routes.json, the ListRecords chain and the one Atom page of every entry."""
    http = root / "http"
    shutil.rmtree(http, ignore_errors=True)
    (http / "oai").mkdir(parents=True)
    (http / "arxiv_api").mkdir()
    routes: list[dict[str, Any]] = []
    pages = [feed[i:i + PAGE] for i in range(0, len(feed), PAGE)]
    for n, chunk in enumerate(pages):
        token = f"scale-{(n + 1) * PAGE}" if n + 1 < len(pages) else ""
        tail = (f'<resumptionToken cursor="{n * PAGE}" completeListSize="{len(feed)}">{token}</resumptionToken>'
                if token else f'<resumptionToken cursor="{n * PAGE}" completeListSize="{len(feed)}"/>')
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
                f"<responseDate>{response_date}</responseDate>"
                '<request verb="ListRecords" metadataPrefix="arXiv" set="cs">https://oaipmh.arxiv.org/oai</request>'
                f"<ListRecords>{''.join(_oai_record(p) for p in chunk)}{tail}</ListRecords></OAI-PMH>")
        name = f"oai/page{n + 1:04d}.xml"
        (http / name).write_text(body, "utf-8")
        query = {"verb": "ListRecords"} | ({"resumptionToken": f"scale-{n * PAGE}"} if n else {})
        routes.append({"path": "/oai", "query": query, "status": 200, "file": name,
                       "headers": {"Content-Type": "text/xml; charset=utf-8"}} | ({"oai_dates": True} if not n else {}))
    atom = ('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
            'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">'
            f"<opensearch:totalResults>{len(feed)}</opensearch:totalResults><opensearch:startIndex>0"
            f"</opensearch:startIndex><opensearch:itemsPerPage>{len(feed)}</opensearch:itemsPerPage>"
            f"{''.join(_atom_entry(p) for p in feed)}</feed>")
    (http / "arxiv_api" / "all.xml").write_text(atom, "utf-8")
    routes.append({"path": "/api/query", "query": {"search_query": "scale-benchmark"}, "status": 200,
                   "file": "arxiv_api/all.xml", "headers": {"Content-Type": "application/atom+xml; charset=utf-8"}})
    (http / "routes.json").write_text(json.dumps(routes, indent=1), "utf-8")


class PeakRss:
    """Samples the RSS of a process and all its descendants every `every` seconds; keeps the peak sum
    (`peak`), and the peak sum of PSS (`peak_pss`: shared pages counted once, split between sharers)."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        self.pid, self.every, self.peak, self.peak_pss = pid, every, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._stop.is_set():
            total = pss = 0
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            for proc in procs:
                try:
                    info = proc.memory_full_info()
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                total += info.rss
                pss += getattr(info, "pss", info.rss)
            self.peak, self.peak_pss = max(self.peak, total), max(self.peak_pss, pss)
            self._stop.wait(self.every)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else 0


def run_ingest(base: Path, label: str) -> Measure:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API_URL", "COMPUTE_LIMITS_"))}
    env |= {"COMPUTE_LIMITS_FIXTURES_DIR": str(base / "fixtures"), "COMPUTE_LIMITS_DB": str(base / "warehouse.duckdb"),
            "COMPUTE_LIMITS_DATA_DIR": str(base / "data"), "COMPUTE_LIMITS_REPORTS_DIR": str(base / "reports"),
            "PREFECT_HOME": str(base / "prefect-home"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    log = (base / f"{label}.log").open("w")
    started = time.monotonic()
    proc = subprocess.Popen([CLI, "ingest", "--offline"], env=env, stdout=log, stderr=subprocess.STDOUT)
    with PeakRss(proc.pid) as rss:
        code = proc.wait()
    wall = time.monotonic() - started
    log.close()
    if code:
        tail = (base / f"{label}.log").read_text("utf-8", errors="replace")[-3000:]
        raise SystemExit(f"ingest ({label}) failed with exit {code}:\n{tail}")
    with duckdb.connect(str(base / "warehouse.duckdb"), read_only=True) as con:
        counts, stages, flow = con.execute(
            "SELECT counts, stage_seconds, seconds FROM v_ingest_runs LIMIT 1").fetchone()
        tables = records.table_counts(con)  # no reference imports here: every result is extracted
    return Measure(label, wall, float(flow or 0), rss.peak, rss.peak_pss, json.loads(stages), json.loads(counts),
                   _size(base / "warehouse.duckdb"), _size(base / "data" / "pdfs"), tables)


def bench(n: int, base: Path) -> list[Measure]:
    base.mkdir(parents=True, exist_ok=True)
    fixtures = base / "fixtures"
    corpus = papers(0, n, date(2024, 1, 1))
    write_pdfs(fixtures, corpus)
    write_feeds(fixtures, corpus, FIRST_RESPONSE)
    out = [run_ingest(base, "cold"), run_ingest(base, "no-op")]
    added = papers(n, ADDED, date(2025, 1, 16))
    write_pdfs(fixtures, added)
    write_feeds(fixtures, corpus + added, LATER_RESPONSE)
    out.append(run_ingest(base, f"+{ADDED}"))
    return out


def table(results: dict[int, list[Measure]]) -> str:
    stages = list(STAGES)
    for m in (m for runs in results.values() for m in runs):
        stages += [s for s in m.stages if s not in stages]
    head = ["N", "run", "wall s", "flow s", *stages, "peak RSS MB", "peak PSS MB", "warehouse MB", "PDF cache MB",
            "new", "parsed"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * 2 + "---:|" * (len(head) - 2)]
    for n, runs in results.items():
        for m in runs:
            cells = [str(n), m.label, f"{m.wall:.1f}", f"{m.flow:.1f}", *(f"{m.stages.get(s, 0):.2f}" for s in stages),
                     f"{m.peak_rss / 2**20:.0f}", f"{m.peak_pss / 2**20:.0f}", f"{m.warehouse / 1e6:.1f}",
                     f"{m.cache / 1e6:.1f}",
                     str(m.counts.get("papers_new", 0)), str(m.counts.get("pdfs_parsed", 0))]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def growth(results: dict[int, list[Measure]]) -> str:
    """Per paper after the cold run: warehouse and cache bytes (marginal between the smallest and
    largest N when there are two), facts, results and runs."""
    lines = ["| N | warehouse KB/paper | cache KB/paper | facts/paper | results/paper | runs/paper | estimates |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    for n, runs in results.items():
        cold = runs[0]
        t = cold.tables
        per = max(t.get("papers", n), 1)
        lines.append(f"| {n} | {cold.warehouse / per / 1e3:.1f} | {cold.cache / per / 1e3:.0f} | "
                     f"{t.get('facts', 0) / per:.1f} | {t.get('results', 0) / per:.1f} | "
                     f"{t.get('training_runs', 0) / per:.2f} | {t.get('compute_estimates', 0)} |")
    ns = sorted(results)
    if len(ns) > 1:
        lo, hi = results[ns[0]][0], results[ns[-1]][0]
        span = ns[-1] - ns[0]
        lines.append(f"\nmarginal, N={ns[0]}..{ns[-1]}: warehouse {(hi.warehouse - lo.warehouse) / span / 1e3:.1f} "
                     f"KB/paper, PDF cache {(hi.cache - lo.cache) / span / 1e3:.0f} KB/paper")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 300, 1000])
    parser.add_argument("--keep", type=Path, help="build under this directory and keep it")
    args = parser.parse_args()
    results: dict[int, list[Measure]] = {}
    for n in args.sizes:
        if args.keep:
            runs = bench(n, args.keep / f"n{n}")
        else:
            with tempfile.TemporaryDirectory(prefix=f"bench-scale-{n}-") as tmp:
                runs = bench(n, Path(tmp))
        results[n] = runs
        for m in runs:
            print(f"N={n} {m.label}: {m.wall:.1f} s, peak RSS {m.peak_rss / 2**20:.0f} MB, "
                  f"warehouse {m.warehouse / 1e6:.1f} MB", file=sys.stderr, flush=True)
    print(table(results))
    print()
    print(growth(results))


if __name__ == "__main__":
    main()
