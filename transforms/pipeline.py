"""The whole transform chain for one batch: raw documents -> every table's rows.

Pure: frames in, frames out. The flows call `transform_batch`; tests call it
directly, without Prefect.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import polars as pl

from sources.base import Reject
from sources.detect import with_script  # one rule of text; lives with the readers
from transforms import (clean, dates, figures, indicators, jurisdiction, periods, policy_refs, segment, speakers,
                        targets)

# Bump when a change to the transforms changes their output; `policy-news
# reprocess` re-derives every document made by an older version.
PIPELINE_VERSION = "0.1.0"

DOCUMENT_COLUMNS = [
    "doc_id", "source_uri", "source_format", "content_sha256", "title", "published_date",
    "date_source", "outlet", "byline", "url", "script", "encoding", "event_speaker", "flags",
    "layout_lines", "clean_text", "raw_text", "n_chars", "event_date", "metadata", "jurisdiction",
]


@dataclass
class Batch:
    """Every table's rows for a batch of documents, plus time per stage (seconds)."""
    tables: dict[str, pl.DataFrame]
    timings: dict[str, float] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)  # documents a stage failed on, left out


def transform_batch(raw: pl.DataFrame, pipeline_version: str = PIPELINE_VERSION) -> Batch:
    """raw (sources.base.raw_frame) -> documents, sections, paragraphs, sentences,
    turns, people, figures, targets, policy_refs, indicators (the vocabulary).

    A document on which a stage raises costs that document, not the batch: the
    batch is halved until the documents that fail alone are found (a few extra
    transforms of ever smaller parts, only when something failed); they become
    Batch.rejects (`transform_error`) and the rest is transformed again without
    them. A failure no single document causes is raised."""
    try:
        return transform_documents(raw, pipeline_version)
    except Exception as e:
        failing = failing_rows(raw, pipeline_version, 0, e)
        if not failing:
            raise
    keep = pl.Series([i not in failing for i in range(raw.height)])
    batch = transform_documents(raw.filter(keep), pipeline_version)
    uris = raw["source_uri"].to_list()
    batch.rejects = [Reject(uris[i], "transform_error", f"The transforms failed on this document: {_one_line(e)}.")
                     for i, e in sorted(failing.items())]
    return batch


def failing_rows(raw: pl.DataFrame, pipeline_version: str, offset: int, error: Exception) -> dict[int, Exception]:
    """Row numbers (+offset) of the documents that fail on their own, with their error,
    in a part of a batch that failed with `error`."""
    if raw.height <= 1:
        return {offset: error} if raw.height else {}
    half = raw.height // 2
    found: dict[int, Exception] = {}
    for start, part in ((0, raw.slice(0, half)), (half, raw.slice(half))):
        try:
            transform_documents(part, pipeline_version)
        except Exception as e:
            found |= failing_rows(part, pipeline_version, offset + start, e)
    return found


def _one_line(e: Exception) -> str:
    return f"{type(e).__name__}: {' '.join(str(e).split())[:300]}"


def transform_documents(raw: pl.DataFrame, pipeline_version: str = PIPELINE_VERSION) -> Batch:
    """The stages over every document of `raw`, raising what a stage raises."""
    t: dict[str, float] = {}

    def stage(name, fn, *args):
        t0 = time.perf_counter()
        out = fn(*args)
        t[name] = t.get(name, 0.0) + time.perf_counter() - t0
        return out

    # a frame built before readers gave these (tests, old callers) has them NULL
    raw = raw.with_columns(**{c: pl.lit(None, dtype) for c, dtype in (("metadata", pl.String), ("event_date", pl.Date))
                              if c not in raw.columns})
    documents, paragraphs = stage("clean", clean.clean_documents, raw)
    documents = stage("dates", dates.infer_published_dates, documents)
    documents = stage("clean", with_script, documents, "clean_text")
    paragraphs, sections = stage("segment", segment.sections_from_paragraphs, paragraphs)
    paragraphs, turns, people = stage("speakers", speakers.attribute_speakers, paragraphs, documents)
    sentences = stage("segment", segment.sentences_from_paragraphs, paragraphs)
    cut = sentences.filter("cut")["doc_id"].unique()
    if cut.len():
        documents = documents.with_columns(flags=pl.when(pl.col("doc_id").is_in(cut.implode())).then(
            pl.col("flags").list.concat(pl.lit([segment.SENTENCE_CUT_FLAG]))).otherwise("flags"))
    sentences = sentences.drop("cut")
    # the year each sentence's section speaks of (`一、2025年工作回顾`), for periods and deadlines
    timed = stage("periods", periods.with_time_context, sentences, paragraphs, documents)
    figs = stage("figures", figures.figures_from_sentences, sentences, documents)
    figs = stage("periods", periods.figure_periods, figs, timed, documents)
    targs = stage("targets", targets.targets_from_sentences, timed, figs, documents)
    refs = stage("policy_refs", policy_refs.policy_refs_from_sentences, sentences)
    figs = stage("indicators", indicators.figures_with_indicators, figs)
    targs = stage("indicators", indicators.targets_with_indicators, targs, figs)
    documents = stage("indicators", jurisdiction.with_jurisdiction, documents)
    documents = documents.select(DOCUMENT_COLUMNS).with_columns(pipeline_version=pl.lit(pipeline_version))
    tables = {
        "documents": documents,
        "sections": sections,
        "paragraphs": paragraphs,
        "sentences": sentences,
        "turns": turns,
        "people": people,
        "figures": figs,
        "targets": targs,
        "policy_refs": refs,
        "indicators": indicators.indicators_table(),
    }
    tables = {k: v.with_columns(pipeline_version=pl.lit(pipeline_version)) if "pipeline_version" not in v.columns else v
              for k, v in tables.items()}
    return Batch(tables=tables, timings=t)

