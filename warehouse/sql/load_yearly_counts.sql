-- Distinct alerts per year for the world, each region and each country,
-- per category and in total ('all'), so a country reads beside its region and the world.
INSERT INTO yearly_counts
WITH labels AS (
    SELECT alert_id, category FROM alert_categories
    UNION ALL
    SELECT alert_id, 'all' FROM alerts
),
areas AS (
    SELECT alert_id, 'world' AS level, 'World' AS area FROM alerts
    UNION ALL
    SELECT DISTINCT ac.alert_id, 'region', co.region
    FROM alert_countries AS ac JOIN countries AS co ON co.code = ac.country
    UNION ALL
    SELECT alert_id, 'country', country FROM alert_countries
)
SELECT a.year, ar.level, ar.area, l.category, count(*) AS alerts
FROM alerts AS a
JOIN labels AS l ON l.alert_id = a.alert_id
JOIN areas AS ar ON ar.alert_id = a.alert_id
GROUP BY ALL
ORDER BY a.year, ar.level, ar.area, l.category;
