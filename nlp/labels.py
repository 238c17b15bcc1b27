"""From trigger mentions to ``categories`` and ``victim_types``.

A category trigger counts unless it is negated ("was not arrested"), hedged or
reported as a risk ("fears he may be arrested", "punishable by five years in prison"),
part of an organisation's name, or not a violation against the victim at all
(``nlp.senses``: the topic of an article, a threat to press freedom). A release
trigger also must not be a call for release, a pending or refused release, or a
publication (``nlp.outcomes``). The prison words of a suspended sentence are
``legal_action``. Pair rules need both halves within a few tokens in one sentence.
Victim types are in ``nlp.victims``.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from nlp.outcomes import (
    before_words,
    frees_a_perpetrator,
    frees_a_person,
    is_release_non_event,
    still_held,
)
from nlp.pipeline import doc_terms
from nlp.senses import (
    is_abstract_threat,
    is_hedged,
    is_legal_basis,
    is_negated,
    is_penalty_ceiling,
    is_pretrial,
    is_work_topic,
    suspended_prison_terms,
    suspends_a_sentence,
)
from nlp.terms import cue_set, language_terms

SHUTDOWN_WINDOW = 10
NEGATING_GAP = 2  # "without (mobile) internet": the negation word just before
IMPLIED_CUSTODY = "implied_custody"
CUSTODY_CODES = frozenset(["arrest_detention", "imprisonment", "abduction_disappearance"])
LEAD_CHARS = 300
MIN_SUPPORT = 1.0
WEAK_CATEGORIES = frozenset(["impunity", "restrictive_law", "legal_action", "censorship",
                             "surveillance", "physical_attack"])
"""Categories whose triggers are broad words: they need one title/lead mention or two.
``release`` is not one: its calls, pending releases and publications are filtered."""
WEAK_VICTIMS = frozenset(["media_outlet"])


def hit_weight(part: str, span: Span) -> float:
    """Title mentions count double, the lead once, later mentions half."""
    if part == "title":
        return 2.0
    return 1.0 if span.start_char < LEAD_CHARS else 0.5


def supported(hits: list[LabelHit], weak: frozenset[str] = WEAK_CATEGORIES) -> set[str]:
    """Codes whose mentions add up to ``MIN_SUPPORT`` (one in the title or lead, or
    two further down)."""
    totals: dict[str, float] = {}
    for hit in _one_per_mention(hits):
        totals[hit.code] = totals.get(hit.code, 0.0) + hit_weight(hit.part, hit.span)
    return {code for code, total in totals.items()
            if total >= (MIN_SUPPORT if code in weak else 0.5)}


def _one_per_mention(hits: list[LabelHit]) -> list[LabelHit]:
    """Overlapping hits of one code ("radio station" and "station", "prison sentence"
    and "sentence") are one mention."""
    return [hit for hit in hits if not any(
        other is not hit and other.code == hit.code and other.part == hit.part
        and other.span.start <= hit.span.start < other.span.end
        and (other.span.start, -other.span.end) < (hit.span.start, -hit.span.end)
        for other in hits)]


@dataclass(frozen=True)
class LabelHit:
    """A counted trigger: field ("categories"/"victim_types"), code and its span."""

    field: str
    code: str
    part: str
    span: Span


_before = before_words


def _in_org(span: Span, orgs: list[Span]) -> bool:
    return any(org.start <= span.start and span.end <= org.end for org in orgs)


def category_hits(doc: Doc, part: str, lang: str) -> list[LabelHit]:
    """Counted category triggers, pair rules included."""
    orgs = [span for span in doc_terms(doc) if span.label_ == "org"]
    hits = []
    for span in doc_terms(doc):
        kind, _, code = span.label_.partition(":")
        if kind != "cat" or _in_org(span, orgs):
            continue
        counted = counted_code(span, code, lang)
        if counted:
            hits.append(LabelHit("categories", counted, part, span))
    paired, seconds = pair_hits(doc, part, lang, orgs)
    hits = [hit for hit in hits if (hit.span.start, hit.span.end) not in seconds]
    return _longest(_suspended_sentences(hits, lang)) + paired


def counted_code(span: Span, code: str, lang: str) -> str | None:
    """The code a trigger counts as, or None: negated, hedged, not a violation against
    the victim, or a release that is not one (a call for release is an implied
    detention; freeing suspected killers is ``impunity``)."""
    if is_negated(span, lang) or (code != "threat_harassment" and is_hedged(span, lang, code)):
        return None
    if is_work_topic(span, lang) or is_abstract_threat(span, code, lang):
        return None
    if is_legal_basis(span, code, lang) or is_penalty_ceiling(span, code, lang):
        return None
    if code == "censorship" and suspends_a_sentence(span, lang):
        return None
    if code == "imprisonment" and is_pretrial(span, lang):
        return "arrest_detention"
    if code != "release":
        return code
    phrase = release_phrase(span)
    if is_release_non_event(phrase, lang):
        return IMPLIED_CUSTODY if still_held(phrase, lang) and frees_a_person(span, lang) else None
    return "impunity" if frees_a_perpetrator(phrase, lang) else code


def _suspended_sentences(hits: list[LabelHit], lang: str) -> list[LabelHit]:
    """The prison words of a suspended sentence are ``legal_action``."""
    terms = suspended_prison_terms([hit.span for hit in hits if hit.code == "imprisonment"],
                                   lang)
    return [LabelHit(hit.field, "legal_action", hit.part, hit.span)
            if hit.code == "imprisonment" and (hit.span.start, hit.span.end) in terms else hit
            for hit in hits]


def release_phrase(span: Span) -> Span:
    """The span stretched over overlapping release triggers ("allowed to resume" and
    "resume broadcasting"), so the words before the whole phrase are judged."""
    doc = span.doc
    start, end = span.start, span.end
    for other in doc_terms(doc):
        if other.label_ == "cat:release" and other.start < end and start < other.end:
            start, end = min(start, other.start), max(end, other.end)
    return doc[start:end]


def _longest(hits: list[LabelHit], heads_only: bool = False) -> list[LabelHit]:
    """Drop a trigger inside a longer trigger of another code ("ban on" in "ban on
    leaving the country", "prison sentence" in "suspended prison sentence"). With
    ``heads_only`` the shorter one must end the longer one ("broadcaster" in "state
    broadcaster", not "journalists" in "journalists and media"). Without it, a trigger
    that starts inside an earlier one of another code also goes ("ban on" in "a travel
    ban on the activist"): the earlier trigger claims the shared word."""
    return [hit for hit in hits if not any(
        other.code != hit.code and (_inside(hit, other, heads_only)
                                    or (not heads_only and _overlaps_after(hit, other)))
        for other in hits)]


def span_within(span: Span, longer: Span) -> bool:
    """``span`` lies inside the strictly longer span ``longer``."""
    return longer.start <= span.start and span.end <= longer.end and len(longer) > len(span)


def _inside(hit: LabelHit, other: LabelHit, heads_only: bool) -> bool:
    return span_within(hit.span, other.span) and (
        not heads_only or hit.span.end == other.span.end)


def _overlaps_after(hit: LabelHit, other: LabelHit) -> bool:
    return (hit.part == other.part
            and other.span.start < hit.span.start < other.span.end < hit.span.end)


def pair_hits(doc: Doc, part: str, lang: str,
              orgs: list[Span]) -> tuple[list[LabelHit], set[tuple[int, int]]]:
    """Labels that need two trigger halves close together ("internet" + "shut down"),
    and the token ranges of the second halves used: "withdrawn" in "charges were
    withdrawn" is part of a release and not also a trigger of its own."""
    rules = language_terms(lang).get("pairs") or {}
    breaks = cue_set(lang, "sentence_breaks")
    halves: dict[str, list[Span]] = {}
    for span in doc_terms(doc):
        if span.label_[:3] in ("pa:", "pb:") and not _in_org(span, orgs):
            halves.setdefault(span.label_, []).append(span)
    hits, seconds = [], set()
    for name, rule in rules.items():
        code = rule.get("code", name)
        for first in halves.get(f"pa:{name}", []):
            close = [second for second in halves.get(f"pb:{name}", [])
                     if _close(first, second, rule["window"], breaks)
                     and _pair_counts(code, first, second, lang)]
            if close:
                hits.append(LabelHit("categories", code, part, first))
                seconds.update((second.start, second.end) for second in close)
    return hits, seconds


def _pair_counts(code: str, first: Span, second: Span, lang: str) -> bool:
    """Neither half negated; a release pair also not asked for ("calls for the
    charges to be dropped") or pending. A second half that is itself a negation word
    ("without internet", "sans internet") is the pair, not its negation. A network word
    that only names a medium ("the internet news site was blocked", "интернет-издание")
    makes no shutdown."""
    if code == "internet_shutdown" and names_a_medium(first, lang):
        return False
    negating = second.text.lower() in cue_set(lang, "negation")
    if negating and not 0 <= first.start - second.end <= NEGATING_GAP:
        return False
    if (is_negated(first, lang) and not negating) or is_negated(second, lang):
        return False
    return code != "release" or not (still_held(first, lang) or still_held(second, lang))


MEDIUM_REACH = 2


def names_a_medium(span: Span, lang: str) -> bool:
    """A network word right before or after a word for a medium, a hyphen or a
    preposition apart at most ("internet-based outlet", "site internet", "موقع على الإنترنت")."""
    media = cue_set(lang, "medium_nouns")
    doc = span.doc
    after = [t.lower_ for t in doc[span.end:span.end + MEDIUM_REACH + 1] if t.text != "-"]
    before = [t.lower_ for t in doc[max(0, span.start - MEDIUM_REACH - 1):span.start]]
    return bool(set(after[:MEDIUM_REACH]) & media or set(before[-MEDIUM_REACH - 1:]) & media)


def _close(first: Span, second: Span, window: int, breaks: frozenset[str]) -> bool:
    """Two spans at most ``window`` tokens apart with no sentence break between."""
    low, high = sorted((first, second), key=lambda span: span.start)
    gap = first.doc[low.end:high.start]
    return 0 <= high.start - low.end <= window and not any(t.text in breaks for t in gap)


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
