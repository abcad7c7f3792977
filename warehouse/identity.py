"""One identity per paper across sources: `paper_links` maps every reference record to an arXiv id.

Thompson et al.'s rows, Epoch AI's rows and Papers with Code results name their paper by a link
(an arXiv id when the link is to arXiv) and a title. A record whose link carries an arXiv id is
linked by it (`arxiv_link`, confidence 1.0). Any other record is linked by its normalised title when
exactly one arXiv id carries that title anywhere in the warehouse (a record with an arXiv id, or
`papers`): `title_year` when its year is within a year of one the id is known by (a carrier's year
or the id's own yymm), `title` when the record has no year to compare (lower confidence). A record
whose year disagrees is not linked. Titles of fewer than two words, generic ones, citations ("X et
al., 2019") and URLs never match; titles of two words only with the year.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

import duckdb

from warehouse import sql_identity as sql
from warehouse.bulk import bounded_memory, insert_spooled, spool
from warehouse.load import transaction

logger = logging.getLogger(__name__)

ARXIV_ID_PATTERN = r"[0-9]{4}[.][0-9]{4,5}|[a-z][a-z-]*([.][A-Z]{2})?/[0-9]{7}"
YEAR_TOLERANCE = 1
CONFIDENCE_TITLE_YEAR = 0.9
CONFIDENCE_TITLE = 0.7
MIN_WORDS_WITH_YEAR = 2
MIN_WORDS_ALONE = 3
# Normalised "titles" that name no paper in particular.
GENERIC_TITLES = frozenset({
    "abstract", "anonymous", "arxiv", "blog", "blog post", "github", "introduction", "model card", "n a", "na",
    "none", "paper", "preprint", "see paper", "technical report", "tbd", "unknown", "untitled",
})

_LATEX_COMMAND = re.compile(r"\\(?:([a-zA-Z]+)\*?|.)")
_LATEX_FORMATTING = frozenset({
    "bf", "bm", "boldsymbol", "em", "emph", "it", "mathbb", "mathbf", "mathcal", "mathit", "mathrm", "mathsf", "mbox",
    "rm", "sc", "text", "textbf", "textit", "textrm", "textsc", "textsf", "texttt", "tt", "url",
})
_INNER_JOINER = re.compile(r"(?<=\w)['’‐‑‒–-](?=\w)")
_NOT_WORD = re.compile(r"[\W_]+")
_URL = re.compile(r"^\s*(?:https?:|www\.)", re.IGNORECASE)
_CITATION = r"\bet al\b"  # "Cui et al., 2019": a citation, not a title


def _latex_word(match: re.Match[str]) -> str:
    """A LaTeX command in a title: formatting and accents dropped, symbols by name (\\alpha: alpha)."""
    name = match.group(1)
    return "" if name is None or name in _LATEX_FORMATTING else name


def normalise_title(text: str | None) -> str:
    """A title as a match key: accents, LaTeX formatting and braces dropped, casefolded, hyphens and
    apostrophes inside words joined ("Pre-training" = "Pretraining"), other punctuation a space,
    whitespace collapsed. '' for nothing."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = _LATEX_COMMAND.sub(_latex_word, plain.replace("\\&", "&"))
    plain = plain.replace("{", "").replace("}", "").replace("$", "")
    plain = plain.casefold().replace("&", " and ")
    plain = _INNER_JOINER.sub("", plain)
    return " ".join(_NOT_WORD.sub(" ", plain).split())


def title_key(title: str | None) -> tuple[str, bool, bool]:
    """A title's match key, whether it may match with the year (`usable`), and without it (`alone`)."""
    key = normalise_title(title)
    words = len(key.split())
    usable = (words >= MIN_WORDS_WITH_YEAR and key not in GENERIC_TITLES and not re.search(_CITATION, key)
              and not _URL.match(title or ""))
    return key, usable, usable and words >= MIN_WORDS_ALONE


def _title_rows(con: duckdb.DuckDBPyConnection, batch: int = 10_000) -> Iterator[dict[str, object]]:
    """Every distinct title of the records with its key, read ``batch`` at a time."""
    cursor = con.execute(sql.DISTINCT_TITLES)
    while chunk := cursor.fetchmany(batch):
        for (title,) in chunk:
            key, usable, alone = title_key(title)
            yield {"title": title, "title_key": key, "usable": usable, "alone": alone}


@dataclass(frozen=True, slots=True)
class LinkCounts:
    """What `refresh_paper_links` wrote: links per source and method, records per source without an
    arXiv id of their own (before linking), and usable titles left out because they name two ids."""

    by_method: dict[str, dict[str, int]] = field(default_factory=dict)
    without_id: dict[str, int] = field(default_factory=dict)
    ambiguous_titles: int = 0

    @property
    def rows(self) -> int:
        return sum(sum(m.values()) for m in self.by_method.values())

    def by_title(self, source: str) -> int:
        """Records of `source` without an arXiv id that a title linked."""
        methods = self.by_method.get(source, {})
        return methods.get("title_year", 0) + methods.get("title", 0)

    def summary(self) -> str:
        parts = [f"{self.by_title(s)} of {n} {s}" for s, n in sorted(self.without_id.items()) if n]
        return "paper links: records without an arXiv id linked by title: " + (", ".join(parts) or "none")


def refresh_paper_links(con: duckdb.DuckDBPyConnection) -> LinkCounts:
    """Rebuild `paper_links` from every Thompson, Epoch and Papers with Code record (one transaction).

    The records stay in DuckDB; only their distinct titles pass through Python (to be normalised),
    spooled back in as a table: memory stays flat with a million records."""
    params = [ARXIV_ID_PATTERN, YEAR_TOLERANCE, CONFIDENCE_TITLE_YEAR, CONFIDENCE_TITLE]
    with spool(con) as titles, bounded_memory(con):
        con.execute(sql.CREATE_TITLES)
        try:
            titles.write_all(_title_rows(con))
            insert_spooled(con, sql.TITLES_TABLE, titles)
            con.execute(sql.CREATE_RECORDS)
            with transaction(con):
                con.execute(sql.DELETE_LINKS)
                con.execute(sql.INSERT_LINKS, params)
            ambiguous = con.execute(sql.AMBIGUOUS_TITLES, [ARXIV_ID_PATTERN]).fetchone()
            without = dict(con.execute(sql.WITHOUT_ID).fetchall())
        finally:
            for statement in sql.DROP_TEMP:
                con.execute(statement)
    by_method: dict[str, dict[str, int]] = {}
    for source, method, n in con.execute(sql.COUNT_LINKS).fetchall():
        by_method.setdefault(source, {})[method] = int(n)
    counts = LinkCounts(by_method, {str(s): int(n) for s, n in without.items()},
                        int(ambiguous[0]) if ambiguous else 0)
    logger.info("%s (%d links, %d ambiguous titles)", counts.summary(), counts.rows, counts.ambiguous_titles)
    return counts
