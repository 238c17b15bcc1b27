"""Source connectors by name: what ``--source`` and the ``source`` resource select."""

from __future__ import annotations

import importlib

from pipelines.sources.base import Source
from pipelines.sources.licensed import LicensedSource

SOURCE_CLASSES: dict[str, str] = {
    "sample": "pipelines.sources.sample:SampleSource",
    "wordpress": "pipelines.sources.wordpress:WordPressSource",
    "mbox": "pipelines.sources.mbox:MboxSource",
    "files": "pipelines.sources.files:FilesSource",
    "feed": "pipelines.sources.feed:FeedSource",
}


def build_source(
    kind: str,
    url: str | None = None,
    path: str | None = None,
    options: dict[str, str] | None = None,
) -> Source:
    """Instantiate the connector ``kind`` from its configuration; a ``licence`` option
    (SPDX id) is stamped on every alert whose record states none (default CC-BY-4.0)."""
    if kind not in SOURCE_CLASSES:
        known = ", ".join(sorted(SOURCE_CLASSES))
        raise ValueError(f"unknown source {kind!r}; choose one of: {known}")
    module_name, class_name = SOURCE_CLASSES[kind].split(":")
    source_class = getattr(importlib.import_module(module_name), class_name)
    options = dict(options or {})
    licence = options.pop("licence", None)
    source = source_class.from_config(url=url, path=path, options=options)
    return LicensedSource(source, licence) if licence else source
