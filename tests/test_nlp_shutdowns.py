"""Internet shutdowns, the trend IFEX staff track first: the many ways alerts tell of
a network cut, throttled or a platform blocked, on sentences written for the tests."""

from __future__ import annotations

import pytest

from nlp.extractor import AlertText, Extractor


def categories(extractor: Extractor, title: str, text: str, language: str = "en") -> list:
    return extractor.extract_one(AlertText("t", title, text, language)).categories


@pytest.mark.parametrize(("language", "title", "text"), [
    ("en", "Authorities block Facebook and WhatsApp nationwide ahead of vote", ""),
    ("en", "Internet access restricted in restive province",
     "Monitors saw connectivity fall after operators were ordered to throttle services."),
    ("en", "Regulator orders operators to suspend mobile data during exams", ""),
    ("en", "Communications blackout", "Telephone and internet services were cut off again."),
    ("en", "A year offline", "The region remains without internet or phone services."),
    ("en", "Platforms unreachable", "Telegram and Instagram have been inaccessible since Monday."),
    ("fr", "Coupure d'internet après les résultats", "Les habitants sont sans internet."),
    ("es", "Cortes de internet durante las protestas",
     "La empresa restringió el acceso a las redes sociales en toda la isla."),
    ("ru", "В регионе отключили мобильный интернет", "Жители остаются без интернета."),
    ("ar", "قطع الإنترنت في البلاد", "قطعت السلطات خدمة الإنترنت عبر الهاتف المحمول."),
])
def test_shutdown_wordings(extractor: Extractor, language: str, title: str,
                           text: str) -> None:
    assert "internet_shutdown" in categories(extractor, title, text, language)


@pytest.mark.parametrize("text", [
    "Police arrested the blogger without a warrant over a Facebook post.",
    "The editor published the story on the internet without the minister's approval.",
])
def test_without_far_from_the_network_is_not_a_shutdown(extractor: Extractor,
                                                         text: str) -> None:
    assert "internet_shutdown" not in categories(extractor, "Blogger detained", text)


@pytest.mark.parametrize(("text", "lang"), [
    ("Власти заблокировали интернет-издание «Вечерний вестник» по решению суда.", "ru"),
    ("Authorities blocked the internet news site Daily Clarion over its coverage.", "en"),
    ("Les autorités ont bloqué le site internet du journal Le Phare.", "fr"),
    ("Las autoridades bloquearon el sitio de internet del diario El Heraldo.", "es"),
    ("حجبت السلطات موقع الإنترنت التابع لصحيفة الفجر.", "ar"),
])
def test_a_network_word_that_names_a_medium_is_no_shutdown(extractor, text, lang):
    """"интернет-издание", "internet news site": blocking an online outlet is censorship."""
    got = categories(extractor, "Statement", text, lang)
    assert "internet_shutdown" not in got
    assert "censorship" in got
