"""A local HTTP server that replays recorded responses from `fixtures/` on 127.0.0.1.

Offline runs and tests point the real spiders and downloader at it. Routes come from
`<root>/http/routes.json`: a request matches a route when the path is equal and every query item
of the route is present with the same value; the route with the most query items wins (of equals,
the first listed). An API query by `id_list` with no route of its own is answered from the
recorded entries. A route may give a `sequence` of responses, served in order (the last one
repeats), to replay e.g. a 503 with Retry-After followed by a success. PDFs are served from
`<root>/pdfs/` under `/pdf/<id>v<n>`; a route for `/pdf/<id>v<n>` scripts that PDF's responses
instead.

A response may hold `status`, `headers`, and `file` (under `<root>/http/`) or `body`; `delay`
(seconds to wait before answering, e.g. to make a client time out); or `"default": true` to give
the answer the server would give without the route (the PDF file, or the `id_list` answer). A
route with `"persist": true` keeps its place in its sequence across servers (in
`<root>/http/served.json`), so a failure scripted for the first run of a flow is not replayed to
the next run, which starts a new server.

OAI-PMH dates: a ListRecords route with `"oai_dates": true` honours `from=` and `until=` (inclusive,
compared by day). Such a request is answered with every record of the recorded resumption chain
(that route's page, then the page each resumptionToken routes to) whose header datestamp is in the
range, in one page with no token, or with a `noRecordsMatch` error when none is; the first page's
responseDate is kept. Without the flag (the default fixtures) the dates are ignored, as recorded.
"""

from __future__ import annotations

import copy
import json
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from lxml import etree

from crawlers.atom import split_arxiv_id

logger = logging.getLogger(__name__)

ATOM = "http://www.w3.org/2005/Atom"
OAI = "http://www.openarchives.org/OAI/2.0/"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
_PDF_NAME = re.compile(r"^[A-Za-z0-9._-]+(?:/[0-9]{7}v[0-9]+)?$")


STATE_FILE = "served.json"


@dataclass(slots=True)
class Route:
    path: str
    query: dict[str, str]
    responses: list[dict[str, Any]]
    served: int = 0
    persist: bool = False

    @property
    def key(self) -> str:
        return self.path + ("?" + urlencode(sorted(self.query.items())) if self.query else "")

    def next_response(self) -> dict[str, Any]:
        response = self.responses[min(self.served, len(self.responses) - 1)]
        self.served += 1
        return response


@dataclass(slots=True)
class RequestRecord:
    at: float
    path: str
    query: dict[str, str]
    user_agent: str
    status: int


def load_routes(root: Path) -> list[Route]:
    path = root / "http" / "routes.json"
    if not path.exists():
        return []
    state_path = root / "http" / STATE_FILE
    state = json.loads(state_path.read_text("utf-8")) if state_path.exists() else {}
    routes = []
    for spec in json.loads(path.read_text("utf-8")):
        responses = spec.get("sequence") or [spec]
        route = Route(spec["path"], dict(spec.get("query") or {}), list(responses), persist=bool(spec.get("persist")))
        if route.persist:
            route.served = int(state.get(route.key, 0))
        routes.append(route)
    return routes


def synthetic_ids(root: Path) -> list[str]:
    """The arXiv ids of the made-up papers a fixture root serves: every entry of its `corpus.json`
    (the generator's manifest) unless the entry says `"synthetic": false`; none without a manifest."""
    manifest = root / "corpus.json"
    if not manifest.is_file():
        return []
    entries = json.loads(manifest.read_text("utf-8"))
    return sorted({str(e["arxiv_id"]) for e in entries if e.get("arxiv_id") and e.get("synthetic", True)})


@dataclass
class FixtureServer:
    """`with FixtureServer(root) as server: server.base_url`."""

    root: Path
    routes: list[Route] = field(default_factory=list)
    requests: list[RequestRecord] = field(default_factory=list)
    _httpd: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    def __post_init__(self) -> None:
        self.root = Path(self.root)
        if not self.routes:
            self.routes = load_routes(self.root)
        self._lock = threading.Lock()
        self._entry_index: dict[str, Any] | None = None

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("fixture server is not running")
        host, port = self._httpd.server_address[:2]
        return f"http://{host if isinstance(host, str) else host.decode()}:{port}"

    def add_route(self, path: str, query: dict[str, str], responses: list[dict[str, Any]]) -> None:
        """Add (ahead of the recorded ones) a route, e.g. a scripted failure in a test."""
        with self._lock:
            self.routes.insert(0, Route(path, query, responses))

    def _entries(self) -> dict[str, Any]:
        """Every Atom entry the recorded API pages hold, by arXiv id (without version)."""
        if self._entry_index is None:
            index: dict[str, Any] = {}
            for route in self.routes:
                for spec in route.responses:
                    if route.path == "/api/query" and "file" in spec:
                        body = (self.root / "http" / spec["file"]).read_bytes()
                        try:
                            feed = etree.fromstring(body)
                        except etree.XMLSyntaxError:  # a scripted malformed answer holds no entries
                            continue
                        for entry in feed.findall(f"{{{ATOM}}}entry"):
                            paper_id, _ = split_arxiv_id(entry.findtext(f"{{{ATOM}}}id") or "")
                            index[paper_id] = entry
            self._entry_index = index
        return self._entry_index

    def _id_list_feed(self, query: dict[str, str]) -> bytes:
        """Answer an `id_list` query from the recorded entries, as the arXiv API would."""
        entries = self._entries()
        ids = [split_arxiv_id(i)[0] for i in query["id_list"].split(",") if i.strip()]
        hits = [entries[i] for i in ids if i in entries]
        start = int(query.get("start", 0))
        page = hits[start:start + int(query.get("max_results", 100))]
        feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM, "opensearch": OPENSEARCH,
                                                        "arxiv": "http://arxiv.org/schemas/atom"})
        for tag, value in (("totalResults", len(hits)), ("startIndex", start), ("itemsPerPage", len(page))):
            etree.SubElement(feed, f"{{{OPENSEARCH}}}{tag}").text = str(value)
        feed.extend(copy.deepcopy(e) for e in page)
        return etree.tostring(feed, xml_declaration=True, encoding="UTF-8")

    def match(self, path: str, query: dict[str, str]) -> Route | None:
        best: Route | None = None
        with self._lock:
            for route in self.routes:
                if route.path == path and all(query.get(k) == v for k, v in route.query.items()) and (
                    best is None or len(route.query) > len(best.query)
                ):
                    best = route
        return best

    def start(self) -> FixtureServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                status, headers, body = server.respond(self.path)
                with server._lock:
                    parts = urlsplit(self.path)
                    server.requests.append(RequestRecord(time.monotonic(), parts.path,
                                                         dict(parse_qsl(parts.query)),
                                                         self.headers.get("User-Agent", ""), status))
                try:
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (e.g. timed out)
                    logger.debug("fixture server: client went away before %s", self.path)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                logger.debug("fixture server: " + format, *args)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="fixture-server", daemon=True)
        self._thread.start()
        logger.info("fixture server serving %s at %s", self.root, self.base_url)
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def respond(self, raw_path: str) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(raw_path)
        query = dict(parse_qsl(parts.query))
        route = self.match(parts.path, query)
        if route is not None and (not query.get("id_list") or "id_list" in route.query):
            spec = self._next_response(route)
            if spec.get("delay"):
                time.sleep(float(spec["delay"]))
            if spec.get("oai_dates") and (query.get("from") or query.get("until")) and "file" in spec:
                filtered = self._oai_in_dates(spec, query)
                if filtered is not None:
                    return int(spec.get("status", 200)), dict(spec.get("headers") or {}), filtered
            if not spec.get("default"):
                if "file" in spec:
                    body = (self.root / "http" / spec["file"]).read_bytes()
                else:
                    body = str(spec.get("body", "")).encode("utf-8")
                return int(spec.get("status", 200)), dict(spec.get("headers") or {}), body
        if parts.path.startswith("/pdf/"):
            return self._pdf(parts.path.removeprefix("/pdf/"))
        if query.get("id_list"):
            return 200, {"Content-Type": "application/atom+xml; charset=utf-8"}, self._id_list_feed(query)
        return 404, {"Content-Type": "text/plain"}, f"no recorded response for {raw_path}\n".encode()

    def _oai_chain(self, first: dict[str, Any]) -> list[Any]:
        """The parsed pages of a recorded ListRecords chain, from `first`'s page along its tokens."""
        pages, seen = [], set()
        spec: dict[str, Any] | None = first
        while spec is not None:
            page = etree.fromstring((self.root / "http" / spec["file"]).read_bytes())
            pages.append(page)
            token = (page.findtext(f"{{{OAI}}}ListRecords/{{{OAI}}}resumptionToken") or "").strip()
            route = self.match("/oai", {"verb": "ListRecords", "resumptionToken": token}) if token else None
            if not token or token in seen or route is None or route.query.get("resumptionToken") != token:
                break
            seen.add(token)
            spec = next((r for r in route.responses if "file" in r), None)
        return pages

    def _oai_in_dates(self, spec: dict[str, Any], query: dict[str, str]) -> bytes | None:
        """The records of the chain with a datestamp in [from, until], in one page (None: a page of the
        chain does not parse, so the recorded answer is served as it is)."""
        low, high = (query.get("from") or "")[:10], (query.get("until") or "9999-12-31")[:10]
        try:
            pages = self._oai_chain(spec)
        except (etree.XMLSyntaxError, OSError):
            return None
        first = pages[0]
        listing = first.find(f"{{{OAI}}}ListRecords")
        if listing is None:
            return None
        kept = [rec for page in pages for rec in page.iterfind(f"{{{OAI}}}ListRecords/{{{OAI}}}record")
                if low <= (rec.findtext(f"{{{OAI}}}header/{{{OAI}}}datestamp") or "").strip()[:10] <= high]
        first.remove(listing)
        request = first.find(f"{{{OAI}}}request")
        for key in ("from", "until"):
            if query.get(key) and request is not None:
                request.set(key, query[key])
        if kept:
            answer = etree.SubElement(first, f"{{{OAI}}}ListRecords")
            answer.extend(kept)
        else:
            error = etree.SubElement(first, f"{{{OAI}}}error", code="noRecordsMatch")
            error.text = "no records in the requested date range"
        return etree.tostring(first, xml_declaration=True, encoding="UTF-8")

    def _next_response(self, route: Route) -> dict[str, Any]:
        """The route's next response; a persistent route's place is saved for the next server."""
        with self._lock:
            spec = route.next_response()
            if route.persist:
                state_path = self.root / "http" / STATE_FILE
                state = json.loads(state_path.read_text("utf-8")) if state_path.exists() else {}
                state[route.key] = route.served
                tmp = state_path.with_suffix(".tmp")
                tmp.write_text(json.dumps(state, indent=1, sort_keys=True), "utf-8")
                tmp.replace(state_path)
        return spec

    def _pdf(self, name: str) -> tuple[int, dict[str, str], bytes]:
        if not _PDF_NAME.match(name) or ".." in name:
            return 400, {"Content-Type": "text/plain"}, b"bad PDF name\n"
        path = self.root / "pdfs" / (name.replace("/", "_") + ".pdf")
        if not path.is_file():
            return 404, {"Content-Type": "text/html"}, b"<html><body>PDF unavailable</body></html>"
        return 200, {"Content-Type": "application/pdf"}, path.read_bytes()
