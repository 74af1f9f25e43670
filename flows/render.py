"""Query results as text, for `policy-news sql`: table, line, csv, json.

Any DuckDB type can come back from a user's query. polars shows the common
ones well but cannot take some (INTERVAL, UNION, BIT, ...), and CSV has no
nested values, so each format first asks DuckDB to turn what it cannot show
into text: DuckDB's own spelling (`1 month 2 days`, `{1=a, 2=b}`,
`[党组书记, 部长]`) for the table and line formats, JSON text for lists,
structs, maps and unions in CSV, and JSON values (`to_json`) in the JSON format.
"""
from __future__ import annotations

import json
import shutil
import sys
import unicodedata

import polars as pl

FORMATS = ["table", "line", "csv", "json"]

# DuckDB type ids that polars takes and shows as they are; any other column is turned into text.
PLAIN = {
    "boolean", "tinyint", "smallint", "integer", "bigint", "hugeint", "utinyint", "usmallint", "uinteger",
    "ubigint", "float", "double", "decimal", "varchar", "date", "time", "timestamp", "timestamp_s",
    "timestamp_ms", "timestamp_ns", "timestamp with time zone", "null",
}
NESTED = {"list", "array", "struct", "map", "union"}
# A table wider than this (or than the terminal) shows fewer columns; cells wrap inside it.
DEFAULT_WIDTH = 200
STRING_CHARS = 80  # longer text cells are cut, with an ellipsis, in the table format
MAX_CELL_WIDTH = 30  # wider cells wrap over several lines


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _unique(names: list[str]) -> list[str]:
    """Column names made unique (`a`, `a_2`): a result may repeat one, a frame may not."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}_{seen[n]}")
    return out


def _project(rel, fmt: str):
    """The relation with every column polars or the format cannot take turned into text,
    columns addressed by position (names may repeat) and renamed to unique names."""
    exprs = []
    for i, (name, typ) in enumerate(zip(_unique(rel.columns), rel.types), start=1):
        tid = typ.id
        if fmt == "json":
            expr = f"to_json(#{i})"
        elif tid in PLAIN:
            expr = f"#{i}"
        elif fmt == "csv" and tid in NESTED:
            expr = f"CAST(to_json(#{i}) AS VARCHAR)"
        else:
            expr = f"CAST(#{i} AS VARCHAR)"
        exprs.append(f"{expr} AS {_quote(name)}")
    return rel.project(", ".join(exprs))


def write_result(rel, fmt: str = "table", max_rows: int = 50, out=None) -> None:
    """Write a DuckDB relation (a query's result) to `out` in one of FORMATS. table and
    line show at most max_rows rows and then say how many there are; csv and json write all."""
    out = out or sys.stdout
    if rel is None:  # a statement that returns nothing (SET, PRAGMA ...)
        return
    shown = _project(rel, fmt)
    if fmt == "csv":
        out.write(shown.pl().write_csv())
    elif fmt == "json":
        rows = [{k: (None if v is None else json.loads(v)) for k, v in zip(shown.columns, r)}
                for r in shown.fetchall()]
        out.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    else:
        head = shown.limit(max_rows + 1).pl()
        total = head.height if head.height <= max_rows else shown.aggregate("count(*)").fetchall()[0][0]
        head = head.head(max_rows)
        if fmt == "line":
            _write_lines(head, out)
        else:
            _write_table(head, out)
        if total > head.height:
            out.write(f"({head.height} of {total:,} rows shown; --max-rows N shows more, "
                      "--format csv or json writes all)\n")


def _write_lines(df: pl.DataFrame, out) -> None:
    """One field per line, `name = value`, names right-aligned, a value's own line
    breaks indented under it; a blank line between rows."""
    if not df.columns:
        return
    width = max(len(c) for c in df.columns)
    indent = "\n" + " " * (width + 3)
    for k, row in enumerate(df.iter_rows()):
        if k:
            out.write("\n")
        for name, value in zip(df.columns, row):
            text = "NULL" if value is None else str(value)
            out.write(f"{name.rjust(width)} = {indent.join(text.splitlines()) or text}\n")


def _display_width(text: str) -> int:
    """Terminal columns of a text: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _column_width(s: pl.Series) -> int:
    """The width a column is given: its widest cell (of the rows shown) or its name or
    dtype, at most MAX_CELL_WIDTH (longer cells wrap), plus the separator."""
    cells = [_display_width(str(v)) for v in s.head(20).to_list() if v is not None]
    return min(max([len(s.name), len(str(s.dtype)), *cells]), MAX_CELL_WIDTH) + 3


def _write_table(df: pl.DataFrame, out) -> None:
    """A polars table as wide as the terminal (DEFAULT_WIDTH when not a terminal): cells
    wrap, and columns that cannot fit even so are left out, with a line that says so."""
    width = shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns if out.isatty() else DEFAULT_WIDTH
    n_cols, used = 0, 1
    for c in df.columns:
        used += _column_width(df[c])
        if used > width and n_cols:
            break
        n_cols += 1
    shown = df if n_cols == df.width else df.select(df.columns[:n_cols])
    with pl.Config(tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=STRING_CHARS, tbl_width_chars=width,
                   tbl_hide_dataframe_shape=True, fmt_table_cell_list_len=10):
        out.write(f"{shown}\n")
    if n_cols < df.width:
        rest = ", ".join(df.columns[n_cols:])
        out.write(f"({df.width - n_cols} more column(s) not shown: {rest}; select fewer columns "
                  "or use --format line)\n")
