"""Victim-type rules added in extractor 1.2.0, on sentences written for the tests:
outlets as the institution targeted, defenders, politicians, protesters and the
public, and people named only as the speaker or the caller."""

from __future__ import annotations

import pytest

from nlp.extractor import Extractor
from tests.nlp_helpers import labels


@pytest.mark.parametrize(("text", "category"), [
    ("The station was closed by the authorities.", "censorship"),
    ("Police raided the newspaper's offices on Monday.", "threat_harassment"),
    ("The authorities suspended the broadcaster for a month.", "censorship"),
    ("The regulator suspended the state broadcaster over its coverage.", "censorship"),
    ("A court banned the weekly for six months.", "censorship"),
])
def test_outlet_as_the_institution_targeted(extractor: Extractor, text: str,
                                            category: str) -> None:
    categories, victims = labels(extractor, text)
    assert category in categories
    assert "media_outlet" in victims


def test_a_broadcaster_shot_is_a_journalist(extractor: Extractor) -> None:
    _, victims = labels(extractor, "Gunmen shot dead a radio broadcaster in Mindanao.")
    assert "journalist" in victims
    assert "media_outlet" not in victims


def test_outlet_as_the_source_is_not_a_victim(extractor: Extractor) -> None:
    categories, victims = labels(extractor, "The reporter was arrested, the newspaper reported.")
    assert "arrest_detention" in categories
    assert "journalist" in victims
    assert "media_outlet" not in victims


@pytest.mark.parametrize(("text", "victim"), [
    ("Police arrested two trade unionists and an activist in the capital.",
     "human_rights_defender"),
    ("Authorities raided the offices of two human rights organisations.",
     "human_rights_defender"),
    ("Police beat protesters at the rally on Monday.", "protester"),
    ("The opposition MP was arrested on Monday.", "politician"),
    ("The mayor who criticised the army was detained on Friday.", "politician"),
])
def test_people_targeted(extractor: Extractor, text: str, victim: str) -> None:
    assert victim in labels(extractor, text)[1]


def test_a_clause_after_said_keeps_its_subject(extractor: Extractor) -> None:
    _, victims = labels(extractor, "Activists said the reporter was arrested at dawn.")
    assert "journalist" in victims
    assert "human_rights_defender" not in victims


@pytest.mark.parametrize(("language", "text", "speaker"), [
    ("en", "Rights groups condemned the arrest of the reporter on Monday.",
     "human_rights_defender"),
    ("en", "Activists and lawyers who follow the case continue urging the authorities to "
           "free the detained reporter.", "human_rights_defender"),
    ("fr", "Des militants des droits humains se mobilisent pour réclamer la "
           "libération du journaliste arrêté.", "human_rights_defender"),
    ("es", "Los activistas exigen la liberación del periodista detenido.",
     "human_rights_defender"),
])
def test_speakers_and_callers_are_not_victims(extractor: Extractor, language: str, text: str,
                                              speaker: str) -> None:
    _, victims = labels(extractor, text, language)
    assert speaker not in victims
    assert "journalist" in victims


@pytest.mark.parametrize(("language", "text"), [
    ("en", "Authorities imposed a nationwide ban on all demonstrations."),
    ("fr", "Les autorités ont interdit toute manifestation dans tout le pays."),
    ("es", "El gobierno prohibió las manifestaciones en todo el país."),
    ("ru", "Власти запретили митинги по всей стране."),
    ("ar", "فرضت السلطات حظر التجول ومنع التظاهر في جميع أنحاء البلاد."),
])
def test_population_wide_measures_target_the_public(extractor: Extractor, language: str,
                                                    text: str) -> None:
    assert "general_public" in labels(extractor, text, language)[1]


def test_informing_the_public_is_not_the_public_as_victim(extractor: Extractor) -> None:
    _, victims = labels(extractor, "The editor was arrested for informing the public about "
                                   "the epidemic.")
    assert "general_public" not in victims


def test_a_victim_described_by_a_relative_clause_stays_a_victim(extractor: Extractor) -> None:
    _, victims = labels(extractor, "The activist who condemned the war was arrested on Monday.")
    assert "human_rights_defender" in victims


@pytest.mark.parametrize(("language", "text"), [
    ("en", "In an interview with the radio station, the reporter said he was threatened."),
    ("fr", "Dans un entretien accordé à la radio, le journaliste affirme avoir été menacé."),
])
def test_outlet_where_someone_spoke_is_not_a_victim(extractor: Extractor, language: str,
                                                    text: str) -> None:
    categories, victims = labels(extractor, text, language)
    assert "threat_harassment" in categories
    assert "journalist" in victims
    assert "media_outlet" not in victims


@pytest.mark.parametrize("text", [
    "The court fined the novelist over a newspaper column criticising the army.",
    "The singer was detained after a radio interview about the elections.",
])
def test_an_outlet_word_qualifying_content_is_not_a_victim(extractor: Extractor,
                                                           text: str) -> None:
    assert "media_outlet" not in labels(extractor, text)[1]


def test_a_rights_group_named_by_its_proper_name_is_a_defender(extractor: Extractor) -> None:
    text = "Three members of the Northern Lights Human Rights Centre were sentenced to prison."
    assert "human_rights_defender" in labels(extractor, text)[1]


def test_a_rights_group_that_reports_is_not_a_victim(extractor: Extractor) -> None:
    text = "The reporter was detained on Monday, the Coastal Centre for Human Rights said."
    assert labels(extractor, text)[1] == {"journalist"}


def test_a_judge_who_rules_is_not_a_victim(extractor: Extractor) -> None:
    assert "lawyer" not in labels(extractor, "A judge ordered the reporter detained.")[1]
    assert "lawyer" in labels(extractor, "The judge was arrested after criticising "
                                         "the president.")[1]
