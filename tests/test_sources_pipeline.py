"""Issue 4 end to end: each real source through `ifex-alerts backfill` (and Dagster config)
into the lake, the DuckDB warehouse and Datasette, with counts that reconcile per month.

Real sockets on 127.0.0.1 (tests/wp_server.py), real Dagster runs, real files.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import sqlite3
import time
from contextlib import closing
from datetime import date, datetime
from email import message_from_bytes
from email.message import EmailMessage, Message
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from dagster import (
    AssetKey,
    DagsterEventType,
    DagsterInstance,
    DagsterRunStatus,
    RunsFilter,
    SkipReason,
    build_sensor_context,
)
from typer.testing import CliRunner

from models.schemas import ENRICHED_ALERTS, QUARANTINE, RAW_ALERTS, RAW_HISTORY
from pipelines.backfill import (
    RANGE_END_TAG,
    RANGE_START_TAG,
    BackfillRequest,
    materialize_assets,
    run_backfill,
)
from pipelines.checks import unreconciled_months
from pipelines.cli import app
from pipelines.partitions import monthly_partitions
from pipelines.sensors import file_drop_sensor
from pipelines.sources.mbox import MboxSource
from pipelines.sources.wordpress import WordPressSource
from tests.wp_server import WordPressServer
from warehouse import lake

MONTHS = ["2021-03", "2021-04", "2021-05"]
FAST = {"retries": "2", "backoff": "0.01", "min_interval": "0", "timeout": "5"}


def options_args(options: dict[str, str]) -> list[str]:
    return [arg for key, value in options.items() for arg in ("-o", f"{key}={value}")]


def backfill(data_dir: Path, *args: str, months: list[str] = MONTHS):
    """`ifex-alerts backfill …` in this process, wide enough that no message is wrapped."""
    argv = ["backfill", "--data-dir", str(data_dir), "--from", months[0], "--to", months[-1],
            *args]
    return CliRunner().invoke(app, argv, env={"COLUMNS": "2000"})


def lake_counts(data_dir: Path, source: str, month: str) -> tuple[int, int, int]:
    """(raw, alerts, quarantined) of one month in the lake."""
    return tuple(lake.count_rows(data_dir / "lake", table, source, month)
                 for table in (RAW_ALERTS, ENRICHED_ALERTS, QUARANTINE))


def lake_rows(data_dir: Path, table, source: str, month: str) -> list[dict]:
    path = lake.partition_path(data_dir / "lake", table, source, month)
    return pq.read_table(path).to_pylist() if path.exists() else []


def warehouse_one(data_dir: Path, sql: str, params: list | None = None):
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchone()[0]


def datasette_count(data_dir: Path, table: str, source: str) -> int:
    uri = f"file:{data_dir / 'datasette' / 'alerts.db'}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as db:
        return db.execute(f"SELECT count(*) FROM {table} WHERE source = ?",
                          [source]).fetchone()[0]


def datasette_json(data_dir: Path, path: str) -> dict:
    from datasette.app import Datasette

    async def fetch() -> dict:
        datasette = Datasette(immutables=[str(data_dir / "datasette" / "alerts.db")])
        response = await datasette.client.get(path)
        assert response.status_code == 200, response.text
        return response.json()

    return asyncio.run(fetch())


def assert_reconciled(data_dir: Path, source: str, months: list[str]) -> dict[str, tuple]:
    """raw = alerts + quarantined per month in the lake, and the warehouse and Datasette hold
    exactly the lake's alerts and quarantine rows of each month."""
    counts = {month: lake_counts(data_dir, source, month) for month in months}
    assert not unreconciled_months(data_dir / "lake", source)
    for month, (raw, alerts, quarantined) in counts.items():
        assert raw == alerts + quarantined, (month, counts)
        in_warehouse = warehouse_one(
            data_dir, "SELECT count(*) FROM alerts WHERE source = ? AND "
            "strftime(published, '%Y-%m') = ?", [source, month])
        assert in_warehouse == alerts, (month, in_warehouse, counts)
        held = warehouse_one(data_dir, "SELECT count(*) FROM quarantine WHERE source = ? AND "
                             "partition_month = ?", [source, month])
        assert held == quarantined, (month, held, counts)
    total_alerts = sum(c[1] for c in counts.values())
    total_quarantined = sum(c[2] for c in counts.values())
    assert warehouse_one(data_dir, "SELECT count(*) - count(DISTINCT alert_id) FROM alerts") == 0
    assert datasette_count(data_dir, "alerts", source) == total_alerts
    assert datasette_count(data_dir, "quarantine", source) == total_quarantined
    return counts


def quarantine_reasons(data_dir: Path, source: str) -> dict[str, str]:
    """source_id → reason, read through Datasette's JSON API."""
    body = datasette_json(data_dir, f"/alerts/quarantine.json?_shape=objects&_size=max"
                          f"&source={source}")
    assert all(row["detail"] and row["raw_id"] for row in body["rows"])
    return {row["source_id"]: row["reason"] for row in body["rows"]}


# --- wordpress -----------------------------------------------------------------------------

TERMS = [("category", "Press freedom"), ("country", "Mexico")]


def wordpress_site() -> WordPressServer:
    """Seven posts over March–May 2021: paginated at per_page=2, one empty, one untitled."""
    site = WordPressServer()
    body = ("<p>Journalist Ana L&oacute;pez was <b>arrested</b> in Mexico City.<br>Her "
            "laptop was seized.</p><ul><li>Police raid</li></ul><script>track()</script>")
    site.add_post(1, "2021-03-01T00:00:00", "Journalist arrested", body, TERMS)
    site.add_post(2, "2021-03-15T12:00:00", "Radio station closed", "<p>The station in "
                  "Guadalajara was shut down by regulators.</p>", TERMS)
    site.add_post(3, "2021-03-31T23:59:59", "Empty post", "", TERMS)
    site.add_post(4, "2021-04-10T08:00:00", "Blogger threatened", "<p>A blogger received "
                  "death threats after reporting on corruption.</p>", TERMS)
    site.add_post(5, "2021-04-20T08:00:00", "", "<p>An untitled report of censorship.</p>")
    site.add_post(6, "2021-05-02T08:00:00", "Newspaper fined", "<p>A newspaper was fined "
                  "for defamation.</p>", TERMS)
    site.add_post(7, "2021-05-30T08:00:00", "Editor killed", "<p>An editor was shot dead "
                  "outside his home.</p>", TERMS)
    return site


EXPECTED_WP = {"2021-03": (3, 2, 1), "2021-04": (2, 1, 1), "2021-05": (2, 2, 0)}
WP_OPTIONS = {**FAST, "per_page": "2"}


@pytest.fixture(scope="module")
def wp_site():
    with wordpress_site() as site:
        yield site


@pytest.fixture(scope="module")
def wp_backfilled(wp_site: WordPressServer, tmp_path_factory: pytest.TempPathFactory):
    """The CLI backfill of a site that throttles its first two answers (429 + Retry-After)."""
    data_dir = tmp_path_factory.mktemp("wp")
    wp_site.behaviour.throttle_next, wp_site.behaviour.retry_after = 2, "0.3"
    started = time.monotonic()
    result = backfill(data_dir, "--source", "wordpress", "--url", wp_site.url,
                      *options_args(WP_OPTIONS))
    elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.output
    return data_dir, [r["query"] for r in wp_site.requests], elapsed


def test_wordpress_cli_backfill_reaches_warehouse_and_datasette(wp_backfilled) -> None:
    data_dir, _, _ = wp_backfilled
    counts = assert_reconciled(data_dir, "wordpress", MONTHS)
    assert counts == EXPECTED_WP
    assert quarantine_reasons(data_dir, "wordpress") == {"3": "empty_text", "5": "no_title"}
    text = warehouse_one(data_dir, "SELECT text FROM alerts WHERE source_id = '1'")
    assert text.startswith("Journalist Ana López was arrested in Mexico City.\n")
    assert "\nHer laptop was seized." in text
    assert "track()" not in text and "- Police raid" in text
    raw = lake_rows(data_dir, RAW_ALERTS, "wordpress", "2021-03")
    embedded = json.loads(next(r["payload"] for r in raw if r["source_id"] == "1"))
    assert [t["name"] for group in embedded["_embedded"]["wp:term"] for t in group] == [
        "Press freedom", "Mexico"]
    body = datasette_json(data_dir, "/alerts/alerts.json?_shape=objects&source=wordpress")
    assert {row["title"] for row in body["rows"]} >= {"Journalist arrested", "Editor killed"}


def test_wordpress_terms_land_in_the_enriched_lake(wp_backfilled) -> None:
    data_dir, _, _ = wp_backfilled
    terms = {row["source_id"]: row["source_terms"] for month in MONTHS
             for row in lake_rows(data_dir, ENRICHED_ALERTS, "wordpress", month)}
    assert terms == {"1": ["Press freedom", "Mexico"], "2": ["Press freedom", "Mexico"],
                     "4": ["Press freedom", "Mexico"], "6": ["Press freedom", "Mexico"],
                     "7": ["Press freedom", "Mexico"]}
    schema = pq.read_schema(lake.partition_path(data_dir / "lake", ENRICHED_ALERTS,
                                                "wordpress", "2021-03"))
    assert schema.field("source_terms").type == pa.list_(pa.string())


def test_wordpress_fetch_is_paged_polite_and_survives_throttling(wp_backfilled) -> None:
    _, queries, elapsed = wp_backfilled
    march = [q for q in queries if q.get("after") == "2021-02-28T23:59:59"]
    assert [q["page"] for q in march][-2:] == ["1", "2"]  # 3 posts at per_page=2
    assert all(q["per_page"] == "2" and q["before"] == "2021-04-01T00:00:00" for q in march)
    assert len(queries) == 4 + 2  # four pages, two of them asked again after a 429
    assert elapsed >= 0.6  # Retry-After: 0.3 honoured twice
    assert all(q["_user_agent"].startswith("ifex-alerts/") for q in queries)


def test_wordpress_through_dagster_config_and_an_edited_post(
    wp_site: WordPressServer, wp_backfilled, tmp_path: Path
) -> None:
    request = BackfillRequest(data_dir=tmp_path, source="wordpress",
                              url=wp_site.url + "/wp-json", options=WP_OPTIONS, workers=1)
    summary = run_backfill(request, MONTHS, chunk=3, publish=True)
    assert summary.ok, summary.failures
    assert assert_reconciled(tmp_path, "wordpress", MONTHS) == EXPECTED_WP
    same = "SELECT list(alert_id ORDER BY alert_id) FROM alerts"
    assert warehouse_one(tmp_path, same) == warehouse_one(wp_backfilled[0], same)

    wp_site.edit_post(4, "2021-06-01T09:00:00", content="<p>Correction: the blogger was "
                      "attacked, not only threatened.</p>")
    assert materialize_assets(request, ["raw_alerts", "enriched_alerts"], ["2021-04"]) == []
    assert materialize_assets(request, ["warehouse", "datasette_db"]) == []
    assert assert_reconciled(tmp_path, "wordpress", MONTHS) == EXPECTED_WP
    texts = [r["text"] for r in lake_rows(tmp_path, ENRICHED_ALERTS, "wordpress", "2021-04")
             if r["source_id"] == "4"]
    assert texts == ["Correction: the blogger was attacked, not only threatened."]
    history = lake_rows(tmp_path, RAW_HISTORY, "wordpress", "2021-04")
    assert [json.loads(r["payload"])["content"]["rendered"] for r in history] == [
        "<p>A blogger received death threats after reporting on corruption.</p>"]
    assert warehouse_one(tmp_path, "SELECT count(*) FROM alerts WHERE source_id = '4'") == 1
    assert warehouse_one(tmp_path, "SELECT text FROM alerts WHERE source_id = '4'") == texts[0]


def test_wordpress_without_total_pages_header_stops_after_a_full_last_page() -> None:
    with wordpress_site() as site:
        site.behaviour.send_totals = False
        site.add_post(8, "2021-03-20T08:00:00", "Fourth March post", "<p>Text.</p>")
        source = WordPressSource.from_config(site.url, None, WP_OPTIONS)
        records = list(source.fetch_month(date(2021, 3, 1)))
    assert sorted(int(r.source_id) for r in records) == [1, 2, 3, 8]


@pytest.fixture(scope="module")
def failed_backfill(tmp_path_factory: pytest.TempPathFactory):
    """A backfill of March–May where every request for April answers 500."""
    data_dir = tmp_path_factory.mktemp("wp_failing")
    with wordpress_site() as site:
        site.behaviour.fail_when = lambda query: query.get("before") == "2021-05-01T00:00:00"
        result = backfill(data_dir, "--source", "wordpress", "--url", site.url,
                          *options_args(WP_OPTIONS))
        return data_dir, site.url, result, partition_status("raw_alerts", MONTHS)


def partition_status(asset: str, months: list[str]) -> dict[str, str]:
    """The Dagster UI's status of each month of an asset, as the instance holds it now."""
    statuses = DagsterInstance.get().get_status_by_partition(
        AssetKey(asset), [f"{m}-01" for m in months], monthly_partitions)
    return {key[:7]: status.value for key, status in (statuses or {}).items()}


def test_failing_month_names_status_and_url_while_others_are_fetched(failed_backfill) -> None:
    data_dir, url, result, _ = failed_backfill
    assert result.exit_code == 1, result.output
    output = " ".join(result.output.split())
    failed = re.search(r"2021-04\W+HttpFetchError: HTTP 500 for ([^\s'\"]+)", output)
    assert failed, output
    assert failed.group(1).startswith(f"{url}/wp-json/wp/v2/posts?")
    assert "before=2021-05-01T00%3A00%3A00" in failed.group(1)
    assert lake_counts(data_dir, "wordpress", "2021-03")[0] == 3
    assert lake_counts(data_dir, "wordpress", "2021-05")[0] == 2
    assert not lake.partition_path(data_dir / "lake", RAW_ALERTS, "wordpress",
                                   "2021-04").exists()


def test_failing_month_leaves_the_other_months_published(failed_backfill) -> None:
    data_dir, _, _, _ = failed_backfill
    assert lake_counts(data_dir, "wordpress", "2021-03") == EXPECTED_WP["2021-03"]
    assert lake_counts(data_dir, "wordpress", "2021-05") == EXPECTED_WP["2021-05"]
    assert_reconciled(data_dir, "wordpress", ["2021-03", "2021-05"])
    assert not lake.partition_path(data_dir / "lake", ENRICHED_ALERTS, "wordpress",
                                   "2021-04").exists()


def runs_of(data_dir: Path, tags: dict[str, str]) -> list:
    """Dagster runs with these tags whose lake is ``data_dir``."""
    runs = DagsterInstance.get().get_runs(filters=RunsFilter(tags=tags))
    return [r for r in runs
            if r.run_config["resources"]["lake"]["config"]["data_dir"] == str(data_dir)]


def events_of(run_id: str, kind: DagsterEventType) -> list:
    return [e.dagster_event for e in DagsterInstance.get().all_logs(run_id, of_type=kind)]


def test_failed_month_ends_as_its_own_failed_run_with_status_and_url(failed_backfill) -> None:
    data_dir, url, _, status = failed_backfill
    posts = f"HTTP 500 for {url}/wp-json/wp/v2/posts?"
    [ranged] = runs_of(data_dir, {RANGE_START_TAG: "2021-03-01", RANGE_END_TAG: "2021-05-01"})
    assert ranged.status == DagsterRunStatus.SUCCESS  # March and May went on
    checks = {e.event_specific_data.check_name: e.event_specific_data
              for e in events_of(ranged.run_id, DagsterEventType.ASSET_CHECK_EVALUATION)}
    fetched = checks["every_month_fetched"]
    assert not fetched.passed
    failed_months = fetched.metadata["failed_months"].value
    assert list(failed_months) == ["2021-04"] and posts in failed_months["2021-04"]
    assert checks["every_month_enriched"].metadata["failed_months"].value.keys() == {"2021-04"}

    [alone] = runs_of(data_dir, {"dagster/partition": "2021-04-01"})
    assert alone.status == DagsterRunStatus.FAILURE
    [step_failure] = events_of(alone.run_id, DagsterEventType.STEP_FAILURE)
    assert step_failure.step_key == "raw_alerts"
    message = step_failure.step_failure_data.error.message
    assert "2021-04: HttpFetchError: " + posts in message
    assert "before=2021-05-01T00%3A00%3A00" in message
    assert status == {"2021-03": "MATERIALIZED", "2021-04": "FAILED", "2021-05": "MATERIALIZED"}


def test_a_month_that_fails_again_keeps_its_earlier_data(failed_backfill, tmp_path: Path) -> None:
    shutil.copytree(failed_backfill[0] / "lake", tmp_path / "lake")
    may = lake_rows(tmp_path, ENRICHED_ALERTS, "wordpress", "2021-05")
    with wordpress_site() as site:
        site.behaviour.fail_when = lambda query: query.get("before") == "2021-06-01T00:00:00"
        request = BackfillRequest(data_dir=tmp_path, source="wordpress", url=site.url,
                                  options=WP_OPTIONS, workers=1)
        summary = run_backfill(request, MONTHS, chunk=3, publish=False)
    [failure] = summary.failures
    assert failure.startswith("month 2021-05: ") and f"HTTP 500 for {site.url}/" in failure
    assert len(summary.runs) == 2  # the range, then May alone
    assert lake_rows(tmp_path, ENRICHED_ALERTS, "wordpress", "2021-05") == may
    assert lake_counts(tmp_path, "wordpress", "2021-05") == EXPECTED_WP["2021-05"]
    assert lake_counts(tmp_path, "wordpress", "2021-04") == EXPECTED_WP["2021-04"]


def test_a_range_where_every_month_fails_is_one_failed_run(tmp_path: Path) -> None:
    with wordpress_site() as site:
        site.behaviour.fail_next, site.behaviour.fail_status = 100, 503
        request = BackfillRequest(data_dir=tmp_path, source="wordpress", url=site.url,
                                  options=WP_OPTIONS, workers=1)
        summary = run_backfill(request, MONTHS[:2], chunk=2, publish=False)
    [failure] = summary.failures
    assert failure.startswith("months 2021-03..2021-04: fetching from wordpress failed for 2")
    assert all(f"{month}: HttpFetchError: HTTP 503 for {site.url}/" in failure
               for month in MONTHS[:2])
    [run] = summary.runs
    assert DagsterInstance.get().get_run_by_id(run).status == DagsterRunStatus.FAILURE


# --- mbox ----------------------------------------------------------------------------------

ENVELOPE = "alerts@example.org Mon Mar  4 10:00:00 1996"


def mail(subject: str, body: str, when: str | None, charset: str = "utf-8",
         cte: str = "8bit", msgid: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Alerts Desk <alerts@example.org>"
    message["Subject"] = subject
    if when:
        message["Date"] = when
    if msgid:
        message["Message-ID"] = msgid
    message.set_content(body, charset=charset, cte=cte)
    return message


def mime_digest() -> Message:
    digest = MIMEMultipart("digest")
    digest["Subject"], digest["Date"] = "IFEX digest, Vol 1, Issue 9", "Mon, 8 Apr 1996 06:00 +0000"
    digest["Message-ID"] = "<digest9@example.org>"
    for number, country in enumerate(("Peru", "Kenya", "Turkey"), start=1):
        inner = MIMEText(f"A journalist was detained in {country} on {number} April.")
        inner["Subject"] = f"Journalist detained in {country}"
        inner["Date"] = f"Mon, {number} Apr 1996 09:00:00 +0000"
        digest.attach(MIMEMessage(inner))
    return digest


def write_mbox(path: Path, messages: list[tuple[str, Message]]) -> Path:
    with path.open("wb") as handle:
        for envelope, message in messages:
            data = re.sub(rb"(?m)^From ", b">From ", message.as_bytes())
            handle.write(f"From {envelope}\n".encode() + data.rstrip(b"\n") + b"\n\n")
    return path


def legacy_8bit(subject: str, body: str, charset: str, msgid: str, declare: bool) -> Message:
    """A 1990s message with raw 8-bit bytes in its Subject and body, charset declared or not."""
    head = (f"From: Desk <desk@example.org>\nDate: Thu, 14 Mar 1996 10:00:00 +0000\n"
            f"Message-ID: {msgid}\nSubject: ").encode() + subject.encode(charset)
    if declare:
        head += f"\nContent-Type: text/plain; charset={charset}".encode()
    return message_from_bytes(head + b"\n\n" + body.encode(charset) + b"\n")


def archive_messages() -> list[tuple[str, Message]]:
    return [
        (ENVELOPE, legacy_8bit("Journaliste arrêté à Abidjan", "Le journaliste Jérôme Lefèvre "
                               "a été arrêté à Abidjan. Son matériel a été saisi par la police.",
                               "latin-1", "<raw-fr@example.org>", declare=True)),
        (ENVELOPE, legacy_8bit("Газета закрыта", "Журналист Иван Петров задержан в Москве.",
                               "koi8-r", "<raw-ru@example.org>", declare=True)),
        (ENVELOPE, mail("Journaliste arrêté", "Le journaliste Jérôme a été arrêté à Abidjan.",
                        "Fri, 01 Mar 1996 08:00:00 +0100", "latin-1", "quoted-printable",
                        "<fr@example.org>")),
        (ENVELOPE, mail("Редакция закрыта", "Журналист задержан в Москве. Газета закрыта.",
                        "Sat, 02 Mar 1996 08:00:00 +0300", "koi8-r", "base64", "<ru@example.org>")),
        (ENVELOPE, mail("Fine imposed", "The editor said: “We will not be silenced” – €5,000.",
                        "Sun, 03 Mar 1996 08:00:00 -0500", "windows-1252", "base64",
                        "<cp@example.org>")),
        (ENVELOPE, mail("Re: [ifex] Radio closed", "The radio in Lomé was closed.\n\n-- \nDesk",
                        "Tue, 05 Mar 1996 09:00:00 +0000", msgid="<utf@example.org>")),
        (ENVELOPE, mime_digest()),
        ("alerts@example.org", mail("Undated alert", "A writer was banned.", None,
                                    msgid="<nodate@example.org>")),
        (ENVELOPE, mail("Empty alert", "\n", "Wed, 10 Apr 1996 09:00:00 +0000",
                        msgid="<empty@example.org>")),
    ]


def test_undeclared_latin1_mail_reads_as_western_european(tmp_path: Path) -> None:
    message = legacy_8bit("Journaliste arrêté à Abidjan", "Le journaliste Jérôme Lefèvre a été "
                          "arrêté à Abidjan. Son matériel a été saisi par la police.", "latin-1",
                          "<undeclared@example.org>", declare=False)
    archive = write_mbox(tmp_path / "legacy.mbox", [(ENVELOPE, message)])
    source = MboxSource.from_config(None, str(archive), {})
    alert = source.parse(next(iter(source.records_of_file(archive))))
    assert alert.title == "Journaliste arrêté à Abidjan"
    assert "Jérôme Lefèvre a été arrêté à Abidjan" in alert.text


def test_mbox_backfill_reaches_warehouse_and_datasette(tmp_path: Path) -> None:
    archive = write_mbox(tmp_path / "alerts.mbox", archive_messages())
    april = datetime(1996, 4, 20, 12).timestamp()
    os.utime(archive, (april, april))  # the undated message falls back to the file's month
    data_dir = tmp_path / "data"
    months = ["1996-03", "1996-04"]
    result = backfill(data_dir, "--source", "mbox", "--path", str(archive), months=months)
    assert result.exit_code == 0, result.output
    counts = assert_reconciled(data_dir, "mbox", months)
    assert counts == {"1996-03": (6, 6, 0), "1996-04": (5, 3, 2)}
    assert quarantine_reasons(data_dir, "mbox") == {"<nodate@example.org>": "bad_date",
                                                    "<empty@example.org>": "empty_text"}
    titles = dict(warehouse_rows(data_dir, "SELECT source_id, title FROM alerts"))
    assert titles["<fr@example.org>"] == "Journaliste arrêté"
    assert titles["<ru@example.org>"] == "Редакция закрыта"
    assert titles["<utf@example.org>"] == "Radio closed"
    assert titles["<digest9@example.org>#3"] == "Journalist detained in Turkey"
    assert titles["<raw-fr@example.org>"] == "Journaliste arrêté à Abidjan"
    assert titles["<raw-ru@example.org>"] == "Газета закрыта"
    texts = dict(warehouse_rows(data_dir, "SELECT source_id, text FROM alerts"))
    assert "Jérôme a été arrêté" in texts["<fr@example.org>"]
    assert "Журналист задержан" in texts["<ru@example.org>"]
    assert "“We will not be silenced” – €5,000" in texts["<cp@example.org>"]
    assert "Desk" not in texts["<utf@example.org>"]
    assert "Jérôme Lefèvre a été arrêté" in texts["<raw-fr@example.org>"]


def warehouse_rows(data_dir: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


# --- files and the drop sensor ---------------------------------------------------------------

FILES_OPTIONS = {"map.title": "headline", "map.text": "body", "map.published": "date",
                 "map.id": "ref", "map.terms": "tags"}


def test_files_backfill_and_drop_sensor(tmp_path: Path, monkeypatch) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "partner.csv").write_text(
        "ref,headline,body,date,tags\n"
        "c1,Journalist jailed,A journalist was jailed for five years.,2021-03-04,Turkey;Jail\n"
        "c2,Website blocked,\"The news site was blocked, again.\",2021-04-09,Censorship\n"
        "c3,No date given,This row has no date.,,\n", encoding="utf-8-sig")  # Excel's BOM
    (drop / "partner.jsonl").write_text("\n".join([
        json.dumps({"ref": "j1", "headline": "Reporter beaten", "body": "A reporter was "
                    "beaten by police.", "date": "2021-05-06", "tags": ["Brazil"]}),
        "",
        json.dumps({"ref": "j2", "headline": "Empty", "body": "", "date": "2021-05-07"}),
        "{not json",
    ]) + "\n", encoding="utf-8")
    may = datetime(2021, 5, 20, 12).timestamp()
    for name in ("partner.csv", "partner.jsonl"):
        os.utime(drop / name, (may, may))  # undated and broken rows fall back to May
    data_dir = tmp_path / "data"
    result = backfill(data_dir, "--source", "files", "--path", str(drop),
                      *options_args(FILES_OPTIONS))
    assert result.exit_code == 0, result.output
    counts = assert_reconciled(data_dir, "files", MONTHS)
    assert counts == {"2021-03": (1, 1, 0), "2021-04": (1, 1, 0), "2021-05": (4, 1, 3)}
    reasons = quarantine_reasons(data_dir, "files")
    assert reasons == {"partner.csv:c3": "bad_date", "partner.jsonl:j2": "empty_text",
                       "partner.jsonl:4": "malformed"}

    instance = DagsterInstance.get()
    monkeypatch.setenv("IFEX_FILES_PATH", str(tmp_path / "not-mounted"))
    missing = file_drop_sensor(build_sensor_context(instance=instance))
    assert isinstance(missing, SkipReason) and "does not exist" in missing.skip_message
    monkeypatch.setenv("IFEX_FILES_PATH", str(drop))
    monkeypatch.setenv("IFEX_FILES_OPTIONS", json.dumps(FILES_OPTIONS))
    first = file_drop_sensor(build_sensor_context(instance=instance))
    assert sorted(r.partition_key for r in first.run_requests) == [
        "2021-03-01", "2021-04-01", "2021-05-01"]
    (drop / "later.jsonl").write_text(json.dumps({"ref": "n1", "headline": "Poet detained",
                                                  "body": "A poet was detained.",
                                                  "date": "2021-04-30"}) + "\n")
    second = file_drop_sensor(build_sensor_context(instance=instance, cursor=first.cursor))
    assert [r.partition_key for r in second.run_requests] == ["2021-04-01"]
    assert json.loads(second.cursor) == ["later.jsonl", "partner.csv", "partner.jsonl"]
    third = file_drop_sensor(build_sensor_context(instance=instance, cursor=second.cursor))
    assert isinstance(third, SkipReason)


# --- feed ----------------------------------------------------------------------------------

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>IFEX alerts</title><link href="https://example.org/"/>
  <id>urn:ifex:feed</id><updated>2021-05-10T00:00:00Z</updated>
  <entry><id>urn:ifex:1</id><title>Journalist detained in Minsk</title>
    <link href="https://example.org/a/1"/><published>2021-03-02T10:00:00Z</published>
    <updated>2021-03-02T10:00:00Z</updated><category term="Belarus"/>
    <content type="html">&lt;p&gt;A reporter was held &amp;amp; questioned.&lt;/p&gt;</content>
  </entry>
  <entry><id>urn:ifex:2</id><title>Broadcaster suspended</title>
    <link href="https://example.org/a/2"/><published>2021-04-15T10:00:00Z</published>
    <updated>2021-04-15T10:00:00Z</updated>
    <summary>The broadcaster was suspended for thirty days.</summary>
  </entry>
  <entry><id>urn:ifex:3</id><title>Nothing here</title>
    <link href="https://example.org/a/3"/><published>2021-05-01T10:00:00Z</published>
    <updated>2021-05-01T10:00:00Z</updated><summary></summary>
  </entry>
</feed>
"""


def test_feed_backfill_from_a_file(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(ATOM, encoding="utf-8")
    data_dir = tmp_path / "data"
    result = backfill(data_dir, "--source", "feed", "--path", str(feed))
    assert result.exit_code == 0, result.output
    counts = assert_reconciled(data_dir, "feed", MONTHS)
    assert counts == {"2021-03": (1, 1, 0), "2021-04": (1, 1, 0), "2021-05": (1, 0, 1)}
    assert quarantine_reasons(data_dir, "feed") == {"urn:ifex:3": "empty_text"}
    text = warehouse_one(data_dir, "SELECT text FROM alerts WHERE source_id = 'urn:ifex:1'")
    assert text == "A reporter was held & questioned."
