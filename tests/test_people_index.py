"""The people_index view: one row per person across documents, with the
organisations and titles seen, first and last dates and the document count. Same
name with overlapping organisations is one person; the same name in two
organisations that do not overlap is two."""
from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

from warehouse.db import migrate
from warehouse.load import load_batch


def _index(rows, dates):
    con = duckdb.connect()
    migrate(con)
    people = pl.DataFrame(rows, schema={"doc_id": pl.String, "name": pl.String, "role": pl.String,
                                         "organization": pl.String, "titles": pl.List(pl.String)},
                          orient="row").with_columns(pipeline_version=pl.lit("t"))
    docs = pl.DataFrame({"doc_id": list(dates), "published_date": list(dates.values())})
    con.register("d", docs)
    # documents rows with only what the view reads; other required columns get a blank
    cols = con.execute("SELECT column_name, is_nullable, data_type FROM information_schema.columns "
                       "WHERE table_name = 'documents'").fetchall()
    blank = lambda c, nullable, kind: c if c in ("doc_id", "published_date") else (  # noqa: E731
        "NULL" if nullable == "YES" else "''" if kind == "VARCHAR" else "now()" if "TIME" in kind else "0")
    con.execute(f"INSERT INTO documents ({', '.join(c for c, _, _ in cols)}) SELECT "
                + ", ".join(blank(*c) for c in cols) + " FROM d")
    con.register("people_rows", people)
    con.execute("INSERT INTO people SELECT * FROM people_rows")
    return con.sql("SELECT name, organization_key, organizations, titles, roles, first_date, last_date, "
                   "n_documents FROM people_index ORDER BY name, organization_key").fetchall()


D1, D2, D3 = dt.date(2024, 7, 13), dt.date(2024, 7, 19), dt.date(2025, 1, 5)


def test_same_name_with_overlapping_organisations_is_one_person():
    rows = _index([
        ("a", "朱冰", "official", "商务部外国投资管理司", ["司长"]),
        ("b", "朱冰", "official", "商务部", ["外资司司长"]),
        ("c", "朱冰", "official", None, []),
    ], {"a": D1, "b": D2, "c": D3})
    assert rows == [("朱冰", "商务部", ["商务部", "商务部外国投资管理司"], ["司长", "外资司司长"], ["official"],
                     D1, D3, 3)]


def test_same_name_in_two_unrelated_organisations_is_two_people():
    rows = _index([
        ("a", "王凯", "official", "河南省人民政府", ["省长"]),
        ("b", "王凯", "other", "某某大学", ["教授"]),
        ("c", "王凯", "official", "河南省人民政府", ["省长"]),
        ("d", "王凯", "author", None, ["本报记者"]),
    ], {"a": D1, "b": D2, "c": D3, "d": D3})
    assert [(r[0], r[1], r[7]) for r in rows] == [("王凯", "某某大学", 1), ("王凯", "河南省人民政府", 2), ("王凯", None, 1)]


def test_people_index_over_a_loaded_batch(tmp_path):
    from sources.base import raw_frame
    from sources.text import read_text
    from transforms.pipeline import transform_batch

    texts = {
        "a.txt": "政府工作报告\n\n——2026年1月25日在北京市第十六届人民代表大会第四次会议上\n\n北京市市长 殷勇\n\n各位代表:\n\n地区生产总值增长5.4%。",
        "b.txt": "北京市市长殷勇表示,今年将新建保障性住房5万套。",
    }
    docs = [d for uri, t in texts.items() for d in read_text(t.encode(), uri).docs]
    con = duckdb.connect()
    migrate(con)
    load_batch(con, transform_batch(raw_frame(docs)).tables)
    rows = con.sql("SELECT name, organization_key, titles, n_documents FROM people_index WHERE name = '殷勇'").fetchall()
    assert rows == [("殷勇", "北京市", ["市长"], 2)]
