"""The shortcuts that keep figures fast give the rows of the rules they stand for: named
groups read from each matched surface alone (once per distinct surface, with a smaller
pattern where the surface can be neither a skipped span nor a range) are those of the
pattern run over the sentence, an anchored search finds where each match starts, texts
without a numeral are not scanned, matches dropped before the context work are never
figures, periods are searched only in texts with 年, 月 or 季, and only non-Arabic
numerals go to the parser. Real corpus text, without Prefect."""
from __future__ import annotations

import re
import sys

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from tests.corpus_batches import CORPUS, all_corpus_text, batch_of
from transforms import figures
from transforms.numerals import parse_numeral

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


def _units(batch) -> pl.DataFrame:
    """The texts `figures_from_sentences` scans: sentences and the text outside them (headings)."""
    s, d = batch.tables["sentences"], batch.tables["documents"]
    return pl.concat([s.select("doc_id", "text"), figures._text_outside_sentences(s, d).select("doc_id", "text")])


def test_texts_without_a_numeral_hold_only_skipped_spans(batches):
    for batch in batches:
        texts = _units(batch).select("text").with_row_index("_row")
        no_numeral = texts.filter(~pl.col("text").str.contains(figures.MATCH_NEEDS_RE))
        # most texts are not scanned by the figure pattern at all
        assert no_numeral.height > texts.height / 2
        m = figures._matches(texts.select("text")).join(no_numeral, on="_row", how="semi")
        assert m.height > 100  # 《...》 and “...” spans in them
        assert m.filter(pl.col("skip").is_null()).is_empty()


def test_not_scanning_texts_without_a_numeral_loses_no_figure(batches, monkeypatch):
    for batch in batches:
        s, d = batch.tables["sentences"], batch.tables["documents"]
        fast = figures.figures_from_sentences(s, d)
        monkeypatch.setattr(figures, "MATCH_NEEDS_RE", "")  # every text is scanned
        assert_frame_equal(fast, figures.figures_from_sentences(s, d))
        monkeypatch.undo()


def test_not_scanning_texts_with_only_lone_chinese_digits_loses_no_figure(batches, monkeypatch):
    """Texts with a numeral but no FIGURE_NEEDS_RE (一些, 两国, 一个 only) are not scanned."""
    for batch in batches:
        s, d = batch.tables["sentences"], batch.tables["documents"]
        texts = _units(batch).get_column("text")
        with_numeral = texts.filter(texts.str.contains(figures.MATCH_NEEDS_RE))
        # a good share of the texts with a numeral are left out (一些, 两国, 一个 only)
        assert (~with_numeral.str.contains(figures.FIGURE_NEEDS_RE)).sum() > with_numeral.len() / 5
        fast = figures.figures_from_sentences(s, d)
        monkeypatch.setattr(figures, "FIGURE_NEEDS_RE", "")  # every text with a numeral is scanned
        assert_frame_equal(fast, figures.figures_from_sentences(s, d))
        monkeypatch.undo()


@pytest.mark.parametrize("text", [
    "三至五年内建成", "约有十多万人参加", "近万家企业", "增长了一和两倍", "提高三成", "翻一番", "过半数",
    "三分之一的企业", "百分之十五", "一左右和二", "两个至三个", "逾百家",
])
def test_texts_whose_figures_hang_on_one_chinese_digit_are_scanned(text, monkeypatch):
    assert pl.Series([text]).str.contains(figures.FIGURE_NEEDS_RE).item()
    fast = figures.figures_from_sentences(_sentence(text), None)
    monkeypatch.setattr(figures, "FIGURE_NEEDS_RE", "")
    assert_frame_equal(fast, figures.figures_from_sentences(_sentence(text), None))


def test_the_anchored_search_finds_where_each_match_starts_as_a_search_of_the_whole_piece(batches, monkeypatch):
    for batch in batches:
        texts = _units(batch).select("text")
        fast = figures._matches(texts)
        # the match ending each piece, found by scanning the piece from its start (the rule)
        monkeypatch.setattr(figures, "SURFACE_AT_END_RE", figures.FIGURE_RE)
        assert_frame_equal(fast, figures._matches(texts))
        monkeypatch.undo()
        # the surfaces are those of the pattern over each whole text
        direct = (texts.with_row_index("_row")
                  .select("_row", surface=pl.col("text").str.extract_all(figures.FIGURE_RE))
                  .explode("surface").drop_nulls("surface"))
        assert_frame_equal(fast.select("_row", "surface"), direct)
        # a piece is mostly the text before its match, which the anchored search does not scan
        gaps = fast.select(pl.col("_start") - pl.col("_end").shift(1).over("_row").fill_null(0)).to_series()
        assert gaps.sum() > 2 * fast.get_column("surface").str.len_chars().sum()


# `_never_figures_by_surface` without its lone Chinese digit with a measure word: skipped spans
# and single numbers with a time word (the rule before that drop was added)
def _never_by_surface_without_digit_words() -> pl.Expr:
    time_word = pl.col("r_n1").is_null() & pl.col("unit").is_in(figures.TIME_UNITS).fill_null(False)
    return pl.col("skip").is_not_null() | time_word


@pytest.mark.parametrize("name, off", [
    ("_never_figures_by_surface", _never_by_surface_without_digit_words),  # 两国, 一个
    ("_is_bare_number", lambda: pl.lit(False)),  # 一, 02000004 with no list after them
], ids=["lone_chinese_digit_with_a_measure_word", "bare_number"])
def test_each_early_drop_loses_no_figure_and_drops_many_matches(batches, monkeypatch, name, off):
    for batch in batches:
        s, d = batch.tables["sentences"], batch.tables["documents"]
        fast, kept = figures.figures_from_sentences(s, d), figures._matches(s, figures_only=True).height
        monkeypatch.setattr(figures, name, off)
        assert_frame_equal(fast, figures.figures_from_sentences(s, d))
        assert figures._matches(s, figures_only=True).height > 1.4 * kept
        monkeypatch.undo()


def test_groups_read_with_the_smaller_pattern_are_those_of_the_whole_pattern(batches, monkeypatch):
    surfaces = pl.concat([figures._matches(_units(b).select("text")).select("surface") for b in batches]).unique()
    fast = figures._surface_groups(surfaces).sort("surface")
    # most surfaces can be neither a skipped span nor a range
    assert (~surfaces.get_column("surface").str.contains(figures.MAY_BE_SKIP_OR_RANGE_RE)).sum() > surfaces.height / 2
    monkeypatch.setattr(figures, "MAY_BE_SKIP_OR_RANGE_RE", "")  # every surface read with the whole pattern
    assert_frame_equal(fast, figures._surface_groups(surfaces).sort("surface"))
    assert fast.filter(pl.col("skip").is_not_null()).height > 100
    assert fast.filter(pl.col("r_n1").is_not_null()).height > 100


def test_periods_are_found_only_in_texts_with_a_year_month_or_quarter(batches, monkeypatch):
    for batch in batches:
        texts = _units(batch)
        period = pl.col("text").str.extract(figures.PERIOD_RE, 0)
        assert texts.filter(period.is_not_null()).height > 300
        assert texts.filter(period.is_not_null() & ~pl.col("text").str.contains(figures.PERIOD_NEEDS_RE)).is_empty()
        # most texts are not searched for a period
        assert (~texts.get_column("text").str.contains(figures.PERIOD_NEEDS_RE)).sum() > texts.height / 2
        s, d = batch.tables["sentences"], batch.tables["documents"]
        fast = figures.figures_from_sentences(s, d)
        assert fast.get_column("period").is_not_null().sum() > 200
        monkeypatch.setattr(figures, "PERIOD_NEEDS_RE", "")  # every text searched
        assert_frame_equal(fast, figures.figures_from_sentences(s, d))
        monkeypatch.undo()


def test_parsing_only_non_arabic_numerals_in_python_loses_no_value(batches, monkeypatch):
    parsed, every = [], []

    def every_numeral(frame: pl.DataFrame, cols: list[str]) -> dict[str, str]:
        """`_chinese_mantissas` with every distinct numeral parsed, Arabic ones too."""
        words = {w for c in cols for w in frame.get_column(c).drop_nulls().unique().to_list()}
        every.append(words)
        return {w: format(d, "f") for w in words if (d := parse_numeral(w)) is not None}

    for batch in batches:
        s, d = batch.tables["sentences"], batch.tables["documents"]
        # the numerals `_chinese_mantissas` hands to the parser
        monkeypatch.setattr(figures, "parse_numeral", lambda w: (
            sys._getframe(1).f_code.co_name == "_chinese_mantissas" and parsed.append(w)) or parse_numeral(w))
        fast = figures.figures_from_sentences(s, d)
        monkeypatch.setattr(figures, "_chinese_mantissas", every_numeral)
        assert_frame_equal(fast, figures.figures_from_sentences(s, d))
        monkeypatch.undo()
    # most distinct numerals are Arabic, and none of them goes to the parser (1万6千 does)
    words = set().union(*every)
    arabic = {w for w in words if re.fullmatch("[0-9.,]+", w)}
    assert len(arabic) > len(words - arabic) > 500
    assert any(w[0].isdigit() for w in words - arabic)
    assert len(parsed) > 500 and not arabic & set(parsed)
