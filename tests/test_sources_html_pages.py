"""Pages from any site: headline, the page's own date, bylines and a body
without page chrome, on small look-alike pages written for the project
(tests/fixtures/news_pages: portal with comments and 推荐新闻, WeChat article,
gov.cn page with its article after a stray </html>, 发布时间 / 来源…时间 lines,
JSON-LD, closing bylines, a <title> with only a site suffix)."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from benchmarks.pages import run, table
from sources.html import read_html
from sources.html_byline import byline_names, find_byline

PAGES = Path(__file__).parent / "fixtures" / "news_pages"
TRUTH = json.loads((PAGES / "truth.json").read_text(encoding="utf-8"))
# Page chrome that must never reach a body: comment threads, related lists, share bars, footers.
CHROME = ("网友评论", "热门评论", "全部评论", "推荐新闻", "相关新闻", "相关稿件", "分享到", "版权所有",
          "Copyright", "ICP备", "免责声明", "功能介绍", "责任编辑", "关键词")


def _doc(name: str):
    result = read_html((PAGES / name).read_bytes(), name)
    assert not result.rejects, result.rejects
    (doc,) = result.docs
    return doc


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_page_reads_as_its_reader_sees_it(name):
    doc, truth = _doc(name), TRUTH[name]
    assert doc.title == truth["title"]
    assert (str(doc.published_date), doc.date_source) == (truth["date"], truth["date_source"])
    assert byline_names(doc.byline) == truth["authors"]
    body = _squash(doc.text)
    assert body.find(_squash(truth["first"])) >= 0 and body.rfind(_squash(truth["last"])) >= 0
    assert not [word for word in CHROME if word in doc.text]


def test_og_title_cut_at_an_unescaped_quote_is_completed_from_the_headline():
    # <meta property="og:title" content="市民拾到"求救"纸条 ..."> ends at the first quote
    assert _doc("portal_comments.html").title == '市民拾到"求救"纸条 民警排查两小时'


def test_site_and_channel_suffixes_leave_the_title():
    assert _doc("suffix_only_title.html").title == "某国全国大罢工再次严重影响交通"          # `-某华网`
    assert _doc("gov_after_html_end.html").title == "关于批准某某特别债券发行额度的决议"   # `__2023年第5号国务院公报_中国政府网`


def test_section_page_title_gives_way_to_the_pages_headline():
    assert _doc("labelled_date.html").title == "2021年某某学术年会在西南某大学成功举行！"


def test_page_date_wins_over_dates_in_the_text_and_sidebars():
    # adopted 2023-06-29 (in the text), published 2023-08-20 (the page's own)
    assert _doc("gov_after_html_end.html").published_date == dt.date(2023, 8, 20)
    # sidebar headlines name 2018-03-20 and 2017-12-01; the page says 2019-09-11
    assert _doc("closing_byline.html").published_date == dt.date(2019, 9, 11)
    # the text names 2023-01-01; the line under the headline says 2022-07-08
    assert _doc("source_time_line.html").published_date == dt.date(2022, 7, 8)


def test_article_after_a_stray_html_end_is_read_not_the_navigation():
    doc = _doc("gov_after_html_end.html")
    assert "决定批准发行额度为五千亿元" in doc.text
    assert "首页" not in doc.text and "互动" not in doc.text


def test_wechat_article_hidden_until_a_script_shows_it_is_read_not_the_account_profile():
    doc = _doc("wechat_article.html")
    assert doc.text.startswith("今天凌晨，某公司在发布会上正式推出了三款新手机")
    assert "功能介绍" not in doc.text and "聚焦手机" not in doc.text
    assert doc.date_source == "page:script"   # `var ct = "1581517074"`: 2020-02-12 in Beijing


def test_captions_and_standfirsts_stay_in_the_body():
    assert "图为民警查看纸条。通讯员供图" in _doc("portal_comments.html").text
    assert _doc("jsonld_and_bylines.html").text.startswith("一小时八元，共享充电宝还能不能用得起？")


def test_comment_thread_recommended_list_and_footer_are_cut():
    text = _doc("portal_comments.html").text
    assert text.endswith("民警随后对他进行了安全教育。")
    assert "孩子的压力太大了" not in text and "某地今年将新建" not in text


@pytest.mark.parametrize("paragraph, byline", [
    ("新京报快讯（记者 王小明）今日有网友爆料，有六十万个账号在网上出售。", "记者 王小明"),
    ("新华社巴黎12月9日电（记者唐小霁）某国9日再次爆发全国大罢工。", "记者 唐小霁"),
    ("长江网10月4日讯（记者陈小智 整合）", "记者 陈小智"),
    ("澎湃新闻记者 段小超 廖小艳", "澎湃新闻记者 段小超 廖小艳"),
    ("采写：南都记者 余小菁", "南都记者 余小菁"),
    ("(文/图 刘小东 易小楠)", "文/图 刘小东 易小楠"),
    ("【文/某某网专栏作者 王某某】", "某某网专栏作者 王某某"),
])
def test_byline_forms_give_the_reporters(paragraph, byline):
    assert find_byline([paragraph]) == byline


@pytest.mark.parametrize("paragraph", [
    "责任编辑：杨小倩_NF4425",            # an editor
    "编辑 刘晓阳 校对 李明明",             # editor and proofreader
    "图片来源：每经记者 张小蕊 摄",         # a photographer
    "作者：网络整理",                      # not a person
    "作者：医技药剂党支部",                 # a department
    "新华社记者：昨天，纪念中国—东盟建立对话关系30周年特别外长会在重庆举行。",   # a journalist's question
    "（化名）小花母亲说，女儿的左眼被塞了纸片。",
])
def test_no_byline_is_better_than_a_wrong_name(paragraph):
    assert find_byline([paragraph], lambda: paragraph) is None


def test_editor_and_photographer_are_never_authors_of_a_page():
    names = byline_names(_doc("closing_byline.html").byline)
    assert names == ["陈思远", "林小北"]


def test_a_page_of_links_only_has_no_body():
    page = ("<html><head><title>导航</title></head><body><ul>"
            + "".join(f'<li><a href="/{i}">第{i}条新闻标题在这里</a></li>' for i in range(30))
            + "</ul></body></html>").encode()
    assert [r.reason for r in read_html(page, "nav.html").rejects] == ["no_body"]


def test_benchmark_scores_the_fixture_pages_against_their_truth():
    (score,) = run(PAGES, PAGES / "truth.json", ["policy-news"])
    n = len(TRUTH)
    assert (score.pages, score.title, score.date, score.complete, score.clean, score.no_bulk_chrome) == (n,) * 6
    assert (score.wrong_names, score.bylines) == (0, score.byline_pages)
    assert "| policy-news | 9 | 9 | 9 | 9 | 9 |" in table([score])


def _page(body: str, title: str = "关于做好某某工作的通知_中国政府网") -> bytes:
    return f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>{body}</body></html>'.encode()


def test_document_number_and_heading_at_the_top_are_text_not_furniture():
    page = _page('<div class="nav"><a href="/">首页</a></div><div class="pages_content">'
                 "<p>国发〔2023〕5号</p><p>一、总体要求</p>"
                 "<p>各省、自治区、直辖市人民政府，国务院各部委、各直属机构：现将有关事项通知如下。</p></div>")
    doc = read_html(page, "gov.html").docs[0]
    assert doc.text.split("\n\n")[:2] == ["国发〔2023〕5号", "一、总体要求"]


def test_a_date_in_the_first_sentence_is_not_the_pages_own():
    page = _page("<h1>某区领导一行到金融街开展调研工作</h1><div class=\"content\">"
                 "<p>2019年2月27日下午，某区领导一行八人到金融街进行实地考察调研，有关部门负责人陪同调研。</p>"
                 "<p>调研组一行走访了有关企业，观看了宣传片，对金融街所做的工作表示肯定。</p></div>",
                 title="某区领导一行到金融街开展调研工作_某某网")
    doc = read_html(page, "event.html").docs[0]
    assert (doc.published_date, doc.date_source) == (None, None)   # left to transforms/dates.py


def test_a_short_heading_inside_the_title_is_not_the_headline():
    page = _page('<h2>国务院办公厅</h2><div class="content"><p>各省、自治区、直辖市人民政府，国务院各部委、'
                 "各直属机构：经国务院同意，现将有关事项通知如下，请认真贯彻执行。</p></div>",
                 title="国务院办公厅关于做好某某工作的通知_中国政府网")
    assert read_html(page, "t.html").docs[0].title == "国务院办公厅关于做好某某工作的通知"


def test_comments_in_a_block_named_like_content_are_still_comments():
    page = _page('<div class="article-content"><p>会议指出，要坚持稳中求进工作总基调，完整、准确、全面贯彻新发展理念。</p>'
                 "<p>会议要求，各地要结合实际抓好落实，确保各项政策措施落地见效，取得实际成效。</p>"
                 '<div class="comment-content"><p>说得好，希望各地真正落实到位，让老百姓得到实实在在的好处，我们拭目以待。</p></div>'
                 "</div>", title="某某会议召开_某某网")
    text = read_html(page, "c.html").docs[0].text
    assert text.endswith("取得实际成效。") and "拭目以待" not in text


def test_related_reading_list_inside_the_article_is_cut():
    page = _page('<div class="article-content"><p>会议指出，要坚持稳中求进工作总基调，推动经济实现质的有效提升。</p>'
                 "<p>会议要求，各地要结合实际抓好落实，确保各项政策措施落地见效。</p>"
                 "<p>相关阅读：</p><p>某省召开经济工作会议，部署明年重点任务和各项工作安排</p>"
                 "<p>某市出台十条措施，支持民营经济发展壮大</p></div>", title="某某会议召开_某某网")
    assert read_html(page, "r.html").docs[0].text.endswith("确保各项政策措施落地见效。")


def test_pubdate_meta_is_the_pages_date():
    page = _page('<div class="content"><p>会议指出，要坚持稳中求进工作总基调，推动经济实现质的有效提升，取得新成效。</p></div>'
                 .replace("<div", '<meta name="pubdate" content="2021-03-02 10:00"><div', 1))
    doc = read_html(page, "p.html").docs[0]
    assert (doc.published_date, doc.date_source) == (dt.date(2021, 3, 2), "meta:PubDate")
