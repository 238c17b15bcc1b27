"""The site as people meet it (issue 12): CSV downloads with every row, facets once, the
alert and case pages, the methodology page, names instead of codes, the demo banner,
search counts, the downloads page, charts and the feed."""

from __future__ import annotations

import asyncio
import csv
import html
import io
import json
import re
import shutil
import sqlite3
import xml.etree.ElementTree as ET
from contextlib import closing
from pathlib import Path

import pytest

from tests.lake_fixtures import LAKE_ALERTS, alert_row, build_all
from tests.test_datasette_api import fetch, make_datasette

REPO = Path(__file__).resolve().parents[1]
ARABIC_TITLE = "قطع الإنترنت في السودان"
ARABIC_TEXT = "أعلنت السلطات قطع الإنترنت في الخرطوم. واعتقلت الشرطة الصحفي علي حسن."


def arabic_alert() -> dict:
    """An Arabic alert of another source, with evidence offsets into its title and text."""
    start = ARABIC_TEXT.index("قطع الإنترنت")
    evidence = [
        {"field": "categories", "label": "internet_shutdown", "part": "text",
         "start": start, "end": start + len("قطع الإنترنت"), "text": "قطع الإنترنت"},
        {"field": "victim_types", "label": "journalist", "part": "text",
         "start": ARABIC_TEXT.index("الصحفي"),
         "end": ARABIC_TEXT.index("الصحفي") + len("الصحفي"), "text": "الصحفي"},
        {"field": "countries", "label": "SD", "part": "title",
         "start": ARABIC_TITLE.index("السودان"), "end": len(ARABIC_TITLE), "text": "السودان"},
    ]
    return dict(alert_row(60), source="partner", source_id="ar-1", alert_id="partner-ar-1",
                language="ar", title=ARABIC_TITLE, text=ARABIC_TEXT, countries=["SD"],
                primary_country="SD", categories=["internet_shutdown"],
                victim_types=["journalist"], evidence=json.dumps(evidence, ensure_ascii=False),
                label_confidence=json.dumps({"categories:internet_shutdown": 0.93}),
                source_url="https://partner.example/ar/1")


@pytest.fixture(scope="module")
def paths(tmp_path_factory) -> dict[str, Path]:
    return build_all(tmp_path_factory.mktemp("pages"), others=[arabic_alert()])


def case_of(paths, alert_id: str) -> dict:
    with closing(sqlite3.connect(paths["sqlite"])) as db:
        db.row_factory = sqlite3.Row
        return dict(db.execute("select c.* from cases c join alerts a using (case_id) "
                               "where a.alert_id = ?", [alert_id]).fetchone())


def test_every_csv_link_gives_all_matching_rows_as_a_download(paths):
    (page,) = fetch(paths, "/alerts/alerts?primary_country=ET&_size=5", max_returned_rows=5)
    link = re.search(r'href="(/alerts/alerts\.csv\?[^"]+)">CSV</a>', page.text)[1]
    excel_link = re.search(r'href="([^"]+_bom=1)"', page.text)[1]
    plain, excel, query = fetch(paths, link.replace("&amp;", "&"),
                                excel_link.replace("&amp;", "&"),
                                "/alerts/country_profile.csv?country=ET",
                                max_returned_rows=5)
    expected = sum(a["primary_country"] == "ET" for a in LAKE_ALERTS)
    assert expected > 5
    assert len(list(csv.DictReader(io.StringIO(plain.text)))) == expected
    assert plain.headers["content-type"].startswith("text/csv")
    assert plain.headers["content-disposition"] == 'attachment; filename="alerts.csv"'
    assert excel.content.startswith(b"\xef\xbb\xbfrowid,alert_id,")
    assert excel.headers["content-disposition"] == 'attachment; filename="alerts-excel.csv"'
    assert len(list(csv.DictReader(io.StringIO(excel.content.decode("utf-8-sig"))))) == expected
    assert query.headers["content-disposition"] == 'attachment; filename="country_profile.csv"'


def test_a_facet_in_the_url_and_in_metadata_shows_once(paths):
    year, reason, html = fetch(paths, "/alerts/alerts.json?_facet=year",
                               "/alerts/quarantine.json?_facet=reason",
                               "/alerts/alerts?_facet=year")
    assert "year" in year.json()["facet_results"] and "year_2" not in year.json()["facet_results"]
    assert list(reason.json()["facet_results"]) == ["reason", "source"]
    assert html.text.count('class="facet-info facet-alerts-alerts-year') == 1


def test_the_alert_page_reads_like_an_alert(paths):
    alert = arabic_alert()
    (page,) = fetch(paths, f"/alert/{alert['alert_id']}")
    text = page.text
    case = case_of(paths, alert["alert_id"])
    assert page.status_code == 200
    assert '<h1 dir="rtl">' in text and '<div class="ifex-text" dir="rtl">' in text
    assert "Sudan" in text and "Internet shutdown" in text and "Journalist" in text
    assert "internet_shutdown" not in text.split("<article")[1].split("</article>")[0].replace(
        "ifex-ev", "")
    assert 'title="Category: Internet shutdown">قطع الإنترنت</mark>' in text
    assert 'title="Victim: Journalist">الصحفي</mark>' in text
    assert 'title="Country: Sudan">السودان</mark>' in text
    assert "Internet shutdown 0.93" in text
    assert f'href="/case/{case["case_id"]}"' in text
    assert f"IFEX alerts, release {paths['release'].name}, alert {alert['alert_id']}: " \
           f"http://localhost/alert/{alert['alert_id']}" in text
    assert 'href="https://partner.example/ar/1"' in text


def test_row_pages_and_ids_lead_to_the_readable_pages(paths):
    with closing(sqlite3.connect(paths["sqlite"])) as db:
        rowid, alert_id = db.execute("select rowid, alert_id from alerts limit 1").fetchone()
    row, table, missing = fetch(paths, f"/alerts/alerts/{rowid}", "/alerts/alerts",
                                "/alert/nope")
    assert row.status_code == 302 and row.headers["location"] == f"/alert/{alert_id}"
    assert f'<a href="/alert/{alert_id}">{alert_id}</a>' in table.text
    assert re.search(r'<a href="/case/case-[0-9a-f]+">case-', table.text)
    assert missing.status_code == 404


def test_the_case_page_lists_its_reports_in_date_order(paths, tmp_path):
    with closing(sqlite3.connect(paths["sqlite"])) as db:
        case_id = db.execute("select case_id from cases order by n_alerts desc, case_id "
                             "limit 1").fetchone()[0]
        events = db.execute("select published, alert_id, organisation, stage from "
                            "case_events where case_id = ? order by published, alert_id",
                            [case_id]).fetchall()
    (page,) = fetch(paths, f"/case/{case_id}")
    assert page.status_code == 200 and "Outcome so far" in page.text
    positions = [page.text.index(f'href="/alert/{alert_id}"') for _, alert_id, _, _ in events]
    assert positions == sorted(positions) and len(events) > 1
    for published, _, organisation, stage in events:
        assert published in page.text and organisation in page.text
        assert stage.capitalize() in page.text
    copy = tmp_path / "datasette" / "alerts.db"
    copy.parent.mkdir()
    shutil.copyfile(paths["sqlite"], copy)
    for name in ("inspect-data.json", "metadata.json"):
        shutil.copyfile(paths["sqlite"].parent / name, copy.parent / name)
    with closing(sqlite3.connect(copy)) as db:
        db.execute("insert into case_redirects values ('case-old', ?)", [case_id])
        db.commit()
    (moved,) = fetch({**paths, "sqlite": copy}, "/case/case-old")
    assert moved.status_code == 302 and moved.headers["location"] == f"/case/{case_id}"


def test_the_methodology_page_reads_the_measured_accuracy(paths):
    evaluation = json.loads((REPO / "nlp" / "evaluation.json").read_text())
    (page,) = fetch(paths, "/-/methodology")
    text = page.text
    for anchor in ("alerts", "counts", "cases", "accuracy", "licence"):
        assert f'id="{anchor}"' in text
    assert "not a count of incidents or victims" in text
    assert f"NLP version {evaluation['nlp_version']}" in text
    killing = evaluation["fields"]["categories"]["labels"]["killing"]
    row = re.search(r'<td title="killing">Killing</td><td[^>]*>([^<]+)<small>\((\d+)\)', text)
    assert row and row[1].strip() == f"{killing['f1']:.2f}" and int(row[2]) == killing["support"]
    micro = evaluation["fields"]["victim_types"]["micro"]["f1"]
    assert f"<td>Victim types</td><td>{micro:.2f}" in text
    assert "CC BY 4.0" in text and f"release {paths['release'].name}" in text


def test_accuracy_per_language_when_the_evaluation_has_it():
    from warehouse.site.methodology import accuracy

    def report(f1: float) -> dict:
        scores = {"precision": f1, "recall": f1, "f1": f1, "support": 4, "predicted": 4}
        return {"records": 4, "fields": {"categories": {
            "micro": scores, "macro": scores, "labels": {"killing": scores}}}}

    evaluation = {**report(0.9), "nlp_version": "9", "gold": {"path": "g.jsonl",
                                                             "sha256": "f" * 64,
                                                             "records": 8},
                  "languages": {"en": report(0.95), "ar": report(0.5)}}
    shown = accuracy(evaluation)
    assert shown.columns == ["All languages", "Arabic", "English"]
    assert [c["f1"] for c in shown.tables[0]["rows"][0]["cells"]] == [0.9, 0.5, 0.95]
    assert shown.gold == {"path": "g.jsonl", "sha256": "f" * 64, "records": 8}
    assert accuracy(None) is None


def test_names_not_codes_in_facets_cells_and_forms(paths):
    table, by_name, by_code, form, raw = fetch(
        paths, "/alerts/alerts", "/alerts/country_profile.json?country=Iran&_shape=array",
        "/alerts/country_profile.json?country=IR&_shape=array",
        "/alerts/country_profile", "/alerts/alerts.json?_size=1&_shape=array")
    assert ">Ethiopia<" in table.text and ">Internet shutdown<" in table.text
    assert '<span title="ET">Ethiopia</span>' in table.text
    assert by_name.json() == by_code.json() and by_name.json()
    assert '"IR": ' not in form.text and '["IR", "Iran"]' in form.text
    css = (REPO / "datasette" / "static" / "ifex.css").read_text()
    hiding = re.search(r"\.table-alerts\.db-alerts \.rows-and-columns :is\(([^)]+)\) \{\s*"
                       r"display: none", css)
    assert 'class="table db-alerts table-alerts"' in table.text
    for hidden in ("raw_id", "content_hash", "fetched_at"):
        assert f".col-{hidden}" in hiding[1], f"{hidden} out of the page's default view"
        assert hidden in raw.json()[0], f"{hidden} still in the API"


def test_the_filter_line_names_what_was_filtered(paths):
    page, listed, plain = fetch(
        paths, "/alerts/alerts?primary_country=ET&categories__arraycontains=internet_shutdown",
        "/alerts/alerts?primary_country=ET&_sort_desc=published",
        "/alerts/alerts?title__contains=x")
    page, listed, plain = (html.unescape(r.text) for r in (page, listed, plain))
    assert 'primary_country = "Ethiopia (ET)"' in page
    assert 'categories contains "Internet shutdown (internet_shutdown)"' in page
    assert '"Ethiopia (ET)" sorted by published descending' in listed
    assert 'where title contains "x"' in plain


def test_every_page_says_demo_data_only_while_it_is(paths, tmp_path):
    sample = dict(alert_row(70), source="sample", source_id="s-1", alert_id="sample-s-1")
    demo = build_all(tmp_path, others=[sample])
    for data, expected in ((paths, False), (demo, True)):
        pages = fetch(data, "/", "/alerts/alerts", "/-/trends", "/-/methodology",
                      f"/alert/{LAKE_ALERTS[0]['alert_id']}", "/-/downloads")
        assert all(("ifex-demo-banner" in p.text) is expected for p in pages), data
        (svg,) = fetch(data, "/-/trends/shutdowns.svg")
        assert ("DEMO DATA" in svg.text) is expected


def test_search_pages_say_how_many_and_keep_their_facets(paths):
    shutdowns = sum("internet_shutdown" in a["categories"] for a in LAKE_ALERTS)
    page, api = fetch(paths, "/alerts/alerts?_search=shutdown&_size=2",
                      "/alerts/alerts.json?_search=shutdown&_size=2")
    assert f"<h3>{shutdowns} rows" in page.text
    languages = re.search(r'facet-alerts-alerts-language.*?</ul>', page.text, re.S)[0]
    assert sum(int(n.replace(",", "")) for n in re.findall(r"</a>\s*([\d,]+)\s*</li>",
                                                           languages)) == shutdowns
    assert api.json()["filtered_table_rows_count"] is None, "the API still asks for _count"


def test_the_downloads_page_is_grouped_with_sizes(paths):
    (page,) = fetch(paths, "/-/downloads")
    headings = re.findall(r"<h3>([^<]+)</h3>", page.text)
    assert headings[0] == "Everything in one file" and headings[-1] == "Documentation"
    assert headings.index("One file per year (alerts, Parquet)") == 1
    assert re.search(r'alerts\.csv">alerts\.csv</a> — [\d.]+ KB', page.text)
    year_link = re.search(r'href="/downloads/latest/(alerts/year=2023/[^"]+)">2023</a>',
                          page.text)[1]
    (download,) = fetch(paths, f"/downloads/latest/{year_link}")
    assert download.headers["content-disposition"] == 'attachment; filename="alerts_2023.parquet"'


def test_charts_share_their_years_and_have_round_ticks_and_downloads(paths):
    from warehouse.site.charts import nice_ticks, stacked_bars

    assert nice_ticks(1234) == (1500, 500) and nice_ticks(47) == (50, 10)
    svg = stacked_bars(list(range(1995, 2027)), {"a": {2025: 3, 2026: 7}}, "t")
    years = [int(y) for y in re.findall(r">(\d{4})</text>", svg)]
    assert 2026 not in years and years == list(range(1995, 2027, 5))
    ticks = re.findall(r'text-anchor="end" font-size="10">([^<]+)<', svg)
    assert ticks == ["0", "2", "4", "6", "8"]
    trends, svg_file = fetch(paths, "/-/trends?country=ET", "/-/trends/comparison.svg?country=ET")
    first_years = {re.findall(r">(\d{4})</text>", chart)[0]
                   for chart in re.findall(r'<svg class="ifex-chart".*?</svg>', trends.text,
                                           re.S)}
    assert len(first_years) == 1, "one start year for every chart"
    assert "region_shutdowns.csv?_stream=on" in trends.text
    assert 'href="/-/trends/shutdowns.svg" download' in trends.text
    assert "(%)" in svg_file.text and svg_file.headers["content-type"].startswith("image/svg")
    assert svg_file.headers["content-disposition"] == \
        'attachment; filename="ifex-comparison-ET.svg"'


def test_a_feed_of_new_alerts_by_country_and_category(paths):
    every, shutdowns, page = fetch(
        paths, "/-/feed.atom", "/-/feed.atom?country=Ethiopia&category=internet_shutdown",
        "/-/feeds")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = ET.fromstring(every.content).findall("a:entry", ns)
    assert every.headers["content-type"].startswith("application/atom+xml")
    assert len(entries) == min(50, len(LAKE_ALERTS) + 1)
    dates = [e.find("a:updated", ns).text for e in entries]
    assert dates == sorted(dates, reverse=True)
    feed = ET.fromstring(shutdowns.content)
    expected = {f"http://localhost/alert/{a['alert_id']}" for a in LAKE_ALERTS
                if "ET" in a["countries"] and "internet_shutdown" in a["categories"]}
    assert {e.find("a:id", ns).text for e in feed.findall("a:entry", ns)} == expected
    assert "Internet shutdown in Ethiopia" in feed.find("a:title", ns).text
    assert 'action="/-/feed.atom"' in page.text


def test_the_schema_page_has_every_long_description(paths):
    from warehouse.tables import ALERTS

    (page,) = fetch(paths, "/-/schema")
    for column in ALERTS.columns:
        assert f'id="column-alerts-{column.name}"' in page.text
    evidence = next(c for c in ALERTS.columns if c.name == "evidence").description
    assert evidence.split(":")[0] in page.text


def test_case_ids_reach_datasette(paths):
    async def get():
        return (await make_datasette(paths).client.get(
            "/alerts/alerts.json?_shape=array&_size=max&_col=case_id")).json()

    assert all(row["case_id"].startswith("case-") for row in asyncio.run(get()))
