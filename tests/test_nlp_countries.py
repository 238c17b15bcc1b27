"""Country extraction on the hard cases of issue 3, with sentences written for the tests."""

from __future__ import annotations

import pytest

from nlp.extractor import AlertText, Extractor


def countries(extractor: Extractor, title: str, text: str = "", language: str = "en"):
    result = extractor.extract_one(AlertText("t", title, text, language))
    return result.primary_country, result.countries


CASES = [
    ("Reporter detained in Niger", "NE"),
    ("Reporter detained in Nigeria", "NG"),
    ("Nigerien radio host arrested", "NE"),
    ("Editor beaten in Guinea", "GN"),
    ("Editor beaten in Equatorial Guinea", "GQ"),
    ("Editor beaten in Guinea-Bissau", "GW"),
    ("Editor beaten in Papua New Guinea", "PG"),
    ("Radio closed in the Democratic Republic of the Congo", "CD"),
    ("Radio closed in the Republic of the Congo", "CG"),
    ("Radio closed in Congo-Brazzaville", "CG"),
    ("Two journalists held in Kinshasa", "CD"),
    ("Broadcaster suspended in Dominica", "DM"),
    ("Broadcaster suspended in the Dominican Republic", "DO"),
    ("Photographer attacked in Georgia", "GE"),
    ("Journalist expelled from Sudan", "SD"),
    ("Journalist expelled from South Sudan", "SS"),
    ("Blogger jailed in South Korea", "KR"),
    ("Blogger jailed in North Korea", "KP"),
    ("Reporter detained in Turkey", "TR"),
    ("Reporter detained in Türkiye", "TR"),
    ("Newspaper closed in Côte d’Ivoire", "CI"),
    ("Newspaper closed in Cote d'Ivoire", "CI"),
    ("Newspaper closed in Ivory Coast", "CI"),
    ("Poet arrested in Burma", "MM"),
    ("Poet arrested in Myanmar", "MM"),
    ("Activist detained in Swaziland", "SZ"),
    ("Activist detained in Eswatini", "SZ"),
    ("TV crew attacked in Kosovo", "XK"),
    ("Journalist shot in Palestine", "PS"),
    ("Journalist shot in the West Bank", "PS"),
    ("Seven Zaire journalists suspended", "CD"),
    ("Editor jailed in Yugoslavia", "RS"),
    ("Editor jailed in Serbia and Montenegro", "RS"),
]


@pytest.mark.parametrize(("title", "code"), CASES)
def test_hard_country_names(extractor: Extractor, title: str, code: str) -> None:
    primary, found = countries(extractor, title)
    assert primary == code
    assert found == [code]


def test_person_names_jordan_and_chad_are_not_countries(extractor: Extractor) -> None:
    text = ("Reporter Chad Williams was beaten outside the court in Lima, said his colleague "
            "Michael Jordan.")
    primary, found = countries(extractor, "Reporter beaten in Peru", text)
    assert primary == "PE"
    assert "TD" not in found and "JO" not in found


def test_jordan_and_chad_as_countries(extractor: Extractor) -> None:
    assert countries(extractor, "Jordan refuses entry to journalist")[0] == "JO"
    assert countries(extractor, "Chad suspends newspaper")[0] == "TD"


@pytest.mark.parametrize("home", [
    "Paris-based RSF said the reporter was arrested in Togo.",
    "New York-based CPJ said the reporter was arrested in Togo.",
    "Toronto-based CJFE said the reporter was arrested in Togo.",
    "Reporters Without Borders, based in Paris, said the reporter was arrested in Togo.",
])
def test_publisher_home_is_not_a_country(extractor: Extractor, home: str) -> None:
    primary, found = countries(extractor, "Reporter arrested", home)
    assert primary == "TG"
    assert found == ["TG"]


def test_atlanta_georgia_is_not_the_country(extractor: Extractor) -> None:
    text = "The reporter, who lives in Atlanta, Georgia, was detained at the border of Mexico."
    primary, found = countries(extractor, "Reporter detained", text)
    assert primary == "MX"
    assert "GE" not in found


def test_title_outweighs_passing_mentions(extractor: Extractor) -> None:
    text = ("Police in Harare arrested the editor. A similar case was reported in Kenya "
            "last year.")
    primary, found = countries(extractor, "Zimbabwe: editor arrested", text)
    assert primary == "ZW"
    assert found == ["ZW"]


def test_no_country_gives_none(extractor: Extractor) -> None:
    assert countries(extractor, "UN treaty body adopts statement on press freedom") == (None, [])


@pytest.mark.parametrize(("language", "title", "code"), [
    ("fr", "Tchad : un journaliste arrêté à N'Djamena", "TD"),
    ("es", "Periodista asesinado en México", "MX"),
    ("ru", "В Беларуси задержан журналист", "BY"),
    ("ar", "اعتقال صحفي في مصر", "EG"),
])
def test_countries_in_other_languages(extractor: Extractor, language, title, code) -> None:
    assert countries(extractor, title, "", language)[0] == code


@pytest.mark.parametrize(("language", "title", "code"), [
    ("en", "Reporter shot dead in Balochistan", "PK"),
    ("en", "Two journalists attacked in Chiapas", "MX"),
    ("en", "Internet cut across Tigray", "ET"),
    ("en", "Community radio presenter abducted in Mindanao", "PH"),
    ("es", "Asesinan a un periodista en Sinaloa", "MX"),
    ("ru", "Журналист задержан в Дагестане", "RU"),
])
def test_a_region_named_alone_gives_its_country(extractor: Extractor, language: str,
                                                title: str, code: str) -> None:
    assert countries(extractor, title, "", language)[0] == code


def test_a_region_shared_by_two_countries_or_inside_a_name_gives_none(
        extractor: Extractor) -> None:
    assert countries(extractor, "Blogger arrested in Punjab")[0] is None
    text = "The spokesman, Carlos Mendoza, declined to comment."
    assert countries(extractor, "Statement", text)[1] == []
