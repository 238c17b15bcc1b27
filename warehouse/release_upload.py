"""Publish a release directory to object storage: ``<releases>/<name>/…`` and ``latest``.

The release is first written on local disk (``export.export_release``: DuckDB writes local
files); this copies it to the bucket. ``SHA256SUMS`` is uploaded last, so a release is
complete exactly when its checksums are there, and only then is ``latest`` replaced: a
small JSON manifest object (one PUT, all or nothing) naming the current release, its
prefix and the SHA-256 of its ``SHA256SUMS``. A release already in the bucket with the
same checksums is not uploaded again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from warehouse.storage import Location

log = logging.getLogger(__name__)

LATEST = "latest"
CHECKSUMS = "SHA256SUMS"


def release_files(release_dir: Path) -> list[str]:
    """The files of a release, relative and sorted (hidden files are not published)."""
    return sorted(p.relative_to(release_dir).as_posix() for p in release_dir.rglob("*")
                  if p.is_file() and not p.name.startswith("."))


def publish_release(release_dir: Path, releases: Location) -> dict:
    """Copy ``release_dir`` to ``releases/<name>/`` and point ``releases/latest`` at it."""
    name, checksums = release_dir.name, (release_dir / CHECKSUMS).read_bytes()
    files = release_files(release_dir)
    uploaded = 0
    if releases.read_bytes(name, CHECKSUMS) != checksums:
        releases.delete(name, CHECKSUMS)  # incomplete until every file is there again
        for rel in files:
            if rel != CHECKSUMS:
                releases.upload(release_dir / rel, name, *rel.split("/"))
                uploaded += 1
        releases.write_bytes(checksums, name, CHECKSUMS)
        uploaded += 1
    manifest = latest_manifest(name, checksums, len(files))
    releases.write_bytes(json.dumps(manifest, indent=1, sort_keys=True).encode() + b"\n",
                         LATEST)
    log.info("release %s published to %s (%d files uploaded)", name, releases.url, uploaded)
    return {"url": releases.join(name).url, "uploaded": uploaded, "latest": manifest}


def latest_manifest(name: str, checksums: bytes, files: int) -> dict:
    return {"release": name, "prefix": f"{name}/", "files": files,
            "sha256sums_sha256": hashlib.sha256(checksums).hexdigest()}


def read_latest(releases: Location) -> dict | None:
    """The ``latest`` manifest of a releases location (None before the first publish)."""
    raw = releases.read_bytes(LATEST)
    return json.loads(raw) if raw is not None else None
