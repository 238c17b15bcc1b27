-- The staged, deduplicated alerts with the regions of their countries.
INSERT INTO alerts BY NAME
SELECT a.*, coalesce(r.regions, []::VARCHAR[]) AS regions
FROM lake_alerts AS a
LEFT JOIN (
    SELECT x.alert_id, list_sort(list_distinct(list(c.region))) AS regions
    FROM (SELECT alert_id, unnest(countries) AS code FROM lake_alerts) AS x
    JOIN countries AS c ON c.code = x.code
    GROUP BY x.alert_id
) AS r ON r.alert_id = a.alert_id
ORDER BY a.published, a.alert_id;

DROP TABLE lake_alerts;
