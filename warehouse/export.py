"""Every table as Parquet: the hand-off to other engines and to a lakehouse."""
from __future__ import annotations

from pathlib import Path

from warehouse.db import DOC_TABLES

EXPORT_TABLES = [*DOC_TABLES, "rejects", "runs"]


def export_parquet(con, folder: Path) -> dict[str, tuple[Path, int]]:
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for t in EXPORT_TABLES:
        path = folder / f"{t}.parquet"
        con.execute(f"COPY (SELECT * FROM {t}) TO '{path.as_posix()}' (FORMAT parquet, COMPRESSION zstd)")
        written[t] = (path, con.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
    return written
