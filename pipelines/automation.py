"""The publish assets follow an ingest by themselves: their automation condition and the
sensor that evaluates it, running by default.

Dagster's ``eager()`` waits until no upstream partition is missing, which never happens
here (a backfill of 2011-2012 leaves 1995-2010 missing, and every month adds a partition),
and the default automation sensor starts stopped. ``PUBLISH_CONDITION`` instead requests
the asset when an upstream partition was updated since it last ran — except by the CLI,
which publishes once itself after its runs (``ifex/published_by=cli``) — once nothing
upstream is in progress and upstream blocking checks (an unreconciled month) passed.
"""

from dagster import (
    AssetSelection,
    AutomationCondition,
    AutomationConditionSensorDefinition,
    DefaultSensorStatus,
)

from pipelines.tags import PUBLISHED_BY_TAG

PUBLISH_GROUPS = ("warehouse", "exports", "datasette")

_updated_outside_cli = (
    AutomationCondition.newly_updated()
    & ~AutomationCondition.executed_with_tags(tag_keys={PUBLISHED_BY_TAG})
)

PUBLISH_CONDITION = (
    AutomationCondition.any_deps_match(
        _updated_outside_cli | AutomationCondition.will_be_requested()
    ).since_last_handled()
    & ~AutomationCondition.any_deps_in_progress()
    & ~AutomationCondition.in_progress()
    & AutomationCondition.all_deps_blocking_checks_passed()
).with_label("publish after an upstream update")

publish_automation_sensor = AutomationConditionSensorDefinition(
    "publish_automation_sensor",
    target=AssetSelection.groups(*PUBLISH_GROUPS),
    default_status=DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=15,
    description="Rebuilds the warehouse, the release and the Datasette database after a "
    "backfill or a sensor run from the UI updated the enriched alerts (on by default; the "
    "CLI publishes its own runs).",
)
