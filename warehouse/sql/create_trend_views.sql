-- SQLite views (Datasette only) over yearly_counts for the canned trend queries people
-- download: Datasette 0.65 streams the CSV of tables and views without a row cap
-- (…/<view>.csv?<filters>&_stream=on) but stops a query's CSV at max_returned_rows.
CREATE VIEW region_shutdowns AS
SELECT area AS region, year, alerts
FROM yearly_counts
WHERE level = 'region' AND category = 'internet_shutdown'
ORDER BY region, year;

CREATE VIEW country_profiles AS
SELECT y.area AS country, co.name AS country_name, y.year, y.category, ca.label, y.alerts
FROM yearly_counts AS y
LEFT JOIN countries AS co ON co.code = y.area
LEFT JOIN categories AS ca ON ca.code = y.category
WHERE y.level = 'country'
ORDER BY y.area, y.year DESC, y.category = 'all' DESC, y.alerts DESC, y.category;

CREATE VIEW category_trends AS
SELECT c.category, ca.label, c.year, c.alerts, t.alerts AS all_alerts,
    round(100.0 * c.alerts / t.alerts, 1) AS percent_of_all
FROM yearly_counts AS c
JOIN yearly_counts AS t ON t.level = 'world' AND t.area = 'World' AND t.category = 'all'
    AND t.year = c.year
LEFT JOIN categories AS ca ON ca.code = c.category
WHERE c.level = 'world' AND c.area = 'World' AND c.category <> 'all'
ORDER BY c.category, c.year;

CREATE VIEW country_trends AS
SELECT co.code AS country, co.name AS country_name, co.region, w.category, w.year,
    coalesce(c.alerts, 0) AS country_alerts, coalesce(r.alerts, 0) AS region_alerts,
    w.alerts AS world_alerts,
    round(100.0 * coalesce(c.alerts, 0) / r.alerts, 1) AS percent_of_region,
    round(100.0 * coalesce(c.alerts, 0) / w.alerts, 2) AS percent_of_world
FROM countries AS co
JOIN yearly_counts AS w ON w.level = 'world' AND w.area = 'World'
LEFT JOIN yearly_counts AS r ON r.level = 'region' AND r.area = co.region
    AND r.category = w.category AND r.year = w.year
LEFT JOIN yearly_counts AS c ON c.level = 'country' AND c.area = co.code
    AND c.category = w.category AND c.year = w.year
WHERE co.code IN (SELECT area FROM yearly_counts WHERE level = 'country')
ORDER BY co.code, w.category, w.year;
