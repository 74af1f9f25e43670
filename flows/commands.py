"""The command line of the backfill and reprocess flows (imported by flows/cli.py; the flows
themselves, and Prefect, only when one of these commands runs)."""
from __future__ import annotations

import datetime as dt
import sys

from crawl.config import DEFAULT_SOURCES_FILE
from flows.defaults import (DEFAULT_BATCH_SIZE, DEFAULT_DASK_WORKERS, DEFAULT_READ_PROCESSES, DEFAULT_WINDOW,
                            PULL_ARCHIVE, REPROCESS_BATCH_SIZE)


def _date(text: str) -> dt.date:
    import argparse

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def cmd_backfill(args) -> int:
    from flows.backfill import backfill_flow
    from flows.cli import PROG, UsageError, _db, run_flow
    from flows.inputs import discover

    # checked here, before Prefect starts (the flow checks them again for deployments)
    if args.since and args.until and args.since > args.until:
        raise UsageError(f"{PROG} backfill: --since {args.since} is after --until {args.until}")
    if discover([args.archive])[2]:
        raise UsageError(f"{PROG} backfill: no archive at {args.archive} (a folder, JSONL file or glob)")

    fields = dict(kv.split("=", 1) for kv in args.jsonl_field or [])
    return run_flow(backfill_flow, archive=args.archive, db=_db(args), since=args.since, until=args.until,
                    include_undated=args.include_undated, batch_size=args.batch_size, window=args.window,
                    max_batches=args.max_batches, dask=args.dask, dask_address=args.dask_address,
                    dask_workers=args.dask_workers, jsonl_fields=fields or None,
                    progress_bar=not args.no_progress and sys.stderr.isatty(), lock_wait_seconds=args.lock_wait,
                    verify=args.verify, read_processes=args.read_processes, hold_database=args.hold_database)


def add_runner_arguments(sp) -> None:
    sp.add_argument("--window", type=int, default=DEFAULT_WINDOW, help="batches transformed at once")
    sp.add_argument("--dask", action="store_true", help="transform on a local Dask cluster (worker processes)")
    sp.add_argument("--dask-workers", type=int, default=DEFAULT_DASK_WORKERS, help="worker processes for --dask")
    sp.add_argument("--dask-address", metavar="tcp://HOST:PORT", help="transform on a running Dask scheduler")
    sp.add_argument("--lock-wait", type=float, default=30.0, metavar="SECONDS",
                    help="how long to wait for another run that is writing to the database (default 30)")


def register_backfill(sub, add) -> None:
    sp = add("backfill", cmd_backfill, "load an archive (folder or JSONL) in batches; a rerun resumes")
    sp.add_argument("archive", help="folder, JSONL file or glob")
    sp.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="only documents published on or after")
    sp.add_argument("--until", type=_date, metavar="YYYY-MM-DD", help="only documents published on or before")
    sp.add_argument("--include-undated", action="store_true",
                    help="with --since/--until, also load documents whose date is unknown")
    sp.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="documents per batch")
    sp.add_argument("--max-batches", type=int, help="stop after this many batches (a rerun goes on)")
    sp.add_argument("--verify", action="store_true",
                    help="skip a file loaded before only if its bytes hash the same (default: same size and mtime)")
    sp.add_argument("--read-processes", type=int, default=DEFAULT_READ_PROCESSES, metavar="N",
                    help="worker processes reading files (default 0: on threads; helps with cores to spare)")
    sp.add_argument("--field", "--jsonl-field", dest="jsonl_field", action="append", metavar="KEY=FIELD",
                    help="name a JSONL key or CSV/Parquet column: text=full_text, title=headline, date=publish_date")
    add_runner_arguments(sp)
    sp.add_argument("--hold-database", action="store_true",
                    help="keep the database open for the whole run: readers wait until it ends "
                         "(by default they get in when they ask)")
    sp.add_argument("--no-progress", action="store_true", help="no progress bar")


def cmd_reprocess(args) -> int:
    from pathlib import Path

    from flows.cli import PROG, UsageError, _db, run_flow
    from flows.reprocess import reprocess_flow

    if not Path(_db(args)).exists():  # checked before Prefect starts; connect() would create it
        raise UsageError(f"{PROG} reprocess: no database at {_db(args)} (pass --db, or ingest first)")

    return run_flow(reprocess_flow, db=_db(args), pipeline_version=args.pipeline_version,
                    batch_size=args.batch_size, window=args.window, dask=args.dask,
                    dask_address=args.dask_address, dask_workers=args.dask_workers, lock_wait_seconds=args.lock_wait)


def register_reprocess(sub, add) -> None:
    sp = add("reprocess", cmd_reprocess,
             "re-derive documents made by an older pipeline version, from the raw text in the database")
    sp.add_argument("--batch-size", type=int, default=REPROCESS_BATCH_SIZE, help="documents per batch")
    sp.add_argument("--pipeline-version", help="re-derive documents older than this version, and stamp "
                    "them with it (default: the code's, transforms/pipeline.py)")
    add_runner_arguments(sp)


def cmd_pull(args) -> int:
    from flows.pull import cmd_pull as run

    return run(args)


def register_pull(sub, add) -> None:
    sp = add("pull", cmd_pull, "fetch new pages of the sites in the sources file (WARC archive first), load them")
    sp.add_argument("sources", nargs="*", metavar="SOURCE", help="site names in the sources file (none: all)")
    sp.add_argument("--sources", dest="sources_file", default=DEFAULT_SOURCES_FILE, metavar="FILE",
                    help=f"the sources file (default: {DEFAULT_SOURCES_FILE})")
    sp.add_argument("--archive", default=PULL_ARCHIVE, metavar="DIR",
                    help=f"folder of the WARC files (default: ./{PULL_ARCHIVE})")


def register_cli(sub, add) -> None:
    register_backfill(sub, add)
    register_reprocess(sub, add)
    register_pull(sub, add)
