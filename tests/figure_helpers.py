"""Shared helpers for the figures tests: one-sentence frames, the sample through the pipeline."""
from __future__ import annotations

from pathlib import Path

import polars as pl

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLE = Path(__file__).resolve().parents[1] / "sources" / "samples" / "miit-press-conference-2024-07-05.txt"


def sentence_frame(texts: list[str], doc_id: str = "d1") -> pl.DataFrame:
    """Sentences as segment.sentences_from_paragraphs gives them, one per text, laid end to end."""
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t)
    n = len(texts)
    return pl.DataFrame(
        {"doc_id": [doc_id] * n, "sent_no": list(range(1, n + 1)), "para_no": [1] * n,
         "turn_no": [None] * n, "speaker": [None] * n, "text": texts, "char_start": starts,
         "char_end": [s + len(t) for s, t in zip(starts, texts)]},
        schema={"doc_id": pl.String, "sent_no": pl.Int32, "para_no": pl.Int32, "turn_no": pl.Int32,
                "speaker": pl.String, "text": pl.String, "char_start": pl.Int32, "char_end": pl.Int32},
    )


def raw_documents(texts_by_uri: dict[str, str]) -> pl.DataFrame:
    from sources.base import RawDocument, raw_frame

    return raw_frame([RawDocument(source_uri=u, source_format="text", text=t) for u, t in texts_by_uri.items()])


def run_pipeline(raw: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """documents, sentences, figures for raw documents, through transforms.pipeline.transform_batch."""
    from transforms.pipeline import transform_batch

    tables = transform_batch(raw).tables
    return {k: tables[k] for k in ("documents", "sentences", "figures")}


def sample_tables() -> dict[str, pl.DataFrame]:
    from sources.base import raw_frame
    from sources.text import read_text

    return run_pipeline(raw_frame(read_text(SAMPLE.read_bytes(), str(SAMPLE)).docs))
