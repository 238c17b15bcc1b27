"""Run a job of the code location in this process, recorded as a run *of that location*.

``execute_in_process`` records runs without a code-location origin, so the UI's Overview
timeline (which groups runs by location and job) does not show the CLI's runs. Here the
run is created with the origin the webserver gives the location of ``workspace.yaml``
(``ifex_alerts``, module ``pipelines.definitions``) and executed in process
(``execute_run`` with the in-process executor), with the same result API.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from dagster import DagsterInstance
from dagster._core.definitions.reconstruct import ReconstructableRepository
from dagster._core.execution.api import create_execution_plan, execute_run
from dagster._core.execution.job_execution_result import JobExecutionResult
from dagster._core.remote_origin import (
    ManagedGrpcPythonEnvCodeLocationOrigin,
    RemoteRepositoryOrigin,
)
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin

from pipelines.run_health import process_tags

REPO = Path(__file__).resolve().parents[1]
MODULE = "pipelines.definitions"
LOCATION = "ifex_alerts"
"""``location_name`` in workspace.yaml (and ``code_location_name`` in pyproject.toml)."""
REPOSITORY = "__repository__"
"""The repository name Dagster gives a ``Definitions`` object."""
IN_PROCESS: dict = {}
"""No execution config: the definitions' executor is ``in_process_executor`` already (steps
run in the run's process; months run in parallel in worker processes)."""
PARTITION_TAG = "dagster/partition"


@cache
def _repository() -> ReconstructableRepository:
    return ReconstructableRepository.for_module(MODULE, "defs", str(REPO))


def repository_origin() -> RemoteRepositoryOrigin:
    target = LoadableTargetOrigin(executable_path=sys.executable, module_name=MODULE,
                                  working_directory=str(REPO))
    return RemoteRepositoryOrigin(ManagedGrpcPythonEnvCodeLocationOrigin(target, LOCATION),
                                  REPOSITORY)


def run_job(job_name: str, instance: DagsterInstance, run_config: dict,
            tags: dict[str, str] | None = None, partition_key: str | None = None
            ) -> JobExecutionResult:
    """Create the run (with the location's origin and ``tags``, and the tags naming this
    process, ``run_health.process_tags``) and execute it here."""
    job = _repository().get_reconstructable_job(job_name)
    config = {**run_config, **IN_PROCESS}
    tags = {**(tags or {}), **({PARTITION_TAG: partition_key} if partition_key else {}),
            **process_tags()}
    job_def = job.get_definition()
    run = instance.create_run_for_job(
        job_def=job_def, run_config=config, tags={**job_def.run_tags, **tags},
        remote_job_origin=repository_origin().get_job_origin(job_name),
        job_code_origin=job.get_python_origin(),
        execution_plan=create_execution_plan(job, run_config=config, tags=tags,
                                             instance_ref=instance.get_ref()))
    return execute_run(job, run, instance, raise_on_error=False)
