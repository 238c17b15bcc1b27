-- Each item of an alerts list column with the alert's year and rowid ({column}: a list
-- column).
INSERT OR IGNORE INTO alert_array_items (column_name, value, year, alert_rowid)
SELECT '{column}', j.value, a.year, a.rowid
FROM alerts AS a, json_each(a."{column}") AS j
WHERE j.value IS NOT NULL
ORDER BY j.value, a.rowid
