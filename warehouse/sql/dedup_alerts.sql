-- Per group of matching alerts (temp alert_groups: alert_id, group_id) the newest version
-- stays in lake_alerts; the others move to alert_duplicates.
CREATE OR REPLACE TEMP TABLE alert_group_winners AS
SELECT g.alert_id,
    first_value(g.alert_id) OVER (
        PARTITION BY g.group_id
        ORDER BY a.published DESC, a.fetched_at DESC, g.alert_id
    ) AS duplicate_of
FROM alert_groups AS g
JOIN lake_alerts AS a USING (alert_id);

INSERT INTO alert_duplicates BY NAME
SELECT a.alert_id, w.duplicate_of, a.source, a.source_id, a.source_url, a.title,
    a.published, a.fetched_at,
    CASE WHEN a.alert_id IN (SELECT alert_id FROM alert_shared_keys WHERE kind = 'url')
        THEN 'same_url' ELSE 'same_title_date_text' END AS reason
FROM alert_group_winners AS w
JOIN lake_alerts AS a USING (alert_id)
WHERE w.alert_id <> w.duplicate_of
ORDER BY w.duplicate_of, a.alert_id;

DELETE FROM lake_alerts WHERE alert_id IN (SELECT alert_id FROM alert_duplicates);

DROP TABLE alert_group_winners
