"""A hostile fixture root, built at test time in the layout of `fixtures/`, for `ingest --offline`.

`build(root, trap_url)` writes `http/routes.json` (OAI-PMH ListRecords pages, arXiv API Atom entries
for the lookups, scripted PDF responses), `pdfs/` and `pwc/evaluation-tables.json`. The good papers
and their metadata are copied from the bundled corpus (`fixtures/`); the hostile ones are composed
here. Every case is in `CASES`: which paper carries it, and how the first run must record it.

Scripted failures are `persist` routes (`crawlers.fixture_server`): each fails `RETRIES + 1` times
(the first try and the in-run retries of the first run), then answers normally, so the second run,
which starts a new fixture server, gets the PDF.
"""

from __future__ import annotations

import copy
import json
import shutil
import threading
import zlib
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from lxml import etree
from reportlab.pdfgen import canvas

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
OAI = "http://www.openarchives.org/OAI/2.0/"
ARXIV = "http://arxiv.org/OAI/arXiv/"
ATOM = "http://www.w3.org/2005/Atom"

RETRIES = 1             # COMPUTE_LIMITS_DOWNLOAD_RETRIES
TIMEOUT_S = 2.0         # COMPUTE_LIMITS_DOWNLOAD_TIMEOUT_S; the slow PDF answers after SLOW_S
SLOW_S = 4.0
MAX_BYTES = 1 << 20     # COMPUTE_LIMITS_PDF_MAX_BYTES
EXTRACT_TIMEOUT_S = 10  # COMPUTE_LIMITS_EXTRACT_TIMEOUT_S; the many-page PDF needs minutes
LOOKUP_BATCH = 2        # COMPUTE_LIMITS_LOOKUP_BATCH_SIZE: the malformed lookup loses one batch only
PAGES = 200_000
HARVEST = "oai ListRecords set=cs"
PWC = "evaluation-tables.json"


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    source: str                # the `source` of its error (a paper version, a paper id, the harvest, a file)
    stage: str | None          # the stage that records it after run 1 (None: no error, the paper loads)
    retryable: bool | None
    message: str               # part of the error message
    recovers: bool = False     # the second run fetches it and resolves the error
    paper: str | None = None   # the arXiv id whose document and facts are expected (when it loads)


CASES: tuple[Case, ...] = (
    # page 1 of the harvest; the first lookup batch (two ids) gets a truncated Atom answer
    Case("lookup_malformed_a", "1411.90001", "crawl", True, "malformed Atom feed", True, "1411.90001"),
    Case("lookup_malformed_b", "1506.90002", "crawl", True, "malformed Atom feed", True, "1506.90002"),
    Case("good", "1608.90004", None, None, "", False, "1608.90004"),
    Case("corrupt_pdf", "1707.90003v1", "extract", False, "corrupt PDF"),
    Case("truncated_pdf", "1710.90005v1", "extract", False, "corrupt PDF"),
    Case("encrypted_pdf", "1805.90006v1", "extract", False, "encrypted PDF"),
    Case("zero_bytes", "1811.90007v1", "download", True, "PDF too small (0 bytes)"),
    Case("html_not_pdf", "1906.90008v1", "download", True, "not a PDF"),
    Case("too_large", "2107.90010v1", "download", False, "PDF too large"),
    Case("many_pages", "2402.90013v1", "extract", False, "timed out"),
    Case("http_429", "2409.90014v1", "download", True, "HTTP 429", True, "2409.90014"),
    Case("http_500", "1412.90101v1", "download", True, "HTTP 500", True, "1412.90101"),
    Case("http_503", "1509.90102v1", "download", True, "HTTP 503", True, "1509.90102"),
    Case("timeout", "1606.90103v1", "download", True, "took longer than", True, "1606.90103"),
    Case("foreign_pdf_link", "1706.90104", "crawl", False, "host other than arXiv", False, "1706.90104"),
    Case("traversal", "../../etc/passwd", "crawl", False, "not an arXiv id"),
    Case("traversal_encoded", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "crawl", False, "not an arXiv id"),
    # page 2 is truncated in the first run (the harvest stops mid-chain); page 3 follows it
    Case("oai_truncated", HARVEST, "crawl", True, "malformed OAI-PMH", True),
    Case("after_truncation", "1711.90105", None, None, "", False, "1711.90105"),
    Case("after_truncation_good", "1802.90106", None, None, "", False, "1802.90106"),
    # the PwC dump is truncated in the first run (the test puts the whole one back for the second)
    Case("pwc_truncated", PWC, "reference", False, "cannot read evaluation tables", True),
)
LATE_TRAVERSAL = "cs/0101001/../../../../tmp/pwned"  # on page 3: refused in the second run
PAGE_1 = [c.source.removesuffix("v1") for c in CASES if c.stage != "reference" and c.name not in (
    "oai_truncated", "after_truncation", "after_truncation_good")]
PAGE_2 = ["1711.90105"]
PAGE_3 = ["1802.90106", LATE_TRAVERSAL]


def case(name: str) -> Case:
    return next(c for c in CASES if c.name == name)


def paper_id(c: Case) -> str:
    return c.source.removesuffix("v1")


# --- metadata: copied from the bundled corpus, composed for the hostile ids -------------------------

def _records() -> dict[str, Any]:
    out = {}
    for page in sorted((FIXTURES / "http" / "oai").glob("*.xml")):
        for rec in etree.parse(str(page)).getroot().iter(f"{{{OAI}}}record"):
            out[rec.findtext(f".//{{{ARXIV}}}id")] = rec
    return out


def _entries() -> dict[str, Any]:
    out = {}
    for page in sorted((FIXTURES / "http" / "arxiv_api").glob("*.xml")):
        for entry in etree.parse(str(page)).getroot().iter(f"{{{ATOM}}}entry"):
            out[entry.findtext(f"{{{ATOM}}}id").rsplit("/", 1)[-1].split("v")[0]] = entry
    return out


def _hostile_record(template: Any, identifier: str) -> Any:
    rec = copy.deepcopy(template)
    rec.find(f"{{{OAI}}}header/{{{OAI}}}identifier").text = f"oai:arXiv.org:{identifier}"
    rec.find(f".//{{{ARXIV}}}id").text = identifier
    return rec


def _oai_page(records: list[Any], token: str | None) -> bytes:
    skeleton = etree.parse(str(FIXTURES / "http" / "oai" / "listrecords_page1.xml")).getroot()
    listing = skeleton.find(f"{{{OAI}}}ListRecords")
    for child in list(listing):
        listing.remove(child)
    listing.extend(records)
    resumption = etree.SubElement(listing, f"{{{OAI}}}resumptionToken", completeListSize="20")
    resumption.text = token
    return etree.tostring(skeleton, xml_declaration=True, encoding="UTF-8")


def _feed(entries: list[Any]) -> bytes:
    skeleton = etree.parse(str(FIXTURES / "http" / "arxiv_api" / "page_start000.xml")).getroot()
    for entry in skeleton.findall(f"{{{ATOM}}}entry"):
        skeleton.remove(entry)
    skeleton.find("{http://a9.com/-/spec/opensearch/1.1/}totalResults").text = str(len(entries))
    skeleton.extend(entries)
    return etree.tostring(skeleton, xml_declaration=True, encoding="UTF-8")


# --- PDFs ------------------------------------------------------------------------------------------

def encrypted_pdf(path: Path) -> None:
    from reportlab.lib import pdfencrypt

    c = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    c.drawString(60, 740, "We trained the model on 8 V100 GPUs for 3 days.")
    c.showPage()
    c.save()


def many_pages_pdf(pages: int) -> bytes:
    """A valid PDF of `pages` pages in a few kB: every page is the same page object, and the page
    tree sits in a compressed object stream (PDF 1.5) with a cross-reference stream."""
    text = b"BT /F1 10 Tf 60 740 Td (We trained the model on 8 V100 GPUs for 3 days.) Tj ET"
    tree = (f"<< /Type /Pages /Count {pages} /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Kids [{' '.join(['4 0 R'] * pages)}] >>").encode()
    stream = zlib.compress(b"2 0\n" + tree, 9)
    out, offsets = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"), {}

    def put(number: int, body: bytes) -> None:
        offsets[number] = len(out)
        out.extend(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    put(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    put(3, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    put(4, b"<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>")
    put(5, b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text))
    put(6, b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
        % (len(stream), stream))
    offsets[7] = len(out)
    rows = b"\x00" + bytes(4) + b"\xff\xff"
    for number in range(1, 8):
        rows += b"\x02" + (6).to_bytes(4, "big") + bytes(2) if number == 2 else (
            b"\x01" + offsets[number].to_bytes(4, "big") + bytes(2))
    xref = zlib.compress(rows, 9)
    out.extend(b"7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length %d >>\n"
               b"stream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % (len(xref), xref, offsets[7]))
    return bytes(out)


def _write_pdfs(pdfs: Path) -> None:
    pdfs.mkdir(parents=True)
    real = FIXTURES / "pdfs"
    for c in CASES:
        if c.paper is not None:
            shutil.copy(real / f"{c.paper}v1.pdf", pdfs / f"{c.paper}v1.pdf")
    (pdfs / "1707.90003v1.pdf").write_bytes(b"%PDF-1.4\n" + bytes((i * 131 + 7) % 256 for i in range(8192)))
    whole = (real / "1710.90005v1.pdf").read_bytes()
    (pdfs / "1710.90005v1.pdf").write_bytes(whole[: len(whole) // 3])
    encrypted_pdf(pdfs / "1805.90006v1.pdf")
    (pdfs / "1811.90007v1.pdf").write_bytes(b"")
    big = (real / "2107.90010v1.pdf").read_bytes()  # a good PDF with a long comment after %%EOF
    (pdfs / "2107.90010v1.pdf").write_bytes(big + b"\n%" + b"x" * (MAX_BYTES + 4096) + b"\n")
    (pdfs / "2402.90013v1.pdf").write_bytes(many_pages_pdf(PAGES))


# --- routes ----------------------------------------------------------------------------------------

def _failing(path: str, failure: dict[str, Any], query: dict[str, str] | None = None,
             times: int = RETRIES + 1) -> dict[str, Any]:
    """A route that answers `failure` to the first run (its try and retries: `times`), then as if absent."""
    return {"path": path, "query": query or {}, "persist": True,
            "sequence": [failure] * times + [{"default": True}]}


def _routes() -> list[dict[str, Any]]:
    xml = {"Content-Type": "text/xml; charset=utf-8"}
    atom = {"Content-Type": "application/atom+xml; charset=utf-8"}
    html = "<!DOCTYPE html><html><head><title>arXiv</title></head><body>" + "<p>PDF being generated</p>" * 10
    return [  # of two routes that match as well, the first wins: the scripted lookup before the search page
        _failing("/api/query", {"headers": atom, "file": "arxiv_api/lookup_truncated.xml"},
                 {"id_list": ",".join(PAGE_1[:LOOKUP_BATCH])}),
        {"path": "/api/query", "query": {"start": "0"}, "headers": atom, "file": "arxiv_api/entries.xml"},
        {"path": "/oai", "query": {"verb": "ListRecords"}, "headers": xml, "file": "oai/page1.xml"},
        {"path": "/oai", "query": {"verb": "ListRecords", "resumptionToken": "hostile-2"}, "persist": True,
         "sequence": [{"headers": xml, "file": "oai/page2_truncated.xml"}, {"headers": xml, "file": "oai/page2.xml"}]},
        {"path": "/oai", "query": {"verb": "ListRecords", "resumptionToken": "hostile-3"}, "headers": xml,
         "file": "oai/page3.xml"},
        {"path": "/pdf/1906.90008v1", "status": 200, "headers": {"Content-Type": "text/html"}, "body": html},
        _failing("/pdf/2409.90014v1", {"status": 429, "headers": {"Retry-After": "3600"}, "body": "slow down"},
                 times=1),  # a Retry-After beyond the back-off cap ends the attempt without a retry
        _failing("/pdf/1412.90101v1", {"status": 500, "body": "internal error"}),
        _failing("/pdf/1509.90102v1", {"status": 503, "headers": {"Retry-After": "1"}, "body": "busy"}),
        _failing("/pdf/1606.90103v1", {"delay": SLOW_S, "default": True}),
    ]


def build(root: Path, *, trap_url: str) -> Path:
    """Write the hostile fixture root; `trap_url` is where the foreign PDF link points."""
    records, entries = _records(), _entries()
    http = root / "http"
    (http / "oai").mkdir(parents=True)
    (http / "arxiv_api").mkdir()
    template = records["1608.90004"]
    page1 = [records[p] if p in records else _hostile_record(template, p) for p in PAGE_1]
    (http / "oai" / "page1.xml").write_bytes(_oai_page(page1, "hostile-2"))
    page2 = _oai_page([records[p] for p in PAGE_2], "hostile-3")
    (http / "oai" / "page2.xml").write_bytes(page2)
    (http / "oai" / "page2_truncated.xml").write_bytes(page2[: len(page2) // 2])
    page3 = [records[PAGE_3[0]], _hostile_record(template, LATE_TRAVERSAL)]
    (http / "oai" / "page3.xml").write_bytes(_oai_page(page3, None))
    wanted = [p for p in PAGE_1 + PAGE_2 + PAGE_3 if p in entries]
    chosen = [copy.deepcopy(entries[p]) for p in wanted]
    for entry in chosen:
        if entry.findtext(f"{{{ATOM}}}id").endswith("1706.90104v1"):
            entry.find(f"{{{ATOM}}}link[@title='pdf']").set("href", f"{trap_url}/pdf/1706.90104v1")
    (http / "arxiv_api" / "entries.xml").write_bytes(_feed(chosen))
    lookup = _feed([copy.deepcopy(entries[p]) for p in PAGE_1[:LOOKUP_BATCH]])
    (http / "arxiv_api" / "lookup_truncated.xml").write_bytes(lookup[: len(lookup) * 2 // 3])
    (http / "routes.json").write_text(json.dumps(_routes(), indent=1), "utf-8")
    _write_pdfs(root / "pdfs")
    (root / "pwc").mkdir()
    whole = (FIXTURES / "pwc" / PWC).read_bytes()
    (root / "pwc" / PWC).write_bytes(whole[: len(whole) * 3 // 5])
    return root


def restore_pwc(root: Path) -> None:
    """Put the whole dump in place (what a re-download would do before the next run)."""
    shutil.copy(FIXTURES / "pwc" / PWC, root / "pwc" / PWC)


class Trap:
    """An HTTP server on 127.0.0.2: loopback, so reachable, but not a host PDFs may come from. It
    records every request it gets (there must be none)."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        trap = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                trap.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
        self.url = f"http://127.0.0.2:{self._httpd.server_address[1]}"

    def __enter__(self) -> Trap:
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
