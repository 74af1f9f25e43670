"""Reported speech outside turns, sentence by sentence: `国家统计局新闻发言人付凌晖表示`,
`付凌晖在发布会上介绍`, `据潘功胜介绍`, `“……”王文涛说`, `该负责人表示`, `周总理说`, `他说`;
and the role of a speaker whose titles are all non-official."""
from __future__ import annotations

import polars as pl

from transforms.frame_ops import run
from transforms.introductions import introduction_of, surname_titles, title_holders
from transforms.lexicon import (
    COMMON_SURNAME_CLASS, FORM_OF_ADDRESS, FOREIGN_NAME, NON_OFFICIAL_ALT, NOT_NAME, SPEECH_ADVERB, SPEECH_VERB,
    SURNAME_ALT, TITLE_ALT, TRANSLITERATION,
)
from transforms.runs import forward_fill_in_run
from transforms.segment import SENTENCE

# Between a reported speaker and the verb: `日前`, `在发布会上`, `11日在欧盟外长会上`,
# `在接受记者采访时`, `对记者`, `向《每日经济新闻》记者`, `对澎湃新闻`, `当时`.
SPEECH_SETTING = (
    SPEECH_ADVERB + r"?(?:[0-9]{1,2}日)?(?:在[^,。;:“”]{0,30}?|(?:对|向|接受)[^,。;:“”]{0,20}?(?:记者|采访|媒体|新闻|报|网|社|台)时?)?"
    + SPEECH_ADVERB + r"?"
)
# Who a reported-speech clause names, at a clause start (so a fronted `谈到……时,` or a
# closing quote `”` may stand before it), after an optional `据`:
# `该负责人` / `这位司长` (a title alone, resolved to the person introduced with it),
# `国家统计局新闻发言人付凌晖` (titles and name), `李强总理` (name and title),
# `周总理` (surname and title), `付凌晖` (a bare name the document introduces); a name
# does not open with `向`/`对` (`相关负责人向记者表示` names no one); a transliterated
# foreign name may be longer (`欧盟委员会主席冯德莱恩`).
REPORTED_SUBJECT = (
    r"(?:该|这位|此位|那位|上述)(?:" + TITLE_ALT + r")"
    r"|[^,。;:“”\s]{0,30}?(?:" + TITLE_ALT + r")\s?(?:" + FOREIGN_NAME + r"|[\p{Han}&&[^向对]]\p{Han}{1,2}?|["
    + TRANSLITERATION + r"]{4,6})"
    r"|\p{Han}{2,3}?(?:" + TITLE_ALT + r")"
    r"|\p{Han}(?:" + TITLE_ALT + r")"
    r"|" + FOREIGN_NAME + r"|\p{Han}{2,3}?"
)
# The clauses that end in a speech verb (`,国家统计局新闻发言人付凌晖表示`), found with a
# cheap pattern; the subject is then read from each clause's start (REPORTED), which on
# short clauses is many times faster than scanning whole paragraphs with it.
SPEECH_CLAUSE = r"(?:^|[,。;:!?“”\s])据?[^,。;:!?“”\s]{1,70}?" + SPEECH_VERB
CLAUSE_HEAD = ",。;:!?“” \n"
REPORTED = r"^据?(" + REPORTED_SUBJECT + r")" + SPEECH_SETTING + SPEECH_VERB
# The subject taken apart: a title alone, a title chain and name, name and title,
# surname and title, a bare name.
SUBJECT_DEMONSTRATIVE = r"^(?:该|这位|此位|那位|上述)(" + TITLE_ALT + r")$"
SUBJECT_TITLED = r"(?:" + TITLE_ALT + r")\s?(" + FOREIGN_NAME + r"|\p{Han}{2,3}|[" + TRANSLITERATION + r"]{4,6})$"
SUBJECT_NAME_TITLE = r"^(\p{Han}{2,3}?)(?:" + TITLE_ALT + r")$"
SUBJECT_SURNAME_TITLE = r"^(\p{Han}(?:" + TITLE_ALT + r"))$"
SUBJECT_BARE = r"^(" + FOREIGN_NAME + r"|\p{Han}{2,3})$"
# `他说`, `她表示`, `其还表示` carry on the last reported speaker; so does a paragraph that
# opens with a quotation of some length (`“我们的目标是...”`), not `“十四五”期间...`.
PRONOUN_SPEECH = r"^(?:他|她|其)" + SPEECH_SETTING + SPEECH_VERB
QUOTE_OPENING = r"^“[^”]{8,}"
# A sentence the reporter opens with an unnamed source: `据悉,`, `据了解,`, `数据显示,`.
NARRATED_SENTENCE = r"^\s*(?:据(?:悉|了解|报道|统计|测算|估计|介绍|初步统计)|另据|(?:数据|资料|统计|调查)显示|记者(?:了解到|获悉|注意到|从))"
# A sentence whose speech is a quotation to its end: `习近平总书记强调,“南水北调工程事关战略全局”。`
QUOTED_SPEECH = SPEECH_VERB + r"[,:]?“[^“”]*”[。!?;]*\s*$"
# A paragraph that goes on with a speaker's account, as the points of a list do:
# `从行业看,...`, `分产业看,...`, `二是...`, `其中,...`, `总的来看,...`.
CONTINUATION = (
    r"^\s*(?:[一二三四五六七八九十]是|第[一二三四五六七八九十][,、是]|首先|其次|再次|最后|其中|"
    r"(?:从|分|按)[^,。;]{1,12}(?:看|来看|上看)|(?:具体|总的|总体|整体|综合)(?:来看|而言|来说)|一方面|另一方面)"
)
# The reporter's own narration, which ends a speaker's account: a paragraph opening with a
# date, a time word or a source (`7月18日,`, `目前,`, `据了解`, `数据显示`, `此外,4位部长还
# 就...回答了记者提问`), or one that mentions the reporter or what data show.
NARRATION = (
    r"^\s*(?:[0-9]{1,2}月[0-9]{1,2}日|[0-9]{4}年|今年|去年|目前|当前|近期|近日|日前|此前|此外|另外|同时|与此同时|"
    r"截至|据|另据|本报|新华社|央视|会上|会议|发布会上|对此|相关|数据|统计)"
    r"|记者|显示|获悉|了解到|注意到|报道|发布会|新闻发布"
)


def reported_speech(paras: pl.DataFrame, intros: pl.DataFrame) -> pl.DataFrame:
    """Outside turns: each sentence that reports a named person's speech
    (`国家统计局新闻发言人付凌晖表示`, `据付凌晖介绍`, `“...”付凌晖说`, `该负责人表示`) is that
    person's, and so are the paragraph's next sentences until a closed quotation ends the
    account or a sentence opens with an unnamed source (`sentence_speakers`); the
    paragraph's speaker is its first named one. A following paragraph that goes on with
    `他说`, a quotation or a point of the account keeps the speaker; any other paragraph
    (narration, a heading) ends the run. A name or title the document does not tie to a
    person gives no speaker."""
    outside = pl.col("turn_no").is_null() & ~pl.col("is_heading")
    # Every reported-speech pattern ends in a SPEECH_VERB: the speaker is found only in the
    # paragraphs outside turns that have one, and joined back by row.
    paras = paras.with_row_index("row")
    # Each paragraph is read sentence by sentence (the sentences `segment` will make), so
    # a figure is its sentence's speaker's: `国家统计局今天发布数据,...增长5%。付凌晖表示,...`
    # gives the first sentence no speaker and the second 付凌晖.
    pieces = run(
        paras.lazy().select("row", "doc_id", "text", outside=outside)
        .filter("outside")
        .filter(pl.col("text").str.contains(SPEECH_VERB))
        .select("row", "doc_id", opens_quote=pl.col("text").str.strip_chars_start().str.starts_with("“"),
                piece=pl.col("text").str.extract_all(SENTENCE))
        .explode("piece")
        .with_columns(piece_no=pl.int_range(pl.len()).over("row"))
    )
    clauses = run(
        pieces.lazy()
        .with_columns(piece=pl.col("piece").str.strip_chars_start())
        .with_columns(clause=pl.col("piece").str.extract_all(SPEECH_CLAUSE)
                      .list.eval(pl.element().str.strip_chars_start(CLAUSE_HEAD)))
        .explode("clause").drop_nulls("clause")
        .with_columns(clause_no=pl.int_range(pl.len()).over("row", "piece_no"),
                      opens=pl.col("piece").str.starts_with(pl.col("clause")),
                      # turned against the sentence's opening: `大家普遍认为...,但华为院士艾伟表示`
                      turned=pl.col("clause").str.contains("^(?:但|而|不过|然而)"))
        .with_columns(subject=pl.col("clause").str.extract(REPORTED, 1))
        .filter(pl.col("subject").is_not_null() | pl.col("opens"))
        .with_columns(
            demonstrative=pl.col("subject").str.extract(SUBJECT_DEMONSTRATIVE, 1),
            rs_titled=pl.coalesce(
                pl.col("subject").str.extract(SUBJECT_TITLED, 1),
                # `李强总理表示`, not `企业负责人告诉记者`
                pl.col("subject").str.extract(SUBJECT_NAME_TITLE, 1).pipe(
                    lambda name: pl.when(name.str.contains("^(?:" + SURNAME_ALT + ")")).then(name)),
            ),
            surname_title=pl.col("subject").str.extract(SUBJECT_SURNAME_TITLE, 1),
            rs_bare=pl.col("subject").str.extract(SUBJECT_BARE, 1),
        )
    )
    known = introduction_of(clauses, intros, "rs_bare").lazy().select("doc_id", "rs_bare", bare_known="introduced")
    # The speaker each sentence with a source names: the first named one; "" where the
    # source is no named person (`据达摩院介绍,...`, `有业内人士表示`). A sentence that opens
    # with such a source is theirs even if it names a speaker later, unless that speaker
    # is turned against the opening (`但...表示`).
    marks = run(
        clauses.lazy()
        .join(known, on=["doc_id", "rs_bare"], how="left", maintain_order="left")
        # a full name (surname + 2) the document gives as a speaker more than once, even
        # without a title: `习近平在文章中指出`, `习近平在文章中说`
        # (not a surname with a form of address: `冯警官`, `温先生`)
        .with_columns(bare_recurs=(pl.col("rs_bare").str.contains("^" + COMMON_SURNAME_CLASS + r"\p{Han}{2}$")
                                   & ~pl.col("rs_bare").str.contains(FORM_OF_ADDRESS)).fill_null(False)
                      & (pl.len().over("doc_id", "rs_bare") >= 2))
        .join(surname_titles(intros), on=["doc_id", "surname_title"], how="left", maintain_order="left")
        .join(title_holders(intros).rename({"title": "demonstrative", "full_name": "holder"}),
              on=["doc_id", "demonstrative"], how="left", maintain_order="left")
        .with_columns(
            rs=pl.when(pl.col("demonstrative").is_not_null()).then(pl.col("holder")).otherwise(pl.coalesce(
                pl.when(pl.col("surname_title").is_not_null()).then(pl.col("full_name")),
                pl.col("rs_titled"),
                pl.when(pl.col("bare_known") | pl.col("bare_recurs")).then(pl.col("rs_bare")),
            )),
        )
        .with_columns(rs=pl.when(~pl.col("rs").str.contains(NOT_NAME)).then(pl.col("rs")))
        .sort("row", "piece_no", "clause_no")
        .group_by("row", "piece_no", maintain_order=True)
        .agg(mark=pl.when(pl.col("opens").first() & pl.col("rs").first().is_null())
             .then(pl.col("rs").filter(pl.col("turned")).drop_nulls().first())
             .otherwise(pl.col("rs").drop_nulls().first())
             .fill_null(""))
    )
    # Per paragraph: its speaker is the first sentence's named speaker; the sentences'
    # speakers follow the marks, the sentences before the first mark having none (or,
    # when the paragraph opens with a quotation closed by `X说`, X).
    spoken = run(
        pieces.lazy().select("row", "piece_no", "opens_quote",
                             quoted=pl.col("piece").str.contains(QUOTED_SPEECH).fill_null(False),
                             narrated=pl.col("piece").str.contains(NARRATED_SENTENCE).fill_null(False))
        .join(marks.lazy(), on=["row", "piece_no"], how="left", maintain_order="left")
        # a sentence the reporter opens with an unnamed source is nobody's (`据悉,...`)
        .with_columns(mark=pl.when(pl.col("mark").is_null() & pl.col("narrated")).then(pl.lit(""))
                      .otherwise(pl.col("mark")))
        # a sentence whose speech is a closed quotation (`习近平总书记强调,“...”。`) ends the
        # account: the next sentence, naming no one, is the reporter's again
        .with_columns(mark=pl.when(pl.col("mark").is_null() & pl.col("quoted").shift(1).over("row")
                                   & pl.col("mark").shift(1).over("row").is_not_null())
                      .then(pl.lit("")).otherwise(pl.col("mark")))
        .group_by("row", maintain_order=True)
        .agg(
            rs=pl.col("mark").filter(pl.col("mark").fill_null("") != "").first(),
            sentence_speakers=pl.col("mark").forward_fill(),
            opens_quote=pl.col("opens_quote").first(),
            sourced=pl.col("mark").is_not_null().any(),
        )
        .filter("sourced")
        .with_columns(sentence_speakers=pl.col("sentence_speakers").list.eval(
            pl.element().fill_null(pl.lit(""))))
        .with_columns(sentence_speakers=pl.when(pl.col("opens_quote")).then(
            pl.col("sentence_speakers").list.eval(pl.element().replace("", None).backward_fill().fill_null("")))
            .otherwise(pl.col("sentence_speakers")))
        .with_columns(sentence_speakers=pl.col("sentence_speakers").list.eval(
            pl.when(pl.element() != "").then(pl.element())))
        .drop("opens_quote")
    )
    speech = run(
        paras.lazy().filter(outside).select("row", "text")
        .join(spoken.lazy(), on="row", how="left")
        .select("row", "rs", "sentence_speakers", "sourced", carry_on=pl.col("text").str.contains(PRONOUN_SPEECH)
                | pl.col("text").str.strip_chars_start().str.contains(QUOTE_OPENING)
                # a paragraph that goes on with the account's list (`从行业看,`, `二是`),
                # with no source of its own and none of the reporter's words
                | (pl.col("sourced").is_null() & pl.col("text").str.contains(CONTINUATION)
                   & ~pl.col("text").str.contains(NARRATION)))
    )
    # Carry the speaker through `他说`, quotation and continuing paragraphs; any other
    # paragraph (a heading, narration, another source) breaks the chain.
    carried = (
        pl.when(pl.col("rs").is_not_null()).then(pl.col("rs"))
        .when(pl.col("carry_on")).then(None)
        .otherwise(pl.lit(""))
        .pipe(forward_fill_in_run, "doc_id")  # a document's paragraphs are contiguous, in order
    )
    return run(
        paras.lazy().join(speech.lazy(), on="row", how="left", maintain_order="left").drop("row")
        .with_columns(reported=pl.when(outside).then(carried))
        .with_columns(reported=pl.when(pl.col("reported") != "").then(pl.col("reported")))
        .with_columns(
            # only where the paragraph's speaker is its reported one (not a turn's)
            sentence_speakers=pl.when(outside & pl.col("rs").is_not_null()).then(pl.col("sentence_speakers")),
            speaker=pl.coalesce("speaker", "reported"),
            speaker_role=pl.coalesce(
                "speaker_role", pl.when(pl.col("reported").is_not_null()).then(pl.lit("official"))
            ),
        )
        .drop("rs", "carry_on", "sourced")
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
