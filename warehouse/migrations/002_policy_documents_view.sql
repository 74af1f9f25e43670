-- policy_documents: one row per distinct policy title named in policy_refs, with
-- where and when it was first mentioned and how often.
-- First mention: earliest published_date (documents without a date come last),
-- then doc_id, then position in the text.
CREATE OR REPLACE VIEW policy_documents AS
SELECT
    r.title,
    count(*)                                                                          AS n_mentions,
    count(DISTINCT r.doc_id)                                                          AS n_documents,
    first(r.doc_id ORDER BY d.published_date ASC NULLS LAST, r.doc_id, r.char_start)  AS first_doc_id,
    first(r.ref_no ORDER BY d.published_date ASC NULLS LAST, r.doc_id, r.char_start)  AS first_ref_no,
    first(r.speaker ORDER BY d.published_date ASC NULLS LAST, r.doc_id, r.char_start) AS first_speaker,
    min(d.published_date)                                                             AS first_date,
    max(d.published_date)                                                             AS last_date
FROM policy_refs r
LEFT JOIN documents d USING (doc_id)
GROUP BY r.title;
