"""transforms/runs.py: each run expression equals the `.over` window it replaces,
on frames whose groups are contiguous (as the transforms' frames are)."""
from __future__ import annotations

import polars as pl
from hypothesis import given, settings, strategies as st

from transforms.runs import (cum_sum_in_run, first_in_run, forward_fill_in_run, last_in_run, next_in_run,
                            prev_in_run, row_in_run)

groups = st.lists(st.tuples(st.sampled_from(["a", "b", "c", "d"]), st.integers(1, 3),
                            st.lists(st.integers(-5, 50), min_size=1, max_size=6)), max_size=12)


def frame(spec) -> pl.DataFrame:
    """Contiguous runs; a key may come back later in the frame as another run only
    when separated by another key (like two documents with the same first key)."""
    doc, sub, val, seen = [], [], [], set()
    for k, (d, s, values) in enumerate(spec):
        d = f"{d}{k}"  # each run its own group, as each document is
        seen.add(d)
        for v in values:
            doc.append(d)
            sub.append(s if v % 2 else s + 1)
            val.append(v)
    return pl.DataFrame({"doc": doc, "sub": sub, "v": val}, schema={"doc": pl.String, "sub": pl.Int32, "v": pl.Int64})


@settings(max_examples=200, deadline=None)
@given(groups)
def test_run_expressions_equal_their_windows(spec):
    df = frame(spec)
    got = df.select(
        prev=prev_in_run(pl.col("v"), "doc"), next=next_in_run(pl.col("v"), "doc"),
        cum=cum_sum_in_run(pl.col("v"), "doc"), row=row_in_run("doc", start=1),
        first=first_in_run("doc"), last=last_in_run("doc"),
        ffill=forward_fill_in_run(pl.when(pl.col("v") % 3 == 0).then(pl.col("v")), "doc"),
    )
    want = df.select(
        prev=pl.col("v").shift(1).over("doc"), next=pl.col("v").shift(-1).over("doc"),
        cum=pl.col("v").cum_sum().over("doc"), row=pl.int_range(1, pl.len() + 1).over("doc"),
        first=pl.int_range(pl.len()).over("doc") == 0, last=pl.int_range(pl.len()).over("doc") == pl.len().over("doc") - 1,
        ffill=pl.when(pl.col("v") % 3 == 0).then(pl.col("v")).forward_fill().over("doc"),
    )
    assert got.to_dicts() == want.to_dicts()


@settings(max_examples=200, deadline=None)
@given(groups)
def test_run_expressions_with_two_keys(spec):
    # sort so that (doc, sub) groups are contiguous
    df = frame(spec).with_row_index("i").sort("doc", "sub", "i", maintain_order=True)
    got = df.select(prev=prev_in_run(pl.col("v"), "doc", "sub"), cum=cum_sum_in_run(pl.col("v"), "doc", "sub"),
                    row=row_in_run("doc", "sub"))
    want = df.select(prev=pl.col("v").shift(1).over("doc", "sub"), cum=pl.col("v").cum_sum().over("doc", "sub"),
                     row=pl.int_range(pl.len()).over("doc", "sub"))
    assert got.to_dicts() == want.to_dicts()
