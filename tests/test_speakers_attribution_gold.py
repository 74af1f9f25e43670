"""Attribution on real documents of the genres analysts query: provincial work
reports, news reports of press events (新闻联播 items), news briefs with reported
speech, a national work report, and an interview/dialogue layout (a look-alike
written for the project, marked as such in its text). Hand-annotated gold in
tests/gold/attribution-*.json: people (name, role, organisation, titles), the turn
sequence, and the speaker of a sample of figures; scored with the project's
evaluator functions (warehouse/evaluate.py).

Each gold file says whether its document was `held_out` (annotated from the text
before the pipeline was run on it, the rules not tuned on it) or not; the scores
are reported per genre and kept apart (`pytest -s` prints the table; the numbers
are in docs/SCHEMA.md too)."""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import polars as pl
import pytest

GOLD_DIR = Path(__file__).resolve().parent / "gold"
GOLD_FILES = sorted(GOLD_DIR.glob("attribution-*.json"))
ROOT = GOLD_DIR.parents[1]


@pytest.fixture(scope="module")
def scored():
    from tests.util import gold_documents
    from warehouse import evaluate

    out = {}
    for stem, gold, doc, tables in gold_documents(GOLD_FILES, lambda gold: ROOT / gold["document"]):
        of_doc = pl.col("doc_id") == doc["doc_id"]
        turns = tables["turns"].filter(of_doc).sort("turn_no")["speaker"].to_list()
        people = tables["people"].filter(of_doc).to_dicts()
        figures = tables["figures"].filter(of_doc).sort("char_start").to_dicts()
        out[stem] = dict(
            gold=gold,
            turns=evaluate.score_turns(turns, gold["turn_speakers"]),
            people=evaluate.score_people(people, gold["people"]),
            figures=evaluate.score_figures(figures, [dict(f) for f in gold["figures"]], doc["clean_text"]),
        )
    return out


def _by_group(scored, key):
    """Pooled scores per group: figure speaker accuracy over matched figures; people
    found/role/org/titles over gold people; share of exact turn sequences."""
    acc = defaultdict(lambda: defaultdict(float))
    for r in scored.values():
        a = acc[key(r["gold"])]
        a["docs"] += 1
        a["speaker_ok"] += r["figures"]["speaker_ok"]
        a["matched"] += r["figures"]["lenient_hits"]
        n = r["people"]["gold"]
        a["people"] += n
        for k in ("found", "role", "org", "titles"):
            a[k] += r["people"][k] * n
        a["turns_exact"] += r["turns"]["exact"]
    return {g: dict(docs=int(a["docs"]), figure_speaker=a["speaker_ok"] / max(1, a["matched"]),
                    matched=int(a["matched"]),
                    **{k: a[k] / max(1, a["people"]) for k in ("found", "role", "org", "titles")},
                    turns_exact=a["turns_exact"] / a["docs"])
            for g, a in sorted(acc.items())}


def test_there_are_at_least_eight_gold_documents_some_held_out():
    golds = [json.loads(f.read_text(encoding="utf-8")) for f in GOLD_FILES]
    assert len(golds) >= 8
    assert sum(g["held_out"] for g in golds) >= 4


def test_scores_per_genre_tuned_and_held_out(scored, capsys):
    table = _by_group(scored, lambda g: ("held out" if g["held_out"] else "tuned", g["genre"]))
    with capsys.disabled():
        print("\nattribution gold (figure speaker accuracy; people found/role/org/titles; turns exact)")
        for (split, genre), s in table.items():
            print(f"  {split:8} {genre:52} docs={s['docs']} figures={s['matched']:2} "
                  f"speaker={s['figure_speaker']:.2f} found={s['found']:.2f} role={s['role']:.2f} "
                  f"org={s['org']:.2f} titles={s['titles']:.2f} turns_exact={s['turns_exact']:.2f}")
    assert table


@pytest.mark.parametrize("split", ["tuned", "held out"])
def test_targets_are_met(scored, split):
    pooled = _by_group(scored, lambda g: "held out" if g["held_out"] else "tuned")[split]
    assert pooled["figure_speaker"] >= 0.95, pooled
    assert pooled["found"] >= 0.9, pooled
    assert pooled["titles"] >= 0.85, pooled


@pytest.mark.parametrize("stem", [f.stem for f in GOLD_FILES])
def test_turn_sequence_is_exact(scored, stem):
    assert scored[stem]["turns"]["exact"], scored[stem]["turns"]


@pytest.mark.parametrize("stem", [f.stem for f in GOLD_FILES])
def test_no_figure_gets_a_speaker_the_gold_does_not_name(scored, stem):
    # a figure of the reporter's narration (gold speaker null) gets no speaker
    wrong = [w for w in scored[stem]["figures"]["wrong_speaker"] if w[1] is None]
    assert wrong == []
