-- The tables of docs/SCHEMA.md. No PRIMARY KEYs: the loader guarantees one row per key
-- (it dedupes and replaces whole documents inside one transaction), and DuckDB
-- checks keys eagerly on delete+insert in one transaction.

CREATE TABLE documents (
    doc_id VARCHAR NOT NULL,            -- first 16 hex digits of content_sha256
    source_uri VARCHAR NOT NULL,        -- path; path#line-N / path#item-N inside a multi-document file
    source_format VARCHAR NOT NULL,     -- text | markdown | html | jsonl | digest
    content_sha256 VARCHAR NOT NULL,    -- of the decoded text as read, before cleaning
    title VARCHAR,
    published_date DATE,
    date_source VARCHAR,                -- how published_date was obtained (meta:PubDate, jsonl:year, text:...)
    outlet VARCHAR,
    byline VARCHAR,
    url VARCHAR,
    script VARCHAR,                     -- simplified | traditional | unknown
    encoding VARCHAR,
    event_speaker VARCHAR,
    flags VARCHAR[],
    layout_lines VARCHAR[],             -- photo credits, continuation markers, page headers removed from the text
    clean_text VARCHAR NOT NULL,
    raw_text VARCHAR NOT NULL,          -- as read, for `policy-news reprocess`
    n_chars INTEGER NOT NULL,
    pipeline_version VARCHAR NOT NULL,
    ingested_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE sections (
    doc_id VARCHAR NOT NULL, section_no INTEGER NOT NULL, heading VARCHAR,
    char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, n_paragraphs INTEGER,
    pipeline_version VARCHAR NOT NULL
);

CREATE TABLE paragraphs (
    doc_id VARCHAR NOT NULL, para_no INTEGER NOT NULL, section_no INTEGER, turn_no INTEGER,
    speaker VARCHAR, speaker_role VARCHAR, is_heading BOOLEAN NOT NULL, text VARCHAR NOT NULL,
    char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, pipeline_version VARCHAR NOT NULL
);

CREATE TABLE sentences (
    doc_id VARCHAR NOT NULL, sent_no INTEGER NOT NULL, para_no INTEGER NOT NULL, turn_no INTEGER,
    speaker VARCHAR, text VARCHAR NOT NULL, char_start INTEGER NOT NULL, char_end INTEGER NOT NULL,
    pipeline_version VARCHAR NOT NULL
);

CREATE TABLE people (
    doc_id VARCHAR NOT NULL, name VARCHAR NOT NULL, role VARCHAR, organization VARCHAR,
    titles VARCHAR[], pipeline_version VARCHAR NOT NULL
);

CREATE TABLE turns (
    doc_id VARCHAR NOT NULL, turn_no INTEGER NOT NULL, speaker VARCHAR, speaker_role VARCHAR,
    outlet VARCHAR, label VARCHAR, para_start INTEGER NOT NULL, para_end INTEGER NOT NULL,
    pipeline_version VARCHAR NOT NULL
);

CREATE TABLE figures (
    doc_id VARCHAR NOT NULL, figure_no INTEGER NOT NULL, sent_no INTEGER, turn_no INTEGER,
    speaker VARCHAR, surface VARCHAR NOT NULL, value DOUBLE, value_high DOUBLE, unit VARCHAR,
    qualifier VARCHAR, metric VARCHAR, period VARCHAR, char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL, pipeline_version VARCHAR NOT NULL
);

CREATE TABLE targets (
    doc_id VARCHAR NOT NULL, target_no INTEGER NOT NULL, sent_no INTEGER, turn_no INTEGER,
    speaker VARCHAR, text VARCHAR NOT NULL, deadline_year INTEGER, deadline_text VARCHAR,
    value DOUBLE, value_high DOUBLE, unit VARCHAR, qualifier VARCHAR,
    char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, pipeline_version VARCHAR NOT NULL
);

CREATE TABLE policy_refs (
    doc_id VARCHAR NOT NULL, ref_no INTEGER, title VARCHAR NOT NULL, sent_no INTEGER,
    turn_no INTEGER, speaker VARCHAR, char_start INTEGER NOT NULL, char_end INTEGER NOT NULL,
    pipeline_version VARCHAR NOT NULL
);

CREATE TABLE rejects (
    source_uri VARCHAR NOT NULL, reason VARCHAR NOT NULL, detail VARCHAR,
    rejected_at TIMESTAMPTZ NOT NULL, run_id VARCHAR
);

CREATE TABLE runs (
    run_id VARCHAR NOT NULL, flow_name VARCHAR NOT NULL, started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ, status VARCHAR NOT NULL, docs_seen INTEGER, docs_loaded INTEGER,
    docs_skipped INTEGER, docs_rejected INTEGER, pipeline_version VARCHAR NOT NULL,
    parameters VARCHAR, timings VARCHAR
);

-- Figures with their document, for questions like "every figure a minister gave about 5G since 2020".
CREATE VIEW figure_facts AS
SELECT d.published_date, d.title, d.source_uri, f.speaker, p.organization, p.titles,
       f.surface, f.value, f.value_high, f.unit, f.qualifier, f.metric, f.period,
       s.text AS sentence, f.doc_id, f.figure_no, f.char_start, f.char_end
FROM figures f
JOIN documents d USING (doc_id)
LEFT JOIN sentences s ON s.doc_id = f.doc_id AND s.sent_no = f.sent_no
LEFT JOIN people p ON p.doc_id = f.doc_id AND p.name = f.speaker;
