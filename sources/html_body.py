"""The article's text on a page from any site: a known container when the page
has one (html_sites.KNOWN_BODIES), else the block that holds the most sentence
text, scored the way readability and GeneralNewsExtractor do (punctuated,
non-link text, credited to a paragraph's parent and, half, its grandparent).
Then page chrome is taken out: sub-blocks whose class/id names chrome
(comments, related lists, share bars, footers) or that are mostly links, short
widget lines (`分享到`, `用微信扫码二维码`) and everything from a closing marker
(`相关阅读`, `网友评论`, `版权所有`, `责任编辑`) in the article's second half on.

One pass over the tree collects each block's own text; lxml's C iteration
keeps it near a millisecond on a 300 KB portal page."""
from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from sources.html_sites import (
    CHROME_ATTR, CHROME_ATTR_STRONG, CHROME_BELOW, CHROME_LINE, CHROME_LINE_MAX_CHARS, HEAD_FURNITURE, HEAD_FURNITURE_LINES, HEAD_FURNITURE_MAX_CHARS,
    HEADER_LINE, HEADER_LINE_MAX_CHARS, KNOWN_BODIES, KNOWN_BODY_MIN_CHARS, ORIGINAL_TITLE, SENTENCE_MARK,
    SHOWN_BY_SCRIPT,
)
from sources.html_text import BLOCK_TAGS, NOT_TEXT_UNDER, SKIP_TAGS, element_paragraphs, hidden, top_level

# Sentence punctuation: what sets article text apart from menus and headline lists.
PUNCTUATION = re.compile(r"[，。！？；、：,.!?;:“”]")
# A block whose own non-link text is shorter than this scores nothing (menu items, dates).
MIN_BLOCK_CHARS = 10
# class/id words of article containers: `<div class="article-content">`, `<div id="endText">`, `<div class="zw">`
ARTICLE_ATTR = re.compile(r"article|content|(?:^|[-_ ])(?:text|txt|body|detail|main|post|entry|zw|zhengwen)(?:$|[-_ ])|"
                          r"endtext|artibody|news[-_]?(?:txt|text|con)", re.I)
# Never article text. A <form> may wrap a whole page (ASP.NET, the VSB CMS of many
# university and government sites), so it is walked, unlike in the paragraph reading.
NOT_SCORED = (SKIP_TAGS - {"form"}) | NOT_TEXT_UNDER
ARTICLE_FACTOR = 1.25   # a candidate whose class/id reads like an article container
CHROME_FACTOR = 0.3     # one whose class/id, or an ancestor's, reads like chrome
# Share of link text above which a block inside the article is a list of links (related articles, tags).
LINK_LIST_SHARE = 0.5
LINK_LIST_MIN_CHARS = 12
# The headline repeated inside the container stands among its first lines, if at all.
HEADLINE_WITHIN = 6


@dataclass
class _Block:
    text: int = 0      # characters of the block's own text (not in a nested block)
    links: int = 0     # of which inside <a>
    punct: int = 0


def article_paragraphs(root: etree._Element | None, title: str | None = None) -> list[str]:
    """The article's paragraphs, [] when the page has none (a navigation page)."""
    if root is None:
        return []
    known = known_body(root)
    if known is not None:
        element, exact = known
        if exact:   # the Foreign Ministry's container: read as it always was
            return element_paragraphs(element)
        paragraphs = _cleaned(_container_paragraphs(element), title)
        if sum(map(len, paragraphs)) >= KNOWN_BODY_MIN_CHARS:
            return paragraphs
    best = _best_block(root)
    return _cleaned(_container_paragraphs(best), title) if best is not None else []


def known_body(root: etree._Element) -> tuple[etree._Element, bool] | None:
    """(container, exact): the first KNOWN_BODIES container in the page; `exact`
    for the first entry, whose reading is fixed by the Foreign Ministry tests."""
    found: dict[tuple, etree._Element] = {}
    wanted = {(tag, attr, value) for tag, attr, value in KNOWN_BODIES}
    for top in top_level(root):
        for el in top.iter("div"):
            el_id = el.get("id")
            if el_id and ("div", "id", el_id) in wanted:
                found.setdefault(("div", "id", el_id), el)
            cls = el.get("class")
            if cls:
                for token in cls.split():
                    if ("div", "class", token) in wanted:
                        found.setdefault(("div", "class", token), el)
    for i, key in enumerate(KNOWN_BODIES):
        if key in found:
            return found[key], i == 0
    return None


def _container_paragraphs(container: etree._Element) -> list[str]:
    if container.get("id") in SHOWN_BY_SCRIPT or not hidden(container):
        return element_paragraphs(container, skip=_ChromeFilter(container))
    return []


class _ChromeFilter:
    """skip(element) for element_paragraphs: a sub-block of the article that is
    chrome by its class/id, or a list/box of links."""

    def __init__(self, container: etree._Element):
        self.container = container

    def __call__(self, el: etree._Element) -> bool:
        if el.tag not in BLOCK_TAGS:
            return False
        attrs = f"{el.get('class') or ''} {el.get('id') or ''}"
        if attrs.strip() and _chrome_attrs(attrs):
            return True
        if el.tag in ("ul", "ol", "dl", "div", "table", "section"):
            total = links = 0
            for node in el.iter():
                if not isinstance(node.tag, str) or node.tag in NOT_TEXT_UNDER:
                    continue
                n = len((node.text or "").strip())
                total += n
                if node.tag == "a" or (n and _in_link(node, el)):
                    links += n
                tail = len((node.tail or "").strip()) if node is not el else 0
                total += tail
                if tail and _in_link(node.getparent(), el):
                    links += tail
            return total >= LINK_LIST_MIN_CHARS and links > LINK_LIST_SHARE * total
        return False


def _in_link(node: etree._Element | None, stop: etree._Element) -> bool:
    while node is not None and node is not stop:
        if node.tag == "a":
            return True
        node = node.getparent()
    return False


def _best_block(root: etree._Element) -> etree._Element | None:
    """The block with the highest score: its paragraphs' scores, plus half of its
    grandchildren paragraphs', times (1 - link share), raised for article-like
    class/id and lowered for chrome-like ones."""
    blocks: dict[etree._Element, _Block] = {}
    for top in top_level(root):
        if isinstance(top.tag, str):
            _collect(top, blocks)
    scores: dict[etree._Element, float] = {}
    for el, b in blocks.items():
        own = b.text - b.links
        if own < MIN_BLOCK_CHARS:
            continue
        score = 1 + b.punct + min(own / 40, 5)
        scores[el] = scores.get(el, 0.0) + score
        parent = el.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0.0) + score
            grand = parent.getparent()
            if grand is not None:
                scores[grand] = scores.get(grand, 0.0) + score / 2
    best, best_score = None, 0.0
    chrome: dict = {}
    # raw score first: the class/id factors (at most x1.25) cannot lift one below best/1.25
    for el, score in sorted(scores.items(), key=lambda kv: -kv[1]):
        if score * ARTICLE_FACTOR < best_score:
            break
        if not isinstance(el.tag, str) or el.tag in ("html", "body"):
            continue
        attrs = f"{el.get('class') or ''} {el.get('id') or ''}"
        if _in_chrome(el, chrome) or _chrome_attrs(attrs):
            score *= CHROME_FACTOR
        elif ARTICLE_ATTR.search(attrs):
            score *= ARTICLE_FACTOR
        b = blocks.get(el)
        if b is not None and b.text:
            score *= 1 - b.links / b.text / 2
        if score > best_score:
            best, best_score = el, score
    return best


def _chrome_attrs(attrs: str) -> bool:
    """class/id words of chrome: a strong one, or a weak one not beside an article word."""
    return bool(CHROME_ATTR_STRONG.search(attrs) or (CHROME_ATTR.search(attrs) and not ARTICLE_ATTR.search(attrs)))


def _in_chrome(el: etree._Element, memo: dict) -> bool:
    """Inside a block whose class/id names chrome: `<div class="footer"><div class="txt">...`."""
    parent = el.getparent()
    if parent is None:
        return False
    if parent not in memo:
        attrs = f"{parent.get('class') or ''} {parent.get('id') or ''}"
        own = bool(attrs.strip()) and _chrome_attrs(attrs)
        memo[parent] = own or _in_chrome(parent, memo)
    return memo[parent]


def _collect(top: etree._Element, blocks: dict) -> None:
    """Each block's own text, link text and punctuation, in one walk."""
    stack = [(top, None, False)]
    while stack:
        node, block, in_link = stack.pop()
        if node.__class__ is str:   # a child's tail: text of the block around the child
            _add(blocks, block, node, in_link)
            continue
        tag = node.tag
        if tag.__class__ is not str or tag in NOT_SCORED or hidden(node):
            continue
        if tag in BLOCK_TAGS or tag == "body":
            block = node
        if tag == "a":
            in_link = True
        if node.text and block is not None:
            _add(blocks, block, node.text, in_link)
        for child in reversed(node):
            if child.tail and block is not None:
                stack.append((child.tail, block, in_link))
            stack.append((child, block, in_link))


def _add(blocks: dict, block: etree._Element, text: str, in_link: bool) -> None:
    s = text.strip()
    if not s:
        return
    b = blocks.get(block)
    if b is None:
        b = blocks[block] = _Block()
    b.text += len(s)
    if in_link:
        b.links += len(s)
    b.punct += len(PUNCTUATION.findall(s))


def _cleaned(paragraphs: list[str], title: str | None) -> list[str]:
    """Widget lines out; the title repeated at the top out; from the first
    closing marker in the second half on, out."""
    kept = [p for p in paragraphs if not (len(p) <= CHROME_LINE_MAX_CHARS and CHROME_LINE.match(p))]
    if title:   # a container that holds the headline: breadcrumbs, headline and dateline lines go
        squashed = re.sub(r"\s+", "", title)
        at = next((i for i, p in enumerate(kept[:HEADLINE_WITHIN]) if re.sub(r"\s+", "", p) == squashed), None)
        if at is not None:
            kept = kept[at + 1:]
            while kept and len(kept[0]) <= HEADER_LINE_MAX_CHARS and HEADER_LINE.search(kept[0]):
                kept.pop(0)
    for _ in range(HEAD_FURNITURE_LINES):
        if kept and (ORIGINAL_TITLE.match(kept[0]) or (
                len(kept[0]) <= HEAD_FURNITURE_MAX_CHARS and not SENTENCE_MARK.search(kept[0])
                and HEAD_FURNITURE.search(kept[0]))):
            kept.pop(0)
    half = len(kept) // 2
    for i, p in enumerate(kept):
        if i >= max(half, 1) and CHROME_BELOW.match(p):
            return kept[:i]
    return kept
