"""The French, Spanish, Russian and Arabic term lists cover the most frequent
categories with common press-freedom phrasing (sentences written for the tests)."""

from __future__ import annotations

import pytest

from nlp.extractor import AlertText, Extractor

SENTENCES = [
    # (language, body, category, victim type)
    ("fr", "Le journaliste a été arrêté par la police à son domicile lundi.",
     "arrest_detention", "journalist"),
    ("fr", "Le journaliste a été tué par balles devant son domicile.", "killing", "journalist"),
    ("fr", "Le journaliste a été condamné à trois ans de prison ferme.",
     "imprisonment", "journalist"),
    ("fr", "Le journaliste a reçu des menaces de mort après son reportage.",
     "threat_harassment", "journalist"),
    ("fr", "Les autorités ont suspendu le journal pour trois mois.", "censorship", "media_outlet"),
    ("fr", "Les autorités ont coupé l'accès à internet dans tout le pays.",
     "internet_shutdown", "general_public"),
    ("es", "El periodista fue detenido por la policía el lunes.", "arrest_detention", "journalist"),
    ("es", "El periodista fue asesinado a tiros frente a su casa.", "killing", "journalist"),
    ("es", "El periodista fue condenado a tres años de prisión.", "imprisonment", "journalist"),
    ("es", "El periodista recibió amenazas de muerte tras publicar su reportaje.",
     "threat_harassment", "journalist"),
    ("es", "Las autoridades clausuraron el periódico y confiscaron sus equipos.",
     "censorship", "media_outlet"),
    ("es", "El gobierno cortó el acceso a internet en todo el país.",
     "internet_shutdown", "general_public"),
    ("ru", "Журналист был задержан полицией в понедельник.", "arrest_detention", "journalist"),
    ("ru", "Журналист был убит у своего дома.", "killing", "journalist"),
    ("ru", "Суд приговорил журналиста к трем годам лишения свободы.",
     "imprisonment", "journalist"),
    ("ru", "Журналист получил угрозы расправой после публикации.",
     "threat_harassment", "journalist"),
    ("ru", "Власти закрыли газету и заблокировали ее сайт.", "censorship", "media_outlet"),
    ("ru", "Власти отключили мобильный интернет во всем регионе.",
     "internet_shutdown", "general_public"),
    ("ar", "اعتقلت الشرطة الصحفي في منزله يوم الاثنين.", "arrest_detention", "journalist"),
    ("ar", "قُتل الصحفي بالرصاص أمام منزله.", "killing", "journalist"),
    ("ar", "حكمت المحكمة على الصحفي بالسجن ثلاث سنوات.", "imprisonment", "journalist"),
    ("ar", "تلقى الصحفي تهديدات بالقتل بعد نشر تقريره.", "threat_harassment", "journalist"),
    ("ar", "أغلقت السلطات الصحيفة وصادرت معداتها.", "censorship", "media_outlet"),
    ("ar", "قطعت السلطات الإنترنت في جميع أنحاء البلاد.", "internet_shutdown", "general_public"),
]


@pytest.mark.parametrize(("language", "text", "category", "victim"), SENTENCES)
def test_frequent_categories_in_each_language(extractor: Extractor, language: str, text: str,
                                              category: str, victim: str) -> None:
    result = extractor.extract_one(AlertText("t", "", text, language))
    assert category in result.categories
    assert victim in result.victim_types


@pytest.mark.parametrize(("language", "text", "victim"), [
    ("fr", "La police a arrêté deux syndicalistes et un militant des droits humains.",
     "human_rights_defender"),
    ("fr", "Le maire de la ville a été arrêté par les gendarmes.", "politician"),
    ("fr", "La police a dispersé les manifestants et blessé plusieurs protestataires.",
     "protester"),
    ("es", "La policía detuvo a dos dirigentes sindicales y a una ambientalista.",
     "human_rights_defender"),
    ("es", "El alcalde fue detenido por la policía el viernes.", "politician"),
    ("ru", "Полиция задержала лидера оппозиции у его дома.", "politician"),
    ("ru", "Полиция задержала участников митинга в центре города.", "protester"),
    ("ar", "اعتقلت الشرطة عددا من النشطاء والنقابيين.", "human_rights_defender"),
    ("ar", "اعتقلت الشرطة زعيم المعارضة في منزله.", "politician"),
])
def test_other_victim_types_in_each_language(extractor: Extractor, language: str, text: str,
                                             victim: str) -> None:
    assert victim in extractor.extract_one(AlertText("t", "", text, language)).victim_types


@pytest.mark.parametrize(("language", "text"), [
    ("fr", "Le journaliste est poursuivi pour diffamation et convoqué au tribunal."),
    ("es", "El periodista fue demandado por difamación y citado a declarar."),
    ("ru", "Против журналиста возбудили уголовное дело о клевете."),
    ("ar", "وجهت النيابة تهمة التشهير إلى الصحفي."),
])
def test_legal_action_in_each_language(extractor: Extractor, language: str, text: str) -> None:
    result = extractor.extract_one(AlertText("t", "", text, language))
    assert "legal_action" in result.categories
    assert "imprisonment" not in result.categories
