"""Connections and migrations."""
from __future__ import annotations

import os
import time
from importlib import resources
from pathlib import Path

import duckdb

DEFAULT_DB = "policy_news.duckdb"
DERIVED_TABLES = ["sections", "paragraphs", "sentences", "people", "turns", "figures", "targets", "policy_refs"]
DOC_TABLES = ["documents", *DERIVED_TABLES]


class DatabaseBusy(RuntimeError):
    """Another process holds the database file for writing."""


def default_db_path() -> str:
    return os.environ.get("POLICY_NEWS_DB") or DEFAULT_DB


def connect(path: str | os.PathLike | None = None, read_only: bool = False, wait_seconds: float = 30.0,
            config: dict | None = None):
    """Open the database; a writer waits up to wait_seconds for another writer's lock,
    then fails with a message that says who to wait for. config: DuckDB settings
    given at open (some, such as enable_external_access, can only be set there)."""
    path = str(path or default_db_path())
    if read_only and not Path(path).exists():
        raise FileNotFoundError(f"no database at {path} (run `policy-news ingest` first, or pass --db)")
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            con = duckdb.connect(path, read_only=read_only, config=config or {})
            break
        except duckdb.IOException as e:
            if "lock" not in str(e).lower():
                raise
            if time.monotonic() >= deadline:
                raise DatabaseBusy(
                    f"{path} is in use by another policy-news process (DuckDB allows one writer); "
                    f"waited {wait_seconds:.0f}s. Wait for it to finish and run again."
                ) from e
            time.sleep(0.5)
    if not read_only:
        migrate(con)
    return con


# What `policy-news sql` runs is typed by a person or pasted from elsewhere: it may read
# the database, nothing else. Without these DuckDB would read any file the user can
# (`read_text('/etc/passwd')`), write any (`COPY ... TO`), open other databases
# (`ATTACH`, even read-write through a hard link to this one) and fetch extensions.
# enable_external_access = false closes all file access but to the database itself;
# lock_configuration stops a query from turning anything back on (`SET ... = true`).
SANDBOX_SETTINGS = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
}


def connect_sandboxed(path: str | os.PathLike | None = None, allow_files: bool = False,
                      allowed_directories: list[str] | None = None, wait_seconds: float = 30.0):
    """A read-only connection for queries a user types: no other file, no extension,
    no setting changed afterwards. allow_files: file access as DuckDB has it by default
    (the user asked for `COPY ... TO` on purpose); allowed_directories: there and
    nowhere else (DuckDB takes them only once the database is open)."""
    config = dict(SANDBOX_SETTINGS)
    if allow_files or allowed_directories:
        con = connect(path, read_only=True, config=config, wait_seconds=wait_seconds)
        try:
            if not allow_files:
                con.execute("SET allowed_directories = ?", [list(allowed_directories)])
                con.execute("SET enable_external_access = false")
            con.execute("SET lock_configuration = true")
        except Exception:
            con.close()
            raise
        return con
    return connect(path, read_only=True, wait_seconds=wait_seconds,
                   config={**config, "enable_external_access": False, "lock_configuration": True})


def explain_query_error(e: Exception) -> str:
    """A query's error on one line; a sandbox refusal says what the user can do about it."""
    text = str(e).strip() or type(e).__name__
    if isinstance(e, duckdb.PermissionException) or "configuration has been locked" in text:
        return (f"{text.splitlines()[0]} (queries read this database only: no other file, no extension, "
                "no setting; --allow-files lets a query read and write files)")
    return text


# A connection that loads batch after batch (backfill, reprocess, ingest):
# - memory_limit: loading a batch needs little, and the blocks it wrote need not stay cached
#   (by default DuckDB keeps up to 80 % of RAM; at 30,000 documents a backfill grew past 1.8 GB,
#   with 256MB it stayed between 1.0 and 1.6 GB);
# - checkpoint_threshold: by default (16MB of WAL) every batch's commit also checkpoints, which
#   rewrites the tables' unfinished row groups each time: loading 75 batches of 500 generated
#   documents took 44 s so, 22 s with 256MB (a checkpoint every ~10 batches; peak memory the
#   same). Committed batches are in the WAL, which DuckDB replays on the next open after a crash.
BULK_LOAD_SETTINGS = {"memory_limit": "512MB", "checkpoint_threshold": "256MB"}


def tune_for_bulk_load(con) -> None:
    for name, value in BULK_LOAD_SETTINGS.items():
        con.execute(f"SET {name} = '{value}'")


def migrations() -> list[tuple[int, str, str]]:
    files = sorted(
        (f for f in resources.files("warehouse").joinpath("migrations").iterdir() if f.name.endswith(".sql")),
        key=lambda f: f.name,
    )
    return [(int(f.name.split("_", 1)[0]), f.name, f.read_text(encoding="utf-8")) for f in files]


def migrate(con) -> list[str]:
    """Apply the numbered migrations not yet applied, each in its own transaction."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER, name VARCHAR, applied_at TIMESTAMPTZ)"
    )
    done = {v for (v,) in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for version, name, sql in migrations():
        if version in done:
            continue
        con.execute("BEGIN")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [version, name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied
