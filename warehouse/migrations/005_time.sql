-- When: the event a document reports apart from its publication, a record's
-- other columns, figure periods and target deadlines as dates, and the full
-- title a short policy reference stands for. See docs/SCHEMA.md, "Time (005)".

ALTER TABLE documents ADD COLUMN event_date DATE;          -- the meeting or press conference (`——2026年1月25日在……会议上`)
ALTER TABLE documents ADD COLUMN metadata VARCHAR;         -- JSON object: a CSV/Parquet/JSONL record's other columns
ALTER TABLE figures ADD COLUMN period_year INTEGER;        -- the calendar year `period` resolves to (`去年` in a 2025 report -> 2024)
ALTER TABLE figures ADD COLUMN period_end DATE;            -- `截至2025年6月底` -> 2025-06-30
ALTER TABLE targets ADD COLUMN deadline_date DATE;         -- `3月底前` in a 2026 report -> 2026-03-31
ALTER TABLE policy_refs ADD COLUMN canonical_title VARCHAR; -- `建议` -> the full title named earlier in the document
