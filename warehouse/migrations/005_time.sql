-- When: the event a document reports apart from its publication, a record's
-- other columns, figure periods and target deadlines as dates, and the full
-- title a short policy reference stands for. See docs/SCHEMA.md, "Time (005)".

ALTER TABLE documents ADD COLUMN event_date DATE;          -- the meeting or press conference (`——2026年1月25日在……会议上`)
ALTER TABLE documents ADD COLUMN metadata VARCHAR;         -- JSON object: a CSV/Parquet/JSONL record's other columns
ALTER TABLE figures ADD COLUMN period_year INTEGER;        -- the calendar year `period` resolves to (`去年` in a 2025 report -> 2024)
ALTER TABLE figures ADD COLUMN period_end DATE;            -- `截至2025年6月底` -> 2025-06-30
ALTER TABLE targets ADD COLUMN deadline_date DATE;         -- `3月底前` in a 2026 report -> 2026-03-31
ALTER TABLE policy_refs ADD COLUMN canonical_title VARCHAR; -- `建议` -> the full title named earlier in the document

-- policy_documents by the full title a short one stands for (`《规划》` counts for the plan it names)
CREATE OR REPLACE VIEW policy_documents AS
SELECT
    coalesce(r.canonical_title, r.title)                                              AS title,
    count(*)                                                                          AS n_mentions,
    count(DISTINCT r.doc_id)                                                          AS n_documents,
    first(r.doc_id ORDER BY d.published_date ASC NULLS LAST, r.doc_id, r.char_start)  AS first_doc_id,
    first(r.ref_no ORDER BY d.published_date ASC NULLS LAST, r.doc_id, r.char_start)  AS first_ref_no,
    first(r.speaker ORDER BY d.published_date ASC NULLS LAST, r.doc_id, r.char_start) AS first_speaker,
    min(d.published_date)                                                             AS first_date,
    max(d.published_date)                                                             AS last_date
FROM policy_refs r
LEFT JOIN documents d USING (doc_id)
GROUP BY coalesce(r.canonical_title, r.title);
