"""Window expressions over groups whose rows are contiguous (runs).

The frames of the transforms hold each document's rows together, in order (lines,
paragraphs, sentences are exploded from their document). A window such as
`pl.col("s").shift(1).over("doc_id")` hashes every key to find groups the frame
already keeps together; comparing each row's key with its neighbour's gives the same
answer 10-40x faster (measured on 160,000 lines: 75 ms -> 2 ms for a shift).

Use these only where the rows of a group are contiguous and in the wanted order;
the transforms' tests compare their output with the `.over` forms.
"""
from __future__ import annotations

import polars as pl


def _same(keys: tuple[str, ...], offset: int) -> pl.Expr:
    """True where the row `offset` away is in the same group (null at the frame's edge)."""
    same = None
    for k in keys:
        eq = pl.col(k) == pl.col(k).shift(offset)
        same = eq if same is None else same & eq
    return same


def first_in_run(*keys: str) -> pl.Expr:
    """True on the first row of each group."""
    return ~_same(keys, 1).fill_null(False)


def last_in_run(*keys: str) -> pl.Expr:
    """True on the last row of each group."""
    return ~_same(keys, -1).fill_null(False)


def prev_in_run(expr: pl.Expr, *keys: str) -> pl.Expr:
    """`expr.shift(1).over(keys)`: the previous row's value within the group, null on its first row."""
    return pl.when(_same(keys, 1)).then(expr.shift(1))


def next_in_run(expr: pl.Expr, *keys: str) -> pl.Expr:
    """`expr.shift(-1).over(keys)`: the next row's value within the group, null on its last row."""
    return pl.when(_same(keys, -1)).then(expr.shift(-1))


def cum_sum_in_run(expr: pl.Expr, *keys: str) -> pl.Expr:
    """`expr.cum_sum().over(keys)` for an expression without nulls."""
    total = expr.cum_sum()
    return total - pl.when(first_in_run(*keys)).then(total - expr).forward_fill()


def row_in_run(*keys: str, start: int = 0) -> pl.Expr:
    """`pl.int_range(start, pl.len() + start).over(keys)`: the row's position in its group."""
    i = pl.int_range(pl.len(), dtype=pl.Int64)
    return i - pl.when(first_in_run(*keys)).then(i).forward_fill() + start


def forward_fill_in_run(expr: pl.Expr, *keys: str) -> pl.Expr:
    """`expr.forward_fill().over(keys)`: the last non-null value so far within the group."""
    row = pl.int_range(pl.len(), dtype=pl.Int64)
    last_set = pl.when(expr.is_not_null()).then(row).forward_fill()
    run_start = pl.when(first_in_run(*keys)).then(row).forward_fill()
    return pl.when(last_set >= run_start).then(expr.forward_fill())
