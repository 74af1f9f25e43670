"""BeautifulSoup as the reference of the HTML reader's text rules.

The HTML reader (sources/html*.py) reads pages with lxml directly, keeping the reading of the
BeautifulSoup reader it replaced (bs4's `get_text()`: which strings are text,
how whitespace-only strings fold). Here bs4 itself, over the same lxml parser,
reads the article container of every saved Foreign Ministry page, and the
lxml reader's text of that container must be the same, character for character."""
from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sources.decode import decode_bytes
from sources.html_sites import KNOWN_BODIES
from sources.html_text import get_text, parse_html

MFA = Path(__file__).resolve().parents[1] / "data" / "corpus" / "mfa-presscon"
PAGES = sorted((p for p in MFA.iterdir() if p.name.isdigit()), key=lambda p: int(p.name))
TAG, _, BODY_ID = KNOWN_BODIES[0]  # the Foreign Ministry's article container: ("div", "id", ...)


def test_there_are_pages_to_compare():
    assert len(PAGES) == 87


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_body_text_is_what_beautifulsoup_reads(page):
    text, _ = decode_bytes(page.read_bytes())
    ours = parse_html(text).xpath(f"//{TAG}[@id='{BODY_ID}']")
    theirs = BeautifulSoup(text.encode("utf-8"), "lxml", from_encoding="utf-8").find(TAG, id=BODY_ID)
    assert ours and theirs is not None
    assert get_text(ours[0]) == theirs.get_text()
