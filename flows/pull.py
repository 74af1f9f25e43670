"""The pull flow: the sites of the sources file -> a WARC archive -> documents.

One `crawl-site` task per site (sites on different hosts are fetched at the
same time; one host is never asked faster than its pace). The flow then reads
each site's article responses with the WARC reader of `policy-news ingest`
(so the archive alone rebuilds the same documents), loads the new ones through
the usual transform and load tasks, and appends the run's fetches to fetch_log.
"""
from __future__ import annotations

import sys
from collections import Counter

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.utilities.annotations import quote

from crawl.client import Fetch, Known
from crawl.config import DEFAULT_SOURCES_FILE, load_sources, select_sites
from crawl.crawler import SiteCrawl, crawl_site
from flows.crash_retries import refuse_if_crashed_too_often
from flows.defaults import PULL_ARCHIVE
from flows.summary import RunSummary, begin_run, final_state, finish
from flows.tasks import content_ids, drop_known, load, quiet_task_completions, rejects_frame, transform
from flows.writer import database_writer
from sources.base import RawDocument, Reject, raw_frame
from sources.warc import read_web_page
from transforms.pipeline import PIPELINE_VERSION
from warehouse.fetchlog import FETCH_LOG_SCHEMA, known_urls, record_fetches
from warehouse.load import record_rejects

DEFAULT_ARCHIVE = PULL_ARCHIVE
BATCH_SIZE = 200  # documents per transform task and load transaction


@task(name="crawl-site", cache_policy=NONE, persist_result=False)
def crawl_site_task(site, known: dict[str, Known], archive: str, run_id: str) -> SiteCrawl:
    return crawl_site(site, known, archive, run_id)


@flow(name="pull", log_prints=True)
def pull_flow(sources: list[str] | None = None, sources_file: str = DEFAULT_SOURCES_FILE,
              archive: str = DEFAULT_ARCHIVE, db: str | None = None) -> RunSummary:
    """Pull the named sites of the sources file (none: all): new links are fetched,
    recent ones re-checked conditionally; every response goes to a WARC file under
    `archive` first; new and changed pages are loaded as documents."""
    if (refused := refuse_if_crashed_too_often("pull")) is not None:  # flows/crash_retries.py
        return refused
    quiet_task_completions()
    sites = select_sites(load_sources(sources_file), sources)
    # The database file is not held while the sites are fetched (a pull waits between requests
    # for minutes): sessions open it to start, and again to load. The run holds the database's
    # write slot throughout, so other writing runs queue behind it (flows/writer.py).
    with database_writer(db) as writer:
        params = {"sources": [s.name for s in sites], "sources_file": sources_file, "archive": archive}
        with writer.session() as con:
            summary = RunSummary(run_id=begin_run(con, "pull", PIPELINE_VERSION, params), flow_name="pull",
                                 db=str(db))
            known = known_from_log(con)
        futures = [(site, crawl_site_task.submit(site, quote(known), archive, summary.run_id)) for site in sites]
        crawls = []
        for site, future in futures:
            try:
                crawls.append(future.result())
            except Exception as e:  # one site's failure must not cost the others
                summary.failed_batches.append(f"site {site.name}: {type(e).__name__}: {e}")
                get_run_logger().error("pull of %s failed: %s", site.name, e)
        for crawl in crawls:
            try:
                load_crawl(writer, summary, crawl, known)
            except Exception as e:
                summary.failed_batches.append(f"site {crawl.site} (load): {type(e).__name__}: {e}")
                get_run_logger().error("loading the pull of %s failed: %s", crawl.site, e)
        with writer.session() as con:
            finish(con, summary)
    return final_state(summary)


def known_from_log(con) -> dict[str, Known]:
    return {row.pop("url"): Known(**row) for row in known_urls(con).to_dicts()}


def load_crawl(writer, summary: RunSummary, crawl: SiteCrawl, known: dict[str, Known]) -> None:
    """Documents of a site's article responses -> the database; every fetch -> fetch_log."""
    rows, docs, rejects = [], [], []
    for fetch in crawl.fetches:
        row = fetch_row(fetch, crawl.site, summary.run_id)
        rows.append(row)
        before = known.get(fetch.url)
        if fetch.kind == "article" and fetch.ok and (fetch.outcome == "fetched" or not (before and before.doc_id)):
            res = read_web_page(fetch.response)
            if res.docs:
                docs.append((row, res.docs[0]))
            for r in res.rejects:
                row.update(outcome="rejected", reason=r.reason, detail=r.detail)
                rejects.append(r)
        elif fetch.kind == "article" and fetch.ok:
            row["doc_id"] = before.doc_id  # 304: still the document it was
            summary.seen += 1
            summary.skipped += 1
        elif fetch.outcome == "rejected" and not (fetch.kind == "robots" and _missing(fetch)):
            rejects.append(Reject(fetch.url, fetch.reason, fetch.detail))
    raw = raw_frame([d for _, d in docs])
    for (row, _), doc_id in zip(docs, content_ids(raw) if raw.height else []):
        row["doc_id"] = doc_id
        previous = known.get(row["url"])
        if previous and previous.doc_id and previous.doc_id != doc_id:
            row["previous_doc_id"] = previous.doc_id
    with writer.session() as con:
        fresh, n_known = drop_known(con, raw)
    summary.seen += raw.height
    summary.skipped += n_known
    # a first pull of a big site is loaded in batches, transformed side by side, one transaction each
    labels = [f"{crawl.site} {i // BATCH_SIZE + 1}/{-(-fresh.height // BATCH_SIZE)}"
              for i in range(0, fresh.height, BATCH_SIZE)]
    batches = [transform.submit(fresh.slice(i, BATCH_SIZE), label=label)
               for i, label in zip(range(0, fresh.height, BATCH_SIZE), labels)]
    for i, future in enumerate(batches):
        res = load(writer, future.result(), rejects if i == 0 else [], summary.run_id,
                   pipeline_version=PIPELINE_VERSION, label=labels[i])
        summary.loaded += res.loaded
        summary.skipped += res.skipped
        summary.batches += 1
    with writer.session() as con:
        if not batches:
            record_rejects(con, rejects_frame(rejects), summary.run_id)
        record_fetches(con, pl.DataFrame(rows, schema=FETCH_LOG_SCHEMA))
    summary.rejected += len(rejects)
    summary.rejects += [(r.source_uri, r.reason, r.detail) for r in rejects]
    summary.notes.append(crawl_note(crawl, docs))


def fetch_row(fetch: Fetch, source: str, run_id: str) -> dict:
    """A Fetch as a fetch_log row (doc_id and previous_doc_id are set once the page is read)."""
    row = {k: getattr(fetch, k, None) for k in FETCH_LOG_SCHEMA}
    return {**row, "run_id": run_id, "source": source}


def crawl_note(crawl: SiteCrawl, docs: list[tuple[dict, RawDocument]]) -> str:
    articles = crawl.articles()
    outcomes = Counter(f.outcome for f in articles)
    changed = sum(1 for row, _ in docs if row.get("previous_doc_id"))
    parts = [f"{crawl.site}: {crawl.links_found} article links on the listing pages",
             f"asked for {len(articles)} ({sum(f.conditional for f in articles)} conditionally; "
             f"{outcomes['not_modified']} not modified, {changed} changed)"]
    if crawl.left_alone:
        parts.append("left alone: " + ", ".join(f"{n} {why}" for why, n in crawl.left_alone.items()))
    disallowed = sum(1 for f in crawl.fetches if f.outcome == "disallowed")
    if disallowed:
        parts.append(f"{disallowed} disallowed by robots.txt (not requested)")
    return "; ".join(parts) + f"; archive {crawl.warc_file}"


def _missing(fetch: Fetch) -> bool:
    """A robots.txt that is not there (4xx) allows everything: not a reject."""
    return fetch.status is not None and 400 <= fetch.status < 500


def cmd_pull(args) -> int:
    from crawl.config import SourcesError
    from flows.cli import EXIT_USAGE, _db, run_flow

    try:
        select_sites(load_sources(args.sources_file), args.sources)
    except SourcesError as e:
        print(f"policy-news pull: {e}", file=sys.stderr)
        return EXIT_USAGE
    return run_flow(pull_flow, sources=args.sources or None, sources_file=args.sources_file,
                    archive=args.archive, db=_db(args))
