"""Every table as Parquet: the hand-off to other engines and to a lakehouse."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from warehouse.db import DOC_TABLES, connect_sandboxed

EXPORT_TABLES = [*DOC_TABLES, "rejects", "runs"]


def export_parquet(db: str, folder: Path) -> dict[str, tuple[Path, int]]:
    """Write `<folder>/<table>.parquet` for every table, and nothing anywhere else.

    The folder's name never enters SQL text (the path is a parameter: `a'b; --` is a
    name like any other). DuckDB writes into a fresh folder of its own inside `folder`,
    on a connection that may write nowhere else; each file is then moved into place
    (`os.replace` puts a new file where a symlink was, it does not write through it)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=folder)).resolve()
    written = {}
    try:
        con = connect_sandboxed(db, allowed_directories=[f"{staging}{os.sep}"])
        try:
            for t in EXPORT_TABLES:
                con.execute(f"COPY (SELECT * FROM {t}) TO ? (FORMAT parquet, COMPRESSION zstd)",
                            [str(staging / f"{t}.parquet")])
                written[t] = con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        finally:
            con.close()
        for t in written:
            os.replace(staging / f"{t}.parquet", folder / f"{t}.parquet")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {t: (folder / f"{t}.parquet", n) for t, n in written.items()}
