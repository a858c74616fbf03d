"""Glossary: each term with its definition from the corpus, or else its best explanatory passage.

Candidates, strongest first: "Med X avses ..." (the definitions chapters of LOV and
kommunallagen, municipal documents), "X innebär/är ..." with the term as subject, the first
paragraph under a heading named by the term, and finally explanatory sentences mentioning it.
Laws beat policies beat guidance; repealed acts are never read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.intro.config import IntroConfig, TermSpec, default_config
from assistant.intro.corpus import DocView, content_tokens, display, iter_views, matches_law, similar
from assistant.intro.models import SOURCE_PRIORITY, GlossaryEntry, SourceType
from assistant.models import Citation
from assistant.protocols import Library

_QUALIFIER = (
    r"(?:\s+(?:enligt|i) (?:denna|den här|detta) (?:lag|kapitel|avsnitt|policy|program)"
    r"|\s+nedan|\s+i lagen|\s+enligt [^.]{1,40}?)*"
)
_DEFINES = re.compile(
    rf"(?:^|\(|,\s)[Mm]ed (?:en |ett |de |den |det )?(?P<term>[^.,:;()]{{2,60}}?){_QUALIFIER}\s+avses\b"
)
_EXPLAINS = re.compile(
    r"\b(?:innebär|betyder|avser|handlar om|syftar till|består av|är en|är ett|kallas|definieras|börjar med|"
    r"det vill säga|dvs)\b",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"[.!;:]\s*$")
# "X är skyldiga ..." is no definition; "X är en/ett ..." and "X innebär ..." are.
_COPULA = r"\s+(?:innebär|är (?:en|ett)|betyder|avser|definieras som|kallas)\b"
# "Med tjänst avses sådan tjänst som framgår av 1 kap. 1 §" points elsewhere instead of defining.
_REFERENCE_ONLY = re.compile(
    r"avses (?:detsamma som|sådana? [\w ]{1,30} som (?:framgår|avses) (?:av|i))", re.IGNORECASE
)
# "Bestämmelser om X finns i 10 kap." points elsewhere: a poor explanation.
_POINTER = re.compile(r"^Bestämmelser om .{0,200}\bfinns i\b", re.IGNORECASE)
_NUMBERING = re.compile(r"^\d+(?:\.\d+)*\.?\s+")
_DEFINITIONS_HEADING = re.compile(r"(?:definitioner|begrepp|ordlista|begreppsförklaring(?:ar)?)", re.IGNORECASE)
_DEFINITION_OF = re.compile(r"^definition(?:en)? av\s+", re.IGNORECASE)
_METADATA = re.compile(r"\b(?:antaget av|antagen av|diarienummer|dnr|beslutad av|senast reviderad)\b", re.IGNORECASE)
# Tender documents and contract terms define words of their own procurement ("ramavtalsupphandlingen").
_DISCOVER_KINDS = frozenset(["policy", "uppfoljningsprogram", "vagledning"])
_NOT_A_TERM = re.compile(r"^(?:sådana?n?t?|motsvarande|detta|denna|dessa|nämnda|ovan|nedan)\b", re.IGNORECASE)
_SOURCE_BONUS = {SourceType.law: 15, SourceType.policy: 10, SourceType.guidance: 0}
_MAX_PASSAGE = 600


@dataclass
class _Candidate:
    term: str
    score: int
    definition: bool
    start: int
    end: int
    view: DocView

    @property
    def text(self) -> str:
        return display(self.view.text[self.start : self.end])


class GlossaryBuilder:
    """Finds, scores and picks passages for the seed terms and for terms the corpus defines."""

    def __init__(self, config: IntroConfig | None = None):
        self.config = config or default_config()
        self.terms: dict[str, TermSpec] = {t.term: t for t in self.config.terms}
        self._compile()

    def _compile(self) -> None:
        self.names = list(self.terms)
        alts = "|".join(f"(?P<t{i}>{'|'.join(self.terms[n].forms)})" for i, n in enumerate(self.names))
        self.any_term = re.compile(rf"\b(?:{alts})\b", re.IGNORECASE)
        self.subject_re = {
            n: re.compile(rf"(?:en |ett |den |det )?(?:{'|'.join(self.terms[n].forms)}){_COPULA}", re.IGNORECASE)
            for n in self.names
        }
        self.heading_re = {n: re.compile(rf"(?:{'|'.join(self.terms[n].forms)})\b", re.IGNORECASE) for n in self.names}

    def terms_in(self, text: str) -> set[str]:
        return {self.names[int(m.lastgroup[1:])] for m in self.any_term.finditer(text)}

    def term_for(self, phrase: str) -> str | None:
        """The seed term a defined phrase names, if any ('en privat utförare' -> 'privat utförare')."""
        for name in self.names:
            if re.fullmatch(rf"(?:{'|'.join(self.terms[name].forms)})", phrase, re.IGNORECASE):
                return name
        return None

    # -- candidates -----------------------------------------------------------------------
    def candidates(self, view: DocView) -> list[_Candidate]:
        bonus = _SOURCE_BONUS[view.source_type]
        if view.is_law and not matches_law(view.meta, self.config.definition_laws):
            bonus -= 20  # other acts define words in their own sense (HSL's huvudman is about health care)
        found: list[_Candidate] = []
        for sentence in view.sentences:
            if sentence.in_quote or sentence.text.rstrip().endswith("?") or len(sentence.text) > _MAX_PASSAGE:
                continue
            text = sentence.text
            defined = _DEFINES.search(text)
            if defined and not _REFERENCE_ONLY.search(text):
                phrase = " ".join(defined.group("term").split()).strip("”“\"'’ ")
                term = self.term_for(phrase) or self._discovered(phrase, view)
                if term:
                    found.append(self._make(term, 100 + bonus, True, view, sentence))
                    continue
            if "http" in text or not _TERMINAL.search(text):
                continue  # titles, headings and source lines explain nothing
            for term in self.terms_in(text):
                if self.subject_re[term].match(text):
                    found.append(self._make(term, 80 + bonus, True, view, sentence))
                else:
                    found.append(self._make(term, self._mention_score(term, text) + bonus, False, view, sentence))
        found += self._heading_passages(view, bonus)
        return found

    def _discovered(self, phrase: str, view: DocView) -> str | None:
        """A new term from 'Med X avses' in a role law or a municipal document."""
        words = phrase.split()
        if not 1 <= len(words) <= 4 or any(c.isdigit() or c in '§[]”“"' for c in phrase) or _NOT_A_TERM.match(phrase):
            return None
        if view.is_law and not matches_law(view.meta, self.config.definition_laws):
            return None
        if not view.is_law and view.meta.kind.value not in _DISCOVER_KINDS:
            return None  # guidelines and mission texts define everyday words ("barn", "nyanställd personal")
        term = phrase.lower() if not phrase.isupper() else phrase
        if term not in self.terms:
            self.terms[term] = TermSpec(term=term, forms=[re.escape(term)])
            self._compile()
        return term

    def _mention_score(self, term: str, text: str) -> int:
        score = 10
        first = self.heading_re[term].search(text)
        if first and re.fullmatch(r"(?:(?:en|ett|den|det|de)\s+)?", text[: first.start()], re.IGNORECASE):
            score += 15  # the term opens the sentence as its subject
        explains = _EXPLAINS.search(text, first.end()) if first else None
        if explains and explains.start() - first.end() <= 40:
            score += 20  # the sentence explains the term itself, not some other word in it
        if 60 <= len(text) <= 350:
            score += 10
        score += min(15, 5 * (len(self.terms_in(text)) - 1))  # said in the domain's own context
        if _POINTER.search(text):
            score -= 30
        return score

    def _make(
        self, term: str, score: int, definition: bool, view: DocView, sentence, end: int | None = None
    ) -> _Candidate:
        last = view.sentences.index(sentence) if end is None else None
        stop = end if end is not None else view.sentences[view.list_end(last)].end
        return _Candidate(term, score, definition, sentence.start, stop, view)

    def _heading_passages(self, view: DocView, bonus: int) -> list[_Candidate]:
        """First paragraph under a heading named by a term ('Konkurrensneutralitet', 'Sanktioner').

        Under a 'Definitioner' heading the paragraph is the municipality's own definition.
        """
        found = []
        in_definitions = -10
        for i, (start, end) in enumerate(view.paragraphs):
            heading = _NUMBERING.sub("", view.text[start:end].strip().lstrip("#").strip())
            if not heading or len(heading.split()) > 6 or heading[-1:] in ".:;!?,":
                continue
            if _DEFINITIONS_HEADING.fullmatch(heading):
                in_definitions = i
                continue
            for term in self.names:
                match = self.heading_re[term].match(_DEFINITION_OF.sub("", heading))
                if not match:
                    continue
                passage = self._first_paragraph(view, i)
                if not passage:
                    continue
                body = view.text[passage[0] : passage[1]]
                names_term = bool(self.heading_re[term].search(body))
                exact = match.end() == len(_DEFINITION_OF.sub("", heading))
                if _METADATA.search(body[:60]) or not (names_term or exact):
                    continue  # adoption dates and pointers, not an explanation
                defines = i - in_definitions <= 6 or heading.lower().startswith("definition")
                score = (90 if defines else 65 if exact else 50) + bonus - (0 if names_term or defines else 15)
                if _POINTER.search(body):
                    score -= 30
                sentence = next(s for s in view.sentences if s.start >= passage[0])
                found.append(self._make(term, score, defines, view, sentence, end=passage[1]))
        return found

    def _first_paragraph(self, view: DocView, heading_index: int) -> tuple[int, int] | None:
        for start, end in view.paragraphs[heading_index + 1 : heading_index + 4]:
            para = view.text[start:end].strip()
            if not para or para.startswith("#") or (len(para.split()) <= 6 and not para.endswith(".")):
                continue  # sub-headings such as "#### 3 §"
            lead = len(view.text[start:end]) - len(view.text[start:end].lstrip())
            spans = [s for s in view.sentences if start <= s.start < end]
            if not spans or any(s.in_quote for s in spans[:1]):
                return None
            stop = spans[0].end
            for s in spans[1:]:
                if s.end - (start + lead) > _MAX_PASSAGE:
                    break
                stop = s.end
            return spans[0].start, stop
        return None


def build_glossary(library: Library, config: IntroConfig | None = None) -> list[GlossaryEntry]:
    """One entry per term the corpus defines or explains, each cited, related terms linked."""
    builder = GlossaryBuilder(config)
    by_term: dict[str, list[_Candidate]] = {}
    for view in iter_views(library, builder.config):
        for candidate in builder.candidates(view):
            by_term.setdefault(candidate.term, []).append(candidate)
    entries: dict[str, GlossaryEntry] = {}
    for term, candidates in by_term.items():
        candidates.sort(
            key=lambda c: (
                -c.score,
                SOURCE_PRIORITY[c.view.source_type],
                bool(c.view.meta.duplicate_of),
                c.view.meta.doc,
                c.start,
            )
        )
        best = candidates[0]
        if not best.definition and best.score < 35:
            continue  # a bare mention explains nothing
        tokens = content_tokens(best.text)
        sources: list[Citation] = [best.view.citation(best.start, best.end)]
        for other in candidates[1:]:
            if other.view.meta.doc not in {s.doc for s in sources} and similar(tokens, content_tokens(other.text)):
                sources.append(other.view.citation(other.start, other.end))
        entries[term] = GlossaryEntry(
            term=term,
            text=best.text,
            definition=best.definition,
            source_type=best.view.source_type,
            sources=sources,
            forms=builder.terms[term].forms,
        )
    _link(entries, builder)
    return sorted(entries.values(), key=lambda e: swedish_key(e.term))


def _link(entries: dict[str, GlossaryEntry], builder: GlossaryBuilder) -> None:
    """Terms mentioned in each other's definitions are related, both ways."""
    related: dict[str, set[str]] = {t: set() for t in entries}
    for term, entry in entries.items():
        for other in builder.terms_in(entry.text):
            if other != term and other in entries:
                related[term].add(other)
                related[other].add(term)
    for term, entry in entries.items():
        entry.related = sorted(related[term], key=swedish_key)


def swedish_key(text: str) -> str:
    """Sort key in Swedish alphabetical order (å, ä, ö after z)."""
    return text.lower().translate(str.maketrans({"å": "{", "ä": "|", "ö": "}", "é": "e"}))
