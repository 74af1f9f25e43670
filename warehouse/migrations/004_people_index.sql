-- people_index: each person across documents. Rows of `people` are the same person
-- when they have the same name and overlapping organisations (one organisation
-- contains the other: 商务部 and 商务部对外贸易司); a name alone is not enough where
-- two organisations differ. A row without an organisation joins the person of that
-- name when there is only one; otherwise it stands apart (organization_key NULL).
CREATE OR REPLACE VIEW people_index AS
WITH dated AS (
    SELECT p.doc_id, p.name, p.role, p.organization, p.titles, d.published_date
    FROM people p
    LEFT JOIN documents d USING (doc_id)
),
orgs AS (
    SELECT DISTINCT name, organization FROM dated WHERE organization IS NOT NULL
),
-- each organisation's key: the shortest organisation of the same name it contains
keys AS (
    SELECT a.name, a.organization, arg_min(b.organization, length(b.organization)) AS organization_key
    FROM orgs a
    JOIN orgs b ON a.name = b.name AND contains(a.organization, b.organization)
    GROUP BY a.name, a.organization
),
sole_key AS (
    SELECT name, min(organization_key) AS organization_key
    FROM keys
    GROUP BY name
    HAVING count(DISTINCT organization_key) = 1
),
keyed AS (
    SELECT dated.*, coalesce(k.organization_key, s.organization_key) AS organization_key
    FROM dated
    LEFT JOIN keys k ON k.name = dated.name AND k.organization = dated.organization
    LEFT JOIN sole_key s ON s.name = dated.name AND dated.organization IS NULL
)
SELECT
    name,
    organization_key,
    list_sort(list_distinct(list(organization) FILTER (WHERE organization IS NOT NULL))) AS organizations,
    list_sort(list_distinct(flatten(list(titles))))                                      AS titles,
    list_sort(list_distinct(list(role)))                                                 AS roles,
    min(published_date)                                                                  AS first_date,
    max(published_date)                                                                  AS last_date,
    count(DISTINCT doc_id)                                                               AS n_documents
FROM keyed
GROUP BY name, organization_key;
