"""Runs whose process is gone are marked failed instead of staying STARTED for ever.

The CLI executes its runs in its own process (``pipelines/runs.py``); a ``kill -9`` or the
OOM killer ends that process before Dagster hears of it. Such runs carry the host, process
id and process start time that ran them (``process_tags``), and before a backfill or a
materialization starts, ``fail_dead_runs`` marks failed every unfinished run of this host
whose process no longer exists (or is another process under a reused id). Runs the daemon
launches run in the code server's processes: the code server fails a run whose process
died, and the instance's run monitoring (``run_monitoring`` in deploy/dagster.yaml and in
the instance file the CLI writes, ``pipelines/backfill.py``) fails runs that never start
and runs past ``max_runtime_seconds`` (a lost code server).
"""

from __future__ import annotations

import socket
from pathlib import Path

from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

from warehouse.leftovers import process_alive

HOST_TAG = "ifex/run_host"
PID_TAG = "ifex/run_pid"
PROCESS_START_TAG = "ifex/run_process_start"
UNFINISHED = [DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING,
              DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]


def process_start(pid: int) -> str | None:
    """When a process started (clock ticks since boot, from /proc; None where unknown)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def process_tags(pid: int | None = None) -> dict[str, str]:
    """Tags naming the process that executes a run (this one by default)."""
    import os

    pid = os.getpid() if pid is None else pid
    tags = {HOST_TAG: socket.gethostname(), PID_TAG: str(pid)}
    if (started := process_start(pid)) is not None:
        tags[PROCESS_START_TAG] = started
    return tags


def process_gone(tags: dict[str, str]) -> bool:
    """Whether the process a run's tags name has ended (False for another host's runs)."""
    if tags.get(HOST_TAG) != socket.gethostname() or not tags.get(PID_TAG, "").isdigit():
        return False
    pid = int(tags[PID_TAG])
    if not process_alive(pid):
        return True
    recorded, current = tags.get(PROCESS_START_TAG), process_start(pid)
    return recorded is not None and current is not None and recorded != current


def fail_dead_runs(instance: DagsterInstance) -> list[str]:
    """Mark failed the unfinished runs of this host whose process is gone; their ids."""
    failed = []
    filters = RunsFilter(statuses=UNFINISHED, tags={HOST_TAG: socket.gethostname()})
    for run in instance.get_runs(filters=filters):
        if process_gone(run.tags):
            instance.report_run_failed(
                run, f"The process that ran it (pid {run.tags[PID_TAG]} on "
                     f"{run.tags[HOST_TAG]}) ended without finishing the run (killed?); "
                     "marked failed by the next run.")
            failed.append(run.run_id)
    return failed
