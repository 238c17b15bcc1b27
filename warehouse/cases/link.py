"""Case linking: each alert, in date order, joins the open case that accepts it or starts one.

A case about named people is found through them: the people the extractor found in each
alert (``alerts.persons``, keyed across scripts and inflections by ``models.names``), minus
officials and names too common in their country that year to tell anyone apart. An alert
joins the case it shares the most people with, in a country they share, when the case
accepts it (``stages``): another report of the same event (within ``near_days``), or a later
step of the story (for years: a killing never closes), unless it starts the story over
months after it had moved on (a new arrest after the release). Alerts that name no one
(shutdowns, laws, bans) join a nameless case of their country within days, or a later
restoration or repeal of it. Cases never merge, so one wrong match cannot chain two
incidents together.

Memory: one compact state per open case; nameless cases close after ``story_days``.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from warehouse.cases.stages import (
    FOLLOW_UP_STAGES,
    JUSTICE,
    LASTING,
    LASTING_CATEGORIES,
    NOT_AFTER_DEATH,
    STAGE_ORDER,
    STORY_FOLLOW_UPS,
    moves_on,
    restarts,
)


@dataclass(frozen=True, slots=True)
class LinkSettings:
    """Knobs of the linking; the defaults are the ones measured in CASES.md."""

    near_days: int = 7  # reports of one event by several members come within this
    near_chars: int = 150  # people named this close after the first are subjects too
    story_days: int = 92  # a nameless story (ban, shutdown, law) is followed up within this
    restart_days: int = 120  # a restart this long after the case's last report is new
    follow_days: int = 365  # after this long, only a report that moves the story on joins
    max_days: int = 30 * 365  # a named case takes follow-ups this long after its last report
    min_df: int = 25  # a family name in more alerts of a country and year than this,
    max_df_share: float = 0.03  # and more than this share of them, identifies no one
    fuzzy_min: int = 3  # family keys this long match with one letter missing
    max_name_countries: int = 3  # a full name filed under more countries names several people
    cases_per_name: int = 64  # an alert is compared with this many most recent cases per name


@dataclass(frozen=True, slots=True)
class Person:
    """A person as linking compares them: given-name key, family-name keys, and whether the
    alert names them in its title or lead (a subject) or only further down (often someone
    cited for context)."""

    given: str
    family: frozenset[str]
    subject: bool = True
    shared: bool = False  # a full name several people have (filed under many countries)


VICTIM_ROLES = frozenset({"journalist", "media_worker", "blogger", "writer", "artist",
                          "human_rights_defender", "lawyer", "academic", "politician"})


def linking_people(persons_json: str | None, country: str, year: int,
                   common: set[tuple[str, int, str]], near_chars: int = 150,
                   lead_chars: int = 250, shared: frozenset[str] = frozenset()
                   ) -> list[Person]:
    """The people of an alert who can identify its case: not officials, not names common in
    the country that year, not a lone word with no stated role (an outlet, a place).

    The subjects: the people of the title; the first person of the text and those named
    right after them ("journalists A and B were detained"); and anyone the lead names with a
    victim's role ("the journalist X") unless they share a family name with a subject of the
    title (a relative). The others are often cited for context."""
    if not persons_json:
        return []
    try:
        entries = json.loads(persons_json)
    except (TypeError, ValueError):
        return []
    entries = [e for e in entries if isinstance(e, dict) and e.get("role") != "official"]
    starts = [int(e.get("start") or 0) for e in entries if e.get("part") != "title"]
    first = min(starts, default=0)
    title_families = {k for e in entries if e.get("part") == "title"
                      for k in str(e.get("key") or "").partition("|")[2].split()}
    people = []
    for entry in entries:
        given, _, family = str(entry.get("key") or "").partition("|")
        if not given and not entry.get("role"):
            continue
        keys = frozenset(k for k in family.split() if k and (country, year, k) not in common)
        if not keys:
            continue
        start, in_title = int(entry.get("start") or 0), entry.get("part") == "title"
        subject = in_title or (not title_families and start <= first + near_chars) or (
            entry.get("role") in VICTIM_ROLES and start < lead_chars
            and not keys & title_families)
        people.append(Person(given, keys, subject, str(entry.get("key")) in shared))
    return people


@lru_cache(maxsize=200_000)
def _variants(key: str, fuzzy_min: int) -> tuple[str, ...]:
    """The key, and (marked "~") the key and its forms with one letter dropped, for keys
    long enough: two spellings match when these share a form (Khashoggi "ksk" / خاشقجي
    "kskj")."""
    if len(key) < fuzzy_min:
        return (key,)
    return (key, "~" + key, *("~" + key[:i] + key[i + 1:] for i in range(len(key))))


def same_person(a: Person, b: Person, fuzzy_min: int) -> bool:
    """A family key in common and no contradicting given names (different, unless one is
    a word of the other's name: "Syed Saleem Shahzad" / "Saleem Shahzad", "Golunov Ivan";
    but a given name that is also its own family name is no such word: "Ahmad Ahmadi" and
    "Hossein Ahmadi" are two people); with one letter off, only when the given names are
    the same."""
    if a.given and b.given and a.given != b.given and not (
            _extra_word(a, b) or _extra_word(b, a)):
        return False
    if a.family & b.family:
        return True
    if not (a.given and b.given and a.given == b.given):
        return False
    fa = {v for k in a.family for v in _variants(k, fuzzy_min)[1:]}
    return any(v in fa for k in b.family for v in _variants(k, fuzzy_min)[1:])


def _words(p: Person) -> frozenset[str]:
    """All the name keys of a person ("Dela Cruz" is a short form of "Rodrigo Dela Cruz")."""
    return p.family | {p.given} if p.given else p.family


def _extra_word(a: Person, b: Person) -> bool:
    """``a``'s given name is one of ``b``'s family words, and not a family word of ``a``."""
    return a.given in b.family and a.given not in a.family


def full_match(a: Person, b: Person) -> bool:
    """The same given name and a family name in common: the same person, whatever the
    country a report was filed under."""
    return bool(a.given) and a.given == b.given and bool(a.family & b.family)


@dataclass(slots=True)
class CaseState:
    """What an open case needs to accept the next alert."""

    first: int
    last: int
    stage: str
    countries: frozenset[str]
    people: list[Person] = field(default_factory=list)
    categories: frozenset[str] = frozenset()
    cities: dict[str, frozenset[str]] = field(default_factory=dict)
    last_stage: str = ""


@dataclass(frozen=True, slots=True)
class Report:
    """One alert as the linker reads it."""

    idx: int
    day: int
    language: str
    stage: str
    categories: frozenset[str]
    countries: frozenset[str]
    primary: str
    people: list[Person]
    cities: frozenset[str]
    years: frozenset[int] = frozenset()  # years the alert's text mentions


class CaseLinker:
    """Assigns alerts (given in date order) to cases; ``case_of[i]`` is the index of the
    first alert of i's case."""

    def __init__(self, n_alerts: int, settings: LinkSettings) -> None:
        self.s = settings
        self.case_of = array("i", range(n_alerts))
        self.cases: dict[int, CaseState] = {}
        # name key -> the open cases with a person of that key, least recently active first
        self.by_family: dict[str, dict[int, None]] = {}
        self.nameless: dict[str, list[int]] = {}
        self.recent: dict[str, list[int]] = {}

    def add(self, report: Report) -> None:
        if report.people:
            chosen = self._named_case(report)
            if chosen is None:
                chosen = self._same_event(report, named=False)
        else:
            chosen = self._nameless_case(report)
            if chosen is None:
                chosen = self._same_event(report, named=True)
        if chosen is None:
            self._open(report)
        else:
            self.case_of[report.idx] = chosen
            self._extend(chosen, report)
        self._note_recent(self.case_of[report.idx], report)

    def _note_recent(self, root: int, r: Report) -> None:
        recent = [x for x in self.recent.get(r.primary, ())
                  if x != root and x in self.cases
                  and r.day - self.cases[x].last <= self.s.near_days]
        self.recent[r.primary] = [*recent, root]

    def _same_event(self, r: Report, named: bool) -> int | None:
        """Another report of the same event, days apart, one naming its subjects and the
        other not ("Journalist detained in Kandahar" / "Mehdi Karimi arrested"): the most
        recent case of the country at the same stage, sharing a category, in no other
        city."""
        for root in reversed(self.recent.get(r.primary, ())):
            case = self.cases.get(root)
            if case is None or bool(case.people) != named or case.last_stage != r.stage:
                continue
            if r.day - case.last > self.s.near_days or not r.categories & case.categories:
                continue
            known = case.cities.get(r.language)
            if known and r.cities and not known & r.cities:
                continue
            return root
        return None

    def _named_case(self, r: Report) -> int | None:
        """The best open case sharing a subject with the alert: one of its subjects (or, when
        it names none in its lead, anyone it names) is a subject of the case."""
        mine = [p for p in r.people if p.subject] or r.people
        candidates: dict[int, int] = {}
        for person in mine:
            roots = {root for key in person.family for v in _variants(key, self.s.fuzzy_min)
                     for root in islice(reversed(self.by_family.get(v, {})),
                                        self.s.cases_per_name)}
            for root in roots:
                case = self.cases.get(root)
                if case is not None and self._names_a_subject(case, person):
                    candidates[root] = candidates.get(root, 0) + 1
        ranked = sorted(candidates, key=lambda root: (-candidates[root], -self.cases[root].last,
                                                      root))
        return next((root for root in ranked
                     if self._accepts(self.cases[root], r, self._fully_named(root, mine))),
                    None)

    def _names_a_subject(self, case: CaseState, p: Person) -> bool:
        """``p`` is one of the case's subjects. A lone family name of the case ("Ahmed")
        stands for the first full name of that family the case took in, not for every
        other member of the family a later report names."""
        for q in case.people:
            if not q.subject or not same_person(p, q, self.s.fuzzy_min):
                continue
            if _words(q) < _words(p) and any(
                    _words(q) < _words(o) and o.given != p.given for o in case.people):
                continue  # q is a short form, and already of someone else
            return True
        return False

    def _fully_named(self, root: int, people: list[Person]) -> bool:
        """A subject of the case named in full, by a name few people share."""
        return any(full_match(p, q) for p in people if not p.shared
                   for q in self.cases[root].people if q.subject)

    def _accepts(self, case: CaseState, r: Report, fully_named: bool = False) -> bool:
        gap = r.day - case.last
        if case.countries and r.countries and not case.countries & r.countries and not (
                fully_named and (case.stage in LASTING or r.stage in FOLLOW_UP_STAGES)
                and (gap <= self.s.follow_days or self._recalls(case, r))):
            return False  # another country, unless a follow-up naming the person in full
            # and a year of the case
        known = case.cities.get(r.language)
        if known and r.cities and not known & r.cities and not (
                case.stage in LASTING and r.categories & JUSTICE):
            return False  # the same name in another city: another incident
        if gap <= self.s.near_days:
            return True
        if case.stage == "killed" and r.stage in NOT_AFTER_DEATH:
            return False
        if gap > self.s.follow_days and not (
                moves_on(case.stage, r.stage, r.categories) and (
                    self._recalls(case, r)
                    or (case.stage in LASTING and r.categories & LASTING_CATEGORIES))):
            return False  # a year on, the same name in a report that does not continue it
        if case.stage in LASTING:
            return True
        if restarts(case.stage, r.stage) and gap > (
                self.s.near_days if case.stage == "released" else self.s.restart_days):
            return False
        return gap <= self.s.max_days

    @staticmethod
    def _recalls(case: CaseState, r: Report) -> bool:
        """A report long after the case names one of its years ("killed in 2006",
        "detained since 2019"): it looks back at this story, not at a new one."""
        first = EPOCH_YEAR + case.first // 365
        return any(first - 1 <= year <= EPOCH_YEAR + case.last // 365 + 1 for year in r.years)

    def _nameless_case(self, r: Report) -> int | None:
        s = self.s
        open_roots = [root for root in self.nameless.get(r.primary, ())
                      if root in self.cases and r.day - self.cases[root].last <= s.story_days]
        self.nameless[r.primary] = open_roots
        for root in reversed(open_roots):
            case = self.cases[root]
            known = case.cities.get(r.language)
            if known and r.cities and not known & r.cities:
                continue
            gap = r.day - case.last
            if gap <= s.near_days and r.categories & case.categories:
                return root
            if case.stage != "released" and any(
                    r.categories & STORY_FOLLOW_UPS.get(c, frozenset())
                    for c in case.categories):
                return root
        return None

    def _open(self, r: Report) -> None:
        self.cases[r.idx] = CaseState(r.day, r.day, r.stage, r.countries, list(r.people),
                                      r.categories, {r.language: r.cities} if r.cities else {},
                                      r.stage)
        if r.people:
            self._index(r.idx, r.people)
        else:
            self.nameless.setdefault(r.primary, []).append(r.idx)
            self.nameless[r.primary] = [root for root in self.nameless[r.primary]
                                        if root in self.cases]

    def _extend(self, root: int, r: Report) -> None:
        case = self.cases[root]
        case.last = max(case.last, r.day)
        case.last_stage = r.stage
        if STAGE_ORDER.get(r.stage, 0) >= STAGE_ORDER.get(case.stage, 0) or (
                case.stage == "released" and STAGE_ORDER.get(r.stage, 0)):
            case.stage = r.stage if case.stage not in LASTING else case.stage
        if not r.countries <= case.countries:  # keep the shared set objects when nothing is new
            case.countries = case.countries | r.countries
        if not r.categories <= case.categories:
            case.categories = case.categories | r.categories
        if r.cities:
            case.cities[r.language] = case.cities.get(r.language, frozenset()) | r.cities
        new = [p for p in r.people if not any(self._known(p, q) for q in case.people)]
        case.people.extend(new)
        self._index(root, case.people)  # new people, and the case is now the most recent

    def _known(self, p: Person, q: Person) -> bool:
        """``p`` adds nothing to a case that has ``q``: the same person, named no more
        fully (a lone family name is a short form of the case's full name, never a new
        subject that would match anyone of that family)."""
        if not same_person(p, q, self.s.fuzzy_min):
            return False
        if _words(p) < _words(q):
            return True
        return p.given == q.given and p.family <= q.family and q.subject >= p.subject

    def _index(self, root: int, people: Iterable[Person]) -> None:
        """File the case under its people's keys as the most recently active one."""
        for person in people:
            for key in person.family:
                for variant in _variants(key, self.s.fuzzy_min):
                    roots = self.by_family.setdefault(variant, {})
                    roots.pop(root, None)
                    roots[root] = None
                    if len(roots) > self.s.cases_per_name:  # never searched again
                        del roots[next(iter(roots))]

    def close_before(self, day: int) -> None:
        """Forget cases nothing can join any more: named ones with no report for
        ``max_days``, nameless ones for ``story_days``."""
        stale = [root for root, case in self.cases.items()
                 if day - case.last > (self.s.max_days if case.people else self.s.story_days)]
        for root in stale:
            for person in self.cases.pop(root).people:
                for key in person.family:
                    for variant in _variants(key, self.s.fuzzy_min):
                        self.by_family.get(variant, {}).pop(root, None)


CLOSE_EVERY_DAYS = 365
EPOCH_YEAR = 1970


def link_reports(reports: Iterable[Report], n_alerts: int, settings: LinkSettings) -> array:
    """Each alert's case (the index of its first alert), for reports in date order."""
    linker = CaseLinker(n_alerts, settings)
    last_close = None
    for report in reports:
        if last_close is None:
            last_close = report.day
        elif report.day - last_close > CLOSE_EVERY_DAYS:
            linker.close_before(report.day)
            last_close = report.day
        linker.add(report)
    return linker.case_of
