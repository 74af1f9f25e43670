"""The ingest flow: files, folders or globs -> DuckDB, batch by batch."""
from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from flows.inputs import chunks, discover
from flows.runners import release_results
from flows.tasks import dedupe_known, drop_known, files_frame, load, read_batch, rejects_frame, skip_unchanged, transform
from sources.base import Reject
from transforms.pipeline import PIPELINE_VERSION
from warehouse.db import connect, tune_for_bulk_load
from warehouse.load import finish_run, record_rejects, start_run, table_counts


@dataclass
class RunSummary:
    run_id: str
    flow_name: str
    db: str
    status: str = "running"
    seen: int = 0
    loaded: int = 0
    skipped: int = 0
    rejected: int = 0
    set_aside: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    rejects: list[tuple[str, str, str]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    batches: int = 0
    failed_batches: list[str] = field(default_factory=list)
    n_bytes: int = 0
    stopped_early: bool = False  # a run told to stop after some batches (backfill max_batches)
    notes: list[str] = field(default_factory=list)  # facts of the run a reader needs (date window, ...)

    def add_time(self, stage: str, seconds: float) -> None:
        self.timings[stage] = self.timings.get(stage, 0.0) + seconds

    def exit_code(self) -> int:
        if self.status == "failed" and self.loaded == 0:
            return 2
        return 1 if (self.rejected or self.failed_batches or self.missing) else 0

    def markdown(self) -> str:
        lines = [f"# {self.flow_name} run `{self.run_id}`", "",
                 f"status **{self.status}** · pipeline {PIPELINE_VERSION} · database `{self.db}`", "",
                 "| documents seen | loaded | skipped (already loaded) | rejected |", "|---|---|---|---|",
                 f"| {self.seen} | {self.loaded} | {self.skipped} | {self.rejected} |", "",
                 *[f"- {n}" for n in self.notes], *([""] if self.notes else []),
                 "| table | rows in database |", "|---|---|"]
        lines += [f"| {t} | {n} |" for t, n in self.rows.items()]
        lines += ["", "| stage | seconds |", "|---|---|"]
        lines += [f"| {s} | {v:.2f} |" for s, v in self.timings.items()]
        if self.rejects:
            lines += ["", "| rejected input | reason | detail |", "|---|---|---|"]
            lines += [f"| {u} | {r} | {d} |" for u, r, d in self.rejects[:200]]
        if self.failed_batches:
            lines += ["", "Failed batches:"] + [f"- {b}" for b in self.failed_batches]
        return "\n".join(lines)


def process_files(con, summary: RunSummary, files: list[Path], batch_size: int = 200, window: int = 4,
                  jsonl_fields: dict | None = None, on_batch=None, verify: bool = False,
                  refresh: bool = False) -> None:
    """Read and transform batches on the task runner, `window` batches in flight;
    load each in this thread, the only writer, one transaction per batch, which
    also records its files in source_files. Files recorded and unchanged since
    are not read (their documents count as seen and skipped). With refresh, every
    file is read and the documents the database already holds are replaced by
    this reading (metadata and all derived rows)."""
    logger = get_run_logger()
    files = files if refresh else skip_unchanged(con, summary, files, verify)
    n_replaced = 0
    pending = deque(chunks(files, batch_size))
    while pending:
        wave = [pending.popleft() for _ in range(min(window, len(pending)))]
        reads = [read_batch.submit(paths, jsonl_fields) for paths in wave]
        transforms = []
        for paths, rf in zip(wave, reads):
            try:
                rb = rf.result()
            except Exception as e:
                summary.failed_batches.append(f"read {paths[0]}..: {e}")
                logger.error("batch starting %s failed to read: %s", paths[0], e)
                continue
            summary.add_time("read", rb.seconds)
            summary.n_bytes += rb.n_bytes
            t0 = time.perf_counter()
            if refresh:
                raw, n_repeated, n_known = dedupe_known(con, rb.raw)
                n_replaced += n_known
            else:
                raw, n_repeated = drop_known(con, rb.raw)
            summary.add_time("skip_check", time.perf_counter() - t0)
            summary.seen += rb.raw.height
            summary.skipped += n_repeated
            done = files_frame([f for f in rb.files if not f.retry])
            transforms.append((paths, transform.submit(raw) if raw.height else None, rb.rejects, done))
        for paths, tf, rejects, done in transforms:
            try:
                if tf is None:
                    record_rejects(con, rejects_frame(rejects), summary.run_id, files=done,
                                   pipeline_version=PIPELINE_VERSION)
                    res = None
                else:
                    batch = tf.result()
                    rejects = rejects + batch.rejects  # documents the transforms failed on
                    for stage, s in batch.timings.items():
                        summary.add_time(stage, s)
                    t0 = time.perf_counter()
                    res = load(con, batch, rejects, summary.run_id, files=done, pipeline_version=PIPELINE_VERSION,
                               replace=refresh)
                    summary.add_time("load", time.perf_counter() - t0)
            except Exception as e:
                summary.failed_batches.append(f"{paths[0]} (+{len(paths) - 1} files): {type(e).__name__}: {e}")
                logger.error("batch starting %s failed: %s", paths[0], e)
                continue
            summary.rejected += len(rejects)
            summary.rejects += [(r.source_uri, r.reason, r.detail) for r in rejects]
            if res is not None:
                summary.loaded += res.loaded
                summary.skipped += res.skipped
            summary.batches += 1
            if on_batch:
                on_batch(summary, len(paths))
        release_results()  # the last wave's finished futures and their tables (see flows.runners)
    if refresh:
        summary.notes.append(f"{n_replaced} document(s) already in the database replaced by this reading (--refresh)")


def finish(con, summary: RunSummary) -> RunSummary:
    summary.status = "failed" if summary.failed_batches and not summary.loaded else (
        "completed_with_errors" if summary.failed_batches else "stopped" if summary.stopped_early else "completed")
    summary.rows = table_counts(con)
    finish_run(con, summary.run_id, summary.status, summary.seen, summary.loaded, summary.skipped,
               summary.rejected, summary.timings)
    try:
        create_markdown_artifact(key=f"{summary.flow_name}-summary", markdown=summary.markdown(),
                                 description=f"{summary.flow_name}: {summary.loaded} loaded, "
                                             f"{summary.skipped} skipped, {summary.rejected} rejected")
    except Exception as e:  # an artifact is a report, not the work: never fail a run for it
        get_run_logger().warning("could not create the summary artifact: %s", e)
    return summary


def outcomes_artifact(con) -> None:
    """The targets and their verdicts (`target_outcomes`) as a markdown artifact, so that a
    scheduled run shows which targets a new report settled."""
    from warehouse.report import outcomes_markdown

    try:
        create_markdown_artifact(key="target-outcomes", markdown=outcomes_markdown(con),
                                 description="targets with an indicator and a deadline, and whether a later document says they were met")
    except Exception as e:  # a report, not the work: never fail a run for it
        get_run_logger().warning("could not create the target outcomes artifact: %s", e)


@flow(name="ingest", log_prints=True)
def ingest_flow(paths: list[str] | None = None, db: str | None = None, batch_size: int = 200,
                jsonl_fields: dict | None = None, verify: bool = False, refresh: bool = False) -> RunSummary:
    """Ingest files, folders or globs (none: the bundled sample article). A file
    recorded by an earlier run and unchanged since (same size and mtime; with
    verify, same sha256 of its bytes) is not read again. refresh: read every file,
    and replace the documents already loaded from them (new metadata, say a date
    mapped with jsonl_fields, and everything derived from it)."""
    files, aside, missing = discover(paths)
    con = connect(db)
    tune_for_bulk_load(con)
    try:
        summary = RunSummary(run_id=start_run(con, "ingest", PIPELINE_VERSION, {"paths": paths}),
                             flow_name="ingest", db=str(db), set_aside=[str(a) for a in aside], missing=missing)
        if missing:
            rej = [Reject(m, "not_found", "no file, folder or glob match at this path") for m in missing]
            record_rejects(con, rejects_frame(rej), summary.run_id)
            summary.rejects += [(r.source_uri, r.reason, r.detail) for r in rej]
            summary.rejected += len(rej)
        process_files(con, summary, files, batch_size=batch_size, jsonl_fields=jsonl_fields, verify=verify,
                      refresh=refresh)
        finish(con, summary)
    finally:
        con.close()
    return raise_if_failed(summary)


class BatchesFailed(RuntimeError):
    """Some batches failed after their retries; the others are loaded. Carries the summary
    so the flow run ends Failed truthfully and the CLI can still report."""

    def __init__(self, summary: RunSummary):
        super().__init__(f"{len(summary.failed_batches)} batch(es) failed: {summary.failed_batches[:3]}")
        self.summary = summary


def raise_if_failed(summary: RunSummary) -> RunSummary:
    if summary.failed_batches:
        raise BatchesFailed(summary)
    return summary
