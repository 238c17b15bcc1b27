"""Categories, victim types, evidence and languages, on sentences written for the tests."""

from __future__ import annotations

import pytest

from nlp.extractor import AlertText, Extractor


def run(extractor: Extractor, title: str, text: str = "", language: str | None = "en"):
    return extractor.extract_one(AlertText("t", title, text, language))


def test_violation_and_victim(extractor: Extractor) -> None:
    result = run(extractor, "Journalist shot dead in Honduras")
    assert result.categories == ["killing"]
    assert result.victim_types == ["journalist"]


def test_negated_arrest_is_not_counted(extractor: Extractor) -> None:
    result = run(extractor, "Statement on Kenya",
                 "The editor was not arrested, police said, but his newspaper was raided.")
    assert "arrest_detention" not in result.categories


def test_reported_risk_is_not_the_violation(extractor: Extractor) -> None:
    result = run(extractor, "Concern for reporter in Belarus",
                 "Colleagues say the reporter fears he may be arrested after the broadcast.")
    assert "arrest_detention" not in result.categories


def test_call_for_release_is_not_a_release(extractor: Extractor) -> None:
    result = run(extractor, "Blogger detained in Egypt",
                 "Rights groups urged the immediate release of the blogger.")
    assert "arrest_detention" in result.categories
    assert "release" not in result.categories


def test_released_is_kept_apart_from_the_detention(extractor: Extractor) -> None:
    result = run(extractor, "Cameroon: journalist released after two months in detention")
    assert {"release", "arrest_detention"} <= set(result.categories)


def test_released_a_report_is_not_a_release(extractor: Extractor) -> None:
    result = run(extractor, "Press freedom group released a report on Mexico")
    assert "release" not in result.categories


def test_internet_shutdown_implies_general_public(extractor: Extractor) -> None:
    result = run(extractor, "Authorities shut down mobile internet in Ethiopia during exams")
    assert "internet_shutdown" in result.categories
    assert "general_public" in result.victim_types


def test_organisation_names_are_not_victims(extractor: Extractor) -> None:
    result = run(extractor, "Lawyer detained in Russia",
                 "The Committee to Protect Journalists said the lawyer was detained.")
    assert "journalist" not in result.victim_types
    assert "lawyer" in result.victim_types


def test_evidence_offsets_slice_to_the_evidence_text(extractor: Extractor) -> None:
    alert = AlertText("t", "Nigeria: editor arrested and beaten",
                      "Police in Lagos arrested the editor of a daily newspaper on Monday.", "en")
    result = extractor.extract_one(alert)
    assert result.evidence
    for evidence in result.evidence:
        part = getattr(alert, evidence.part)
        assert part[evidence.start:evidence.end] == evidence.text
    fields = {evidence.field for evidence in result.evidence}
    assert fields == {"countries", "categories", "victim_types"}


@pytest.mark.parametrize(("language", "title", "category", "victim"), [
    ("en", "Reporter arrested in Ghana", "arrest_detention", "journalist"),
    ("fr", "Sénégal : un journaliste arrêté par la police", "arrest_detention", "journalist"),
    ("es", "Periodista asesinado en Honduras", "killing", "journalist"),
    ("ru", "В Беларуси задержан журналист", "arrest_detention", "journalist"),
    ("ar", "اعتقال صحفي في مصر", "arrest_detention", "journalist"),
])
def test_each_language(extractor: Extractor, language, title, category, victim) -> None:
    result = run(extractor, title, "", None)
    assert result.language == language
    assert category in result.categories
    assert victim in result.victim_types


def test_extract_keeps_input_order_across_languages(extractor: Extractor) -> None:
    alerts = [AlertText(str(i), title, "", None) for i, title in enumerate([
        "Reporter arrested in Ghana", "Periodista asesinado en Honduras",
        "Sénégal : un journaliste arrêté", "Blogger jailed in Vietnam"])]
    assert [result.id for result in extractor.extract(alerts)] == ["0", "1", "2", "3"]
