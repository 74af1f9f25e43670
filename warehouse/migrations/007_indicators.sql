-- What a figure or target measures, and whether targets were met (issue #16).
-- See docs/SCHEMA.md, "Indicators and outcomes (007)".

ALTER TABLE documents ADD COLUMN jurisdiction VARCHAR;   -- `national`, a province (`上海市`), or null
ALTER TABLE figures ADD COLUMN indicator VARCHAR;        -- an `indicators.indicator` id, null when the clause names none
ALTER TABLE targets ADD COLUMN indicator VARCHAR;        -- the indicator of the target's quantity

-- The vocabulary (transforms/vocab/indicators.toml), replaced whole by every load.
CREATE TABLE indicators (
    indicator VARCHAR NOT NULL,        -- gdp_growth
    name VARCHAR NOT NULL,             -- 国内生产总值增长
    en VARCHAR,
    units VARCHAR[],                   -- units a figure of it may have (values normalised: 元, %, 人)
    measure VARCHAR,                   -- level | rate | change
    direction VARCHAR,                 -- higher | lower | cap | none: how a target of it is judged
    tolerance DOUBLE,                  -- for `~` targets; null: 0.5 for %, else 5 % of the target
    patterns VARCHAR[],
    exclude VARCHAR[],
    change_of VARCHAR,                 -- the level indicator whose growth this is (gdp_growth -> gdp)
    vocabulary_version VARCHAR,
    pipeline_version VARCHAR
);

-- Every value of an indicator, one row per target or figure.
-- kind: `target` (a target's quantity; period_year = its deadline year), `outcome` (a figure
-- for a year that had ended when its document was published, outside every target span),
-- `other` (any other figure: the current year so far, undated, a plan restated).
CREATE OR REPLACE VIEW indicator_series AS
SELECT t.indicator, d.jurisdiction, t.deadline_year AS period_year, t.value, t.value_high, t.unit,
       t.qualifier, 'target' AS kind, t.doc_id, d.published_date, d.title, t.speaker,
       t.text AS evidence, t.target_no AS item_no, t.char_start, t.char_end
FROM targets t JOIN documents d USING (doc_id)
WHERE t.indicator IS NOT NULL
UNION ALL
SELECT f.indicator, d.jurisdiction, f.period_year, f.value, f.value_high, f.unit, f.qualifier,
       CASE WHEN f.period_year < year(d.published_date) THEN 'outcome' ELSE 'other' END AS kind,
       f.doc_id, d.published_date, d.title, f.speaker, coalesce(s.text, f.surface) AS evidence,
       f.figure_no AS item_no, f.char_start, f.char_end
FROM figures f
JOIN documents d USING (doc_id)
LEFT JOIN sentences s ON s.doc_id = f.doc_id AND s.sent_no = f.sent_no
WHERE f.indicator IS NOT NULL
  -- a target lies within one sentence: the equality on sent_no makes this a hash join
  AND NOT EXISTS (SELECT 1 FROM targets x
                  WHERE x.doc_id = f.doc_id AND x.sent_no = f.sent_no
                    AND f.char_start >= x.char_start AND f.char_end <= x.char_end);

-- One row per target with an indicator and a deadline year Y: the first outcome of the same
-- indicator, jurisdiction and unit for year Y in a document published after the target's
-- (earliest document first, then text order), and the verdict. Rules (docs/SCHEMA.md):
--   `>=` `>`: met when outcome >= target; `<=` `<`: met when outcome <= target;
--   `~` `=` `<~`: by the indicator's direction: higher -> met when outcome >= target - tol,
--     lower and cap -> outcome <= target + tol (a cap such as 居民消费价格涨幅3%左右 is met by
--     any rate up to 3.5), none -> |outcome - target| <= tol; tol = indicators.tolerance, else
--     0.5 (percentage points) for %, else 5 % of the target;
--   `range`: higher -> outcome >= low; lower and cap -> outcome <= high; none -> low <= outcome <= high;
--   outcomes in another unit are not compared; no outcome -> `no_outcome`; no target value, a range outcome, or an outcome that
--   is only a bound on the wrong side (`近1200万` for `1200万以上`) -> `unclear`.
CREATE OR REPLACE VIEW target_outcomes AS
WITH t AS (
    SELECT t.doc_id, t.target_no, t.indicator, d.jurisdiction, t.deadline_year, t.value, t.value_high,
           t.unit, t.qualifier, t.text, t.speaker, t.char_start, t.char_end, d.published_date, d.title,
           coalesce(i.direction, 'none') AS direction,
           coalesce(i.tolerance, CASE WHEN t.unit = '%' THEN 0.5 ELSE 0.05 * abs(t.value) END) AS tolerance
    FROM targets t
    JOIN documents d USING (doc_id)
    LEFT JOIN indicators i ON i.indicator = t.indicator
    WHERE t.indicator IS NOT NULL AND t.deadline_year IS NOT NULL
),
matched AS (
    SELECT t.*, o.doc_id AS outcome_doc_id, o.item_no AS outcome_figure_no, o.value AS outcome_value,
           o.unit AS outcome_unit, o.qualifier AS outcome_qualifier, o.evidence AS outcome_sentence,
           o.char_start AS outcome_char_start, o.char_end AS outcome_char_end,
           o.published_date AS outcome_date, o.title AS outcome_title,
           count(o.doc_id) OVER (PARTITION BY t.doc_id, t.target_no) AS n_outcomes,
           row_number() OVER (PARTITION BY t.doc_id, t.target_no
                              ORDER BY o.published_date, o.doc_id, o.char_start) AS rank
    FROM t
    LEFT JOIN indicator_series o
      ON o.kind = 'outcome' AND o.indicator = t.indicator AND o.jurisdiction = t.jurisdiction
     AND o.period_year = t.deadline_year AND o.published_date > t.published_date
     AND o.unit = t.unit
),
judged AS (
    SELECT *,
        CASE
            WHEN qualifier IN ('>=', '>') THEN outcome_value >= value
            WHEN qualifier IN ('<=', '<') THEN outcome_value <= value
            WHEN qualifier = 'range' AND direction = 'higher' THEN outcome_value >= value
            WHEN qualifier = 'range' AND direction IN ('lower', 'cap') THEN outcome_value <= value_high
            WHEN qualifier = 'range' THEN outcome_value BETWEEN value AND value_high
            WHEN qualifier IN ('~', '=', '<~') AND direction = 'higher' THEN outcome_value >= value - tolerance
            WHEN qualifier IN ('~', '=', '<~') AND direction IN ('lower', 'cap') THEN outcome_value <= value + tolerance
            WHEN qualifier IN ('~', '=', '<~') THEN abs(outcome_value - value) <= tolerance
        END AS is_met,
        -- the outcome is an upper (lower) bound on the side that decides
        (direction = 'higher' OR qualifier IN ('>=', '>')) AND outcome_qualifier IN ('<', '<~')
        OR (direction IN ('lower', 'cap') OR qualifier IN ('<=', '<')) AND outcome_qualifier IN ('>', '>=')
            AS bound_only
    FROM matched
    WHERE rank = 1
)
SELECT doc_id AS target_doc_id, target_no, indicator, jurisdiction, deadline_year,
       value AS target_value, value_high AS target_value_high, unit AS target_unit,
       qualifier AS target_qualifier, direction, tolerance, text AS target_text, speaker,
       char_start AS target_char_start, char_end AS target_char_end, published_date AS target_date,
       title AS target_title,
       outcome_doc_id, outcome_figure_no, outcome_value, outcome_unit, outcome_qualifier, outcome_sentence,
       outcome_char_start, outcome_char_end, outcome_date, outcome_title, n_outcomes,
       CASE
           WHEN outcome_doc_id IS NULL THEN 'no_outcome'
           WHEN value IS NULL OR outcome_value IS NULL OR outcome_qualifier = 'range' OR is_met IS NULL THEN 'unclear'
           WHEN is_met AND bound_only THEN 'unclear'
           WHEN is_met THEN 'met'
           ELSE 'missed'
       END AS verdict
FROM judged;
