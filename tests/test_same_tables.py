"""benchmarks/same_tables.py, the identity check of speed work: it tells equal tables
(rows in any order) from tables that differ in a row or a column."""
from __future__ import annotations

from pathlib import Path

import polars as pl

from benchmarks.same_tables import compare


def _write(root: Path, frame: pl.DataFrame) -> None:
    (root / "0").mkdir(parents=True)
    frame.write_parquet(root / "0" / "people.parquet")


def test_rows_in_another_order_are_the_same_table(tmp_path):
    frame = pl.DataFrame({"name": ["a", "b", None], "titles": [["x"], [], None]})
    _write(tmp_path / "before", frame)
    _write(tmp_path / "after", frame.reverse())
    assert compare(tmp_path / "before", tmp_path / "after", ["t"]) == 0


def test_a_changed_row_or_column_is_a_difference(tmp_path, capsys):
    frame = pl.DataFrame({"name": ["a", "b"], "titles": [["x"], ["y"]]})
    _write(tmp_path / "before", frame)
    _write(tmp_path / "row", frame.with_columns(name=pl.Series(["a", "c"])))
    _write(tmp_path / "column", frame.with_columns(extra=pl.lit(1)))
    assert compare(tmp_path / "before", tmp_path / "row", ["t"]) == 1
    assert "only after" in capsys.readouterr().out
    assert compare(tmp_path / "before", tmp_path / "column", ["t"]) == 1
