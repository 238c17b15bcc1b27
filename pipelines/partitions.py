"""Monthly partitions from January 1995 up to and including the current month."""

from dagster import MonthlyPartitionsDefinition

monthly_partitions = MonthlyPartitionsDefinition(start_date="1995-01-01", end_offset=1)
