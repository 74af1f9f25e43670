"""The shortcuts that keep targets and speakers fast give the rows of the rules they
stand for: clause rules only in units naming a commitment word and stating a deadline or
a quantity, and only on clauses that may be targets, INTRO only inside runs
of its own characters holding a title, forward fills bounded by their unit and
document. Real corpus text, without Prefect."""
from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from tests.corpus_batches import CORPUS, all_corpus_text, batch_of
from tests.test_targets import FIG_SCHEMA
from transforms import introductions, targets

MFA_PAGES = sorted(p for p in (CORPUS / "mfa-presscon").iterdir() if p.is_file() and p.name.isdigit())


def _sentences(doc_texts: list[tuple[str, str]]) -> pl.DataFrame:
    """One row per (doc_id, text), numbered within the document, each at offset 0."""
    rows = []
    for doc_id, text in doc_texts:
        sent_no = sum(1 for r in rows if r[0] == doc_id) + 1
        rows.append((doc_id, sent_no, 1, 1, "李强", text, 0, len(text)))
    return pl.DataFrame(rows, orient="row", schema={
        "doc_id": pl.String, "sent_no": pl.Int32, "para_no": pl.Int32, "turn_no": pl.Int32, "speaker": pl.String,
        "text": pl.String, "char_start": pl.Int32, "char_end": pl.Int32})


@pytest.fixture(scope="module")
def text_corpus():
    return all_corpus_text()


@pytest.fixture(scope="module")
def mfa_pages():
    return batch_of(*MFA_PAGES)


def test_a_unit_is_kept_whole_when_one_of_its_sentences_names_a_commitment_word():
    s = _sentences([
        ("d", "今年发展主要预期目标是:国内生产总值增长5%左右;"),
        ("d", "城镇新增就业1200万人以上。"),  # no commitment word of its own
        ("d", "1995年是继续推进改革开放和现代化建设的重要一年。"),
        ("d", "一些重要商品价格得到调整。"),
    ])
    assert targets._commitment_units(s)["sent_no"].to_list() == [1, 2]


def test_skipping_units_without_a_commitment_word_loses_no_target(text_corpus, mfa_pages, monkeypatch):
    for batch in (text_corpus, mfa_pages):
        s, f, d = (batch.tables[k] for k in ("sentences", "figures", "documents"))
        assert targets._commitment_units(s).height < s.height / 2
        fast = targets.targets_from_sentences(s, f, d)
        monkeypatch.setattr(targets, "COMMITMENT_WORD_ANYWHERE", "")  # every unit
        assert targets._commitment_units(s).height == s.height
        assert_frame_equal(fast, targets.targets_from_sentences(s, f, d))
        monkeypatch.undo()
    assert text_corpus.tables["targets"].height > 100


def test_a_commitment_scope_ends_with_its_document():
    # the first document's last sentence ends in `;`, which would run its unit (and
    # the scope of `力争`) into the next sentence of the same document
    s = _sentences([("a", "力争到2027年,建成200个左右高标准数字园区;"), ("b", "建成200个左右高标准数字园区。")])
    figs = pl.DataFrame([("a", 1, 200.0, None, "个", "~", 12, 18), ("b", 1, 200.0, None, "个", "~", 2, 8)],
                        schema=FIG_SCHEMA, orient="row")
    docs = pl.DataFrame({"doc_id": ["a", "b"], "published_date": [dt.date(2024, 7, 5)] * 2})
    t = targets.targets_from_sentences(s, figs, docs)
    assert t.select("doc_id", "deadline_year", "value").rows() == [("a", 2027, 200.0)]


def _texts(batch) -> pl.DataFrame:
    return batch.tables["documents"].select(
        "doc_id", text=pl.concat_str(pl.col("title").fill_null(""), pl.col("clean_text").fill_null(""), separator="\n"))


def test_introductions_found_in_title_runs_are_those_of_intro_over_the_whole_text(text_corpus, mfa_pages):
    texts = pl.concat([_texts(text_corpus), _texts(mfa_pages)])
    direct = (
        texts.select("doc_id", intro=pl.col("text").str.replace_all(introductions.DATE_PART, ",")
                     .str.extract_all(introductions.INTRO))
        .explode("intro")
        .drop_nulls("intro")
    )
    assert_frame_equal(introductions.intro_matches(texts), direct)
    # both patterns are exercised: runs up to INTRO_SHORT_RUN characters and longer ones
    runs = texts.select(run=pl.col("text").str.extract_all(introductions.INTRO_RUN)).explode("run")["run"].str.len_chars()
    assert (runs <= introductions.INTRO_SHORT_RUN).sum() > 100 and (runs > introductions.INTRO_SHORT_RUN).sum() > 10
    assert direct.height > 1000


def test_a_title_chain_and_name_are_found_inside_one_run_of_the_sentence():
    # the date is cut, so the second run starts at `外交部`; the name candidate keeps
    # one character after a short name (`林剑主`), as over the whole text
    texts = pl.DataFrame({"doc_id": ["d"], "text": [
        "中共中央总书记、国家主席、中央军委主席习近平出席会议并发表重要讲话。"
        "2024年3月26日外交部发言人林剑主持例行记者会"]})
    assert introductions.intro_matches(texts)["intro"].to_list() == [
        "中共中央总书记、国家主席、中央军委主席习近平", "外交部发言人林剑主"]


def test_a_unit_in_scope_is_kept_when_it_states_a_deadline_or_a_quantity():
    s = _sentences([
        ("d", "我们要坚定不移推进改革;"),  # no deadline, but a figure in the next sentence of its unit
        ("d", "建成200个左右高标准数字园区。"),
        ("d", "我们要坚定不移推进改革。"),  # neither: dropped
        ("d", "力争到2027年全面建成。"),  # a deadline
        ("d", "确保实现数字化改造全覆盖。"),  # 全覆盖
        # the year of the targets, 21 characters before 目标 (20 in the clause, with 去年基础上 masked)
        ("d", "2024年在去年基础上继续提高的经济社会发展主要预期目标是:"),
        ("d", "经济平稳较快增长。"),
    ])
    figs = pl.DataFrame([("d", 2, 200.0, None, "个", "~", 2, 8)], schema=FIG_SCHEMA, orient="row")
    assert targets._commitment_units(s)["sent_no"].to_list() == [1, 2, 3, 4, 5, 6, 7]
    assert targets._commitment_units(s, figs)["sent_no"].to_list() == [1, 2, 4, 5, 6, 7]


def test_skipping_units_without_a_deadline_or_quantity_loses_no_target(text_corpus, mfa_pages, monkeypatch):
    commitment_units = targets._commitment_units
    for batch in (text_corpus, mfa_pages):
        s, f, d = (batch.tables[k] for k in ("sentences", "figures", "documents"))
        # most units naming a commitment word state neither a deadline nor a quantity
        assert targets._commitment_units(s, f).height < targets._commitment_units(s).height / 3
        fast = targets.targets_from_sentences(s, f, d)
        # every unit naming a commitment word (the rule before this shortcut)
        monkeypatch.setattr(targets, "_commitment_units", lambda sentences, figures=None: commitment_units(sentences))
        assert_frame_equal(fast, targets.targets_from_sentences(s, f, d))
        monkeypatch.undo()


def test_clause_rules_run_only_on_clauses_under_a_commitment_word_or_opening_with_a_deadline(
        text_corpus, mfa_pages, monkeypatch):
    # the clauses `_quantities` gets are those the clause rules ran on, less `head` and `plain` ones
    clauses_of, quantities = targets.clauses_from_sentences, targets._quantities
    for batch in (text_corpus, mfa_pages):
        s, f, d = (batch.tables[k] for k in ("sentences", "figures", "documents"))
        seen = {}
        monkeypatch.setattr(targets, "clauses_from_sentences", lambda x: seen.setdefault("clauses", clauses_of(x)))
        monkeypatch.setattr(targets, "_quantities", lambda c, figs: quantities(seen.setdefault("cands", c), figs))
        fast = targets.targets_from_sentences(s, f, d)
        assert not fast.is_empty()
        monkeypatch.undo()
        # every clause through the clause rules: the same targets
        monkeypatch.setattr(targets, "_may_be_target", lambda: pl.lit(True))
        assert_frame_equal(fast, targets.targets_from_sentences(s, f, d))
        monkeypatch.undo()
        assert seen["cands"].filter(~targets._may_be_target()).is_empty()
        assert seen["cands"].height < seen["clauses"].height / 2
