"""The backfill flow: a whole archive (a folder, or a JSONL file) into DuckDB, resumably.

1. Read every file (on the flow's thread pool), drop documents whose known date
   is outside the window, and drop those the database already holds (by content
   hash): an interrupted backfill, run again, starts where it stopped.
2. Split what is left into batches: by date where documents have one (each
   batch a run of consecutive dates), by size otherwise.
3. Transform batches concurrently (thread pool, or Dask), load them one by one
   in this process, one transaction per batch.

Date window: a document whose published_date (from the source, else inferred
from its text by the transforms) is outside [since, until] is not loaded. A
document with no date at all is not loaded either when a window is given (we
cannot say it belongs to the window), unless include_undated=True; without a
window every document is loaded.
"""
from __future__ import annotations

import datetime as dt
import sys
from collections import deque
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger

from flows.ingest import RunSummary, finish, raise_if_failed
from flows.inputs import chunks, discover
from flows.runners import DEFAULT_DASK_WORKERS, DEFAULT_WINDOW, PlannedBatch, run_batches, transform_runner
from flows.tasks import content_ids, drop_known, read_batch, rejects_frame
import transforms.pipeline
from transforms.pipeline import Batch
from warehouse.db import connect
from warehouse.load import record_rejects, start_run

# Documents per batch (one transform task, one transaction).
DEFAULT_BATCH_SIZE = 100
# Characters of raw text per batch: a batch of long reports closes early (~20 government work reports).
DEFAULT_BATCH_CHARS = 400_000
# Files per read task.
READ_BATCH_FILES = 50


def date_window(since: dt.date | None, until: dt.date | None) -> pl.Expr:
    """True where published_date is known and inside [since, until]."""
    inside = pl.col("published_date").is_not_null()
    if since:
        inside &= pl.col("published_date") >= since
    if until:
        inside &= pl.col("published_date") <= until
    return inside


def plan_batches(raw: pl.DataFrame, batch_size: int = DEFAULT_BATCH_SIZE,
                 batch_chars: int = DEFAULT_BATCH_CHARS) -> list[PlannedBatch]:
    """Dated documents in date order, cut into runs of consecutive dates of at most
    batch_size documents and batch_chars characters; then the undated, by size."""
    if raw.height == 0:
        return []
    raw = raw.sort("published_date", nulls_last=True, maintain_order=True)
    dates = raw["published_date"].to_list()
    sizes = raw["text"].str.len_chars().to_list()
    bounds, start, n_chars = [], 0, 0
    for i, (date, size) in enumerate(zip(dates, sizes)):
        dated_to_undated = i > start and dates[i - 1] is not None and date is None
        if i > start and (i - start >= batch_size or n_chars + size > batch_chars or dated_to_undated):
            bounds.append((start, i))
            start, n_chars = i, 0
        n_chars += size
    bounds.append((start, len(dates)))
    return [PlannedBatch(label=_batch_label(dates[s:e], k), raw=raw.slice(s, e - s))
            for k, (s, e) in enumerate(bounds, 1)]


def _batch_label(dates: list, k: int) -> str:
    if dates[0] is None:
        return f"#{k} undated ({len(dates)} docs)"
    span = str(dates[0]) if dates[0] == dates[-1] else f"{dates[0]}..{dates[-1]}"
    return f"#{k} {span} ({len(dates)} docs)"


class Progress:
    """Progress as a Prefect progress artifact, and as a rich bar on stderr when asked."""

    def __init__(self, show_bar: bool, key: str = "backfill-progress"):
        self.key, self.artifact_id, self.bar, self.task, self.total = key, None, None, None, 0
        if show_bar:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeElapsedColumn

            self.bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                           TimeElapsedColumn(), console=Console(stderr=True))
            self.bar.start()

    def stage(self, description: str, total: int) -> None:
        if self.bar:
            if self.task is not None:
                self.bar.update(self.task, completed=self.bar.tasks[self.task].total)
            self.task = self.bar.add_task(description, total=total)

    def advance(self, n: int = 1) -> None:
        if self.bar:
            self.bar.advance(self.task, n)

    def batches_planned(self, total: int, description: str) -> None:
        self.total = total
        self.stage("transform + load batches", total)
        self._artifact(0.0, description)

    def batch_done(self, summary: RunSummary, _planned: PlannedBatch) -> None:
        self.advance()
        done = summary.batches + len(summary.failed_batches)
        self._artifact(100.0 * done / max(self.total, 1))

    def _artifact(self, percent: float, description: str | None = None) -> None:
        from prefect.artifacts import create_progress_artifact, update_progress_artifact

        try:  # a report, never a reason to fail the run
            if self.artifact_id is None:
                self.artifact_id = create_progress_artifact(progress=percent, key=self.key, description=description)
            else:
                update_progress_artifact(self.artifact_id, progress=percent)
        except Exception as e:
            get_run_logger().warning("could not update the progress artifact: %s", e)

    def close(self) -> None:
        if self.bar:
            self.bar.stop()


def read_archive(con, summary: RunSummary, files: list[Path], progress: Progress, since: dt.date | None,
                 until: dt.date | None, jsonl_fields: dict | None = None, window: int = DEFAULT_WINDOW) -> pl.DataFrame:
    """Read files on the task runner; -> raw documents not yet loaded, not known to be outside the window."""
    progress.stage("read files", len(files))
    pending, inflight, fresh = deque(chunks(files, READ_BATCH_FILES)), deque(), []
    n_outside = 0
    while pending or inflight:
        while pending and len(inflight) < window:
            paths = pending.popleft()
            inflight.append((paths, read_batch.submit(paths, jsonl_fields)))
        paths, future = inflight.popleft()
        try:
            rb = future.result()
        except Exception as e:
            summary.failed_batches.append(f"read {paths[0]} (+{len(paths) - 1} files): {type(e).__name__}: {e}")
            continue
        summary.add_time("read", rb.seconds)
        summary.n_bytes += rb.n_bytes
        summary.seen += rb.raw.height
        record_rejects(con, rejects_frame(rb.rejects), summary.run_id)
        summary.rejected += len(rb.rejects)
        summary.rejects += [(r.source_uri, r.reason, r.detail) for r in rb.rejects]
        raw = rb.raw
        if since or until:
            inside = raw.filter(pl.col("published_date").is_null() | date_window(since, until))
            n_outside += raw.height - inside.height
            raw = inside
        raw, n_known = drop_known(con, raw)
        summary.skipped += n_known
        fresh.append(raw)
        progress.advance(len(paths))
    if n_outside:
        summary.notes.append(f"{n_outside} document(s) dated outside the window, not loaded")
    raw = pl.concat(fresh) if fresh else pl.DataFrame()
    if raw.height:  # the same text in two files of the archive: load it once
        unique = raw.with_columns(_id=content_ids(raw)).unique("_id", keep="first", maintain_order=True).drop("_id")
        summary.skipped += raw.height - unique.height
        raw = unique
    return raw


def keep_in_window(summary: RunSummary, since: dt.date | None, until: dt.date | None, include_undated: bool):
    """-> accept(batch): drop the documents whose published_date, now inferred, is outside the window."""
    counts = {"outside": 0, "undated": 0}

    def accept(batch: Batch) -> Batch:
        docs = batch.tables["documents"]
        keep = date_window(since, until)
        if include_undated:
            keep |= pl.col("published_date").is_null()
        kept = docs.filter(keep)["doc_id"]
        if kept.len() == docs.height:
            return batch
        if not include_undated:
            counts["undated"] += docs["published_date"].null_count()
        counts["outside"] += docs.filter(pl.col("published_date").is_not_null() & ~date_window(since, until)).height
        tables = {t: f.filter(pl.col("doc_id").is_in(kept.implode())) for t, f in batch.tables.items()}
        return Batch(tables=tables, timings=batch.timings)

    def note() -> None:
        if counts["outside"]:
            summary.notes.append(f"{counts['outside']} document(s) whose date (inferred from the text) is "
                                 "outside the window, not loaded")
        if counts["undated"]:
            summary.notes.append(f"{counts['undated']} document(s) without any date, not loaded "
                                 "(include_undated / --include-undated loads them)")

    return accept, note


@flow(name="backfill", log_prints=True)
def backfill_flow(archive: str, db: str | None = None, since: dt.date | None = None, until: dt.date | None = None,
                  include_undated: bool = False, batch_size: int = DEFAULT_BATCH_SIZE,
                  batch_chars: int = DEFAULT_BATCH_CHARS, window: int = DEFAULT_WINDOW,
                  max_batches: int | None = None, dask: bool = False, dask_address: str | None = None,
                  dask_workers: int = DEFAULT_DASK_WORKERS, jsonl_fields: dict | None = None,
                  progress_bar: bool = False, lock_wait_seconds: float = 30.0) -> RunSummary:
    """Load an archive (folder, JSONL file or glob), optionally only [since, until];
    skips what is already loaded, so a rerun resumes an interrupted backfill."""
    if since and until and since > until:
        raise ValueError(f"since ({since}) is after until ({until})")
    files, aside, missing = discover([archive])
    if missing:
        raise FileNotFoundError(f"no archive at {archive}")
    windowed = bool(since or until)
    version = transforms.pipeline.PIPELINE_VERSION  # read at run time: one constant to bump
    con = connect(db, wait_seconds=lock_wait_seconds)
    progress = Progress(progress_bar)
    try:
        params = {"archive": archive, "since": since, "until": until, "include_undated": include_undated,
                  "batch_size": batch_size, "max_batches": max_batches, "dask": bool(dask or dask_address)}
        summary = RunSummary(run_id=start_run(con, "backfill", version, params), flow_name="backfill",
                             db=str(db), set_aside=[str(a) for a in aside])
        if windowed:
            summary.notes.append(f"date window {since or '...'} to {until or '...'}")
        raw = read_archive(con, summary, files, progress, since, until, jsonl_fields, window)
        batches = plan_batches(raw, batch_size, batch_chars)
        del raw
        progress.batches_planned(len(batches), f"backfill of {archive}: {len(batches)} batches")
        accept, note = keep_in_window(summary, since, until, include_undated) if windowed else (None, None)
        with transform_runner(dask, dask_address, dask_workers) as runner:
            run_batches(con, summary, batches, runner, window=window, pipeline_version=version,
                        accept=accept, on_batch=progress.batch_done, max_batches=max_batches)
        if note:
            note()
        if summary.stopped_early:
            summary.notes.append(f"stopped after {max_batches} batch(es) as asked; run again to go on")
        finish(con, summary)
    finally:
        progress.close()
        con.close()
    return raise_if_failed(summary)


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def cmd_backfill(args) -> int:
    from flows.cli import _db, run_flow

    fields = dict(kv.split("=", 1) for kv in args.jsonl_field or [])
    return run_flow(backfill_flow, archive=args.archive, db=_db(args), since=args.since, until=args.until,
                    include_undated=args.include_undated, batch_size=args.batch_size, window=args.window,
                    max_batches=args.max_batches, dask=args.dask, dask_address=args.dask_address,
                    dask_workers=args.dask_workers, jsonl_fields=fields or None,
                    progress_bar=not args.no_progress and sys.stderr.isatty(), lock_wait_seconds=args.lock_wait)


def add_runner_arguments(sp) -> None:
    sp.add_argument("--window", type=int, default=DEFAULT_WINDOW, help="batches transformed at once")
    sp.add_argument("--dask", action="store_true", help="transform on a local Dask cluster (worker processes)")
    sp.add_argument("--dask-workers", type=int, default=DEFAULT_DASK_WORKERS, help="worker processes for --dask")
    sp.add_argument("--dask-address", metavar="tcp://HOST:PORT", help="transform on a running Dask scheduler")
    sp.add_argument("--lock-wait", type=float, default=30.0, metavar="SECONDS",
                    help="how long to wait for another run that is writing to the database")


def register_cli(sub, add) -> None:
    sp = add("backfill", cmd_backfill, "load an archive (folder or JSONL) in batches; a rerun resumes")
    sp.add_argument("archive", help="folder, JSONL file or glob")
    sp.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="only documents published on or after")
    sp.add_argument("--until", type=_date, metavar="YYYY-MM-DD", help="only documents published on or before")
    sp.add_argument("--include-undated", action="store_true",
                    help="with --since/--until, also load documents whose date is unknown")
    sp.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="documents per batch")
    sp.add_argument("--max-batches", type=int, help="stop after this many batches (a rerun goes on)")
    sp.add_argument("--jsonl-field", action="append", metavar="KEY=FIELD",
                    help="name a JSONL field: text=body, title=headline, date=pub_time, url=link")
    add_runner_arguments(sp)
    sp.add_argument("--no-progress", action="store_true", help="no progress bar")
