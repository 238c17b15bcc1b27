"""Category rules added in extractor 1.3.0 (``nlp.senses``, ``nlp.labels``), on
sentences written for the tests: penalties a law provides, suspended sentences, the
topic of a victim's work, threats to abstractions, impunity told as "no one has been
charged", idioms with the word "law", and negation words that YAML would read as
booleans."""

from __future__ import annotations

import pytest

from nlp.extractor import AlertText, Extractor
from nlp.pipeline import SUPPORTED
from nlp.terms import language_terms


def categories(extractor: Extractor, text: str, language: str = "en") -> set[str]:
    return set(extractor.extract_one(AlertText("t", "Statement", text, language)).categories)


@pytest.mark.parametrize(("language", "text"), [
    ("en", "Defamation is punishable by up to three years in prison under the penal code."),
    ("fr", "La diffamation est passible de cinq ans de prison."),
    ("es", "La difamación es castigada con penas de hasta tres años de prisión."),
    ("ru", "Клевета наказывается лишением свободы на срок до трех лет."),
])
def test_a_penalty_the_law_provides_is_not_a_prison_sentence(
        extractor: Extractor, language: str, text: str) -> None:
    assert "imprisonment" not in categories(extractor, text, language)


@pytest.mark.parametrize(("language", "text"), [
    ("en", "The amendment criminalises false news with up to five years in prison."),
    ("en", "The bill sets prison terms of up to ten years for insulting officials."),
    ("fr", "Le texte punit les fausses nouvelles de jusqu'à cinq ans de prison."),
    ("ru", "Закон вводит лишение свободы на срок до пяти лет за фейки."),
])
def test_a_maximum_penalty_is_not_a_prison_sentence(
        extractor: Extractor, language: str, text: str) -> None:
    assert "imprisonment" not in categories(extractor, text, language)


@pytest.mark.parametrize("text", [
    "Critics say the new cybercrime law threatens online speech.",
    "The decree threatens freedom of expression and the rights of journalists.",
])
def test_a_threat_to_speech_or_rights_is_not_harassment(extractor: Extractor,
                                                        text: str) -> None:
    assert "threat_harassment" not in categories(extractor, text)


def test_a_sentence_handed_down_is_imprisonment(extractor: Extractor) -> None:
    text = "The editor was sentenced to three years in prison on Monday."
    assert "imprisonment" in categories(extractor, text)


@pytest.mark.parametrize(("language", "text"), [
    ("en", "A court handed the columnist an 18-month suspended prison term."),
    ("fr", "Le directeur du journal a été condamné à deux ans de prison avec sursis."),
    ("es", "El periodista fue condenado a dos años de prisión condicional."),
    ("ru", "Журналиста приговорили к двум годам лишения свободы условно."),
    ("ar", "حكمت المحكمة على الصحفي بالسجن سنة مع وقف التنفيذ."),
])
def test_suspended_sentence_is_legal_action_only(extractor: Extractor, language: str,
                                                 text: str) -> None:
    assert categories(extractor, text, language) == {"legal_action"}


def test_prison_and_a_separate_suspension_stay_apart(extractor: Extractor) -> None:
    text = "He was sentenced to two years in prison and his newspaper was suspended."
    assert categories(extractor, text) == {"imprisonment", "censorship"}


@pytest.mark.parametrize(("language", "text"), [
    ("en", "He was arrested over an article about torture in police custody."),
    ("fr", "Il a été arrêté pour un article sur la torture dans les prisons."),
    ("es", "Fue detenido por un artículo sobre la tortura en las cárceles."),
    ("ru", "Журналист был арестован за статью о пытках в тюрьмах."),
    ("ar", "اعتقل الصحفي بسبب مقال عن التعذيب في السجون."),
])
def test_the_topic_of_an_article_is_not_a_violation(extractor: Extractor, language: str,
                                                    text: str) -> None:
    assert categories(extractor, text, language) == {"arrest_detention"}


def test_torture_of_the_victim_still_counts(extractor: Extractor) -> None:
    text = "The reporter was tortured in police custody after his article appeared."
    assert "physical_attack" in categories(extractor, text)


@pytest.mark.parametrize(("language", "text"), [
    ("en", "The measures threaten media freedom in the country, critics warned."),
    ("fr", "La ministre a dénoncé les menaces contre la liberté de la presse."),
    ("es", "El ministro dijo que las amenazas a la libertad de prensa no serán toleradas."),
    ("ru", "Министр заявил, что угрозы свободе прессы недопустимы."),
    ("ar", "قال الوزير إن التهديدات لحرية الصحافة غير مقبولة."),
])
def test_a_threat_to_an_abstraction_is_not_harassment(extractor: Extractor, language: str,
                                                      text: str) -> None:
    assert "threat_harassment" not in categories(extractor, text, language)


def test_a_threat_to_a_person_is_harassment(extractor: Extractor) -> None:
    text = "Unknown men threatened the editor and his family on Monday."
    assert "threat_harassment" in categories(extractor, text)


@pytest.mark.parametrize(("language", "text"), [
    ("en", "Three years after the murder, no one has been charged."),
    ("fr", "Trois ans après le meurtre, personne n'a été inculpé."),
    ("es", "Tres años después del asesinato, nadie ha sido procesado."),
])
def test_no_one_charged_is_impunity_not_legal_action(extractor: Extractor, language: str,
                                                     text: str) -> None:
    assert categories(extractor, text, language) == {"killing", "impunity"}


@pytest.mark.parametrize(("language", "text"), [
    ("en", "Police were deployed to maintain law and order during the vote."),
    ("es", "La policía actuará contra las bandas que operan fuera de la ley en la región."),
    ("fr", "La police doit faire respecter la loi, a déclaré le ministre."),
])
def test_law_in_idioms_is_not_a_restrictive_law(extractor: Extractor, language: str,
                                                text: str) -> None:
    assert "restrictive_law" not in categories(extractor, text, language)


@pytest.mark.parametrize(("language", "text"), [
    ("en", "Parliament passed a law that restricts the work of journalists."),
    ("fr", "Le gouvernement a adopté une loi qui restreint le travail des journalistes."),
    ("es", "El Congreso aprobó una ley que restringe el trabajo de los periodistas."),
    ("ru", "Депутаты приняли закон, ограничивающий работу журналистов."),
    ("ar", "أقر البرلمان القانون الجديد الذي يقيد عمل الصحفيين."),
])
def test_a_law_with_a_restricting_verb_is_restrictive_law(
        extractor: Extractor, language: str, text: str) -> None:
    assert "restrictive_law" in categories(extractor, text, language)


@pytest.mark.parametrize(("language", "text"), [
    ("en", "No journalist was arrested during the vote."),
    ("es", "El periodista no fue detenido durante la votación."),
])
def test_no_negates(extractor: Extractor, language: str, text: str) -> None:
    assert "arrest_detention" not in categories(extractor, text, language)


@pytest.mark.parametrize("language", SUPPORTED)
def test_term_lists_hold_only_strings(language: str) -> None:
    """YAML reads a bare ``no`` as False: every cue and term must stay a string."""
    def leaves(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key != "window":
                    yield from leaves(item)
        elif isinstance(value, list):
            for item in value:
                yield from leaves(item)
        else:
            yield value

    assert all(isinstance(leaf, str) for leaf in leaves(language_terms(language)))


def test_one_mention_counts_once(extractor: Extractor) -> None:
    """"charged" and "charged with" are one mention: far down the body, one mention of
    a broad category is not enough."""
    lead = "The journalist has worked for the weekly for twenty years and covered the city. " * 4
    text = lead + "She was charged with insulting the president."
    assert "legal_action" not in categories(extractor, text)


@pytest.mark.parametrize(("language", "text"), [
    ("en", "A court acquitted the three suspects in the murder of the journalist."),
    ("en", "The gunmen who killed the reporter were released on bail on Monday."),
    ("fr", "Les suspects du meurtre du journaliste ont été libérés."),
    ("es", "El tribunal absolvió a los sospechosos del asesinato del periodista."),
    ("ru", "Подозреваемые в убийстве журналиста были освобождены."),
])
def test_freeing_suspected_killers_is_impunity_not_release(
        extractor: Extractor, language: str, text: str) -> None:
    assert categories(extractor, text, language) == {"killing", "impunity"}


@pytest.mark.parametrize("text", [
    "Police released the journalist on Monday.",
    "The reporter was released after the suspects were arrested.",
])
def test_freeing_the_victim_stays_a_release(extractor: Extractor, text: str) -> None:
    found = categories(extractor, text)
    assert "release" in found
    assert "impunity" not in found


@pytest.mark.parametrize(("language", "text"), [
    ("en", "The journalist was charged under the cybercrime law on Monday."),
    ("fr", "Le journaliste a été inculpé en vertu de la loi sur la presse."),
    ("es", "El periodista fue acusado en virtud de la ley de prensa."),
])
def test_a_law_named_as_the_basis_of_a_charge_is_not_the_news(
        extractor: Extractor, language: str, text: str) -> None:
    assert categories(extractor, text, language) == {"legal_action"}


def test_a_new_law_stays_restrictive_law(extractor: Extractor) -> None:
    assert "restrictive_law" in categories(extractor, "Parliament adopted a new cybercrime law.")


@pytest.mark.parametrize(("language", "text", "category"), [
    ("en", "The editor was stabbed outside his home on Monday.", "physical_attack"),
    ("fr", "Le journaliste a été poignardé devant son domicile.", "physical_attack"),
    ("es", "El periodista fue apuñalado frente a su casa.", "physical_attack"),
    ("en", "The reporter faced a hate campaign and doxxing after her report.",
     "threat_harassment"),
    ("es", "La periodista denunció señalamientos del alcalde en su contra.",
     "threat_harassment"),
    ("en", "The authorities imposed travel bans on five reporters.", "expulsion_entry_denial"),
])
def test_added_domain_vocabulary(extractor: Extractor, language: str, text: str,
                                 category: str) -> None:
    assert category in categories(extractor, text, language)


@pytest.mark.parametrize(("language", "text"), [
    ("en", "The blogger was imprisoned for 100 days in pretrial detention before the hearing."),
    ("fr", "Le journaliste est incarcéré depuis trois mois en détention provisoire."),
    ("es", "El periodista lleva tres meses encarcelado en prisión preventiva."),
])
def test_pretrial_custody_is_detention_not_imprisonment(
        extractor: Extractor, language: str, text: str) -> None:
    assert categories(extractor, text, language) == {"arrest_detention"}


def test_reporting_a_threat_is_not_being_sued_in_spanish(extractor: Extractor) -> None:
    active = "El comunicador había denunciado amenazas de grupos armados."
    passive = "El comunicador fue denunciado por difamación por un empresario."
    assert "legal_action" not in categories(extractor, active, "es")
    assert "legal_action" in categories(extractor, passive, "es")
