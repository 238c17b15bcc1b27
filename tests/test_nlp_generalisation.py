"""Rules of extractor 1.3.1 and 1.4.0, from an overfitting audit and self-written alerts:
general domain wording in place of one record's phrasing, on sentences written for the
tests."""

from __future__ import annotations

import pytest

from nlp.extractor import AlertText, Extractor


def run(extractor: Extractor, title: str, text: str = "", language: str = "en"):
    return extractor.extract_one(AlertText("t", title, text, language))


@pytest.mark.parametrize(("language", "title", "text"), [
    ("en", "Media regulator in Georgia revokes licence of opposition TV channel",
     "The channel went dark hours after the decision."),
    ("en", "Nicaragua strips daily newspaper of its legal status", ""),
    ("fr", "Niger : le ministère retire la licence d'une radio privée",
     "La station a cessé d'émettre mardi."),
    ("es", "Nicaragua: el gobierno canceló la personería jurídica de un diario", ""),
])
def test_licence_taken_away_is_censorship(extractor: Extractor, language: str, title: str,
                                          text: str) -> None:
    assert "censorship" in run(extractor, title, text, language).categories


def test_a_registration_that_is_not_an_outlets_is_not_censorship(extractor: Extractor) -> None:
    result = run(extractor, "Bangladesh: the editor's car registration was cancelled")
    assert "censorship" not in result.categories


def test_seizes_is_censorship(extractor: Extractor) -> None:
    result = run(extractor, "Police in Zimbabwe seizes copies of independent weekly")
    assert "censorship" in result.categories


def test_red_tagging_is_harassment(extractor: Extractor) -> None:
    result = run(extractor, "Philippines: army red-tags community radio reporter",
                 "Soldiers handed out leaflets labelling the reporter a rebel.")
    assert "threat_harassment" in result.categories
    assert "journalist" in result.victim_types


def test_mandat_de_depot_is_detention(extractor: Extractor) -> None:
    result = run(extractor, "Sénégal : un journaliste placé sous mandat de dépôt",
                 "Il a été inculpé de diffusion de fausses nouvelles.", "fr")
    assert "arrest_detention" in result.categories


@pytest.mark.parametrize(("language", "title"), [
    ("en", "Authorities urged to end harassment of journalists and the media in Togo"),
    ("en", "Police harass reporters and media covering the vote in Togo"),
    ("fr", "Togo : des ONG dénoncent le harcèlement des journalistes et des médias"),
    ("es", "Togo: la policía hostiga a periodistas y medios durante la votación"),
])
def test_journalists_and_media_names_outlets_too(extractor: Extractor, language: str,
                                                 title: str) -> None:
    victims = run(extractor, title, "", language).victim_types
    assert {"journalist", "media_outlet"} <= set(victims)


@pytest.mark.parametrize("name", [
    "Lawyers for Human Rights", "Journalists for Human Rights", "Physicians for Human Rights",
])
def test_ngo_named_for_human_rights_is_not_a_victim(extractor: Extractor, name: str) -> None:
    result = run(extractor, "Blogger charged in Thailand",
                 f"According to {name}, the blogger was charged on Monday.")
    assert not {"lawyer", "journalist"} & set(result.victim_types)
    assert result.primary_country == "TH"


@pytest.mark.parametrize(("language", "text"), [
    ("fr", "Des militants se mobilisent pour réclamer la libération du reporter détenu."),
    ("es", "Los activistas se movilizan para exigir la liberación del reportero detenido."),
])
def test_callers_with_an_infinitive_are_not_victims(extractor: Extractor, language: str,
                                                    text: str) -> None:
    victims = run(extractor, "", text, language).victim_types
    assert "human_rights_defender" not in victims
    assert "journalist" in victims


@pytest.mark.parametrize(("language", "text"), [
    ("en", "The ministry ordered the blocking of the news website for two months."),
    ("fr", "Le ministère a ordonné le blocage du site d'information pendant deux mois."),
    ("es", "El regulador ordenó el bloqueo del sitio de noticias por su cobertura."),
    ("ru", "Роскомнадзор потребовал блокировку сайта независимого издания."),
])
def test_ordering_an_outlet_blocked_is_censorship(extractor: Extractor, language: str,
                                                  text: str) -> None:
    assert "censorship" in run(extractor, "Statement", text, language).categories


def test_a_travel_ban_on_someone_is_not_also_censorship(extractor: Extractor) -> None:
    result = run(extractor, "Statement",
                 "Authorities imposed a travel ban on the activist after her speech.")
    assert result.categories == ["expulsion_entry_denial"]


@pytest.mark.parametrize(("text", "category"), [
    ("The reporter is in hospital after attackers hacked him with machetes.", "physical_attack"),
    ("The activist, detained in March, died under torture, his family said.", "killing"),
    ("The photographer succumbed to his injuries two days after the attack.", "killing"),
])
def test_attacks_and_deaths_told_in_other_words(extractor: Extractor, text: str,
                                                category: str) -> None:
    result = run(extractor, "Statement", text)
    assert category in result.categories
    assert "surveillance" not in result.categories


def test_a_radio_host_is_a_journalist_not_an_outlet(extractor: Extractor) -> None:
    result = run(extractor, "Radio host receives death threats", "")
    assert result.victim_types == ["journalist"]


@pytest.mark.parametrize(("language", "text"), [
    ("es", "El régimen desterró a los presos políticos y los despojó de su nacionalidad."),
    ("es", "Las autoridades expulsan a una corresponsal extranjera."),
    ("fr", "Le gouvernement expulse un correspondant étranger."),
    ("fr", "L'opposant a été déchu de sa nationalité."),
])
def test_exile_and_stripped_nationality_are_expulsion(extractor: Extractor, language: str,
                                                      text: str) -> None:
    result = run(extractor, "Statement", text, language)
    assert "expulsion_entry_denial" in result.categories
