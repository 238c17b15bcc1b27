-- Latest version of each alert from the lake ({columns}: the enriched columns, with
-- defaults for optional columns older lake files lack); dedup.py then removes duplicates.
CREATE OR REPLACE TEMP TABLE lake_alerts AS
SELECT {columns}
FROM read_parquet($glob, hive_partitioning = false, union_by_name = true)
QUALIFY row_number() OVER (
    PARTITION BY alert_id ORDER BY fetched_at DESC, raw_id DESC
) = 1
