"""Victim-type rules added in extractor 1.3.0 (``nlp.roles``, ``nlp.victims``), on
sentences written for the tests: an organisation's description of itself, a
politician named as a leaning, an outlet named as a person's workplace, a protest as
the scene of a violation, lawmakers as the authors of a law, official bodies with
outlet words in their names, and victim words inside a longer trigger."""

from __future__ import annotations

import pytest

from nlp.extractor import Extractor
from tests.nlp_helpers import labels


@pytest.mark.parametrize(("language", "text"), [
    ("en", "The association of journalists condemned the arrest of a blogger on Monday."),
    ("fr", "Le réseau des journalistes africains a dénoncé l'arrestation d'un blogueur lundi."),
    ("es", "La red de periodistas independientes denunció la detención de un bloguero."),
    ("ru", "Сеть, объединяющая журналистов региона, осудила задержание блогера."),
    ("ar", "أدانت شبكة الصحفيين المستقلين اعتقال المدون يوم الاثنين."),
])
def test_members_an_organisation_speaks_for_are_not_victims(
        extractor: Extractor, language: str, text: str) -> None:
    categories, victims = labels(extractor, text, language)
    assert "arrest_detention" in categories
    assert victims == {"blogger"}


def test_self_description_stops_at_a_violation(extractor: Extractor) -> None:
    _, victims = labels(extractor, "A coalition of rebels attacked journalists in the north.")
    assert "journalist" in victims


@pytest.mark.parametrize(("language", "text"), [
    ("en", "Police arrested the editors of newspapers close to the opposition leader."),
    ("fr", "La police a arrêté les rédacteurs de journaux proches de l'opposant Jean Kato."),
    ("es", "La policía detuvo a los editores de periódicos cercanos al líder opositor."),
    ("ru", "Полиция задержала редакторов газет, близких к лидеру оппозиции."),
    ("ar", "اعتقلت الشرطة صحفيين من صحف مقربة من زعيم المعارضة."),
])
def test_politician_named_as_a_leaning_is_not_a_victim(
        extractor: Extractor, language: str, text: str) -> None:
    categories, victims = labels(extractor, text, language)
    assert categories == {"arrest_detention"}
    assert victims == {"journalist"}


def test_opposition_leader_arrested_is_a_victim(extractor: Extractor) -> None:
    assert "politician" in labels(extractor, "The opposition leader was arrested on Monday.")[1]


@pytest.mark.parametrize(("language", "text"), [
    ("en", "Lawmakers passed a bill that restricts the work of journalists."),
    ("ru", "Депутаты приняли закон, ограничивающий работу журналистов."),
])
def test_lawmakers_are_the_authors_of_a_law(extractor: Extractor, language: str,
                                            text: str) -> None:
    categories, victims = labels(extractor, text, language)
    assert "restrictive_law" in categories
    assert "politician" not in victims


@pytest.mark.parametrize("text", [
    "Police beat Ann Obi of Lakeside Television and seized her recorder.",
    "Police detained the radio station owner on Monday.",
])
def test_outlet_named_as_a_workplace_is_not_the_victim(extractor: Extractor, text: str) -> None:
    assert "media_outlet" not in labels(extractor, text)[1]


def test_outlet_owner_is_a_journalist(extractor: Extractor) -> None:
    assert labels(extractor, "Police detained the radio station owner on Monday.")[1] == {
        "journalist"}


def test_outlet_raided_is_still_a_victim(extractor: Extractor) -> None:
    _, victims = labels(extractor, "Police raided the television station and beat its director.")
    assert "media_outlet" in victims


@pytest.mark.parametrize(("language", "text"), [
    ("en", "The Ministry of Press, Radio and Television issued a directive that restricts "
           "journalists."),
    ("fr", "Le ministère de la Presse, de la Radio et de la Télévision a publié une circulaire "
           "qui restreint le travail des journalistes."),
    ("es", "El Ministerio de Prensa, Radio y Televisión publicó una circular que restringe el "
           "trabajo de los periodistas."),
])
def test_outlet_words_in_an_official_name_are_not_victims(
        extractor: Extractor, language: str, text: str) -> None:
    categories, victims = labels(extractor, text, language)
    assert "restrictive_law" in categories
    assert victims == {"journalist"}


def test_media_as_institutions(extractor: Extractor) -> None:
    text = "The regulations imposed on the local and foreign media were adopted on Monday."
    assert "media_outlet" in labels(extractor, text)[1]


def test_media_as_a_means_is_not_a_victim(extractor: Extractor) -> None:
    text = "She was arrested for spreading false news through the media."
    assert "media_outlet" not in labels(extractor, text)[1]


def test_press_inside_a_law_name_is_not_a_journalist(extractor: Extractor) -> None:
    _, victims = labels(extractor, "Parliament adopted the new press law on Monday.")
    assert "journalist" not in victims


@pytest.mark.parametrize(("language", "text"), [
    ("en", "A singer was injured during a protest in the capital on Friday."),
    ("fr", "Un chanteur a été blessé lors d'une manifestation dans la capitale."),
    ("es", "Un cantante resultó herido durante una protesta en la capital."),
    ("ru", "Певец был ранен во время митинга в столице."),
    ("ar", "أصيب مغني خلال مظاهرة في العاصمة يوم الجمعة."),
])
def test_violation_at_a_protest_makes_protesters_victims(
        extractor: Extractor, language: str, text: str) -> None:
    categories, victims = labels(extractor, text, language)
    assert "physical_attack" in categories
    assert victims == {"artist", "protester"}


@pytest.mark.parametrize(("language", "text"), [
    ("en", "Journalists were beaten while covering a protest in the capital."),
    ("en", "A reporter was injured during a protest in the capital on Friday."),
    ("fr", "Des journalistes ont été agressés alors qu'ils couvraient une manifestation."),
    ("es", "Periodistas fueron agredidos mientras cubrían una protesta."),
])
def test_journalists_covering_a_protest_are_not_protesters(
        extractor: Extractor, language: str, text: str) -> None:
    assert labels(extractor, text, language)[1] == {"journalist"}


def test_arrested_for_protesting(extractor: Extractor) -> None:
    text = "Students were arrested for protesting against the new fees."
    assert labels(extractor, text)[1] == {"academic", "protester"}


@pytest.mark.parametrize(("language", "text", "victims"), [
    ("en", "Police threatened journalists and political leaders in the north.",
     {"journalist", "politician"}),
    ("fr", "Des dirigeants politiques ont été arrêtés à Bamako.", {"politician"}),
    ("es", "Varios líderes políticos fueron detenidos en Caracas.", {"politician"}),
])
def test_political_leaders_are_politicians(extractor: Extractor, language: str, text: str,
                                           victims: set) -> None:
    assert labels(extractor, text, language)[1] == victims


def test_rights_groups_that_say_are_sources(extractor: Extractor) -> None:
    text = ("The bloggers were charged under a law that rights groups say is used to "
            "silence critics.")
    assert labels(extractor, text)[1] == {"blogger"}


def test_victim_window_stops_at_a_sentence_break(extractor: Extractor) -> None:
    text = "Police arrested the reporter on Monday. Activists gathered outside the court."
    assert labels(extractor, text)[1] == {"journalist"}


@pytest.mark.parametrize(("language", "text", "victim"), [
    ("en", "A historian was arrested in the capital on Monday.", "academic"),
    ("fr", "Un sociologue a été arrêté à Alger.", "academic"),
    ("en", "Police beat the camera crew and seized their equipment.", "media_worker"),
    ("es", "Asesinaron a una lideresa social en el Cauca.", "human_rights_defender"),
])
def test_added_victim_vocabulary(extractor: Extractor, language: str, text: str,
                                 victim: str) -> None:
    assert victim in labels(extractor, text, language)[1]
