"""What the page reader knows about sites and page furniture, as data: the
article containers of the sites we read most, and the words that mark page
chrome (comment threads, related lists, share bars, footers). Each entry says
what it matches; the rules that use them are in html_body, html_meta and
html_byline."""
from __future__ import annotations

import re

# Article containers of sites we know, most specific first: (tag, attribute,
# value); `class` matches one class token. The first entry found in the page is
# the body; a container with too little text falls back to the generic reading.
KNOWN_BODIES = (
    ("div", "id", "News_Body_Txt_A"),   # Foreign Ministry (mfa.gov.cn / fmprc.gov.cn), both templates
    ("div", "id", "js_content"),        # WeChat articles (mp.weixin.qq.com): hidden until a script shows it
    ("div", "id", "UCAP-CONTENT"),      # gov.cn policy pages and 国务院公报 (2019 template)
    ("div", "class", "pages_content"),  # gov.cn older template: `<div class="pages_content">`
    ("div", "id", "p-detail"),          # xinhuanet.com articles
    ("div", "class", "rm_txt_con"),     # people.com.cn articles
    ("div", "id", "rwb_zw"),            # people.com.cn older articles
    ("div", "class", "TRS_Editor"),     # TRS CMS, used by most ministries' 新闻发布 pages (ndrc, mofcom, ...)
    ("div", "class", "TRS_UEDITOR"),    # the same CMS's newer editor
)
# Known containers whose own `visibility:hidden` is a script's doing, not hiding:
# WeChat's `<div id="js_content" style="visibility: hidden;">`.
SHOWN_BY_SCRIPT = frozenset({"js_content"})
# A known container holding fewer characters than this is a shell (a video page, a
# template left empty): the generic reading decides.
KNOWN_BODY_MIN_CHARS = 20

# class/id words of page chrome: `<div class="comment-list">`, `<div id="tie">`
# (163's 跟帖), `<ul class="related-news">`, `<div class="share-bar">`, `<div class="footer">`.
# ...of which these are chrome even beside an article word: `<div class="comment-content">`,
# `<div class="article-share">`, `<ul class="related-article">`.
# Words start a token: `BSHARE_POP` (a share plug-in's hook on sina's article) is not one.
CHROME_ATTR_STRONG = re.compile(
    r"(?:^|[-_\s])(?:comment|reply|pinglun|gentie|relate|recommend|share|copyright|footer|qrcode|login)", re.I)
CHROME_ATTR = re.compile(
    r"comment|(?:^|[-_ ])(?:tie|reply|replies|pinglun|gentie)(?:$|[-_ ])|related|recommend|"
    r"(?:^|[-_ ])(?:rec|hot|tuijian|xiangguan|relate)(?:$|[-_ ])|share|sharing|social|"
    r"footer|(?:^|[-_ ])foot(?:$|[-_ ])|copyright|sidebar|side-bar|(?:^|[-_ ])(?:side|aside|nav|menu|breadcrumb|crumb)(?:$|[-_ ])|"
    r"login|signin|subscribe|qrcode|erweima|advert|(?:^|[-_ ])ads?(?:$|[-_ ])|banner|"
    r"disclaimer|statement|(?:^|[-_ ])tags?(?:$|[-_ ])|keyword|pagination|page-?nav|editor-?info",
    re.I,
)
# Lines that open the chrome below an article: everything from the first of
# them (in the article's second half) on is cut. `相关阅读：`, `推荐新闻`,
# `网友评论仅供其表达个人看法`, `版权所有`, `免责声明：本文...`, `特别声明：以上内容...`,
# `扫描下方二维码...`, `【纠错】`, `正文已结束，您可以按alt+4进行评论`.
CHROME_BELOW = re.compile(
    r"^(?:【?(?:相关(?:阅读|新闻|推荐|文章|链接|稿件|报道|资讯)|推荐(?:阅读|新闻)|延伸阅读|热门(?:推荐|文章|新闻)|"
    r"猜你喜欢|为您推荐|更多(?:精彩|阅读|新闻)|精彩推荐|今日推荐|往期回顾)】?\s*[:：]?\s*$|"
    r"网友评论|(?:发表|最新|热门|全部)评论|评论\s*[（(]?\d*[)）]?$|跟帖|"
    r"(?:版权所有|copyright|©)|.{0,20}ICP备|(?:免责|特别|郑重)?声明\s*[:：]|"
    r"扫(?:描|一扫)?.{0,8}二维码|.*关注.{0,12}(?:公众号|微信)|"
    r"【纠错】|正文已结束|分享到|打印本页|关闭窗口|"
    r"(?:本文|文章)?(?:原标题|原题为)|"
    r"本文(?:来源|来自)|(?:\(|（)?本文来自|(?:澎湃新闻)?报料[:：]|\(?责任编辑|【?编辑\s*[:：|｜]|作者\s*[:：]|"
    r"返回.{0,6}查看更多)",
    re.I,
)
# Short lines that are chrome wherever they stand: share bars and widgets.
# `用微信扫码二维码`, `分享至好友和朋友圈`, `举报文章问题`, `字号：大 中 小`, `点击进入专题`.
CHROME_LINE = re.compile(
    r"^(?:用?微信扫(?:描|码|一扫)?.{0,6}二维码|分享(?:至|到).{0,12}|举报|字号[:：]|\[?(?:打印|关闭|收藏)\]?$|"
    r"点击(?:进入|查看|播放).{0,10}$|返回(?:顶部|首页)$|上一篇|下一篇|阅读(?:原文|全文)$|"
    r"(?:\d+\s*)?(?:阅读|浏览|评论|点赞|赞|在看)(?:数|量|次数)?\s*[:：]?\s*\d*$|"
    r"\[?(?:责任编辑|编辑|校对)[:：].{0,20}\]?$)",
    re.I,
)
CHROME_LINE_MAX_CHARS = 30
# Short lines under a headline: `2019-09-07 13:43:45 来源:`, `澎湃新闻记者 贺梨萍`,
# `来源：证券时报网`, `作者：李在山`, `字号：大 中 小`, `浏览次数：2168`.
# Not a bracketed line: `（2023年6月29日...会议通过）` under a law's title is the document's.
HEADER_LINE = re.compile(r"^(?![（(]).*(?:\d{4}\s*[-年/.]\s*\d{1,2}|来源|作者|记者|编辑|字号|浏览|阅读|发布)")
HEADER_LINE_MAX_CHARS = 40
# A republication note at the top: `（原标题：一张纸条引来民警）`, `本文原标题：《...》`.
ORIGINAL_TITLE = re.compile(r"^[（(]?(?:本文)?原标?题(?:为)?\s*[:：]")
# Short lines without sentence punctuation at the top of a container that read as its
# furniture: `石佳/中国青年报`, `2019-09-24 09:10`, `字号`, `关注`, `来源：某某网`
# (not a document number `国发〔2023〕5号` or a heading `一、总体要求`).
HEAD_FURNITURE = re.compile(r"^.{1,4}$|[/|｜]|\d{4}\s*[-年/.]\s*\d{1,2}|来源|作者|编辑|字号|分享|关注|阅读|浏览")
HEAD_FURNITURE_MAX_CHARS = 20
HEAD_FURNITURE_LINES = 4
SENTENCE_MARK = re.compile(r"[。！？；，!?;,]")
