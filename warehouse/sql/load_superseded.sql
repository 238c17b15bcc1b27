-- Earlier versions of an alert id (staged by stage_alerts.sql) into alert_duplicates,
-- pointing at the alerts row that represents the id: the id itself, or the alert its
-- latest version is a cross-source duplicate of (dedup_alerts.sql ran before).
INSERT INTO alert_duplicates BY NAME
SELECT s.alert_id, coalesce(d.duplicate_of, s.alert_id) AS duplicate_of, s.source,
    s.source_id, s.source_url, s.title, s.published, s.fetched_at, 'same_id' AS reason
FROM superseded_alerts AS s
LEFT JOIN (SELECT DISTINCT alert_id, duplicate_of FROM alert_duplicates) AS d USING (alert_id)
ORDER BY duplicate_of, s.alert_id, s.fetched_at;

DROP TABLE superseded_alerts
