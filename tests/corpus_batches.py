"""Real corpus documents run through the whole transform chain (no Prefect), cached per session."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sources.base import raw_frame
from sources.registry import read_file
from transforms.pipeline import Batch, transform_batch

DATA = Path(__file__).resolve().parents[1] / "data"
CORPUS = DATA / "corpus"
WORK_REPORTS = CORPUS / "gov-work-reports" / "government_work_reports.jsonl"
CONGRESS_REPORTS = CORPUS / "gov-work-reports" / "cpc_congress_reports.jsonl"
XINWEN_LIANBO = CORPUS / "xinwen-lianbo"


@lru_cache(maxsize=None)
def batch_of(*paths: Path) -> Batch:
    docs = [d for p in paths for d in read_file(p).docs]
    return transform_batch(raw_frame(docs))


def work_reports() -> Batch:
    return batch_of(WORK_REPORTS)


def all_corpus_text() -> Batch:
    return batch_of(WORK_REPORTS, CONGRESS_REPORTS, *sorted(XINWEN_LIANBO.glob("*.md")))


@lru_cache(maxsize=None)
def scorer():
    """The project's scorer (warehouse/evaluate.py), for score_targets and norm."""
    from warehouse import evaluate

    return evaluate
