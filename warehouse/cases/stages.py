"""What each report brings to its case: its stage, and which stages may follow which.

An alert's stage is that of its first category in ``STAGE_RULES`` order. A case about a
named person follows that person for years: a killing or a disappearance never closes
(trial of the suspects, acquittals, retrials, anniversaries of impunity), and a custody
story runs from arrest to charges, sentence, appeal, pardon and release. A report that
starts the story again after it had moved on (a new arrest after the sentence or the
release, new charges after the sentence) and comes months later is a new case.
"""

from __future__ import annotations

STAGE_RULES: tuple[tuple[str, str], ...] = (
    ("killing", "killed"),
    ("release", "released"),
    ("imprisonment", "sentenced"),
    ("legal_action", "charged"),
    ("arrest_detention", "detained"),
    ("abduction_disappearance", "disappeared"),
    ("expulsion_entry_denial", "expelled"),
    ("physical_attack", "attacked"),
    ("threat_harassment", "threatened"),
    ("censorship", "censored"),
)
"""(category, stage) in priority order: an alert's stage is that of its first matching
category; alerts with none of these categories are at stage "reported"."""

STAGE_ORDER: dict[str, int] = {"threatened": 1, "attacked": 1, "censored": 1, "expelled": 1,
                               "detained": 1, "disappeared": 1, "charged": 2, "sentenced": 3,
                               "released": 4, "killed": 5}
"""How far a story has gone; a case's stage is its furthest."""

RESTARTS_AFTER_RELEASE = frozenset({"detained", "disappeared", "attacked", "threatened",
                                    "expelled", "killed"})
"""After a release, a new violation of the person starts a new case; charges, a sentence or
a release reported later are more often the same story (a conviction in absentia, the trial
of the perpetrators, an appeal)."""

LASTING_CATEGORIES = frozenset({"killing", "abduction_disappearance", "impunity"})
"""A report years on that is itself about the killing, the disappearance or the impunity of
a case that never closes continues it (an anniversary, a new inquiry)."""

FOLLOW_UP_STAGES = frozenset({"charged", "sentenced", "released", "killed", "reported"})
"""Stages a later report brings to a story it did not start (a trial, a verdict, a release,
an anniversary)."""

NOT_AFTER_DEATH = frozenset({"detained", "threatened", "attacked", "expelled", "censored"})
"""Stages no report brings to the case of someone killed, weeks on: the dead are not
arrested, threatened or expelled, so such a report is about someone else of that name."""

LASTING = frozenset({"killed", "disappeared"})
"""Stages after which every later report about the person belongs to the case."""

STORY_FOLLOW_UPS: dict[str, frozenset[str]] = {
    "censorship": frozenset({"release"}),
    "internet_shutdown": frozenset({"release"}),
    "restrictive_law": frozenset({"release"}),
}
"""Categories that continue a nameless case (no person named) of a category: a ban lifted,
access restored, a law withdrawn."""


def restarts(case_stage: str, stage: str) -> bool:
    """Whether a report at ``stage`` starts the story over for a case at ``case_stage``: an
    earlier step than the case has reached (a new arrest after a sentence), or any new
    violation after the release."""
    before, now = STAGE_ORDER.get(case_stage, 0), STAGE_ORDER.get(stage, 0)
    if case_stage == "released":
        return stage in RESTARTS_AFTER_RELEASE
    return 0 < now < before


JUSTICE = frozenset({"impunity", "legal_action", "imprisonment", "release"})
"""What a report years after a killing or a disappearance is about when it continues the
story: the lack of justice, the trial, the sentence or acquittal of the suspects."""


def moves_on(case_stage: str, stage: str, categories: frozenset[str]) -> bool:
    """Whether a report long after a case's last one can continue it: any report on a
    killing or a disappearance (anniversaries, trials, verdicts), or a later step of a
    custody story (a sentence after the charges, a release, a pardon). Anything else a year
    on is more likely another incident of someone with the same name."""
    if case_stage in LASTING:
        return True
    return STAGE_ORDER.get(stage, 0) > STAGE_ORDER.get(case_stage, 0) > 0
