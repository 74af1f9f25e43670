"""fetch_log (migration 009): what `policy-news pull` asked each site for, and
what the next pull needs to know about each URL."""
from __future__ import annotations

import polars as pl

from warehouse.load import _insert

FETCH_LOG_SCHEMA = {
    "run_id": pl.String, "source": pl.String, "kind": pl.String, "url": pl.String, "fetched_url": pl.String,
    "fetched_at": pl.Datetime("us", "UTC"), "status": pl.Int32, "outcome": pl.String, "reason": pl.String,
    "detail": pl.String, "conditional": pl.Boolean, "attempts": pl.Int32, "etag": pl.String,
    "last_modified": pl.String, "content_sha256": pl.String, "warc_file": pl.String, "warc_offset": pl.Int64,
    "doc_id": pl.String, "previous_doc_id": pl.String,
}

# Per URL: the last attempt (outcome, when), the last full response (validators and
# where it is archived), when it first answered, and the document it last gave.
KNOWN_URLS = """
WITH last AS (
    SELECT url, outcome, fetched_at AS last_attempt_at FROM fetch_log
    QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC) = 1),
full_response AS (
    SELECT url, fetched_url, etag, last_modified, content_sha256, warc_file, warc_offset FROM fetch_log
    WHERE warc_file IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC) = 1),
firsts AS (
    SELECT url, min(fetched_at) AS first_fetched_at FROM fetch_log
    WHERE outcome IN ('fetched', 'not_modified') GROUP BY url),
docs AS (
    SELECT url, doc_id FROM fetch_log WHERE doc_id IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC) = 1)
SELECT url, fetched_url, outcome, last_attempt_at, first_fetched_at, etag, last_modified, content_sha256,
       warc_file, warc_offset, doc_id
FROM last LEFT JOIN full_response USING (url) LEFT JOIN firsts USING (url) LEFT JOIN docs USING (url)
"""


def known_urls(con) -> pl.DataFrame:
    """One row per URL ever asked for (KNOWN_URLS)."""
    return con.sql(KNOWN_URLS).pl()


def record_fetches(con, rows: pl.DataFrame) -> int:
    """Append a run's fetches (FETCH_LOG_SCHEMA), in one transaction."""
    if rows.height == 0:
        return 0
    con.execute("BEGIN TRANSACTION")
    try:
        _insert(con, "fetch_log", rows)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return rows.height
