"""Helpers shared by tests: run the transform chain without Prefect."""
from __future__ import annotations

from pathlib import Path

from sources.base import RawDocument, raw_frame
from sources.text import read_text
from transforms.pipeline import Batch, transform_batch

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sources" / "samples" / "miit-press-conference-2024-07-05.txt"
OFFSET_TABLES = ["sections", "paragraphs", "sentences", "figures", "targets", "policy_refs"]


def sample_batch() -> Batch:
    """The bundled sample through every transform, as the ingest flow runs it."""
    res = read_text(SAMPLE.read_bytes(), str(SAMPLE))
    return transform_batch(raw_frame(res.docs))


def batch_from_texts(texts: list[str], **fields) -> Batch:
    """Articles given as text (one document each) through every transform."""
    docs = [RawDocument(source_uri=f"mem://{i}", source_format="text", text=t, **fields) for i, t in enumerate(texts)]
    return transform_batch(raw_frame(docs))


def gold_documents(gold_files, document_path):
    """Each gold file's document read as text and, all together, through every transform:
    yields (gold file stem, gold, the document's row, the batch's tables)."""
    import json

    golds, docs = {}, []
    for gf in gold_files:
        gold = json.loads(gf.read_text(encoding="utf-8"))
        path = document_path(gold)
        docs += read_text(path.read_bytes(), str(path)).docs
        golds[str(path)] = (gf.stem, gold)
    tables = transform_batch(raw_frame(docs)).tables
    for doc in tables["documents"].iter_rows(named=True):
        stem, gold = golds[doc["source_uri"]]
        yield stem, gold, doc, tables


def offset_violations(batch: Batch) -> list[tuple]:
    """Rows whose (char_start, char_end) do not cut their own text out of clean_text."""
    texts = dict(zip(batch.tables["documents"]["doc_id"], batch.tables["documents"]["clean_text"]))
    bad = []
    for table in OFFSET_TABLES:
        frame = batch.tables[table]
        own = {"sentences": "text", "paragraphs": "text", "figures": "surface", "targets": "text"}.get(table)
        for r in frame.iter_rows(named=True):
            t = texts[r["doc_id"]]
            s, e = r["char_start"], r["char_end"]
            if not (0 <= s <= e <= len(t)):
                bad.append((table, r["doc_id"], s, e, "out of range"))
            elif own and t[s:e] != r[own]:
                bad.append((table, r["doc_id"], s, e, t[s:e], r[own]))
    return bad


def rows(db, sql: str) -> list[tuple]:
    """A query's rows on a read-only connection to a database file, as a user would ask."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()
