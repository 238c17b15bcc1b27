"""Release and legal-action rules added in extractor 1.2.0, on sentences written for
the tests: a release is a positive outcome kept apart from the violation it ends, and
not a call, a pending or refused release, or a publication."""

from __future__ import annotations

import pytest

from nlp.extractor import Extractor
from tests.nlp_helpers import labels


@pytest.mark.parametrize(("text", "victim"), [
    ("The journalist was freed on bail on Tuesday.", "journalist"),
    ("Prosecutors dropped the charges against the editor.", "journalist"),
    ("The court overturned the reporter's conviction on appeal.", "journalist"),
    ("The station was allowed to resume broadcasting after a month.", "media_outlet"),
    ("The blogger was pardoned by the president last week.", "blogger"),
    ("The appeals court acquitted the cartoonist of all charges.", "artist"),
    ("Authorities released a Kenyan journalist after three days.", "journalist"),
    ("The newspaper resumed publication after the court ruling.", "media_outlet"),
    ("The regulator restored the station's licence on Friday.", "media_outlet"),
])
def test_positive_outcomes_are_releases(extractor: Extractor, text: str, victim: str) -> None:
    categories, victims = labels(extractor, text)
    assert "release" in categories
    assert victim in victims


def test_law_withdrawn_and_ban_lifted_are_releases(extractor: Extractor) -> None:
    assert "release" in labels(extractor, "The government withdrew the bill after protests.")[0]
    assert "release" in labels(extractor, "The ban on the newspaper was lifted on Friday.")[0]


@pytest.mark.parametrize("text", [
    "The reporter was due to be released on Monday but remains in custody.",
    "Police refused to release the detained reporter.",
    "The union demanded the release of the detained reporter.",
    "Colleagues called for the release of the reporter held since May.",
    "The reporter, held since May, has yet to be released.",
])
def test_pending_refused_or_demanded_release_is_a_detention(extractor: Extractor,
                                                           text: str) -> None:
    categories, _ = labels(extractor, text)
    assert "release" not in categories
    assert "arrest_detention" in categories


@pytest.mark.parametrize("text", [
    "The group released a statement condemning attacks on the press in the region.",
    "The watchdog released its annual report on press freedom on Monday.",
    "A video released by the group on Monday shows the newsroom.",
])
def test_publications_are_not_releases(extractor: Extractor, text: str) -> None:
    assert "release" not in labels(extractor, text)[0]


def test_calls_for_charges_to_be_dropped_are_not_releases(extractor: Extractor) -> None:
    categories, _ = labels(extractor, "IFEX members urged that the charges against the "
                                      "editor be dropped.")
    assert "release" not in categories
    assert "legal_action" in categories


def test_a_release_keeps_the_detention_it_ends(extractor: Extractor) -> None:
    categories, _ = labels(extractor, "The reporter, arrested on Monday, was freed on bail "
                                      "two days later.")
    assert {"release", "arrest_detention"} <= categories


def test_a_call_to_resume_broadcasting_is_not_a_detention(extractor: Extractor) -> None:
    categories, _ = labels(extractor, "The prefect closed the station. Media groups demand "
                                      "that the station be allowed to resume broadcasting.")
    assert "release" not in categories
    assert "arrest_detention" not in categories


def test_release_after_the_trigger_call_word(extractor: Extractor) -> None:
    text = "Le journaliste est en garde à vue. Les syndicats exigent sa libération immédiate."
    categories, _ = labels(extractor, text, "fr")
    assert "release" not in categories


@pytest.mark.parametrize("text", [
    "The reporter was charged with defamation and summoned to court.",
    "The editor faces charges of spreading false news.",
    "A businessman sued the newspaper for libel over the article.",
    "Prosecutors opened an investigation against the editor over his posts.",
    "The newspaper was fined for publishing the report.",
])
def test_legal_action_phrasings(extractor: Extractor, text: str) -> None:
    categories, _ = labels(extractor, text)
    assert "legal_action" in categories
    assert not {"imprisonment", "arrest_detention"} & categories


def test_in_charge_of_is_not_a_charge(extractor: Extractor) -> None:
    categories, _ = labels(extractor, "The officer in charge of the case told the reporter to "
                                      "leave the building.")
    assert "legal_action" not in categories


def test_facing_charges_is_legal_action_but_may_face_is_not(extractor: Extractor) -> None:
    assert "legal_action" in labels(extractor, "The blogger is facing charges of insulting "
                                               "the president.")[0]
    assert "legal_action" not in labels(extractor, "Lawyers warn the blogger could face "
                                                   "charges over the post.")[0]


@pytest.mark.parametrize(("language", "text"), [
    ("fr", "Le journaliste a été libéré sous caution mardi."),
    ("fr", "Les charges contre le journaliste ont été abandonnées."),
    ("fr", "La radio a été autorisée à reprendre ses émissions."),
    ("es", "El periodista fue puesto en libertad bajo fianza."),
    ("es", "La fiscalía retiró los cargos contra el periodista."),
    ("ru", "Журналиста освободили под залог."),
    ("ru", "Обвинения против журналиста были сняты."),
    ("ar", "أفرجت السلطات عن الصحفي بكفالة."),
    ("ar", "قررت المحكمة إسقاط التهم عن الصحفي."),
])
def test_releases_in_other_languages(extractor: Extractor, language: str, text: str) -> None:
    assert "release" in labels(extractor, text, language)[0]


@pytest.mark.parametrize(("language", "text"), [
    ("fr", "RSF exige la libération immédiate du journaliste."),
    ("fr", "Les autorités ont refusé de libérer le journaliste, qui devait être libéré lundi."),
    ("es", "La organización exige la liberación inmediata del periodista."),
    ("es", "El periodista debía ser liberado el lunes pero sigue detenido."),
    ("ru", "Организация требует немедленно освободить журналиста."),
    ("ru", "Суд отказал в освобождении журналиста под залог."),
    ("ar", "تطالب المنظمة بالإفراج الفوري عن الصحفي."),
    ("ar", "رفضت المحكمة الإفراج عن الصحفي بكفالة."),
])
def test_non_releases_in_other_languages(extractor: Extractor, language: str, text: str) -> None:
    assert "release" not in labels(extractor, text, language)[0]


def test_leaving_hospital_is_not_a_release(extractor: Extractor) -> None:
    categories, _ = labels(extractor, "The reporter was released from hospital after he was "
                                      "beaten by police.")
    assert "release" not in categories
    assert "physical_attack" in categories


@pytest.mark.parametrize("text", [
    "Ten years on, there is still no justice for the murdered reporter.",
    "The person who ordered the killing of the editor has never been identified.",
    "Those who attacked the station have yet to be brought to justice.",
])
def test_justice_still_missing_is_impunity(extractor: Extractor, text: str) -> None:
    assert "impunity" in labels(extractor, text)[0]
