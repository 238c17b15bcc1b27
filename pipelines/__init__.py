"""Dagster definitions, assets, the CLI and the source connectors of ifex-alerts."""

import warnings

# `backfill_policy` is a beta parameter in Dagster 1.13; single-run backfills are a
# deliberate choice here, so its notice is silenced in every process (workers too).
warnings.filterwarnings("ignore", message=r"Parameter `backfill_policy`")
