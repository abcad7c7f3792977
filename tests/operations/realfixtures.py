"""A fixture root made of real papers: what the offline fixture server serves for a backfill test.

`build(root, papers)` copies each real PDF (read from ../shared at test time, never committed) to
`pdfs/<id>v<n>.pdf` and writes one recorded-format Atom page holding every paper's entry, routed so
that the server answers `id_list` lookups from it; ids not in it are unknown to this "arXiv".
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
ARXIV = "http://arxiv.org/schemas/atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"


@dataclass(frozen=True, slots=True)
class RealPaper:
    arxiv_id: str
    version: int
    title: str
    published: str          # YYYY-MM-DD
    pdf: Path
    category: str = "cs.CV"


def _entry(feed: etree._Element, paper: RealPaper) -> None:
    vid = f"{paper.arxiv_id}v{paper.version}"
    entry = etree.SubElement(feed, f"{{{ATOM}}}entry")
    stamp = f"{paper.published}T12:00:00Z"
    for tag, text in (("id", f"http://arxiv.org/abs/{vid}"), ("title", paper.title), ("updated", stamp),
                      ("published", stamp), ("summary", f"The abstract of {paper.title}.")):
        etree.SubElement(entry, f"{{{ATOM}}}{tag}").text = text
    etree.SubElement(entry, f"{{{ATOM}}}link", href=f"https://arxiv.org/abs/{vid}", rel="alternate",
                     type="text/html")
    etree.SubElement(entry, f"{{{ATOM}}}link", href=f"https://arxiv.org/pdf/{vid}", rel="related",
                     type="application/pdf", title="pdf")
    etree.SubElement(entry, f"{{{ATOM}}}category", term=paper.category, scheme=ARXIV)
    etree.SubElement(entry, f"{{{ARXIV}}}primary_category", term=paper.category)
    author = etree.SubElement(entry, f"{{{ATOM}}}author")
    etree.SubElement(author, f"{{{ATOM}}}name").text = "A. Author"


def build(root: Path, papers: list[RealPaper], *, base: Path | None = None) -> Path:
    """Write the fixture root (on a copy of `base`, e.g. the offline corpus, when given); returns it."""
    if base is not None:
        shutil.copytree(base, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("served.json"))
    (root / "http" / "arxiv_api").mkdir(parents=True, exist_ok=True)
    (root / "pdfs").mkdir(parents=True, exist_ok=True)
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM, "arxiv": ARXIV, "opensearch": OPENSEARCH})
    for tag, value in (("totalResults", len(papers)), ("startIndex", 0), ("itemsPerPage", len(papers))):
        etree.SubElement(feed, f"{{{OPENSEARCH}}}{tag}").text = str(value)
    for paper in papers:
        _entry(feed, paper)
        shutil.copyfile(paper.pdf, root / "pdfs" / f"{paper.arxiv_id}v{paper.version}.pdf")
    (root / "http" / "arxiv_api" / "known.xml").write_bytes(
        etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True))
    # A route no real request matches: it only tells the server which recorded entries exist.
    routes_path = root / "http" / "routes.json"
    routes = json.loads(routes_path.read_text("utf-8")) if routes_path.is_file() else []
    routes.append({"path": "/api/query", "query": {"fixture": "known-entries"}, "status": 200,
                   "headers": {"Content-Type": "application/atom+xml; charset=utf-8"},
                   "file": "arxiv_api/known.xml"})
    routes_path.write_text(json.dumps(routes, indent=1), "utf-8")
    return root


def from_gold(shared: Path, arxiv_ids: list[str]) -> list[RealPaper]:
    """The corpus papers with these arXiv ids (the first PDF of each), described by their gold files."""
    found: dict[str, RealPaper] = {}
    for gold_path in sorted((shared / "corpus" / "gold").glob("*.gold.json")):
        gold = json.loads(gold_path.read_text("utf-8"))
        arxiv_id = gold.get("arxiv_id")
        if arxiv_id in arxiv_ids and arxiv_id not in found:
            found[arxiv_id] = RealPaper(arxiv_id, 1, gold["title"], f"{gold['year']}-06-01",
                                        shared / "corpus" / gold["pdf"])
    missing = sorted(set(arxiv_ids) - set(found))
    if missing:
        raise FileNotFoundError(f"no corpus PDF for {missing}")
    return [found[i] for i in arxiv_ids]
