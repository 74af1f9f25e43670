"""Reported speech outside turns: `国家统计局新闻发言人付凌晖表示`, `付凌晖在发布会上介绍`,
`周总理说`, `他说`; and the role of a speaker whose titles are all non-official."""
from __future__ import annotations

import polars as pl

from transforms.frame_ops import run
from transforms.introductions import introduction_of, surname_titles
from transforms.lexicon import FOREIGN_NAME, NON_OFFICIAL_ALT, NOT_NAME, SPEECH_VERB, TITLE_ALT
from transforms.runs import forward_fill_in_run

# Between a reported speaker and the verb: `日前`, `在发布会上`, `11日在欧盟外长会上`.
SPEECH_SETTING = r"(?:日前|近日|当天|同日|随后|此前|此后|还|也|则)?(?:[0-9]{1,2}日)?(?:在[^,。;:]{0,30}?)?"
REPORTED_TITLED = (
    r"(?:" + TITLE_ALT + r")(" + FOREIGN_NAME + r"|\p{Han}{2,3}?)" + SPEECH_SETTING + SPEECH_VERB
)
# `周恩来总理强调指出`, `李强总理表示`: name then title, at a clause start.
REPORTED_NAME_TITLE = (
    r"(?:^|[,。;:“”])(\p{Han}{2,3}?)(?:" + TITLE_ALT + r")" + SPEECH_SETTING + SPEECH_VERB
)
# `周总理说`, `李总理强调`: surname and title, resolved to the full name the document
# introduces with that title (`国务院总理周恩来`).
REPORTED_SURNAME_TITLE = (
    r"(?:^|[,。;:“”])(\p{Han}(?:" + TITLE_ALT + r"))" + SPEECH_SETTING + SPEECH_VERB
)
REPORTED_BARE = r"^(" + FOREIGN_NAME + r"|\p{Han}{2,3}?)" + SPEECH_SETTING + SPEECH_VERB
# `他说`, `她表示` carry on the last reported speaker.
PRONOUN_SPEECH = r"^(?:他|她)(?:还|又|进一步|同时|最后)?" + SPEECH_VERB



def reported_speech(paras: pl.DataFrame, intros: pl.DataFrame) -> pl.DataFrame:
    """Outside turns: `国家统计局新闻发言人付凌晖表示` (or a bare name the document
    introduces, at the paragraph's start) makes that person the paragraph's speaker;
    a following `他说`/`她表示` paragraph keeps them."""
    outside = pl.col("turn_no").is_null() & ~pl.col("is_heading")
    # Every reported-speech pattern (PRONOUN_SPEECH too) ends in a SPEECH_VERB: the speaker
    # is found only in the paragraphs outside turns that have one, and joined back by row.
    paras = paras.with_row_index("row")
    speech = run(
        paras.lazy().select("row", "doc_id", "text", outside=outside)
        .filter("outside")
        .filter(pl.col("text").str.contains(SPEECH_VERB))
        .with_columns(
            rs_titled=pl.coalesce(pl.col("text").str.extract(REPORTED_TITLED, 1),
                                  pl.col("text").str.extract(REPORTED_NAME_TITLE, 1)),
            rs_bare=pl.col("text").str.extract(REPORTED_BARE, 1),
            surname_title=pl.col("text").str.extract(REPORTED_SURNAME_TITLE, 1),
        )
    )
    known = introduction_of(speech, intros, "rs_bare").lazy().select("doc_id", "rs_bare", bare_known="introduced")
    speech = (
        speech.lazy()
        .join(known, on=["doc_id", "rs_bare"], how="left", maintain_order="left")
        .join(surname_titles(intros), on=["doc_id", "surname_title"], how="left", maintain_order="left")
        .with_columns(
            rs=pl.coalesce(pl.col("rs_titled"), pl.when(pl.col("bare_known")).then(pl.col("rs_bare")),
                           pl.col("full_name")),
        )
        .select(
            "row",
            rs=pl.when(~pl.col("rs").str.contains(NOT_NAME)).then(pl.col("rs")),
            pronoun=pl.col("text").str.contains(PRONOUN_SPEECH),
        )
    )
    # Carry the speaker through `他说` paragraphs; any other paragraph breaks the chain.
    carried = (
        pl.when(pl.col("rs").is_not_null()).then(pl.col("rs"))
        .when(pl.col("pronoun")).then(None)
        .otherwise(pl.lit(""))
        .pipe(forward_fill_in_run, "doc_id")  # a document's paragraphs are contiguous, in order
    )
    return run(
        paras.lazy().join(speech, on="row", how="left", maintain_order="left").drop("row")
        .with_columns(reported=pl.when(outside).then(carried))
        .with_columns(reported=pl.when(pl.col("reported") != "").then(pl.col("reported")))
        .with_columns(
            speaker=pl.coalesce("speaker", "reported"),
            speaker_role=pl.coalesce(
                "speaker_role", pl.when(pl.col("reported").is_not_null()).then(pl.lit("official"))
            ),
        )
    )


def roles_by_titles(paras: pl.DataFrame, intros: pl.DataFrame) -> pl.DataFrame:
    """An `official` speaker whose introduced titles are all non-official
    (`研究员`, `董事长`, `村民`), or a foreign name with no title, is `other`."""
    speakers = paras.filter(pl.col("speaker_role") == "official").select("doc_id", "speaker")
    titled = introduction_of(speakers, intros, "speaker").lazy().select("doc_id", "speaker", "titles")
    others = (
        speakers.lazy().unique()
        .join(titled, on=["doc_id", "speaker"], how="left", maintain_order="left")
        .with_columns(titles=pl.col("titles").fill_null(pl.lit([], dtype=pl.List(pl.String))))
        .filter(
            pl.when(pl.col("titles").list.len() > 0)
            .then(pl.col("titles").list.eval(pl.element().str.contains("^(?:" + NON_OFFICIAL_ALT + ")$")).list.all())
            .otherwise(pl.col("speaker").str.contains("·"))
        )
        .select("doc_id", "speaker", non_official=pl.lit(True))
    )
    return run(
        paras.lazy().join(others, on=["doc_id", "speaker"], how="left", maintain_order="left")
        .with_columns(speaker_role=pl.when(pl.col("non_official").fill_null(False) & (pl.col("speaker_role") == "official"))
                      .then(pl.lit("other")).otherwise(pl.col("speaker_role")))
        .drop("non_official")
    )
