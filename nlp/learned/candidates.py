"""The rules as candidate generators: every trigger mention, counted or not.

A mention the rules counted keeps the code they gave it (a release of suspects counted as
``impunity``); one they dropped (negated, hedged, a call for release, a bystander...) is
still a candidate of its own code, marked as not counted, so the trained layer can weigh
what the rules missed or threw away.
"""

from __future__ import annotations

from spacy.tokens import Doc

from nlp.labels import LabelHit
from nlp.learned.features import Candidate
from nlp.pipeline import doc_terms
from nlp.terms import language_terms

KINDS = {"cat": "categories", "pa": "categories", "vt": "victim_types"}


def rule_candidates(docs: dict[str, Doc], counted: list[LabelHit], lang: str
                    ) -> list[Candidate]:
    """Counted hits first, then each other trigger mention of the term lists (a pair
    rule's first half under the pair's code)."""
    pairs = language_terms(lang).get("pairs") or {}
    out = [Candidate(hit.field, hit.code, hit.part, hit.span, True) for hit in counted]
    taken = {(c.part, c.field, c.span.start) for c in out}
    for part, doc in docs.items():
        orgs = [span for span in doc_terms(doc) if span.label_ == "org"]
        for span in doc_terms(doc):
            kind, _, code = span.label_.partition(":")
            field = KINDS.get(kind)
            if field is None or (part, field, span.start) in taken:
                continue
            if any(org.start <= span.start and span.end <= org.end for org in orgs):
                continue
            if kind == "pa":
                code = (pairs.get(code) or {}).get("code", code)
            taken.add((part, field, span.start))
            out.append(Candidate(field, code, part, span, False))
    return out
