"""Where the batch transforms run, and the loop that feeds them to the single loader.

By default the transform tasks run on the flow's own task runner (Prefect's
thread pool). Asked for Dask (`dask=True` for a local cluster of processes, or
`dask_address="tcp://host:8786"` for a running scheduler), they run on a
`prefect_dask.DaskTaskRunner` chosen at run time from the flow's parameters,
so a deployment can ask for it too. Only polars frames cross to the workers;
the DuckDB connection stays in the flow's process, where the one loader writes.
"""
from __future__ import annotations

import gc
import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from prefect import get_run_logger
from prefect.context import FlowRunContext

from flows.tasks import load, transform
from sources.base import Reject
from transforms.pipeline import Batch

# Transform batches in flight at once (each holds its raw text and its tables).
DEFAULT_WINDOW = 4
# Worker processes of a local Dask cluster (`--dask`).
DEFAULT_DASK_WORKERS = 2


@dataclass
class PlannedBatch:
    """Raw documents that are transformed together and loaded in one transaction.
    With a ledger (flows.backfill.FileLedger): the file and doc_id of each raw row, so
    the files whose last document it loads are recorded in the same transaction."""
    label: str
    raw: pl.DataFrame
    rejects: list[Reject] = field(default_factory=list)
    doc_files: list[str] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)
    ledger: Any = None


def dask_runner(dask: bool = False, dask_address: str | None = None, dask_workers: int = DEFAULT_DASK_WORKERS):
    """The DaskTaskRunner asked for, or None for the flow's own thread pool."""
    if not (dask or dask_address):
        return None
    from prefect_dask import DaskTaskRunner

    logging.getLogger("distributed").setLevel(logging.WARNING)  # the scheduler's chatter, in this process
    if dask_address:  # its workers must have PREFECT_API_URL set to this run's server
        return DaskTaskRunner(address=dask_address)
    return DaskTaskRunner(
        cluster_class="distributed.LocalCluster",
        cluster_kwargs={"n_workers": dask_workers, "processes": True, "threads_per_worker": 1,
                        "dashboard_address": ":0", "silence_logs": logging.WARNING,
                        "env": {"PREFECT_API_URL": api_url()}},
    )


def api_url() -> str:
    """The Prefect API this process reports to, for worker processes to report task runs to
    the same one (else each worker would start its own temporary server)."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if url:
        return url
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # the temporary server this process started
    server.start()  # no-op when running
    return server.api_url


@contextmanager
def transform_runner(dask: bool = False, dask_address: str | None = None,
                     dask_workers: int = DEFAULT_DASK_WORKERS) -> Iterator:
    """Yield the task runner the transforms are submitted to (open while in use)."""
    runner = dask_runner(dask, dask_address, dask_workers)
    if runner is None:
        yield FlowRunContext.get().task_runner
        return
    with runner:
        yield runner


def release_results() -> None:
    """Free the results of finished task runs. A Prefect future and the concurrent future
    it wraps refer to each other (a done-callback bound to the Prefect future), so a
    finished future, with its result (a batch's tables, a read task's documents), lives
    until Python's full garbage collection, which runs rarely: a 100,000-document
    backfill grew past 4 GB between two. One collection takes ~0.1 s; every `window`
    batches it keeps at most about two windows of results in memory."""
    gc.collect()


def run_batches(con, summary, batches: Iterable[PlannedBatch], runner, *, window: int = DEFAULT_WINDOW,
                pipeline_version: str, replace: bool = False,
                accept: Callable[[Batch], Batch] | None = None,
                on_batch: Callable | None = None, max_batches: int | None = None) -> None:
    """Transform up to `window` batches at once on `runner`; load each, in order, in
    this thread (the only writer), one transaction per batch. A batch that still
    fails after its task's retries is recorded in summary.failed_batches and the
    others go on. `accept` may drop documents from a transformed batch before it
    is loaded. With max_batches, stop after that many batches (summary.stopped_early)."""
    logger = get_run_logger()
    pending = iter(batches)
    inflight: deque = deque()
    started = finished = 0

    def fill() -> None:
        nonlocal started
        while len(inflight) < window and (max_batches is None or started < max_batches):
            planned = next(pending, None)
            if planned is None:
                return
            started += 1
            inflight.append((planned, runner.submit(
                transform, parameters={"raw": planned.raw, "pipeline_version": pipeline_version})))

    fill()
    while inflight:
        planned, future = inflight.popleft()
        files = None
        try:
            batch = future.result()
            rejects = planned.rejects + batch.rejects  # documents the transforms failed on
            for stage, seconds in batch.timings.items():
                summary.add_time(stage, seconds)
            if accept:
                batch = accept(batch)
            files = planned.ledger.settle(planned, batch) if planned.ledger else None
            t0 = time.perf_counter()
            res = load(con, batch, rejects, summary.run_id, replace=replace, files=files,
                       pipeline_version=pipeline_version)
            summary.add_time("load", time.perf_counter() - t0)
        except Exception as e:
            if planned.ledger and files is None:  # its files are not complete in the database
                planned.ledger.settle(planned, None)
            summary.failed_batches.append(f"{planned.label}: {type(e).__name__}: {e}")
            logger.error("batch %s failed: %s: %s", planned.label, type(e).__name__, e)
        else:
            summary.loaded += res.loaded
            summary.skipped += res.skipped
            summary.rejected += len(rejects)
            summary.rejects += [(r.source_uri, r.reason, r.detail) for r in rejects]
            summary.batches += 1
        if on_batch:
            on_batch(summary, planned)
        del planned, future
        finished += 1
        if finished % window == 0:
            release_results()
        fill()
    if max_batches is not None and next(pending, None) is not None:
        summary.stopped_early = True
