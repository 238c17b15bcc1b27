-- One row per alert and label, from the alerts' list columns.
INSERT INTO alert_countries
SELECT DISTINCT alert_id, country
FROM (SELECT alert_id, unnest(countries) AS country FROM alerts)
WHERE country IS NOT NULL
ORDER BY alert_id, country;

INSERT INTO alert_categories
SELECT DISTINCT alert_id, category
FROM (SELECT alert_id, unnest(categories) AS category FROM alerts)
WHERE category IS NOT NULL
ORDER BY alert_id, category;

INSERT INTO alert_victim_types
SELECT DISTINCT alert_id, victim_type
FROM (SELECT alert_id, unnest(victim_types) AS victim_type FROM alerts)
WHERE victim_type IS NOT NULL
ORDER BY alert_id, victim_type;
