"""The reprocess flow: re-derive documents made by an older pipeline version.

Works from the database alone (`documents.raw_text` and the metadata columns the
reader gave), never the original files, and replaces each batch's rows in one
transaction. doc_id is the hash of raw_text, so a document keeps its id.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
from packaging.version import InvalidVersion, Version
from prefect import flow, get_run_logger

import transforms.pipeline
from flows.ingest import RunSummary, finish, raise_if_failed
from flows.runners import DEFAULT_DASK_WORKERS, DEFAULT_WINDOW, PlannedBatch, run_batches, transform_runner
from flows.tasks import content_ids
from sources.base import RAW_SCHEMA, raw_frame
from warehouse.db import connect, tune_for_bulk_load
from warehouse.load import start_run

# documents re-derived per batch (see flows/backfill.py for what a batch costs)
DEFAULT_BATCH_SIZE = 1_000
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


def stale_batches(con, versions: list[str], batch_size: int, unkeyed: list[str]) -> Iterator[PlannedBatch]:
    """Batches of stale documents rebuilt from the database, read one batch at a time.
    A document whose rebuilt raw form would get another doc_id (an empty-bodied item is
    keyed by its title as read, stored normalised) is left as it is, listed in `unkeyed`:
    replacing it would add a second document, not replace the first."""
    ids = [i for (i,) in con.execute(
        "SELECT doc_id FROM documents WHERE list_contains(?, pipeline_version) "
        "ORDER BY published_date NULLS LAST, doc_id", [versions]).fetchall()]
    cols = ", ".join(c if c != "text" else "raw_text" for c in RAW_SCHEMA)
    for k in range(0, len(ids), batch_size):
        chunk = ids[k:k + batch_size]
        rows = con.sql(f"SELECT doc_id, {cols} FROM documents WHERE list_contains(?, doc_id) ORDER BY "
                           "published_date NULLS LAST, doc_id", params=[chunk]).pl()
        raw = raw_from_documents(rows)
        same = content_ids(raw) == rows["doc_id"]
        unkeyed += rows.filter(~same)["doc_id"].to_list()
        yield PlannedBatch(label=f"#{k // batch_size + 1} ({len(chunk)} docs)", raw=raw.filter(same))


@flow(name="reprocess", log_prints=True)
def reprocess_flow(db: str | None = None, pipeline_version: str | None = None,
                   batch_size: int = DEFAULT_BATCH_SIZE, window: int = DEFAULT_WINDOW,
                   dask: bool = False, dask_address: str | None = None,
                   dask_workers: int = DEFAULT_DASK_WORKERS, lock_wait_seconds: float = 30.0) -> RunSummary:
    """Re-run clean/segment/extract on every document whose pipeline_version is
    older than the code's (or than `pipeline_version`), from its stored raw text."""
    version = pipeline_version or transforms.pipeline.PIPELINE_VERSION
    logger = get_run_logger()
    con = connect(db, wait_seconds=lock_wait_seconds)
    tune_for_bulk_load(con)
    try:
        summary = RunSummary(run_id=start_run(con, "reprocess", version, {"pipeline_version": version}),
                             flow_name="reprocess", db=str(db))
        versions = stale_versions(con, version)
        summary.seen = con.execute("SELECT count(*) FROM documents WHERE list_contains(?, pipeline_version)",
                                   [versions]).fetchone()[0] if versions else 0
        summary.notes.append(f"{summary.seen} document(s) of version(s) {', '.join(versions) or '-'} "
                             f"re-derived at {version}")
        logger.info("reprocessing %d documents of versions %s to %s", summary.seen, versions, version)
        unkeyed: list[str] = []
        with transform_runner(dask, dask_address, dask_workers) as runner:
            run_batches(con, summary, stale_batches(con, versions, batch_size, unkeyed), runner, window=window,
                        pipeline_version=version, replace=True)
        if unkeyed:
            summary.notes.append(f"{len(unkeyed)} document(s) left at their old version (their id could not be "
                                 f"rebuilt from the database), e.g. {unkeyed[0]}")
        finish(con, summary)
    finally:
        con.close()
    return raise_if_failed(summary)


def cmd_reprocess(args) -> int:
    from flows.cli import PROG, UsageError, _db, run_flow

    if not Path(_db(args)).exists():  # checked before Prefect starts; connect() would create it
        raise UsageError(f"{PROG} reprocess: no database at {_db(args)} (pass --db, or ingest first)")
    return run_flow(reprocess_flow, db=_db(args), pipeline_version=args.pipeline_version,
                    batch_size=args.batch_size, window=args.window, dask=args.dask,
                    dask_address=args.dask_address, dask_workers=args.dask_workers, lock_wait_seconds=args.lock_wait)


def register_cli(sub, add) -> None:
    from flows.backfill import add_runner_arguments

    sp = add("reprocess", cmd_reprocess,
             "re-derive documents made by an older pipeline version, from the raw text in the database")
    sp.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="documents per batch")
    sp.add_argument("--pipeline-version", help="re-derive documents older than this version, and stamp "
                    f"them with it (default: the code's, {transforms.pipeline.PIPELINE_VERSION})")
    add_runner_arguments(sp)
