"""FeedSource end to end on an RSS file and an Atom feed served on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from models.records import ParseError, QuarantineReason
from pipelines.sources.feed import FeedSource
from pipelines.sources.http import HttpFetchError

RSS = """<?xml version="1.0" encoding="windows-1252"?>
<rss version="2.0"><channel><title>Partner alerts</title><link>https://partner.example</link>
<language>es-ES</language>
<item><title>Periodista detenido</title><link>https://partner.example/a/1</link>
<guid>urn:partner:1</guid><pubDate>Tue, 02 Mar 2021 10:00:00 +0000</pubDate>
<category>Detención</category>
<description>&lt;p&gt;Un periodista fue detenido en Bogotá.&lt;/p&gt;</description></item>
<item><title>Radio cerrada</title><link>https://partner.example/a/2</link>
<pubDate>Sat, 03 Apr 2021 10:00:00 +0000</pubDate>
<description>La radio fue cerrada.</description></item>
<item><title>Sin fecha</title><link>https://partner.example/a/3</link>
<description>Texto sin fecha.</description></item>
<item><title>Sin texto</title><link>https://partner.example/a/4</link>
<pubDate>Wed, 10 Mar 2021 10:00:00 +0000</pubDate><description></description></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr"><title>Alertes</title>
<id>urn:alertes</id><updated>2021-03-09T00:00:00Z</updated>
<entry><id>urn:alerte:1</id><title>Journaliste agressé</title>
<link href="https://alertes.example/1"/><published>2021-03-05T09:00:00+01:00</published>
<updated>2021-03-05T09:00:00+01:00</updated>
<content type="html">&lt;p&gt;Un journaliste a été agressé à Dakar.&lt;/p&gt;&lt;script&gt;x()
&lt;/script&gt;</content><summary>Résumé</summary></entry>
<entry><id>urn:alerte:2</id><title>Site bloqué</title><link href="https://alertes.example/2"/>
<published>2021-02-27T09:00:00Z</published><updated>2021-03-08T12:00:00Z</updated>
<summary>Le site a été bloqué.</summary></entry>
</feed>
"""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "atom.xml").write_text(ATOM, encoding="utf-8")
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_rss_file_entries_by_month_and_parse(tmp_path: Path) -> None:
    path = tmp_path / "feed.rss"
    path.write_bytes(RSS.encode("cp1252"))
    source = FeedSource.from_config(None, str(path), {})
    march = list(source.fetch_month(date(2021, 3, 1)))
    assert [r.source_id for r in march] == ["urn:partner:1", "https://partner.example/a/4"]
    alert = source.parse(march[0])
    assert (alert.title, alert.text) == (
        "Periodista detenido",
        "Un periodista fue detenido en Bogotá.",
    )
    assert alert.published == date(2021, 3, 2) and alert.language == "es"
    assert alert.source_terms == ["Detención"] and alert.source_url.endswith("/a/1")
    with pytest.raises(ParseError) as empty:
        source.parse(march[1])
    assert empty.value.reason == QuarantineReason.EMPTY_TEXT
    assert [r.source_id for r in source.fetch_month(date(2021, 4, 1))] == [
        "https://partner.example/a/2"
    ]
    undated = [r for r in source.fetch_all() if r.source_id.endswith("/a/3")]
    with pytest.raises(ParseError) as bad:
        source.parse(undated[0])
    assert bad.value.reason == QuarantineReason.BAD_DATE
    assert source.fingerprint(date(2021, 3, 1)) is None


def test_atom_over_http_and_incremental_cursor(served: str) -> None:
    source = FeedSource.from_config(served + "/atom.xml", None, {"min_interval": "0"})
    [record] = source.fetch_month(date(2021, 3, 1))
    alert = source.parse(record)
    assert alert.title == "Journaliste agressé" and alert.language == "fr"
    assert alert.text == "Un journaliste a été agressé à Dakar."
    assert alert.published == date(2021, 3, 5)
    everything, cursor = source.fetch_modified_since(None)
    assert len(everything) == 2 and cursor == "2021-03-08T12:00:00+00:00"
    assert source.fetch_modified_since(cursor) == ([], cursor)
    changed, _ = source.fetch_modified_since("2021-03-06T00:00:00+00:00")
    assert [(r.source_id, r.partition_month) for r in changed] == [("urn:alerte:2", "2021-02")]


def test_missing_feed_fails_with_status_and_url(served: str) -> None:
    source = FeedSource.from_config(served + "/missing.xml", None, {"min_interval": "0"})
    with pytest.raises(HttpFetchError) as caught:
        list(source.fetch_month(date(2021, 3, 1)))
    assert caught.value.status == 404 and caught.value.url.endswith("/missing.xml")


def test_an_undated_entry_is_new_once_and_again_when_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "feed.rss"
    path.write_bytes(RSS.encode("cp1252"))
    source = FeedSource.from_config(None, str(path), {})
    _, cursor = source.fetch_modified_since(None)
    assert source.fetch_modified_since(cursor)[0] == []  # the undated entry was seen
    path.write_bytes(RSS.replace("Texto sin fecha.", "Texto corregido.").encode("cp1252"))
    [changed], later = source.fetch_modified_since(cursor)
    assert changed.source_id.endswith("/a/3") and source.fetch_modified_since(later)[0] == []
    fetched_month = changed.fetched_at.strftime("%Y-%m")
    assert changed.partition_month == fetched_month  # the month it was fetched in
    with pytest.raises(ParseError) as bad:
        source.parse(changed)
    assert bad.value.reason == QuarantineReason.BAD_DATE  # as mbox and files do


def test_a_plain_time_cursor_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "feed.rss"
    path.write_bytes(RSS.encode("cp1252"))
    source = FeedSource.from_config(None, str(path), {})
    fresh, cursor = source.fetch_modified_since("2021-03-05T00:00:00+00:00")
    assert sorted(r.source_id for r in fresh) == ["https://partner.example/a/2",
                                                  "https://partner.example/a/3",
                                                  "https://partner.example/a/4"]
    assert json.loads(cursor)["time"] == "2021-04-03T10:00:00+00:00"
