"""The reprocess flow: re-derive documents made by an older pipeline version.

Works from the database alone (`documents.raw_text` and the metadata columns the
reader gave), never the original files, and replaces each batch's rows in one
transaction. doc_id is the hash of raw_text, so a document keeps its id.
"""
from __future__ import annotations

from collections.abc import Iterator

import polars as pl
from packaging.version import InvalidVersion, Version
from prefect import flow, get_run_logger

import transforms.pipeline
from flows.crash_retries import refuse_if_crashed_too_often
from flows.defaults import REPROCESS_BATCH_SIZE
from flows.summary import RunSummary, begin_run, final_state, finish
from flows.runners import DEFAULT_DASK_WORKERS, DEFAULT_WINDOW, PlannedBatch, run_batches, transform_runner
from flows.tasks import content_ids, quiet_task_completions
from flows.writer import database_writer
from sources.base import RAW_SCHEMA, raw_frame

# date_source values that transforms/dates.py writes when it inferred the date from
# the text (`text:opening_date`, `text:dateline+text:year_comparison`): the rebuilt
# raw document has no date then, so the current code infers it again. Dates the
# reader gave (`meta:PubDate`, `jsonl:year`, the JSONL reader's `text:opening`) are kept.
TRANSFORM_DATE_SOURCE = r"^text:(?:opening_date|editor_note|dateline|year_comparison|time_line|news_dateline)\b"


def is_older(version: str, than: str) -> bool:
    """Version order, not string order: 0.9.0 < 0.10.0; an unparseable stored version counts as older."""
    try:
        return Version(version) < Version(than)
    except InvalidVersion:
        return version != than


def stale_versions(con, current: str) -> list[str]:
    versions = [v for (v,) in con.execute("SELECT DISTINCT pipeline_version FROM documents").fetchall()]
    return sorted(v for v in versions if is_older(v, current))


def raw_from_documents(documents: pl.DataFrame) -> pl.DataFrame:
    """Stored document rows -> the raw frame the reader gave (sources.base.raw_frame columns)."""
    inferred = pl.col("date_source").fill_null("").str.contains(TRANSFORM_DATE_SOURCE)
    rebuilt = documents.rename({"raw_text": "text"}).with_columns(
        published_date=pl.when(inferred).then(None).otherwise(pl.col("published_date")),
        date_source=pl.when(inferred).then(None).otherwise(pl.col("date_source")),
    )
    empty = raw_frame([])
    # a column the stored rows lack (rows written before the reader gave a byline) is null
    columns = [pl.col(c) if c in rebuilt.columns else pl.lit(None).alias(c) for c in RAW_SCHEMA]
    return pl.concat([empty, rebuilt.select(columns).cast(empty.schema)])


def stale_batches(writer, versions: list[str], batch_size: int, unkeyed: list[str]) -> Iterator[PlannedBatch]:
    """Batches of stale documents rebuilt from the database, read one batch at a time.
    A document whose rebuilt raw form would get another doc_id (an empty-bodied item is
    keyed by its title as read, stored normalised) is left as it is, listed in `unkeyed`:
    replacing it would add a second document, not replace the first."""
    with writer.session() as con:
        ids = [i for (i,) in con.execute(
            "SELECT doc_id FROM documents WHERE list_contains(?, pipeline_version) "
            "ORDER BY published_date NULLS LAST, doc_id", [versions]).fetchall()]
    cols = ", ".join(c if c != "text" else "raw_text" for c in RAW_SCHEMA)
    n_batches = -(-len(ids) // batch_size)
    for k in range(0, len(ids), batch_size):
        chunk = ids[k:k + batch_size]
        with writer.session() as con:
            rows = con.sql(f"SELECT doc_id, {cols} FROM documents WHERE list_contains(?, doc_id) ORDER BY "
                           "published_date NULLS LAST, doc_id", params=[chunk]).pl()
        raw = raw_from_documents(rows)
        same = content_ids(raw) == rows["doc_id"]
        unkeyed += rows.filter(~same)["doc_id"].to_list()
        yield PlannedBatch(label=f"batch {k // batch_size + 1}/{n_batches} ({len(chunk)} docs)", raw=raw.filter(same))


@flow(name="reprocess", log_prints=True)
def reprocess_flow(db: str | None = None, pipeline_version: str | None = None,
                   batch_size: int = REPROCESS_BATCH_SIZE, window: int = DEFAULT_WINDOW,
                   dask: bool = False, dask_address: str | None = None,
                   dask_workers: int = DEFAULT_DASK_WORKERS, lock_wait_seconds: float | None = None) -> RunSummary:
    """Re-derive (clean, segment, extract) every document made by an older pipeline version,
    from its raw text in the database; the original files are not needed.

    Args:
        db: DuckDB file (default: $POLICY_NEWS_DB, else policy_news.duckdb).
        pipeline_version: re-derive documents older than this version and stamp them with it
            (empty: the code's version).
        batch_size: documents per batch (one transaction each).
        window: batches transformed at once.
        dask: transform on a local Dask cluster of worker processes.
        dask_address: transform on a running Dask scheduler, e.g. tcp://10.0.0.5:8786.
        dask_workers: worker processes of the local Dask cluster.
        lock_wait_seconds: how long to wait for another run writing to the same database
            (empty: as long as it takes).
    """
    if (refused := refuse_if_crashed_too_often("reprocess")) is not None:  # flows/crash_retries.py
        return refused
    quiet_task_completions()
    version = pipeline_version or transforms.pipeline.PIPELINE_VERSION
    logger = get_run_logger()
    with database_writer(db, lock_wait_seconds) as writer:
        with writer.session() as con:
            summary = RunSummary(run_id=begin_run(con, "reprocess", version, {"pipeline_version": version}),
                                 flow_name="reprocess", db=str(db), pipeline_version=version)
            versions = stale_versions(con, version)
            summary.seen = con.execute("SELECT count(*) FROM documents WHERE list_contains(?, pipeline_version)",
                                       [versions]).fetchone()[0] if versions else 0
        summary.notes.append(f"{summary.seen} document(s) of version(s) {', '.join(versions) or '-'} "
                             f"re-derived at {version}")
        logger.info("reprocessing %d documents of versions %s to %s", summary.seen, versions, version)
        unkeyed: list[str] = []
        with transform_runner(dask, dask_address, dask_workers) as runner:
            run_batches(writer, summary, stale_batches(writer, versions, batch_size, unkeyed), runner,
                        window=window, pipeline_version=version, replace=True)
        if unkeyed:
            summary.notes.append(f"{len(unkeyed)} document(s) left at their old version (their id could not be "
                                 f"rebuilt from the database), e.g. {unkeyed[0]}")
        with writer.session() as con:
            finish(con, summary)
    return final_state(summary)
