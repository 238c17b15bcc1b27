-- One row per alert for case linking, numbered by (country, date, id) so that a < b means
-- "a is not later" within a country; block = the primary country (see warehouse/cases.py).
CREATE OR REPLACE TEMP TABLE case_docs AS
SELECT
    row_number() OVER (ORDER BY coalesce(primary_country, ''), published, alert_id)::INTEGER - 1
        AS idx,
    alert_id,
    dense_rank() OVER (ORDER BY coalesce(primary_country, ''))::INTEGER AS block,
    coalesce(language, '') AS language,
    date_diff('day', DATE '1970-01-01', published)::INTEGER AS day,
    coalesce(victim_types, []::VARCHAR[]) AS victim_types,
    coalesce(categories, []::VARCHAR[]) AS categories
FROM alerts;
