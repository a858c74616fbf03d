"""Detection logic, one function per detector type. Each returns Hits: a sentence or a missing element."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.lint.draft import Draft, Sentence
from assistant.lint.rules import (
    Element,
    ModalityDetector,
    PhrasesDetector,
    ReferencesDetector,
    RequiredDetector,
)
from assistant.lint.swedish import actor_at
from assistant.models import Severity

_TOKEN = re.compile(r"[\wåäöéü]+(?:-[\wåäöéü]+)*|[,;:()]")
_STRONG = {"ska", "skall", "måste"}
_SUBORDINATORS = {"som", "att", "om", "när", "där", "eftersom", "innan", "ifall", "så"}


@dataclass
class Hit:
    """A detector's finding before it is turned into a Finding: a sentence, or a missing element."""

    sentence: Sentence | None
    reason: str = ""
    element: str = ""
    missing: list[str] = field(default_factory=list)
    rewrite: str | None = None
    severity: Severity | None = None
    message: str | None = None
    fix: str | None = None
    origin: int = 0
    sources: list | None = None


@lru_cache(maxsize=4096)
def rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _any(patterns: list[str], text: str) -> bool:
    return any(rx(p).search(text) for p in patterns)


def _titles(draft: Draft, sentence: Sentence) -> list[str]:
    return [s.title.lower() for s in draft.scope_sections(sentence)]


def _skipped(draft: Draft, sentence: Sentence, patterns: list[str]) -> bool:
    return bool(patterns) and any(_any(patterns, title) for title in _titles(draft, sentence))


def _in_scope(sentence: Sentence, scope: str) -> bool:
    if scope == "normative":
        return sentence.normative
    if scope == "provider":
        return sentence.binds_provider or sentence.actor == "provider"
    return True


def _replace(text: str, start: int, end: int, replacement: str) -> str:
    out = text[:start] + replacement + text[end:]
    out = re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s{2,}", " ", out)).strip()
    return out[:1].upper() + out[1:] if text[:1].isupper() else out


# --- phrases ---------------------------------------------------------------------------------


def detect_phrases(det: PhrasesDetector, draft: Draft) -> list[Hit]:
    """Sentences with a flagged wording, when its context makes it a defect."""
    hits: list[Hit] = []
    for sentence in draft.sentences:
        if _skipped(draft, sentence, det.skip_sections):
            continue
        for item in det.items:
            if not _in_scope(sentence, item.scope or det.scope):
                continue
            skip = item.skip_actors if item.skip_actors is not None else det.skip_actors
            if sentence.actor in skip:
                continue
            match = rx(item.pattern).search(sentence.norm)
            if not match or not all(rx(p).search(sentence.norm) for p in item.requires):
                continue
            if _any(item.unless, sentence.norm):
                continue
            if item.unless_clause and _any(item.unless_clause, draft.block_text(sentence)):
                continue
            rewrite = None
            if item.rewrite is not None:
                replacement = item.rewrite.replace("{match}", sentence.text[match.start() : match.end()])
                rewrite = _replace(sentence.text, match.start(), match.end(), replacement)
            reason = item.reason.replace("{match}", sentence.text[match.start() : match.end()])
            hits.append(Hit(sentence, reason=reason, rewrite=rewrite, fix=item.fix))
    return hits


# --- modality --------------------------------------------------------------------------------


def detect_modality(det: ModalityDetector, draft: Draft) -> list[Hit]:
    """Requirements on the provider stated with a weak modal ('bör', 'kan') in a main clause."""
    hits: list[Hit] = []
    for sentence in draft.sentences:
        if _skipped(draft, sentence, det.skip_sections):
            continue
        hit = _weak_modal(det, draft, sentence)
        if hit is not None:
            hits.append(hit)
    return hits


def _weak_modal(det: ModalityDetector, draft: Draft, sentence: Sentence) -> Hit | None:
    spans = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(sentence.norm)]
    tokens = [t for t, _, _ in spans]
    found = []
    for weak in det.weak:
        for match in rx(rf"\b(?:{weak.word})\b").finditer(sentence.norm):
            first = sum(1 for _, start, _ in spans if start < match.start())
            last = sum(1 for _, start, _ in spans if start < match.end())
            found.append((first, last, match, weak))
    for first, last, match, weak in sorted(found, key=lambda item: item[0]):
        if any(t in _STRONG for t in tokens[:first]):
            return None  # a later weak modal sits in a clause governed by the obligation
        if first and tokens[first - 1] in _SUBORDINATORS:
            continue
        if actor_at(tokens, first) not in det.actors or _skipped(draft, sentence, weak.skip_sections):
            continue
        following = next((t for t in tokens[last:] if t not in ("även", "också", "dock", "alltid", "gärna")), "")
        if following in ("inte", "ej") and tokens[first] != "bör":
            continue
        if any(rx(f"^(?:{a})$").match(following) for a in weak.allowed_after):
            continue
        # "bör inte" becomes a prohibition: "får inte".
        replacement = "får" if following in ("inte", "ej") and weak.rewrite == "ska" else weak.rewrite
        rewrite = _replace(sentence.text, match.start(), match.end(), replacement)
        return Hit(sentence, reason=weak.reason, rewrite=rewrite)
    return None


# --- required elements -----------------------------------------------------------------------


def detect_required(det: RequiredDetector, draft: Draft) -> list[Hit]:
    """Elements that are absent, or present but lacking what their checks ask for."""
    hits: list[Hit] = []
    for element in det.elements:
        hit = _check_element(element, draft)
        if hit is not None:
            hits.append(hit)
    return hits


def _element_body(element: Element, draft: Draft) -> tuple[bool, list[Sentence], str]:
    headed = {s.index for s in draft.sections if not s.is_title and _any(element.headings, s.title.lower())}
    body = [
        s
        for s in draft.sentences
        if any(sec.index in headed for sec in draft.scope_sections(s)) or _any(element.evidence, s.norm)
    ]
    titles = " ".join(draft.sections[i].title.lower() for i in sorted(headed))
    text = titles + " " + " ".join(s.norm for s in body)
    return bool(headed) or bool(body), body, text


def _check_element(element: Element, draft: Draft) -> Hit | None:
    present, body, text = _element_body(element, draft)
    if not present:
        return Hit(
            None,
            element=element.name,
            severity=element.severity,
            message=element.message,
            fix=element.fix,
            sources=element.sources,
        )
    failed = []
    for check in element.checks:
        if check.when and not _any(check.when, text):
            continue
        where = draft.norm if check.scope == "draft" else text
        if sum(1 for p in check.any if rx(p).search(where)) < check.min:
            failed.append(check.label)
    if not failed:
        return None
    target = None
    if element.on_fail == "quote":
        for pattern in element.quote_prefer:
            target = next((s for s in body if rx(pattern).search(s.norm)), None)
            if target is not None:
                break
        target = target or (body[0] if body else None)
    return Hit(
        target,
        element=element.name,
        missing=failed,
        severity=element.severity,
        message=element.incomplete or element.message,
        fix=element.fix,
    )


# --- references ------------------------------------------------------------------------------

_ANNEX_ID = re.compile(r"\d{1,3}|\b[a-h](?![\w-])")


def detect_references(det: ReferencesDetector, draft: Draft) -> list[Hit]:
    """References to annexes or sections that do not exist in the draft."""
    annexes, numbers = set(draft.annexes), set(draft.numbers)
    hits: list[Hit] = []
    for sentence in draft.sentences:
        text, broken = sentence.norm, []
        for match in rx(det.annex).finditer(text):
            if _any(det.external, text[match.end() :]):
                continue
            ids = [match.group(1)] + _ANNEX_ID.findall(match.group(2) or "")
            broken += [f"bilaga {i}" for i in ids if i not in annexes]
        # Without numbered sections a reference to "avsnitt 4" cannot be checked.
        for match in rx(det.section).finditer(text) if numbers else ():
            if "§" in text[max(0, match.start() - 12) : match.start()] or _any(det.external, text[match.end() :]):
                continue
            if not _resolves(match.group(1), numbers):
                broken.append(match.group(0))
        if broken:
            hits.append(Hit(sentence, reason=", ".join(dict.fromkeys(broken))))
    return hits


def _resolves(number: str, numbers: set[str]) -> bool:
    if number in numbers:
        return True
    top = number.split(".")[0]
    # A section without numbered clauses: "punkt 4.2" cannot be checked, so it is not flagged.
    return top in numbers and not any(n.startswith(top + ".") for n in numbers)


DETECTORS: dict[str, Callable[..., list[Hit]]] = {
    "phrases": detect_phrases,
    "modality": detect_modality,
    "required": detect_required,
    "references": detect_references,
}
