-- Facet counts of the alerts that have one facet value. {filter_values} and
-- {facet_values} are each a quoted column or unnest(list_distinct(<list column>)).
SELECT CAST(f AS VARCHAR) AS filter_value, v AS value, count(*) AS n
FROM (
    SELECT f, {facet_values} AS v
    FROM (SELECT {filter_values} AS f, {facet_column} FROM alerts)
)
WHERE f IS NOT NULL AND v IS NOT NULL
GROUP BY ALL
ORDER BY filter_value, n DESC, value
