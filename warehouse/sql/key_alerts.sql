-- Match keys of the staged alerts (see warehouse/dedup.py). A key links alerts only when
-- it is shared by alerts of different sources and by no two alerts of one source (within
-- a source, source_id is the identity: two posts may share a link or a template).
-- Macros url_key and text_key: dedup_macros.sql.
CREATE OR REPLACE TEMP TABLE alert_keys AS
SELECT alert_id, source, 'url' AS kind, url_key(source_url) AS key
FROM lake_alerts
UNION ALL
SELECT alert_id, source, 'content' AS kind,
    md5(concat_ws('|', text_key(title), published::VARCHAR, md5(text_key(text)))) AS key
FROM lake_alerts;

CREATE OR REPLACE TEMP TABLE alert_shared_keys AS
SELECT k.alert_id, k.kind, k.key
FROM alert_keys AS k
JOIN (
    SELECT kind, key FROM alert_keys
    WHERE key IS NOT NULL
    GROUP BY kind, key
    HAVING count(*) > 1 AND count(*) = count(DISTINCT source)
) AS shared USING (kind, key);

DROP TABLE alert_keys
