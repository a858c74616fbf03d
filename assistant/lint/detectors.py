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
    PlaceholdersDetector,
    ReferencesDetector,
    RequiredDetector,
)
from assistant.lint.swedish import actor_at, classify
from assistant.models import Severity

_TOKEN = re.compile(r"[\wåäöéü]+(?:-[\wåäöéü]+)*|[,;:()]")
_STRONG = {"ska", "skall", "måste"}
_SUBORDINATORS = {"som", "att", "om", "när", "där", "eftersom", "innan", "ifall", "så", "medan", "då", "tills"}
_COORDINATORS = {"och", "samt", "men"}
_CLAUSE_BREAKS = {",", ";", ":", "(", ")"}
# Sentences that are never evidence that an element is present.
_NOT_EVIDENCE = {"evaluation", "bidder", "form"}


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
    also: list[Hit] = field(default_factory=list)
    group: str | None = None  # hits of a rule with `group: true` and the same group are reported as one


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
        if det.roles is not None and sentence.role not in det.roles:
            continue
        if _skipped(draft, sentence, det.skip_sections) or _any(det.unless, sentence.norm):
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
            if item.followable and _followable(det, draft, sentence):
                continue  # a level, a deadline, a standard or a statute: the requirement can be followed up
            rewrite = None
            if item.rewrite is not None:
                replacement = item.rewrite.replace("{match}", sentence.text[match.start() : match.end()])
                rewrite = _replace(sentence.text, match.start(), match.end(), replacement)
            reason = item.reason.replace("{match}", sentence.text[match.start() : match.end()])
            hits.append(Hit(sentence, reason=reason, rewrite=rewrite, fix=item.fix))
            break  # one finding per sentence: the first wording that is a defect
    return hits


def _followable(det: PhrasesDetector, draft: Draft, sentence: Sentence) -> bool:
    """The sentence states a level, deadline, frequency, standard or statute; a heading above it names
    the statute it restates; or the next sentence of its section says how it is measured."""
    if _any(det.followable, sentence.norm):
        return True
    if det.followable_headings and any(_any(det.followable_headings, t) for t in _titles(draft, sentence)):
        return True
    if det.measured_nearby:
        following = draft.sentences[sentence.index + 1 : sentence.index + 2]
        return any(s.section == sentence.section and _any(det.measured_nearby, s.norm) for s in following)
    return False


# --- modality --------------------------------------------------------------------------------


def detect_modality(det: ModalityDetector, draft: Draft) -> list[Hit]:
    """Requirements on the provider stated with a weak modal ('bör', 'kan') in a main clause."""
    hits: list[Hit] = []
    for sentence in draft.sentences:
        if det.roles is not None and sentence.role not in det.roles:
            continue
        if _skipped(draft, sentence, det.skip_sections):
            continue
        hit = _weak_modal(det, draft, sentence)
        if hit is not None:
            hits.append(hit)
    return hits


def _subordinate(tokens: list[str], index: int) -> bool:
    """The word at `index` stands in a subordinate clause ("om leverantören inte kan …", "att X kan …"):
    a subordinator since the last clause break, and no party named right after the modal (in a main
    clause after a fronted subordinate clause the subject follows the verb: "… kan anbudet förkastas")."""
    j = index + 1
    while j < len(tokens) and tokens[j] in ("dock", "även", "också", "inte", "ej", "endast", "bara"):
        j += 1
    if j < len(tokens) and classify(tokens[j], tokens[j - 1]) is not None:
        return False
    for k in range(index - 1, -1, -1):
        if tokens[k] in _CLAUSE_BREAKS:
            return False
        if tokens[k] in _SUBORDINATORS:
            return True
    return False


def _weak_modal(det: ModalityDetector, draft: Draft, sentence: Sentence) -> Hit | None:
    spans = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(sentence.norm)]
    tokens = [t for t, _, _ in spans]
    found = []
    for weak in det.weak:
        for match in rx(rf"\b(?:{weak.word})\b").finditer(sentence.norm):
            first = sum(1 for _, start, _ in spans if start < match.start())
            last = sum(1 for _, start, _ in spans if start < match.end())
            found.append((first, last, match, weak))
    section = draft.section_of(sentence)
    for first, last, match, weak in sorted(found, key=lambda item: item[0]):
        coordinated = first > 0 and tokens[first - 1] in _COORDINATORS
        if any(t in _STRONG for t in tokens[:first]) and not coordinated:
            return None  # a later weak modal sits in a clause governed by the obligation
        if first and (tokens[first - 1] in _SUBORDINATORS or _subordinate(tokens, first)):
            continue
        actor = actor_at(tokens, first)
        unnamed = actor is None and weak.unnamed_subject and section is not None and section.requirements
        if (actor not in det.actors and not unnamed) or _skipped(draft, sentence, weak.skip_sections):
            continue
        if _any(weak.unless, sentence.norm):
            continue
        fillers = ("även", "också", "dock", "alltid", "gärna", "endast", "bara", "enbart")
        following = next((t for t in tokens[last:] if t not in fillers), "")
        rest = tokens[last:]
        if rest and classify(rest[0], tokens[last - 1]) is not None:
            rest = rest[1:]  # the subject after an inverted modal ("… kan utföraren inte ta emot …")
        negated = next((t for t in rest if t not in fillers), "") in ("inte", "ej")
        if negated and tokens[first] != "bör":
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
        if s.role not in _NOT_EVIDENCE
        and (any(sec.index in headed for sec in draft.scope_sections(s)) or _any(element.evidence, s.norm))
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
_WORD = re.compile(r"[a-zåäöéü]{4,}")
_STOP = set(
    "enligt punkt punkten avsnitt avsnittet ovan nedan under samt eller denna detta dessa från inom också även "
    "vilket vilka såsom gäller framgår anges angivet angivna kommer samtliga respektive".split()
)


def detect_references(det: ReferencesDetector, draft: Draft) -> list[Hit]:
    """References to annexes or sections that do not exist in the draft, or that point at a section
    about something else than the words before the reference name."""
    annexes, numbers = set(draft.annexes), set(draft.numbers)
    hits: list[Hit] = []
    for sentence in draft.sentences:
        text, broken = sentence.norm, []
        # Without an annex list in the draft (the annexes are separate files of the tender) an annex
        # reference cannot be checked; nor one to a document published elsewhere (the framework's annexes).
        if annexes and not _any(det.elsewhere, text):
            for match in rx(det.annex).finditer(text):
                if _any(det.external, text[match.end() :]):
                    continue
                ids = [match.group(1)] + _ANNEX_ID.findall(match.group(2) or "")
                broken += [f"bilaga {i}" for i in ids if i not in annexes]
        wrong = []
        # Without numbered sections a reference to "avsnitt 4" cannot be checked.
        for match in rx(det.section).finditer(text) if numbers else ():
            if "§" in text[max(0, match.start() - 12) : match.start()] or _any(det.external, text[match.end() :]):
                continue
            number = match.group(1)
            if not _resolves(number, numbers):
                meant = _named_before(draft, text[: match.start()])
                hint = f" (avses kanske {' eller '.join(f'punkt {m.number}' for m in meant)}?)" if meant else ""
                broken.append(match.group(0) + hint)
            elif det.wrong_section:
                other = _meant_instead(draft, number, text[: match.start()])
                if other is not None:
                    wrong.append((match.group(0), number, other))
        if broken:
            hits.append(Hit(sentence, reason=", ".join(dict.fromkeys(broken))))
        elif wrong:
            said, number, other = wrong[0]
            target = _section_titled(draft, number)
            reason = (
                f"{said} handlar om ”{target}”, men texten före hänvisningen gäller ”{other.title}” "
                f"(punkt {other.number})"
            )
            message = (
                "Hänvisningen pekar på fel avsnitt: {reason}. Krav och villkor ska vara tydliga och självständiga."
            )
            hits.append(
                Hit(sentence, reason=reason, message=message, fix=f"Rätta hänvisningen till punkt {other.number}.")
            )
    return hits


def _resolves(number: str, numbers: set[str]) -> bool:
    if number in numbers:
        return True
    top = number.split(".")[0]
    # A section without numbered clauses: "punkt 4.2" cannot be checked, so it is not flagged.
    return top in numbers and not any(n.startswith(top + ".") for n in numbers)


def _stems(text: str) -> set[str]:
    return {w[:6] for w in _WORD.findall(text.lower()) if w not in _STOP}


def _section_titled(draft: Draft, number: str) -> str:
    return next((s.title for s in draft.sections if s.number == number), number)


def _meant_instead(draft: Draft, number: str, before: str):
    """Another numbered section whose whole heading (two words or more) the words just before the
    reference name, when the referenced section, its subsections and its parent share no word with
    them; else None. A reference into a section under the named heading is not wrong."""
    context = _stems(" ".join(before.split()[-8:]))
    if not context:
        return None
    parent = number.rsplit(".", 1)[0] if "." in number else None
    target = [
        s for s in draft.sections if s.number and (s.number in (number, parent) or s.number.startswith(number + "."))
    ]
    if not target or any(_stems(s.title) & context for s in target):
        return None
    named = [
        s
        for s in _named_before(draft, before)
        if not (number.startswith(s.number + ".") or s.number.startswith(number + "."))
    ]  # a reference into (or to the parent of) the section named is not wrong
    return named[0] if named else None


def _named_before(draft: Draft, before: str) -> list:
    """Numbered sections whose whole heading, two words or more, the words just before a reference
    name; those naming the most words, in document order."""
    context = _stems(" ".join(before.split()[-8:]))
    found, size = [], 1
    for section in draft.sections:
        stems = _stems(section.title)
        if not section.number or len(stems) < size or not stems <= context:
            continue
        if len(stems) > size:
            found, size = [], len(stems)
        if all(s.number != section.number for s in found):
            found.append(section)
    return found if size >= 2 else []


# --- placeholders ----------------------------------------------------------------------------

_BRACKET = re.compile(r"\[([^\[\]]{1,1500})\](?!\()")
_PARTY_WINDOW = 80


def detect_placeholders(det: PlaceholdersDetector, draft: Draft) -> list[Hit]:
    """Template text left in the draft, one hit per sentence, with what it breaks where it sits in a
    period, a price, a deadline, a sanction or the follow-up."""
    found: dict[int, list[tuple[str, str]]] = {}  # sentence index -> (placeholder, reason)
    if det.brackets:
        for match in _BRACKET.finditer(draft.text):
            content = " ".join(match.group(1).split())
            if not any(c.isalpha() for c in content) or _any(det.bracket_ignore, content.lower()):
                continue
            if _fill_in(det, draft.text, match.start(), content):
                continue
            sentence = _sentence_at(draft, match.start())
            if sentence is not None and not _signing(det, draft, sentence):
                found.setdefault(sentence.index, []).append((f"[{_short(content)}]", det.bracket_reason))
    for sentence in draft.sentences:
        if _signing(det, draft, sentence):
            continue
        for item in det.patterns:
            flags = 0 if item.case_sensitive else re.IGNORECASE
            match = re.search(item.pattern, sentence.text, flags)
            if match is None:
                continue
            if item.only_in_sections and not any(_any(item.only_in_sections, t) for t in _titles(draft, sentence)):
                continue
            found.setdefault(sentence.index, []).append((match.group(0), item.reason))
    hits = []
    for index, items in sorted(found.items()):
        sentence = draft.sentences[index]
        section = draft.section_of(sentence)
        heading = section.title.lower() if section is not None and not section.is_title else ""
        # What the placeholder breaks: its own words and the heading it stands under; for a short
        # field inside a sentence ("perioden [från och med – till och med]") also the sentence.
        context = " ".join(
            [p.lower() for p, _ in items] + [heading] + [sentence.norm] * any(len(p) <= 42 for p, _ in items)
        )
        consequence = next((c for c in det.consequences if _any(c.when, context)), None)
        shown = ", ".join(dict.fromkeys(f"”{p}”" for p, _ in items))
        reason = f"{items[0][1]} ({shown})"
        if consequence is None:
            hits.append(Hit(sentence, reason=reason, group=items[0][1]))
        else:
            hits.append(Hit(sentence, reason=f"{reason}; {consequence.consequence}", severity=consequence.severity))
    return hits


def _signing(det: PlaceholdersDetector, draft: Draft, sentence: Sentence) -> bool:
    """The sentence is part of a signature block: it, its heading or the rows right after it say so."""
    if not det.skip_sentences:
        return False
    near = [s.norm for s in draft.sentences[sentence.index : sentence.index + 3] if s.section == sentence.section]
    return any(_any(det.skip_sentences, text) for text in near + _titles(draft, sentence)[:1])


def _fill_in(det: PlaceholdersDetector, text: str, start: int, content: str) -> bool:
    """A short placeholder for the supplier's own data: it names the supplier, or the nearest party
    named just before it is the supplier (not the buyer)."""
    if len(content) > 40:
        return False  # an instruction or an optional clause, not a field
    if _any(det.fill_in, content.lower()):
        return True
    window = text[max(0, start - _PARTY_WINDOW) : start].lower()
    supplier = max((m.end() for p in det.fill_in for m in rx(p).finditer(window)), default=-1)
    buyer = max((m.end() for p in det.buyer for m in rx(p).finditer(window)), default=-1)
    return supplier > buyer


def _sentence_at(draft: Draft, offset: int) -> Sentence | None:
    """The sentence holding a character offset; a placeholder in a heading belongs to no sentence."""
    for sentence in draft.sentences:
        if sentence.start <= offset < max(sentence.end, sentence.start + len(sentence.text)):
            return sentence
        if sentence.start > offset:
            return None
    return None


def _short(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


DETECTORS: dict[str, Callable[..., list[Hit]]] = {
    "phrases": detect_phrases,
    "modality": detect_modality,
    "required": detect_required,
    "references": detect_references,
    "placeholders": detect_placeholders,
}
