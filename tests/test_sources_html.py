"""HTML reader on the Foreign Ministry press-conference pages (87 saved pages)."""
from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from sources.html import html_fragment_paragraphs, read_html, speaker_from_title
from sources.registry import read_file

DATA = Path(__file__).resolve().parents[1] / "data"
MFA = DATA / "corpus" / "mfa-presscon"
PAGES = sorted((p for p in MFA.iterdir() if p.name.isdigit()), key=lambda p: int(p.name))
NAVIGATION = ["首页", "网站地图", "版权所有", "打印本页", "关闭窗口", "相关新闻", "相关附件", "字体：", "分享到", "扫一扫",
              "相关链接：", "ICP备", "联系我们"]


def _meta(raw: str, name: str) -> str:
    return html.unescape(re.search(rf'<meta name="{name}" content="([^"]*)"', raw).group(1))


def _doc(name: str):
    result = read_html((MFA / name).read_bytes(), name)
    assert not result.rejects
    (doc,) = result.docs
    return doc


def test_corpus_has_the_87_pages_the_source_lists():
    assert len(PAGES) == 87


@pytest.fixture(scope="module")
def corpus_docs():
    out = {}
    for page in PAGES:
        result = read_file(page)
        assert not result.rejects, result.rejects
        assert len(result.docs) == 1
        out[page.name] = result.docs[0]
    return out


def test_every_page_gives_one_html_document_dated_by_its_pubdate(corpus_docs):
    for page in PAGES:
        raw = page.read_text(encoding="utf-8")
        doc = corpus_docs[page.name]
        assert doc.source_format == "html"
        assert doc.published_date == dt.date.fromisoformat(_meta(raw, "PubDate")), page.name
        assert doc.date_source == "meta:PubDate"
        assert doc.title == _meta(raw, "ArticleTitle").replace("<br>", " "), page.name
        assert doc.url == _meta(raw, "Url")
        assert doc.outlet == "中华人民共和国外交部"
        assert doc.encoding == "utf-8"


def test_no_navigation_script_or_markup_text_in_any_page_body(corpus_docs):
    for name, doc in corpus_docs.items():
        assert len(doc.text) > 200, name
        for nav in NAVIGATION:
            assert nav not in doc.text, (name, nav)
        for markup in ("<p", "<img", "</", "function(", "$(", "document.getElementById", ".jpg"):
            assert markup not in doc.text, (name, markup)


def test_paragraphs_are_blank_line_separated_with_no_line_breaks_inside(corpus_docs):
    for name, doc in corpus_docs.items():
        paragraphs = doc.text.split("\n\n")
        assert all(p and p == p.strip() and "\n" not in p for p in paragraphs), name


def test_page_8_keeps_each_paragraph_of_the_transcript():
    doc = _doc("8")
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0].startswith("应中共中央政治局委员、外交部长王毅邀请")
    assert paragraphs[1].startswith("《环球时报》记者：据报道，3月25日")
    assert paragraphs[2].startswith("林剑：中方坚决反对并打击各种形式的网络攻击")
    assert paragraphs[-1].endswith("以实际行动取信于亚洲邻国和国际社会。")


@pytest.mark.parametrize("name, fragment", [
    ("846", "联合国人权理事会第46届会议已经闭幕"),            # `第</b>46<b>届`
    ("846", "现总统萨苏在选举中获得88.57%选票，首轮胜出"),     # `获得</b><b>88.57%</b><b>选票`
    ("846", "中国网民要求抵制H&M，因为H&M声明不再使用新疆棉花"),
    ("863", "总台央视记者：3月5日，白俄罗斯代表70个国家在联合国人权理事会第46届会议上"),
    ("705", "《环球时报》记者：据报道，近20年来，美国在叙利亚"),
    ("939", "最近美国辉瑞和莫德纳两家公司都公布了"),
])
def test_inline_tags_inside_a_sentence_do_not_split_it(name, fragment):
    assert fragment in _doc(name).text


def test_ideographic_indent_is_not_kept_at_paragraph_start():
    assert "\n\n华春莹：我注意到你提到的这个情况。只想说几句：" in _doc("846").text


@pytest.mark.parametrize("name", ["36", "107", "122"])
def test_escaped_line_break_in_title_becomes_a_space(name):
    title = _doc(name).title
    assert "<br" not in title and "&lt;" not in title and "中华人民共和国外交部" not in title
    assert " " in title


def test_article_title_wins_over_a_misleading_title_tag():
    for name, title in (("578", "2022年3月15日外交部发言人赵立坚主持例行记者会"),
                        ("581", "2022年3月10日外交部发言人赵立坚主持例行记者会")):
        assert _doc(name).title == title


def test_title_tag_is_cleaned_of_the_site_name_when_no_article_title():
    for name in ("8", "846"):  # template B `_中华人民共和国外交部`, template A ` — 中华人民共和国外交部`
        raw = (MFA / name).read_bytes().replace(b'name="ArticleTitle"', b'name="x-removed"')
        doc = read_html(raw, name).docs[0]
        assert doc.title == _meta((MFA / name).read_text(encoding="utf-8"), "ArticleTitle")


def test_spokesperson_is_taken_from_the_title_by_rule(corpus_docs):
    assert corpus_docs["8"].event_speaker == "林剑"
    assert corpus_docs["423"].event_speaker == "毛宁"
    assert corpus_docs["7"].event_speaker is None        # 外交部发言人就...答记者问: no name
    assert corpus_docs["58"].event_speaker is None       # 外交部发言人就...发表谈话
    speakers = {d.event_speaker for d in corpus_docs.values()} - {None}
    assert speakers == {"林剑", "毛宁", "汪文斌", "赵立坚", "华春莹"}
    assert speaker_from_title("2025年1月2日外交部发言人郭嘉昆主持例行记者会") == "郭嘉昆"


def test_page_template_a_date_element_is_used_when_meta_is_missing():
    raw = (MFA / "846").read_bytes().replace(b'name="PubDate"', b'name="x-removed"')
    doc = read_html(raw, "846").docs[0]
    assert doc.published_date == dt.date(2021, 3, 25)
    assert doc.date_source == "page:News_Body_Time"


def test_data_table_rows_keep_each_number_with_row_and_column_labels():
    fragment = ("<p>华春莹：我看到美国媒体报道。</p><table><tbody>"
                "<tr><td></td><td>2020年</td><td>近几年</td></tr>"
                "<tr><td>移民拘留所中死亡</td><td><span>21</span>人</td><td></td></tr>"
                "<tr><td>被拘留的移民儿童</td><td></td><td>266000多名</td></tr>"
                "</tbody></table><p>我不知道美方要不要对相关事件进行彻底调查</p>")
    assert html_fragment_paragraphs(fragment) == [
        "华春莹：我看到美国媒体报道。",
        "移民拘留所中死亡:2020年 21人",
        "被拘留的移民儿童:近几年 266000多名",
        "我不知道美方要不要对相关事件进行彻底调查",
    ]


def test_image_only_tables_of_pages_846_and_928_leave_no_text_behind(corpus_docs):
    for name in ("846", "928"):
        assert all(p.strip() for p in corpus_docs[name].text.split("\n\n"))
        assert "W0202" not in corpus_docs[name].text


def test_br_ends_a_paragraph():
    assert html_fragment_paragraphs("<p>安理会决议具有约束力。<br>我们要求当事方履行义务。</p>") == [
        "安理会决议具有约束力。", "我们要求当事方履行义务。"]


def test_source_line_break_between_chinese_inline_runs_is_not_a_space():
    assert html_fragment_paragraphs("<p><b>美国本土距离南海</b>\n<b>8300多英里</b></p>") == ["美国本土距离南海8300多英里"]
    assert html_fragment_paragraphs("<p>古共中央第一书记 古巴国家主席将访华</p>") == ["古共中央第一书记 古巴国家主席将访华"]


def test_page_cut_inside_its_body_is_read_as_far_as_it_goes_and_flagged():
    raw = (MFA / "8").read_bytes()
    cut = raw.index("《北京日报》记者".encode())
    result = read_html(raw[:cut + 5], "8-cut")   # cut inside a character as well
    (doc,) = result.docs
    assert "truncated" in doc.flags
    assert doc.title == "2024年3月26日外交部发言人林剑主持例行记者会"
    assert doc.text.startswith("应中共中央政治局委员")
    assert "林剑：中方坚决反对并打击各种形式的网络攻击" in doc.text


def test_page_cut_before_its_body_is_rejected_truncated_html():
    raw = (MFA / "8").read_bytes()
    result = read_html(raw[: raw.index(b'id="News_Body_Txt_A"') - 40], "8-cut")
    assert not result.docs
    assert [r.reason for r in result.rejects] == ["truncated_html"]
    assert "cut off" in result.rejects[0].detail


def test_page_of_an_unknown_site_falls_back_to_trafilatura():
    raw = (MFA / "8").read_text(encoding="utf-8").replace('id="News_Body_Txt_A"', 'id="article"')
    doc = read_html(raw.encode("utf-8"), "unknown-site").docs[0]
    assert "林剑：中方坚决反对并打击各种形式的网络攻击" in doc.text
    assert doc.published_date == dt.date(2024, 3, 26)
