"""Units as docs/ANNOTATION.md says, in every position: per-capita and per-unit
denominators, compound measure words, numbers split by an OCR line break."""
from __future__ import annotations

import pytest

from sources.base import raw_frame
from sources.text import read_text
from transforms.pipeline import transform_batch


def _units(text: str) -> list[tuple[str, float, str]]:
    b = transform_batch(raw_frame(read_text(text.encode(), "x.txt").docs))
    return b.tables["figures"].select("surface", "value", "unit").rows()


@pytest.mark.parametrize("text, expected", [
    # both numbers of a change keep the per-capita denominator
    ("全国居民人均可支配收入从27136元增长到36439元。", [("27136元", 27136.0, "元/人"), ("36439元", 36439.0, "元/人")]),
    ("户均存款10万元。", [("10万元", 100000.0, "元/户")]),
    ("每千人口医疗卫生机构床位6.9张。", [("6.9张", 6.9, "张/千人口")]),
    ("每千人口执业医师数由2.3人提高到3.4人。", [("2.3人", 2.3, "人/千人口"), ("3.4人", 3.4, "人/千人口")]),
    ("粮食亩产从800斤提高到1000斤。", [("800斤", 800.0, "斤/亩"), ("1000斤", 1000.0, "斤/亩")]),
    # compound measure words whole
    ("全年举办文化惠民活动3.3万场次。", [("3.3万场次", 33000.0, "场次")]),
    ("细颗粒物年均浓度控制在29微克/立方米左右。", [("29微克/立方米左右", 29.0, "微克/立方米")]),
    # a number cut by a line break after its decimal point, full-width as OCR gives it
    ("农村居民人均消费支出１９３８．\n５元。", [("1938.5元", 1938.5, "元/人")]),
])
def test_units_follow_the_annotation_guide(text, expected):
    assert _units(text) == expected


def test_a_change_without_a_denominator_gets_none():
    assert _units("地区生产总值从5000亿元增长到6000亿元。") == [("5000亿元", 5e11, "元"), ("6000亿元", 6e11, "元")]
