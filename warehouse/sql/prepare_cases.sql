-- One row per alert for case linking, numbered by (date, id): idx order is the order the
-- linker reads them in. stage = the stage of the alert's highest-priority category
-- (case_stage_rules), else "reported"; places = the place names the NLP found (the linker
-- keeps the cities among them, to tell two same-day incidents apart).
CREATE OR REPLACE TEMP TABLE case_docs AS
WITH stages AS (
    SELECT a.alert_id, min_by(r.stage, r.priority) AS stage
    FROM alerts AS a, unnest(coalesce(a.categories, []::VARCHAR[])) AS c(category)
    JOIN case_stage_rules AS r USING (category)
    GROUP BY a.alert_id
)
SELECT
    row_number() OVER (ORDER BY a.published, a.alert_id)::INTEGER - 1 AS idx,
    a.alert_id,
    coalesce(a.primary_country, '') AS primary_country,
    coalesce(a.countries, []::VARCHAR[]) AS countries,
    coalesce(a.language, '') AS language,
    date_diff('day', DATE '1970-01-01', a.published)::INTEGER AS day,
    year(a.published)::INTEGER AS year,
    coalesce(a.categories, []::VARCHAR[]) AS categories,
    coalesce(s.stage, 'reported') AS stage,
    a.persons,
    list_distinct(list_transform(
        regexp_extract_all(a.title || ' ' || a.text, '(?:^|[^0-9])((?:19|20)[0-9][0-9])(?:[^0-9]|$)', 1),
        lambda y: y::INTEGER)) AS years,
    list_distinct(list_transform(
        list_filter(coalesce(try(from_json(a.evidence,
                                           '[{"field": "VARCHAR", "text": "VARCHAR"}]')),
                             []),
                    lambda x: x.field = 'countries' AND x.text IS NOT NULL),
        lambda x: lower(x.text))) AS places
FROM alerts AS a
LEFT JOIN stages AS s USING (alert_id);

-- Family names too common in a country and year to tell people apart (officials whose
-- title was not written, names shared by many): in more than max($min_df, $max_df_share
-- of that country-year's alerts) alerts.
CREATE OR REPLACE TEMP TABLE case_common_names AS
WITH keyed AS (
    SELECT d.idx, d.primary_country, d.year,
        unnest(string_split(split_part(p.key, '|', 2), ' ')) AS family
    FROM case_docs AS d,
        unnest(coalesce(try(from_json(d.persons, '[{"key": "VARCHAR"}]')), [])) AS t(p)
), sizes AS (
    SELECT primary_country, year, count(*) AS n FROM case_docs GROUP BY ALL
)
SELECT k.primary_country, k.year, k.family
FROM keyed AS k JOIN sizes USING (primary_country, year)
WHERE k.family <> ''
GROUP BY k.primary_country, k.year, k.family, sizes.n
HAVING count(DISTINCT k.idx) > greatest($min_df, $max_df_share * sizes.n);

-- Full names (given and family) that reports file under more than $max_name_countries
-- countries: several people share them, so they never carry a report across a border.
CREATE OR REPLACE TEMP TABLE case_spread_names AS
SELECT p.key
FROM case_docs AS d,
    unnest(coalesce(try(from_json(d.persons, '[{"key": "VARCHAR"}]')), [])) AS t(p)
WHERE split_part(p.key, '|', 1) <> '' AND d.primary_country <> ''
GROUP BY p.key
HAVING count(DISTINCT d.primary_country) > $max_name_countries;
