"""The text of an HTML tree: paragraphs as a reader sees them (block tags and
`<br>` end a paragraph, inline tags join, data tables one row per paragraph),
and the walk over a page's top-level elements (a stray `</html>` leaves the
rest of the page in a second one).

Parser: lxml (libxml2's HTML parser, in C). It repairs what these pages need
repaired (unclosed `<p>`, pages cut off in the middle) the way browsers do, and
it releases the GIL while it parses. The rules below keep bs4's reading of the
tree (which strings are text, where paragraphs end) at a tenth of its cost.
"""
from __future__ import annotations

import itertools
import re
from typing import Callable

from lxml import etree

# Text under these tags is not text of the element it sits in: scripts, styles,
# templates, and ruby annotations (`<ruby>漢<rt>kan</rt></ruby>` reads 漢).
NOT_TEXT_UNDER = frozenset({"script", "style", "template", "rt", "rp"})
# `get_text` folds a string of only ASCII_SPACES (`</b>\n  <b>`) to one line break or space, except under these.
PRESERVE_SPACE_UNDER = frozenset({"pre", "textarea"})
ASCII_SPACES = " \n\t\f\r"
# Never text: scripts, styles, image and media markup, forms, site navigation.
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "head", "title", "meta", "link",
    "img", "picture", "svg", "video", "audio", "source", "iframe", "object", "embed",
    "canvas", "map", "button", "input", "select", "textarea", "form", "nav", "footer", "aside",
})
# Tags that end a paragraph (`<br>` too, handled apart since it has no content).
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "header", "blockquote", "center", "pre", "address",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "hr",
    "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "figure", "figcaption",
})
CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
# A line break in the source next to a Chinese character is layout, not a space
# (CSS Text 3 drops it between two Chinese characters; we also drop it between
# Chinese and a digit or Latin letter): `<b>距离南海</b>\n<b>8300多英里</b>` -> `距离南海8300多英里`.
CJK_SEGMENT_BREAK = re.compile(
    f"(?<=[{CJK}])[ \\t\\r\\f]*\\n[ \\t\\r\\n\\f]*"
    f"|[ \\t\\r\\f]*\\n[ \\t\\r\\n\\f]*(?=[{CJK}])"
)
HTML_SPACE_RUN = re.compile(r"[ \t\r\n\f]+")
# `<meta charset="gbk">`, `content="text/html; charset=GB2312"`, `<?xml ... encoding="gbk"?>`
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
DATA_TABLE_MAX_CELL_CHARS = 200   # a cell longer than this means a layout table: read it as paragraphs
TABLE_HAS_NUMBER = re.compile(r"[0-9０-９]")


def parse_html(text: str) -> etree._Element | None:
    """The page's root element (`<html>`, implied when missing), None for a
    page with no elements at all. Parsed from UTF-8 bytes with the encoding
    given, so a `<meta charset>` or `<?xml encoding?>` in the text is not obeyed
    a second time."""
    if text.startswith("\ufeff"):
        text = text[1:]
    # huge_tree lifts libxml2's nesting limit of 256 (300 unclosed `<div>`s lost the rest of
    # the page, silently) to 2048; a page nested deeper still is refused, not cut short
    parser = etree.HTMLParser(encoding="utf-8", huge_tree=True)
    root = etree.fromstring(text.encode("utf-8"), parser)
    if any("depth" in e.message.lower() for e in parser.error_log):
        raise TooDeep("The page nests its elements too deeply for the HTML parser; the rest of it would be lost.")
    return root


class TooDeep(ValueError):
    """The page nests deeper than libxml2 parses, even with huge_tree."""


_PARAGRAPH_END = object()


def element_paragraphs(root: etree._Element, skip: Callable[[etree._Element], bool] | None = None) -> list[str]:
    """The text under `root` as paragraphs: block tags and `<br>` end a paragraph,
    inline tags (`<span>`, `<strong>`, `<b>`) join their text with nothing between,
    tables become one paragraph per row. Iterative, so deep nesting is no risk.
    `skip(element)` true leaves an element out with all it holds (page chrome
    inside an article container); the element's tail is still read."""
    return _paragraphs(list(root), _under(root, NOT_TEXT_UNDER, inclusive=True), root.text, skip)


def _paragraphs(children: list, quiet: bool, text: str | None = None,
                skip: Callable[[etree._Element], bool] | None = None) -> list[str]:
    """Paragraphs of `text` followed by `children` (elements, each followed by
    its tail). `quiet`: the strings met are not text (inside a script or `<rt>`).
    Whitespace is not folded here beyond what `normalise_space` does, which
    gives the same result as folding whitespace-only strings first."""
    paragraphs: list[str] = []
    pieces: list[str] = []

    def end_paragraph() -> None:
        if pieces:
            p = normalise_space("".join(pieces))
            if p:
                paragraphs.append(p)
            pieces.clear()

    if text and not quiet:
        pieces.append(text)
    stack: list = []
    _push_children(stack, children, quiet)
    while stack:
        node, node_quiet = stack.pop()
        if node is _PARAGRAPH_END:
            end_paragraph()
        elif node.__class__ is str:
            if not node_quiet:
                pieces.append(node)
        else:
            tag = node.tag
            if tag.__class__ is not str or tag in SKIP_TAGS or hidden(node) or (skip is not None and skip(node)):
                continue   # comments and processing instructions are not text; their tails are pushed already
            if tag == "br":
                end_paragraph()
            elif tag == "table" and (rows := table_rows(node)) is not None:
                end_paragraph()
                paragraphs.extend(rows)
            else:
                inner_quiet = node_quiet or tag in NOT_TEXT_UNDER
                if tag in BLOCK_TAGS:
                    end_paragraph()
                    stack.append((_PARAGRAPH_END, None))
                if node.text and not inner_quiet:
                    pieces.append(node.text)
                _push_children(stack, list(node), inner_quiet)
    end_paragraph()
    return paragraphs


def _push_children(stack: list, children: list, quiet: bool) -> None:
    """Push children so that the first pops first, each one's tail right after it."""
    for child in reversed(children):
        if child.tail:
            stack.append((child.tail, quiet))
        stack.append((child, quiet))


def _under(element: etree._Element, tags: frozenset, inclusive: bool) -> bool:
    if inclusive and element.tag in tags:
        return True
    return any(a.tag in tags for a in element.iterancestors())


def get_text(element: etree._Element) -> str:
    """The element's text as bs4's `get_text()` gives it: its strings (comments
    and the strings of script/style/template/rt/rp below it left out, unless the
    element is one of those), a whitespace-only string folded to one space or
    one line break outside `<pre>`."""
    own = element.tag if element.tag in NOT_TEXT_UNDER else None
    strings: list[str] = []
    stack = [(element, _kind_above(element), _under(element, PRESERVE_SPACE_UNDER, inclusive=False))]
    while stack:
        node, kind, preserve = stack.pop()
        if isinstance(node, str):
            if kind == own:
                strings.append(node if preserve or node.strip(ASCII_SPACES) else ("\n" if "\n" in node else " "))
            continue
        if node.tag.__class__ is str:
            if node.tag in NOT_TEXT_UNDER:
                kind = node.tag
            preserve = preserve or node.tag in PRESERVE_SPACE_UNDER
            for child in reversed(node):
                if child.tail:
                    stack.append((child.tail, kind, preserve))
                stack.append((child, kind, preserve))
            if node.text:
                stack.append((node.text, kind, preserve))
    return "".join(strings)


def _kind_above(element: etree._Element) -> str | None:
    """The nearest script/style/template/rt/rp ancestor's tag, None when there is none."""
    return next((a.tag for a in element.iterancestors() if a.tag in NOT_TEXT_UNDER), None)


def normalise_space(s: str) -> str:
    if "\n" in s:   # CJK_SEGMENT_BREAK needs one
        s = CJK_SEGMENT_BREAK.sub("", s)
    return HTML_SPACE_RUN.sub(" ", s).strip()


def hidden(element: etree._Element) -> bool:
    style = element.get("style")
    return element.get("hidden") is not None or (style is not None and HIDDEN_STYLE.search(style) is not None)


def table_rows(table: etree._Element) -> list[str] | None:
    """A data table as one paragraph per row, `行标签:列1 值1;列2 值2`, so each
    number stays with its row and column labels. The header is the first row
    when it is made of `<th>` cells, starts with an empty corner cell, or has
    no digit while the rows below do. Returns None for a layout table (nested tables, long cells),
    which is then read as ordinary paragraphs."""
    grid: list[list[str]] = []
    header_is_th = False
    own_rows = (tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table)
    for i, tr in enumerate(own_rows):
        cells = [c for c in tr if c.tag in ("td", "th")]
        if any(c.find(".//table") is not None for c in cells):
            return None
        row = []
        for c in cells:
            text = " ".join(element_paragraphs(c))
            if len(text) > DATA_TABLE_MAX_CELL_CHARS:
                return None
            row.extend([text] * _colspan(c))
        if i == 0:
            header_is_th = bool(cells) and all(c.tag == "th" for c in cells)
        grid.append(row)
    grid = [row for row in grid if any(row)]
    if not grid:
        return []
    header: list[str] = []
    first_has_number = any(TABLE_HAS_NUMBER.search(c) for c in grid[0])
    rest_has_number = any(TABLE_HAS_NUMBER.search(c) for row in grid[1:] for c in row)
    corner_cell = grid[0][0] == "" and all(grid[0][1:])   # ` | 2020年 | 2021年`: an empty corner heads the labels
    if len(grid) > 1 and (header_is_th or corner_cell or (not first_has_number and rest_has_number)):
        header, grid = grid[0], grid[1:]
    return [_table_row_text(row, header) for row in grid]


def _colspan(cell: etree._Element) -> int:
    try:
        return max(1, min(int(cell.get("colspan", 1)), 50))
    except (TypeError, ValueError):
        return 1


def _table_row_text(row: list[str], header: list[str]) -> str:
    label, values = row[0], row[1:]
    parts = []
    for j, value in enumerate(values, start=1):
        if not value:
            continue
        column = header[j] if j < len(header) else ""
        parts.append(f"{column} {value}" if column else value)
    if not label:
        return ";".join(parts)
    return f"{label}:{';'.join(parts)}" if parts else label


def element_by_id(root: etree._Element | None, element_id: str, tag=etree.Element) -> etree._Element | None:
    """The first element (of `tag`, any by default) in document order whose id is `element_id`."""
    return next((e for e in elements(root, tag) if e.get("id") == element_id), None)


def top_level(root: etree._Element) -> list[etree._Element]:
    """The document's top-level elements: the root, and after a stray `</html>`
    a second implied `<html>` holding the rest of the page."""
    return [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]


def elements(root: etree._Element | None, tag):
    """Elements named `tag` in document order, in every top-level element."""
    if root is None:
        return iter(())
    if root.getnext() is None and root.getprevious() is None:
        return root.iter(tag)
    return itertools.chain.from_iterable(top.iter(tag) for top in top_level(root))

