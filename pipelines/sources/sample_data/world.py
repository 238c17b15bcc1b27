"""Countries, member organisations and the yearly trends of the sample archive."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SampleCountry:
    """A country alerts are about: weight, name group for people, local languages, cities."""

    code: str
    weight: float
    people: str
    languages: tuple[str, ...]
    cities: tuple[str, ...]


def _rows(spec: str) -> tuple[SampleCountry, ...]:
    rows = []
    for line in spec.strip().splitlines():
        code, weight, people, langs, cities = (part.strip() for part in line.split("|"))
        rows.append(SampleCountry(code, float(weight), people,
                                  tuple(lang for lang in langs.split(",") if lang),
                                  tuple(city.strip() for city in cities.split(";"))))
    return tuple(rows)


COUNTRIES: tuple[SampleCountry, ...] = _rows("""
MX|6|latam|es|Mexico City;Veracruz;Tijuana;Culiacán;Acapulco
CO|5|latam|es|Bogotá;Cali;Medellín;Barranquilla
BR|4|latam||São Paulo;Rio de Janeiro;Brasília;Manaus
HN|2|latam|es|Tegucigalpa;San Pedro Sula
GT|2|latam|es|Guatemala City;Quetzaltenango
VE|3|latam|es|Caracas;Maracaibo;Valencia
PE|2|latam|es|Lima;Cusco;Arequipa
AR|1.5|latam|es|Buenos Aires;Córdoba;Rosario
CU|2|latam|es|Havana;Santiago de Cuba
NI|1.5|latam|es|Managua;León
SV|1|latam|es|San Salvador
EC|1|latam|es|Quito;Guayaquil
US|2|anglo||Washington;New York;Minneapolis;Ferguson
HT|1|franco|fr|Port-au-Prince
EG|5|arab|ar|Cairo;Alexandria;Port Said
SY|4|arab|ar|Damascus;Aleppo;Homs
IQ|4|arab|ar|Baghdad;Mosul;Erbil;Basra
SA|2|arab|ar|Riyadh;Jeddah
BH|2|arab|ar|Manama
YE|2|arab|ar|Sanaa;Aden;Taiz
LB|1.5|arab|ar|Beirut;Tripoli
MA|2|arab|ar,fr|Rabat;Casablanca
TN|2|arab|ar,fr|Tunis;Sfax
DZ|2|arab|ar,fr|Algiers;Oran
PS|3|arab|ar|Gaza City;Ramallah;Hebron
JO|1|arab|ar|Amman
LY|1.5|arab|ar|Tripoli;Benghazi
SD|2|arab|ar|Khartoum;Omdurman
IR|5|persian||Tehran;Isfahan;Mashhad;Tabriz
AF|3|persian||Kabul;Kandahar;Herat
TR|6|turkish||Istanbul;Ankara;Diyarbakır;Izmir
RU|5|slavic|ru|Moscow;Saint Petersburg;Grozny;Yekaterinburg
BY|3|slavic|ru|Minsk;Brest;Gomel
UA|2.5|slavic||Kyiv;Kharkiv;Odesa;Donetsk
AZ|2.5|caucasus|ru|Baku;Ganja
KZ|2|central|ru|Almaty;Astana
KG|1|central|ru|Bishkek;Osh
TJ|1|central|ru|Dushanbe
UZ|1.5|central|ru|Tashkent;Samarkand
TM|1|central|ru|Ashgabat
GE|1|caucasus||Tbilisi;Batumi
AM|0.7|caucasus||Yerevan
CN|5|chinese||Beijing;Shanghai;Urumqi;Chengdu
HK|1.5|chinese||Hong Kong
VN|2.5|seasia||Hanoi;Ho Chi Minh City;Da Nang
MM|3|seasia||Yangon;Mandalay;Naypyidaw
TH|1.5|seasia||Bangkok;Chiang Mai
KH|1.5|seasia||Phnom Penh
PH|4|seasia||Manila;Davao City;Cebu City
ID|2|seasia||Jakarta;Jayapura;Makassar
MY|1.5|seasia||Kuala Lumpur;Penang
IN|5|southasia||New Delhi;Srinagar;Mumbai;Chennai
PK|5|southasia||Islamabad;Karachi;Peshawar;Lahore
BD|3|southasia||Dhaka;Chittagong
LK|2|southasia||Colombo;Jaffna
NP|1|southasia||Kathmandu
SO|3|eastafrica||Mogadishu;Hargeisa
ET|2|eastafrica||Addis Ababa
ER|1|eastafrica||Asmara
KE|2|eastafrica||Nairobi;Mombasa
UG|2|eastafrica||Kampala;Gulu
TZ|1.5|eastafrica||Dar es Salaam;Arusha
RW|1|eastafrica||Kigali
BI|1|franco|fr|Bujumbura
CD|3|franco|fr|Kinshasa;Goma;Bukavu;Lubumbashi
CM|2|franco|fr|Yaoundé;Douala;Bamenda
CI|1.5|franco|fr|Abidjan;Bouaké
SN|1|franco|fr|Dakar
BF|1|franco|fr|Ouagadougou
GN|1|franco|fr|Conakry
NE|1|franco|fr|Niamey
ML|1|franco|fr|Bamako
TD|1|franco|fr|N'Djamena
NG|4|westafrica||Lagos;Abuja;Port Harcourt;Kano
GH|1.5|westafrica||Accra;Kumasi
GM|1|westafrica||Banjul
SL|1|westafrica||Freetown
LR|1|westafrica||Monrovia
ZW|3|southafrica||Harare;Bulawayo
ZM|1.5|southafrica||Lusaka
ZA|1|southafrica||Johannesburg;Cape Town
MW|1|southafrica||Lilongwe
GB|1|europe||London;Belfast
FR|1|europe|fr|Paris;Marseille
RS|1.5|europe||Belgrade;Novi Sad
HU|1|europe||Budapest
PL|1|europe||Warsaw
GR|1|europe||Athens
MT|0.5|europe||Valletta
SK|0.5|europe||Bratislava
IT|1|europe||Rome;Naples
ES|1|europe|es|Madrid;Barcelona
BA|1|europe||Sarajevo
XK|0.7|europe||Pristina
""")

COUNTRY_BOOSTS: dict[str, tuple[int, int, float]] = {
    "SY": (2011, 2030, 3.0), "UA": (2014, 2030, 2.5), "YE": (2015, 2030, 2.0),
    "LY": (2011, 2020, 2.0), "EG": (2011, 2016, 1.8), "MM": (2021, 2030, 2.5),
    "BY": (2020, 2030, 2.5), "IQ": (2003, 2010, 2.0), "AF": (2021, 2030, 2.0),
    "DZ": (1995, 1999, 3.0), "RS": (1995, 2000, 2.0), "HK": (2019, 2030, 2.5),
}
"""(from year, to year, factor): periods in which a country is reported on much more."""


@dataclass(frozen=True)
class Organisation:
    """An IFEX member that publishes alerts: where it is based, what it covers, its languages."""

    code: str
    name: str
    short: str
    base: str
    weight: float
    scope: frozenset[str]  # empty: reports on every country
    languages: tuple[tuple[str, float], ...]
    years: tuple[int, int]


def _org(code, name, short, base, weight, scope="", langs="en:1", years=(1995, 2100)):
    pairs = tuple((lang, float(w)) for lang, w in (p.split(":") for p in langs.split()))
    return Organisation(code, name, short, base, weight, frozenset(scope.split()), pairs, years)


ORGANISATIONS: tuple[Organisation, ...] = (
    _org("cpj", "Committee to Protect Journalists", "CPJ", "New York", 3.0,
         langs="en:0.72 es:0.14 ar:0.08 ru:0.06"),
    _org("rsf", "Reporters Without Borders", "RSF", "Paris", 3.0,
         langs="en:0.55 fr:0.35 es:0.05 ar:0.03 ru:0.02"),
    _org("ifj", "International Federation of Journalists", "IFJ", "Brussels", 2.0,
         langs="en:0.65 fr:0.15 es:0.15 ar:0.05"),
    _org("a19", "ARTICLE 19", "ARTICLE 19", "London", 1.5,
         langs="en:0.85 es:0.1 ar:0.05"),
    _org("ipi", "International Press Institute", "IPI", "Vienna", 1.0),
    _org("ioc", "Index on Censorship", "Index", "London", 0.8),
    _org("pen", "PEN International", "PEN International", "London", 0.6,
         langs="en:0.8 es:0.1 fr:0.1"),
    _org("cjfe", "Canadian Journalists for Free Expression", "CJFE", "Toronto", 0.8,
         years=(1995, 2019)),
    _org("flip", "Fundación para la Libertad de Prensa", "FLIP", "Bogotá", 4.0, "CO",
         "es:0.85 en:0.15"),
    _org("ipys", "Instituto Prensa y Sociedad", "IPYS", "Lima", 3.0, "PE VE EC",
         "es:0.8 en:0.2"),
    _org("fopea", "Foro de Periodismo Argentino", "FOPEA", "Buenos Aires", 3.0, "AR",
         "es:0.9 en:0.1", (2002, 2100)),
    _org("a19mx", "ARTICLE 19 Mexico and Central America", "ARTICLE 19 MX-CA", "Mexico City",
         3.0, "MX GT HN SV NI CU", "es:0.75 en:0.25", (2006, 2100)),
    _org("mfwa", "Media Foundation for West Africa", "MFWA", "Accra", 4.0,
         "NG GH GM SL LR SN CI BF GN NE ML", "en:0.8 fr:0.2", (1997, 2100)),
    _org("jed", "Journaliste en danger", "JED", "Kinshasa", 4.0, "CD CG BI", "fr:0.85 en:0.15",
         (1998, 2100)),
    _org("smex", "Social Media Exchange", "SMEX", "Beirut", 2.0,
         "LB SY IQ JO EG SA BH YE PS TN MA DZ LY SD", "ar:0.5 en:0.5", (2008, 2100)),
    _org("anhri", "Arabic Network for Human Rights Information", "ANHRI", "Cairo", 2.5,
         "EG SY IQ SA BH YE LB JO TN MA DZ LY SD PS", "ar:0.7 en:0.3", (2004, 2022)),
    _org("gchr", "Gulf Centre for Human Rights", "GCHR", "Beirut", 2.5, "BH SA YE IQ",
         "en:0.6 ar:0.4", (2011, 2100)),
    _org("adilsoz", "Adil Soz International Foundation for Freedom of Speech", "Adil Soz",
         "Almaty", 4.0, "KZ KG TJ UZ TM", "ru:0.75 en:0.25"),
    _org("gdf", "Glasnost Defence Foundation", "GDF", "Moscow", 3.0, "RU BY AZ",
         "ru:0.8 en:0.2"),
    _org("ppf", "Pakistan Press Foundation", "PPF", "Karachi", 3.0, "PK"),
    _org("fmm", "Free Media Movement", "FMM", "Colombo", 3.0, "LK"),
    _org("cmfr", "Center for Media Freedom and Responsibility", "CMFR", "Manila", 3.0, "PH"),
    _org("seapa", "Southeast Asian Press Alliance", "SEAPA", "Bangkok", 2.0,
         "TH MY ID KH MM VN PH", years=(1998, 2100)),
    _org("misa", "Media Institute of Southern Africa", "MISA", "Windhoek", 4.0,
         "ZW ZM ZA MW TZ"),
)

CATEGORY_WEIGHTS: dict[str, float] = {
    "arrest_detention": 20, "threat_harassment": 13, "physical_attack": 12,
    "legal_action": 11, "censorship": 12, "killing": 7, "imprisonment": 5,
    "abduction_disappearance": 4, "expulsion_entry_denial": 4, "restrictive_law": 5,
    "impunity": 2.5, "surveillance": 0.5, "internet_shutdown": 0.0,
}

VICTIM_WEIGHTS: dict[str, float] = {
    "journalist": 48, "media_worker": 5, "blogger": 0.5, "writer": 5, "artist": 3,
    "human_rights_defender": 11, "lawyer": 3.5, "academic": 3.5, "protester": 3,
    "politician": 2.5,
}


def _ramp(year: int, start: int, full: int, top: float) -> float:
    if year < start:
        return 0.0
    return top * min(1.0, (year - start + 1) / (full - start + 1))


def category_weights(year: int) -> dict[str, float]:
    """Category weights of initial incidents in ``year`` (shutdowns from 2011, spyware later)."""
    weights = dict(CATEGORY_WEIGHTS)
    weights["internet_shutdown"] = _ramp(year, 2011, 2020, 9.0)
    weights["surveillance"] = 0.5 + _ramp(year, 2012, 2019, 4.0)
    weights["restrictive_law"] += _ramp(year, 2012, 2018, 3.0)
    return weights


def victim_weights(year: int) -> dict[str, float]:
    """Victim-type weights of people targeted in ``year`` (bloggers rise after 2005)."""
    weights = dict(VICTIM_WEIGHTS)
    weights["blogger"] += _ramp(year, 2005, 2013, 14.0)
    weights["protester"] += _ramp(year, 2011, 2020, 3.0)
    return weights


def year_volume(year: int) -> float:
    """Relative volume of a year: fewer alerts in the early network years, about 1.0 later."""
    return min(1.08, 0.8 + 0.02 * (year - 1995))
