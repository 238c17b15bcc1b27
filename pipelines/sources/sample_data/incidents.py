"""What happens in the sample world: incidents and the alerts that report them (no text yet).

Incidents of a month are derived from (seed, scale, year, month) alone, so any month can
be generated on its own: its alerts are the first reports of its own incidents plus the
follow-ups of incidents from up to ``MAX_FOLLOWUP_MONTHS`` months before.
"""

from __future__ import annotations

import calendar
import itertools
import random
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from pipelines.sources.sample_data import world
from pipelines.sources.sample_data.names import OUTLET_KINDS, OUTLETS, PEOPLE

INCIDENTS_PER_MONTH = 80.0
"""Incidents a month at scale 1; with reports and follow-ups that is ~167 alerts a month."""
MAX_FOLLOWUP_MONTHS = 6

CHAINS: dict[str, tuple[tuple[float, tuple[tuple[str, int], ...]], ...]] = {
    # initial category: (probability, ((stage, months after the previous step), ...))
    "arrest_detention": ((0.25, (("released", 1),)),
                         (0.2, (("charged", 1), ("sentenced", 2), ("released", 2))),
                         (0.1, (("charged", 1), ("acquitted", 2))),
                         (0.08, (("charged", 1),))),
    "legal_action": ((0.2, (("sentenced", 2),)), (0.15, (("acquitted", 2),)),
                     (0.1, (("fined", 1),))),
    "abduction_disappearance": ((0.35, (("freed", 1),)), (0.1, (("body_found", 1),))),
    "killing": ((0.2, (("suspects_acquitted", 4),)),),
    "censorship": ((0.2, (("ban_lifted", 1),)),),
    "internet_shutdown": ((0.5, (("restored", 1),)),),
    "restrictive_law": ((0.3, (("adopted", 2),)), (0.15, (("withdrawn", 2),))),
    "imprisonment": ((0.2, (("appeal_rejected", 2),)), (0.15, (("released", 3),))),
}
STAGE_CATEGORY: dict[str, str] = {
    "charged": "legal_action", "sentenced": "imprisonment", "released": "release",
    "acquitted": "release", "fined": "legal_action", "freed": "release",
    "body_found": "killing", "suspects_acquitted": "impunity", "ban_lifted": "release",
    "restored": "release", "adopted": "restrictive_law", "withdrawn": "release",
    "appeal_rejected": "imprisonment",
}
SECONDARY: dict[str, tuple[str, ...]] = {
    "arrest_detention": ("physical_attack", "censorship"),
    "physical_attack": ("threat_harassment", "censorship"),
    "threat_harassment": ("surveillance",),
    "legal_action": ("censorship",),
}
CATEGORY_VICTIMS: dict[str, tuple[str, ...]] = {
    "censorship": ("writer", "artist", "journalist", "blogger"),
    "surveillance": ("journalist", "human_rights_defender", "lawyer", "blogger", "politician"),
    "expulsion_entry_denial": ("journalist", "writer", "academic", "human_rights_defender"),
}
LAW_VICTIMS: dict[str, tuple[str, ...]] = {
    "media": ("journalist", "media_outlet"), "ngo": ("human_rights_defender",),
    "cyber": ("blogger", "general_public"), "assembly": ("protester",),
}


@dataclass(frozen=True)
class Incident:
    """One event in the sample world and the facts every report of it shares."""

    incident_id: str
    start: date
    country: str
    city: str
    category: str
    extra_category: str | None
    subject: str  # "person" | "outlet" | "public" | "law"
    victim_types: tuple[str, ...]
    female: bool
    given: str
    family: str
    outlet: str
    outlet_kind: str
    law_kind: str
    people: str


@dataclass(frozen=True)
class AlertPlan:
    """One alert to write: which incident, which stage, by whom, in what language, when."""

    incident: Incident
    stage: str  # "initial" or a follow-up stage of CHAINS
    organisation: str
    language: str
    published: date
    ordinal: int  # position of this alert among its incident's alerts

    @property
    def categories(self) -> tuple[str, ...]:
        """The true categories of this alert."""
        if self.stage != "initial":
            return (STAGE_CATEGORY[self.stage],)
        extra = self.incident.extra_category
        return (self.incident.category,) + ((extra,) if extra else ())


def month_rng(seed: int, year: int, month: int, purpose: str) -> random.Random:
    """A random generator that depends on nothing but the seed, the month and a purpose."""
    return random.Random(f"{seed}:{year:04d}-{month:02d}:{purpose}")


def add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    keys = [key for key, weight in weights.items() if weight > 0]
    return rng.choices(keys, [weights[key] for key in keys])[0]


@lru_cache(maxsize=64)
def _country_cum_weights(year: int) -> list[float]:
    weights = []
    for country in world.COUNTRIES:
        first, last, factor = world.COUNTRY_BOOSTS.get(country.code, (0, 0, 1.0))
        weights.append(country.weight * (factor if first <= year <= last else 1.0))
    return list(itertools.accumulate(weights))


@lru_cache(maxsize=64)
def _category_table(year: int) -> tuple[tuple[str, ...], list[float]]:
    weights = {key: value for key, value in world.category_weights(year).items() if value > 0}
    return tuple(weights), list(itertools.accumulate(weights.values()))


def _country(rng: random.Random, year: int) -> world.SampleCountry:
    return rng.choices(world.COUNTRIES, cum_weights=_country_cum_weights(year))[0]


def _category(rng: random.Random, year: int) -> str:
    keys, cumulative = _category_table(year)
    return rng.choices(keys, cum_weights=cumulative)[0]


def _subject(rng: random.Random, category: str) -> str:
    if category == "internet_shutdown":
        return "public"
    if category == "restrictive_law":
        return "law"
    if category == "censorship" and rng.random() < 0.65:
        return "outlet"
    if category == "physical_attack" and rng.random() < 0.2:
        return "outlet"
    return "person"


def _victims(rng: random.Random, year: int, category: str, subject: str, law: str):
    if subject == "public":
        return ("general_public",)
    if subject == "law":
        return LAW_VICTIMS[law]
    if subject == "outlet":
        return ("media_outlet",)
    weights = world.victim_weights(year)
    allowed = CATEGORY_VICTIMS.get(category)
    if allowed:
        weights = {key: weights[key] + 1.0 for key in allowed}
    return (_pick(rng, weights),)


def _incident(rng: random.Random, year: int, month: int, number: int) -> Incident:
    country = _country(rng, year)
    category = _category(rng, year)
    subject = _subject(rng, category)
    law = rng.choice(tuple(LAW_VICTIMS))
    extra = rng.choice(SECONDARY[category]) if category in SECONDARY and \
        subject == "person" and rng.random() < 0.15 else None
    given_m, given_f, family = PEOPLE[country.people]
    female = rng.random() < 0.3
    outlets = OUTLETS.get(country.people, OUTLETS["default"])
    day = rng.randint(1, calendar.monthrange(year, month)[1])
    return Incident(
        incident_id=f"inc-{year:04d}-{month:02d}-{number:04d}", start=date(year, month, day),
        country=country.code, city=rng.choice(country.cities), category=category,
        extra_category=extra, subject=subject,
        victim_types=_victims(rng, year, category, subject, law), female=female,
        given=rng.choice(given_f if female else given_m), family=rng.choice(family),
        outlet=rng.choice(outlets), outlet_kind=rng.choice(OUTLET_KINDS), law_kind=law,
        people=country.people,
    )


def _count(rng: random.Random, year: int, scale: float) -> int:
    expected = INCIDENTS_PER_MONTH * scale * world.year_volume(year) * rng.uniform(0.85, 1.15)
    whole = int(expected)
    return whole + (1 if rng.random() < expected - whole else 0)


@lru_cache(maxsize=32)
def month_incidents(seed: int, scale: float, year: int, month: int) -> tuple[Incident, ...]:
    """The incidents that start in one month (pure function of its arguments)."""
    rng = month_rng(seed, year, month, "incidents")
    return tuple(_incident(rng, year, month, number + 1)
                 for number in range(_count(rng, year, scale)))
