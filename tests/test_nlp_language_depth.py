"""Language depth: Russian lemmas and Arabic clitics for places, common words that are place
names, place names inside people's names, and people keyed across scripts."""

from __future__ import annotations

import pytest

from nlp.extractor import AlertText, Extractor


@pytest.fixture(scope="module")
def rules() -> Extractor:
    return Extractor(model=None)


def countries(extractor: Extractor, text: str, lang: str) -> list[str]:
    return extractor.extract_one(AlertText("t", "", text, lang)).countries


@pytest.mark.parametrize(("text", "code"), [
    ("Журналиста задержали в Бишкеке после обыска.", "KG"),  # a case form of a capital
    ("Суд в Челябинской области арестовал редактора.", "RU"),  # a region in a case form
    ("Екатеринбургский блогер получил штраф.", "RU"),  # the adjective of a city
    ("Полиция Кыргызстана провела обыски в редакции.", "KG"),
    ("Роскомнадзор заблокировал сайт издания.", "RU"),  # a state body
])
def test_russian_places_in_inflected_and_derived_forms(rules, text, code):
    assert code in countries(rules, text, "ru")


def test_russian_togo_needs_a_capital_inside_a_sentence(rules):
    assert "TG" not in countries(rules, "Редактора задержали после того, как он написал.",
                                 "ru")
    assert "TG" not in countries(rules, "Того же дня суд продлил арест журналиста.", "ru")
    assert "TG" in countries(rules, "Журналиста задержали в Того после репортажа.", "ru")


def test_russian_given_names_and_surnames_are_not_places(rules):
    got = countries(rules, "Журналистку Софью Павлову задержали в Москве.", "ru")
    assert got == ["RU"]


@pytest.mark.parametrize(("text", "code"), [
    ("اعتقلت الشرطة الصحفي وبالعراق تتكرر هذه الانتهاكات", "IQ"),  # و + ب + the article
    ("احتجزت السلطات الصحافي الجزائري خالد درارني", "DZ"),  # a nisba adjective
    ("القاهرة- اعتقلت قوات الأمن صحفيين", "EG"),  # a dateline dash glued to the city
    ("حكم على صحافي باكستاني بالسجن", "PK"),  # a nisba without the article
])
def test_arabic_places_with_clitics_and_adjectives(rules, text, code):
    assert code in countries(rules, text, "ar")


def test_an_arabic_common_word_needs_a_place_cue(rules):
    assert "ML" not in countries(rules, "اتهمت الصحيفة الوزير بفساد مالي كبير", "ar")
    assert "ML" in countries(rules, "اعتقل صحفي في مالي بعد نشر تحقيق", "ar")


def test_a_city_before_a_capitalised_name_is_a_person(rules):
    got = countries(rules, "Journalist Dominique Kabongo was detained in Kinshasa.", "fr")
    assert "DM" not in got and "CD" in got


def test_people_are_keyed_the_same_across_scripts(rules):
    english = rules.extract_one(AlertText(
        "en", "Journalist Ivan Golunov detained in Moscow", "Police held Ivan Golunov.", "en"))
    russian = rules.extract_one(AlertText(
        "ru", "В Москве задержан журналист Иван Голунов",
        "Полиция задержала журналиста Ивана Голунова.", "ru"))
    assert {p["key"] for p in english.persons} == {p["key"] for p in russian.persons}
    assert english.persons[0]["role"] == "journalist"


def test_arabic_names_after_a_role_word(rules):
    got = rules.extract_one(AlertText(
        "ar", "اعتقال الصحفي خالد منصور", "اعتقلت الشرطة الصحفي خالد منصور في القاهرة.", "ar"))
    assert [p["name"] for p in got.persons] == ["خالد منصور"]
    assert got.persons[0]["role"] == "journalist"


@pytest.mark.parametrize(("title", "text", "lang", "names"), [
    ("Columnist Ana Ruiz assaulted in Peru", "Ana Ruiz was beaten outside her home.", "en",
     {"Ana Ruiz": "journalist"}),
    ("Reporter attacked in Port Said", "Unknown men beat the reporter Omar Saleh.", "en",
     {"Omar Saleh": "journalist"}),
    ("Journalist detained", "The Southeast Asian Press Alliance said journalist Budi Santoso "
     "was held.", "en", {"Budi Santoso": "journalist"}),
])
def test_role_words_places_and_regions_are_not_people(rules, title, text, lang, names):
    got = rules.extract_one(AlertText("p", title, text, lang))
    assert {p["name"]: p["role"] for p in got.persons} == names
