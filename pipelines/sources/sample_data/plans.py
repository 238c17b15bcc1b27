"""Who reports an incident, in which language and when: the alerts of one month, no text."""

from __future__ import annotations

import calendar
import random
from datetime import date, timedelta
from functools import lru_cache

from pipelines.sources.sample_data import world
from pipelines.sources.sample_data.incidents import (
    CHAINS,
    MAX_FOLLOWUP_MONTHS,
    AlertPlan,
    Incident,
    add_months,
    month_incidents,
)

COUNTRY_LANGUAGES = {country.code: country.languages for country in world.COUNTRIES}
LOCAL_LANGUAGE_BOOST = 3.0
"""Members write more often in the language of the country they report on."""
REPORTER_COUNTS = ((1, 0.55), (2, 0.3), (3, 0.15))


def _eligible(incident: Incident) -> list[tuple[world.Organisation, float]]:
    year = incident.start.year
    result = []
    for org in world.ORGANISATIONS:
        if not org.years[0] <= year <= org.years[1]:
            continue
        if org.scope and incident.country not in org.scope:
            continue
        boost = 5.0 if org.code == "pen" and "writer" in incident.victim_types else 1.0
        result.append((org, org.weight * boost))
    return result


def _reporters(rng: random.Random, incident: Incident, count: int) -> list[world.Organisation]:
    pool = _eligible(incident)
    chosen = []
    for _ in range(min(count, len(pool))):
        org = rng.choices([o for o, _ in pool], [w for _, w in pool])[0]
        chosen.append(org)
        pool = [(o, w) for o, w in pool if o is not org]
    return chosen


def _language(rng: random.Random, org: world.Organisation, country: str) -> str:
    allowed = {"en", *COUNTRY_LANGUAGES[country]}
    if org.code == "rsf":
        allowed.add("fr")
    options = [(lang, weight * (LOCAL_LANGUAGE_BOOST if lang != "en" else 1.0))
               for lang, weight in org.languages if lang in allowed]
    if not options:
        return "en"
    return rng.choices([lang for lang, _ in options], [w for _, w in options])[0]


def _chain(rng: random.Random, category: str) -> tuple[tuple[str, int], ...]:
    roll = rng.random()
    for probability, steps in CHAINS.get(category, ()):
        if roll < probability:
            return steps
        roll -= probability
    return ()


def _random_day(rng: random.Random, year: int, month: int) -> date:
    return date(year, month, rng.randint(1, calendar.monthrange(year, month)[1]))


def incident_plans(seed: int, incident: Incident) -> list[AlertPlan]:
    """Every alert about ``incident``: its first reports and the follow-ups months later."""
    rng = random.Random(f"{seed}:{incident.incident_id}:plans")
    count = rng.choices([n for n, _ in REPORTER_COUNTS], [w for _, w in REPORTER_COUNTS])[0]
    last_day = incident.start.replace(day=calendar.monthrange(*incident.start.timetuple()[:2])[1])
    plans = []
    for index, org in enumerate(_reporters(rng, incident, count)):
        day = min(incident.start + timedelta(days=rng.randint(0, 2) * index), last_day)
        plans.append(AlertPlan(incident, "initial", org.code,
                               _language(rng, org, incident.country), day, len(plans)))
    offset = 0
    for stage, gap in _chain(rng, incident.category):
        offset += gap + (1 if rng.random() < 0.3 else 0)
        if offset > MAX_FOLLOWUP_MONTHS:
            break
        year, month = add_months(incident.start.year, incident.start.month, offset)
        day = _random_day(rng, year, month)
        for org in _reporters(rng, incident, 2 if rng.random() < 0.25 else 1):
            plans.append(AlertPlan(incident, stage, org.code,
                                   _language(rng, org, incident.country), day, len(plans)))
    return plans


@lru_cache(maxsize=16)
def _incident_month_plans(seed: int, scale: float, year: int, month: int) -> tuple[AlertPlan, ...]:
    """All alerts, in any month, about the incidents that start in one month."""
    return tuple(plan for incident in month_incidents(seed, scale, year, month)
                 for plan in incident_plans(seed, incident))


def month_plans(seed: int, scale: float, year: int, month: int) -> list[AlertPlan]:
    """The alerts published in one month, in publication order."""
    plans = []
    for back in range(MAX_FOLLOWUP_MONTHS + 1):
        source_year, source_month = add_months(year, month, -back)
        if source_year < 1990:
            continue
        plans.extend(plan for plan in _incident_month_plans(seed, scale, source_year, source_month)
                     if (plan.published.year, plan.published.month) == (year, month))
    plans.sort(key=lambda plan: (plan.published, plan.incident.incident_id, plan.ordinal))
    return plans
