"""Jurisdiction: whose economy a document's figures and targets are about.

`national` for the central government's texts, the province's full name for a
province's (`上海市`, `广西壮族自治区`), null when neither can be told. Read, in
order: a province named in the title (`2026年上海市政府工作报告`); a national
marker in the title (`中华人民共和国国务院政府工作报告`, `全国人民代表大会`); a province
named in the opening lines as the body that meets or speaks (`在云南省第十四届人民代表大会
第五次会议上`, `云南省人民政府省长`), for a report or bulletin whose title says only
`2026年政府工作报告` (or a document without title); a national marker in the opening lines
(`我代表国务院`). A central ministry's press conference (`外交部发言人...`) is national.
A document about one province but titled otherwise (a news item) stays null rather
than be taken for national figures.
"""
from __future__ import annotations

import polars as pl

NATIONAL = "national"
PROVINCES = [
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省",
    "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区",
    "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省",
    "宁夏回族自治区", "新疆维吾尔自治区",
]
# the central government or the whole country as author: 国务院, 全国人民代表大会, 中共中央
# (and the central ministries that speak for it: 外交部发言人...主持例行记者会)
NATIONAL_MARKERS = (r"中华人民共和国|国务院|全国人民代表大会|全国人大|中共中央|中国共产党第|全国代表大会|中央人民政府"
                    r"|外交部|国家统计局|国家发展改革委|国家发展和改革委员会|财政部")
# titles of the reports whose opening lines may name their province (`2026年政府工作报告`); a news
# item's opening lines name provinces as hosts or places (`...论坛由广东省人民政府主办`)
REPORT_TITLE = r"报告|公报"
# a province as the body that meets or speaks, in a report's opening lines
PROVINCE_AS_BODY = rf"({'|'.join(PROVINCES)})(?:第[一二三四五六七八九十]+届人民代表大会|人民政府|人民代表大会)"
# how far into the text the opening lines reach (the `——...在...会议上` line comes early)
OPENING_CHARS = 400


def with_jurisdiction(documents: pl.DataFrame) -> pl.DataFrame:
    """documents (title, clean_text) -> the same rows with `jurisdiction`."""
    title = pl.col("title").fill_null("")
    head = pl.col("clean_text").str.slice(0, OPENING_CHARS)
    province = f"({'|'.join(PROVINCES)})"
    return documents.with_columns(jurisdiction=pl.coalesce(
        title.str.extract(province, 1),
        pl.when(title.str.contains(NATIONAL_MARKERS)).then(pl.lit(NATIONAL)),
        pl.when(title.str.contains(REPORT_TITLE) | (title == "")).then(head.str.extract(PROVINCE_AS_BODY, 1)),
        pl.when(head.str.contains(NATIONAL_MARKERS)).then(pl.lit(NATIONAL)),
    ))
