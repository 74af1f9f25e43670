-- fetch_log: one row per URL a `policy-news pull` asked for (or decided not to ask
-- for), per run. The latest row of a URL is what the next pull knows about it:
-- its validators (etag, last_modified) for a conditional request, where its last
-- full response sits in the WARC archive (warc_file, warc_offset) so a 304 can be
-- parsed from the archive, and the document it gave (doc_id). Written after the
-- run's documents are loaded; a crash in between only costs a refetch next time
-- (documents are keyed by content hash, so nothing is loaded twice).

CREATE TABLE fetch_log (
    run_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,            -- the site's name in the sources file
    kind VARCHAR NOT NULL,              -- robots | listing | article
    url VARCHAR NOT NULL,               -- as found (listing URL, link on a listing page)
    fetched_url VARCHAR,                -- after redirects; what the next conditional request asks for
    fetched_at TIMESTAMPTZ NOT NULL,
    status INTEGER,                     -- HTTP status of the last response; NULL: no response (timeout, refused, robots)
    outcome VARCHAR NOT NULL,           -- fetched | not_modified | rejected | disallowed
    reason VARCHAR,                     -- reject reason: http_404, http_500, timeout, connect_error, too_large, error_page, ...
    detail VARCHAR,
    conditional BOOLEAN NOT NULL,       -- the request carried If-None-Match / If-Modified-Since
    attempts INTEGER NOT NULL,          -- requests made for this URL in this run (retries included)
    etag VARCHAR,                       -- validators of the last full (200) response
    last_modified VARCHAR,
    content_sha256 VARCHAR,             -- of the body bytes of the last full response
    warc_file VARCHAR,                  -- the WARC file holding the last full response
    warc_offset BIGINT,                 -- byte offset of that response record in warc_file
    doc_id VARCHAR,                     -- the document this URL's current content is (articles)
    previous_doc_id VARCHAR             -- set when this fetch found a new version: the document it replaces
);

-- Each version of a page: a page that changed has several documents (all kept),
-- in the order they were first fetched, each linked to the one before it.
CREATE VIEW document_versions AS
WITH firsts AS (
    SELECT source, url, doc_id, min(fetched_at) AS first_fetched_at, max(fetched_at) AS last_fetched_at
    FROM fetch_log
    WHERE kind = 'article' AND doc_id IS NOT NULL
    GROUP BY ALL
)
SELECT source, url, doc_id,
       row_number() OVER (PARTITION BY url ORDER BY first_fetched_at, doc_id) AS version_no,
       lag(doc_id) OVER (PARTITION BY url ORDER BY first_fetched_at, doc_id) AS previous_doc_id,
       first_fetched_at, last_fetched_at
FROM firsts;
