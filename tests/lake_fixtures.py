"""A small, realistic enriched lake for warehouse, export and Datasette tests.

Written with ``warehouse.lake.write_partition`` exactly as the pipeline writes it:
52 alerts over four months of 2023-2024, several countries, regions, languages,
categories and victim types (internet shutdowns in Africa included), plus quarantined
records. Import ``make_lake`` / ``LAKE_ALERTS`` from tests. ``LOSING_DUPLICATES`` are
some of those alerts delivered again, earlier, by a second source ("feed"): the warehouse
keeps the fixture version and lists the feed copies in ``alert_duplicates``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from models.records import make_alert_id, make_raw_id, sha256_hex
from models.schemas import ENRICHED_ALERTS, QUARANTINE, Table
from warehouse import lake

LAKE_TABLE = ENRICHED_ALERTS

MONTHS = ("2023-11", "2023-12", "2024-01", "2024-02")
COUNTRY_CYCLE = (["ET"], ["IN"], ["TR"], ["MX"], ["ET", "KE"], ["IR"], ["SD"], [])
CATEGORY_CYCLE = (
    ["internet_shutdown"], ["arrest_detention", "legal_action"], ["censorship"],
    ["killing"], ["internet_shutdown", "censorship"], ["threat_harassment"],
    ["internet_shutdown"], ["release"], [],
)
VICTIM_CYCLE = (["general_public"], ["journalist"], ["media_outlet"], ["journalist"],
                ["blogger", "general_public"], ["human_rights_defender"])
LANGUAGE_CYCLE = ("en", "en", "fr", "es", "en", "ar", "en", "ru")
TERMS_CYCLE = (["Press freedom", "Ethiopia"], [], ["Internet", "Africa", "Shutdown"])
RARE_WORD = "zanzibarite"
N_ALERTS = 52
N_QUARANTINED = 3


def alert_row(i: int) -> dict:
    """The i-th fixture alert as a row of ENRICHED_ALERTS."""
    month = MONTHS[i % len(MONTHS)]
    year, mm = (int(x) for x in month.split("-"))
    published = date(year, mm, 1 + (i * 7) % 28)
    countries = COUNTRY_CYCLE[i % len(COUNTRY_CYCLE)]
    categories = CATEGORY_CYCLE[i % len(CATEGORY_CYCLE)]
    source_id = f"fx-{i:03d}"
    payload = f"alert {i}".encode()
    words = " and ".join(c.replace("_", " ") for c in categories) or "a statement"
    text = (f"Alert number {i} reports {words} in "
            f"{', '.join(countries) or 'several countries'}. Members call for action.")
    if i == 17:
        text += f" A {RARE_WORD} witness spoke."
    return {
        "alert_id": make_alert_id("fixture", source_id), "published": published,
        "year": year, "month": mm, "source": "fixture", "source_id": source_id,
        "source_url": f"https://example.org/alerts/{i}", "organisation": f"Member {i % 5}",
        "language": LANGUAGE_CYCLE[i % len(LANGUAGE_CYCLE)],
        "title": f"Alert {i}: {words}", "text": text,
        "primary_country": countries[0] if countries else None, "countries": countries,
        "categories": categories, "victim_types": VICTIM_CYCLE[i % len(VICTIM_CYCLE)],
        "evidence": json.dumps({"categories": [{"label": c} for c in categories]}),
        "confidence": 0.5 + (i % 5) / 10,
        "label_confidence": json.dumps({f"categories:{c}": 0.9 for c in categories}),
        "persons": "[]",
        "nlp_version": "0.0.1",
        "incident_ref": f"inc-{i // 3}", "raw_id": make_raw_id("fixture", source_id,
                                                               sha256_hex(payload)),
        "content_hash": sha256_hex(payload),
        "fetched_at": datetime(2024, 3, 1, 12, 0, tzinfo=UTC),
        "source_terms": TERMS_CYCLE[i % len(TERMS_CYCLE)],
    }


def duplicate_row(i: int, source: str = "feed", **changes: object) -> dict:
    """Fixture alert ``i`` as another source delivered it (its own ids), with ``changes``."""
    row = dict(alert_row(i), source=source, source_id=f"{source}-{i}",
               alert_id=make_alert_id(source, f"{source}-{i}"),
               raw_id=make_raw_id(source, f"{source}-{i}", sha256_hex(b"dup")))
    return row | changes


EARLIER = datetime(2024, 2, 20, 8, 0, tzinfo=UTC)
LOSING_DUPLICATES = [
    # the same link, written differently (case, trailing slash, utm_*, fragment)
    duplicate_row(0, source_url="HTTPS://Example.ORG/alerts/0/?utm_source=rss#top",
                  fetched_at=EARLIER, source_terms=["rss"]),
    # no common link: the same title, date and text (punctuation and spacing aside)
    duplicate_row(5, source_url="https://feed.example.net/item/5", fetched_at=EARLIER,
                  title=alert_row(5)["title"].upper() + "!",
                  text="  " + alert_row(5)["text"].replace(" ", "  ")),
]


def quarantine_row(i: int) -> dict:
    payload = f"broken {i}".encode()
    return {
        "raw_id": make_raw_id("fixture", f"q-{i}", sha256_hex(payload)), "source": "fixture",
        "source_id": f"q-{i}", "partition_month": MONTHS[i % len(MONTHS)],
        "reason": ("empty_text", "bad_date", "duplicate")[i % 3], "detail": f"defect {i}",
        "url": None, "content_hash": sha256_hex(payload),
        "fetched_at": datetime(2024, 3, 1, 12, 0, tzinfo=UTC),
    }


LAKE_ALERTS = [alert_row(i) for i in range(N_ALERTS)]


def make_lake(lake_dir: Path, alerts: list[dict] | None = None,
              others: Sequence[dict] = ()) -> Path:
    """Write the fixture alerts and quarantine into ``lake_dir`` by month; returns it.

    ``others`` are alerts of other sources (e.g. LOSING_DUPLICATES), written to their
    source's partitions.
    """
    alerts = LAKE_ALERTS if alerts is None else alerts
    for source in sorted({a["source"] for a in others}):
        write_alerts(lake_dir, source, [a for a in others if a["source"] == source])
    for month in MONTHS:
        rows = [a for a in alerts if f"{a['year']}-{a['month']:02d}" == month]
        batch = lake.rows_to_batch(LAKE_TABLE, rows)
        lake.write_partition(lake_dir, LAKE_TABLE, "fixture", month, [batch])
        bad = [q for q in map(quarantine_row, range(N_QUARANTINED))
               if q["partition_month"] == month]
        lake.write_partition(lake_dir, QUARANTINE, "fixture", month,
                             [lake.rows_to_batch(QUARANTINE, bad)])
    return lake_dir


def write_alerts(lake_dir: Path, source: str, rows: list[dict],
                 table: Table = LAKE_TABLE) -> None:
    """Write alert rows into ``source``'s monthly partitions of the enriched lake."""
    for month in sorted({f"{a['year']}-{a['month']:02d}" for a in rows}):
        batch = lake.rows_to_batch(table, [a for a in rows
                                           if f"{a['year']}-{a['month']:02d}" == month])
        lake.write_partition(lake_dir, table, source, month, [batch])


def build_all(root: Path, release: date = date(2024, 3, 1),
              others: Sequence[dict] = ()) -> dict[str, Path]:
    """Lake → warehouse → release → Datasette DB under ``root``, like the pipeline does;
    ``others`` are more alerts of other sources (besides LOSING_DUPLICATES).

    Returns the paths: lake, db, exports, release, sqlite, data (the data dir).
    """
    from warehouse.build import build_warehouse
    from warehouse.export import export_release
    from warehouse.publish import publish_sqlite

    lake_dir = make_lake(root / "lake", others=[*LOSING_DUPLICATES, *others])
    db = root / "warehouse.duckdb"
    build_warehouse(lake_dir, db)
    release_dir = export_release(db, root / "exports", release)
    sqlite_path = root / "datasette" / "alerts.db"
    publish_sqlite(db, sqlite_path)
    return {"data": root, "lake": lake_dir, "db": db, "exports": root / "exports",
            "release": release_dir, "sqlite": sqlite_path}
