"""Cases: linking of alerts into incidents, stable ids, redirects, timeline and evaluation."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from models.schemas import ENRICHED_ALERTS
from nlp.extractor import AlertText, Extractor
from nlp.gazetteer import is_city_name
from pipelines.rows import evidence_json
from warehouse.cases import (
    build_cases,
    evaluate_linking,
    make_case_id,
    name_key,
    name_skeleton,
)

RULES = Extractor(model=None)


def with_people(fields: dict[str, object]) -> dict[str, object]:
    """An alert row with the people and place evidence the extractor finds in its text (the
    categories stay those the test gives)."""
    got = RULES.extract_one(AlertText(str(fields["alert_id"]), str(fields["title"]),
                                      str(fields["text"]), str(fields["language"])))
    places = [e for e in got.evidence if e.field == "countries"]
    got.evidence = places
    return {**fields, "persons": json.dumps(got.persons, ensure_ascii=False),
            "evidence": fields.get("evidence") or evidence_json(got)}

DETENTION = ("Journalist {name} of {outlet} detained in {city}",
             "Police in {city} detained journalist {name}, a reporter for {outlet}, on "
             "{day}. {name} was taken to the central police station after covering a protest. "
             "Colleagues said officers seized the equipment of {name}.")
CHARGED = ("{name} charged with terrorism propaganda",
           "Prosecutors in {city} charged {name} of {outlet} with spreading terrorist "
           "propaganda. The trial of {name} opens next month.")
SENTENCED = ("{name} sentenced to three years in prison",
             "A court in {city} sentenced {name}, a reporter for {outlet}, to three years "
             "in prison. Lawyers for {name} said they would appeal.")
RELEASED = ("{name} released after appeal",
            "{name} of {outlet} was released from prison in {city} after an appeal court "
            "overturned the conviction.")
SHUTDOWN = ("Internet cut in {city} during protests",
            "Authorities cut mobile internet access in {city} on {day} as protests spread. "
            "Users reported that messaging apps were unreachable.")

ROWS = [
    # incident A: detention reported by three members, then charged, sentenced, released
    ("a1", "TR", date(2020, 3, 2), "CPJ", DETENTION, "Mehmet Kaya", "Gazete Ekspres", "inc-A",
     ["arrest_detention"], ["journalist"]),
    ("a2", "TR", date(2020, 3, 3), "RSF", DETENTION, "Mehmet Kaya", "Gazete Ekspres", "inc-A",
     ["arrest_detention"], ["journalist"]),
    ("a3", "TR", date(2020, 3, 5), "IPI", DETENTION, "Mehmet Kaya", "Gazete Ekspres", "inc-A",
     ["arrest_detention"], ["journalist"]),
    ("a4", "TR", date(2020, 4, 20), "CPJ", CHARGED, "Mehmet Kaya", "Gazete Ekspres", "inc-A",
     ["legal_action"], ["journalist"]),
    ("a5", "TR", date(2020, 7, 1), "RSF", SENTENCED, "Mehmet Kaya", "Gazete Ekspres", "inc-A",
     ["imprisonment"], ["journalist"]),
    ("a6", "TR", date(2020, 11, 9), "PEN", RELEASED, "Mehmet Kaya", "Gazete Ekspres", "inc-A",
     ["release"], ["journalist"]),
    # incident B: another journalist detained in the same week, same country
    ("b1", "TR", date(2020, 3, 4), "CPJ", DETENTION, "Zeynep Arslan", "Radyo Umut", "inc-B",
     ["arrest_detention"], ["journalist"]),
    ("b2", "TR", date(2020, 3, 6), "IPI", DETENTION, "Zeynep Arslan", "Radyo Umut", "inc-B",
     ["arrest_detention"], ["journalist"]),
    # incident C: an internet shutdown, reported twice
    ("c1", "TR", date(2020, 3, 10), "Access Now", SHUTDOWN, "", "", "inc-C",
     ["internet_shutdown"], ["general_public"]),
    ("c2", "TR", date(2020, 3, 11), "SMEX", SHUTDOWN, "", "", "inc-C",
     ["internet_shutdown"], ["general_public"]),
    # the same name and outlet in another country is another incident
    ("d1", "DE", date(2020, 3, 3), "RSF", DETENTION, "Mehmet Kaya", "Gazete Ekspres", "inc-D",
     ["arrest_detention"], ["journalist"]),
    # the same person two years later is not a follow-up
    ("e1", "TR", date(2022, 6, 1), "CPJ", DETENTION, "Mehmet Kaya", "Gazete Ekspres", "inc-E",
     ["arrest_detention"], ["journalist"]),
]
CITIES = {"TR": "Diyarbakır", "DE": "Berlin"}
SYLLABLES = ("Vel", "Tor", "Ram", "Kes", "Dor", "Lin", "Mar", "Sul", "Ben", "Ash", "Gor", "Nil")
BACKGROUND_CITIES = {"TR": "İzmir", "MX": "Oaxaca", "EG": "Alexandria", "RU": "Kazan"}


def background_rows() -> list[tuple]:
    """Unrelated alerts in the same phrasing about other people, in TR and other countries."""
    rng = random.Random(7)
    families = [f"{a}{b.lower()}ov" for a in SYLLABLES for b in SYLLABLES][:120]
    given = [f"{b}{a.lower()}a" for a in SYLLABLES for b in SYLLABLES][:120]
    rows = []
    for i, family in enumerate(families):
        rows.append((f"x{i:03d}", rng.choice(tuple(BACKGROUND_CITIES)),
                     date(2019, 12, 21) + timedelta(days=2 * i), "CPJ",
                     rng.choice((DETENTION, CHARGED, SENTENCED, RELEASED)),
                     f"{given[i]} {family}", f"{family} Daily", f"inc-x{i}",
                     ["arrest_detention"], ["journalist"]))
    return rows


ALL_ROWS = ROWS + background_rows()


def alert_row(alert_id: str, country: str, published: date, organisation: str,
              template: tuple[str, str], name: str, outlet: str, incident: str,
              categories: list[str], victims: list[str]) -> dict[str, object]:
    city = BACKGROUND_CITIES[country] if alert_id.startswith("x") else CITIES[country]
    fill = {"name": name, "outlet": outlet, "city": city, "day": published.isoformat()}
    return {
        "alert_id": alert_id, "published": published, "year": published.year,
        "month": published.month, "source": "test", "source_id": alert_id,
        "organisation": organisation, "language": "en", "title": template[0].format(**fill),
        "text": template[1].format(**fill), "primary_country": country,
        "countries": [country], "categories": categories, "victim_types": victims,
        "nlp_version": "test", "incident_ref": incident, "raw_id": alert_id,
        "content_hash": alert_id, "fetched_at": datetime(2024, 1, 1, tzinfo=UTC),
    }


def warehouse(path: Path, rows: list[tuple]) -> duckdb.DuckDBPyConnection:
    """A warehouse file with an ``alerts`` table shaped like the real one."""
    con = duckdb.connect(str(path))
    table = pa.Table.from_pylist([with_people(alert_row(*row)) for row in rows],
                                 ENRICHED_ALERTS.schema)
    con.register("rows", table)
    con.execute("CREATE TABLE alerts AS SELECT * FROM rows")
    con.unregister("rows")
    return con


def case_groups(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    return {case: set(alerts) for case, alerts in con.execute(
        "SELECT case_id, list(alert_id) FROM case_alerts GROUP BY case_id").fetchall()}


def case_of(con: duckdb.DuckDBPyConnection, alert_id: str) -> str:
    return con.execute("SELECT case_id FROM case_alerts WHERE alert_id = ?",
                       [alert_id]).fetchone()[0]


@pytest.fixture
def built(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = warehouse(tmp_path / "w1.duckdb", ALL_ROWS)
    build_cases(con, None, is_city=is_city_name)
    yield con
    con.close()


def test_linking_groups_reports_and_follow_ups_of_each_incident(built):
    groups = sorted(sorted(g) for g in case_groups(built).values())
    assert [g for g in groups if not g[0].startswith("x")] == [
        ["a1", "a2", "a3", "a4", "a5", "a6"], ["b1", "b2"], ["c1", "c2"], ["d1"], ["e1"]]
    # (background alerts may link among themselves: the test corpus is too small for their
    # phrasing to count as common; none of them joins the cases above)


def test_case_id_comes_from_the_earliest_alert(built):
    assert case_of(built, "a5") == make_case_id("a1")
    assert case_of(built, "d1") == make_case_id("d1")


def test_case_row_and_timeline(built):
    case = built.execute(
        "SELECT primary_country, title, first_date, last_date, status, n_alerts, n_members "
        "FROM cases WHERE case_id = ?", [make_case_id("a1")]).fetchone()
    assert case == ("TR", "Journalist Mehmet Kaya of Gazete Ekspres detained in Diyarbakır",
                    date(2020, 3, 2), date(2020, 11, 9), "released", 6, 4)
    stages = built.execute("SELECT alert_id, stage FROM case_events WHERE case_id = ? "
                           "ORDER BY published, alert_id", [make_case_id("a1")]).fetchall()
    assert stages == [("a1", "detained"), ("a2", "detained"), ("a3", "detained"),
                      ("a4", "charged"), ("a5", "sentenced"), ("a6", "released")]
    statuses = dict(built.execute("SELECT case_id, status FROM cases").fetchall())
    assert statuses[make_case_id("b1")] == "detained"
    assert statuses[make_case_id("c1")] == "reported"


def test_status_is_the_latest_stage_and_killing_sticks(tmp_path):
    rows = [*background_rows(),
            ("k1", "TR", date(2021, 1, 5), "CPJ", DETENTION, "Can Demir", "Radyo Umut", "k",
             ["abduction_disappearance"], ["journalist"]),
            ("k2", "TR", date(2021, 2, 5), "RSF", DETENTION, "Can Demir", "Radyo Umut", "k",
             ["killing"], ["journalist"]),
            ("k3", "TR", date(2021, 6, 5), "IPI", DETENTION, "Can Demir", "Radyo Umut", "k",
             ["impunity", "legal_action"], ["journalist"])]
    with warehouse(tmp_path / "k.duckdb", rows) as con:
        build_cases(con, None, is_city=is_city_name)
        assert con.execute("SELECT n_alerts, status FROM cases WHERE case_id = ?",
                           [make_case_id("k1")]).fetchall() == [(3, "killed")]


def test_ids_survive_a_rebuild_with_new_alerts(built, tmp_path):
    first = case_groups(built)
    built.close()
    extra = ("a7", "TR", date(2020, 11, 11), "CPJ", RELEASED, "Mehmet Kaya", "Gazete Ekspres",
             "inc-A", ["release"], ["journalist"])  # another member reports the release
    with warehouse(tmp_path / "w2.duckdb", [extra, *ALL_ROWS]) as con:
        build_cases(con, tmp_path / "w1.duckdb", is_city=is_city_name)
        second = case_groups(con)
        assert second[make_case_id("a1")] == first[make_case_id("a1")] | {"a7"}
        assert {k: v for k, v in second.items() if k != make_case_id("a1")} == \
            {k: v for k, v in first.items() if k != make_case_id("a1")}
        assert con.execute("SELECT count(*) FROM case_redirects").fetchone()[0] == 0


def test_a_merge_keeps_the_older_id_and_redirects_the_other(built, tmp_path):
    """A report from another country is its own case until a report naming both countries
    bridges the two: then the older id stays and the other redirects to it."""
    built.close()
    late = ("a8", "DE", date(2020, 9, 1), "RSF", DETENTION, "Mehmet Kaya", "Gazete Ekspres",
            "inc-A", ["threat_harassment"], ["journalist"])
    apart = [r for r in ALL_ROWS if r[0] not in ("a5", "a6", "d1")] + [late]
    both = ("a5", "TR", date(2020, 7, 1), "RSF", SENTENCED, "Mehmet Kaya", "Gazete Ekspres",
            "inc-A", ["imprisonment"], ["journalist"])
    bridged = [r for r in apart if r[0] != "a8"] + [both, late]

    def build(path: Path, rows: list[tuple], previous: Path | None) -> None:
        with warehouse(path, rows) as con:
            con.execute("UPDATE alerts SET countries = ['TR', 'DE'] WHERE alert_id = 'a5'")
            build_cases(con, previous, is_city=is_city_name)

    build(tmp_path / "apart.duckdb", apart, None)
    with duckdb.connect(str(tmp_path / "apart.duckdb")) as con:
        assert case_of(con, "a8") == make_case_id("a8") != case_of(con, "a1")
    build(tmp_path / "merged.duckdb", bridged, tmp_path / "apart.duckdb")
    with duckdb.connect(str(tmp_path / "merged.duckdb")) as con:
        assert case_of(con, "a8") == case_of(con, "a5") == make_case_id("a1")
        assert con.execute("SELECT * FROM case_redirects").fetchall() == [
            (make_case_id("a8"), make_case_id("a1"))]
    # the redirect is carried forward by the next rebuild
    build(tmp_path / "again.duckdb", bridged, tmp_path / "merged.duckdb")
    with duckdb.connect(str(tmp_path / "again.duckdb")) as con:
        assert con.execute("SELECT * FROM case_redirects").fetchall() == [
            (make_case_id("a8"), make_case_id("a1"))]


def test_a_missing_previous_database_is_a_first_build(tmp_path):
    with warehouse(tmp_path / "w.duckdb", ALL_ROWS) as con:
        counts = build_cases(con, tmp_path / "nothing-here.duckdb", is_city=is_city_name)
        assert counts["case_alerts"] == counts["case_events"] == len(ALL_ROWS)
        assert counts["cases"] == len(case_groups(con))
        assert counts["case_redirects"] == 0


def test_evaluate_linking_on_a_hand_made_example(tmp_path):
    with warehouse(tmp_path / "e.duckdb", ROWS[:4]) as con:  # a1..a4, all incident inc-A
        con.execute("UPDATE alerts SET incident_ref = 'inc-X' WHERE alert_id = 'a4'")
        con.execute("UPDATE alerts SET incident_ref = NULL WHERE alert_id = 'a3'")
        con.execute("CREATE TABLE case_alerts AS SELECT * FROM (VALUES "
                    "('c1', 'a1'), ('c1', 'a2'), ('c2', 'a3'), ('c1', 'a4')) t(case_id, alert_id)")
        # labelled: a1, a2 (inc-A), a4 (inc-X), all in c1: 3 predicted pairs, 1 true, 1 correct
        scores = evaluate_linking(con)
    assert scores["alerts"] == 3
    assert (scores["true_pairs"], scores["predicted_pairs"], scores["correct_pairs"]) == (1, 3, 1)
    assert scores["precision"] == pytest.approx(1 / 3)
    assert scores["recall"] == 1.0
    assert scores["f1"] == pytest.approx(0.5)


RU_DETENTION = ("Журналист {name} задержан в городе {city}",
                "{CITY}, {day} — Журналист {name} из издания «{outlet}» был задержан в городе "
                "{city}. Полиция изъяла технику, принадлежащую журналисту {name}.")


def cross_script_row(alert_id: str, language: str, template: tuple[str, str], name: str,
                     outlet: str, city: str, published: date, incident: str) -> dict[str, object]:
    row = alert_row(alert_id, "TR", published, "CPJ", DETENTION, "", "", incident,
                    ["arrest_detention"], ["journalist"])
    fill = {"name": name, "outlet": outlet, "city": city, "CITY": city.upper(),
            "day": published.isoformat()}
    return {**row, "language": language, "title": template[0].format(**fill),
            "text": template[1].format(**fill)}


def test_names_in_cyrillic_script_link_to_their_latin_reports(tmp_path):
    rows = [alert_row(*row) for row in background_rows()] + [
        cross_script_row("ru-en", "en", DETENTION, "Sergei Sokolov", "Novaya Volna", "Moscow",
                         date(2020, 5, 4), "inc-ru"),
        cross_script_row("ru-ru", "ru", RU_DETENTION, "Сергей Соколов", "Новая Волна", "Москва",
                         date(2020, 5, 6), "inc-ru"),
        # another Russian journalist the same week stays apart
        cross_script_row("other", "ru", RU_DETENTION, "Павел Орлов", "Голос Региона",
                         "Казань", date(2020, 5, 6), "inc-other")]
    with duckdb.connect(str(tmp_path / "x.duckdb")) as con:
        con.register("rows", pa.Table.from_pylist([with_people(r) for r in rows],
                                                  ENRICHED_ALERTS.schema))
        con.execute("CREATE TABLE alerts AS SELECT * FROM rows")
        build_cases(con, None, is_city=is_city_name)
        assert case_of(con, "ru-ru") == case_of(con, "ru-en") == make_case_id("ru-en")
        assert case_of(con, "other") == make_case_id("other")


def test_name_skeletons_are_the_same_across_scripts():
    assert name_skeleton("Mansour") == name_skeleton("منصور") == "mnsr"
    assert name_skeleton("Ivanov") == name_skeleton("Иванова") == name_skeleton("Иванов")
    assert name_skeleton("Khaled") == name_skeleton("خالد")
    assert name_skeleton("Kuznetsov") == name_skeleton("Кузнецов")
    assert name_skeleton("Fajr") == name_skeleton("الفجر")
    assert name_skeleton("Petrov") != name_skeleton("Ivanov")


CHARGED_LATER = ("{name} charged three years after his arrest",
                 "Prosecutors in {city} charged {name} of {outlet}, held since his arrest in "
                 "March 2016, with spreading terrorist propaganda.")


def test_a_follow_up_years_later_joins_the_case(tmp_path):
    """A named person's case stays open: charges three years after the arrest (a report
    that recalls the arrest's year), and the anniversaries of a killing a decade on, are
    follow-ups, not new cases."""
    rows = [*background_rows(),
            ("s1", "TR", date(2016, 3, 2), "CPJ", DETENTION, "Can Demir", "Radyo Umut", "s",
             ["arrest_detention"], ["journalist"]),
            ("s2", "TR", date(2016, 3, 4), "RSF", DETENTION, "Can Demir", "Radyo Umut", "s",
             ["arrest_detention"], ["journalist"]),
            ("s3", "TR", date(2019, 5, 20), "RSF", CHARGED_LATER, "Can Demir", "Radyo Umut", "s",
             ["legal_action"], ["journalist"]),
            ("k1", "TR", date(2007, 1, 19), "CPJ", DETENTION, "Ayşe Yılmaz", "Radyo Umut", "k",
             ["killing"], ["journalist"]),
            ("k2", "TR", date(2017, 1, 19), "IPI", SENTENCED, "Ayşe Yılmaz", "Radyo Umut", "k",
             ["impunity", "killing"], ["journalist"])]
    with warehouse(tmp_path / "y.duckdb", rows) as con:
        build_cases(con, None, is_city=is_city_name)
        assert case_of(con, "s3") == case_of(con, "s2") == case_of(con, "s1")
        assert case_of(con, "k2") == case_of(con, "k1") == make_case_id("k1")


def test_name_keys_join_spellings_across_scripts():
    assert name_key("Huseynov") == name_key("Гусейнов") == "ksnv"  # h / г
    assert name_key("Azadliq") == name_key("Азадлыг")  # q / г
    assert name_key("Aziz") == name_key("عزيز") == "zz"  # one consonant, doubled
    assert name_key("Khaled") == name_key("خالد")
    assert name_key("Wu") == "~wu"  # no skeleton: the Latin form


def rows_of(*rows: tuple) -> list[tuple]:
    return [*background_rows(), *rows]


def test_two_journalists_of_one_outlet_are_two_cases(tmp_path):
    """Sharing an outlet is no link when each alert also names another person."""
    rows = rows_of(
        ("f1", "TR", date(2021, 3, 2), "CPJ", DETENTION, "Can Demir", "Radyo Umut", "f",
         ["arrest_detention"], ["journalist"]),
        ("f2", "TR", date(2021, 3, 2), "RSF", DETENTION, "Ayşe Yılmaz", "Radyo Umut", "g",
         ["arrest_detention"], ["journalist"]),
        ("f3", "TR", date(2021, 3, 3), "IPI", DETENTION, "Can Demir", "Radyo Umut", "f",
         ["arrest_detention"], ["journalist"]))
    with warehouse(tmp_path / "o.duckdb", rows) as con:
        build_cases(con, None, is_city=is_city_name)
        assert case_of(con, "f3") == case_of(con, "f1") != case_of(con, "f2")


def test_a_new_arrest_after_the_release_is_a_new_case(tmp_path):
    """A release ends the custody story: a detention of the same person after it starts a
    new case (a charge, sentence or release months later continues one)."""
    again = ("r1", "TR", date(2021, 1, 20), "CPJ", DETENTION, "Mehmet Kaya", "Gazete Ekspres",
             "inc-R", ["arrest_detention"], ["journalist"])
    with warehouse(tmp_path / "r.duckdb", [*ALL_ROWS, again]) as con:
        build_cases(con, None, is_city=is_city_name)
        assert case_of(con, "a6") == make_case_id("a1")
        assert case_of(con, "r1") == make_case_id("r1")


def test_the_same_name_in_another_city_is_another_case(tmp_path):
    """Two reports in one language naming different cities (from the NLP's place evidence)
    are two incidents, even with the same name in the same week."""
    def placed(row: tuple, city: str) -> dict[str, object]:
        fields = alert_row(*row)
        text = str(fields["text"]).replace("Diyarbakır", city)
        evidence = json.dumps([{"field": "countries", "label": "TR", "part": "text",
                                "start": 0, "end": len(city), "text": city}])
        return {**fields, "title": str(fields["title"]).replace("Diyarbakır", city),
                "text": text, "evidence": evidence}
    rows = [alert_row(*row) for row in background_rows()] + [
        placed(("p1", "TR", date(2021, 5, 3), "CPJ", DETENTION, "Can Demir", "Radyo Umut",
                "p", ["arrest_detention"], ["journalist"]), "Diyarbakır"),
        placed(("p2", "TR", date(2021, 5, 4), "RSF", DETENTION, "Can Demir", "Radyo Umut",
                "p", ["arrest_detention"], ["journalist"]), "Diyarbakır"),
        placed(("p3", "TR", date(2021, 5, 4), "IPI", DETENTION, "Can Demir", "Radyo Umut",
                "q", ["arrest_detention"], ["journalist"]), "Istanbul")]
    with duckdb.connect(str(tmp_path / "c.duckdb")) as con:
        con.register("rows", pa.Table.from_pylist([with_people(r) for r in rows],
                                                  ENRICHED_ALERTS.schema))
        con.execute("CREATE TABLE alerts AS SELECT * FROM rows")
        build_cases(con, None, is_city=is_city_name)
        assert case_of(con, "p2") == case_of(con, "p1") != case_of(con, "p3")


RESTORED = ("Internet restored in {city}",
            "Mobile internet access was restored in {city} on {day} after the shutdown.")


def test_a_shutdown_is_followed_by_its_restoration_and_a_later_one_is_new(tmp_path):
    """Alerts that name no one (shutdowns, laws) link on country, category and time: a
    restoration weeks later continues the shutdown; a shutdown after it is another case."""
    rows = rows_of(
        ("c1", "TR", date(2020, 3, 10), "Access Now", SHUTDOWN, "", "", "c",
         ["internet_shutdown"], ["general_public"]),
        ("c2", "TR", date(2020, 3, 11), "SMEX", SHUTDOWN, "", "", "c",
         ["internet_shutdown"], ["general_public"]),
        ("c3", "TR", date(2020, 4, 20), "Access Now", RESTORED, "", "", "c",
         ["release"], ["general_public"]),
        ("c4", "TR", date(2020, 6, 1), "SMEX", SHUTDOWN, "", "", "d",
         ["internet_shutdown"], ["general_public"]))
    with warehouse(tmp_path / "s.duckdb", rows) as con:
        build_cases(con, None, is_city=is_city_name)
        assert case_of(con, "c3") == case_of(con, "c1") == case_of(con, "c2")
        assert case_of(con, "c4") == make_case_id("c4")


AR_DETENTION = ("اعتقال الصحفي {name} في {city}",
                "{city}، {day} — اعتقلت الشرطة الصحفي {name} من صحيفة {outlet} في {city}. "
                "وطالبت المنظمة بالإفراج عن الصحفي.")


def test_names_in_arabic_script_link_to_their_latin_reports(tmp_path):
    """Arabic has no capitals: an Arabic word counts as a name when its key is that of a
    capitalised name in the other alerts of the time (Khaled Mansour / خالد منصور)."""
    rows = [alert_row(*row) for row in background_rows()] + [
        cross_script_row("ar-en", "en", DETENTION, "Khaled Mansour", "Al-Fajr", "Cairo",
                         date(2020, 5, 4), "inc-ar"),
        cross_script_row("ar-ar", "ar", AR_DETENTION, "خالد منصور", "الفجر", "القاهرة",
                         date(2020, 5, 5), "inc-ar"),
        cross_script_row("ar-other", "ar", AR_DETENTION, "سمير حداد", "الصباح", "القاهرة",
                         date(2020, 5, 5), "inc-other")]
    with duckdb.connect(str(tmp_path / "a.duckdb")) as con:
        con.register("rows", pa.Table.from_pylist([with_people(r) for r in rows],
                                                  ENRICHED_ALERTS.schema))
        con.execute("CREATE TABLE alerts AS SELECT * FROM rows")
        build_cases(con, None, is_city=is_city_name)
        assert case_of(con, "ar-ar") == case_of(con, "ar-en") == make_case_id("ar-en")
        assert case_of(con, "ar-other") == make_case_id("ar-other")


def test_two_people_of_one_surname_in_one_country_and_month_are_two_cases(tmp_path):
    """Same family name, same country, same month, different given names: two people."""
    rows = rows_of(
        ("m1", "TR", date(2021, 9, 6), "CPJ", DETENTION, "Can Yılmaz", "Radyo Umut", "m",
         ["arrest_detention"], ["journalist"]),
        ("m2", "TR", date(2021, 9, 20), "RSF", DETENTION, "Ayşe Yılmaz", "Gazete Ekspres", "n",
         ["arrest_detention"], ["journalist"]),
        ("m3", "TR", date(2021, 9, 21), "IPI", CHARGED, "Ayşe Yılmaz", "Gazete Ekspres", "n",
         ["legal_action"], ["journalist"]))
    with warehouse(tmp_path / "n.duckdb", rows) as con:
        build_cases(con, None, is_city=is_city_name)
        assert case_of(con, "m3") == case_of(con, "m2") != case_of(con, "m1")


def test_a_same_day_pair_from_two_organisations_is_one_case(tmp_path):
    """Two members report the same arrest the same day, one of them naming no one."""
    rows = rows_of(
        ("q1", "TR", date(2022, 2, 14), "CPJ", DETENTION, "Can Demir", "Radyo Umut", "q",
         ["arrest_detention"], ["journalist"]),
        ("q2", "TR", date(2022, 2, 14), "RSF", DETENTION, "Can Demir", "Radyo Umut", "q",
         ["arrest_detention"], ["journalist"]))
    with warehouse(tmp_path / "q.duckdb", rows) as con:
        build_cases(con, None, is_city=is_city_name)
        assert case_of(con, "q2") == case_of(con, "q1")


def test_a_lone_surname_report_does_not_open_the_case_to_the_whole_family(tmp_path):
    """A report naming only "journalist Yılmaz" joins Can Yılmaz's case, and does not make
    it take Ayşe Yılmaz's arrest two weeks later."""
    rows = rows_of(
        ("l1", "TR", date(2021, 9, 6), "CPJ", DETENTION, "Can Yılmaz", "Radyo Umut", "l",
         ["arrest_detention"], ["journalist"]),
        ("l2", "TR", date(2021, 9, 8), "RSF", DETENTION, "Yılmaz", "Radyo Umut", "l",
         ["arrest_detention"], ["journalist"]),
        ("l3", "TR", date(2021, 9, 22), "IPI", CHARGED, "Ayşe Yılmaz", "Gazete Ekspres", "p",
         ["legal_action"], ["journalist"]))
    with warehouse(tmp_path / "l.duckdb", rows) as con:
        build_cases(con, None, is_city=is_city_name)
        assert case_of(con, "l2") == case_of(con, "l1") != case_of(con, "l3")


def test_a_full_name_filed_under_many_countries_crosses_no_border(tmp_path):
    """One full name reported from four countries names four people: none of their reports
    joins another's case across a border, killing or not."""
    rows = rows_of(*(
        (f"xw{i}", country, date(2020, 1, 10) + timedelta(days=40 * i), "CPJ", template,
         "Omar Haddad", f"Outlet {i}", f"w{i}", categories, ["journalist"])
        for i, (country, template, categories) in enumerate((
            ("EG", DETENTION, ["killing"]), ("MX", CHARGED, ["legal_action"]),
            ("RU", SENTENCED, ["imprisonment"]), ("TR", RELEASED, ["release"])))))
    with warehouse(tmp_path / "w.duckdb", rows) as con:
        build_cases(con, None, is_city=is_city_name)
        assert len({case_of(con, f"xw{i}") for i in range(4)}) == 4
