"""From trigger mentions to ``categories`` and ``victim_types``.

A category trigger counts unless it is negated ("was not arrested"), hedged or
reported as a risk ("fears he may be arrested"), or part of an organisation's
name. A release trigger also must not be a call for release ("urged the immediate
release of") or a publication ("released a report"). Pair rules need both halves
within a few tokens in one sentence. A victim mention counts in the title, or in
the body when it stands near a counted category trigger.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from nlp.terms import cue_set, language_terms

NEGATION_WINDOW = 3
HEDGE_WINDOW = 6
CALL_WINDOW = 5
VICTIM_WINDOW = 12
OUTLET_WINDOW = 8
AFFILIATION_WINDOW = 8
ACCORDING_WINDOW = 12
SHUTDOWN_WINDOW = 10
IMPLIED_CUSTODY = "implied_custody"
CUSTODY_CODES = frozenset(["arrest_detention", "imprisonment", "abduction_disappearance"])
LEAD_CHARS = 300
MIN_SUPPORT = 1.0
WEAK_CATEGORIES = frozenset(["impunity", "restrictive_law", "legal_action", "censorship",
                             "release", "surveillance", "physical_attack"])
"""Categories whose triggers are broad words: they need one title/lead mention or two."""
WEAK_VICTIMS = frozenset(["media_outlet"])
PEOPLE_AT_OUTLETS = frozenset(["vt:journalist", "vt:media_worker"])


def hit_weight(part: str, span: Span) -> float:
    """Title mentions count double, the lead once, later mentions half."""
    if part == "title":
        return 2.0
    return 1.0 if span.start_char < LEAD_CHARS else 0.5


def supported(hits: list[LabelHit], weak: frozenset[str] = WEAK_CATEGORIES) -> set[str]:
    """Codes whose mentions add up to ``MIN_SUPPORT`` (one in the title or lead, or
    two further down)."""
    totals: dict[str, float] = {}
    for hit in hits:
        totals[hit.code] = totals.get(hit.code, 0.0) + hit_weight(hit.part, hit.span)
    return {code for code, total in totals.items()
            if total >= (MIN_SUPPORT if code in weak else 0.5)}


@dataclass(frozen=True)
class LabelHit:
    """A counted trigger: field ("categories"/"victim_types"), code and its span."""

    field: str
    code: str
    part: str
    span: Span


def _before(span: Span, width: int, lang: str) -> list[str]:
    """Lower-cased tokens before a span, stopping at a sentence break."""
    breaks = cue_set(lang, "sentence_breaks")
    words: list[str] = []
    for token in reversed(span.doc[max(0, span.start - width):span.start]):
        if token.text in breaks:
            break
        words.append(token.lower_)
    return words


def _in_org(span: Span, orgs: list[Span]) -> bool:
    return any(org.start <= span.start and span.end <= org.end for org in orgs)


def is_negated(span: Span, lang: str) -> bool:
    return bool(set(_before(span, NEGATION_WINDOW, lang)) & cue_set(lang, "negation"))


def is_hedged(span: Span, lang: str) -> bool:
    return bool(set(_before(span, HEDGE_WINDOW, lang)) & cue_set(lang, "hedge"))


def is_call(span: Span, lang: str) -> bool:
    """"urged the immediate release of": a call, which says the person is held."""
    return bool(set(_before(span, CALL_WINDOW, lang)) & cue_set(lang, "call"))


def is_release_non_event(span: Span, lang: str) -> bool:
    """A call for release, or "released a report"."""
    if is_call(span, lang):
        return True
    after = [token.lower_ for token in span.doc[span.end:span.end + 3]]
    objects = cue_set(lang, "report_objects")
    if after and after[0] in cue_set(lang, "determiners") | {"the"}:
        return bool(set(after[1:]) & objects) or after[0] != "the"
    return bool(after and after[0] in objects)


def is_org_like(span: Span, part: str) -> bool:
    """A capitalised mid-sentence victim word after another capitalised word
    ("Federation of Nepali Journalists") names an organisation, not a victim."""
    if part != "text" or not span[0].is_title or span.start < 2:
        return False
    prev = span.doc[span.start - 1]
    prev2 = span.doc[span.start - 2]
    return prev.is_title or (prev.lower_ in ("of", "for", "to", "in") and prev2.is_title)


def category_hits(doc: Doc, part: str, lang: str) -> list[LabelHit]:
    """Counted category triggers, pair rules included."""
    orgs = [span for span in doc.spans["terms"] if span.label_ == "org"]
    hits = []
    for span in doc.spans["terms"]:
        kind, _, code = span.label_.partition(":")
        if kind != "cat" or _in_org(span, orgs):
            continue
        if is_negated(span, lang) or (code != "threat_harassment" and is_hedged(span, lang)):
            continue
        if code == "release" and is_release_non_event(span, lang):
            if is_call(span, lang):
                hits.append(LabelHit("categories", IMPLIED_CUSTODY, part, span))
            continue
        hits.append(LabelHit("categories", code, part, span))
    return _longest(hits + pair_hits(doc, part, lang, orgs))


def _longest(hits: list[LabelHit]) -> list[LabelHit]:
    """Drop a trigger inside a longer trigger of another code ("ban on" in "ban on
    leaving the country", "prison sentence" in "suspended prison sentence")."""
    return [hit for hit in hits if not any(
        other.code != hit.code and other.span.start <= hit.span.start
        and hit.span.end <= other.span.end and len(other.span) > len(hit.span)
        for other in hits)]


def pair_hits(doc: Doc, part: str, lang: str, orgs: list[Span]) -> list[LabelHit]:
    """Labels that need two trigger halves close together ("internet" + "shut down")."""
    rules = language_terms(lang).get("pairs") or {}
    breaks = cue_set(lang, "sentence_breaks")
    halves: dict[str, list[Span]] = {}
    for span in doc.spans["terms"]:
        if span.label_[:3] in ("pa:", "pb:") and not _in_org(span, orgs):
            halves.setdefault(span.label_, []).append(span)
    hits = []
    for code, rule in rules.items():
        for first in halves.get(f"pa:{code}", []):
            if any(_close(first, second, rule["window"], breaks)
                   for second in halves.get(f"pb:{code}", [])) and not is_negated(first, lang):
                hits.append(LabelHit("categories", code, part, first))
    return hits


def _close(first: Span, second: Span, window: int, breaks: frozenset[str]) -> bool:
    """Two spans at most ``window`` tokens apart with no sentence break between."""
    low, high = sorted((first, second), key=lambda span: span.start)
    gap = first.doc[low.end:high.start]
    return 0 <= high.start - low.end <= window and not any(t.text in breaks for t in gap)


def is_source(span: Span, lang: str) -> bool:
    """A victim word naming who speaks: "the lawyer said", "said the NGO",
    "according to a report by X, the monitoring NGO"."""
    cues = cue_set(lang, "attribution")
    after = {token.lower_ for token in span.doc[span.end:span.end + 3]}
    inverted = set(_before(span, 2, lang)) & cues
    according = set(_before(span, ACCORDING_WINDOW, lang)) & cue_set(lang, "according")
    return bool(after & cues or inverted or according)


def is_counsel(span: Span, code: str, lang: str) -> bool:
    """"his lawyer", "their attorney": the victim's counsel, not a victim."""
    return code == "lawyer" and bool(set(_before(span, 1, lang)) & cue_set(lang, "possessives"))


def is_affiliation(span: Span, code: str, lang: str, people: list[Span]) -> bool:
    """An outlet named as where a journalist works ("newspaper journalist", "editor of
    news website X", "reporters from three newspapers"), not as a victim itself."""
    if code != "media_outlet":
        return False
    if any(person.start == span.end for person in people):
        return True
    preps = cue_set(lang, "affiliation")
    return any(0 <= span.start - person.end <= AFFILIATION_WINDOW
               and any(token.lower_ in preps for token in span.doc[person.end:span.start])
               for person in people)


def victim_hits(doc: Doc, part: str, lang: str, anchors: list[LabelHit]) -> list[LabelHit]:
    """Counted victim mentions: any in the title, near a violation in the body."""
    orgs = [span for span in doc.spans["terms"] if span.label_ == "org"]
    people = [span for span in doc.spans["terms"] if span.label_ in PEOPLE_AT_OUTLETS]
    near = [hit.span for hit in anchors if hit.part == part]
    hits = []
    for span in doc.spans["terms"]:
        kind, _, code = span.label_.partition(":")
        if kind != "vt" or _in_org(span, orgs) or is_org_like(span, part):
            continue
        if is_source(span, lang) or is_counsel(span, code, lang):
            continue
        if is_affiliation(span, code, lang, people):
            continue
        window = OUTLET_WINDOW if code == "media_outlet" else VICTIM_WINDOW
        if part == "title" or any(abs(span.start - anchor.start) <= window for anchor in near):
            hits.append(LabelHit("victim_types", code, part, span))
    return hits


def resolve_categories(hits: list[LabelHit], lang: str) -> list[LabelHit]:
    """Supported category hits, after the rules that read the alert as a whole:
    a prison sentence absorbs the charges and trial that led to it; an internet
    shutdown's "blocked"/"suspended" is not also censorship; an anniversary is
    impunity only for a killing or a disappearance."""
    kept = _implied_custody(_supported_hits(hits))
    codes = {hit.code for hit in kept}
    proceedings = cue_set(lang, "proceedings")
    anniversaries = cue_set(lang, "anniversary")
    shutdowns = [hit for hit in kept if hit.code == "internet_shutdown"]
    serious = bool(codes & {"killing", "abduction_disappearance"})

    def dropped(hit: LabelHit) -> bool:
        words = {token.lower_ for token in hit.span}
        if hit.code == "legal_action" and "imprisonment" in codes and words & proceedings:
            return True
        if hit.code == "impunity" and words & anniversaries and not serious:
            return True
        return hit.code == "censorship" and any(
            other.part == hit.part and abs(other.span.start - hit.span.start) <= SHUTDOWN_WINDOW
            for other in shutdowns)

    return _supported_hits([hit for hit in kept if not dropped(hit)])


def _implied_custody(hits: list[LabelHit]) -> list[LabelHit]:
    """A call for someone's release means they are held: count it as a detention
    when the alert names no detention, prison term or abduction itself."""
    codes = {hit.code for hit in hits}
    custody = bool(codes & CUSTODY_CODES)
    return [LabelHit(hit.field, "arrest_detention", hit.part, hit.span)
            if hit.code == IMPLIED_CUSTODY else hit
            for hit in hits if hit.code != IMPLIED_CUSTODY or not custody]


def _supported_hits(hits: list[LabelHit], weak: frozenset[str] = WEAK_CATEGORIES):
    codes = supported(hits, weak)
    return [hit for hit in hits if hit.code in codes]
