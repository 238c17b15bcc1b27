-- One row per alert for case linking, numbered by (country, date, id) so that a < b means
-- "a is not later" within a country; block = the primary country; stage = the stage of the
-- alert's highest-priority category (case_stage_rules), else "reported" (warehouse/cases.py).
CREATE OR REPLACE TEMP TABLE case_docs AS
WITH stages AS (
    SELECT a.alert_id, min_by(r.stage, r.priority) AS stage
    FROM alerts AS a, unnest(coalesce(a.categories, []::VARCHAR[])) AS c(category)
    JOIN case_stage_rules AS r USING (category)
    GROUP BY a.alert_id
)
SELECT
    row_number() OVER (ORDER BY coalesce(a.primary_country, ''), a.published, a.alert_id)::INTEGER
        - 1 AS idx,
    a.alert_id,
    dense_rank() OVER (ORDER BY coalesce(a.primary_country, ''))::INTEGER AS block,
    coalesce(a.language, '') AS language,
    date_diff('day', DATE '1970-01-01', a.published)::INTEGER AS day,
    coalesce(a.categories, []::VARCHAR[]) AS categories,
    coalesce(s.stage, 'reported') AS stage
FROM alerts AS a
LEFT JOIN stages AS s USING (alert_id);
