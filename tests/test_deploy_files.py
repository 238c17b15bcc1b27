"""deploy/: the compose file is valid (``docker compose config`` where Docker's compose
plugin exists, else the Compose Specification's JSON schema), its services fit together,
the Helm values and the instance file say the same, and every variable is documented."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.deploy

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"
COMPOSE = DEPLOY / "compose.yaml"


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def has_compose_plugin() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0


def test_compose_file_is_valid() -> None:
    env = {**os.environ, "POSTGRES_PASSWORD": "test-only"}
    if has_compose_plugin():
        command = ["docker", "compose", "-f", str(COMPOSE), "config", "--quiet"]
    else:  # this machine's docker is a client without the compose plugin (and no engine)
        command = [str(Path(sys.executable).parent / "check-jsonschema"), "--builtin-schema",
                   "vendor.compose-spec", str(COMPOSE)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_rejects_a_broken_compose_file() -> None:
    """The fallback check can fail: a service with an unknown key is refused."""
    broken = compose()
    broken["services"]["webserver"]["comand"] = ["dagster-webserver"]
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as handle:
        yaml.safe_dump(broken, handle)
    try:
        result = subprocess.run([str(Path(sys.executable).parent / "check-jsonschema"),
                                 "--builtin-schema", "vendor.compose-spec", handle.name],
                                capture_output=True, text=True, timeout=120)
    finally:
        os.unlink(handle.name)
    assert result.returncode != 0


def test_services_fit_together() -> None:
    services = compose()["services"]
    assert set(services) == {"postgres", "code", "webserver", "daemon", "datasette"}
    code = services["code"]["command"]
    assert code[:3] == ["dagster", "code-server", "start"]
    assert code[code.index("-m") + 1] == "pipelines.definitions"
    location = yaml.safe_load((DEPLOY / "workspace.yaml").read_text())["load_from"][0]
    grpc = location["grpc_server"]
    assert (grpc["host"], str(grpc["port"])) == ("code", code[code.index("-p") + 1])
    assert grpc["location_name"] == code[code.index("--location-name") + 1]
    for name in ("webserver", "daemon"):
        assert "deploy/workspace.yaml" in services[name]["command"]
        assert services[name]["depends_on"]["code"]["condition"] == "service_healthy"
    assert "data:/data:ro" in services["datasette"]["volumes"]
    assert services["datasette"]["command"][:2] == ["ifex-alerts", "serve"]
    dockerfile = (REPO / compose()["x-app"]["build"]["dockerfile"]).read_text()
    assert "deploy/dagster.yaml" in dockerfile and "uv sync --frozen" in dockerfile


def test_instance_file_is_valid_dagster_config(tmp_path: Path) -> None:
    from dagster._core.instance.config import dagster_instance_config

    shutil.copy(DEPLOY / "dagster.yaml", tmp_path / "dagster.yaml")
    config, _ = dagster_instance_config(str(tmp_path))
    assert config["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert "postgres" in config["storage"]
    assert config["concurrency"]["runs"]["max_concurrent_runs"] > 1


def test_helm_values_match_the_instance_file() -> None:
    values = yaml.safe_load((DEPLOY / "helm" / "values.yaml").read_text())
    instance = yaml.safe_load((DEPLOY / "dagster.yaml").read_text())["concurrency"]
    (deployment,) = values["dagster-user-deployments"]["deployments"]
    args = deployment["dagsterApiGrpcArgs"]
    assert args[args.index("--module-name") + 1] == "pipelines.definitions"
    assert values["dagsterDaemon"]["runCoordinator"]["type"] == "QueuedRunCoordinator"
    runs, pools = values["concurrency"]["runs"], values["concurrency"]["pools"]
    assert runs["maxConcurrentRuns"] == instance["runs"]["max_concurrent_runs"]
    assert runs["tagConcurrencyLimits"] == instance["runs"]["tag_concurrency_limits"]
    assert pools["defaultLimit"] == instance["pools"]["default_limit"]
    assert values["postgresql"]["enabled"] is False


def documented_variables() -> set[str]:
    """Variables named in the README's production table (first column)."""
    section = (REPO / "README.md").read_text().split("## Running in production", 1)[1]
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)`", section, flags=re.M))


def test_every_variable_is_documented() -> None:
    used = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", (DEPLOY / "env.example").read_text(),
                          flags=re.M))
    used |= set(re.findall(r"env: ([A-Z][A-Z0-9_]+)", (DEPLOY / "dagster.yaml").read_text()))
    used |= set(compose()["x-app"]["environment"])
    missing = used - documented_variables()
    assert not missing, f"variables not in the README's table: {sorted(missing)}"
