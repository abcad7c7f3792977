"""One writer at a time, through a staging copy that is published atomically.

DuckDB lets one process write a file. Analysts read `warehouse.duckdb` with read-only connections at
any time, so no writer ever opens that file for writing. A write session instead

1. takes an exclusive lock (`warehouse.duckdb.lock`, `flock`: the kernel drops it if the holder dies);
2. works in `warehouse.duckdb.staging`: a copy of the published file, or the staging file a killed
   session left behind, which is resumed when it was made from the file that is still published by
   the same kind of work (`warehouse.duckdb.staging.base` records the file's size, modification time
   and inode, and the work); another kind of work leaves it and stages from the published file;
3. on success checkpoints the staging file (no WAL left), fsyncs it and renames it over the published
   file. The rename is atomic: a reader opens either the old file or the new one, never a mixture,
   and a reader that has the old one open keeps its consistent snapshot until it reconnects.

A session that fails or is killed leaves the published file untouched and its staging file in place,
where the next session resumes it. Every load inside is a transaction and idempotent, so a resumed
session ends with the same rows an uninterrupted one gives.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import duckdb

from warehouse.db import WarehouseError

logger = logging.getLogger(__name__)


class WarehouseBusy(WarehouseError):
    """Another process holds the write lock."""


def preflight(published: str | Path) -> None:
    """Fail early, with one clear line, where no write session could start (before any long work)."""
    published = Path(published)
    if published.exists() and not published.is_file():
        raise WarehouseError("cannot open warehouse for writing: it is not a file", path=str(published))
    try:
        published.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseError(f"cannot open warehouse for writing: {exc.strerror}", path=str(published)) from exc


def _identity(path: Path) -> dict[str, int] | None:
    """What the staging copy was made from: enough to notice that the published file changed."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "inode": st.st_ino}


def _fsync_path(path: Path, *, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    _fsync_path(tmp)
    os.replace(tmp, path)


@dataclass
class WriteSession:
    """`with WriteSession(db, holder="ingest run 1a2b") as s: ...write s.staging...; s.publish()`.

    `wait_s` is how long to wait for the lock before giving up with `WarehouseBusy`.
    """

    published: Path
    holder: str = "compute-limits"
    wait_s: float = 0.0
    work: str = "write"  # the kind of work ("ingest", "import"): only the same kind resumes its staging
    keep_on_error: bool = True  # keep the staging of a failed session for a resume (False: nothing to resume)
    resumed: bool = field(default=False, init=False)
    foreign: Path | None = field(default=None, init=False)  # another kind of work's unfinished staging, left
    _staging: Path | None = field(default=None, init=False, repr=False)
    set_aside: Path | None = field(default=None, init=False)  # an outside session's WAL, moved aside at publish
    published_at: datetime | None = field(default=None, init=False)
    _lock: IO[str] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.published = Path(self.published)

    @property
    def default_staging(self) -> Path:
        return self.published.with_name(self.published.name + ".staging")

    @property
    def staging(self) -> Path:
        return self._staging or self.default_staging

    @property
    def lock_path(self) -> Path:
        return self.published.with_name(self.published.name + ".lock")

    @property
    def base_path(self) -> Path:
        return self.published.with_name(self.published.name + ".staging.base")

    def __enter__(self) -> WriteSession:
        preflight(self.published)
        self._acquire()
        try:
            self.resumed = self._prepare()
        except BaseException:
            self._release()
            raise
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc is not None and self.keep_on_error:
            logger.warning("write session ended by %s; staging kept for the next run: %s",
                           type(exc).__name__, self.staging)
        elif exc is not None:  # a rejected override, a malformed import: nothing to resume, nothing left
            for path in (self.staging, self._wal(self.staging)) + (() if self.foreign else (self.base_path,)):
                path.unlink(missing_ok=True)
        self._release()

    def _acquire(self) -> None:
        handle = open(self.lock_path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the session
        deadline = time.monotonic() + self.wait_s
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    who = handle.read().strip() or "another process"
                    handle.close()
                    raise WarehouseBusy(f"the warehouse is being written by {who}; try again when it "
                                        "finishes (readers are not affected)", path=str(self.published)) from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{self.holder} (pid {os.getpid()}, since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC)\n")
        handle.flush()
        self._lock = handle

    def _release(self) -> None:
        if self._lock is not None:
            with contextlib.suppress(OSError):
                self._lock.seek(0)
                self._lock.truncate()
                fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None

    def _base(self) -> Any:
        try:
            return json.loads(self.base_path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return "missing"

    def _prepare(self) -> bool:
        """Resume the staging file a killed session of the same kind of work left, if it was made from
        what is published; leave another kind's unfinished staging alone (this session works in a
        staging of its own, and once it publishes that one is stale); else start a fresh copy.
        Returns whether it resumed."""
        for orphan in self.published.parent.glob(self.published.name + ".staging*.copy-*"):
            orphan.unlink(missing_ok=True)  # a copy a killed session did not finish
        current = _identity(self.published)
        base = self._base()
        unfinished = self.default_staging.exists() and isinstance(base, dict) and base.get("published") == current
        if unfinished and base.get("work", self.work) == self.work:
            logger.info("resuming the staging file of an unfinished session: %s", self.staging)
            return True
        if unfinished:
            self.foreign = self.default_staging
            self._staging = self.published.with_name(f"{self.published.name}.staging-{_slug(self.work)}")
            logger.warning("%s left unfinished work in %s; this %s works from the published file and leaves it "
                           "for the next %s", base.get("work", "a session"), self.foreign, self.work,
                           base.get("work", "session"))
        stale = [self.staging, self._wal(self.staging)] + ([] if unfinished else [self.base_path])
        if not unfinished:  # a staging of its own that a killed session of another kind left
            stale += list(self.published.parent.glob(self.published.name + ".staging-*"))
        for path in stale:
            path.unlink(missing_ok=True)
        if current is not None:
            tmp = self.staging.with_name(self.staging.name + f".copy-{os.getpid()}")
            try:
                shutil.copyfile(self.published, tmp)
                _fsync_path(tmp)
            except OSError as exc:  # a full disk: no partial copy is left behind
                tmp.unlink(missing_ok=True)
                raise WarehouseError(f"cannot copy the warehouse to stage a write: {exc.strerror or exc}",
                                     path=str(tmp)) from exc
            os.replace(tmp, self.staging)
        if not unfinished:
            _write_atomic(self.base_path, json.dumps({"published": current, "work": self.work}))
        return False

    @staticmethod
    def _wal(path: Path) -> Path:
        return path.with_name(path.name + ".wal")

    def publish(self) -> None:
        """Make the staging file the warehouse, atomically. Every connection to it must be closed."""
        if self._lock is None:
            raise WarehouseError("publish() outside a write session", path=str(self.published))
        if not self.staging.exists():
            raise WarehouseError("nothing to publish: the staging file is missing", path=str(self.staging))
        con = duckdb.connect(str(self.staging))
        try:
            con.execute("CHECKPOINT")
        finally:
            con.close()
        if self._wal(self.staging).exists():
            raise WarehouseError("the staging file still has a WAL after its checkpoint; another connection "
                                 "is open", path=str(self.staging))
        _fsync_path(self.staging)
        if outside_writer(self.published):
            logger.warning("a read-write connection from outside the pipeline is open on %s: what it wrote "
                           "or writes is not in the new warehouse (open it read-only)", self.published)
        self.set_aside = set_aside_wal(self.published)  # the old file's WAL never meets the new file
        os.replace(self.staging, self.published)
        _fsync_path(self.published.parent, directory=True)
        if self.foreign is None:
            self.base_path.unlink(missing_ok=True)  # (another kind's staging keeps its base: now stale)
        self.published_at = datetime.now(UTC)
        logger.info("published %s", self.published)


def _slug(work: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", work.lower()).strip("-") or "write"


def outside_writer(published: Path) -> bool:
    """Whether a read-write DuckDB connection holds ``published`` now (its POSIX write lock; read-only
    connections share the lock, so they do not count)."""
    try:
        fd = os.open(published, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # closing drops our probe lock too
    return False


def set_aside_wal(published: Path) -> Path | None:
    """Move the WAL beside the published file out of the way, keeping it: only a read-write connection
    from outside the pipeline (an analyst's DuckDB CLI) writes one, and its writes belong to the file
    being replaced. Left in place it would be replayed against the new file ("Failure while replaying
    WAL file") and every reader would fail."""
    wal = published.with_name(published.name + ".wal")
    if not wal.exists():
        return None
    aside = wal.with_name(f"{wal.name}.set-aside-{datetime.now(UTC):%Y%m%dT%H%M%S}-{os.getpid()}")
    os.replace(wal, aside)
    logger.warning("an outside read-write session left uncheckpointed writes in %s; they are not in the new "
                   "warehouse and were kept at %s (open the warehouse read-only: duckdb -readonly)", wal, aside)
    return aside


def writer_status(published: str | Path) -> dict[str, Any]:
    """Who writes now (from the lock file, checked against a live pid) and whether a staging file waits."""
    published = Path(published)
    lock = published.with_name(published.name + ".lock")
    text = lock.read_text(encoding="utf-8").strip() if lock.is_file() else ""
    match = re.search(r"\(pid (\d+),", text)
    alive = False
    if match:
        try:
            os.kill(int(match.group(1)), 0)
            alive = True
        except ProcessLookupError:
            alive = False
        except PermissionError:
            alive = True
    staging = published.with_name(published.name + ".staging")
    return {"writer": text if alive else None, "staging": str(staging) if staging.exists() else None,
            "published": str(published) if published.exists() else None,
            "published_bytes": published.stat().st_size if published.exists() else None,
            "published_modified": datetime.fromtimestamp(published.stat().st_mtime, UTC).isoformat(timespec="seconds")
            if published.exists() else None}


@contextlib.contextmanager
def writing(published: str | Path, *, holder: str, wait_s: float = 0.0,
            work: str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a fresh staging copy, published when the block ends without an exception and
    removed when it raises (a short write has nothing to resume). ``work`` (default: the holder) is the
    kind of work whose unfinished staging this one may resume."""
    from warehouse.db import connect

    with WriteSession(Path(published), holder=holder, wait_s=wait_s, work=work or holder,
                      keep_on_error=False) as session:
        con = connect(session.staging)
        try:
            yield con
        finally:
            con.close()
        session.publish()


@contextlib.contextmanager
def replace_directory(final: str | Path) -> Iterator[Path]:
    """Build a directory's new contents in a sibling, then swap it in: a reader sees the old contents or
    the new ones, never half (the swap is two renames; the old contents are deleted after)."""
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}.new-{os.getpid()}")
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    for stale in (tmp, old):
        shutil.rmtree(stale, ignore_errors=True)
    tmp.mkdir()
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if final.exists():
        os.replace(final, old)
    os.replace(tmp, final)
    shutil.rmtree(old, ignore_errors=True)
