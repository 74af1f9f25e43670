"""Speakers, turns and people on newspaper press-conference layouts beyond the
sample: the hand-annotated reports in tests/gold/ (speakers-*.json, texts in
tests/gold/docs/), scored with the project's evaluator functions, and the
layout rules they exercise on fragments. Without Prefect."""
from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from tests.test_speakers import frames
from transforms.speakers import attribute_speakers

DATA = Path(__file__).resolve().parents[1] / "data"
GOLD_DIR = Path(__file__).resolve().parent / "gold"
GOLD_FILES = sorted(GOLD_DIR.glob("speakers-*.json"))


def _evaluator():
    from warehouse import evaluate

    return evaluate


@pytest.fixture(scope="module")
def scored():
    """gold file stem -> (turn score, people score), through the text reader and transform_batch."""
    from tests.util import gold_documents

    ev = _evaluator()
    out = {}
    for stem, gold, doc, tables in gold_documents(GOLD_FILES, lambda gold: GOLD_DIR / "docs" / Path(gold["document"]).name):
        turns = tables["turns"].filter(pl.col("doc_id") == doc["doc_id"]).sort("turn_no")
        people = tables["people"].filter(pl.col("doc_id") == doc["doc_id"]).to_dicts()
        out[stem] = (ev.score_turns(turns["speaker"].to_list(), gold["turn_speakers"]),
                     ev.score_people(people, gold["people"]))
    return out


def test_there_are_five_press_conference_gold_files():
    assert len(GOLD_FILES) == 5


@pytest.mark.parametrize("stem", [f.stem for f in GOLD_FILES])
def test_gold_turn_speaker_sequence_is_exact(scored, stem):
    turns, _ = scored[stem]
    assert turns["exact"], turns


# people found / with right role / organisation / titles, as the evaluator scores them.
# The MOFCOM report's author is only in its dateline (`本报北京7月18日电(记者 周亮)`).
PEOPLE_REACHED = {
    "speakers-mofcom-briefing-2024-07-19": (1.0, 1.0, 1.0, 1.0),
    "speakers-nbs-press-conference-2024-07-16": (1.0, 1.0, 1.0, 1.0),
    "speakers-ndrc-press-conference-2024-07-19": (1.0, 1.0, 1.0, 1.0),
    "speakers-nea-interview-2024-07-22": (1.0, 1.0, 1.0, 1.0),
    "speakers-pboc-press-conference-2024-07-13": (1.0, 1.0, 1.0, 1.0),
}


@pytest.mark.parametrize("stem", sorted(PEOPLE_REACHED))
def test_gold_people_names_roles_organisations_and_titles(scored, stem):
    _, people = scored[stem]
    got = (people["found"], people["role"], people["org"], people["titles"])
    assert got == pytest.approx(PEOPLE_REACHED[stem]), people["details"]


# --- the layouts, on fragments of those reports -------------------------------

def test_label_with_a_title_chain_and_dun_comma_is_the_named_official():
    paragraphs, documents = frames([
        "国家发展改革委副秘书长、新闻发言人袁达:今年以来,经济运行总体平稳、稳中有进。",
        "问:下一步在扩大有效投资方面有哪些考虑?",
        "袁达:今年超长期特别国债1万亿元,已全部下达项目清单。",
    ])
    _, turns, people = attribute_speakers(paragraphs, documents)
    assert turns["speaker"].to_list() == ["袁达", "记者", "袁达"]
    assert people.select("name", "role", "organization", "titles").rows() == [
        ("袁达", "official", "国家发展改革委", ["副秘书长", "新闻发言人"])]


def test_da_answers_belong_to_the_one_person_introduced_before_the_questions():
    paragraphs, documents = frames([
        "加快建设新型能源体系",
        "——访国家能源局党组成员、副局长 张建平",
        "近日,记者就能源安全保供和绿色低碳转型等问题专访了国家能源局党组成员、副局长张建平。",
        "问:今年以来我国能源供应保障情况如何?",
        "答:今年以来,全国能源供应总体平稳有序。",
    ], headings={1, 2})
    _, turns, people = attribute_speakers(paragraphs, documents)
    assert turns.select("speaker", "speaker_role").rows() == [("记者", "reporter"), ("张建平", "official")]
    # the organisation starts after the clause's verb (`专访了`, `——访`)
    assert people.select("name", "organization", "titles").rows() == [("张建平", "国家能源局", ["党组成员", "副局长"])]


def test_da_without_one_introduced_person_has_no_invented_speaker():
    paragraphs, documents = frames([
        "国家统计局副局长盛来运和国家统计局新闻发言人付凌晖出席发布会。",
        "问:如何看待当前消费形势?",
        "答:上半年社会消费品零售总额同比增长3.7%。",
    ])
    _, turns, _ = attribute_speakers(paragraphs, documents)
    assert turns["speaker"].to_list() == ["记者", None]


def test_researchers_quoted_in_a_report_are_other_and_officials_stay_official():
    paragraphs, documents = frames([
        "商务部新闻发言人何亚东在18日举行的例行新闻发布会上表示,上半年全国新设立外商投资企业26870家。",
        "商务部国际贸易经济合作研究院研究员周密认为,外资企业在华投资意愿总体稳定。",
        "中国国际经济交流中心首席研究员张燕生表示,要进一步优化营商环境。",
        "商务部外国投资管理司司长朱冰此前表示,将持续打造“投资中国”品牌。",
    ])
    out, turns, people = attribute_speakers(paragraphs, documents)
    assert turns.is_empty()
    assert out["speaker"].to_list() == ["何亚东", "周密", "张燕生", "朱冰"]
    assert out["speaker_role"].to_list() == ["official", "other", "other", "official"]
    got = {r["name"]: (r["role"], r["organization"], r["titles"]) for r in people.to_dicts()}
    assert got == {
        "何亚东": ("official", "商务部", ["新闻发言人"]),
        "周密": ("other", "商务部国际贸易经济合作研究院", ["研究员"]),
        "张燕生": ("other", "中国国际经济交流中心", ["首席研究员"]),
        "朱冰": ("official", "商务部外国投资管理司", ["司长"]),
    }


def test_foreign_speakers_role_follows_their_title():
    # xinwen-lianbo 2025-04-06 and 2023-05-23
    paragraphs, documents = frames([
        "美国马里兰大学国际和安全研究中心研究员克莱·拉姆齐表示,美国企图用加征关税等做法迫使其贸易伙伴作出让步。",
        "欧盟数据保护委员会主席安德烈娅·耶利内克表示,“元”公司的违规程度“非常严重”。",
    ])
    out, _, people = attribute_speakers(paragraphs, documents)
    assert out["speaker"].to_list() == ["克莱·拉姆齐", "安德烈娅·耶利内克"]
    assert sorted(people.select("name", "role", "organization", "titles").rows()) == [
        ("克莱·拉姆齐", "other", "美国马里兰大学国际和安全研究中心", ["研究员"]),
        ("安德烈娅·耶利内克", "official", "欧盟数据保护委员会", ["主席"]),
    ]


def test_surname_and_title_resolve_to_the_introduced_full_name():
    paragraphs, documents = frames([
        "第三届全国人民代表大会第一次会议在北京开幕,国务院总理周恩来作政府工作报告。",
        "周总理说,几年以前,我国的国民经济曾经遇到了严重的困难。",
        "他说,调整国民经济的任务已经基本完成。",
    ])
    out, _, people = attribute_speakers(paragraphs, documents)
    assert out["speaker"].to_list() == [None, "周恩来", "周恩来"]
    assert people.select("name", "organization", "titles").rows() == [("周恩来", "国务院", ["总理"])]


def test_surname_and_title_the_document_never_resolves_stay_unattributed():
    # 1964 work report summary: `周总理说` and the text never names 周恩来
    paragraphs, documents = frames(["周总理说,几年以前,我国的国民经济在取得巨大发展的同时,曾经遇到了严重的困难。"])
    out, _, people = attribute_speakers(paragraphs, documents)
    assert out["speaker"].to_list() == [None] and people.is_empty()


def test_next_introduction_keeps_its_front_after_a_name():
    # xinwen-lianbo 2026-02-05: `...国家主席习近平复信老挝人民革命党中央总书记、国家主席通伦`
    paragraphs, documents = frames([
        "2月5日,中共中央总书记、国家主席习近平复信老挝人民革命党中央总书记、国家主席通伦,共同宣布有关事项。",
        "通伦表示,老方愿同中方一道努力。",
    ])
    _, _, people = attribute_speakers(paragraphs, documents)
    assert people.filter(pl.col("name") == "通伦")["organization"].to_list() == ["老挝人民革命党中央"]


def test_introduction_naming_an_organisation_wins_over_an_earlier_bare_title():
    paragraphs, documents = frames([
        "新闻发言人盛来运:上半年国民经济运行总体平稳",
        "国家统计局副局长、新闻发言人盛来运介绍上半年国民经济运行情况。",
        "盛来运表示,经济运行延续恢复向好态势。",
    ], headings={1})
    _, _, people = attribute_speakers(paragraphs, documents)
    assert people.select("name", "organization", "titles").rows() == [
        ("盛来运", "国家统计局", ["副局长", "新闻发言人"])]


def test_photo_credit_title_is_the_outlets_reporter():
    paragraphs, documents = frames(["盛来运:上半年国内生产总值同比增长5.0%。"], event_speaker="盛来运",
                                   layout_lines=["新华社记者 李贺摄", "(新华社记者 郭晨 摄)", "张鹏摄"])
    _, _, people = attribute_speakers(paragraphs, documents)
    got = {r["name"]: (r["role"], r["titles"]) for r in people.to_dicts()}
    assert got == {"盛来运": ("official", []), "李贺": ("photographer", ["新华社记者"]),
                   "郭晨": ("photographer", ["新华社记者"]), "张鹏": ("photographer", [])}


def test_a_caption_marker_is_not_part_of_the_photographers_title():
    paragraphs, documents = frames(["盛来运:上半年国内生产总值同比增长5.0%。"], event_speaker="盛来运",
                                   layout_lines=["▲广州日报全媒体图片记者 李妍 摄", "■ 本报记者 王五 摄"])
    _, _, people = attribute_speakers(paragraphs, documents)
    got = {r["name"]: (r["role"], r["titles"]) for r in people.to_dicts()}
    assert got["李妍"] == ("photographer", ["广州日报全媒体图片记者"])
    assert got["王五"] == ("photographer", ["本报记者"])


@pytest.mark.parametrize("sentence", ["在今年进博会期间,拼多多全球购相关负责人宣布,未来3年内将引入1万个品牌。",
                                      "BBC援引城市规划学者的话说,中国许多公园的位置很好。"])
def test_a_verb_after_a_title_is_no_name(sentence):
    paragraphs, documents = frames([sentence])
    _, _, people = attribute_speakers(paragraphs, documents)
    assert not set(people["name"].to_list()) & {"宣布", "的话"}


@pytest.mark.parametrize("title, answerer", [
    ("商务部新闻发言人何亚东答记者问", "何亚东"),
    ("2024年3月26日外交部发言人林剑主持例行记者会", "林剑"),
    ("外交部发言人就日本福岛核污染水排海答记者问", None),
])
def test_event_speaker_from_a_title_answers_da(title, answerer):
    paragraphs, documents = frames(["问:中方对此有何评论?", "答:我们注意到有关报道。"], title=title)
    _, turns, _ = attribute_speakers(paragraphs, documents)
    assert turns["speaker"].to_list() == ["记者", answerer]


@pytest.mark.parametrize("org, named", [
    ("闭幕式由中国地理学会人文地理专业委员会", "中国地理学会人文地理专业委员会"), ("听取了财政部", "财政部"),
    ("中国(上海)自由贸易试验区管委会", "中国(上海)自由贸易试验区管委会"), ("该院", None), ("我院", None),
    ("国家统计局", "国家统计局"), ("该院急诊科", "该院急诊科")])
def test_an_organisation_is_named_without_the_clause_before_it_or_an_anaphor(org, named):
    from transforms.people import organization_as_named

    got = pl.DataFrame({"o": [org]}).select(o=organization_as_named(pl.col("o")))["o"][0]
    assert got == named


def test_an_outlet_heading_a_round_up_of_foreign_coverage_is_not_a_reporter_turn():
    paragraphs, documents = frames([
        "长江网10月4日讯 国庆中秋长假过半,外媒关注武汉的热情不减。",
        "美国《纽约时报》网站在10月1日发表题为《中国启动黄金周》的报道。",
        "阿根廷布宜诺斯艾利斯经济新闻网:",
        "报道称,武汉的游客人数超过了100万人次。",
    ])
    paragraphs, turns, _ = attribute_speakers(paragraphs, documents)
    assert turns.height == 0 and paragraphs["turn_no"].is_null().all()


def test_an_outlet_label_is_a_reporter_where_someone_answers():
    paragraphs, documents = frames([
        "彭博社:据报道,美方将加征关税。中方如何回应?",
        "答:我们已多次阐明立场。",
    ], event_speaker="毛宁")
    _, turns, _ = attribute_speakers(paragraphs, documents)
    assert turns["speaker"].to_list() == ["记者", "毛宁"]
