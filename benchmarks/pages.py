"""Side-by-side scoring of page readers on a folder of saved news pages:
`python -m benchmarks pages FOLDER TRUTH.json [--detail]`.

The truth file is a JSON object, one entry per page file name:

    {"site-1.html": {"title": "...", "date": "2019-09-07", "authors": ["陆一夫"],
                     "first": "a piece of the body's first sentence",
                     "last": "a piece of the body's last sentence"}}

`date` may be a list of acceptable answers (a page that shows no date of its
own: its URL's day, the text's first date, or null for none); `authors` null
means "not scored" (pen names, translators). Text is compared with all white
space removed. Per reader it counts:

- title: equal to the truth;
- date: the day equals the truth;
- complete: the body holds both the first and the last piece;
- clean: complete, and at most CLEAN_MAX_CHARS of text lie outside the article
  (before its first piece, after its last): a trailing `责任编辑` line passes,
  a comment thread or a related-articles list does not;
- no bulk chrome: at most BULK_MAX_CHARS outside the article;
- bylines found: pages that name authors whose authors are all given; wrong
  names: pages given a name that is not an author (editor, site, photographer);
- ms per page (the reader's own time, decoding included).

Readers: policy-news (sources.html.read_html), gne (`pip install .[compare]`,
skipped when not installed) and trafilatura. Keep pages and truth outside the
repository when their licence says so.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

CLEAN_MAX_CHARS = 50
BULK_MAX_CHARS = 300
SPACE = re.compile(r"\s+")
ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# gne and trafilatura give authors as one string: `段彦超 廖艳`, `陆一夫; 王芳`
AUTHOR_SPLIT = re.compile(r"[\s,，;；、/|]+")


@dataclass
class Reading:
    title: str | None
    date: dt.date | None
    body: str
    authors: list[str]
    seconds: float


@dataclass
class Score:
    reader: str
    pages: int = 0
    title: int = 0
    date: int = 0
    complete: int = 0
    clean: int = 0
    no_bulk_chrome: int = 0
    bylines: int = 0        # pages naming authors whose authors are all found
    byline_pages: int = 0   # pages whose truth names authors
    wrong_names: int = 0    # pages (authors scored) given a name that is not an author
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)


def _squash(s: str | None) -> str:
    return SPACE.sub("", s or "")


def _day(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    m = ISO_DAY.search(str(value))
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    except ValueError:
        return None


def _decoded(data: bytes) -> str:
    from sources.decode import decode_bytes
    from sources.html import sniff_declared_charset

    return decode_bytes(data, sniff_declared_charset(data))[0]


def read_policy_news(data: bytes, name: str) -> Reading:
    from sources.html import read_html
    from sources.html_byline import byline_names

    t0 = time.perf_counter()
    result = read_html(data, name)
    seconds = time.perf_counter() - t0
    if not result.docs:
        return Reading(None, None, "", [], seconds)
    doc = result.docs[0]
    return Reading(doc.title, doc.published_date, doc.text, byline_names(getattr(doc, "byline", None)), seconds)


def read_gne(data: bytes, name: str) -> Reading:
    from gne import GeneralNewsExtractor

    t0 = time.perf_counter()
    out = GeneralNewsExtractor().extract(_decoded(data))
    seconds = time.perf_counter() - t0
    authors = [a for a in AUTHOR_SPLIT.split(out.get("author") or "") if a]
    return Reading(out.get("title"), _day(out.get("publish_time")), out.get("content") or "", authors, seconds)


def read_trafilatura(data: bytes, name: str) -> Reading:
    import trafilatura

    t0 = time.perf_counter()
    doc = trafilatura.bare_extraction(_decoded(data), with_metadata=True, include_comments=False)
    seconds = time.perf_counter() - t0
    if doc is None:
        return Reading(None, None, "", [], seconds)
    get = (lambda k: getattr(doc, k, None)) if not isinstance(doc, dict) else doc.get
    authors = [a for a in AUTHOR_SPLIT.split(get("author") or "") if a]
    return Reading(get("title"), _day(get("date")), get("text") or "", authors, seconds)


READERS = {"policy-news": read_policy_news, "gne": read_gne, "trafilatura": read_trafilatura}


def score_page(score: Score, name: str, truth: dict, reading: Reading) -> None:
    score.pages += 1
    score.seconds += reading.seconds
    misses = []
    if _squash(reading.title) == _squash(truth["title"]):
        score.title += 1
    else:
        misses.append(f"title {reading.title!r}")
    days = truth["date"] if isinstance(truth["date"], list) else [truth["date"]]
    if reading.date in {_day(d) for d in days}:
        score.date += 1
    else:
        misses.append(f"date {reading.date}")
    body, first, last = _squash(reading.body), _squash(truth["first"]), _squash(truth["last"])
    start, end = body.find(first), body.rfind(last)
    complete = start >= 0 and end >= 0 and end + len(last) >= start + len(first)
    outside = (start if start >= 0 else 0) + (len(body) - (end + len(last)) if end >= 0 else 0)
    score.complete += complete
    score.clean += complete and outside <= CLEAN_MAX_CHARS
    score.no_bulk_chrome += outside <= BULK_MAX_CHARS
    if not complete:
        misses.append(f"incomplete (first {'found' if start >= 0 else 'missing'}, last {'found' if end >= 0 else 'missing'})")
    elif outside > CLEAN_MAX_CHARS:
        misses.append(f"{outside} chars outside the article")
    if truth.get("authors") is not None:
        wanted, given = set(truth["authors"]), set(reading.authors)
        wrong = given - wanted
        score.wrong_names += bool(wrong)
        if wanted:
            score.byline_pages += 1
            score.bylines += given >= wanted
        if wrong or not given >= wanted:
            misses.append(f"authors {sorted(given)}")
    score.misses.extend(f"{name}: {m}" for m in misses)


def run(folder: Path, truth_path: Path, readers: list[str]) -> list[Score]:
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    scores = []
    for reader in readers:
        score = Score(reader)
        for name, page_truth in sorted(truth.items()):
            path = folder / name
            if path.exists():
                score_page(score, name, page_truth, READERS[reader](path.read_bytes(), name))
        scores.append(score)
    return scores


def table(scores: list[Score]) -> str:
    rows = [("", "title", "date", "body complete", "body clean", "no bulk chrome", "bylines found",
             "wrong names", "ms/page")]
    for s in scores:
        rows.append((s.reader, s.title, s.date, s.complete, s.clean, s.no_bulk_chrome,
                     f"{s.bylines}/{s.byline_pages}", s.wrong_names, f"{1000 * s.seconds / max(s.pages, 1):.1f}"))
    n = scores[0].pages if scores else 0
    lines = [f"{n} pages; clean = at most {CLEAN_MAX_CHARS} characters outside the article, "
             f"bulk chrome = more than {BULK_MAX_CHARS}", ""]
    lines.append("| " + " | ".join(str(c) for c in rows[0]) + " |")
    lines.append("|" + " --- |" * len(rows[0]))
    lines.extend("| " + " | ".join(str(c) for c in row) + " |" for row in rows[1:])
    return "\n".join(lines)


def available_readers(wanted: list[str]) -> list[str]:
    out = []
    for r in wanted:
        if r == "gne":
            try:
                import gne  # noqa: F401
            except ImportError:
                print("gne is not installed (pip install '.[compare]'): left out")
                continue
        out.append(r)
    return out


def main(folder: Path, truth: Path, readers: list[str], detail: bool) -> int:
    scores = run(folder, truth, available_readers(readers))
    print(table(scores))
    if detail:
        for s in scores:
            print(f"\n## {s.reader}")
            print("\n".join(s.misses))
    return 0
