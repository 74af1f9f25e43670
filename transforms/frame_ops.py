"""Helpers that run polars queries the way the speaker rules need: unoptimised
lazy chains, costly expressions on a subset of rows, paragraphs in text order."""
from __future__ import annotations

import polars as pl

from transforms.runs import first_in_run


def run(query: pl.LazyFrame) -> pl.DataFrame:
    """A chain of frame operations run as one query, as written (no optimisation: the
    same operations as the eager chain). Each eager operation is a query of its own,
    about 0.1 ms, which on a batch of a few hundred documents adds up to more than the work."""
    return query.collect(engine="in-memory", optimizations=pl.QueryOptFlags.none())


def run_on(frame: pl.DataFrame, query: pl.LazyFrame) -> pl.DataFrame:
    """run(query) for a query on `frame`; on an empty frame only the result's schema is
    worked out, since polars compiles a query's patterns even for no rows (about 1 ms each)."""
    if frame.is_empty():
        return pl.DataFrame(schema=query.collect_schema())
    return run(query)


def on_rows(frame: pl.DataFrame, rows: pl.Expr, **columns: pl.Expr) -> pl.DataFrame:
    """`frame` with `columns` computed only on the rows where `rows` holds, null on the
    others: a costly pattern runs only on the rows that can match it or whose value is
    used (gathered, then scattered back). The expressions must be row-wise (no window,
    shift or aggregation)."""
    idx = frame.select(pl.arg_where(rows)).to_series()
    part = frame[idx]
    part = run_on(part, part.lazy().select(**columns))
    return frame.with_columns(
        pl.repeat(None, frame.height, dtype=part.schema[c], eager=True).scatter(idx, part[c]).alias(c)
        for c in part.columns
    )


def in_text_order(paragraphs: pl.DataFrame) -> pl.DataFrame:
    """`paragraphs` sorted by doc_id, para_no. Where each document's rows come together
    and in para_no order (as segmenting gives them), sorting the documents' runs of rows
    by doc_id gives that order at a third of the cost of the two-key sort, used otherwise."""
    starts = first_in_run("doc_id")
    in_order = paragraphs.select(
        (starts | (pl.col("para_no") > pl.col("para_no").shift(1)).fill_null(False)).all()
        & (starts.sum() == pl.col("doc_id").n_unique())
    ).item()
    if not in_order:
        return paragraphs.sort("doc_id", "para_no")
    rows = run(
        paragraphs.lazy().with_row_index("start").filter(starts)
        .with_columns(end=pl.col("start").shift(-1).fill_null(paragraphs.height))
        .sort("doc_id")
        .select(row=pl.int_ranges("start", "end"))
        .explode("row")
    )
    return paragraphs[rows["row"]]
