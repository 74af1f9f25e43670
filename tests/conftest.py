"""Test session setup: Prefect in a throwaway home, quiet, one temporary server per session."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Must be set before anything imports prefect.
_PREFECT_HOME = tempfile.mkdtemp(prefix="policy-news-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.pop("PREFECT_API_URL", None)

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SAMPLE = ROOT / "sources" / "samples" / "miit-press-conference-2024-07-05.txt"
GOLD_FILE = DATA / "gold" / "miit-press-conference-2024-07-05.json"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The real documents shipped in data/ (see data/README.md)."""
    return DATA


@pytest.fixture(scope="session")
def gold(data_dir) -> dict:
    import json

    return json.loads(GOLD_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """The README's first command, in-process: `policy-news ingest` (no PATH: the bundled sample)."""
    from flows.cli import main

    db = tmp_path_factory.mktemp("sample") / "policy_news.duckdb"
    assert main(["ingest", "--db", str(db)]) == 0
    return db


@pytest.fixture
def query(sample_db):
    import duckdb

    def run(sql: str, db: Path | None = None):
        con = duckdb.connect(str(db or sample_db), read_only=True)
        try:
            return con.sql(sql).fetchall()
        finally:
            con.close()

    return run
