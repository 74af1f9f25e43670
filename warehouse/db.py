"""Connections and migrations."""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

DEFAULT_DB = "policy_news.duckdb"
DERIVED_TABLES = ["sections", "paragraphs", "sentences", "people", "turns", "figures", "targets", "policy_refs"]
DOC_TABLES = ["documents", *DERIVED_TABLES]


class DatabaseBusy(RuntimeError):
    """Another process holds the database file for writing."""


def default_db_path() -> str:
    return os.environ.get("POLICY_NEWS_DB") or DEFAULT_DB


def connect(path: str | os.PathLike | None = None, read_only: bool = False, wait_seconds: float = 30.0,
            config: dict | None = None):
    """Open the database, waiting up to wait_seconds while another process holds it, then
    failing with a message that says who to wait for. A reader that waits leaves a read
    request the writer honours between batches (see Writer). config: DuckDB settings
    given at open (some, such as enable_external_access, can only be set there)."""
    path = str(path or default_db_path())
    if read_only and not Path(path).exists():
        raise FileNotFoundError(f"no database at {path} (run `policy-news ingest` first, or pass --db)")
    con = _open(path, read_only, wait_seconds, on_busy=_request_read if read_only else None, config=config)
    if read_only:
        _withdraw_request(path)  # in: the writer need not wait for this reader any more
    else:
        migrate(con)
    return con


def _open(path: str, read_only: bool, wait_seconds: float | None, on_busy=None, on_wait=None,
          config: dict | None = None, max_pause: float = 0.5):
    """duckdb.connect, retried with a growing pause (50 ms to max_pause) while the file is locked."""
    t0 = time.monotonic()
    pause, warned_at = 0.05, 0.0
    while True:
        try:
            return duckdb.connect(path, read_only=read_only, config=config or {})
        except duckdb.IOException as e:
            if "lock" not in str(e).lower():
                raise
            waited = time.monotonic() - t0
            if wait_seconds is not None and waited >= wait_seconds:
                raise DatabaseBusy(
                    f"{path} is in use by another policy-news process (DuckDB allows one writer); "
                    f"waited {wait_seconds:.0f}s. Wait for it to finish and run again."
                ) from e
            if on_busy:
                on_busy(path)
            if on_wait and waited - warned_at >= 10:
                warned_at = waited
                on_wait(waited)
            time.sleep(pause)
            pause = min(pause * 1.5, max_pause)


# A reader that finds the file locked touches `<db>.read-request` on every try, and removes it
# once in; a writer lets go of the file while the request is this fresh (seconds), and before
# opening again waits while it is, at most READ_REQUEST_MAX_YIELD.
READ_REQUEST_FRESH = 1.0
READ_REQUEST_MAX_YIELD = 5.0


def _read_request(path: str) -> Path:
    return Path(f"{path}.read-request")


def _request_read(path: str) -> None:
    try:
        _read_request(path).touch()
    except OSError:  # a read-only folder: the reader still gets in, only later
        pass


def _withdraw_request(path: str) -> None:
    try:
        _read_request(path).unlink()
    except OSError:  # none (it did not have to wait), or a read-only folder
        pass


def _read_requested(path: str) -> bool:
    """Has a reader asked for the file in the last READ_REQUEST_FRESH seconds?"""
    try:
        return time.time() - _read_request(path).stat().st_mtime <= READ_REQUEST_FRESH
    except OSError:  # no request
        return False


def writer_active(path: str | os.PathLike) -> bool:
    """Does a live process hold the file's writer lock (Writer)? The kernel drops the lock of a
    process that dies, however it dies."""
    import fcntl

    try:
        with open(f"{path}.writer-lock", "a") as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(f, fcntl.LOCK_UN)
            return False
    except OSError:
        return False


# How long the writer keeps the file open between batches when nobody asks for it: then it
# closes it (a checkpoint) once it is idle, and keeps it closed at least RELEASE_GAP, so that
# a plain `duckdb.connect(path, read_only=True)` retried every ~0.25 s gets in.
RELEASE_AFTER_SECONDS = 5.0
RELEASE_GAP_SECONDS = 0.5
# A reader's request is honoured once the file has been open this long: readers asking
# every second cost a checkpoint every 2 s at most, not one per query.
RELEASE_MIN_HOLD_SECONDS = 2.0
# how often the writer's watcher looks for a reader's request while it holds the file idle
WATCH_SECONDS = 0.05


class Writer:
    """The one writer of a database file, which holds the file only while readers let it.

    DuckDB lets one process open a file read-write, or many processes read-only, never
    both: a loader that kept its connection open would lock every reader out for the
    whole of a backfill; one that closed it after every batch would pay a checkpoint per
    batch. A Writer takes an advisory lock on `<db>.writer-lock` for its whole run (a
    second writer waits for it, up to wait_seconds) and opens the database at its first
    `session()`. Between sessions it keeps the file open, and a watcher thread closes it
    as soon as the writer is idle and either a reader asks (`<db>.read-request` fresh:
    `connect(read_only=True)`, `policy-news sql`, `status` and `export` leave one while
    they wait; honoured once the file has been open RELEASE_MIN_HOLD_SECONDS) or the file
    has been open RELEASE_AFTER_SECONDS (a reader of its own, who leaves no request, gets
    in then). The next session opens it again, after letting a
    waiting reader go first and waiting, up to reader_wait_seconds, for read-only
    connections to close."""

    def __init__(self, path: str | os.PathLike | None = None, wait_seconds: float | None = 30.0,
                 reader_wait_seconds: float | None = 600.0, on_wait=None, hold_open: bool = False,
                 release_after: float | None = RELEASE_AFTER_SECONDS):
        """hold_open: keep the file open from the first session to the end of the run
        (readers are locked out throughout). release_after: seconds the file stays open
        with no reader asking before it is closed for readers without a request (None: only
        on request)."""
        self.hold_open = hold_open
        self.path = str(path or default_db_path())
        self.wait_seconds, self.reader_wait_seconds, self.on_wait = wait_seconds, reader_wait_seconds, on_wait
        self.release_after = release_after
        self.sessions, self.opens, self.releases, self.migrated, self._lock = 0, 0, 0, False, None
        self.open_seconds = self.close_seconds = 0.0  # spent opening (readers' turns included) and closing
        self._con = None  # the open connection, between sessions too
        self._opened_at = self._released_at = 0.0
        self._mutex = threading.RLock()  # held for a session; the watcher takes it to close the file
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None

    def __enter__(self) -> Writer:
        import fcntl

        self._lock = open(f"{self.path}.writer-lock", "a")
        t0 = time.monotonic()
        while True:
            try:
                fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if self.wait_seconds is not None and time.monotonic() - t0 >= self.wait_seconds:
                    self._lock.close()
                    raise DatabaseBusy(
                        f"{self.path} is in use by another policy-news process (one writer at a time); "
                        f"waited {self.wait_seconds:.0f}s. Wait for it to finish and run again.") from None
                time.sleep(0.2)
        if not self.hold_open:
            self._stop.clear()
            self._watcher = threading.Thread(target=self._watch, name=f"writer-watch {Path(self.path).name}",
                                             daemon=True)
            self._watcher.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._watcher is not None:
            self._stop.set()
            self._watcher.join()
            self._watcher = None
        with self._mutex:
            self._close()
        if self._lock is not None:
            self._lock.close()  # releases the flock
            self._lock = None

    @contextmanager
    def session(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The database open for writing (migrated, tuned for loading). It stays open after
        the session until a reader needs it; a session that raises closes it (nothing of an
        unfinished transaction is kept)."""
        with self._mutex:
            if self._con is None:
                self._open()
            self.sessions += 1
            try:
                yield self._con
            except BaseException:
                self._close()
                raise

    def stats(self) -> dict:
        """Sessions, opens, releases (file let go with nobody writing), seconds opening (a
        reader's turn included) and closing (checkpoints): what letting readers in cost."""
        return {"sessions": self.sessions, "opens": self.opens, "releases": self.releases,
                "open_s": round(self.open_seconds, 3), "close_s": round(self.close_seconds, 3)}

    def _open(self) -> None:
        t0 = time.monotonic()
        gap = RELEASE_GAP_SECONDS - (t0 - self._released_at)
        if self.releases and gap > 0:
            time.sleep(gap)
        self._let_readers_in()
        # while a reader holds the file, try again often: its query is usually short
        con = _open(self.path, False, self.reader_wait_seconds, on_wait=self.on_wait, max_pause=0.1)
        try:
            if not self.migrated:
                migrate(con)
                self.migrated = True
            tune_for_bulk_load(con)
        except BaseException:
            con.close()
            raise
        self._con, self._opened_at = con, time.monotonic()
        self.opens += 1
        self.open_seconds += self._opened_at - t0

    def _close(self) -> None:
        if self._con is not None:
            t0 = time.monotonic()
            con, self._con = self._con, None
            con.close()  # checkpoints
            self.close_seconds += time.monotonic() - t0

    def release(self) -> bool:
        """Close the file now if no session is using it (the watcher's move; also for callers
        about to do something slow without the database). -> whether it was closed."""
        if not self._mutex.acquire(blocking=False):
            return False
        try:
            if self._con is None:
                return False
            self._close()
            self.releases += 1
            self._released_at = time.monotonic()
            return True
        finally:
            self._mutex.release()

    def _watch(self) -> None:
        while not self._stop.wait(WATCH_SECONDS):
            if self._con is None:
                continue
            held = time.monotonic() - self._opened_at
            if ((held >= RELEASE_MIN_HOLD_SECONDS and _read_requested(self.path))
                    or (self.release_after is not None and held >= self.release_after)):
                self.release()

    def _let_readers_in(self) -> None:
        t0 = time.monotonic()
        while time.monotonic() - t0 < READ_REQUEST_MAX_YIELD:
            if not _read_requested(self.path):
                return
            time.sleep(0.05)


# What `policy-news sql` runs is typed by a person or pasted from elsewhere: it may read
# the database, nothing else. Without these DuckDB would read any file the user can
# (`read_text('/etc/passwd')`), write any (`COPY ... TO`), open other databases
# (`ATTACH`, even read-write through a hard link to this one) and fetch extensions.
# enable_external_access = false closes all file access but to the database itself;
# lock_configuration stops a query from turning anything back on (`SET ... = true`).
SANDBOX_SETTINGS = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
}


def connect_sandboxed(path: str | os.PathLike | None = None, allow_files: bool = False,
                      allowed_directories: list[str] | None = None, wait_seconds: float = 30.0):
    """A read-only connection for queries a user types: no other file, no extension,
    no setting changed afterwards. allow_files: file access as DuckDB has it by default
    (the user asked for `COPY ... TO` on purpose); allowed_directories: there and
    nowhere else (DuckDB takes them only once the database is open)."""
    config = dict(SANDBOX_SETTINGS)
    if allow_files or allowed_directories:
        con = connect(path, read_only=True, config=config, wait_seconds=wait_seconds)
        try:
            if not allow_files:
                con.execute("SET allowed_directories = ?", [list(allowed_directories)])
                con.execute("SET enable_external_access = false")
            con.execute("SET lock_configuration = true")
        except Exception:
            con.close()
            raise
        return con
    return connect(path, read_only=True, wait_seconds=wait_seconds,
                   config={**config, "enable_external_access": False, "lock_configuration": True})


def explain_query_error(e: Exception) -> str:
    """A query's error on one line; a sandbox refusal says what the user can do about it."""
    text = str(e).strip() or type(e).__name__
    if isinstance(e, duckdb.PermissionException) or "configuration has been locked" in text:
        return (f"{text.splitlines()[0]} (queries read this database only: no other file, no extension, "
                "no setting; --allow-files lets a query read and write files)")
    return text


# A connection that loads batch after batch (backfill, reprocess, ingest):
# - memory_limit: loading a batch needs little, and the blocks it wrote need not stay cached
#   (by default DuckDB keeps up to 80 % of RAM; at 30,000 documents a backfill grew past 1.8 GB,
#   with 256MB it stayed between 1.0 and 1.6 GB);
# - checkpoint_threshold: by default (16MB of WAL) every batch's commit also checkpoints, which
#   rewrites the tables' unfinished row groups each time: loading 75 batches of 500 generated
#   documents took 44 s so, 22 s with 256MB (a checkpoint every ~10 batches; peak memory the
#   same). Committed batches are in the WAL, which DuckDB replays on the next open after a crash.
BULK_LOAD_SETTINGS = {"memory_limit": "512MB", "checkpoint_threshold": "256MB"}


def tune_for_bulk_load(con) -> None:
    for name, value in BULK_LOAD_SETTINGS.items():
        con.execute(f"SET {name} = '{value}'")


def migrations() -> list[tuple[int, str, str]]:
    files = sorted(
        (f for f in resources.files("warehouse").joinpath("migrations").iterdir() if f.name.endswith(".sql")),
        key=lambda f: f.name,
    )
    return [(int(f.name.split("_", 1)[0]), f.name, f.read_text(encoding="utf-8")) for f in files]


def migrate(con) -> list[str]:
    """Apply the numbered migrations not yet applied, each in its own transaction."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER, name VARCHAR, applied_at TIMESTAMPTZ)"
    )
    done = {v for (v,) in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for version, name, sql in migrations():
        if version in done:
            continue
        con.execute("BEGIN")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [version, name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied
