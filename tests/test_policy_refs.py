"""Policy references: units on hand-built sentences, the sample against gold, no outlet in the corpus,
and the policy_documents view."""
from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from sources.base import raw_frame
from sources.text import read_text
from tests.corpus_batches import all_corpus_text
from transforms.pipeline import transform_batch
from transforms.policy_refs import policy_refs_from_sentences
from warehouse.db import migrate
from warehouse.load import load_batch

SAMPLE = Path(__file__).resolve().parents[1] / "sources" / "samples" / "miit-press-conference-2024-07-05.txt"


def sentences(*texts: str, speaker: str | None = None) -> pl.DataFrame:
    starts = [sum(len(t) for t in texts[:i]) for i in range(len(texts))]
    return pl.DataFrame(
        {"doc_id": ["d"] * len(texts), "sent_no": list(range(1, len(texts) + 1)), "turn_no": [None] * len(texts),
         "speaker": [speaker] * len(texts), "text": list(texts), "char_start": starts,
         "char_end": [s + len(t) for s, t in zip(starts, texts)]},
        schema={"doc_id": pl.String, "sent_no": pl.Int32, "turn_no": pl.Int32, "speaker": pl.String,
                "text": pl.String, "char_start": pl.Int32, "char_end": pl.Int32},
    )


def test_span_includes_the_book_title_marks_and_title_excludes_them_and_spaces():
    text = "要认真实施《 信访条例 》,加强和改进信访工作。"
    r = policy_refs_from_sentences(sentences(text))
    assert r["title"].to_list() == ["信访条例"]
    assert text[r["char_start"][0]:r["char_end"][0]] == "《 信访条例 》"


def test_two_titles_back_to_back_and_a_repeat_are_three_rows():
    text = ("先后印发了《关于加快传统制造业转型升级的指导意见》《推动工业领域设备更新实施方案》。"
            "工信部重点工作就是要抓好《推动工业领域设备更新实施方案》的落实。")
    r = policy_refs_from_sentences(sentences(text, speaker="辛国斌"))
    assert r["title"].to_list() == ["关于加快传统制造业转型升级的指导意见", "推动工业领域设备更新实施方案",
                                    "推动工业领域设备更新实施方案"]
    assert r["ref_no"].to_list() == [1, 2, 3]
    assert set(r["speaker"]) == {"辛国斌"}
    for row in r.iter_rows(named=True):
        assert text[row["char_start"]:row["char_end"]] == f"《{row['title']}》"


@pytest.mark.parametrize("text", [
    "《环球时报》记者:请问中方对此有何评论?",
    "明天出版的《人民日报》等中央各报将全文刊发。",
    "3月16日出版的第10期《求是》杂志发表中共中央总书记的重要文章。",
    "(《新闻联播》 20230305 19:00)",
    "英国《每日电讯报》今天发表文章。",
    "总台央视新闻频道《高端访谈》栏目将播出对哥伦比亚总统的专访。",
])
def test_outlets_in_book_title_marks_are_not_policy_documents(text):
    assert policy_refs_from_sentences(sentences(text)).is_empty()


def test_speech_and_film_titles_are_not_policy_documents():
    texts = ("习近平发表题为《弘扬和平共处五项原则,携手构建人类命运共同体》的重要讲话。",
             "春节期间,包括《满江红》《流浪地球2》《无名》在内的影片票房创新高。")
    assert policy_refs_from_sentences(sentences(*texts)).is_empty()


def test_type_word_after_the_title_makes_it_a_document():
    r = policy_refs_from_sentences(sentences("国务院新闻办公室发布《新时代的中国北斗》白皮书。"))
    assert r["title"].to_list() == ["新时代的中国北斗"]


def test_short_name_takes_the_full_title_and_its_definition_is_not_a_mention():
    texts = ("国务院日前印发《知识产权保护和运用“十五五”规划》(以下简称《规划》)。",
             "《规划》提出,到2030年知识产权强国建设取得明显成效。",
             "《条例》共32条。")
    r = policy_refs_from_sentences(sentences(*texts))
    assert r.select("sent_no", "title", "canonical_title").rows() == [
        (1, "知识产权保护和运用“十五五”规划", "知识产权保护和运用“十五五”规划"),
        (2, "规划", "知识产权保护和运用“十五五”规划")]


def test_short_titles_of_a_work_report_resolve_to_the_documents_named_before():
    texts = ("请与《甘肃省国民经济和社会发展第十五个五年规划纲要(草案)》一并审议。",
             "省委《关于制定国民经济和社会发展第十五个五年规划的建议》擘画了蓝图。",
             "《纲要》提出了主要目标,《建议》明确了重大任务。")
    r = policy_refs_from_sentences(sentences(*texts))
    assert r.select("title", "canonical_title").rows()[2:] == [
        ("纲要", "甘肃省国民经济和社会发展第十五个五年规划纲要(草案)"),
        ("建议", "关于制定国民经济和社会发展第十五个五年规划的建议")]


def test_statistical_publications_and_indices_are_not_policy_documents():
    texts = ("据《中国统计年鉴2024》和《2024年国民经济和社会发展统计公报》,", "我国在《全球创新指数报告》中排名上升,",
             "《人民日报》发表评论,落实《政府工作报告》。")
    assert policy_refs_from_sentences(sentences(*texts))["title"].to_list() == ["政府工作报告"]


@pytest.fixture(scope="module")
def sample_batch():
    return transform_batch(raw_frame(read_text(SAMPLE.read_bytes(), str(SAMPLE)).docs))


def test_sample_gold_policy_documents_with_their_speakers(sample_batch, gold):
    refs = sample_batch.tables["policy_refs"]
    found = {t: sorted(set(g["speaker"].to_list())) for (t,), g in refs.group_by("title")}
    assert found == {p["title"]: sorted(p["speakers"]) for p in gold["policy_documents"]}


# Outlets that stand in 《》 somewhere in the corpus (newspapers, journals, TV programmes, magazines)
CORPUS_OUTLETS = {"人民日报", "求是", "新闻联播", "焦点访谈", "高端访谈", "权威访谈", "真理报", "人民报", "福州晚报",
                  "每日电讯报", "回声报", "卫报", "朝日新闻", "诗刊", "人民文学", "新青年", "劳动界", "共产党",
                  "社会主义者", "劳动者", "曙光", "前鋒"}


@pytest.mark.slow
def test_no_outlet_is_a_policy_reference_anywhere_in_the_corpus():
    refs = all_corpus_text().tables["policy_refs"]
    titles = set(refs["title"])
    assert not titles & CORPUS_OUTLETS
    assert not [t for t in titles if t.endswith(("日报", "时报", "晚报", "杂志", "周刊", "月刊", "联播", "频道"))]
    # and the scan did find the documents the corpus names
    assert {"政府工作报告", "巴黎协定", "中华人民共和国著作权法", "联合国宪章"} <= titles


def test_policy_documents_view_lists_distinct_titles_with_first_mention(sample_batch):
    con = duckdb.connect()
    migrate(con)
    load_batch(con, sample_batch.tables)
    rows = con.sql("SELECT title, n_mentions, n_documents, first_date, first_speaker FROM policy_documents "
                   "ORDER BY title").fetchall()
    assert ("制造业数字化转型行动方案", 2, 1, sample_batch.tables["documents"]["published_date"][0], "记者") in rows
    assert len(rows) == 4
