"""What the deployment tests ask the webserver: the GraphQL the UI itself sends to launch a
ranged backfill or a job run and to follow runs."""

from __future__ import annotations

import time

from tests.dagster_services import LOCATION, Deployment

LAUNCH_BACKFILL = """
mutation($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message stack }
    ... on RunConfigValidationInvalid { errors { message } }
  }
}"""

LAUNCH_RUN = """
mutation($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message stack }
    ... on RunConfigValidationInvalid { errors { message } }
  }
}"""

RUNS = """
{ runsOrError { ... on Runs { results {
    runId jobName status startTime endTime tags { key value } } } } }"""

PARTITION_STATS = """
query($path: [String!]!) {
  assetNodeOrError(assetKey: {path: $path}) {
    ... on AssetNode { partitionStats { numMaterialized numFailed numPartitions } }
  }
}"""

DONE = {"SUCCESS", "FAILURE", "CANCELED"}


def launch_backfill(deployment: Deployment, assets: list[str], start: str, end: str,
                    run_config: dict) -> str:
    """A ranged asset backfill (months ``start``..``end``, "YYYY-MM") of partitioned assets."""
    params = {
        "partitionsByAssets": [
            {"assetKey": {"path": [name]},
             "partitions": {"range": {"start": f"{start}-01", "end": f"{end}-01"}}}
            for name in assets],
        "title": f"test backfill {start}..{end}",
        "runConfigData": run_config,
    }
    result = deployment.query(LAUNCH_BACKFILL, {"params": params})["launchPartitionBackfill"]
    assert result["__typename"] == "LaunchBackfillSuccess", result
    return result["backfillId"]


def launch_job(deployment: Deployment, job: str, run_config: dict) -> str:
    params = {"selector": {"repositoryLocationName": LOCATION,
                           "repositoryName": "__repository__", "jobName": job},
              "runConfigData": run_config}
    result = deployment.query(LAUNCH_RUN, {"params": params})["launchRun"]
    assert result["__typename"] == "LaunchRunSuccess", result
    return result["run"]["runId"]


def runs(deployment: Deployment) -> list[dict]:
    return deployment.query(RUNS)["runsOrError"]["results"]


def wait_for_runs(deployment: Deployment, count: int, timeout: float = 240,
                  watch=None) -> list[dict]:
    """Until ``count`` runs exist and all are finished; ``watch(runs)`` sees every poll."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = runs(deployment)
        if watch is not None:
            watch(current)
        if len(current) >= count and all(r["status"] in DONE for r in current):
            return current
        time.sleep(0.5)
    raise TimeoutError(f"runs did not finish: {runs(deployment)}\n{deployment.logs()}")


def partition_stats(deployment: Deployment, asset: str) -> dict:
    return deployment.query(PARTITION_STATS, {"path": [asset]})["assetNodeOrError"][
        "partitionStats"]
