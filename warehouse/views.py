"""Reports over the warehouse: what `policy-news status` prints."""
from __future__ import annotations

import duckdb
import polars as pl

STATUS_QUERIES = {
    "documents per source format and month": """
        SELECT source_format, strftime(published_date, '%Y-%m') AS month, count(*) AS documents,
               sum(n_chars) AS chars
        FROM documents GROUP BY ALL ORDER BY source_format, month NULLS LAST""",
    "documents per pipeline version": """
        SELECT pipeline_version, count(*) AS documents FROM documents GROUP BY ALL ORDER BY 1""",
    "rows per table": """
        SELECT 'documents' AS t, count(*) AS n FROM documents UNION ALL
        SELECT 'paragraphs', count(*) FROM paragraphs UNION ALL
        SELECT 'sentences', count(*) FROM sentences UNION ALL
        SELECT 'turns', count(*) FROM turns UNION ALL
        SELECT 'people', count(*) FROM people UNION ALL
        SELECT 'figures', count(*) FROM figures UNION ALL
        SELECT 'targets', count(*) FROM targets UNION ALL
        SELECT 'policy_refs', count(*) FROM policy_refs""",
    "last runs": """
        SELECT run_id[1:8] AS run, attempt, flow_name, started_at::TIMESTAMP(0) AS started, status,
               docs_seen AS seen, docs_loaded AS loaded, docs_skipped AS skipped, docs_rejected AS rejected,
               pipeline_version AS version
        FROM runs ORDER BY started_at DESC LIMIT 10""",
    "web pulls per source": """
        WITH latest AS (
            SELECT source, url, kind, outcome FROM fetch_log
            QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC) = 1)
        SELECT f.source, max(f.fetched_at)::TIMESTAMP(0) AS last_fetch,
               count(DISTINCT f.url) FILTER (WHERE f.kind = 'article') AS article_urls,
               count(DISTINCT f.doc_id) AS documents,
               (SELECT count(*) FROM latest l WHERE l.source = f.source AND l.kind = 'article'
                AND l.outcome = 'rejected') AS failing_now,
               (SELECT count(*) FROM latest l WHERE l.source = f.source AND l.outcome = 'disallowed') AS robots_disallowed
        FROM fetch_log f GROUP BY f.source ORDER BY f.source""",
    "rejects": """
        SELECT reason, count(*) AS n, any_value(source_uri) AS example, any_value(detail) AS detail
        FROM rejects GROUP BY ALL ORDER BY n DESC""",
}


def status_report(con) -> str:
    out = []
    with pl.Config(tbl_rows=60, tbl_cols=-1, fmt_str_lengths=70, tbl_width_chars=200, tbl_hide_dataframe_shape=True):
        for title, q in STATUS_QUERIES.items():
            out.append(f"== {title}")
            try:
                out.append(str(con.sql(q).pl()))
            except (duckdb.CatalogException, duckdb.BinderException):  # a database made before the
                # migration of the table (or column: runs.attempt), opened read-only
                out.append("(not in this database yet: the next run that writes to it adds it)")
    return "\n".join(out)
