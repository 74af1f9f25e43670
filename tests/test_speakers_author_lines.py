"""One-person reports and speeches: the deliverer named by the author lines gets the
whole text as one turn, every figure, and a `people` row with organisation and
title. Checked on the 28 provincial work reports of 2026 (their `full_text` column
read directly; each page writes its name line its own way: `北京市市长 殷勇`,
`省长　王予波`, `河南省人民政府省长 王凯`, `...会议上 陕西省省长 赵刚`, a bare `毛伟明`
with the caption `省长毛伟明作政府工作报告`), and on fragments."""
from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from sources.base import raw_frame
from sources.text import read_text
from transforms.pipeline import transform_batch

PROVINCIAL = Path(__file__).resolve().parents[1] / "data" / "corpus" / "provincial-work-reports-2026"

# Read off each report's name line (and, where the line names no organisation, the
# region whose people's congress heard it: `——2026年1月27日在吉林省第十四届...上`).
DELIVERERS = {
    "上海市": ("龚正", "上海市", ["市长"]),
    "云南省": ("王予波", "云南省", ["省长"]),
    "内蒙古自治区": ("包钢", "内蒙古自治区人民政府", ["主席"]),
    "北京市": ("殷勇", "北京市", ["市长"]),
    "吉林省": ("胡玉亭", "吉林省", ["省长"]),
    "天津市": ("张工", "天津市", ["市长"]),
    "宁夏回族自治区": ("张雨浦", "宁夏回族自治区人民政府", ["主席"]),
    "安徽省": ("王清宪", "安徽省人民政府", ["省长"]),
    "山东省": ("周乃翔", "山东省", ["省长"]),
    "山西省": ("卢东亮", "山西省", ["省长"]),
    "广西壮族自治区": ("韦韬", "广西壮族自治区", ["自治区主席"]),
    "新疆维吾尔自治区": ("艾尔肯·吐尼亚孜", "新疆维吾尔自治区", ["自治区主席"]),
    "江苏省": ("刘小涛", "江苏省", ["省长"]),
    "江西省": ("叶建春", "江西省", ["省长"]),
    "河南省": ("王凯", "河南省人民政府", ["省长"]),
    "浙江省": ("刘捷", "浙江省", ["省长"]),
    "海南省": ("刘小明", "海南省", ["省长"]),
    "湖北省": ("李殿勋", "湖北省人民政府", ["省长"]),
    "湖南省": ("毛伟明", "湖南省", ["省长"]),
    "甘肃省": ("任振鹤", "甘肃省", ["省长"]),
    "福建省": ("赵龙", "福建省人民政府", ["省长"]),
    "西藏自治区": ("嘎玛泽登", "西藏自治区", ["自治区主席"]),
    "贵州省": ("李炳军", "贵州省", ["省长"]),
    "辽宁省": ("王新伟", "辽宁省", ["省长"]),
    "重庆市": ("胡衡华", "重庆市人民政府", ["市长"]),
    "陕西省": ("赵刚", "陕西省", ["省长"]),
    "青海省": ("罗东川", "青海省", ["省长"]),
    "黑龙江省": ("梁惠玲", "黑龙江省", ["省长"]),
}


def _batch(texts: dict[str, str]):
    docs = []
    for uri, text in texts.items():
        docs += read_text(text.encode("utf-8"), uri).docs
    return transform_batch(raw_frame(docs)).tables


@pytest.fixture(scope="module")
def provincial():
    texts = {}
    for path in sorted(PROVINCIAL.glob("*.csv")):
        province = path.stem.split("_")[1]
        texts[province] = pl.read_csv(path)["full_text"][0]
    return _batch(texts)


def test_there_are_28_provincial_reports_in_the_table():
    assert sorted(p.stem.split("_")[1] for p in PROVINCIAL.glob("*.csv")) == sorted(DELIVERERS)


@pytest.mark.parametrize("province", sorted(DELIVERERS))
def test_provincial_report_is_one_turn_of_its_governor_with_every_figure(provincial, province):
    name, organization, titles = DELIVERERS[province]
    doc_id = provincial["documents"].filter(pl.col("source_uri") == province)["doc_id"].item()
    turns = provincial["turns"].filter(pl.col("doc_id") == doc_id)
    assert turns["speaker"].to_list() == [name]
    figures = provincial["figures"].filter(pl.col("doc_id") == doc_id)
    assert figures.height > 100
    assert figures["speaker"].to_list() == [name] * figures.height
    person = provincial["people"].filter((pl.col("doc_id") == doc_id) & (pl.col("name") == name)).to_dicts()
    assert [(p["role"], p["organization"], p["titles"]) for p in person] == [("official", organization, titles)]


def test_photo_credit_closing_a_caption_paragraph_is_a_photographer(provincial):
    people = provincial["people"].join(
        provincial["documents"].select("doc_id", "source_uri"), on="doc_id").filter(pl.col("role") == "photographer")
    got = {(p["source_uri"], p["name"], tuple(p["titles"])) for p in people.to_dicts()}
    # `殷勇同志作政府工作报告。本报记者 戴冰摄`, `省长叶建春作政府工作报告。本报全媒体记者 林 君摄`
    assert ("北京市", "戴冰", ("本报记者",)) in got
    assert ("江西省", "林君", ("本报全媒体记者",)) in got
    assert ("山西省", "阮洋", ("本报记者",)) in got


def test_name_line_with_ideographic_space_and_government_in_the_title():
    tables = _batch({"hebei": (
        "政府工作报告\n\n——2026年1月25日在河北省第十四届人民代表大会第四次会议上\n\n"
        "河北省人民政府省长\u3000王正谱\n\n各位代表:\n\n现在,我代表省人民政府向大会报告工作。"
        "全省生产总值增长5.5%。"
    )})
    assert tables["turns"]["speaker"].to_list() == ["王正谱"]
    assert tables["figures"]["speaker"].to_list() == ["王正谱"]
    assert tables["people"].select("name", "organization", "titles").to_dicts() == [
        {"name": "王正谱", "organization": "河北省人民政府", "titles": ["省长"]}]


def test_caption_names_the_deliverer_when_there_is_no_name_line():
    tables = _batch({"beijing": (
        "2026年北京市政府工作报告\n\n殷勇同志作政府工作报告。\n\n各位代表:\n\n"
        "现在,我代表北京市人民政府,向大会报告政府工作。地区生产总值增长5.4%。"
    )})
    assert tables["turns"]["speaker"].to_list() == ["殷勇"]
    assert tables["figures"]["speaker"].to_list() == ["殷勇"]


def test_news_report_about_a_work_report_is_not_the_governors_speech():
    # a report of the session, not the report itself: no greeting, no occasion line
    tables = _batch({"news": (
        "北京市十六届人大四次会议开幕\n\n本报讯 北京市第十六届人民代表大会第四次会议昨天上午开幕。"
        "市长殷勇作政府工作报告。\n\n会议期间,代表们将审查计划报告,全市地区生产总值增长5.4%。"
    )})
    assert tables["turns"].is_empty()
    assert tables["figures"]["speaker"].to_list() == [None]


def test_titled_name_line_above_the_greeting_is_the_speaker_of_the_statement():
    tables = _batch({"statement": (
        "天宫一号与神舟九号载人交会对接任务第二场新闻发布会\n\n2012年6月24日\n\n"
        "中国载人航天工程新闻发言人 武平\n\n女士们、先生们:\n\n很高兴又一次和大家见面。\n\n"
        "神舟九号飞船发射入轨后,经过4次变轨,成功实现了自动交会对接。"
    )})
    assert tables["turns"]["speaker"].to_list() == ["武平"]
    assert tables["people"].select("name", "titles").rows() == [("武平", ["新闻发言人"])]
