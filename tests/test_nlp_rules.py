"""Rules added in extractor 1.1.0, on sentences written for the tests."""

from __future__ import annotations

import pytest

from nlp.extractor import AlertText, Extractor


def run(extractor: Extractor, title: str, text: str = "", language: str = "en"):
    return extractor.extract_one(AlertText("t", title, text, language))


def test_outlet_before_a_journalist_word_is_a_modifier(extractor: Extractor) -> None:
    result = run(extractor, "Newspaper reporter detained in Kenya")
    assert "journalist" in result.victim_types
    assert "media_outlet" not in result.victim_types


def test_outlet_named_as_workplace_is_not_the_victim(extractor: Extractor) -> None:
    result = run(extractor, "Statement on Uganda",
                 "Police arrested the editor of the news website on Tuesday.")
    assert "media_outlet" not in result.victim_types


def test_outlet_attacked_is_still_a_victim(extractor: Extractor) -> None:
    result = run(extractor, "Gunmen attack radio station in Somalia")
    assert "media_outlet" in result.victim_types


def test_the_victims_counsel_is_not_a_victim(extractor: Extractor) -> None:
    result = run(extractor, "Blogger detained in Azerbaijan",
                 "The blogger was detained on Monday and his lawyer was not allowed to see him.")
    assert "lawyer" not in result.victim_types
    result = run(extractor, "Lawyer detained in Azerbaijan")
    assert "lawyer" in result.victim_types


def test_police_station_is_not_a_media_outlet(extractor: Extractor) -> None:
    result = run(extractor, "Reporter held in Pakistan",
                 "The reporter was detained at a police station in Lahore overnight.")
    assert "media_outlet" not in result.victim_types


def test_inverted_attribution_makes_a_source(extractor: Extractor) -> None:
    result = run(extractor, "Journalist arrested in Chad",
                 "The journalist was arrested at dawn, said the NGO that monitors the case.")
    assert "human_rights_defender" not in result.victim_types


def test_prison_sentence_absorbs_charges_and_trial(extractor: Extractor) -> None:
    result = run(extractor, "Editor sentenced to five years in prison in Iran",
                 "After a one-day trial the editor was convicted on charges of propaganda.")
    assert "imprisonment" in result.categories
    assert "legal_action" not in result.categories


def test_charges_without_prison_stay_legal_action(extractor: Extractor) -> None:
    result = run(extractor, "Reporter charged with defamation in Peru")
    assert "legal_action" in result.categories


def test_longer_trigger_wins_over_the_one_inside_it(extractor: Extractor) -> None:
    result = run(extractor, "Writer given travel ban in Egypt",
                 "A judge barred the novelist from leaving the country for three years.")
    assert "expulsion_entry_denial" in result.categories
    assert "censorship" not in result.categories


def test_suspended_sentence_is_not_censorship_or_prison(extractor: Extractor) -> None:
    result = run(extractor, "Journalist given suspended prison sentence in Turkey")
    assert "censorship" not in result.categories
    assert "imprisonment" not in result.categories
    assert "legal_action" in result.categories


def test_call_for_release_implies_detention(extractor: Extractor) -> None:
    result = run(extractor, "Tunisia: groups urge immediate release of jailed singer")
    assert "arrest_detention" in result.categories
    assert "release" not in result.categories
    assert "artist" in result.victim_types


def test_call_for_release_adds_nothing_when_prison_is_named(extractor: Extractor) -> None:
    result = run(extractor, "Iran: poet sentenced",
                 "PEN urged the immediate release of the poet, sentenced to six years in prison.")
    assert "arrest_detention" not in result.categories


def test_shutdown_blocking_is_not_also_censorship(extractor: Extractor) -> None:
    result = run(extractor, "Authorities block social media and suspend mobile internet")
    assert "internet_shutdown" in result.categories
    assert "censorship" not in result.categories


def test_interrupted_broadcast_is_censorship(extractor: Extractor) -> None:
    result = run(extractor, "Minister interrupts live broadcast of TV programme in Ghana")
    assert "censorship" in result.categories


def test_anniversary_without_a_killing_is_not_impunity(extractor: Extractor) -> None:
    result = run(extractor, "Fifth anniversary of the arrest of bloggers in China")
    assert "impunity" not in result.categories
    result = run(extractor, "Tenth anniversary of the killing of journalist in Russia")
    assert "impunity" in result.categories


def test_background_beating_far_down_is_not_counted(extractor: Extractor) -> None:
    filler = "The reporter covered local politics for many years. " * 8
    result = run(extractor, "Reporter detained in Serbia",
                 filler + "In 2005 another reporter was beaten in the same town.")
    assert "physical_attack" not in result.categories


@pytest.mark.parametrize(("language", "title", "text"), [
    ("fr", "Tchad : un journaliste en garde à vue",
     "Plusieurs ONG exigent la libération de la reporter."),
    ("es", "Periodista detenido en Cuba", "La organización exigió la liberación del periodista."),
])
def test_calls_for_release_in_other_languages(extractor: Extractor, language, title, text):
    result = run(extractor, title, text, language)
    assert "release" not in result.categories
    assert "arrest_detention" in result.categories
