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


PROVINCIAL_REPORTS = CORPUS / "provincial-work-reports-2026"


def provincial_documents():
    """The 28 provincial reports (one-row CSV exports: text, title and date from their columns)."""
    return [d for p in sorted(PROVINCIAL_REPORTS.glob("*.csv")) for d in read_file(p).docs]


@lru_cache(maxsize=None)
def reports_and_news() -> Batch:
    """National and provincial work reports, party congress reports and 新闻联播 days, in one batch."""
    docs = [d for p in (WORK_REPORTS, CONGRESS_REPORTS, *sorted(XINWEN_LIANBO.glob("*.md"))) for d in read_file(p).docs]
    return transform_batch(raw_frame(docs + provincial_documents()))


@lru_cache(maxsize=None)
def mfa_pages() -> Batch:
    """The Foreign Ministry press conference pages."""
    return batch_of(*sorted(p for p in (CORPUS / "mfa-presscon").iterdir() if p.name != "SOURCE.md"))
