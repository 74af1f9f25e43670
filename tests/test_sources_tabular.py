"""CSV and Parquet exports as sources: one document per row, columns mapped like JSONL fields."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from sources.detect import detect_format
from sources.registry import read_file
from sources.tabular import read_csv, read_parquet

PROVINCIAL = Path(__file__).resolve().parents[1] / "data" / "corpus" / "provincial-work-reports-2026"
SHANGHAI = PROVINCIAL / "2026_上海市_政府工作报告.csv"


def test_the_28_provincial_reports_load_as_28_documents_with_date_title_and_province():
    docs = []
    for path in sorted(PROVINCIAL.glob("*.csv")):
        result = read_file(path)
        assert not result.rejects, result.rejects
        docs += result.docs
    assert len(docs) == 28
    assert all(d.source_format == "csv" and d.source_uri.endswith("#row-1") for d in docs)
    assert all(d.published_date and d.published_date.year == 2026 and d.date_source == "csv:publish_date" for d in docs)
    provinces = {json.loads(d.metadata)["province"] for d in docs}
    assert len(provinces) == 28 and "上海市" in provinces and "黑龙江省" in provinces
    shanghai = next(d for d in docs if "上海" in d.title)
    assert shanghai.title == "2026年上海市政府工作报告"
    assert shanghai.published_date == dt.date(2026, 2, 9)
    assert shanghai.url.startswith("https://")
    assert "各位代表:" in shanghai.text or "各位代表：" in shanghai.text
    # the BOM before the first column name does not hide it
    assert json.loads(shanghai.metadata) == {"province": "上海市", "year": "2026"}


def test_csv_is_detected_by_its_header_without_the_extension():
    data = SHANGHAI.read_bytes()
    assert detect_format(data, "") == "csv"
    assert detect_format(data, ".csv") == "csv"
    assert detect_format("各位代表：\n现在，我代表省人民政府，向大会报告工作。\n".encode(), "") == "text"


def test_a_malformed_row_is_a_reject_and_the_other_rows_load():
    data = ("province,title,publish_date,full_text\n"
            "北京市,北京市政府工作报告,2026-02-02,\"今年全市地区生产总值增长5%左右。\"\n"
            "天津市,天津市政府工作报告,2026-02-03\n"
            "河北省,,2026-01-30,\n"
            "吉林省,吉林省政府工作报告,2026-02-01,\"城镇新增就业22万人以上。\"\n").encode()
    result = read_csv(data, "reports.csv")
    assert [d.title for d in result.docs] == ["北京市政府工作报告", None, "吉林省政府工作报告"]
    assert [(r.source_uri, r.reason) for r in result.rejects] == [("reports.csv#row-2", "bad_row")]
    assert result.docs[1].flags == ["empty_body"]


def test_columns_are_named_with_fields_and_the_rest_kept_as_metadata():
    data = ("标题,发布时间,正文,栏目\n"
            "国务院常务会议,2025年3月21日,\"会议部署了下一步工作。\",要闻\n").encode()
    result = read_csv(data, "export.csv", fields={"text": "正文", "title": "标题", "date": "发布时间"})
    (doc,) = result.docs
    assert (doc.title, doc.published_date, doc.date_source) == ("国务院常务会议", dt.date(2025, 3, 21), "csv:发布时间")
    assert json.loads(doc.metadata) == {"栏目": "要闻"}
    # without the mapping there is no text column: the file is one reject
    assert [(r.source_uri, r.reason) for r in read_csv(data, "export.csv").rejects] == [("export.csv", "no_text")]


def test_an_exported_table_without_a_text_column_is_one_reject(tmp_path):
    path = tmp_path / "figures.parquet"
    pl.DataFrame({"doc_id": ["a"] * 3, "surface": ["5%", "6%", "7%"], "value": [5.0, 6.0, 7.0]}).write_parquet(path)
    result = read_file(path)
    assert (result.docs, [(r.source_uri, r.reason) for r in result.rejects]) == ([], [(str(path), "no_text")])


def test_parquet_rows_are_documents(tmp_path):
    path = tmp_path / "reports.parquet"
    pl.DataFrame({
        "title": ["2026年北京市政府工作报告", "2026年天津市政府工作报告"],
        "publish_date": [dt.date(2026, 2, 2), dt.date(2026, 2, 3)],
        "full_text": ["今年全市地区生产总值增长5%左右。", "城镇新增就业38万人。"],
        "province": ["北京市", "天津市"],
    }).write_parquet(path)
    result = read_file(path)
    assert not result.rejects
    assert [(d.title, d.published_date, d.source_format) for d in result.docs] == [
        ("2026年北京市政府工作报告", dt.date(2026, 2, 2), "parquet"),
        ("2026年天津市政府工作报告", dt.date(2026, 2, 3), "parquet")]
    assert json.loads(result.docs[1].metadata) == {"province": "天津市"}
    assert [r.reason for r in read_parquet(b"PAR1 not really", "x.parquet").rejects] == ["bad_parquet"]


@pytest.mark.prefect
def test_ingest_with_field_flags_loads_the_provincial_reports_with_metadata(tmp_path):
    from flows.cli import main

    db = tmp_path / "p.duckdb"
    assert main(["ingest", "--db", str(db), "--field", "text=full_text", "--field", "date=publish_date",
                 "--field", "title=title", str(PROVINCIAL)]) == 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.sql("select count(*), count(published_date), count(distinct json_extract_string(metadata, '$.province')) "
                       "from documents where source_format = 'csv'").fetchall()
    finally:
        con.close()
    assert rows == [(28, 28, 28)]
