"""Speakers, turns and people.

`attribute_speakers(paragraphs, documents)` finds the speaker labels that open
paragraphs (`金壮龙:`, `路透社记者:`, `问:`, `答:`, `主持人 寿小丽:`), groups the
paragraphs into turns, gives one-person speeches (a work report with its
`——在...会议上` line and `国务院总理 李强`) a single turn, attributes reported
speech (`国家统计局新闻发言人付凌晖表示`) to paragraphs without a turn, and lists
the people a document names (speakers, byline authors, photographers) with the
organisation and titles from where the document introduces them.
"""
from __future__ import annotations

import polars as pl

from transforms.author_lines import speech_deliverers
from transforms.frame_ops import on_rows, run
from transforms.guests import guest_introductions
from transforms.introductions import foreign_introductions, introductions
from transforms.people import people_of_documents
from transforms.reported_speech import reported_speech, roles_by_titles
from transforms.runs import cum_sum_in_run, first_in_run, last_in_run, prev_in_run
from transforms.speaker_labels import label_candidates, labelled_paragraphs, lead_official

# The spokesperson named in a title: `2024年3月26日外交部发言人林剑主持例行记者会`,
# `商务部新闻发言人何亚东答记者问`; not `外交部发言人就...答记者问`, which names no one
# (NOT_EVENT_SPEAKER). This is the one place titles give the event speaker, for
# every source format; a reader's own `event_speaker` is preferred when it set one.
TITLE_EVENT_SPEAKER = r"发言人([\p{Han}·]{2,4}?)(?:主持|答记者问)"
NOT_EVENT_SPEAKER = r"^(?:就|对|关于)"

TURN_SCHEMA = {
    "doc_id": pl.String, "turn_no": pl.Int32, "speaker": pl.String, "speaker_role": pl.String,
    "outlet": pl.String, "label": pl.String, "para_start": pl.Int32, "para_end": pl.Int32,
}


def attribute_speakers(
    paragraphs: pl.DataFrame, documents: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """paragraphs + documents -> (paragraphs with turn_no, speaker, speaker_role; turns; people)."""
    docs = _document_facts(documents)
    # The order keeps compiled patterns in use: polars keeps the last 32 patterns it
    # compiled (about 1 ms each for the long ones), and the introductions before a
    # document's first label (lead_official, first in _turns_of_paragraphs) reuse those
    # of `introductions` as long as nothing else is compiled in between. So labels are
    # classified before, and their evidence (no pattern) is weighed after.
    paras = label_candidates(paragraphs, docs)
    intros = pl.concat([guest_introductions(docs), introductions(docs), foreign_introductions(docs)]).sort(
        "doc_id", "intro_no", maintain_order=True)
    paras = labelled_paragraphs(paras, intros)
    paras = _turns_of_paragraphs(paras, docs)
    paras = reported_speech(paras, intros)
    paras = roles_by_titles(paras, intros)
    turns = _turns_frame(paras)
    people = people_of_documents(paras, turns, docs, intros)
    out = paras.select(
        *[c for c in paragraphs.columns if c not in ("turn_no", "speaker", "speaker_role", "sentence_speakers")],
        turn_no=pl.col("turn_no").cast(pl.Int32),
        speaker=pl.col("speaker"),
        speaker_role=pl.col("speaker_role"),
        # the speaker of each of the paragraph's sentences where reported speech names it
        # sentence by sentence (NULL: every sentence has the paragraph's speaker)
        sentence_speakers=pl.col("sentence_speakers"),
    )
    return out, turns, people


def _document_facts(documents: pl.DataFrame) -> pl.DataFrame:
    """The document columns speakers need, with the spokesperson from the title as a fallback."""
    cols = {c: documents[c] for c in ("doc_id", "clean_text", "title", "event_speaker", "byline", "layout_lines")
            if c in documents.columns}
    docs = pl.DataFrame(cols)
    for c, dtype in (("title", pl.String), ("event_speaker", pl.String), ("byline", pl.String),
                     ("layout_lines", pl.List(pl.String)), ("clean_text", pl.String)):
        if c not in docs.columns:
            docs = docs.with_columns(pl.lit(None, dtype=dtype).alias(c))
    return docs.with_columns(
        event_speaker=pl.coalesce(
            pl.col("event_speaker").str.replace_all(r"\s", ""),
            pl.col("title").str.extract(TITLE_EVENT_SPEAKER, 1).pipe(
                lambda name: pl.when(~name.str.contains(NOT_EVENT_SPEAKER)).then(name)),
        )
    )



def _turns_of_paragraphs(paras: pl.DataFrame, docs: pl.DataFrame) -> pl.DataFrame:
    """Assign turn_no, speaker, speaker_role (and the turn's label, outlet) to paragraphs."""
    by_doc = ["doc_id"]
    # The official who answers: the event's speaker, else the sole named official
    # label, else the one person introduced before the first label.
    sole = run(
        paras.lazy().filter(pl.col("label_kind").is_in(["name", "titled"]) & (pl.col("label_role") == "official"))
        .group_by("doc_id")
        .agg(officials=pl.col("label_speaker").unique())
        .filter(pl.col("officials").list.len() == 1)
        .select("doc_id", sole_official=pl.col("officials").list.first())
    )
    # the lead official is needed only where there is neither an event speaker nor a sole official
    lead = lead_official(paras, run(
        docs.lazy().filter(pl.col("event_speaker").is_null()).select("doc_id")
        .join(sole.lazy(), on="doc_id", how="anti")
    ))
    p = run(
        paras.lazy()
        .join(speech_deliverers(paras, docs).lazy(), on="doc_id", how="left", maintain_order="left")
        .join(sole.lazy(), on="doc_id", how="left", maintain_order="left")
        .join(lead.lazy(), on="doc_id", how="left", maintain_order="left")
        .with_columns(answerer=pl.coalesce("event_speaker", "sole_official", "lead_official"))
    )
    is_label = pl.col("label_kind").is_not_null()
    # `彭博社记者:...?` followed by an unlabelled paragraph: the official's answer (MFA file 768).
    # Whether a paragraph ends in a question matters only on reporter labels.
    p = on_rows(p, pl.col("label_kind") == "reporter",
                 reporter_question=pl.col("text").str.strip_chars().str.contains(r"[?？]$"))
    p = run(
        p.lazy()
        .with_columns(
            unl=~is_label & ~pl.col("is_heading") & pl.col("answerer").is_not_null()
            & prev_in_run(pl.col("reporter_question"), *by_doc).fill_null(False),
        )
        .with_columns(seg=cum_sum_in_run((is_label | pl.col("unl")).cast(pl.Int32), *by_doc))
        # an unlabelled answer follows a label, so a document has a label where it has a
        # segment: its last row's seg > 0, broadcast back over the document (no window)
        .with_columns(any_label=pl.when(last_in_run(*by_doc)).then(pl.col("seg")).backward_fill() > 0)
        # Before the first label: the event speaker's opening remarks; with no label at
        # all: the whole text is the speech of its deliverer or event speaker.
        .with_columns(
            opener=pl.when(pl.col("any_label")).then(pl.col("event_speaker")).otherwise(
                pl.coalesce("deliverer", "event_speaker")
            )
        )
    )
    # Headings and separator lines (`*****`) belong to no turn: whether a paragraph is
    # speech matters only in a turn or in an opening (seg 0 with an opener).
    p = on_rows(
        p, ~pl.col("is_heading") & ((pl.col("seg") > 0) | pl.col("opener").is_not_null()),
        speech=pl.col("text").str.contains(r"[\p{Han}A-Za-z0-9]"),
    )
    opener, in_opening = pl.col("opener"), pl.col("in_opening")
    # Segment-level facts come from the segment's first paragraph (rows are in text
    # order, so a segment is a run of rows: its first row's value, gathered, no window).
    row = pl.int_range(pl.len())
    starts_segment = pl.any_horizontal([pl.col(k).ne_missing(pl.col(k).shift(1)) for k in (*by_doc, "seg")])
    first = lambda c: pl.col(c).gather(pl.col("seg_row"))  # noqa: E731
    seg_speaker = pl.when(first("unl")).then(pl.col("answerer")).when(first("label_kind") == "answer").then(
        pl.col("answerer")).otherwise(first("label_speaker"))
    seg_role = pl.when(first("unl")).then(pl.lit("official")).otherwise(first("label_role"))
    return run(
        p.lazy()
        .with_columns(speech=pl.col("speech").fill_null(False))
        .with_columns(
            in_opening=(pl.col("seg") == 0) & pl.col("speech") & pl.col("opener").is_not_null() & (
                pl.col("para_no") > pl.col("deliverer_line").fill_null(0)
            )
        )
        .with_columns(seg_row=pl.when(starts_segment).then(row).forward_fill())
        .with_columns(
            turn_key=pl.when(in_opening).then(pl.lit(0))
            .when((pl.col("seg") > 0) & pl.col("speech")).then(pl.col("seg")),
            speaker=pl.when(in_opening).then(opener).when(pl.col("seg") > 0).then(seg_speaker),
            speaker_role=pl.when(in_opening).then(pl.lit("official")).when(pl.col("seg") > 0).then(seg_role),
            turn_label=pl.when(pl.col("seg") > 0).then(first("label")),
            turn_outlet=pl.when(pl.col("seg") > 0).then(first("outlet")),
        )
        .with_columns(
            turn_no=pl.col("turn_key").rank("dense").over(by_doc).cast(pl.Int32),
            speaker=pl.when(pl.col("turn_key").is_not_null()).then(pl.col("speaker")),
            speaker_role=pl.when(pl.col("turn_key").is_not_null()).then(pl.col("speaker_role")),
        )
        .drop("seg_row")
    )


def _turns_frame(paras: pl.DataFrame) -> pl.DataFrame:
    """One row per turn: its first paragraph's speaker, role, outlet and label, its
    first and last para_no. Paragraphs are in text order and turn_no never decreases
    down a document, so a turn's paragraphs (those with a turn_no) are one run of rows,
    in (doc_id, turn_no) order: its first row, with the last row's para_no (no grouping)."""
    return run(
        paras.lazy().filter(pl.col("turn_no").is_not_null())
        .with_columns(para_end=pl.when(last_in_run("doc_id", "turn_no")).then(pl.col("para_no")).backward_fill())
        .filter(first_in_run("doc_id", "turn_no"))
        .select(
            "doc_id", "turn_no", "speaker", "speaker_role", outlet="turn_outlet", label="turn_label",
            para_start="para_no", para_end="para_end",
        )
        .select([pl.col(c).cast(t) for c, t in TURN_SCHEMA.items()])
    )
