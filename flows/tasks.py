"""Coarse Prefect tasks: read a batch of files, transform a batch, load a batch.

A task handles a whole batch (hundreds of documents): Prefect costs
milliseconds per task run, so one task per document would dominate the run.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from prefect import task
from prefect.cache_policies import NONE

from sources.base import Reject, raw_frame
from sources.registry import read_file
from transforms.clean import document_ids
from transforms import pipeline
from transforms.pipeline import Batch, transform_batch
from warehouse.load import LoadResult, known_doc_ids, load_batch

REJECT_SCHEMA = {"source_uri": pl.String, "reason": pl.String, "detail": pl.String}


@dataclass
class ReadBatch:
    raw: pl.DataFrame
    rejects: list[Reject] = field(default_factory=list)
    seconds: float = 0.0
    n_bytes: int = 0


def rejects_frame(rejects: list[Reject]) -> pl.DataFrame:
    return pl.DataFrame([(r.source_uri, r.reason, r.detail) for r in rejects], schema=REJECT_SCHEMA, orient="row")


def content_ids(raw: pl.DataFrame) -> pl.Series:
    """The doc_id the cleaner will give each raw document."""
    return document_ids(raw)


def read_paths(paths: list[Path], jsonl_fields: dict | None = None) -> ReadBatch:
    """Read each file; a file that fails becomes a Reject, never a failed batch."""
    t0 = time.perf_counter()
    docs, rejects, n_bytes = [], [], 0
    for p in paths:
        try:
            res = read_file(Path(p), jsonl_fields=jsonl_fields)
        except Exception as e:  # a reader bug must not lose the rest of the batch
            rejects.append(Reject(str(p), "read_error", f"{type(e).__name__}: {e}"))
            continue
        docs += res.docs
        rejects += res.rejects
        try:
            n_bytes += Path(p).stat().st_size
        except OSError:
            pass
    return ReadBatch(raw=raw_frame(docs), rejects=rejects, seconds=time.perf_counter() - t0, n_bytes=n_bytes)


@task(name="read-batch", retries=2, retry_delay_seconds=1, cache_policy=NONE, persist_result=False)
def read_batch(paths: list[Path], jsonl_fields: dict | None = None) -> ReadBatch:
    return read_paths(paths, jsonl_fields)


@task(name="transform-batch", retries=1, cache_policy=NONE, persist_result=False)
def transform(raw: pl.DataFrame, pipeline_version: str | None = None) -> Batch:
    return transform_batch(raw, pipeline_version or pipeline.PIPELINE_VERSION)


@task(name="load-batch", retries=2, retry_delay_seconds=2, cache_policy=NONE, persist_result=False)
def load(con, batch: Batch, rejects: list[Reject], run_id: str, replace: bool = False) -> LoadResult:
    return load_batch(con, batch.tables, rejects_frame(rejects), run_id=run_id, replace=replace)


def drop_known(con, raw: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """Drop documents the database already holds, and repeats within the batch,
    before any transform work: a rerun over an unchanged archive only hashes."""
    if raw.height == 0:
        return raw, 0
    raw = raw.with_columns(_id=content_ids(raw))
    known = known_doc_ids(con, raw["_id"].unique().to_list())
    fresh = raw.filter(~pl.col("_id").is_in(list(known))).unique("_id", keep="first", maintain_order=True)
    return fresh.drop("_id"), raw.height - fresh.height
