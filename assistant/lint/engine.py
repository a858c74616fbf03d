"""Run rules on a draft and attach source citations of each rule's principle.

Before the rules run the draft is classified (assistant.lint.classify); a rule, or one of its
detectors, runs only on the kinds of document its `applies_to` names. Findings come back ranked:
errors first, then warnings, then information; the same clause flagged again where a document
repeats its terms is one finding that lists its other places.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from pydantic import BaseModel, Field

from assistant.lint.classify import UNKNOWN, classify
from assistant.lint.detectors import DETECTORS, Hit, rx
from assistant.lint.draft import Draft
from assistant.lint.rules import KindTable, Rule, SourceSpec
from assistant.models import Citation, Finding, SearchHit, Severity
from assistant.protocols import Searcher
from assistant.text import normalize, split_sentences

SEVERITY_RANK = {Severity.error: 0, Severity.warning: 1, Severity.info: 2}


class Place(BaseModel):
    """Another place in the draft where the same finding applies."""

    quote: str | None = None
    section: str | None = None
    page: int | None = None
    line: int | None = None


class LintFinding(Finding):
    """A Finding with the other places it was grouped with (JSON: the added key "also")."""

    also: list[Place] = Field(default_factory=list)

    def public(self) -> dict:
        data = super().public()
        data["also"] = [place.model_dump() for place in self.also]
        return data


_WORDS = re.compile(r"[^\W\d_]{3,}")


class _Values(dict):
    def __missing__(self, key: str) -> str:
        return ""


class SourceFinder:
    """Looks up each rule's source passage once per run (cached by query)."""

    def __init__(self, searcher: Searcher | None):
        self.searcher = searcher
        self.errors: list[str] = []
        self._cache: dict[str, Citation | None] = {}

    def citations(self, specs: list[SourceSpec]) -> list[Citation]:
        """One citation per source spec that finds a passage; the same passage only once."""
        if self.searcher is None:
            return []
        found: list[Citation] = []
        for spec in specs:
            key = spec.model_dump_json()
            if key not in self._cache:
                self._cache[key] = self._lookup(spec)
            citation = self._cache[key]
            if citation is not None and not any(_same_passage(citation, c) for c in found):
                found.append(citation)
        return found

    def _lookup(self, spec: SourceSpec) -> Citation | None:
        try:
            hits = self._search(spec.query, spec.kinds)
            best = _best_passage(hits, spec.anchors)
            if best is None and spec.anchors:
                for anchor in spec.anchors:
                    best = _best_passage(self._search(anchor, spec.kinds), spec.anchors)
                    if best is not None:
                        break
            if best is None:
                best = _best_overlap(hits, spec.query)
        except Exception as exc:  # noqa: BLE001 - a broken index must not stop lint; findings keep no source
            self.errors.append(f"{type(exc).__name__}: {exc}")
            return None
        if best is None:
            return None
        hit, start, end = best
        return _citation(hit, start, end)

    def _search(self, query: str, kinds: Sequence) -> list[SearchHit]:
        hits = self.searcher.search(query, k=8, kinds=list(kinds) or None)
        if not hits and kinds:
            hits = self.searcher.search(query, k=8)
        return hits


def _best_passage(hits: list[SearchHit], anchors: list[str], window: int = 5) -> tuple[SearchHit, int, int] | None:
    """The shortest run of sentences (at most `window`) of a hit that contains an anchor, first anchor first."""
    wanted = [normalize(a) for a in anchors if a.strip()]
    for anchor in wanted:
        for hit in hits:
            text = hit.chunk.text
            if anchor not in normalize(text):
                continue
            spans = split_sentences(text)
            for size in range(1, window + 1):
                for i in range(len(spans) - size + 1):
                    start, end = spans[i][0], spans[i + size - 1][1]
                    if anchor in normalize(text[start:end]):
                        return hit, start, end
    return None


def _best_overlap(hits: list[SearchHit], query: str) -> tuple[SearchHit, int, int] | None:
    terms = {w[:6] for w in _WORDS.findall(query.lower())}
    best, best_score = None, 1
    for hit in hits[:3]:
        for start, end in split_sentences(hit.chunk.text):
            words = {w[:6] for w in _WORDS.findall(hit.chunk.text[start:end].lower())}
            score = len(terms & words)
            if score > best_score:
                best, best_score = (hit, start, end), score
    return best


def _citation(hit: SearchHit, start: int, end: int) -> Citation:
    chunk, text = hit.chunk, hit.chunk.text
    lead = len(text[start:end]) - len(text[start:end].lstrip("-•*> \t\n"))
    start += lead
    quote = text[start:end].strip()
    return Citation(
        doc=hit.meta.doc,
        title=hit.meta.title,
        page=chunk.page_start,
        section=chunk.section,
        quote=quote,
        kind=hit.meta.kind,
        date=hit.meta.date,
        chunk_id=chunk.id,
        start=chunk.start + start,
        end=chunk.start + start + len(quote),
        repealed=hit.meta.repealed,
        also_in=list(hit.also_in),
    )


def _same_passage(a: Citation, b: Citation) -> bool:
    docs_a = {a.doc, *a.also_in}
    return (b.doc in docs_a or a.doc in b.also_in) and normalize(a.quote) == normalize(b.quote)


# --- running rules ---------------------------------------------------------------------------


def _kind_fits(applies_to: list[str], draft: Draft) -> bool:
    """A draft of unknown kind is checked with every rule; otherwise its kind must be listed (or none)."""
    kind = draft.classification.kind if draft.classification is not None else UNKNOWN
    return not applies_to or kind == UNKNOWN or kind in applies_to


def applies(rule: Rule, draft: Draft) -> bool:
    """The rule is checked on this draft: its kind, welfare service, and `only_if` wordings."""
    if not _kind_fits(rule.applies_to, draft):
        return False
    c = draft.classification
    if rule.welfare_only and c is not None and c.kind != UNKNOWN and not c.welfare:
        return False
    return not rule.only_if or any(rx(p).search(draft.norm) for p in rule.only_if)


def run_rule(rule: Rule, draft: Draft) -> list[Hit]:
    """Hits of a rule's detectors, merged so one sentence or element yields one hit."""
    if not applies(rule, draft):
        return []
    merged: dict[tuple, Hit] = {}
    for number, detector in enumerate(rule.detectors):
        if not _kind_fits(detector.applies_to, draft):
            continue
        for hit in DETECTORS[detector.type](detector, draft):
            key = ("s", hit.sentence.index) if hit.sentence is not None else ("m", hit.element)
            if key not in merged:
                merged[key] = hit
                hit.origin = number
                continue
            first = merged[key]
            # Wordings of one detector are alternatives: the first reason is enough.
            if hit.reason and hit.reason not in first.reason and first.origin != number:
                first.reason = f"{first.reason}; {hit.reason}" if first.reason else hit.reason
            first.missing += [m for m in hit.missing if m not in first.missing]
            first.rewrite = first.rewrite or hit.rewrite
    return list(merged.values())


def lint_draft(
    draft: Draft, rules: list[Rule], sources: SourceFinder | None = None, kinds: KindTable | None = None
) -> list[Finding]:
    """All findings of `rules` on `draft`, ranked: by severity, missing elements first, then in document order.

    The draft is classified first unless it already is (`draft.classification`, e.g. from --kind).
    """
    if draft.classification is None:
        draft.classification = classify(draft, kinds)
    found: list[tuple[tuple, LintFinding]] = []
    hits_by_rule = {rule.id: run_rule(rule, draft) for rule in rules}
    for rule in rules:
        hits = hits_by_rule[rule.id]
        if rule.defer_to:
            taken = {h.sentence.index for r in rule.defer_to for h in hits_by_rule.get(r, []) if h.sentence}
            hits = [h for h in hits if h.sentence is None or h.sentence.index not in taken]
        for hit in _grouped(rule, hits):
            specs = hit.sources if hit.sources is not None else rule.sources
            citations = sources.citations(specs) if sources is not None else []
            finding = _finding(rule, hit, draft, citations)
            position = (0, 0) if hit.sentence is None else (1, hit.sentence.start)
            found.append(((SEVERITY_RANK[finding.severity], *position), finding))
    found.sort(key=lambda pair: pair[0])
    return [finding for _, finding in found]


def _grouped(rule: Rule, hits: list[Hit]) -> list[Hit]:
    """One hit per clause repeated word for word (a document that repeats its terms), and with
    `group: true` one hit per reason; the others become places listed on the first."""
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.sentence is None, h.sentence.start if h.sentence else 0)):
        twin = next((k for k in kept if _same_finding(rule, k, hit)), None)
        if twin is None:
            kept.append(hit)
        else:
            twin.also.append(hit)
    return kept


def _same_finding(rule: Rule, first: Hit, other: Hit) -> bool:
    if first.sentence is None or other.sentence is None:
        return False
    if rule.group and first.group is not None and first.group == other.group:
        return True
    a, b = (normalize(h.sentence.text).strip(" .;:,") for h in (first, other))
    if a in b or b in a:
        return min(len(a), len(b)) >= 25
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.9


def _place(hit: Hit, draft: Draft) -> Place:
    sentence = hit.sentence
    return Place(
        quote=sentence.text if sentence else None,
        section=draft.location(sentence) if sentence else None,
        page=sentence.page if sentence else None,
        line=sentence.line if sentence else None,
    )


def _where(place: Place) -> str:
    parts = [f"punkt {place.section}" if place.section else "", f"s. {place.page}" if place.page else ""]
    parts = [p for p in parts if p] or ([f"rad {place.line}"] if place.line else [])
    return ", ".join(parts) or "på ett annat ställe"


def _finding(rule: Rule, hit: Hit, draft: Draft, citations: list[Citation]) -> Finding:
    sentence = hit.sentence
    section = draft.section_of(sentence) if sentence is not None else None
    values = _Values(
        reason=hit.reason,
        quote=sentence.text if sentence is not None else "",
        section=(section.label if section is not None and not section.is_title else ""),
        element=hit.element,
        missing=", ".join(hit.missing),
        rewrite=hit.rewrite or (sentence.text if sentence is not None else ""),
        title=rule.title,
    )
    message = (hit.message or rule.message).format_map(values)
    suggestion = (hit.fix or rule.fix).format_map(values)
    also = [_place(other, draft) for other in hit.also]
    if also:
        shown = "; ".join(_where(place) for place in also[:8]) + (" …" if len(also) > 8 else "")
        count = "ett ställe till" if len(also) == 1 else f"{len(also)} ställen till"
        message = f"{message.rstrip()} Samma brist finns på {count}: {shown}."
    return LintFinding(
        rule=rule.id,
        severity=hit.severity or rule.severity,
        quote=sentence.text if sentence is not None else None,
        missing=sentence is None,
        section=draft.location(sentence) if sentence is not None else None,
        page=sentence.page if sentence is not None else None,
        line=sentence.line if sentence is not None else None,
        message=_tidy(message),
        suggestion=_tidy(suggestion),
        sources=[c.model_copy() for c in citations],
        also=also,
    )


def _tidy(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace(" ()", "").replace("()", "").strip()
