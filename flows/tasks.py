"""Coarse Prefect tasks: read a batch of files, transform a batch, load a batch.

A task handles a whole batch (hundreds of documents): Prefect costs
milliseconds per task run, so one task per document would dominate the run.

Reading parses HTML with lxml, which releases the GIL while it parses, but the
walk over each page body is Python. `read_pool()` gives read tasks a pool of
worker processes (`--read-processes`); on 2 CPUs it measured no faster than
threads, so threads are the default.
"""
from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import stat
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from prefect import task
from prefect.cache_policies import NONE

from sources.base import Reject, raw_frame
from sources.registry import is_valid_unicode, printable_path, read_file
from transforms.clean import document_ids
from transforms import pipeline
from transforms.pipeline import Batch, transform_batch
from warehouse.load import SOURCE_FILE_SCHEMA, LoadResult, known_doc_ids, known_files, load_batch

REJECT_SCHEMA = {"source_uri": pl.String, "reason": pl.String, "detail": pl.String}
# Reject reasons that say something about the file system or our code, not the file's content:
# a file rejected for one of them is not recorded in source_files, so a rerun tries it again.
RETRY_REASONS = {"vanished", "unreadable", "read_error", "reader_error"}


@dataclass
class SourceFile:
    """One input file as read: its stat before reading, the hash of its bytes, what it gave."""
    path: str  # absolute
    size: int
    mtime_ns: int
    sha256: str
    n_documents: int
    n_rejects: int
    retry: bool = False  # rejected for a reason a rerun may not meet again: do not record


@dataclass
class ReadBatch:
    raw: pl.DataFrame  # documents in file order: files[0]'s n_documents rows first, ...
    rejects: list[Reject] = field(default_factory=list)
    seconds: float = 0.0
    n_bytes: int = 0
    files: list[SourceFile] = field(default_factory=list)

    def doc_files(self) -> pl.Series:
        """The path of each row of raw."""
        return pl.Series("_file", [f.path for f in self.files for _ in range(f.n_documents)], dtype=pl.String)


def files_frame(files: list[SourceFile]) -> pl.DataFrame:
    """SourceFiles -> rows for warehouse.load's source_files (SOURCE_FILE_SCHEMA)."""
    return pl.DataFrame([tuple(getattr(f, c) for c in SOURCE_FILE_SCHEMA) for f in files],
                        schema=SOURCE_FILE_SCHEMA, orient="row")


def file_sha256(path: str | Path) -> str | None:
    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None


def rejects_frame(rejects: list[Reject]) -> pl.DataFrame:
    return pl.DataFrame([(r.source_uri, r.reason, r.detail) for r in rejects], schema=REJECT_SCHEMA, orient="row")


def content_ids(raw: pl.DataFrame) -> pl.Series:
    """The doc_id the cleaner will give each raw document."""
    return document_ids(raw)


def read_paths(paths: list[Path], jsonl_fields: dict | None = None) -> ReadBatch:
    """Read each file; a file that fails becomes a Reject, never a failed batch.
    Each file is stat'ed before it is read and its bytes hashed (SourceFile)."""
    t0 = time.perf_counter()
    docs, rejects, files, n_bytes = [], [], [], 0
    for p in paths:
        if not is_valid_unicode(str(p)):  # its name fits no table: read_file says so, nothing is recorded
            rejects += read_file(Path(p)).rejects
            continue
        try:
            st = os.stat(p)
        except OSError:
            st = None
        try:
            res = read_file(Path(p), jsonl_fields=jsonl_fields)
        except Exception as e:  # a reader bug must not lose the rest of the batch
            rejects.append(Reject(str(p), "read_error", f"{type(e).__name__}: {e}"))
            continue
        docs += res.docs
        rejects += res.rejects
        # only a regular file is hashed: opening a FIFO waits for a writer, /dev/zero never ends
        digest = file_sha256(p) if st is not None and stat.S_ISREG(st.st_mode) else None
        if digest is not None:  # hashed after reading: from the page cache
            n_bytes += st.st_size
            files.append(SourceFile(os.path.abspath(p), st.st_size, st.st_mtime_ns, digest, len(res.docs),
                                    len(res.rejects), retry=any(r.reason in RETRY_REASONS for r in res.rejects)))
        elif res.docs:  # vanished after reading: keep its documents, never record the file
            files.append(SourceFile(os.path.abspath(p), 0, 0, "", len(res.docs), len(res.rejects), retry=True))
    try:
        raw = raw_frame(docs)
    except Exception:  # one document no frame can hold must not lose the batch
        docs, files, unfit = drop_unfit_documents(docs, files)
        rejects += unfit
        raw = raw_frame(docs)
    return ReadBatch(raw=raw, rejects=rejects, seconds=time.perf_counter() - t0, n_bytes=n_bytes, files=files)


def drop_unfit_documents(docs: list, files: list[SourceFile]) -> tuple[list, list[SourceFile], list[Reject]]:
    """The documents raw_frame refuses, one by one, as Rejects; their files lose them
    and are not recorded as done (docs are in file order, files[i] has n_documents)."""
    kept, kept_files, unfit = [], [], []
    it = iter(docs)
    for f in files:
        mine = [next(it) for _ in range(f.n_documents)]
        good = []
        for d in mine:
            try:
                raw_frame([d])
                good.append(d)
            except Exception as e:
                unfit.append(Reject(printable_path(d.source_uri), "read_error",
                                    f"The document could not be stored: {type(e).__name__}: {e}"))
        kept += good
        kept_files.append(f if len(good) == len(mine) else
                          SourceFile(f.path, f.size, f.mtime_ns, f.sha256, len(good), f.n_rejects, retry=True))
    return kept, kept_files, unfit


# Worker processes reading files for read tasks (see read_pool); None: read in the task's thread.
_READ_POOL: ProcessPoolExecutor | None = None


@contextmanager
def read_pool(workers: int | None):
    """While open, read tasks of this process read in `workers` processes (0/None: in their thread)."""
    global _READ_POOL
    if not workers:
        yield None
        return
    # spawn, not fork: this process has threads (Prefect, polars) that a fork would copy mid-flight
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    _READ_POOL = pool
    try:
        yield pool
    finally:
        _READ_POOL = None
        pool.shutdown(wait=True, cancel_futures=True)


# Task runs are named for what they hold (`read files 51-100 of 4210`, `transform #3 2022-09-01..2022-11-30
# (1000 docs)`, `load #3 ...`): the label is a parameter, given by the flow that plans the batches.
@task(name="read-batch", task_run_name="read {label}", retries=2, retry_delay_seconds=1, cache_policy=NONE,
      persist_result=False)
def read_batch(paths: list[Path], jsonl_fields: dict | None = None, label: str = "files") -> ReadBatch:
    pool = _READ_POOL
    if pool is not None:
        return pool.submit(read_paths, paths, jsonl_fields).result()
    return read_paths(paths, jsonl_fields)


@task(name="transform-batch", task_run_name="transform {label}", retries=1, cache_policy=NONE,
      persist_result=False)
def transform(raw: pl.DataFrame, pipeline_version: str | None = None, label: str = "batch") -> Batch:
    return transform_batch(raw, pipeline_version or pipeline.PIPELINE_VERSION)


@task(name="load-batch", task_run_name="load {label}", retries=2, retry_delay_seconds=2, cache_policy=NONE,
      persist_result=False)
def load(writer, batch: Batch, rejects: list[Reject], run_id: str, replace: bool = False,
         files: pl.DataFrame | None = None, pipeline_version: str | None = None, label: str = "batch") -> LoadResult:
    """One transaction, in a session of the database's writer (warehouse.db.Writer), which
    lets readers in between batches."""
    with writer.session() as con:
        return load_batch(con, batch.tables, rejects_frame(rejects), run_id=run_id, replace=replace, files=files,
                          pipeline_version=pipeline_version)


class _NoCompletedNotices(logging.Filter):
    """Drops the task engine's `Finished in state Completed()` line (one per task run: 167 for a
    backfill of 75 batches); failures, retries and crashes are still logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Finished in state Completed(")


def quiet_task_completions() -> None:
    """Silence the completion notices of task runs in this process (the flow logs one line per batch)."""
    logger = logging.getLogger("prefect.task_runs")
    if not any(isinstance(f, _NoCompletedNotices) for f in logger.filters):
        logger.addFilter(_NoCompletedNotices())


def files_label(paths: list, first_no: int, n_files: int) -> str:
    """`files 51-100 of 4210 (mfa/7..mfa/89)`: which files a read task holds."""
    names = f"{Path(paths[0]).name}" if len(paths) == 1 else f"{Path(paths[0]).name}..{Path(paths[-1]).name}"
    return f"files {first_no}-{first_no + len(paths) - 1} of {n_files} ({names})"


@dataclass
class Unchanged:
    """Files a run need not read: recorded in source_files and unchanged since."""
    paths: set[str] = field(default_factory=set)
    n_documents: int = 0


def skip_unchanged(con, summary, files: list[Path], verify: bool = False) -> list[Path]:
    """-> the files to read; those unchanged since recorded count as seen and skipped (summary)."""
    t0 = time.perf_counter()
    same = unchanged_files(con, files, verify)
    summary.add_time("skip_check", time.perf_counter() - t0)
    if not same.paths:
        return files
    summary.seen += same.n_documents
    summary.skipped += same.n_documents
    summary.notes.append(f"{len(same.paths)} file(s) unchanged since an earlier run "
                         f"({'same sha256' if verify else 'same size and mtime'}), not read")
    return [f for f in files if str(f) not in same.paths]


def unchanged_files(con, files: list[Path], verify: bool = False) -> Unchanged:
    """Files recorded in source_files with the same size and mtime (a stat, no read);
    with verify, those whose bytes hash to the recorded sha256 instead."""
    known = known_files(con)
    out = Unchanged()
    if known.height == 0:
        return out
    recorded = {p: (size, mtime, sha, n) for p, size, mtime, sha, n in
                known.select("path", "size", "mtime_ns", "sha256", "n_documents").iter_rows()}
    for f in files:
        path = os.path.abspath(f)
        rec = recorded.get(path)
        if rec is None:
            continue
        if verify:
            same = file_sha256(path) == rec[2]
        else:
            try:
                st = os.stat(path)
            except OSError:
                continue
            same = (st.st_size, st.st_mtime_ns) == (rec[0], rec[1])
        if same:
            out.paths.add(str(f))
            out.n_documents += rec[3]
    return out


def drop_known(con, raw: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """Drop documents the database already holds, and repeats within the batch,
    before any transform work: a rerun over an unchanged archive only hashes."""
    if raw.height == 0:
        return raw, 0
    raw = raw.with_columns(_id=content_ids(raw))
    known = known_doc_ids(con, raw["_id"].unique().to_list())
    fresh = raw.filter(~pl.col("_id").is_in(list(known))).unique("_id", keep="first", maintain_order=True)
    return fresh.drop("_id"), raw.height - fresh.height


def dedupe_known(con, raw: pl.DataFrame) -> tuple[pl.DataFrame, int, int]:
    """For a refresh: drop repeats within the batch only -> (documents, repeats dropped,
    documents the database already holds, which the load replaces)."""
    if raw.height == 0:
        return raw, 0, 0
    raw = raw.with_columns(_id=content_ids(raw))
    fresh = raw.unique("_id", keep="first", maintain_order=True)
    known = known_doc_ids(con, fresh["_id"].to_list())
    return fresh.drop("_id"), raw.height - fresh.height, len(known)
