"""Loading frames into DuckDB: through Arrow, one transaction per batch."""
from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field

import duckdb
import polars as pl

from warehouse.db import DERIVED_TABLES, DOC_TABLES


@dataclass
class LoadResult:
    loaded: int = 0
    skipped: int = 0
    rejected: int = 0
    rows: dict[str, int] = field(default_factory=dict)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


# Columns of each table, asked once per process: every writable connection has run the same migrations
# (warehouse.db.connect), and asking information_schema for every table of every batch was measurable.
_COLUMNS: dict[str, list[str]] = {}

SOURCE_FILE_SCHEMA = {"path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64, "sha256": pl.String,
                      "n_documents": pl.Int32, "n_rejects": pl.Int32}


def table_columns(con, table: str) -> list[str]:
    if table not in _COLUMNS:
        _COLUMNS[table] = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
            [table]).fetchall()]
    return _COLUMNS[table]


def _insert(con, table: str, frame: pl.DataFrame) -> int:
    if frame.height == 0:
        return 0
    cols = [c for c in table_columns(con, table) if c in frame.columns]
    view = f"_load_{table}"
    con.register(view, (frame if cols == frame.columns else frame.select(cols)).to_arrow())
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {view}")
    finally:
        con.unregister(view)
    return frame.height


def known_doc_ids(con, doc_ids: list[str]) -> set[str]:
    """Which of these documents the database already holds (by content hash)."""
    if not doc_ids:
        return set()
    con.register("_probe", pl.DataFrame({"doc_id": doc_ids}, schema={"doc_id": pl.String}).to_arrow())
    try:
        return {r[0] for r in con.execute(
            "SELECT DISTINCT d.doc_id FROM documents d JOIN _probe p USING (doc_id)").fetchall()}
    finally:
        con.unregister("_probe")


def _new_rejects(con, rejects: pl.DataFrame, run_id: str) -> pl.DataFrame:
    """Rejects not already recorded for the same input and reason (a rerun adds none)."""
    if rejects.height == 0:
        return rejects
    rejects = rejects.unique(["source_uri", "reason"], keep="first", maintain_order=True)
    con.register("_rej", rejects.select("source_uri", "reason").to_arrow())
    try:
        seen = con.sql("SELECT r.source_uri, r.reason FROM rejects r JOIN _rej USING (source_uri, reason)").pl()
    finally:
        con.unregister("_rej")
    return (rejects.join(seen, on=["source_uri", "reason"], how="anti")
            .with_columns(rejected_at=pl.lit(_now()), run_id=pl.lit(run_id)))


def load_batch(con, tables: dict[str, pl.DataFrame], rejects: pl.DataFrame | None = None,
               run_id: str | None = None, replace: bool = False, files: pl.DataFrame | None = None,
               pipeline_version: str | None = None) -> LoadResult:
    """Write one batch in one transaction. Documents already present (same doc_id)
    are skipped, or with replace=True have all their rows replaced. `files`
    (SOURCE_FILE_SCHEMA): input files whose documents are all in the database once
    this batch is, recorded in `source_files` in the same transaction. Either all
    of the batch lands or none of it."""
    result = LoadResult()
    docs = tables["documents"].unique("doc_id", keep="first", maintain_order=True)
    con.execute("BEGIN TRANSACTION")
    try:
        present = known_doc_ids(con, docs["doc_id"].to_list())
        ids = pl.DataFrame({"doc_id": docs["doc_id"]})
        if replace and present:
            con.register("_replace", ids.to_arrow())
            for t in DOC_TABLES:
                con.execute(f"DELETE FROM {t} WHERE doc_id IN (SELECT doc_id FROM _replace)")
            con.unregister("_replace")
            keep = docs["doc_id"]
        else:
            keep = docs.filter(~pl.col("doc_id").is_in(list(present)))["doc_id"]
            result.skipped = len(present)
        every = keep.len() == docs.height  # nothing skipped: no filtering of the derived tables
        if not every:
            docs = docs.filter(pl.col("doc_id").is_in(keep.implode()))
        result.rows["documents"] = _insert(con, "documents", docs.with_columns(ingested_at=pl.lit(_now())))
        result.loaded = docs.height
        for t in DERIVED_TABLES:
            frame = tables.get(t)
            if frame is not None:
                result.rows[t] = _insert(con, t, frame if every else frame.filter(pl.col("doc_id").is_in(keep.implode())))
        _replace_vocabulary(con, tables.get("indicators"))
        if rejects is not None and rejects.height:
            new = _new_rejects(con, rejects, run_id or "")
            _insert(con, "rejects", new)
            result.rejected = rejects.height
        if files is not None and pipeline_version is None and docs.height:
            pipeline_version = docs["pipeline_version"][0]
        _record_files(con, files, run_id, pipeline_version)
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise
    return result


def _replace_vocabulary(con, indicators: pl.DataFrame | None) -> None:
    """The `indicators` table is the vocabulary the batch was made with, replaced whole
    (a hundred rows) inside the caller's transaction: the table follows the file."""
    if indicators is None or indicators.height == 0:
        return
    con.execute("DELETE FROM indicators")
    _insert(con, "indicators", indicators.unique("indicator", keep="first", maintain_order=True))


def _record_files(con, files: pl.DataFrame | None, run_id: str | None, pipeline_version: str | None) -> None:
    """Replace the source_files rows of these paths (inside the caller's transaction);
    a path recorded before keeps its first_run_id."""
    if files is None or files.height == 0:
        return
    files = files.unique("path", keep="last", maintain_order=True)
    con.register("_files", files.select("path").to_arrow())
    try:
        prior = pl.DataFrame(con.execute("SELECT path, first_run_id FROM source_files JOIN _files USING (path)")
                             .fetchall(), schema={"path": pl.String, "prior": pl.String}, orient="row")
        con.execute("DELETE FROM source_files WHERE path IN (SELECT path FROM _files)")
    finally:
        con.unregister("_files")
    rows = (files.join(prior, on="path", how="left")
            .with_columns(first_run_id=pl.coalesce("prior", pl.lit(run_id, dtype=pl.String)),
                          pipeline_version=pl.lit(pipeline_version or "unknown"), loaded_at=pl.lit(_now()))
            .drop("prior"))
    _insert(con, "source_files", rows)


def known_files(con) -> pl.DataFrame:
    """Every recorded input file: path, size, mtime_ns, sha256, n_documents, n_rejects."""
    return pl.DataFrame(con.execute(f"SELECT {', '.join(SOURCE_FILE_SCHEMA)} FROM source_files").fetchall(),
                        schema=SOURCE_FILE_SCHEMA, orient="row")


def record_rejects(con, rejects: pl.DataFrame, run_id: str, files: pl.DataFrame | None = None,
                   pipeline_version: str | None = None) -> int:
    """Rejects of inputs that produced no batch at all; with `files`, record those
    input files as done in the same transaction."""
    if rejects.height == 0 and (files is None or files.height == 0):
        return 0
    con.execute("BEGIN TRANSACTION")
    try:
        if rejects.height:
            _insert(con, "rejects", _new_rejects(con, rejects, run_id))
        _record_files(con, files, run_id, pipeline_version)
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise
    return rejects.height


def start_run(con, flow_name: str, pipeline_version: str, parameters: dict | None = None,
              run_id: str | None = None) -> str:
    """A `running` row in runs. A run that starts again under the same id (a crashed Prefect
    flow run rescheduled) adds a row with the next `attempt`: the earlier attempts' rows stay."""
    run_id = run_id or uuid.uuid4().hex
    con.execute(
        "INSERT INTO runs (run_id, attempt, flow_name, started_at, status, pipeline_version, parameters) "
        "SELECT ?, coalesce(max(attempt), 0) + 1, ?, ?, 'running', ?, ? FROM runs WHERE run_id = ?",
        [run_id, flow_name, _now(), pipeline_version, json.dumps(parameters or {}, ensure_ascii=False, default=str),
         run_id],
    )
    return run_id


def unfinished_runs(con) -> list[str]:
    """Runs still `running`: while a writer holds the database, the runs that died before finishing."""
    return [r for (r,) in con.execute("SELECT run_id FROM runs WHERE status = 'running' ORDER BY started_at")
            .fetchall()]


def mark_crashed(con, prefect_states: dict[str, str | None]) -> None:
    """run_id -> the Prefect state the server holds for it (None: unknown)."""
    for run_id, state in prefect_states.items():
        con.execute("UPDATE runs SET status = 'crashed', prefect_state = ? WHERE run_id = ? AND status = 'running'",
                    [state, run_id])


def finish_run(con, run_id: str, status: str, seen: int, loaded: int, skipped: int, rejected: int,
               timings: dict | None = None) -> None:
    """Record the end of the run's latest attempt (its earlier ones crashed: their rows stay)."""
    con.execute(
        "UPDATE runs SET finished_at = ?, status = ?, docs_seen = ?, docs_loaded = ?, docs_skipped = ?, "
        "docs_rejected = ?, timings = ? "
        "WHERE run_id = ? AND attempt = (SELECT max(attempt) FROM runs WHERE run_id = ?)",
        [_now(), status, seen, loaded, skipped, rejected, json.dumps(timings or {}), run_id, run_id],
    )


def table_counts(con) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in [*DOC_TABLES, "rejects", "runs"]}


def rollback(con) -> None:
    """Undo the open transaction, keeping the error that caused it: a COMMIT that failed
    (`No space left on device`) has already ended the transaction, and a ROLLBACK then
    says only `cannot rollback - no transaction is active`."""
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass
