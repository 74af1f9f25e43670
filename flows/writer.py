"""One writer per database file, queued inside Prefect.

A run that writes first takes the one slot of a Prefect global concurrency limit
named for its database file (`duckdb-writer-<file name>-<hash of its path>`,
created on first use with limit 1), so runs of any deployment that write to the
same file wait their turn, visibly: the flow run logs that it waits, and the UI's
Concurrency page shows the slot taken. Then the file's own writer lock
(warehouse.db.Writer), which also keeps apart processes that report to different
Prefect servers (two `policy-news` commands, each with its own temporary server).

The slot is leased (WRITER_LEASE_SECONDS, the least the server accepts, renewed while
the run lives); a run that dies (kill -9, out of memory) leaves it taken until the
server revokes the lease, which a temporary server never does. A run that waits for
the slot while no process holds the file's writer lock releases it (take_slot).
"""
from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from prefect import get_run_logger

from warehouse.db import DatabaseBusy, Writer, default_db_path, writer_active

WRITER_LEASE_SECONDS = 60
# a wait for the slot longer than this is logged (a run queued behind another)
SLOT_WAIT_WORTH_SAYING = 5.0
# seconds between two looks at a taken slot (and at who holds the file)
SLOT_POLL_SECONDS = 1.0
# how long to wait for a slot seen free (two runs that see it free together: one waits here)
SLOT_TAKE_SECONDS = 30.0
# a slot taken this long while no process holds the database's writer lock is a dead run's
STALE_SLOT_SECONDS = 10.0


def slot_name(db: str) -> str:
    """`duckdb-writer-policy_news.duckdb-1a2b3c4d`: the file's name for people, a hash of its path to be unique."""
    path = os.path.abspath(db)
    return f"duckdb-writer-{Path(path).name}-{hashlib.sha1(path.encode()).hexdigest()[:8]}"


def ensure_slot(name: str) -> int:
    """Create the limit (one slot) if missing; -> slots taken now."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            return client.read_global_concurrency_limit_by_name(name).active_slots
        except ObjectNotFound:
            pass
        from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate

        try:
            client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=name, limit=1))
        except ObjectAlreadyExists:  # another run created it first
            return client.read_global_concurrency_limit_by_name(name).active_slots
        return 0


@contextmanager
def database_writer(db: str | None, wait_seconds: float | None = None, hold_open: bool = False) -> Iterator[Writer]:
    """The database's write slot, then its writer lock: -> a Writer (open a session to write).
    wait_seconds: how long to queue (None: as long as it takes), then DatabaseBusy. hold_open:
    keep the file open for the whole run (readers locked out; see warehouse.db.Writer)."""
    logger = get_run_logger()
    path = str(db or default_db_path())
    name = slot_name(path)
    t0 = time.monotonic()
    said = False

    def say_queued() -> None:  # once, as soon as the slot is known to be taken
        nonlocal said
        if not said:
            said = True
            logger.info("another run is writing to %s: waiting for the concurrency slot %s%s", path, name,
                        f" (at most {wait_seconds:.0f}s)" if wait_seconds is not None else "")

    def readers_hold_it(waited: float) -> None:
        logger.warning("waiting %.0fs for read-only connections to close %s (a session left open?)", waited, path)

    with ExitStack() as stack:
        take_slot(stack, name, path, wait_seconds, t0, on_miss=say_queued)
        if said or time.monotonic() - t0 > SLOT_WAIT_WORTH_SAYING:
            logger.info("got the concurrency slot %s after %.0fs", name, time.monotonic() - t0)
        writer = stack.enter_context(Writer(path, wait_seconds=wait_seconds, on_wait=readers_hold_it,
                                                 hold_open=hold_open))
        yield writer
        st = writer.stats()
        if st["releases"]:
            logger.info("let readers in %d time(s) during the run: the file opened %d time(s) for %d write(s), "
                        "%.1fs opening (readers' turns included), %.1fs closing", st["releases"], st["opens"],
                        st["sessions"], st["open_s"], st["close_s"])


def take_slot(stack: ExitStack, name: str, path: str, wait_seconds: float | None, t0: float,
              on_miss=None) -> None:
    """Wait for the slot: look at it every SLOT_POLL_SECONDS and ask for it when it is free
    (asking while it is taken would time out, and Prefect logs each timeout as an ERROR);
    on the first look that finds it taken, on_miss() (a run that queued says so, however
    short its wait). A slot taken while no process holds the file's writer lock for
    STALE_SLOT_SECONDS belongs to a run that died (kill -9, a lost machine): its lease
    would keep it until the server revokes it, which a temporary server never does, so it
    is released here."""
    from prefect.concurrency._asyncio import AcquireConcurrencySlotTimeoutError
    from prefect.concurrency.sync import concurrency

    idle_since = None
    while True:
        waited = time.monotonic() - t0
        if wait_seconds is not None and waited >= wait_seconds:
            raise DatabaseBusy(f"{path} is in use by another policy-news process (one writer at a time); "
                               f"waited {wait_seconds:.0f}s. Wait for it to finish and run again.")
        if not ensure_slot(name):  # free: take it (another run may be quicker: then wait in line)
            step = SLOT_TAKE_SECONDS if wait_seconds is None else max(min(SLOT_TAKE_SECONDS, wait_seconds - waited), 0.1)
            try:
                stack.enter_context(concurrency(name, occupy=1, timeout_seconds=step,
                                                lease_duration=WRITER_LEASE_SECONDS, strict=True))
                return
            except AcquireConcurrencySlotTimeoutError:
                pass
        if on_miss:
            on_miss()
        if writer_active(path):
            idle_since = None
        elif idle_since is None:
            idle_since = time.monotonic()
        elif time.monotonic() - idle_since >= STALE_SLOT_SECONDS:
            release_stale_slot(name)
            get_run_logger().warning(
                "the concurrency slot %s was held by a run that no longer writes to %s (killed?): released it",
                name, path)
            idle_since = None
            continue
        time.sleep(SLOT_POLL_SECONDS)


def release_stale_slot(name: str) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitUpdate

    with get_client(sync_client=True) as client:
        client.update_global_concurrency_limit(name, GlobalConcurrencyLimitUpdate(active_slots=0))
