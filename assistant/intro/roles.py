"""Role map: who is responsible for what, extracted from the corpus with citations.

A statement is a sentence whose subject is an actor followed by a responsibility verb
("Fullmäktige ska ...", "Nämnderna har ansvar för ..."), an inverted main clause
("..., ska fullmäktige anta ..."), or a passive with agent ("... fattas av socialchef").
Mentions of an actor elsewhere in a sentence do not count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.intro.config import ActorSpec, IntroConfig, default_config
from assistant.intro.corpus import DocView, content_tokens, display, iter_views, matches_law, similar
from assistant.intro.models import SOURCE_PRIORITY, RoleStatement, SourceType
from assistant.models import Citation, DocumentKind
from assistant.protocols import Library

_DET = r"(?:(?:den|de|det|en|ett|varje|alla|samtliga|respektive|kommunens|regionens|berörda?)\s+)?"
# A parenthesis or a comma-enclosed clause may follow the subject: "Huvudmannen (kommunen) ska".
_APPOSITION = r"(?:\s*\([^)]{0,90}\))?(?:\s*,[^,]{1,80},)?"
_GAP = r"(?:\s+[\w-]+){0,4}?"
# Words that may open a main clause before an inverted verb ("I egenskap av ... fastställer X").
_FRONT = re.compile(
    r"(?:om|när|i|inom|för|enligt|efter|vid|utöver|dessutom|därför|därutöver|sedan|på|genom|utifrån|"
    r"av|till|med|under|innan|då|härutöver|slutligen|vidare)\b",
    re.IGNORECASE,
)
_ADVERBS = frozenset(
    "också även alltid inte dock därför särskilt var och en i första hand själv själva gemensamt aktivt "
    "kontinuerligt löpande regelbundet fortlöpande genast skyndsamt utan dröjsmål vidare".split()
)
_STATIVE = frozenset(["finnas", "vara", "ha", "bli"])
_ANAPHOR = re.compile(r"\bdenna nivå\b", re.IGNORECASE)
_MODALS = frozenset(["ska", "skall", "måste", "bör"])
_MAX_CHARS = 700


@dataclass
class _Match:
    actor: str
    modality: str
    start: int
    end: int
    level: str | None
    via: str | None = None  # the grammatical subject when the actor comes from "i egenskap av beställare"


class RoleExtractor:
    """Compiled patterns for one configuration; `extract(view)` finds a document's statements."""

    def __init__(self, config: IntroConfig | None = None):
        self.config = config or default_config()
        inv = "|".join(self.config.inverted_verbs)
        passive = "|".join(self.config.passive_verbs)
        self.actor_res: dict[tuple[str, bool], re.Pattern[str]] = {}
        self.inverted_re: dict[tuple[str, bool], re.Pattern[str]] = {}
        self.passive_re: dict[tuple[str, bool], re.Pattern[str]] = {}
        self.ellipsis_re: dict[tuple[str, bool], re.Pattern[str]] = {}
        for a in self.config.actors:
            for law in (False, True):
                alts = self._alts(a.patterns + (a.law_patterns if law else []))
                key = (a.id, law)
                self.actor_res[key] = re.compile(rf"{_DET}(?:{alts})\b", re.IGNORECASE)
                self.inverted_re[key] = re.compile(
                    rf"(?:^|(?<=[\s,]))(?P<verb>{inv})\s+(?:(?:även|också|dock)\s+)?{_DET}(?:{alts})\b", re.IGNORECASE
                )
                self.passive_re[key] = re.compile(
                    rf"\b(?:{passive})\s+(?:(?:även|också)\s+)?av\s+{_DET}(?:{alts})\b", re.IGNORECASE
                )
                # "Kommunen ansvarar för VAD ..., utförarna för HUR ... och medborgarna för NÄR ..."
                self.ellipsis_re[key] = re.compile(rf"(?:,|\boch)\s+{_DET}(?:{alts})\s+för\b", re.IGNORECASE)
        self.verb_res = {a.id: self._verbs_re(a) for a in self.config.actors}
        self.topic_re = re.compile("|".join(f"(?:{t})" for t in self.config.law_topics), re.IGNORECASE)
        self.role_phrase_re = {
            self._actor_for_label(k): re.compile(rf"\b{v}\b", re.IGNORECASE)
            for k, v in self.config.role_phrases.items()
        }
        self.egen_regi_re = re.compile(rf"{_DET}(?:{self._alts(self.config.egen_regi_subjects)})\b", re.IGNORECASE)
        self.egen_regi_verbs = self.verb_res["egen_regi"]

    @staticmethod
    def _alts(patterns: list[str]) -> str:
        return "|".join(f"(?:{p})" for p in patterns)

    def _verbs_re(self, actor: ActorSpec) -> re.Pattern[str]:
        groups = {"val": actor.verbs} if actor.verbs else {k: list(v) for k, v in self.config.verbs.items()}
        if actor.extra_verbs:
            groups.setdefault("skyldighet", []).extend(actor.extra_verbs)
        alts = "|".join(f"(?P<{k}>{'|'.join(v)})" for k, v in groups.items())
        return re.compile(rf"{_APPOSITION}{_GAP}\s+(?:{alts})\b", re.IGNORECASE)

    def _actor_for_label(self, key: str) -> str:
        labels = {"beställare": "bestallare", "utförare": "utforare", "huvudman": "huvudman"}
        return labels.get(key, key)

    # -- extraction ------------------------------------------------------------------------
    def eligible(self, view: DocView) -> bool:
        """Law statements only from the relevant acts; all other kinds count."""
        if view.meta.kind == DocumentKind.lag:
            return matches_law(view.meta, self.config.role_laws)
        return True

    def extract(self, view: DocView) -> list[tuple[_Match, Citation, str]]:
        """(match, citation, shown text) for every responsibility statement in the document."""
        if not self.eligible(view):
            return []
        title = view.meta.title.lower()
        egen_regi_doc = any(t in title for t in self.config.egen_regi_titles)
        law = view.is_law
        topical = law and not matches_law(view.meta, self.config.role_laws_whole)
        found: list[tuple[_Match, Citation, str]] = []
        skip_until = -1
        for i, sentence in enumerate(view.sentences):
            if i <= skip_until or sentence.in_quote:
                continue
            text = sentence.text
            if text.rstrip().endswith("?") or len(text) > _MAX_CHARS or len(text.split()) < 3:
                continue
            matches = self._match(text, egen_regi_doc, law)
            if not matches or (topical and not self.topic_re.search(text)):
                continue
            last = view.list_end(i)
            skip_until = last
            start, end = sentence.start, view.sentences[last].end
            if _ANAPHOR.search(text):
                # "Beslut på denna nivå fattas av ..." needs the paragraph that names the level.
                para_start = view.paragraph(start)[0]
                if start - para_start < _MAX_CHARS:
                    start = para_start
            citation = view.citation(start, end)
            shown = display(view.text[start:end])
            level = view.level_at(sentence.start)
            subject = matches[0][0]
            for actor, modality, how in matches:
                via = subject if how == "role" else None
                found.append((_Match(actor, modality, start, end, level, via), citation, shown))
        return found

    def _match(self, text: str, egen_regi_doc: bool, law: bool) -> list[tuple[str, str, str]]:
        """(actor, modality, how) with how = subject, role ("som beställare") or ellipsis."""
        primary = self._subject_first(text, egen_regi_doc, law) or self._inverted(text, law) or self._passive(text, law)
        if not primary:
            return []
        result = [(*primary, "subject")]
        for actor, phrase in self.role_phrase_re.items():
            if actor != primary[0] and phrase.search(text):
                result.append((actor, primary[1], "role"))
        if re.search(r"\b(?:ansvarar|har ansvar(?:et)?) för\b", text, re.IGNORECASE):
            for actor in self.config.actors:
                if all(actor.id != a for a, *_ in result) and self.ellipsis_re[(actor.id, law)].search(text):
                    result.append((actor.id, "skyldighet", "ellipsis"))
        return result

    def _subject_first(self, text: str, egen_regi_doc: bool, law: bool) -> tuple[str, str] | None:
        candidates = []
        if egen_regi_doc:
            candidates.append(("egen_regi", self.egen_regi_re, self.egen_regi_verbs))
        candidates += [(a.id, self.actor_res[(a.id, law)], self.verb_res[a.id]) for a in self.config.actors]
        best: tuple[int, str, str] | None = None
        for actor, actor_re, verb_re in candidates:
            subject = actor_re.match(text)
            if not subject:
                continue
            verb = verb_re.match(text, subject.end())
            if verb and not self._passive_after_modal(verb.group(verb.lastgroup), text[verb.end() :]):
                modality = verb.lastgroup
                if best is None or subject.end() > best[0]:
                    best = (subject.end(), actor, modality)
        return (best[1], best[2]) if best else None

    def _inverted(self, text: str, law: bool) -> tuple[str, str] | None:
        for actor in self.config.actors:
            if actor.verbs:  # citizens' choices are never stated inverted in the corpus
                continue
            match = self.inverted_re[(actor.id, law)].search(text)
            if not match or match.start() == 0:
                continue
            before = text[: match.start()].rstrip()
            if len(before) > 160 or not (before.endswith(",") or _FRONT.match(before)):
                continue
            if self._passive_after_modal(match.group("verb"), text[match.end() :]):
                continue
            verb = match.group("verb").lower()
            return actor.id, "befogenhet" if verb not in _MODALS and verb not in (
                "har",
                "ansvarar",
                "svarar",
            ) else "skyldighet"
        return None

    def _passive(self, text: str, law: bool) -> tuple[str, str] | None:
        for actor in self.config.actors:
            if self.passive_re[(actor.id, law)].search(text):
                return actor.id, "befogenhet"
        return None

    @staticmethod
    def _passive_after_modal(verb: str, rest: str) -> bool:
        """'X ska tillförsäkras ...' or 'X ska finnas': not something the actor does.

        `rest` is the text after the verb (subject first) or after the actor (inverted).
        """
        if verb.lower() not in _MODALS:
            return False
        following = [w.lower() for w in re.findall(r"[\w-]+", rest)[:8] if w.lower() not in _ADVERBS]
        if not following:
            return False
        nxt = following[0]
        return nxt in _STATIVE or (len(nxt) > 4 and nxt.endswith("s") and not nxt.endswith("ss"))


def build_role_map(library: Library, config: IntroConfig | None = None) -> list[RoleStatement]:
    """All cited responsibility statements of the library, duplicates merged, grouped by actor."""
    extractor = RoleExtractor(config)
    config = extractor.config
    raw: list[tuple[_Match, Citation, str, SourceType, bool]] = []
    for view in iter_views(library, config):
        is_copy = bool(view.meta.duplicate_of)
        for match, citation, shown in extractor.extract(view):
            raw.append((match, citation, shown, view.source_type, is_copy))
    # Best source first, so it gives the shown text; copies (004 of 002) after their originals.
    raw.sort(key=lambda r: (SOURCE_PRIORITY[r[3]], r[4], r[1].doc, r[1].start or 0))
    corpus_levels = _corpus_levels(raw)
    clusters: dict[str, list[tuple[frozenset[str], RoleStatement]]] = {}
    for match, citation, shown, stype, _ in raw:
        tokens = content_tokens(shown)
        bucket = clusters.setdefault(match.actor, [])
        for rep_tokens, statement in bucket:
            if similar(tokens, rep_tokens):
                if all(s.doc != citation.doc for s in statement.sources):
                    statement.sources.append(citation)
                if match.level and statement.level_basis != "section":
                    statement.level, statement.level_basis = match.level, "section"
                break
        else:
            spec = config.actor(match.actor)
            level, basis = _level(match, spec, corpus_levels)
            bucket.append(
                (
                    tokens,
                    RoleStatement(
                        actor=match.actor,
                        actor_label=spec.label,
                        level=level,
                        level_basis=basis,
                        modality=match.modality,
                        text=shown,
                        source_type=stype,
                        sources=[citation],
                    ),
                )
            )
    order = {a.id: i for i, a in enumerate(config.actors)}
    levels = {name: i for i, name in enumerate(config.levels)}
    statements = [s for bucket in clusters.values() for _, s in bucket]
    # Statements on the core topics (private providers, follow-up, insight ...) first within a level.
    topics = [re.compile(t, re.IGNORECASE) for t in config.law_topics]
    core = {id(s): sum(1 for t in topics if t.search(s.text)) >= 2 for s in statements}
    statements.sort(
        key=lambda s: (
            order[s.actor],
            levels.get(s.level or "", 9),
            not core[id(s)],
            SOURCE_PRIORITY[s.source_type],
            -len(s.sources),
            s.sources[0].doc,
            s.sources[0].start or 0,
        )
    )
    return statements


def _corpus_levels(raw) -> dict[str, str]:
    """Actor -> level where a document places the actor's decisions on a level (Täby policy)."""
    seen: dict[str, dict[str, int]] = {}
    for match, *_ in raw:
        if match.level and not match.via:
            counts = seen.setdefault(match.actor, {})
            counts[match.level] = counts.get(match.level, 0) + 1
    return {actor: max(counts, key=counts.get) for actor, counts in seen.items()}


def _level(match: _Match, spec: ActorSpec, corpus_levels: dict[str, str]) -> tuple[str | None, str | None]:
    if match.level:
        return match.level, "section"
    if match.via and match.via in corpus_levels:
        return corpus_levels[match.via], "corpus"
    if match.actor in corpus_levels:
        return corpus_levels[match.actor], "corpus"
    return (spec.level, "role") if spec.level else (None, None)
