"""A page's own title, publication date, URL and outlet.

Title: the CMS's `ArticleTitle`; else the page's headline element (h1-h6 or a
`class="title"` block) that the `<title>` repeats (most of it, not the site
name); else `og:title`, unless a headline shows it was cut at an unescaped
quote (`content="男孩...写"救命啊"...`); else, on a section page whose `<title>`
is short (`新闻动态--某某学会官网`), the headline a dateline follows; else
`<title>` without its site and channel suffixes.

Date, first found wins, its origin in `date_source`:
`meta:<name>` (article:published_time, PubDate, og:time, ...), `jsonld:<key>`
(datePublished, pubDate), `page:dateline` (the first full date within a few
lines under the headline: `2019-09-07 13:43:45 来源:`), `page:label`
(`发布时间：2019-05-18`, `时间：2019年10月31日` in a short line anywhere), `page:time`
(`<span class="h-time">2019-12-10 07:57:40</span>`), `page:script` (a date
a page script carries: `"ptime" : '2019-12-10 07:57:40'`, WeChat's
`var ct = "1581517074"`), `url` (`/2019-12/10/c_1125327450.htm`). A date in
the article's text is left to transforms/dates.py, which marks it as inferred.
"""
from __future__ import annotations

import datetime as dt
import re
from html import unescape

from lxml import etree

from sources.detect import DATE_IN_TEXT, find_date
from sources.html_text import HTML_SPACE_RUN, element_by_id, elements, get_text, top_level

# meta names in order of preference (lower-cased); the first non-empty wins
TITLE_METAS = ("og:title", "dc.title", "twitter:title")
CMS_TITLE_META = "articletitle"   # the Foreign Ministry CMS's own: wins over all
DATE_METAS = (
    "pubdate", "article:published_time", "publishdate", "publish_date", "dc.date", "og:published_time", "date",
    "og:time",                 # ifeng: `<meta property="og:time " content="2019-11-25 16:04:30">`
    "apub:time",               # qq.com
    "firstpublishedtime",      # gov.cn: `2007-08-20-23:59:59`
    "og:release_date", "datepublished", "publishtime", "pubtime", "weibo: article:create_at",
    "dateupdate",              # baijiahao: the only full date on the page (`发布时间：10-08` has no year)
)
OUTLET_METAS = ("contentsource", "source")
SITE_METAS = ("sitename", "og:site_name", "application-name")
# Page elements that carry a date when no meta does (`<span id="News_Body_Time">2021-03-25 18:42</span>`).
DATE_ELEMENT_IDS = ("News_Body_Time",)
# `外交部发言人就...&lt;br&gt;并访问...` -> the escaped line break is a space
BR_IN_TITLE = re.compile(r"<br\s*/?>", re.I)
# Site and channel suffixes of a <title>: `..._网易财经`, `...-新华网`, `...--当代商报`, `...|游民星空`,
# `..._首页武汉_新闻中心_长江网_cjn.cn`, `...__2007年第23号国务院公报_中国政府网`, `... — 中华人民共和国外交部`
TITLE_SEPARATOR = re.compile(r"\s*(?:_{1,2}|\||｜|-{1,2}| [—–-]+ )\s*")
TITLE_SUFFIX_MAX_CHARS = 30
SITE_NAME_MAX_CHARS = 12
AGREED_MIN_SHARE = 0.5
# The Foreign Ministry's one-suffix rule, kept for its pages: the site name after the last separator.
TITLE_SITE_SUFFIX = re.compile(r"\s*(?:_|\||｜| [—–-]+ )\s*([^_|｜—–]{2,30})$")
HEADLINE_ATTR = re.compile(r"title|headline|biaoti|(?:^|[-_ ])tit(?:$|[-_ ])", re.I)
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
HEADLINE_MIN_CHARS = 5
# A headline this many times longer than a <title> that no headline agrees with is the page's own.
SECTION_TITLE_OUTRUN = 2
HEADLINE_MAX_CHARS = 120
# JSON-LD and Baidu's cambrian JSON: `"datePublished": "2019-09-07T15:10:53"`, `"pubDate": "..."`
JSONLD_DATE = re.compile(r'"(datePublished|pubDate|dateCreated)"\s*:\s*"([^"]{8,40})"')
# A labelled date: `发布时间：2019-05-18`, `发布日期：2019-09-23 14:34:05`, `时间：2019年10月31日`, `发表于 2014-08-24`
LABELLED_DATE = re.compile(r"(?:发布|发表|出版|更新|上传)?(?:时间|日期)\s*[:：]\s*|发表于\s*")
# Dates page scripts carry: `"ptime" : '2019-12-10 07:57:40'`, `var __$pubtime='2012-06-24 00:00:00'`,
# `data-ptime="2019-05-17 20:02:46"`, `"publishDate": "2019-09-07T05:51:23.000Z"`,
# WeChat's `var ct = "1581517074"` (Unix seconds)
SCRIPT_DATE_VALUE = re.compile(r"""[:=]\s*["'](\d{4}-\d{1,2}-\d{1,2}|1\d{9})(?=[T"'\s])""")
# ...its name, just before the value (looked for there only: an alternation of names
# scanned over a 700 KB page costs 200 ms, a date-shaped value is rare)
SCRIPT_DATE_KEY = re.compile(r"""(?:ptime|pubtime|publish_?time|publishdate|pub_?date|create_?time|\bct)["']?\s*$""", re.I)
SCRIPT_DATE_KEY_CHARS = 24
# `/2019-12/10/c_1125327450.htm`, `/2019/09/07/`, `/20190907/`
URL_DATE = re.compile(r"/((?:19|20)\d{2})[-/]?([01]\d)[-/]?([0-3]\d)(?:/|[^0-9])")
CHINA_TIME = dt.timezone(dt.timedelta(hours=8))
DATELINE_WINDOW_CHARS = 300
DATELINE_LINE_MAX_CHARS = 50   # a longer line under the headline is the article's text
SENTENCE = re.compile(r"[，。！？；]")   # ...and so is a line with sentence punctuation
LABEL_LINE_MAX_CHARS = 60      # `发布时间：...` stands in a short line, not inside a sentence
# class/id of an element holding the page's time: `h-time`, `pubtime`, `post_time`, `date`, `time`
DATE_ATTR = re.compile(r"(?:^|[-_ ])(?:time|date|pubtime|pub_time|pubdate|publish_time|post_time|ptime)(?:$|[-_ ])", re.I)
DATE_ELEMENT_MAX_CHARS = 60
HEADLINE_PREFIX_CHARS = 10
HEADLINE_TRIES = 5
HEADER_WINDOW_HTML_CHARS = 4000
# Markup between text: `<script>...</script>`, `<style>...</style>`, comments, tags
MARKUP = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->|<[^>]*>", re.S | re.I)
VISIBLE_TEXT = etree.XPath(".//text()[not(ancestor::script or ancestor::style or ancestor::head"
                           " or ancestor::noscript or ancestor::template)]")


def meta_values(root: etree._Element | None) -> dict[str, str]:
    """name/property (lower-cased, trimmed) -> content, first occurrence wins, empty values skipped."""
    values: dict[str, str] = {}
    for tag in elements(root, "meta"):
        key = (tag.get("name") or tag.get("property") or tag.get("itemprop") or "").strip().lower()
        content = (tag.get("content") or "").strip()
        if key and content and key not in values:
            values[key] = content
    return values


def first_meta(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((meta[k] for k in keys if meta.get(k)), None)


def page_text(root: etree._Element | None) -> str:
    """The visible text of the page (all top-level parts) as one string, one text node per line."""
    if root is None:
        return ""
    parts: list[str] = []
    for top in top_level(root):
        if isinstance(top.tag, str):
            parts.extend(s.strip() for s in VISIBLE_TEXT(top) if s.strip())
    return "\n".join(parts)


# --- title ------------------------------------------------------------------

def page_title(root: etree._Element | None, meta: dict[str, str], html: str = "") -> str | None:
    if meta.get(CMS_TITLE_META):
        return _clean_cms_title(meta[CMS_TITLE_META], first_meta(meta, SITE_METAS))
    title_el = next(elements(root, "title"), None)
    title_tag = _one_line(get_text(title_el)) if title_el is not None else ""
    headlines, headings = _headlines(root)
    squashed_tag = _squash(title_tag)
    # the longest headline the <title> repeats: `<h1>标题</h1>` + `<title>标题_网易财经</title>`
    # (not the site's name: `<h1>中国地理学会</h1>` + `<title>新闻动态--中国地理学会官网</title>`)
    segments = TITLE_SEPARATOR.split(title_tag)
    site = _squash(segments[-1]) if len(segments) > 1 and len(segments[-1]) <= SITE_NAME_MAX_CHARS else ""
    # ...and most of it (`<h2>国务院办公厅</h2>` is not `<title>国务院办公厅关于…的通知_中国政府网`)
    least = AGREED_MIN_SHARE * len(_squash(_strip_suffixes(title_tag)))
    agreed = [h for h in headlines if _squash(h) and _squash(h) in squashed_tag and _squash(h) not in site
              and len(_squash(h)) >= least]
    if agreed:
        return max(agreed, key=len)
    og = first_meta(meta, TITLE_METAS)
    if og:
        og = _one_line(og)
        longer = [t for t in [*headlines, _strip_suffixes(title_tag)] if t and len(_squash(t)) > len(_squash(og))
                  and _squash(t).startswith(_squash(og))]
        return max(longer, key=len) if longer else og
    stripped = _strip_suffixes(title_tag)
    # a section page's <title> (`新闻动态--某某学会官网`): the page's own headline, longer, wins
    section = TITLE_SEPARATOR.split(title_tag)[0] if title_tag else ""
    longer = [h for h in headlines if len(h) >= SECTION_TITLE_OUTRUN * max(len(section), 1)]
    if longer:   # the one a dateline follows closest, else a heading (`<h5>`), else the first
        dated = [(d, h) for h in longer if (d := _date_distance(html, h)) is not None]
        return min(dated)[1] if dated else next((h for h in longer if h in headings), longer[0])
    return stripped or (headlines[0] if headlines else None)


def _headlines(root: etree._Element | None) -> tuple[list[str], set[str]]:
    """Texts that may be the page's headline, in page order: headings, and blocks
    whose class/id says title (`<div class="title-text">`); and which of them are headings."""
    out: list[str] = []
    headings: set[str] = set()
    if root is None:
        return out, headings
    for top in top_level(root):
        if not isinstance(top.tag, str):
            continue
        for el in top.iter(*HEADING_TAGS, "div", "span", "p", "td", "strong"):
            if el.tag not in HEADING_TAGS:
                attrs = f"{el.get('class') or ''} {el.get('id') or ''}"
                if not HEADLINE_ATTR.search(attrs):
                    continue
            text = _one_line(get_text(el))
            if HEADLINE_MIN_CHARS <= len(text) <= HEADLINE_MAX_CHARS:
                out.append(text)
                if el.tag in HEADING_TAGS:
                    headings.add(text)
    return out, headings


def _date_distance(html: str, headline: str) -> int | None:
    """Characters of text between the headline and the first date under it, None past the dateline window."""
    for window in headline_windows(html, headline):
        m = DATE_IN_TEXT.search(_dateline_lines(window))
        if m:
            return m.start()
    return None


def _strip_suffixes(title: str) -> str:
    """`标题_首页武汉_新闻中心_长江网_cjn.cn` -> `标题`: cut short trailing segments
    after separators while a long enough head remains."""
    parts = TITLE_SEPARATOR.split(title)
    seps = TITLE_SEPARATOR.findall(title)
    while len(parts) > 1 and len(parts[-1]) <= TITLE_SUFFIX_MAX_CHARS and len("".join(parts[:-1])) >= len(parts[-1]):
        parts.pop()
        seps.pop()
    return "".join(p + s for p, s in zip(parts, [*seps, ""])).strip()


def _clean_cms_title(title: str, site: str | None) -> str | None:
    title = _one_line(title)
    m = TITLE_SITE_SUFFIX.search(title)
    if m and (site is None or m.group(1).strip() == site) and m.start() > len(m.group(1)):
        title = title[: m.start()].strip()
    return title or None


def _one_line(s: str) -> str:
    return HTML_SPACE_RUN.sub(" ", BR_IN_TITLE.sub(" ", s or "")).strip()


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


# --- date -------------------------------------------------------------------

def page_date(root: etree._Element | None, meta: dict[str, str], html: str, title: str | None,
              url: str | None) -> tuple[dt.date | None, str | None]:
    for key in DATE_METAS:
        date = find_date(meta.get(key))
        if date:
            return date, f"meta:{key}" if key != "pubdate" else "meta:PubDate"
    for element_id in DATE_ELEMENT_IDS:
        element = element_by_id(root, element_id)
        date = find_date(get_text(element)) if element is not None else None
        if date:
            return date, f"page:{element_id}"
    for m in JSONLD_DATE.finditer(html):
        date = find_date(m.group(2))
        if date:
            return date, f"jsonld:{m.group(1)}"
    for header in headline_windows(html, title):
        date = find_date(_dateline_lines(header))
        if date:
            return date, "page:dateline"
    for line in page_text(root).split("\n"):
        m = LABELLED_DATE.search(line) if len(line) <= LABEL_LINE_MAX_CHARS else None
        date = find_date(line[m.end(): m.end() + 24]) if m else None
        if date:
            return date, "page:label"
    for el in _date_elements(root):
        text = get_text(el)
        date = find_date(text) if len(text) <= DATE_ELEMENT_MAX_CHARS else None
        if date:
            return date, "page:time"
    for m in SCRIPT_DATE_VALUE.finditer(html):
        if not SCRIPT_DATE_KEY.search(html[max(0, m.start() - SCRIPT_DATE_KEY_CHARS): m.start()]):
            continue
        value = m.group(1)
        date = (dt.datetime.fromtimestamp(int(value), CHINA_TIME).date() if value.isdigit() else find_date(value))
        if date:
            return date, "page:script"
    m = URL_DATE.search(url or "")
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), "url"
        except ValueError:
            pass
    return None, None


def _date_elements(root: etree._Element | None):
    """Short elements whose class/id says they hold the time: `<span class="h-time">`, `<div class="pubtime">`."""
    for tag in ("span", "div", "p", "em", "time", "td", "li"):
        for el in elements(root, tag):
            attrs = f"{el.get('class') or ''} {el.get('id') or ''}"
            if DATE_ATTR.search(attrs) or tag == "time":
                yield el


def _dateline_lines(header: str) -> str:
    """The short lines under the headline, up to the article's first sentence
    (a date inside the text, `2019年2月27日下午，...`, is an event's)."""
    rest_of_headline, *lines = header[:DATELINE_WINDOW_CHARS].split("\n")
    kept = [rest_of_headline]
    for line in lines:
        if len(line) > DATELINE_LINE_MAX_CHARS or SENTENCE.search(line):
            break
        kept.append(line)
    return "\n".join(kept)


def headline_windows(html: str, title: str | None):
    """The text right under each of the first places the headline stands in the
    page's body (as text: tags, scripts and styles out): where datelines and
    bylines are. Read from the HTML itself, which is cheaper than walking the tree."""
    head = (title or "").strip()[:HEADLINE_PREFIX_CHARS]
    if not head:
        return
    at = max(html.find("<body"), html.find("<BODY"), 0)
    for _ in range(HEADLINE_TRIES):
        at = html.find(head, at)
        if at < 0:
            return
        at += len(head)
        if html.rfind("<", 0, at) > html.rfind(">", 0, at):   # inside a tag: `<meta content="标题">`
            continue
        window = html[at: at + HEADER_WINDOW_HTML_CHARS]
        text = "\n".join(line.strip() for line in unescape(MARKUP.sub("\n", window)).split("\n") if line.strip())
        yield text


def page_url(root: etree._Element | None, meta: dict[str, str]) -> str | None:
    if meta.get("url"):
        return meta["url"]
    canonical = next((e for e in elements(root, "link") if "canonical" in (e.get("rel") or "").split()), None)
    if canonical is not None and canonical.get("href"):
        return canonical.get("href").strip()
    return meta.get("og:url")
