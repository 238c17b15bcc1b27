"""Case linking, slab by slab: names in the alerts, candidate pairs, and the assignment of
each alert to an open case (or a new one) in date order.

See ``warehouse/CASES.md`` for the method and its measured precision and recall, and the SQL
files it runs (``link_cases.sql``, ``score_cases.sql``).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import duckdb
import pyarrow as pa

from models.names import name_key

SQL_DIR = Path(__file__).parent / "sql"


@dataclass(frozen=True)
class LinkSettings:
    """Knobs of the linking; the defaults are the ones measured in CASES.md."""

    max_chars: int = 1200  # characters of the body read after the title
    window_days: int = 183  # a follow-up comes at most this long after the case's last alert
    bucket_days: int = 365  # time buckets (at least window_days); a slab is two of them
    near_days: int = 5  # reports of one event by several members come within this
    story_days: int = 92  # a nameless story (ban, shutdown, law) is followed up within this
    min_df: int = 10  # a name may be in this many alerts of a slab whatever its size,
    max_df_share: float = 0.01  # or in this share of them (of its language and in all)
    lower_share: float = 0.2  # a capitalised word this often written lower-case is no name
    caseless_share: float = 0.2  # an Arabic word in more of the slab's Arabic alerts is none


FOLLOW_UPS: dict[str, frozenset[str]] = {
    "detained": frozenset({"charged", "sentenced", "released"}),
    "disappeared": frozenset({"released", "killed"}),
    "charged": frozenset({"charged", "sentenced", "released"}),
    "sentenced": frozenset({"sentenced", "released"}),
    "killed": frozenset({"killed", "charged", "sentenced"}),
    "censored": frozenset({"released"}),
}
"""Stages a later alert may report to continue a named case at a stage (months later): the
custody story (detained → charged → sentenced → released), a disappearance (→ freed or
found dead), a killing (→ suspects charged or tried), a ban (→ lifted). A release ends the
story; a stage not listed (threat, attack, expulsion) has no follow-ups, only same-week
reports."""

STAGE_ORDER: dict[str, int] = {"detained": 1, "disappeared": 1, "charged": 2, "sentenced": 3,
                               "killed": 4, "released": 5}
"""A case's stage is that of its latest alert unless an earlier one went further."""

STORY_FOLLOW_UPS: dict[str, frozenset[str]] = {
    "censorship": frozenset({"release"}),
    "internet_shutdown": frozenset({"release"}),
    "restrictive_law": frozenset({"release"}),
}
"""Categories that continue a nameless case (no person named) of a category: a ban lifted,
access restored, a law withdrawn. Another law alert in the same country months later is as
likely another law as the adoption of the first: with no name to tell, it is not linked."""


@dataclass
class CaseState:
    """What an open case needs to accept the next alert."""

    first: int
    last: int
    stage: str
    last_stage: str
    categories: set[str]
    last_categories: set[str]
    cities: dict[str, set[str]] = field(default_factory=dict)


class CaseAssigner:
    """Puts each alert (in country, date order) into the best open case or a new one.

    An alert is compared with the cases of its candidate pairs, best pair first (most names
    shared, then the nearest): a case takes it when no city and no name conflicts, and it
    is either another report of the case's event (within ``near_days``) or a follow-up
    (``FOLLOW_UPS``, ``STORY_FOLLOW_UPS``). Cases never merge, so one wrong pair cannot chain
    two incidents together. ``case_of[i]`` is the index of the first alert of i's case.
    """

    def __init__(self, n_alerts: int, settings: LinkSettings) -> None:
        self.case_of = array("i", range(n_alerts))
        self.settings = settings
        self.open: dict[int, CaseState] = {}

    def add_bucket(self, alerts: list[tuple], pairs: list[tuple[int, int, int, bool, int]]
                   ) -> None:
        """``alerts``: (idx, day, language, stage, categories, named, cities) of one bucket in
        idx order; ``pairs``: (a, b, names shared, conflict, days apart) with b in it."""
        options: dict[int, list[tuple[int, int, int, bool]]] = {}
        for a, b, n_shared, conflict, gap in pairs:
            options.setdefault(b, []).append((-n_shared, gap, a, conflict))
        for idx, day, language, stage, categories, named, cities in alerts:
            categories = set(categories)
            chosen = None
            for _, _, a, conflict in sorted(options.get(idx, ())):
                case = self.case_of[a]
                state = self.open.get(case)
                if conflict or state is None:
                    continue
                if self._accepts(state, day, language, stage, categories, named, set(cities)):
                    chosen = case
                    break
            if chosen is None:
                self.open[idx] = CaseState(day, day, stage, stage, set(categories),
                                           set(categories), {language: set(cities)})
            else:
                self.case_of[idx] = chosen
                self._extend(self.open[chosen], day, language, stage, categories, cities)

    def close_before(self, day: int) -> None:
        """Forget cases whose last alert is before ``day``: no later alert can join them."""
        self.open = {c: s for c, s in self.open.items() if s.last >= day}

    def _accepts(self, state: CaseState, day: int, language: str, stage: str,
                 categories: set[str], named: bool, cities: set[str]) -> bool:
        s = self.settings
        known = state.cities.get(language)
        if known and cities and not known & cities:
            return False  # the case happened in another city
        gap = day - state.last
        same_event = gap <= s.near_days and day - state.first <= s.near_days
        same_step = gap <= s.near_days and stage == state.last_stage
        if named:
            return same_event or same_step or (
                gap <= s.window_days and stage in FOLLOW_UPS.get(state.stage, ()))
        if (same_event and categories & state.categories) or (
                same_step and categories & state.last_categories):
            return True
        return gap <= s.story_days and state.stage != "released" and any(
            categories & STORY_FOLLOW_UPS.get(c, frozenset()) for c in state.categories)

    @staticmethod
    def _extend(state: CaseState, day: int, language: str, stage: str, categories: set[str],
                cities: list[str]) -> None:
        state.last = day
        if STAGE_ORDER.get(stage, 0) >= STAGE_ORDER.get(state.stage, 0):
            state.stage = stage
        state.last_stage = stage
        state.categories |= categories
        state.last_categories = categories
        state.cities.setdefault(language, set()).update(cities)


def no_city(place: str) -> bool:
    """The default when no gazetteer is given: no place is known to be a city."""
    return False


def assign_cases(con: duckdb.DuckDBPyConnection, s: LinkSettings,
                 is_city: Callable[[str], bool] = no_city) -> array:
    """Each alert's case (the index of its first alert), streamed one slab at a time.

    Slab k holds the alerts of the time buckets k - 1 and k (``bucket_days`` long, at least
    the window): bucket k is read (tokens, places) and kept for slab k + 1, the slab's names
    and pairs are built, the alerts of bucket k assigned, and bucket k - 1 dropped, so memory
    is bounded by one slab (plus the open cases), not by the archive.
    """
    s = replace(s, near_days=min(s.near_days, s.window_days),  # all gaps within a slab
                story_days=min(s.story_days, s.window_days),
                bucket_days=max(s.bucket_days, s.window_days))
    n_alerts, first, last = con.execute(
        "SELECT count(*), min(day), max(day) FROM case_docs").fetchone()
    assigner = CaseAssigner(n_alerts, s)
    if first is None:
        return assigner.case_of
    params = asdict(s)
    _create_work_tables(con)
    for bucket in range(first // s.bucket_days, last // s.bucket_days + 1):
        params["bucket"] = bucket
        run_sql(con, "link_cases.sql", params)
        _add_keys(con, is_city)
        run_sql(con, "score_cases.sql", params)
        alerts = con.execute(
            "SELECT idx, day, language, stage, categories, named, cities "
            "FROM case_bucket ORDER BY idx").fetchall()
        pairs = con.execute("SELECT a, b, n_shared, conflict, gap FROM case_pairs "
                            "ORDER BY b, a").fetchall()
        assigner.add_bucket(alerts, pairs)
        assigner.close_before(bucket * s.bucket_days)
    return assigner.case_of


WORK_TABLES: tuple[str, ...] = (
    "case_name_candidates", "case_vocab", "case_places", "case_texts", "case_tokens",
    "case_name_words", "case_word_keys", "case_city_names", "case_name_tokens", "case_names",
    "case_bucket", "case_pairs")
"""Tables the linking creates (build_cases drops them)."""


def _create_work_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Empty per-bucket tables (rows are added per bucket and dropped two buckets later) and
    the key and city lookups that grow as new words and places are met."""
    con.execute("CREATE OR REPLACE TEMP TABLE case_name_candidates (bucket INTEGER, "
                "idx INTEGER, language VARCHAR, pos INTEGER, word VARCHAR, "
                "joined BOOLEAN)")
    con.execute("CREATE OR REPLACE TEMP TABLE case_vocab (bucket INTEGER, language VARCHAR, "
                "lowered VARCHAR, n_lower BIGINT, n_upper BIGINT)")
    con.execute("CREATE OR REPLACE TEMP TABLE case_places (bucket INTEGER, idx INTEGER, "
                "place VARCHAR)")
    con.execute("CREATE OR REPLACE TEMP TABLE case_word_keys (word VARCHAR, key VARCHAR)")
    con.execute("CREATE OR REPLACE TEMP TABLE case_city_names (place VARCHAR, city BOOLEAN)")


def _add_keys(con: duckdb.DuckDBPyConnection, is_city: Callable[[str], bool]) -> None:
    """Keys of the slab's new name words (case_word_keys) and whether its new place names are
    cities in the gazetteer (case_city_names)."""
    words = [w for (w,) in con.execute(
        "SELECT word FROM case_name_words ANTI JOIN case_word_keys USING (word) "
        "ORDER BY word").fetchall()]
    places = [p for (p,) in con.execute(
        "SELECT DISTINCT place FROM case_places ANTI JOIN case_city_names USING (place) "
        "ORDER BY place").fetchall()]
    con.register("case_word_key_arrow", pa.table(
        {"word": pa.array(words, pa.string()),
         "key": pa.array([name_key(w) for w in words], pa.string())}))
    con.register("case_city_arrow", pa.table(
        {"place": pa.array(places, pa.string()),
         "city": pa.array([is_city(p) for p in places], pa.bool_())}))
    con.execute("INSERT INTO case_word_keys SELECT * FROM case_word_key_arrow")
    con.execute("INSERT INTO case_city_names SELECT * FROM case_city_arrow")
    con.unregister("case_word_key_arrow")
    con.unregister("case_city_arrow")


def component_members(roots: list[int] | array) -> list[list[int]]:
    """Members of each case in index order, cases ordered by their first member."""
    members: dict[int, list[int]] = {}
    for i, root in enumerate(roots):
        members.setdefault(root, []).append(i)
    return list(members.values())


def run_sql(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, object]) -> None:
    """Run a file of statements, binding to each the named parameters it uses."""
    for statement in (SQL_DIR / name).read_text().split(";\n"):
        body = re.sub(r"--[^\n]*", "", statement).strip()
        if body:
            used = set(re.findall(r"\$(\w+)", body))
            con.execute(body, {k: v for k, v in params.items() if k in used})
