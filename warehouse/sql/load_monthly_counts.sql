-- Alerts per month x country x category; an alert counts once in each of its labels.
INSERT INTO monthly_counts
SELECT
    strftime(a.published, '%Y-%m') AS month,
    a.year,
    ac.country,
    co.region,
    ca.category,
    count(DISTINCT a.alert_id) AS alerts
FROM alerts AS a
LEFT JOIN alert_countries AS ac ON ac.alert_id = a.alert_id
LEFT JOIN countries AS co ON co.code = ac.country
LEFT JOIN alert_categories AS ca ON ca.alert_id = a.alert_id
GROUP BY ALL
ORDER BY month, ac.country NULLS FIRST, ca.category NULLS FIRST;
