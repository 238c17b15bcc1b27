"""The storage seam: where the lake and the releases live, on local disk or in a bucket.

A ``Location`` is a local directory (the default) or an object-store URL
(``s3://bucket/prefix``; ``gs://`` and ``abfs://`` through pyarrow the same way), opened
with ``pyarrow.fs``. S3 credentials come from the usual AWS variables and files
(``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_PROFILE``, an instance role);
``AWS_ENDPOINT_URL`` points at an S3-compatible store (MinIO, Ceph, moto). DuckDB reads
object-store Parquet through the same filesystem (``register_duckdb``), since its own
``httpfs`` extension is not available here.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pyarrow.fs as pafs

DUCKDB_PROTOCOL = "ifexstore"
"""Prefix of object-store paths handed to DuckDB (its ``s3://`` belongs to httpfs)."""


def is_url(location: str | os.PathLike) -> bool:
    return "://" in str(location) and not str(location).startswith("file://")


def _s3_filesystem() -> pafs.S3FileSystem:
    """S3 from the environment: region, and an endpoint for S3-compatible stores."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    options: dict = {"region": region or ("us-east-1" if endpoint else None)}
    if endpoint:
        parts = urlsplit(endpoint if "://" in endpoint else f"https://{endpoint}")
        options |= {"endpoint_override": parts.netloc, "scheme": parts.scheme or "https",
                    "allow_bucket_creation": False}
    return pafs.S3FileSystem(**{k: v for k, v in options.items() if v is not None})


@dataclass(frozen=True)
class Location:
    """A directory tree: ``url`` is a local path or ``scheme://bucket/prefix``."""

    url: str

    @property
    def is_local(self) -> bool:
        return not is_url(self.url)

    @cached_property
    def _opened(self) -> tuple[pafs.FileSystem, str]:
        if self.is_local:
            return pafs.LocalFileSystem(), str(Path(self.url).resolve())
        if self.url.startswith("s3://"):
            return _s3_filesystem(), self.url[len("s3://"):].rstrip("/")
        filesystem, path = pafs.FileSystem.from_uri(self.url)
        return filesystem, path.rstrip("/")

    @property
    def fs(self) -> pafs.FileSystem:
        return self._opened[0]

    def path(self, *parts: str) -> str:
        """The filesystem path of ``parts`` under this location (for ``self.fs``)."""
        return "/".join([self._opened[1], *parts])

    def join(self, *parts: str) -> Location:
        return Location("/".join([self.url.rstrip("/"), *parts]))

    def exists(self, *parts: str) -> bool:
        return self.fs.get_file_info(self.path(*parts)).type == pafs.FileType.File

    def read_bytes(self, *parts: str) -> bytes | None:
        """A small object's bytes, or None if it does not exist."""
        try:
            with self.fs.open_input_stream(self.path(*parts)) as stream:
                return stream.read()
        except FileNotFoundError:
            return None

    def _output(self, path: str):
        if self.is_local:  # object stores have no directories to create
            self.fs.create_dir(path.rsplit("/", 1)[0], recursive=True)
        return self.fs.open_output_stream(path)

    def write_bytes(self, data: bytes, *parts: str) -> None:
        """Write a small object in one request (an object store's PUT is all or nothing)."""
        with self._output(self.path(*parts)) as stream:
            stream.write(data)

    def delete(self, *parts: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.fs.delete_file(self.path(*parts))

    def files(self, *parts: str) -> list[str]:
        """Paths, relative to this location, of every file under ``parts`` (sorted)."""
        base = self._opened[1]
        selector = pafs.FileSelector(self.path(*parts), recursive=True, allow_not_found=True)
        return sorted(info.path[len(base) + 1:] for info in self.fs.get_file_info(selector)
                      if info.type == pafs.FileType.File)

    def upload(self, local: Path, *parts: str) -> None:
        """Copy a local file to ``parts`` (streamed)."""
        with open(local, "rb") as source, self._output(self.path(*parts)) as out:
            while chunk := source.read(8 << 20):
                out.write(chunk)

    def duckdb_path(self, *parts: str) -> str:
        """How DuckDB names ``parts`` once ``register_duckdb`` ran on its connection."""
        return self.path(*parts) if self.is_local else f"{DUCKDB_PROTOCOL}://{self.path(*parts)}"

    def register_duckdb(self, con: duckdb.DuckDBPyConnection) -> None:
        """Let DuckDB read this location's files (object stores only; a no-op on disk)."""
        if self.is_local:
            return
        from fsspec.implementations.arrow import ArrowFSWrapper

        class StoreFS(ArrowFSWrapper):
            protocol = (DUCKDB_PROTOCOL,)

            @classmethod
            def _strip_protocol(cls, path):
                prefix = f"{DUCKDB_PROTOCOL}://"
                path = path[len(prefix):] if path.startswith(prefix) else path
                return path.rstrip("/")

        if DUCKDB_PROTOCOL not in con.list_filesystems():
            con.register_filesystem(StoreFS(self.fs))


def location(value: str | os.PathLike | Location) -> Location:
    return value if isinstance(value, Location) else Location(str(value))
