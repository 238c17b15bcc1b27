-- Every version of each alert from the lake ({columns}: the enriched columns, with
-- defaults for optional columns older lake files lack; {read_options}: the lake as a hive
-- dataset). The latest fetch of each alert_id stays in lake_alerts; the earlier versions (the
-- same id delivered again in another month's partition) wait in superseded_alerts for
-- alert_duplicates (load_superseded.sql); dedup.py removes cross-source duplicates between.
CREATE OR REPLACE TEMP TABLE lake_alerts AS
SELECT {columns}, row_number() OVER (
    PARTITION BY alert_id ORDER BY fetched_at DESC, raw_id DESC
) AS version_rank
FROM read_parquet($glob, {read_options});

CREATE OR REPLACE TEMP TABLE superseded_alerts AS
SELECT alert_id, source, source_id, source_url, title, published, fetched_at
FROM lake_alerts
WHERE version_rank > 1;

DELETE FROM lake_alerts WHERE version_rank > 1;

ALTER TABLE lake_alerts DROP COLUMN version_rank
