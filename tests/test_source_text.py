"""Shared text handling of every connector: charset detection and HTML rendering."""

from __future__ import annotations

import pytest

from models.records import ParseError
from pipelines.sources.charsets import decode_bytes, detected_charset
from pipelines.sources.text import html_to_text

FRENCH = "Le journaliste Jérôme Lefèvre a été arrêté à Abidjan. Son matériel a été saisi."
RUSSIAN = "Журналист Иван Петров задержан в Москве. Газета закрыта по решению суда."


@pytest.mark.parametrize("charset", ["latin-1", "cp1252"])
def test_undeclared_western_text_is_not_read_as_central_european(charset: str) -> None:
    data = FRENCH.encode(charset)
    assert detected_charset(data) in ("cp1252", "latin_1", "iso8859_15")
    assert decode_bytes(data) == FRENCH


@pytest.mark.parametrize("charset", ["koi8-r", "cp1251"])
def test_undeclared_cyrillic_still_decodes(charset: str) -> None:
    assert decode_bytes(RUSSIAN.encode(charset)) == RUSSIAN


def test_declared_charset_wins_and_utf8_comes_first() -> None:
    assert decode_bytes(RUSSIAN.encode("koi8-r"), "koi8-r") == RUSSIAN
    assert decode_bytes(FRENCH.encode("utf-8"), "koi8-r") == FRENCH
    assert decode_bytes("CafÃ© fermÃ©".encode()) == "Café fermé"  # mojibake repaired


def test_wrong_declared_charset_falls_back_to_detection() -> None:
    assert decode_bytes(FRENCH.encode("latin-1"), "no-such-charset") == FRENCH


def test_undecodable_bytes_are_a_parse_error() -> None:
    with pytest.raises(ParseError) as caught:
        decode_bytes(bytes(range(128, 256)) * 3 + b"\x00\xff\xfe")
    assert caught.value.reason == "undecodable"


def test_br_is_one_line_and_paragraphs_a_blank_line() -> None:
    html = "<p>Line one<br />\nLine two\ncontinued</p>\n<p>Next&nbsp;paragraph</p>a<br><br>b"
    assert html_to_text(html) == "Line one\nLine two continued\n\nNext paragraph\n\na\n\nb"


def test_lists_are_dash_lines() -> None:
    html = ("<p>Demands:</p><ul>\n<li>Release him</li>\n<li><p>Drop the <b>charges</b></p></li>"
            "<li>Return <ol><li>his laptop</li></ol></li><li> </li></ul><p>End.</p>")
    assert html_to_text(html) == ("Demands:\n\n- Release him\n- Drop the charges\n- Return\n"
                                  "- his laptop\n\nEnd.")


def test_scripts_styles_and_figures_are_removed() -> None:
    html = ("<style>p {color: red}</style><p>Text &amp; more.</p><script>track()</script>"
            "<figure><img src='x.jpg'><figcaption>Photo: agency</figcaption></figure>"
            "<noscript>enable js</noscript><p>After.</p>")
    assert html_to_text(html) == "Text & more.\n\nAfter."


def test_tables_and_preformatted_text_keep_their_lines() -> None:
    html = "<table><tr><th>Name</th><th>Days</th></tr><tr><td>Ana</td><td>3</td></tr></table>" \
           "<pre>line 1\nline 2</pre>"
    assert html_to_text(html) == "Name Days\nAna 3\n\nline 1\nline 2"


def test_text_without_tags_keeps_its_lines_and_decodes_entities() -> None:
    assert html_to_text("Mail from &lt;desk@example.org&gt;\nsecond line\n\n\n\npara") == (
        "Mail from <desk@example.org>\nsecond line\n\npara")
    assert html_to_text("a < b and <desk@example.org>") == "a < b and <desk@example.org>"
