"""The label contract: category and victim-type codes with labels and descriptions.

Mirrors ``shared/eval/TAXONOMY.md``; every stored label is one of these codes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    """One taxonomy code with its human label and what it covers."""

    code: str
    label: str
    description: str


CATEGORIES: tuple[Label, ...] = (
    Label("killing", "Killing", "killed, murdered, shot dead, died in custody, body found"),
    Label(
        "physical_attack",
        "Physical attack",
        "beaten, assaulted, injured, shot at, premises attacked, bombed, set on fire, "
        "raided with violence",
    ),
    Label(
        "threat_harassment",
        "Threat or harassment",
        "threats (death threats included), intimidation, harassment, smear campaigns, "
        "online abuse, stalking",
    ),
    Label(
        "arrest_detention",
        "Arrest or detention",
        "arrested, detained, held, taken into custody, summoned and held, pre-trial detention",
    ),
    Label(
        "imprisonment",
        "Imprisonment",
        "sentenced to prison, jailed after conviction, serving a prison term, "
        "hunger strike in prison",
    ),
    Label(
        "abduction_disappearance",
        "Abduction or disappearance",
        "kidnapped, abducted, missing, enforced disappearance",
    ),
    Label(
        "legal_action",
        "Legal action",
        "charged, prosecuted, sued, defamation or libel case, fined, convicted without "
        "prison, SLAPP, court summons, investigation opened",
    ),
    Label(
        "censorship",
        "Censorship",
        "outlet closed or suspended, publication or broadcast banned, seized or confiscated "
        "material, programme pulled, jamming, content removed, website or news site blocked, "
        "book banned, pressure to self-censor",
    ),
    Label(
        "internet_shutdown",
        "Internet shutdown",
        "internet or mobile network cut, throttled or disrupted; whole platforms or apps "
        "(social media, messaging) blocked for a region or a country",
    ),
    Label(
        "surveillance",
        "Surveillance",
        "spyware, interception, surveillance of communications, data handed to authorities",
    ),
    Label(
        "expulsion_entry_denial",
        "Expulsion or entry denial",
        "deported, expelled, denied entry, visa or accreditation refused or withdrawn, "
        "travel ban, forced into exile",
    ),
    Label(
        "restrictive_law",
        "Restrictive law",
        "a law, bill, decree or regulation that restricts expression, information, assembly "
        "or civil society, when the alert is about it",
    ),
    Label(
        "impunity",
        "Impunity",
        "killers not prosecuted, case closed without justice, suspects acquitted or freed, "
        "anniversaries of unsolved cases, calls for justice",
    ),
    Label(
        "release",
        "Release",
        "a positive outcome: released, freed on bail, acquitted, charges dropped, ban lifted, "
        "law withdrawn",
    ),
)

VICTIM_TYPES: tuple[Label, ...] = (
    Label(
        "journalist",
        "Journalist",
        "reporters, editors, correspondents, photojournalists, columnists, presenters, publishers",
    ),
    Label(
        "media_worker",
        "Media worker",
        "camera operators, drivers, fixers, technicians and other media staff",
    ),
    Label(
        "media_outlet",
        "Media outlet",
        "a newspaper, radio or TV station, news website or agency as an institution",
    ),
    Label(
        "blogger", "Blogger", "bloggers, online activists, social media users, citizen journalists"
    ),
    Label("writer", "Writer", "writers, poets, novelists, authors, translators"),
    Label(
        "artist",
        "Artist",
        "musicians, cartoonists, filmmakers, actors, visual and performing artists",
    ),
    Label(
        "human_rights_defender",
        "Human rights defender",
        "activists, human rights defenders, NGO staff, trade unionists, civil society "
        "organisations",
    ),
    Label("lawyer", "Lawyer", "lawyers, attorneys, judges speaking out"),
    Label("academic", "Academic", "academics, researchers, teachers, students"),
    Label("protester", "Protester", "demonstrators, protesters"),
    Label("politician", "Politician", "opposition figures, MPs, candidates"),
    Label(
        "general_public",
        "General public",
        "the population at large (internet shutdowns, blanket bans), citizens, users of a service",
    ),
)

CATEGORY_CODES: tuple[str, ...] = tuple(label.code for label in CATEGORIES)
VICTIM_TYPE_CODES: tuple[str, ...] = tuple(label.code for label in VICTIM_TYPES)

LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "ar", "ru")
"""Languages of the Action Alert Network that the extractor supports."""
