-- Alerts about internet shutdowns per country and year, with year-over-year change.
-- One row per country and year from the country's first shutdown year to the last year
-- of data, so a fall to zero shows as alerts 0 (and its change) instead of a gap.
CREATE VIEW internet_shutdowns AS
WITH per_year AS (
    SELECT
        ac.country,
        a.year,
        count(*) AS alerts,
        min(a.published) AS first_date,
        max(a.published) AS last_date
    FROM alerts AS a
    JOIN alert_categories AS ca
        ON ca.alert_id = a.alert_id AND ca.category = 'internet_shutdown'
    JOIN alert_countries AS ac ON ac.alert_id = a.alert_id
    GROUP BY ac.country, a.year
),
grid AS (
    SELECT country, unnest(range(min(year), (SELECT max(year) FROM alerts) + 1))::SMALLINT
        AS year
    FROM per_year
    GROUP BY country
),
filled AS (
    SELECT g.country, g.year, coalesce(p.alerts, 0) AS alerts, p.first_date, p.last_date
    FROM grid AS g
    LEFT JOIN per_year AS p ON p.country = g.country AND p.year = g.year
)
SELECT
    f.country,
    co.name AS country_name,
    co.region,
    f.year,
    f.alerts,
    f.first_date,
    f.last_date,
    coalesce(lag(f.alerts) OVER (PARTITION BY f.country ORDER BY f.year), 0)
        AS previous_year_alerts,
    f.alerts - coalesce(lag(f.alerts) OVER (PARTITION BY f.country ORDER BY f.year), 0)
        AS yoy_change
FROM filled AS f
LEFT JOIN countries AS co ON co.code = f.country
ORDER BY f.country, f.year;
