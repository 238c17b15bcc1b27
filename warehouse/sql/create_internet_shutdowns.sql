-- Alerts about internet shutdowns per country and year, with year-over-year change.
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
)
SELECT
    p.country,
    co.name AS country_name,
    co.region,
    p.year,
    p.alerts,
    p.first_date,
    p.last_date,
    coalesce(prev.alerts, 0) AS previous_year_alerts,
    p.alerts - coalesce(prev.alerts, 0) AS yoy_change
FROM per_year AS p
LEFT JOIN per_year AS prev ON prev.country = p.country AND prev.year = p.year - 1
LEFT JOIN countries AS co ON co.code = p.country
ORDER BY p.country, p.year;
