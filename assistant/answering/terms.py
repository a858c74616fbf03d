"""Content terms of a question and how well a text covers them.

Matching is on Snowball Swedish stems with compound tolerance: "sanktioner" matches
"sanktionstrappa", "uppföljning" matches "avtalsuppföljning", and a question compound
("tjänsteområden") partly matches its parts in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.analysis import agent_plural, other_forms
from assistant.analysis import stem as _stem
from assistant.answering import lexicon
from assistant.answering.forms import compound_parts, stem_level
from assistant.retrieval import thesaurus_groups
from assistant.text import normalize

_WORD = re.compile(r"[0-9]+(?::[0-9]+)?|[a-zåäöéüæøà]+", re.IGNORECASE)

IN_CONTEXT = 0.7  # a term found only around the sentence (chunk, title, section) counts this much
NEAR = 0.7  # ... and in the items of a list, under its lead-in (counted as the list's own words)


def stem(word: str) -> str:
    """The Snowball stem, an agent noun kept whole (analysis.stem: "utföraren" -> "utförare", not "utför")."""
    return _stem(word.lower())


def words(text: str) -> list[str]:
    """Lowercase word tokens after the evaluation's normalisation (joins PDF hyphenation)."""
    return _WORD.findall(normalize(text))


# A word written in capitals ("LOV", "SIP:en", "LSS-insatser") is also kept as written ("=lov"), beside its stem:
# an acronym of the question matches only that (Term.acronym): "LOV" is not "LOVE", an IT system's name, nor
# "lovar", and the stemmer cuts all three to "lov".
_CAPITALS = re.compile(r"(?<![\w-])([A-ZÅÄÖ]{2,7})(?:s|n|en|ens)?(?![\w])")


def stems(text: str) -> set[str]:
    """The stems of a text's words, with both readings of a definite plural in "-arna" ("utförarna": "utför"
    and "utförare"), and its acronyms as written."""
    tokens = words(text)
    return (
        {stem(w) for w in tokens}
        | {p for p in map(agent_plural, tokens) if p}
        | {"=" + m.lower() for m in _CAPITALS.findall(text)}
    )


def content_stems(text: str) -> set[str]:
    """Stems of the words that carry meaning (function words removed)."""
    return {stem(w) for w in words(text) if w not in lexicon.STOPWORDS and (len(w) > 1 or w.isdigit())}


_NEGATION = frozenset({"inte", "ej", "icke", "aldrig", "varken"})
NEGATION_SPAN = 5  # words after a negation that it may negate ("inte kan eller vill välja") ...
NEGATED_WORDS = 2  # ... of which the first content words ("inte orkar välja", "ej verkställda beslut")


def negated_stems(text: str) -> set[str]:
    """Stems of the content words a negation stands before ("inte väljer" -> {"välj"}).

    "Vad händer om jag inte vill välja?" is answered by "Om den enskilde inte kan eller vill välja ...",
    not by a sentence about choosing: the negated word is what the question turns on.
    """
    tokens = words(text)
    out: set[str] = set()
    for i, w in enumerate(tokens):
        if w in _NEGATION:
            content = [t for t in tokens[i + 1 : i + 1 + NEGATION_SPAN] if t not in lexicon.STOPWORDS]
            out |= {stem(t) for t in content[:NEGATED_WORDS]}
    return out


def negates_same(asked: set[str], text: str) -> bool:
    """Whether `text` negates one of the words the question negates (`asked`, from negated_stems)."""
    if not asked:
        return False
    return any(stem_level(q, s) >= 0.9 for s in negated_stems(text) for q in asked)


@dataclass
class Term:
    """One content word of the question."""

    word: str
    stem: str
    weight: float = 1.0
    entity: bool = False  # a proper name: the evidence must mention it
    place: bool = False  # ... written as a place ("i Lund", "Täby kommun"): a national law need not name it
    emphasis: bool = False  # what a follow-up swaps in: the answering unit itself must name it
    context: bool = False  # a word of an earlier turn that a follow-up leans on, not one it says itself
    alias_stems: tuple[frozenset[str], ...] = ()
    thesaurus_stems: tuple[frozenset[str], ...] = ()  # the curated subset: the documents' words for this word
    variants: tuple[str, ...] = ()  # other stems of the same word: "lämna ut" is "utlämn(ande)", "bryter" "brutit"
    acronym: bool = False  # written in capitals ("LOV", "SIP"): matched as written, not by its stem (stems)
    joined: tuple[str, ...] = ()  # this and a neighbouring word as one compound: "klippa gräset", "gräsklipp"


EMPHASIS = 2.0  # weight factor for the words a follow-up swaps in (see QueryTerms)
CONTEXT_WEIGHT = 0.5  # weight factor for the words of the earlier turn a follow-up leans on
# ... and for the words of the situation an asker tells before asking (followup.split_situation). Chosen by 5-fold
# cross-validation over qa_people + eval/qa_written.jsonl (242 questions, 67 of them with a situation told first),
# answer-key recall people / written: before 0.621 / 0.357; weight 1.0 (only no focus and never "absent") 0.621 /
# 0.371; 0.5 0.608 / 0.414; 0.25 0.619 / 0.386 (2026-12-05). 0.5 and 0.25 are alike over both (0.546, 0.545); 0.5
# is the weight the words of an earlier turn have. Re-checked 2026-12-07 with eval/sweep_constant.py (5 folds, 3
# shuffles) on the questions with a situation told first, key recall / citation precision at 0.25, 0.5, 0.75, 1.0:
# 424 of the training sets 0.446 / 0.404, 0.435 / 0.407, 0.430 / 0.403, 0.432 / 0.397 (the folds chose 0.25 in 14
# of 15); 473 of the held-out sets 0.399 / 0.414, 0.404 / 0.426, 0.397 / 0.422, 0.397 / 0.408. The training sets'
# choice, 0.25, answers the held-out ones worse than 0.5, a question or two either way on the training sets: 0.5
# kept. The earlier turn's CONTEXT_WEIGHT, swept the same day over the 40 training conversations, moved one
# follow-up (0.421 / 0.431 at 0.5, 0.433 / 0.440 at 1.0) and none of the 37 held-out ones: too few to choose by,
# kept at 0.5.
SITUATION_WEIGHT = 0.5


class QueryTerms:
    """The question's content terms, with a cache of how each matches document stems."""

    def __init__(self, question: str, extra_context: str = "", emphasis: str = "", situation: str = ""):
        self.question = question
        self.terms = extract_terms(question)
        if situation:
            # What the asker tells before asking ("Min pappa talar bara arabiska. Har han rätt till tolk ...?"):
            # its words narrow the question, at lower weight, but they are not what it asks about. A name it
            # gives stays a name the answer must give.
            seen = {t.stem for t in self.terms}
            for t in extract_terms(situation):
                if t.stem not in seen:
                    t.weight *= SITUATION_WEIGHT
                    t.context = not t.entity
                    self.terms.append(t)
                    seen.add(t.stem)
        if emphasis:
            # What a follow-up changes ("Gäller samma sak på kortis?"): the answer must name it, as it
            # must name a place the question gives, and it weighs more than the rest.
            emphasised = {t.stem for t in extract_terms(emphasis)}
            for t in self.terms:
                if t.stem in emphasised:
                    t.weight *= EMPHASIS
                    t.emphasis = True
        if extra_context:
            # Follow-up context: words of earlier turns, at lower weight, and together never more than the
            # words of the follow-up itself ("Och vart ska jag skicka den?" after a long question about
            # fees is answered by where to send it, not by another sentence about fees).
            seen = {t.stem for t in self.terms}
            own = sum(t.weight for t in self.terms)
            context = []
            for t in extract_terms(extra_context):
                if t.stem not in seen and not t.entity:
                    t.weight *= CONTEXT_WEIGHT
                    t.context = True
                    context.append(t)
                    seen.add(t.stem)
            leaning = sum(t.weight for t in context)
            if own and leaning > own:
                for t in context:
                    t.weight *= own / leaning
            self.terms += context
        self._cache: dict[tuple[int, str], float] = {}
        self._matches: dict[str, bool] = {}
        self.focus = _focus_index(question, self.terms)

    @property
    def total_weight(self) -> float:
        return sum(t.weight for t in self.terms) or 1.0

    def level(self, i: int, text_stems: set[str], aliases: bool | str = True) -> float:
        """Best match of term i against a set of document stems. `aliases`: True (all), "thesaurus" (only the
        curated thesaurus) or False (the word itself)."""
        term = self.terms[i]
        if term.acronym:
            best = 1.0 if f"={term.word}" in text_stems else 0.0
            return max(best, self._alias_level(term, text_stems, aliases))
        if term.stem in text_stems:
            return 1.0
        best = 0.0
        for s in text_stems:
            if s[0] == "=":
                continue  # an acronym as written (stems)
            key = (i, s)
            lv = self._cache.get(key)
            if lv is None:
                lv = max(stem_level(q, s) for q in (term.stem, *term.variants))
                if lv < 1.0 and any(s.startswith(j) for j in term.joined):
                    lv = 1.0
                self._cache[key] = lv
            if lv > best:
                best = lv
                if best >= 1.0:
                    return 1.0
        return max(best, self._alias_level(term, text_stems, aliases))

    @staticmethod
    def _alias_level(term: Term, text_stems: set[str], aliases: bool | str) -> float:
        pool = term.alias_stems if aliases is True else term.thesaurus_stems if aliases == "thesaurus" else ()
        return 0.8 if any(alias <= text_stems for alias in pool) else 0.0

    def levels_in(self, text_stems: set[str]) -> list[float]:
        """Each term's level in one text (a chunk's context, computed once for all its units)."""
        return [self.level(i, text_stems) for i in range(len(self.terms))]

    def unnamed(self, words: list[str]) -> set[str]:
        """The stems of these document words that stand for none of the question's own terms. An earlier
        turn's words do not count: "Och vem ska sedan kontrollera att de gör det?" after a question about
        what fullmäktige must adopt is answered by "Fullmäktige är skyldiga att ... kontrollera"."""
        return {s for s in (stem(w) for w in words) if not self.matches(s)}

    def matches(self, s: str) -> bool:
        """Whether a document stem stands for one of the question's own terms (itself or an alias)."""
        hit = self._matches.get(s)
        if hit is None:
            hit = any(self.level(i, {s}) > 0.0 for i, t in enumerate(self.terms) if not t.context)
            self._matches[s] = hit
        return hit

    def coverage(
        self, unit_stems: set[str], context_levels: list[float], near_stems: set[str] | None = None
    ) -> tuple[float, float, list[float]]:
        """(weighted coverage with context, weighted coverage by the unit alone, per-term levels).

        `context_levels` come from `levels_in(context)`; `near_stems` (a list's items under its
        lead-in) count as the unit's own words at the context's rate.
        """
        total = self.total_weight
        with_ctx = 0.0
        alone = 0.0
        levels: list[float] = []
        for i, t in enumerate(self.terms):
            own = self.level(i, unit_stems)
            if near_stems is not None and own < 1.0:
                own = max(own, NEAR * self.level(i, near_stems))
            ctx = context_levels[i] if own < 1.0 else 0.0
            lv = max(own, IN_CONTEXT * ctx)
            levels.append(lv)
            with_ctx += t.weight * lv
            alone += t.weight * own
        return with_ctx / total, alone / total, levels


_SENTENCE_ENDS = ("", ".", "?", "!", ":")


_PLACE_BEFORE = frozenset({"i", "inom", "utanför"})
_PLACE_AFTER = frozenset({"kommun", "kommuns", "stad", "stads", "region", "regions"})


def _written_as_place(tokens: list[str], idx: int) -> bool:
    """The name at tokens[idx] is a place by how it is written: "i Lund", "Täby kommun", "Lunds kommun"; not "ett
    beslut från Adda", "i Addas ramavtal" (a genitive before a noun names an owner), "Familjeläkarna"."""
    before = tokens[idx - 1].lower() if idx > 0 else ""
    following = tokens[idx + 1] if idx + 1 < len(tokens) else ""
    if following.lower() in _PLACE_AFTER:
        return True
    owner = tokens[idx].endswith("s") and following[:1].islower()
    return before in _PLACE_BEFORE and not owner


def extract_terms(question: str) -> list[Term]:
    """Content terms of a question; proper names are marked as entities."""
    matches = list(re.finditer(r"[0-9]+(?::[0-9]+)?|[A-Za-zÅÄÖåäöÉéÜü]+(?:-[A-Za-zÅÄÖåäö]+)?", question))
    raw_tokens = [m.group() for m in matches]
    # A capital after a full stop starts a sentence ("... efter passet. Räcker det ..."): no name.
    sentence_start = {i for i, m in enumerate(matches) if question[: m.start()].rstrip()[-1:] in _SENTENCE_ENDS}
    forms_of = other_forms(question)
    # A question written in capitals has no acronyms, only capitals.
    shouted = sum(c.isupper() for c in question) > 0.5 * sum(c.isalpha() for c in question)
    terms: list[Term] = []
    positions: list[int] = []  # each term's token position, for _join_neighbours
    seen: set[str] = set()
    for idx, tok in enumerate(raw_tokens):
        if idx > 0 and raw_tokens[idx - 1].lower() == "hur" and tok.lower() in lexicon.HOW_WORDS:
            continue  # "hur länge / hur stor / hur gammal" asks for a kind of fact, handled by the shape
        for part in tok.split("-"):
            word = part.lower()
            if not word or word in lexicon.STOPWORDS or (len(word) < 2 and not word.isdigit()):
                continue
            st = stem(word)
            if st in seen:
                continue
            seen.add(st)
            is_acronym = part.isupper() and len(part) >= 2
            is_name = (
                idx not in sentence_start
                and part[:1].isupper()
                and not is_acronym
                and word not in lexicon.PLACE_GENERIC
            )
            weight = 1.0
            if word in lexicon.GENERIC or word in lexicon.CATEGORY_WORDS or st in _CATEGORY_STEMS:
                weight = 0.5
            if word in lexicon.PLACE_GENERIC or is_name:
                weight = 0.3
            if is_acronym:
                weight = 0.6
            documents_words = thesaurus_alternatives(word, st)
            thesaurus = tuple(frozenset(content_stems(a)) for a in documents_words) + compound_parts(word)
            aliases = tuple(frozenset(content_stems(a)) for a in lexicon.ALIASES.get(word, ())) + thesaurus
            variants = dict.fromkeys(stem(form) for form in forms_of.get(word, ()))
            if agent := agent_plural(word):
                variants[agent] = None  # "utförarna": the providers, or the plural of a noun in "-ar"
            terms.append(
                Term(
                    word=word,
                    stem=st,
                    weight=weight,
                    entity=is_name,
                    place=is_name and _written_as_place(raw_tokens, idx),
                    alias_stems=aliases,
                    thesaurus_stems=thesaurus,
                    variants=tuple(v for v in variants if v != st),
                    acronym=is_acronym and not shouted and bool(_CAPITALS.fullmatch(part)),
                )
            )
            positions.append(idx)
    _join_neighbours(terms, positions)
    _add_phrase_alternatives(terms, positions, raw_tokens)
    return terms


def _add_phrase_alternatives(terms: list[Term], positions: list[int], tokens: list[str]) -> None:
    """A user's two-word phrase of the thesaurus ("dra tillbaka", "höra av", "tappat bort") stands for the words
    documents use for it ("återkalla", "kontakta", "förlust"), as a single word does: each of its content words
    gets them as aliases. (Search expands such phrases too: retrieval.expansions.)"""
    by_stems = _thesaurus()[0]
    lowered = [t.lower() for t in tokens]
    pairs = [((i, i + 1), (lowered[i], lowered[i + 1])) for i in range(len(lowered) - 1)]
    pairs += [((i,), tuple(t.split("-"))) for i, t in enumerate(lowered) if t.count("-") == 1]  # "id-brickan"
    for at, (first, second) in pairs:
        alternatives = by_stems.get(f"{stem(first)} {stem(second)}")
        if not alternatives:
            continue
        extra = tuple(s for s in (frozenset(content_stems(a)) for a in alternatives) if s)
        for term, position in zip(terms, positions, strict=True):
            if position in at:
                term.thesaurus_stems += extra
                term.alias_stems += extra


# Two words of the question near each other are often one compound in the documents, the second word first:
# "klippa gräset" / "gräsklippning", "byta lås" / "låsbyte", "avgiften för hemtjänsten" / "hemtjänstavgiften",
# "tid för uppsägning" / "uppsägningstid". Each of the two gets their joined stems (both orders, with and without
# a linking s), which a document stem matches when it is or begins with one (QueryTerms.level); not by the looser
# rules of stem_level, which would let every "hemtjänst" stand for "klippa" through "klipphemtjänst".
JOIN_WINDOW = 3  # at most this many words apart
_JOINED_MIN = 6  # letters: shorter joins are whole words of their own ("lagen" + "s")


def _join_neighbours(terms: list[Term], positions: list[int]) -> None:
    for i, a in enumerate(terms):
        for j in range(i + 1, len(terms)):
            b = terms[j]
            if positions[j] - positions[i] > JOIN_WINDOW:
                break
            if a.entity or b.entity or a.stem.isdigit() or b.stem.isdigit():
                continue
            joined = {x + link + y for x, y in ((a.stem, b.stem), (b.stem, a.stem)) for link in ("", "s")}
            joined = tuple(w for w in joined if len(w) >= _JOINED_MIN)
            for t in (a, b):
                t.joined = tuple(dict.fromkeys((*t.joined, *joined)))


@lru_cache(maxsize=1)
def _thesaurus() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """(stems of a user's word or two-word phrase, exact word) -> the phrases documents use for it
    (assistant/data/thesaurus.yaml; see retrieval.thesaurus_groups for exact entries). A phrase's key is its
    words' stems joined by a space ("dra tillbaka" -> "dra tillbak"), so it never meets a single word's."""
    try:
        groups = thesaurus_groups()
    except (FileNotFoundError, ModuleNotFoundError):
        return {}, {}
    by_stem: dict[str, set[str]] = {}
    by_word: dict[str, set[str]] = {}
    for group in groups:
        phrases = [p for p, _ in group]
        for phrase, exact in group:
            parts = phrase.replace("-", " ").split()  # "id-bricka": two words, as a question's "id-brickan"
            if len(parts) > 2 or (exact and len(parts) > 1):
                continue
            target, key = (by_word, phrase) if exact else (by_stem, " ".join(stem(w) for w in parts))
            target.setdefault(key, set()).update(p for p in phrases if p != phrase)
    return {k: tuple(sorted(v)) for k, v in by_stem.items()}, {k: tuple(sorted(v)) for k, v in by_word.items()}


def thesaurus_alternatives(word: str, term_stem: str) -> tuple[str, ...]:
    """The documents' words for a question word: its exact entry ("kostar"), else its stem's."""
    by_stem, by_word = _thesaurus()
    return by_word[word] if word in by_word else by_stem.get(term_stem, ())


_CATEGORY_STEMS = frozenset(stem(w) for w in lexicon.CATEGORY_WORDS)


def _focus_index(question: str, terms: list[Term]) -> int | None:
    """The term a "vilken/vilka/hur många ..." question asks about, when it is specific; in a who-question, what
    the actor is responsible for or decides about ("Vem ansvarar för tillsynen ...?")."""
    m = lexicon.FOCUS_OPENERS.match(question) or lexicon.WHO_FOCUS_OPENERS.match(question)
    if not m or not terms:
        return None
    rest = [w.lower() for w in re.findall(r"[A-Za-zÅÄÖåäöÉé]+", question[m.end() :])]
    for n, lw in enumerate(rest):
        if lw in lexicon.STOPWORDS:
            continue
        i = _term_index(terms, lw)
        if (
            i is None
            or terms[i].weight < 1.0
            or lw in lexicon.CATEGORY_WORDS
            or lw in lexicon.ASKED_TIME_WORDS
            or terms[i].stem in _CATEGORY_STEMS
        ):
            return None
        following = rest[n + 1] if n + 1 < len(rest) else None
        if (
            lexicon.ADJECTIVE_FORM.search(lw)
            and following
            and following not in lexicon.STOPWORDS
            and not lexicon.VERB_LIKE_ENDING.search(following)
        ):
            head = _term_index(terms, following)
            if head is not None and terms[head].weight >= 1.0:
                continue  # the noun that the adjective describes is asked about
        if lw in lexicon.FRAME_NOUNS:
            framed = _framed(rest[n + 1 :], terms)
            return i if framed is None else framed
        if n and rest[n - 1] in ("den", "det", "de") and lw[-1] in "ae" and following is not None:
            # An adjective between the article and its noun: "Vad kostar den årliga servicen?" asks about the
            # service. The noun follows.
            head = _term_index(terms, following)
            if head is not None and terms[head].weight >= 1.0:
                return head
        return i
    return None


def _term_index(terms: list[Term], word: str) -> int | None:
    return next((i for i, t in enumerate(terms) if t.word == word), None)


def _framed(rest: list[str], terms: list[Term]) -> int | None:
    """What a frame noun's prepositional phrase names: "[krav] ställer Täby på utförarnas miljöbilar" -> the term
    "miljöbilar" (a genitive before another word is not the head). None without such a phrase."""
    at = next((n for n, w in enumerate(rest) if w in lexicon.FRAME_PREPOSITIONS), None)
    if at is None:
        return None
    phrase = [w for w in rest[at + 1 :] if w not in lexicon.STOPWORDS]
    for n, w in enumerate(phrase):
        i = _term_index(terms, w)
        if i is None or terms[i].weight < 1.0 or w in lexicon.CATEGORY_WORDS:
            return None
        following = phrase[n + 1] if n + 1 < len(phrase) else None
        if w.endswith("s") and following is not None and _term_index(terms, following) is not None:
            continue  # "utförarnas miljöbilar"
        return i
    return None
