"""The shortcuts that keep figures fast give the rows of the rules they stand for: named
groups read from each matched surface alone (once per distinct surface) are those of the
pattern run over the sentence, and matches dropped before the context work are never
figures. Real corpus text, without Prefect."""
from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from tests.corpus_batches import CORPUS, all_corpus_text, batch_of
from transforms import figures

MFA_PAGES = sorted(p for p in (CORPUS / "mfa-presscon").iterdir() if p.is_file() and p.name.isdigit())
# the pattern with the text before each match captured: the rule the surface shortcut stands for
PIECE_GROUPS_RE = rf"(?s)^(?P<gap>.*?)(?P<surface>{figures.FIGURE_RE})"


@pytest.fixture(scope="module")
def batches():
    return [all_corpus_text(), batch_of(*MFA_PAGES)]


def _sentence(text: str) -> pl.DataFrame:
    return pl.DataFrame({"doc_id": ["d"], "sent_no": [1], "turn_no": [1], "speaker": ["李强"], "text": [text],
                         "char_start": [0], "char_end": [len(text)]})


def test_groups_read_from_each_surface_are_those_of_the_pattern_over_the_sentence(batches):
    for batch in batches:
        texts = batch.tables["sentences"].select("text")
        direct = (
            texts.with_row_index("_row")
            .select("_row", piece=pl.col("text").str.extract_all(figures.PIECE_RE))
            .explode("piece").drop_nulls("piece")
            .select("_row", g=pl.col("piece").str.extract_groups(PIECE_GROUPS_RE)).unnest("g")
            .select("_row", "surface", *[pl.col(g).replace("", None) for g in figures.GROUPS])
        )
        fast = figures._matches(texts).select("_row", "surface")
        fast = fast.with_columns(g=pl.col("surface").str.extract_groups(figures.SURFACE_GROUPS_RE)).unnest("g") \
            .select("_row", "surface", *[pl.col(g).replace("", None) for g in figures.GROUPS])
        assert direct.height > 5000
        assert_frame_equal(fast, direct)


def test_dropping_matches_that_are_never_figures_early_loses_no_figure(batches, monkeypatch):
    for batch in batches:
        s, d = batch.tables["sentences"], batch.tables["documents"]
        fast = figures.figures_from_sentences(s, d)
        monkeypatch.setattr(figures, "_never_figures", lambda: pl.lit(False))
        assert_frame_equal(fast, figures.figures_from_sentences(s, d))
        monkeypatch.undo()
        assert fast.height > 500


def test_most_matches_are_dropped_before_the_context_work(batches):
    s = batches[0].tables["sentences"]
    m = figures._matches(s).join(s.with_row_index("_row"), on="_row")
    assert m.filter(figures._never_figures()).height > m.height / 2


def test_a_lone_chinese_digit_before_a_list_keeps_the_unit_written_after_it():
    # the list form of 分别高4.2和0.7个百分点 with a Chinese first number
    f = figures.figures_from_sentences(_sentence("两项指标分别增长一和2倍"), None)
    assert f.select("surface", "value", "unit").rows() == [("一", 1.0, "倍"), ("2倍", 2.0, "倍")]


def test_dates_and_skipped_spans_are_dropped_early_and_yield_no_figure():
    text = "2023年7月5日,《2024年国务院政府工作报告》提出,第5版3至5年内建成3个"
    m = figures._matches(_sentence(text)).join(_sentence(text).with_row_index("_row"), on="_row")
    dropped = m.filter(figures._never_figures())["surface"].to_list()
    assert dropped == ["2023年", "7月", "5日", "《2024年国务院政府工作报告》", "第5"]
    assert figures.figures_from_sentences(_sentence(text), None)["surface"].to_list() == ["3至5年", "3个"]
