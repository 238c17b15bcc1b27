"""pip-audit of the lock file: every pinned package checked against PyPI's vulnerability
data, nothing installed. Skipped, with the reason, where that data cannot be reached;
where it can, any vulnerability not in ``IGNORED`` (with its reason) fails."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
AUDIT = [sys.executable, "-m", "pip_audit", "--no-deps", "--disable-pip", "--format", "json",
         "--progress-spinner", "off", "--timeout", "5"]
PROBE = "httpx==0.28.1\n"
"""One pinned package: whether the vulnerability service answers at all, in seconds."""
PROBE_TIMEOUT, TIMEOUT = 30, 180
"""Seconds for the probe and for the whole audit; a slower service is treated as
unreachable (skip), so CI never hangs on it."""
IGNORED: dict[str, str] = {}
"""Vulnerability id → why it does not affect this project (none so far)."""


def uv() -> str:
    found = REPO / ".tools" / "bin" / "uv"
    return str(found) if found.exists() else shutil.which("uv") or pytest.skip("uv not found")


def locked_requirements(folder: Path) -> Path:
    """Every package pinned in uv.lock (all groups), as a requirements file."""
    target = folder / "requirements.txt"
    subprocess.run([uv(), "export", "--frozen", "--no-hashes", "--no-emit-project",
                    "--all-groups", "--quiet", "-o", str(target)], cwd=REPO, check=True,
                   timeout=60)
    return target


def audit(requirements: Path, cache: Path, timeout: int = TIMEOUT) -> dict:
    """pip-audit's JSON report; skips when the service cannot be reached in time."""
    ignores = [arg for vuln in IGNORED for arg in ("--ignore-vuln", vuln)]
    try:
        done = subprocess.run([*AUDIT, "--cache-dir", str(cache), *ignores, "-r",
                               str(requirements)], capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.skip(f"pip-audit: no answer from the vulnerability service in {timeout} s")
    if not done.stdout.strip().startswith("{"):
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        pytest.skip(f"pip-audit could not reach its vulnerability service: {last[:300]}")
    return json.loads(done.stdout)


def unaddressed(report: dict, ignored: dict[str, str] = IGNORED) -> list[str]:
    """The report's vulnerabilities that are not ignored (by id or alias), one line each."""
    return sorted(f"{d['name']}=={d['version']}: {v['id']} (fixed in {v.get('fix_versions')})"
                  for d in report["dependencies"] for v in d.get("vulns", [])
                  if not {v["id"], *v.get("aliases", [])} & set(ignored))


def unaudited(report: dict) -> list[str]:
    return [d["skip_reason"] for d in report["dependencies"] if d.get("skip_reason")]


def test_no_unaddressed_vulnerability_in_the_lock_file(tmp_path: Path) -> None:
    assert all(reason.strip() for reason in IGNORED.values())
    probe = tmp_path / "probe.txt"
    probe.write_text(PROBE)
    if skipped := unaudited(audit(probe, tmp_path / "cache", PROBE_TIMEOUT)):
        pytest.skip(f"pip-audit has no vulnerability data here: {skipped[0]}")
    report = audit(locked_requirements(tmp_path), tmp_path / "cache")
    found = unaddressed(report)
    assert not found, "unaddressed vulnerabilities:\n" + "\n".join(found)
    if skipped := unaudited(report):
        pytest.skip(f"{len(skipped)} packages could not be audited, e.g. {skipped[0]}")


def test_a_vulnerability_fails_unless_ignored_with_a_reason() -> None:
    """The verdict on pip-audit's JSON format (``--format json``), where the service is out
    of reach and the audit itself skips."""
    report = {"dependencies": [
        {"name": "httpx", "version": "0.28.1", "vulns": []},
        {"name": "pyyaml", "version": "6.0.3", "vulns": [
            {"id": "PYSEC-2099-1", "aliases": ["CVE-2099-1"], "fix_versions": ["6.0.4"]}]}]}
    assert unaddressed(report) == [
        "pyyaml==6.0.3: PYSEC-2099-1 (fixed in ['6.0.4'])"]
    assert unaddressed(report, {"CVE-2099-1": "only reachable through yaml.load"}) == []
