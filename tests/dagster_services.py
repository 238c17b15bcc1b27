"""The production topology on 127.0.0.1: the code location as its own gRPC server, the
webserver and the daemon, all on one instance from ``deploy/dagster.yaml`` (Postgres).

The tests talk to it the way the UI does, through the webserver's GraphQL API.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.pg_server import free_port

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LOCATION = "ifex_alerts"


@dataclass
class Deployment:
    """A running webserver + daemon + code server; ``query`` posts GraphQL."""

    home: Path
    url: str
    env: dict[str, str]
    workspace: Path
    stack: ExitStack = field(default_factory=ExitStack)

    def query(self, query: str, variables: dict | None = None) -> dict:
        response = httpx.post(f"{self.url}/graphql", timeout=60,
                              json={"query": query, "variables": variables or {}})
        response.raise_for_status()
        body = response.json()
        if body.get("errors"):
            raise AssertionError(body["errors"])
        return body["data"]

    def start_daemon(self) -> None:
        """Start ``dagster-daemon run`` (its backfill loop looks for work at once, then every
        30 s, so tests launch their backfill first)."""
        self.stack.enter_context(_process(
            [str(BIN / "dagster-daemon"), "run", "-w", str(self.workspace)],
            self.env, self.home / "daemon.log"))

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-4000:]}"
                         for p in sorted(self.home.glob("*.log")))


@contextmanager
def _process(command: list[str], env: dict[str, str], log: Path) -> Iterator[None]:
    with open(log, "ab") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_serving(port: int, log: Path, timeout: float = 120) -> None:
    """Until the code server answers its gRPC health check."""
    from dagster._grpc.client import DagsterGrpcClient

    client, deadline = DagsterGrpcClient(port=port, host="127.0.0.1"), time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            if client.health_check_query() == "SERVING":
                return
        except Exception:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"the code server did not start:\n{log.read_text(errors='replace')}")


def _wait_loaded(deployment: Deployment, timeout: float = 120) -> None:
    """Until the webserver answers and the code location has loaded."""
    query = "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus "
    query += "locationOrLoadError { __typename } } } } }"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            entries = deployment.query(query)["workspaceOrError"]["locationEntries"]
        except (httpx.HTTPError, AssertionError, KeyError, TypeError):
            entries = []
        kinds = {(e["locationOrLoadError"] or {}).get("__typename") for e in entries}
        if kinds == {"RepositoryLocation"}:
            return
        if "PythonError" in kinds:
            break
        time.sleep(0.5)
    raise TimeoutError(f"the code location did not load:\n{deployment.logs()}")


@contextmanager
def deployment(root: Path, postgres_url: str, env: dict[str, str]) -> Iterator[Deployment]:
    """Code server, webserver (and, on request, the daemon) on the production instance."""
    home = root / "dagster_home"
    home.mkdir(parents=True)
    shutil.copy(REPO / "deploy" / "dagster.yaml", home / "dagster.yaml")
    dagster_url = postgres_url.replace("postgresql://", "postgresql+psycopg2://", 1)
    full_env = {**os.environ, "DAGSTER_HOME": str(home), "DAGSTER_POSTGRES_URL": dagster_url,
                **env}
    grpc_port, web_port = free_port(), free_port()
    workspace = root / "workspace.yaml"
    workspace.write_text(f"load_from:\n  - grpc_server:\n      host: 127.0.0.1\n"
                         f"      port: {grpc_port}\n      location_name: {LOCATION}\n")
    result = Deployment(home, f"http://127.0.0.1:{web_port}", full_env, workspace)
    with result.stack:
        result.stack.enter_context(_process(
            [str(BIN / "dagster"), "code-server", "start", "-h", "127.0.0.1", "-p",
             str(grpc_port), "-m", "pipelines.definitions", "--location-name", LOCATION],
            full_env, home / "code_server.log"))
        _wait_serving(grpc_port, home / "code_server.log")
        result.stack.enter_context(_process(
            [str(BIN / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(web_port), "-w",
             str(workspace)], full_env, home / "webserver.log"))
        _wait_loaded(result)
        yield result
