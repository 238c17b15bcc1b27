"""Writing an alert: title and body in its language from an AlertPlan (deterministic)."""

from __future__ import annotations

import random
from functools import cache

from babel import Locale

from models.geography import countries
from pipelines.sources.sample_data import phrases_ar, phrases_en, phrases_es, phrases_fr, phrases_ru
from pipelines.sources.sample_data.incidents import STAGE_CATEGORY, AlertPlan
from pipelines.sources.sample_data.names import in_script
from pipelines.sources.sample_data.world import ORGANISATIONS

PHRASES = {"en": phrases_en.PHRASES, "fr": phrases_fr.PHRASES, "es": phrases_es.PHRASES,
           "ar": phrases_ar.PHRASES, "ru": phrases_ru.PHRASES}
ORGS = {org.code: org for org in ORGANISATIONS}
COUNTRY_OVERRIDES = {("fr", "PS"): "Palestine", ("es", "PS"): "Palestina",
                     ("ar", "PS"): "فلسطين", ("ru", "PS"): "Палестина",
                     ("fr", "CD"): "RD Congo", ("ru", "CD"): "ДР Конго",
                     ("ar", "CD"): "الكونغو الديمقراطية", ("fr", "US"): "États-Unis"}
GENDER = {"en": ({"he": "he", "He": "He", "his": "his"}, {"he": "she", "He": "She", "his": "her"}),
          "fr": ({"e": ""}, {"e": "e"}), "es": ({"o": "o"}, {"o": "a"}),
          "ru": ({"a": ""}, {"a": "а"}), "ar": ({"t": ""}, {"t": "ت"})}
CONTRACTIONS = {"fr": ((" de le ", " du "), (" à le ", " au "), ("de le ", "du ")),
                "es": ((" a el ", " al "), (" de el ", " del "))}
HTML_SHARE = 0.4


class Slots(dict):
    """Template values; an unknown slot renders as an empty string."""

    def __missing__(self, key: str) -> str:
        return ""


@cache
def country_name(code: str, language: str) -> str:
    """A country's name in an alert's language."""
    if language == "en":
        return countries()[code].name
    override = COUNTRY_OVERRIDES.get((language, code))
    return override or Locale(language).territories.get(code, countries()[code].name)


def format_date(value, language: str, with_day: bool = True) -> str:
    phrases = PHRASES[language]
    month = phrases["months"][value.month - 1]
    if not with_day:
        return f"{month} {value.year}" + (" года" if language == "ru" else "")
    return phrases["date"].format(day=value.day, month=month, year=value.year)


def _org_names(code: str, language: str) -> tuple[str, str]:
    org = ORGS[code]
    local = PHRASES[language].get("organisations", {}).get(code)
    base = PHRASES[language].get("cities", {}).get(org.base, org.base)
    if local:
        return local, base
    return (f"{org.name} ({org.short})" if language == "en" else org.short), base


def _role(rng: random.Random, plan: AlertPlan) -> str:
    choice = rng.choice(PHRASES[plan.language]["roles"][plan.incident.victim_types[0]])
    if isinstance(choice, tuple):
        return choice[1 if plan.incident.female else 0]
    return choice


def _slots(rng: random.Random, plan: AlertPlan) -> Slots:
    incident, language = plan.incident, plan.language
    phrases = PHRASES[language]
    slots = Slots(GENDER[language][1 if incident.female else 0])
    slots["country"] = country_name(incident.country, language)
    slots["city"] = phrases.get("cities", {}).get(incident.city, incident.city) \
        if language in ("en", "fr", "es") or incident.city in phrases.get("cities", {}) \
        else slots["country"]
    outlet_name = in_script(incident.outlet, language)
    kind = phrases["outlet_kinds"][incident.outlet_kind]
    slots["outlet_name"] = outlet_name
    slots["outlet"] = f"{kind} «{outlet_name}»" if language == "ru" else f"{kind} {outlet_name}"
    slots["name"] = f"{in_script(incident.given, language)} {in_script(incident.family, language)}"
    slots["surname"] = in_script(incident.family, language)
    org, base = _org_names(plan.organisation, language)
    slots["org"] = org if language != "en" else ORGS[plan.organisation].short
    slots["org_intro"] = rng.choice(phrases["org_intro"]).format(org=org, base=base,
                                                                 based=base)
    slots["date"] = format_date(plan.published, language)
    slots["orig_month"] = format_date(incident.start, language, with_day=False)
    slots["years"] = str(rng.choice((2, 3, 4, 5, 7, 10)))
    slots["law"] = rng.choice(phrases["law"][incident.law_kind])
    slots["platforms"] = rng.choice(phrases["platforms"])
    if incident.subject == "person":
        role = _role(rng, plan)
        slots["role"] = role
        victim = f"{role} {slots['name']}"
        if incident.victim_types[0] in ("journalist", "media_worker") and rng.random() < 0.5:
            victim += phrases["of_outlet"].format(outlet=slots["outlet"], outlet_name=outlet_name)
        slots["victim"] = victim
    else:
        slots["victim"] = slots["outlet"]
        slots["name"] = outlet_name
    slots["Victim"] = slots["victim"][:1].upper() + slots["victim"][1:]
    slots["Role"] = slots["role"][:1].upper() + slots["role"][1:]
    slots["Outlet"] = slots["outlet"][:1].upper() + slots["outlet"][1:]
    slots["CITY"] = slots["city"].upper() if language != "ar" else slots["city"]
    return slots


def _pick_template(rng: random.Random, options: tuple[str, ...], subject: str) -> str:
    if subject == "outlet":
        fitting = [t for t in options if "{outlet" in t and "ictim}" not in t]
    elif subject == "person":
        fitting = [t for t in options if "ictim}" in t]
    else:
        fitting = []
    return rng.choice(fitting or list(options))


def _fill(template: str, slots: Slots, language: str) -> str:
    text = template.format_map(slots)
    for old, new in CONTRACTIONS.get(language, ()):
        text = text.replace(old, new)
    return text


def _title(rng: random.Random, plan: AlertPlan, slots: Slots, lead: str) -> str:
    titles = PHRASES[plan.language]["title"]
    category = plan.categories[0]
    options = titles.get(category)
    if plan.incident.subject != "person" and not options:
        return f"{slots['country']}: {lead.rstrip('.')[:90]}"
    return _fill(rng.choice(options or titles["default"]), slots, plan.language)


def render_alert(plan: AlertPlan, seed: int) -> tuple[str, str]:
    """(title, body) of one alert; the body is HTML for a share of alerts."""
    rng = random.Random(f"{seed}:{plan.incident.incident_id}:{plan.ordinal}:text")
    phrases, language = PHRASES[plan.language], plan.language
    slots = _slots(rng, plan)
    subject = plan.incident.subject
    if plan.stage == "initial":
        lead = _fill(_pick_template(rng, phrases["event"][plan.incident.category], subject),
                     slots, language)
        extra = phrases["detail"].get(plan.incident.extra_category or "", "")
        second = _fill(extra, slots, language) if extra else ""
        paragraphs = [lead, second, _fill(rng.choice(phrases["background"]), slots, language)]
    else:
        lead = _fill(rng.choice(phrases["stage"][plan.stage]), slots, language)
        paragraphs = [lead]
    dateline = _fill(rng.choice(phrases["dateline"]), slots, language)
    first = paragraphs[0]
    paragraphs[0] = f"{dateline} {first[:1].upper()}{first[1:]}".strip()
    paragraphs.append(_fill(rng.choice(phrases["statement"]), slots, language))
    paragraphs = [p for p in paragraphs if p]
    title = _title(rng, plan, slots, lead)
    if rng.random() < HTML_SHARE:
        return title, "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return title, "\n\n".join(paragraphs)


assert set(STAGE_CATEGORY) <= set(phrases_en.PHRASES["stage"])
