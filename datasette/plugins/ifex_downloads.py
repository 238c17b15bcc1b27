"""/-/downloads (the latest release's files) and /downloads/<path> (the files themselves).

The files come from the ``downloads`` static mount (data/exports), but through this
route, which Datasette tries before its static mounts: hidden files and folders (input
stamps ``.<date>.inputs``, a release being written ``.<date>.<pid>.tmp``) are refused
with 404, and data files get a type browsers download (``alerts.csv.gz`` as
application/gzip, Parquet as application/vnd.apache.parquet, CSV as text/csv, as
attachments; per-year files are saved as ``alerts_<year>.parquet``). The page lists the
files in groups with their sizes (``warehouse/site/downloads.py``).
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from datasette.utils.asgi import Response, asgi_send_file

from datasette import hookimpl
from warehouse.site.downloads import grouped_files

MOUNT = "downloads"
CHUNK_BYTES = 1 << 16
CONTENT_TYPES = {
    ".gz": "application/gzip", ".parquet": "application/vnd.apache.parquet",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json; charset=utf-8", ".md": "text/markdown; charset=utf-8",
}
TEXT_TYPE = "text/plain; charset=utf-8"
ATTACHMENTS = (".gz", ".parquet", ".csv")
YEAR_FILE = re.compile(r"(?:^|/)alerts/year=(?P<year>\d{4})/alerts_(?P<n>\d+)\.parquet$")


def exports_root(datasette) -> Path | None:
    """The exports folder named by the ``downloads`` mount, if it is configured."""
    mounts = dict(datasette.static_mounts)
    return Path(mounts[MOUNT]) if MOUNT in mounts else None


def public_file(root: Path, path: str) -> Path | None:
    """The file ``path`` names under ``root``, or None if it is hidden, outside or absent."""
    parts = PurePosixPath(path).parts
    if not parts or any(p.startswith(".") or "\\" in p for p in parts):
        return None
    found = (root / Path(*parts)).resolve()
    if not found.is_relative_to(root.resolve()) or not found.is_file():
        return None
    return found


def download_name(path: str, found: Path) -> str | None:
    """The file name a download is saved as: per-year files by their year
    (``alerts_2023.parquet``, not ``alerts_0.parquet``); None shows it in the browser."""
    if found.suffix not in ATTACHMENTS:
        return None
    year = YEAR_FILE.search(path)
    if year is None:
        return found.name
    return f"alerts_{year['year']}{'' if year['n'] == '0' else '_' + year['n']}.parquet"


def content_type(path: Path) -> str:
    return CONTENT_TYPES.get(path.suffix, TEXT_TYPE)


async def download(datasette, request, send):
    root = exports_root(datasette)
    found = public_file(root, request.url_vars["path"]) if root else None
    if found is None:
        return Response.text("404: file not found", status=404)
    name = download_name(request.url_vars["path"], found)
    await asgi_send_file(send, found, filename=name, content_type=content_type(found),
                         chunk_size=CHUNK_BYTES)


def release_files(datasette) -> tuple[str | None, list[tuple[str, int]]]:
    """The latest release's name and its public files (relative path, bytes)."""
    root = exports_root(datasette)
    latest = root / "latest" if root else None
    if latest is None or not latest.exists():
        return None, []
    files = [(p.relative_to(latest).as_posix(), p.stat().st_size)
             for p in sorted(latest.rglob("*")) if p.is_file()
             and public_file(root, f"latest/{p.relative_to(latest).as_posix()}")]
    return latest.resolve().name, files


async def downloads(datasette, request):
    release, files = release_files(datasette)
    html = await datasette.render_template("downloads.html", {
        "release": release, "groups": grouped_files(files)}, request=request)
    return Response.html(html)


@hookimpl
def register_routes():
    return [(r"^/-/downloads$", downloads), (rf"^/{MOUNT}/(?P<path>.+)$", download)]
