"""Speakers, turns and people (transforms.speakers), without Prefect."""
from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest

from transforms.speakers import attribute_speakers

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLE = Path(__file__).resolve().parents[1] / "sources" / "samples" / "miit-press-conference-2024-07-05.txt"
GOLD = json.loads((DATA / "gold" / "miit-press-conference-2024-07-05.json").read_text(encoding="utf-8"))

# A turn speaker is a person name (2-4 CJK characters, or foreign with `·`), `记者` or `主持人`.
PERSON_OR_ROLE = re.compile(r"^(?:[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]+·[\u4e00-\u9fff·]+|记者|主持人)$")


def frames(paragraph_texts, *, doc_id="d1", headings=(), title=None, event_speaker=None, byline=None,
           layout_lines=()):
    """Hand-built paragraphs/documents frames as the clean/segment stages make them."""
    texts = [t.replace("：", ":").replace("，", ",") for t in paragraph_texts]
    paragraphs = pl.DataFrame({
        "doc_id": [doc_id] * len(texts),
        "para_no": list(range(1, len(texts) + 1)),
        "section_no": [1] * len(texts),
        "is_heading": [i + 1 in headings for i in range(len(texts))],
        "text": texts,
        "char_start": [0] * len(texts),
        "char_end": [0] * len(texts),
    }, schema_overrides={"para_no": pl.Int32, "section_no": pl.Int32})
    documents = pl.DataFrame({
        "doc_id": [doc_id], "clean_text": ["\n\n".join(texts)], "title": [title],
        "source_format": ["text"], "event_speaker": [event_speaker], "byline": [byline],
        "layout_lines": [list(layout_lines)], "published_date": [None],
    }, schema_overrides={"title": pl.String, "event_speaker": pl.String, "byline": pl.String,
                         "layout_lines": pl.List(pl.String), "published_date": pl.Date})
    return paragraphs, documents


def sample_frames():
    """The sample split on blank lines (`## ` lines and short unpunctuated lines are headings);
    the byline and the photo credit go to the documents frame as cleaning does."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", SAMPLE.read_text(encoding="utf-8")) if b.strip()]
    texts, headings, layout, byline = [], set(), [], None
    for b in blocks:
        if b.endswith("摄") and len(b) <= 6:
            layout.append(b)
            continue
        if b.startswith("本报记者"):
            byline = b
            continue
        text = re.sub(r"\s*\n\s*", "", b.removeprefix("## "))
        if b.startswith("## ") or (len(text) < 30 and not re.search(r"[。:：,，]", text)):
            headings.add(len(texts) + 1)
        texts.append(text)
    return frames(texts, headings=headings, byline=byline, layout_lines=layout + ["(下转第5版)"])


def test_sample_has_the_fourteen_gold_turns_in_order():
    paragraphs, documents = sample_frames()
    _, turns, _ = attribute_speakers(paragraphs, documents)
    assert turns["speaker"].to_list() == GOLD["turn_speakers"]
    assert turns["turn_no"].to_list() == list(range(1, 15))
    roles = dict(zip(turns["speaker"], turns["speaker_role"]))
    assert roles == {"记者": "reporter", "金壮龙": "official", "辛国斌": "official", "赵志国": "official"}


def test_sample_people_have_gold_roles_organisations_and_titles():
    paragraphs, documents = sample_frames()
    _, _, people = attribute_speakers(paragraphs, documents)
    got = {r["name"]: (r["role"], r["organization"], r["titles"]) for r in people.to_dicts()}
    want = {p["name"]: (p["role"], p["organization"], p["titles"]) for p in GOLD["people"]}
    assert got == want


def test_headings_are_never_labels_and_stay_outside_turns():
    paragraphs, documents = sample_frames()
    out, _, _ = attribute_speakers(paragraphs, documents)
    heading = out.filter(pl.col("text") == "工信部:把高质量发展要求贯穿到新型工业化全过程")
    assert heading["is_heading"].to_list() == [True]
    assert heading["turn_no"].to_list() == [None]
    assert heading["speaker"].to_list() == [None]


# --- unit behaviour on real fragments ---------------------------------------

def test_colon_inside_a_sentence_is_not_a_label():
    paragraphs, documents = frames([
        "记者:请问下一步信息通信业发展的重点在哪些方面?",
        "赵志国:近几年我国信息通信业发展比较迅速,主要有几个方面:",
        "具体来说:就是要坚持服务和帮扶并重,发展和帮扶并举。",
        "主要有几个方面:建成了全球领先的信息通信网络。",
    ], event_speaker="赵志国")
    out, turns, _ = attribute_speakers(paragraphs, documents)
    assert turns["speaker"].to_list() == ["记者", "赵志国"]
    assert out["speaker"].to_list() == ["记者", "赵志国", "赵志国", "赵志国"]


def test_bare_name_label_needs_evidence():
    # `原煤:` items of a list repeat, but no dialogue: not speakers (1955 work report).
    paragraphs, documents = frames([
        "原煤:一九五七年产量达到一亿一千万吨。", "水泥:六百万吨。",
        "原煤:比一九五二年增长百分之七十。", "水泥:增长一倍多。",
    ])
    _, turns, people = attribute_speakers(paragraphs, documents)
    assert turns.is_empty() and people.is_empty()


def test_reporter_labels_carry_their_outlet():
    paragraphs, documents = frames([
        "路透社记者:外交部对此有何回应?", "林剑:我们注意到有关报道。",
        "《环球时报》记者:中方对此有何评论?", "林剑:中方坚决反对。",
        "中央广播电视总台央视记者:能否介绍有关情况?", "林剑:好的。",
        "彭博社:中方能否确认?", "林剑:我没有可以提供的信息。",
        "追问:你刚才说克里会与解振华举行会谈,对吗?", "林剑:对。",
    ], event_speaker="林剑")
    _, turns, people = attribute_speakers(paragraphs, documents)
    questions = turns.filter(pl.col("speaker_role") == "reporter")
    assert questions["speaker"].unique().to_list() == ["记者"]
    assert questions["outlet"].to_list() == ["路透社", "环球时报", "中央广播电视总台央视", "彭博社", None]
    assert "记者" not in people["name"].to_list()


def test_opening_remarks_and_da_answers_belong_to_the_event_speaker():
    paragraphs, documents = frames([
        "应中共中央政治局委员、外交部长王毅邀请,哈萨克斯坦副总理兼外长努尔特列乌将对中国进行正式访问。",
        "法新社记者:请问中方对此有何评论?",
        "答:固守冷战思维和零和博弈,不受欢迎,也不具建设性。",
        "中美都是世界大国。",
    ], title="2022年10月13日外交部发言人毛宁主持例行记者会", event_speaker="毛宁")
    out, turns, _ = attribute_speakers(paragraphs, documents)
    assert turns.select("speaker", "speaker_role", "label").rows() == [
        ("毛宁", "official", None), ("记者", "reporter", "法新社记者"), ("毛宁", "official", "答")]
    assert out["turn_no"].to_list() == [1, 2, 3, 3]


def test_unlabelled_answer_after_a_question_is_the_spokespersons():
    # MFA file 768: the answer to 彭博社 has no `汪文斌:` label.
    paragraphs, documents = frames([
        "彭博社记者:《金融时报》称,美日在联合军演中开展“兵棋推演”。外交部对此有何评论?",
        "我们注意到有关报道。台湾是中国领土不可分割的一部分。",
        "总台央广记者:你能否介绍“春苗行动”的最新进展?",
        "汪文斌:新冠肺炎疫情发生以来,中国政府始终牵挂着每位海外中国公民。",
    ], event_speaker="汪文斌")
    _, turns, _ = attribute_speakers(paragraphs, documents)
    assert turns["speaker"].to_list() == ["记者", "汪文斌", "记者", "汪文斌"]


def test_label_alone_in_its_paragraph_and_full_width_colon():
    paragraphs, documents = frames([
        "主持人 寿小丽：",
        "女士们、先生们,大家上午好。今天我们请来工业和信息化部部长金壮龙介绍有关情况。",
        "记者：",
        "请问工业经济形势如何?",
        "金壮龙：工业经济运行实现了良好开局。",
    ], event_speaker=None)
    # frames() folds colons as cleaning does; put one full-width colon back
    paragraphs = paragraphs.with_columns(text=pl.col("text").str.replace(r"^记者:$", "记者："))
    _, turns, _ = attribute_speakers(paragraphs, documents)
    assert turns.select("speaker", "speaker_role", "para_start", "para_end").rows() == [
        ("寿小丽", "host", 1, 2), ("记者", "reporter", 3, 4), ("金壮龙", "official", 5, 5)]


def test_reported_speech_is_attributed_without_a_turn():
    paragraphs, documents = frames([
        "国家统计局今天发布数据。",
        "国家统计局新闻发言人付凌晖表示,上半年国民经济运行总体平稳。",
        "他说,下阶段要加大宏观政策实施力度。",
        "数据显示,6月份社会消费品零售总额增长2%。",
    ])
    out, turns, people = attribute_speakers(paragraphs, documents)
    assert turns.is_empty()
    assert out["speaker"].to_list() == [None, "付凌晖", "付凌晖", None]
    assert out["turn_no"].to_list() == [None] * 4
    assert people.rows() == [("d1", "付凌晖", "official", "国家统计局", ["新闻发言人"])]


def test_speech_with_occasion_line_is_one_turn_of_its_deliverer():
    paragraphs, documents = frames([
        "政府工作报告",
        "——2024年3月5日在第十四届全国人民代表大会第二次会议上",
        "国务院总理 李 强",
        "各位代表:",
        "现在,我代表国务院,向大会报告政府工作,请予审议。",
        "今年发展主要预期目标是:国内生产总值增长5%左右。",
    ], headings={1})
    out, turns, people = attribute_speakers(paragraphs, documents)
    assert turns.select("speaker", "speaker_role", "para_start", "para_end").rows() == [("李强", "official", 4, 6)]
    assert people.rows() == [("d1", "李强", "official", "国务院", ["总理"])]


# --- through the real readers and transforms.pipeline.transform_batch -------

CORPUS = DATA / "corpus"


def _batch(docs):
    from sources.base import raw_frame
    from transforms.pipeline import transform_batch

    return transform_batch(raw_frame(docs)).tables


@pytest.fixture(scope="module")
def sample_tables():
    from sources.text import read_text

    return _batch(read_text(SAMPLE.read_bytes(), str(SAMPLE)).docs)


@pytest.fixture(scope="module")
def mfa_tables():
    from sources.html import read_html

    docs = []
    for f in sorted((CORPUS / "mfa-presscon").iterdir()):
        if f.name.isdigit():
            docs += read_html(f.read_bytes(), str(f)).docs
    return _batch(docs)


@pytest.fixture(scope="module")
def report_tables():
    from sources.jsonl import read_jsonl

    docs = []
    for name in ("government_work_reports.jsonl", "cpc_congress_reports.jsonl"):
        f = CORPUS / "gov-work-reports" / name
        docs += read_jsonl(f.read_bytes(), str(f)).docs
    return _batch(docs)


@pytest.fixture(scope="module")
def digest_tables():
    from sources.digest import read_digest

    docs = []
    for f in sorted((CORPUS / "xinwen-lianbo").glob("*.md")):
        docs += read_digest(f.read_bytes(), str(f)).docs
    return _batch(docs)


def _mfa_spokespersons() -> dict[str, str]:
    """file -> spokesperson from the table in SOURCE.md (`—` for single-topic pages)."""
    rows = re.findall(r"^\| (\d+) \| [0-9-]+ \| (\S+) \|", (CORPUS / "mfa-presscon" / "SOURCE.md").read_text(
        encoding="utf-8"), flags=re.MULTILINE)
    return dict(rows)


def test_pipeline_sample_turns_and_people_match_gold(sample_tables):
    assert sample_tables["turns"]["speaker"].to_list() == GOLD["turn_speakers"]
    people = {r["name"]: (r["role"], r["organization"], r["titles"]) for r in sample_tables["people"].to_dicts()}
    assert people == {p["name"]: (p["role"], p["organization"], p["titles"]) for p in GOLD["people"]}


def test_every_mfa_press_conference_answer_is_its_spokesperson(mfa_tables):
    spokespersons = _mfa_spokespersons()
    assert len(spokespersons) == 87
    turns = mfa_tables["turns"].join(
        mfa_tables["documents"].select("doc_id", file=pl.col("source_uri").str.extract(r"([0-9]+)$")), on="doc_id")
    regular = {f: s for f, s in spokespersons.items() if s != "—"}
    for file, spokesperson in regular.items():
        answers = turns.filter((pl.col("file") == file) & (pl.col("speaker_role") == "official"))
        assert answers.height > 0, file
        assert answers["speaker"].unique().to_list() == [spokesperson], file
    # file 423 labels its answers `答:`
    da = turns.filter((pl.col("file") == "423") & (pl.col("label") == "答"))
    assert da.height == 9 and da["speaker"].unique().to_list() == ["毛宁"]


def test_every_mfa_question_is_a_reporter_with_the_labelled_outlet(mfa_tables):
    questions = mfa_tables["turns"].filter(pl.col("speaker_role") == "reporter")
    assert questions.height > 800
    assert questions["speaker"].unique().to_list() == ["记者"]
    labelled = questions.filter(pl.col("label").str.contains(r"^.+记者$") & (pl.col("label") != "记者"))
    assert labelled.filter(pl.col("outlet").is_null()).is_empty()
    outlets = dict(zip(labelled["label"], labelled["outlet"]))
    assert outlets["路透社记者"] == "路透社"
    assert outlets["《环球时报》记者"] == "环球时报"
    assert outlets["总台央视记者"] == "总台央视"
    # nothing that asks is left as an official's turn
    assert mfa_tables["turns"].filter(
        (pl.col("speaker_role") == "official") & pl.col("label").str.contains("记者|问$")).is_empty()


@pytest.mark.parametrize("year, premier", [
    ("2024", "李强"), ("2023", "李克强"), ("2022", "李克强"), ("2021", "李克强"), ("2017", "李克强"),
])
def test_work_report_that_names_its_premier_is_one_turn_of_his(report_tables, year, premier):
    docs = report_tables["documents"].filter(pl.col("title") == f"{year}年中华人民共和国国务院政府工作报告")
    assert docs.height == 1
    turns = report_tables["turns"].join(docs.select("doc_id"), on="doc_id")
    assert turns.select("speaker", "speaker_role").rows() == [(premier, "official")]
    person = report_tables["people"].join(docs.select("doc_id"), on="doc_id").filter(pl.col("name") == premier)
    assert person.select("organization", "titles").rows() == [("国务院", ["总理"])]
    # the single turn covers the body: every figure in it has a speaker
    figures = report_tables["figures"].join(docs.select("doc_id"), on="doc_id")
    assert figures.height > 30 and figures["speaker"].null_count() == 0


def test_work_reports_that_do_not_name_the_premier_get_no_invented_speaker(report_tables):
    # 2019, 2008 and 1998 open with `各位代表:`; the text never names the premier.
    titles = [f"{y}年中华人民共和国国务院政府工作报告" for y in ("2019", "2008", "1998")]
    docs = report_tables["documents"].filter(pl.col("title").is_in(titles))
    assert docs.height == 3
    assert report_tables["turns"].join(docs.select("doc_id"), on="doc_id").is_empty()


def test_party_congress_reports_are_turns_of_their_deliverers(report_tables):
    turns = report_tables["turns"].join(report_tables["documents"].select("doc_id", "title"), on="doc_id")
    by_title = {t: s for t, s in zip(turns["title"], turns["speaker"])}
    assert by_title["陈独秀在中国共产党第三次全国代表大会上的报告"] == "陈独秀"
    assert [s for t, s in by_title.items() if t.startswith("决胜全面建成小康社会")] == ["习近平"]


def test_news_reported_speech_names_the_speaker_and_invents_no_turn(digest_tables):
    paras = digest_tables["paragraphs"]
    reported = paras.filter(pl.col("speaker").is_not_null())
    assert reported["turn_no"].null_count() == reported.height
    assert reported.height > 200
    xi = reported.filter(pl.col("text").str.starts_with("习近平指出"))
    assert xi.height > 5 and xi["speaker"].unique().to_list() == ["习近平"]
    # names: Chinese (2-4), transliterated without `·` (`内塔尼亚胡`, `加里巴巴迪`) or with it
    assert reported["speaker"].str.contains(r"^(?:[\u4e00-\u9fff]{2,6}|[\u4e00-\u9fff]+·[\u4e00-\u9fff·]+)$").all()


def test_all_turn_speakers_across_the_corpus_are_names_reporters_or_hosts(
        sample_tables, mfa_tables, report_tables, digest_tables):
    speakers = pl.concat([t["turns"].select("speaker", "speaker_role")
                          for t in (sample_tables, mfa_tables, report_tables, digest_tables)])
    named = speakers.drop_nulls("speaker")
    bad = [s for s in named["speaker"].unique().to_list() if not PERSON_OR_ROLE.match(s)]
    assert bad == []
    # an unnamed answer (`答:` on a single-topic page without a named spokesperson) has no speaker, never a word
    assert speakers.filter(pl.col("speaker").is_null())["speaker_role"].unique().to_list() == ["official"]
    assert named.height > 1800
