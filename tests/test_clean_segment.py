"""Cleaning and segmentation, without Prefect: real fragments, then generated articles."""
from __future__ import annotations

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sources.decode import DecodeError, decode_bytes
from sources.text import read_text
from tests.util import SAMPLE, batch_from_texts, offset_violations, sample_batch


def paragraphs_of(text: str) -> list[str]:
    return batch_from_texts([text]).tables["paragraphs"]["text"].to_list()


def clean_text_of(text: str) -> str:
    return batch_from_texts([text]).tables["documents"]["clean_text"][0]


# --- decoding ---------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030", "gbk"])
def test_sample_decodes_to_the_same_text_in_every_accepted_encoding(encoding):
    original = SAMPLE.read_text(encoding="utf-8")
    res = read_text(original.encode(encoding), "mem://sample")
    assert not res.rejects
    assert res.docs[0].text == original


def test_bytes_that_are_neither_utf8_nor_plausible_gb_text_are_rejected_not_guessed():
    latin1 = "Le ministre a déclaré que la croissance était de 5 %.".encode("latin-1")
    with pytest.raises(DecodeError):
        decode_bytes(latin1)
    res = read_text(latin1, "mem://latin1")
    assert res.docs == [] and res.rejects[0].reason == "undecodable"


def test_empty_and_whitespace_files_are_rejected():
    assert read_text(b"", "mem://e").rejects[0].reason == "empty"
    assert read_text(" \n\u3000\n".encode(), "mem://w").rejects[0].reason == "empty"


# --- cleaning ---------------------------------------------------------------

def test_full_width_ascii_becomes_half_width_and_chinese_punctuation_stays():
    text = clean_text_of("外交部发言人:截至３月16日,ＧＤＰ增长５.２％（初步核算）。《意见》、“十四五”。")
    assert "截至3月16日,GDP增长5.2%(初步核算)。" in text
    assert "《意见》、“十四五”。" in text


def test_zero_width_characters_are_dropped_and_ideographic_spaces_become_spaces():
    text = clean_text_of("国内生产总值\u200b达到134.9万亿元,\u3000增长5%。\ufeff")
    assert text == "国内生产总值达到134.9万亿元, 增长5%。"


def test_a_line_of_only_zero_width_characters_does_not_cut_a_number_from_its_unit():
    # the 2017 government work report, as its web page wraps `74.4` and `万亿元` around a U+200B line
    paras = paragraphs_of("——经济运行缓中趋稳、稳中向好。国内生产总值达到74.4\n\u200b\n万亿元,增长6.7%。\n\n下一段。")
    assert paras[0] == "——经济运行缓中趋稳、稳中向好。国内生产总值达到74.4万亿元,增长6.7%。"
    assert paras[1:] == ["下一段。"]
    # between two finished paragraphs the invisible line keeps them apart, as a blank line would
    assert paragraphs_of("第一段结束。\n\u200b\u200b\n第二段开始。") == ["第一段结束。", "第二段开始。"]
    # several such lines in a row, and one with a space beside its zero-width character
    assert paragraphs_of("——经济运行缓中趋稳、稳中向好。国内生产总值达到74.4\n\u200b\n \u200b\n万亿元,增长6.7%。") == [
        "——经济运行缓中趋稳、稳中向好。国内生产总值达到74.4万亿元,增长6.7%。"]


def test_photo_credit_inside_paragraph_is_removed_and_rejoined():
    paras = paragraphs_of(
        "今后一段时间,工信部重点工作就是要着重抓好这两个文件的落实,瞄准高端化方向,支持新型\n\n\n张鹏摄\n\n"
        "技术改造城市试点,实施制造业重大技术改造升级和大规模设备更新工程。"
    )
    assert len(paras) == 1
    assert "支持新型技术改造城市试点" in paras[0]


def test_continuation_marker_at_paragraph_end_is_removed_and_recorded():
    batch = batch_from_texts(["形成更多能够引领产业升级的新兴支柱产业。(下转第5版)"])
    doc = batch.tables["documents"].row(0, named=True)
    assert doc["clean_text"] == "形成更多能够引领产业升级的新兴支柱产业。"
    assert doc["layout_lines"] == ["(下转第5版)"]


def test_repeated_page_headers_are_removed():
    body = "\n\n".join(
        f"中国电子报 2024年7月9日 第2版\n\n第{i}段的内容讲述工业经济运行的情况,规模以上工业增加值同比增长{i}%。"
        for i in range(1, 4)
    )
    batch = batch_from_texts([body])
    doc = batch.tables["documents"].row(0, named=True)
    assert "中国电子报" not in doc["clean_text"]
    assert doc["layout_lines"].count("中国电子报 2024年7月9日 第2版") == 3
    assert batch.tables["paragraphs"].height == 3


def test_heading_broken_over_two_lines_with_trailing_double_space_is_joined():
    batch = batch_from_texts(["工业经济呈现  \n持续回升向好态势\n\n记者:请问如何看待当前工业经济形势?"])
    assert batch.tables["sections"]["heading"].drop_nulls().to_list() == ["工业经济呈现持续回升向好态势"]


def test_hard_wrapped_ocr_lines_are_reflowed_into_paragraphs():
    ocr = (
        "过去一年,我们坚持稳中求进工作总基调,完整准确全面贯彻新发展理念,加快构建新发\n"
        "展格局,着力推动高质量发展,经济社会发展主要目标任务圆满完成。国内生产总值超过\n"
        "126万亿元,增长5.2%。\n"
        "城镇新增就业1244万人,年末城镇调查失业率5.1%。\n"
    )
    paras = paragraphs_of(ocr)
    assert paras == [
        "过去一年,我们坚持稳中求进工作总基调,完整准确全面贯彻新发展理念,加快构建新发展格局,"
        "着力推动高质量发展,经济社会发展主要目标任务圆满完成。国内生产总值超过126万亿元,增长5.2%。",
        "城镇新增就业1244万人,年末城镇调查失业率5.1%。",
    ]


def test_ascii_words_split_by_a_wrap_keep_a_space():
    text = clean_text_of("开源鸿蒙(OpenHarmony)与openEuler等优质开源项目开始走向国际舞台的过程中,需要加强与\n"
                         "Linux Foundation的合作交流。")
    assert "加强与Linux Foundation" in text
    text = clean_text_of("the first line of an English paragraph that is wrapped by the\nprinter.")
    assert "by the printer." in text


# --- segmentation -----------------------------------------------------------

def test_sentences_end_at_chinese_and_half_width_marks_with_closing_quotes():
    batch = batch_from_texts(["他说:“工业是压舱石。”我们要稳增长!能否介绍一下?一是扩大投资;二是促进消费。"])
    assert batch.tables["sentences"]["text"].to_list() == [
        "他说:“工业是压舱石。”", "我们要稳增长!", "能否介绍一下?", "一是扩大投资;", "二是促进消费。",
    ]


def test_sentences_never_split_inside_book_title_marks():
    batch = batch_from_texts(["国务院印发《关于推动高质量发展的意见。试行》,要求各地落实。"])
    assert batch.tables["sentences"]["text"].to_list() == ["国务院印发《关于推动高质量发展的意见。试行》,要求各地落实。"]


def test_turns_follow_labels_and_unlabelled_paragraphs_stay_in_the_open_turn():
    batch = batch_from_texts([
        "记者:请问今年工业经济形势如何?\n\n"
        "金壮龙:今年1—5月,规模以上工业增加值同比增长6.2%。\n\n"
        "下一步,工信部将继续推动设备更新。\n\n"
        "记者:中小企业方面有何举措?\n\n"
        "金壮龙:我们已经培育了200家国家级中小企业特色产业集群。"
    ])
    p = batch.tables["paragraphs"]
    assert p["turn_no"].to_list() == [1, 2, 2, 3, 4]
    assert p["speaker"].to_list() == ["记者", "金壮龙", "金壮龙", "记者", "金壮龙"]


def test_every_offset_of_the_sample_cuts_its_own_text():
    batch = sample_batch()
    assert offset_violations(batch) == []
    assert batch.tables["sentences"].height > 100


# --- property: generated articles -------------------------------------------

CJK = st.text(alphabet=st.sampled_from(list("工业经济运行总体平稳增长发展规模以上企业数字化转型")), min_size=1, max_size=40)
NUMBER = st.integers(min_value=1, max_value=99999).map(str)
SENTENCE = st.builds(lambda a, n, b, end: f"{a}{n}{b}{end}", CJK, NUMBER, CJK, st.sampled_from(["。", "!", "?", ";", "。”"]))
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=4).map("".join)
LABEL = st.sampled_from(["记者:", "金壮龙:", "路透社记者:", "问:", "答:", "主持人 寿小丽:", ""])
LAYOUT = st.sampled_from(["张鹏摄", "(下转第5版)", "(上接第1版)", "人民日报 2024年7月6日 第4版"])
HEADING = st.builds(lambda h: f"## {h}", CJK)


@st.composite
def articles(draw):
    blocks = []
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["para", "para", "para", "heading", "layout", "cut", "wrap", "fullwidth"]))
        if kind == "para":
            blocks.append(draw(LABEL) + draw(PARAGRAPH))
        elif kind == "heading":
            blocks.append(draw(HEADING))
        elif kind == "layout":
            blocks.append(draw(LAYOUT))
        elif kind == "cut":  # a long paragraph cut by a page break and a photo credit
            p = draw(PARAGRAPH) * 3
            k = draw(st.integers(1, len(p) - 1))
            blocks.append(p[:k] + "\n\n" + draw(LAYOUT) + "\n\n" + p[k:])
        elif kind == "wrap":  # hard-wrapped lines
            p = draw(PARAGRAPH) * 2
            w = draw(st.integers(5, 40))
            blocks.append("\n".join(p[i:i + w] for i in range(0, len(p), w)))
        else:
            blocks.append(draw(PARAGRAPH).translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789!?;"}))
    sep = draw(st.sampled_from(["\n\n", "\n\n\n", "\r\n\r\n", "\n \n"]))
    return sep.join(blocks)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(articles(), min_size=1, max_size=3))
def test_offsets_hold_for_every_row_of_generated_articles(texts):
    batch = batch_from_texts(texts)
    assert offset_violations(batch) == []
    docs = batch.tables["documents"]
    for text in docs["clean_text"]:
        assert "转第" not in text and "摄\n" not in text + "\n"
    # paragraphs tile clean_text exactly, separated by one newline
    for doc_id, text in zip(docs["doc_id"], docs["clean_text"]):
        paras = batch.tables["paragraphs"].filter(pl.col("doc_id") == doc_id).sort("para_no")
        assert "\n".join(paras["text"]) == text


@pytest.mark.parametrize("credit", ["张鹏摄", "(张鹏摄)", "新华社记者 李贺摄", "新华社记者 李 贺 摄", "张鹏/摄", "摄影:张鹏",
                                    "图为7月5日,国新办举行新闻发布会。新华社记者 李贺摄"])
def test_photo_credits_and_captions_are_layout(credit):
    batch = batch_from_texts([f"国内生产总值增长5%。\n\n{credit}\n\n城镇新增就业1244万人。"])
    doc = batch.tables["documents"].row(0, named=True)
    assert doc["clean_text"] == "国内生产总值增长5%。\n城镇新增就业1244万人。"
    assert doc["layout_lines"] == [credit]


@pytest.mark.parametrize("byline", ["本报记者 齐旭", "本报记者 齐旭 王伟", "经济日报记者 王五", "新华社记者 张三"])
def test_bylines_fill_documents_byline(byline):
    batch = batch_from_texts([f"## 工信部:把高质量发展要求贯穿到新型工业化全过程\n\n{byline}\n\n记者:请问如何看待当前形势?"])
    assert batch.tables["documents"]["byline"].to_list() == [byline]


def test_a_line_that_merely_ends_in_the_word_for_photographing_is_kept():
    batch = batch_from_texts(["这是他拍摄\n\n国内生产总值增长5%。"])
    assert batch.tables["documents"]["layout_lines"].to_list() == [[]]


@pytest.mark.parametrize("first, byline", [
    ("本报北京7月18日电(记者 周亮)国家统计局18日发布数据,上半年国内生产总值同比增长5%。", "记者 周亮"),
    ("新华社北京3月5日电(记者张三 李四)十四届全国人大二次会议5日上午开幕。", "记者 张三 李四"),
])
def test_a_dateline_that_names_the_reporter_fills_the_byline_and_keeps_the_text(first, byline):
    batch = batch_from_texts([first])
    assert batch.tables["documents"]["byline"].to_list() == [byline]
    assert batch.tables["documents"]["clean_text"].to_list() == [first]


def test_a_label_with_a_title_chain_is_never_joined_to_the_line_before():
    paras = paragraphs_of("请问今年的价格形势将如何演变,以及相关部门将采取哪些措施来保持物价稳定\n"
                          "国家发展改革委副秘书长、新闻发言人袁达:今年物价将保持总体稳定。")
    assert len(paras) == 2


def test_digits_typeset_one_by_one_are_joined_into_one_number():
    # the 1998 work report as stored: `1 9 9 7 年粮食产量达到4 9 2 5 0 万吨`
    text = clean_text_of("1 9 9 7 年粮食产量达到4 9 2 5 0 万吨,比五年前增加5 0 0 0 万吨。2019 2020两年保持稳定。")
    assert text == "1997年粮食产量达到49250万吨,比五年前增加5000万吨。2019 2020两年保持稳定。"
