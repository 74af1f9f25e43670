"""Figures on hand-annotated documents of the other genres (tests/gold/figures-*.json):
CCTV 新闻联播 items, MFA press-conference passages, government work report reviews.

Each gold file names a text in tests/gold/docs; the texts go through the real text
reader and transforms.pipeline.transform_batch (no Prefect) and are scored with
warehouse/evaluate.py's score_figures, as the hidden documents are scored.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from sources.base import raw_frame
from sources.text import read_text
from tests.figure_helpers import DATA
from transforms.pipeline import transform_batch

GOLD_DIR = Path(__file__).resolve().parent / "gold"
GOLD_FILES = sorted(GOLD_DIR.glob("figures-*.json"))


def _score_figures():
    from warehouse.evaluate import score_figures
    return score_figures


@pytest.fixture(scope="module")
def scored():
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in GOLD_FILES]
    docs = []
    for g in golds:
        path = GOLD_DIR / "docs" / g["document"]
        docs += read_text(path.read_bytes(), str(path)).docs
    tables = transform_batch(raw_frame(docs)).tables
    documents, figures = tables["documents"], tables["figures"]
    score = _score_figures()
    out = {}
    for p, g in zip(GOLD_FILES, golds):
        doc = documents.filter(documents["source_uri"].str.ends_with("/" + g["document"])).row(0, named=True)
        pred = figures.filter(figures["doc_id"] == doc["doc_id"]).sort("char_start").to_dicts()
        out[p.stem] = score(pred, g["figures"], doc["clean_text"])
    return out


def test_gold_set_covers_the_genres_with_enough_figures():
    names = [p.stem for p in GOLD_FILES]
    assert sum("xwlb" in n for n in names) >= 2
    assert sum("mfa" in n for n in names) >= 1
    assert sum("work-report" in n for n in names) >= 1
    core = sum(f.get("core", True) for p in GOLD_FILES for f in json.loads(p.read_text(encoding="utf-8"))["figures"])
    assert core >= 100


def test_every_gold_document_is_found_and_scored(scored):
    assert set(scored) == {p.stem for p in GOLD_FILES}


def test_figures_meet_recall_precision_and_speaker_bounds_over_the_genres(scored):
    core = sum(s["core"] for s in scored.values())
    hits = sum(s["strict_hits"] for s in scored.values())
    scored_preds = sum(s["scored"] for s in scored.values())
    spoken = sum(s["lenient_hits"] for s in scored.values())
    speaker_ok = sum(s["speaker_ok"] for s in scored.values())
    recall, precision, speaker = hits / core, hits / scored_preds, speaker_ok / spoken
    print(f"\ngenres: {core} core figures, strict recall {recall:.3f}, precision {precision:.3f}, speaker {speaker:.3f}")
    for name, s in scored.items():
        print(f"  {name}: recall {s['strict_recall']:.3f} precision {s['precision']:.3f} "
              f"speaker {s['speaker_acc']:.3f} misses {s['misses']} false positives {s['false_positives']}")
    assert recall >= 0.98
    assert precision >= 0.98
    assert speaker >= 0.98


@pytest.mark.parametrize("name", [p.stem for p in GOLD_FILES])
def test_each_document_keeps_recall_and_precision(scored, name):
    s = scored[name]
    assert s["strict_recall"] >= 0.9, s["misses"]
    assert s["precision"] >= 0.9, s["false_positives"]
