"""A real PostgreSQL server on 127.0.0.1 for the deployment tests (Debian's ``postgresql``).

``make postgres`` installs the package where apt is available; elsewhere the tests that need
it skip. The cluster lives in a fresh directory, trusts local connections, runs with fsync
off (a throwaway test database) and is stopped and removed afterwards. PostgreSQL refuses to
run as root, so as root the server runs as Debian's ``postgres`` user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

USER = "dagster"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's bin directory (Debian layout), if any."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                   else 0)
    return found[-1].parent if found else None


def _as_server_user() -> list[str]:
    """The prefix that runs a command as a non-root user (root cannot run PostgreSQL)."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root and there is no postgres user to run PostgreSQL as")
    if shutil.which("runuser") is None:
        pytest.skip("running as root without runuser")
    return ["runuser", "-u", "postgres", "--"]


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if result.returncode:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stderr or result.stdout}")


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a throwaway PostgreSQL on 127.0.0.1; yields the URL of database ``dagster``."""
    bindir = postgres_bin()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (make postgres installs Debian's package)")
    prefix = _as_server_user()
    root = Path(tempfile.mkdtemp(prefix="ifex-pg-"))
    root.chmod(0o755)
    data, port = root / "data", free_port()
    if prefix:
        shutil.chown(root, "postgres")
    try:
        options = (f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={root} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        try:
            _run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", USER,
                  "--auth=trust", "-E", "UTF8", "--no-sync"])
            _run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"),
                  "-o", options, "-w", "-t", "60", "start"])
        except RuntimeError as error:  # e.g. a sandbox without shared memory
            pytest.skip(f"PostgreSQL could not start here: {error}")
        try:
            _run([*prefix, str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port),
                  "-U", USER, "dagster"])
            yield f"postgresql://{USER}@127.0.0.1:{port}/dagster"
        finally:
            subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast",
                            "stop"], capture_output=True, timeout=60)
    finally:
        shutil.rmtree(root, ignore_errors=True)
