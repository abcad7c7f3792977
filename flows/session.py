"""Settings pointed at a staging copy of the warehouse, published when the work succeeds.

Every command that writes the warehouse goes through here (or `flows.ingest`, which does the same
with its run record), so analysts' read-only connections are never in a writer's way and never see
half of a write. See `warehouse.publish`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flows.settings import Settings
from warehouse.publish import WriteSession


@contextmanager
def staged(settings: Settings, *, holder: str, work: str | None = None) -> Iterator[Settings]:
    """`with staged(settings, holder="compute-limits import") as s:` write through `s.db`; published on exit.
    ``work`` (default: the holder) is the kind of work whose unfinished staging this one may resume."""
    with WriteSession(settings.db, holder=holder, wait_s=settings.lock_wait_s, work=work or holder) as session:
        yield settings.model_copy(update={"db": session.staging})
        session.publish()
