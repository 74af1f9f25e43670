"""Speakers, turns and people (transforms.speakers), without Prefect."""
from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest

from transforms.speakers import attribute_speakers

SHARED = Path(__file__).resolve().parents[2] / "shared"
SAMPLE = SHARED / "samples" / "miit-press-conference-2024-07-05.txt"
GOLD = json.loads((SHARED / "gold" / "miit-press-conference-2024-07-05.json").read_text(encoding="utf-8"))

# A turn speaker is a person name (2-4 CJK characters, or foreign with `·`), `记者` or `主持人`.
PERSON_OR_ROLE = re.compile(r"^(?:[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]+·[\u4e00-\u9fff·]+|记者|主持人)$")


def frames(paragraph_texts, *, doc_id="d1", headings=(), title=None, event_speaker=None, byline=None,
           layout_lines=()):
    """Hand-built paragraphs/documents frames as the clean/segment stages make them."""
    texts = [t.replace("：", ":").replace("，", ",") for t in paragraph_texts]
    paragraphs = pl.DataFrame({
        "doc_id": [doc_id] * len(texts),
        "para_no": list(range(1, len(texts) + 1)),
        "section_no": [1] * len(texts),
        "is_heading": [i + 1 in headings for i in range(len(texts))],
        "text": texts,
        "char_start": [0] * len(texts),
        "char_end": [0] * len(texts),
    }, schema_overrides={"para_no": pl.Int32, "section_no": pl.Int32})
    documents = pl.DataFrame({
        "doc_id": [doc_id], "clean_text": ["\n\n".join(texts)], "title": [title],
        "source_format": ["text"], "event_speaker": [event_speaker], "byline": [byline],
        "layout_lines": [list(layout_lines)], "published_date": [None],
    }, schema_overrides={"title": pl.String, "event_speaker": pl.String, "byline": pl.String,
                         "layout_lines": pl.List(pl.String), "published_date": pl.Date})
    return paragraphs, documents


def sample_frames():
    """The sample split on blank lines (`## ` lines and short unpunctuated lines are headings);
    the byline and the photo credit go to the documents frame as cleaning does."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", SAMPLE.read_text(encoding="utf-8")) if b.strip()]
    texts, headings, layout, byline = [], set(), [], None
    for b in blocks:
        if b.endswith("摄") and len(b) <= 6:
            layout.append(b)
            continue
        if b.startswith("本报记者"):
            byline = b
            continue
        text = re.sub(r"\s*\n\s*", "", b.removeprefix("## "))
        if b.startswith("## ") or (len(text) < 30 and not re.search(r"[。:：,，]", text)):
            headings.add(len(texts) + 1)
        texts.append(text)
    return frames(texts, headings=headings, byline=byline, layout_lines=layout + ["(下转第5版)"])


def test_sample_has_the_fourteen_gold_turns_in_order():
    paragraphs, documents = sample_frames()
    _, turns, _ = attribute_speakers(paragraphs, documents)
    assert turns["speaker"].to_list() == GOLD["turn_speakers"]
    assert turns["turn_no"].to_list() == list(range(1, 15))
    roles = dict(zip(turns["speaker"], turns["speaker_role"]))
    assert roles == {"记者": "reporter", "金壮龙": "official", "辛国斌": "official", "赵志国": "official"}


def test_sample_people_have_gold_roles_organisations_and_titles():
    paragraphs, documents = sample_frames()
    _, _, people = attribute_speakers(paragraphs, documents)
    got = {r["name"]: (r["role"], r["organization"], r["titles"]) for r in people.to_dicts()}
    want = {p["name"]: (p["role"], p["organization"], p["titles"]) for p in GOLD["people"]}
    assert got == want


def test_headings_are_never_labels_and_stay_outside_turns():
    paragraphs, documents = sample_frames()
    out, _, _ = attribute_speakers(paragraphs, documents)
    heading = out.filter(pl.col("text") == "工信部:把高质量发展要求贯穿到新型工业化全过程")
    assert heading["is_heading"].to_list() == [True]
    assert heading["turn_no"].to_list() == [None]
    assert heading["speaker"].to_list() == [None]
