"""Run tags the pipeline sets and reads (besides Dagster's own ``dagster/…`` tags)."""

SOURCE_TAG = "ifex/source"
"""The source connector a run ingests from (sample, wordpress, mbox, files, feed)."""
MONTHS_TAG = "ifex/months"
"""The months a CLI run covers: ``YYYY-MM`` or ``YYYY-MM..YYYY-MM``."""
STARTED_BY_TAG = "ifex/started_by"
"""``cli`` on runs that ``ifex-alerts backfill`` started."""
PUBLISHED_BY_TAG = "ifex/published_by"
"""``cli`` on the CLI's runs: the CLI publishes once after them, so the publish automation
(``pipelines/automation.py``) does not publish a second time."""
