"""Reporters and authors a page names, as `documents.byline`.

Format: the role as written, then the names, space-separated:
`记者 裴剑飞`, `澎湃新闻记者 段彦超 廖艳`, `南都记者 余毅菁 向雪妮`, `作者 李在山`;
`byline_names` gives the names back. Forms read (opening lines, the lines
under the headline, the closing lines):

- in brackets, after a dateline or alone: `新京报快讯（记者 裴剑飞）`,
  `新华社巴黎12月9日电（记者唐霁）`, `（记者陈智 整合）`, `(文/图 刘玺东 易赛楠)`,
  `【文/观察者网专栏作者 王文】`, `（职工通讯员 李琴雯 刘会）`;
- a line of its own: `澎湃新闻记者 段彦超 廖艳`, `采写：南都记者 余毅菁 向雪妮`;
- a label: `作者：李在山`, `作者 魏星`.

Never an editor (`责任编辑`, `编辑`, `校对` are not roles here), a photographer
(`每经记者 张蕊 摄`), a site or a department (`作者：网络整理`,
`作者：医技药剂党支部`): when in doubt, no name.
"""
from __future__ import annotations

import re
from typing import Callable

# A name: 2-4 Chinese characters (or a transliteration with `·`), ending where the byline
# does (a space, `、`, a closing bracket, the end): `记者：昨天，...` names no one.
NAME = r"[\u4e00-\u9fff]{2,4}(?:·[\u4e00-\u9fff]{1,8})?(?=[\s、)）】]|$)"
NAMES = NAME + r"(?:[ \u3000、]+" + NAME + r")*"
# Who writes: `记者`, `见习记者`, `特约通讯员`, `专栏作者`, `文/图`, `撰稿`; an outlet may come first (`澎湃新闻记者`).
ROLE = r"(?:(?:见习|实习|特约|首席|职工)?(?:记者|通讯员)|(?:专栏)?作者|撰稿人?|文/图|图/文|文/|撰文)"
OUTLET = r"[\u4e00-\u9fff]{0,8}?"
BRACKETED = re.compile(r"[（(【]\s*(?:文/)?(" + OUTLET + ROLE + r")\s*[:：]?\s*(" + NAMES + r")"
                       r"\s*(?:整合|报道|综合报道|编译)?\s*[)）】]")
OWN_LINE = re.compile(r"^(?:采写|撰文|文)?\s*[:：/]?\s*(" + OUTLET + ROLE + r")\s*[:：]?\s*(" + NAMES + r")\s*$")
# (not `记者：`, which in a press conference opens a journalist's question)
LABEL = re.compile(r"(?:^|\s)((?:作者|撰稿))\s*[:：]?\s*(" + NAME + r")")
# Words that look like names but are not: `作者：未知`, `（记者 陈智 整合）`, `网络整理`.
NOT_A_NAME = re.compile(r"未知|佚名|整理|整合|报道|综合|编译|编辑|校对|本站|原创|小编|网友|网|报|社|台|部|中心|公司|集团|频道|新闻|实习生|摄")
OPENING_LINES = 3
CLOSING_LINES = 6
HEADER_WINDOW_CHARS = 200


def find_byline(paragraphs: list[str], header: Callable[[], str] = str) -> str | None:
    """The first byline in the article's opening lines, the text under the
    headline (`header()`, asked for only when the opening lines have none), or
    the closing lines; None when there is none."""
    for text in paragraphs[:OPENING_LINES]:
        found = _bracketed(text) or _own_line(text)
        if found:
            return found
    head = header()[:HEADER_WINDOW_CHARS]
    found = _bracketed(head) or next(filter(None, map(_own_line, head.split("\n"))), None) or _label(head)
    if found:
        return found
    for text in reversed(paragraphs[-CLOSING_LINES:]):
        found = _own_line(text) or _bracketed(text)
        if found:
            return found
    return None


def byline_names(byline: str | None) -> list[str]:
    """`澎湃新闻记者 段彦超 廖艳` -> ['段彦超', '廖艳']."""
    return (byline or "").split()[1:]


def _format(role: str, names: str) -> str | None:
    kept = [n for n in re.split(r"[ \u3000、]+", names) if n and not NOT_A_NAME.search(n)]
    return f"{role.strip().rstrip('/')} {' '.join(kept)}" if kept else None


def _bracketed(text: str) -> str | None:
    m = BRACKETED.search(text)
    return _format(m.group(1), m.group(2)) if m else None


def _own_line(text: str) -> str | None:
    m = OWN_LINE.match(text.strip()) if len(text) <= 40 else None
    return _format(m.group(1), m.group(2)) if m else None


def _label(text: str) -> str | None:
    m = LABEL.search(text)
    return _format(m.group(1), m.group(2)) if m else None
