"""Targets and policy references on hand-annotated documents of the scored genres
(tests/gold/targets-*.json): MFA press-conference pages, 新闻联播 items and a work
report's task sections, read by the real readers (so dates come from PubDate, the
digest title, the JSONL year) and scored with the project scorer's score_targets."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from sources.base import raw_frame
from sources.registry import read_file
from tests.corpus_batches import CORPUS, scorer
from transforms.pipeline import transform_batch

GOLD = Path(__file__).resolve().parent / "gold"
GOLD_FILES = sorted(GOLD.glob("targets-*.json"))


@pytest.fixture(scope="module")
def scored():
    """gold name -> (score_targets result, predicted policy titles, gold policy titles)."""
    ev = scorer()
    out = {}
    for gf in GOLD_FILES:
        gold = json.loads(gf.read_text(encoding="utf-8"))
        name, _, item = gold["document"].partition("#")
        docs = [d for d in read_file(GOLD / "docs" / name).docs if d.source_uri.endswith(gold["document"])]
        assert len(docs) == 1, gold["document"]
        b = transform_batch(raw_frame(docs))
        text = b.tables["documents"]["clean_text"][0]
        pred = b.tables["targets"].sort("char_start").to_dicts()
        titles = {ev.norm(t) for t in b.tables["policy_refs"]["title"]}
        gold_titles = {ev.norm(p["title"]) for p in gold["policy_documents"]}
        aliases = {ev.norm(a) for p in gold["policy_documents"] for a in p.get("aliases", [])}
        out[gf.stem] = (ev.score_targets(pred, gold["targets"], text), titles - (aliases - gold_titles), gold_titles)
    return out


def test_there_is_gold_for_each_genre():
    names = [g.stem for g in GOLD_FILES]
    assert any("mfa" in n for n in names) and any("xwlb" in n for n in names) and any("wr" in n for n in names)


def _pooled(scored, key):
    core = sum(s["core"] for s, _, _ in scored.values())
    hits = sum(s["recall"] * s["core"] for s, _, _ in scored.values())
    pred = sum(s["predicted"] for s, _, _ in scored.values())
    matched = sum(s["precision"] * s["predicted"] for s, _, _ in scored.values())
    return {"recall": hits / core, "precision": matched / pred}[key]


def test_pooled_recall_and_precision_over_the_genre_gold(scored):
    # reached when the gold was written: recall 0.902, precision 1.0 (before these rules: 0.488, 0.742)
    assert _pooled(scored, "recall") >= 0.88, {k: s["details"] for k, (s, _, _) in scored.items()}
    assert _pooled(scored, "precision") >= 0.97, {k: s["unmatched_predictions"] for k, (s, _, _) in scored.items()}


@pytest.mark.parametrize("name", [g.stem for g in GOLD_FILES if "-mfa-" in g.stem])
def test_mfa_pages_yield_no_target_from_questions_or_other_countries(scored, name):
    s, _, _ = scored[name]
    assert s["unmatched_predictions"] == []
    assert s["recall"] == 1.0 or s["core"] == 0
    assert s["deadline_acc"] == 1.0 or s["core"] == 0


@pytest.mark.parametrize("name", [g.stem for g in GOLD_FILES if "-xwlb-" in g.stem])
def test_news_items_find_every_plan_target_with_its_year(scored, name):
    s, _, _ = scored[name]
    assert s["recall"] == 1.0, s["details"]
    assert s["deadline_acc"] == 1.0, s["details"]
    assert s["unmatched_predictions"] == []


def test_work_report_task_sections_keep_their_precision(scored):
    s, _, _ = scored["targets-wr2019-tasks"]
    # unmarked imperatives of the task section (`完成铁路投资8000亿元`) are found since issue 14
    assert s["recall"] >= 0.9, s["details"]
    assert s["precision"] == 1.0, s["unmatched_predictions"]
    assert s["deadline_acc"] == 1.0, s["details"]


@pytest.mark.parametrize("name", [g.stem for g in GOLD_FILES])
def test_policy_titles_match_the_gold(scored, name):
    _, found, gold = scored[name]
    assert found == gold


def test_mfa_page_date_comes_from_pubdate_and_this_year_resolves_to_it():
    b = transform_batch(raw_frame(read_file(CORPUS / "mfa-presscon" / "15").docs))
    doc = b.tables["documents"].row(0, named=True)
    assert (doc["published_date"], doc["date_source"]) == (dt.date(2024, 3, 19), "meta:PubDate")
    t = b.tables["targets"].filter(pl.col("text").str.contains("年内"))
    assert t.select("text", "deadline_year").rows() == [("两国外长将于年内实现互访", 2024)]


def test_undated_text_leaves_relative_deadlines_null(tmp_path):
    path = tmp_path / "undated.txt"
    path.write_text("赵立坚:今年中方将向巴方提供100万美元紧急人道现汇援助。\n", encoding="utf-8")
    b = transform_batch(raw_frame(read_file(path).docs))
    assert b.tables["documents"]["published_date"][0] is None
    t = b.tables["targets"]
    assert t.select("deadline_text", "deadline_year").rows() == [("今年", None)]


PROVINCIAL = [g.stem for g in GOLD_FILES if "-prov-" in g.stem]
# annotated from the text before the pipeline's output on them was looked at (the note in each file)
HELD_OUT = [n for n in PROVINCIAL if "held out" in json.loads((GOLD / f"{n}.json").read_text(encoding="utf-8"))["note"]]


@pytest.mark.parametrize("group", ["all", "held_out"])
def test_provincial_reports_targets_recall_precision_and_deadlines(scored, group):
    names = PROVINCIAL if group == "all" else HELD_OUT
    assert len(names) >= (6 if group == "all" else 4)
    part = {n: scored[n] for n in names}
    assert _pooled(part, "recall") >= 0.9, {n: s["details"] for n, (s, _, _) in part.items()}
    assert _pooled(part, "precision") >= 0.9, {n: s["unmatched_predictions"] for n, (s, _, _) in part.items()}
    hits = sum(s["recall"] * s["core"] for s, _, _ in part.values())
    assert sum(s["deadline_acc"] * s["recall"] * s["core"] for s, _, _ in part.values()) / hits >= 0.95
