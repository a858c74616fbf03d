"""Pure functions of hybrid retrieval: weighted reciprocal-rank fusion, duplicate collapsing,
and the thesaurus that maps the words users say to the words documents use."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

import yaml

from assistant.analysis import other_forms, stem
from assistant.text import BULLET_MARK


def rrf(rankings: Sequence[Sequence[str]], weights: Sequence[float], k: int = 60) -> list[tuple[str, float]]:
    """Weighted reciprocal-rank fusion: score(id) = sum_i w_i / (k + rank_i), ranks from 1."""
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


_WORDS = re.compile(r"\w+")


def word_set(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORDS.findall(text.lower()) if len(w) > 2)


# A figure: a number with separators (a date, 08.00, 0,5392), of four digits or more (a year, an amount), or
# followed by a unit ("145 kr", "15 timmar", "28 procent"). A bare small number is left out: a PDF copy of a
# booklet has page numbers inside its text ("... tjänsten. 13 Beställare ...") where the web text has none.
_FIGURE = re.compile(
    r"\d+(?:[.,:/-]\d+)+|\d{4,}|\d+(?=\s*(?:kr|kronor|%|procent|timm?ar|tim|dagar|veckor|månader|år|minuter|min"
    r"|gånger|ggr)\b)",
    re.I,
)


_PAGE_MARK = re.compile(r"\s*(?:sida\s*)?\d{1,3}(?:\s*(?:/|av)\s*\d{1,3})?\s*", re.I)  # "14", "2/3", "Sida 2 av 3"


def figures(text: str) -> frozenset[str]:
    """The figures a passage states (amounts, dates, years, times, durations), page marks on a line of their
    own left out. Two copies of a routine that differ only in "145 kr inklusive moms för 2024" and "149 kr
    inklusive moms för 2025" share nearly all their words, but they are two versions, not the same text:
    what people ask about is often the figure."""
    return frozenset(f for line in text.splitlines() if not _PAGE_MARK.fullmatch(line) for f in _FIGURE.findall(line))


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller word set found in the other (containment, not Jaccard)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def collapse_duplicates(
    items: Sequence[tuple[str, str, str]],
    threshold: float,
    related=lambda a, b: False,
    identical: float = 0.95,
) -> list[tuple[str, list[str]]]:
    """Collapse near-duplicate passages from different documents.

    `items` are (chunk id, doc, text) in rank order; returns (kept chunk id, other docs) in
    the same order. Passages collapse when their documents are copies of each other
    (`related`, e.g. the same booklet published twice) and overlap at least `threshold`, or
    when the passages are practically identical. The other document is named as holding the
    same text only when it states the same figures: a routine's 2024 version ("145 kr för
    2024") collapses into its 2025 version ranked above it, unnamed. Two laws that share a
    wording (LOU and LOV) stay two sources.
    """
    kept: list[tuple[str, str, frozenset[str], frozenset[str], list[str]]] = []
    for chunk_id, doc, text in items:
        words, numbers = word_set(text), figures(text)
        for _kid, kdoc, kwords, knumbers, also in kept:
            if kdoc == doc or len(words) <= 8:
                continue
            share = overlap(words, kwords)
            if share >= identical or (share >= threshold and related(doc, kdoc)):
                if numbers == knumbers and doc not in also:
                    also.append(doc)
                break
        else:
            kept.append((chunk_id, doc, words, numbers, []))
    return [(cid, also) for cid, _doc, _w, _n, also in kept]


@lru_cache(maxsize=1)
def thesaurus_groups() -> list[list[tuple[str, bool]]]:
    """The groups of assistant/data/thesaurus.yaml as (phrase, exact) pairs. A phrase written "=kostar" stands
    only for itself, not for every word of its stem: "kostar" (costs) and "kost" (diet) share one."""
    data = yaml.safe_load(resources.files("assistant.data").joinpath("thesaurus.yaml").read_text("utf-8"))
    return [[(str(w).lower().lstrip("="), str(w).startswith("=")) for w in group] for group in data["groups"]]


@lru_cache(maxsize=1)
def _thesaurus_index() -> dict[str, list[int]]:
    """Stems of a phrase (or "=word" for an exact one) -> the groups it is in."""
    index: dict[str, list[int]] = {}
    for i, group in enumerate(thesaurus_groups()):
        for phrase, exact in group:
            # "id-bricka" is the two words a query's "id-brickan" splits into.
            key = f"={phrase}" if exact else " ".join(stem(w) for w in _WORDS.findall(phrase))
            index.setdefault(key, []).append(i)
    return index


def expansions(query: str) -> list[str]:
    """Thesaurus words for the query's words and two-word phrases, excluding those already in it, and the
    particle-first forms of its particle verbs ("lämna ut" -> "utlämna") and the other forms of its irregular verbs
    ("bryter" -> "brutit"). A word the thesaurus lists exactly ("kostar") expands by that entry alone, not by its
    stem's ("kost")."""
    words = [w for w in _WORDS.findall(query.lower())]
    stems = [stem(w) for w in words]
    index = _thesaurus_index()
    exact = {w for w in words if f"={w}" in index}
    keys = {f"={w}" for w in exact} | {s for w, s in zip(words, stems, strict=True) if w not in exact}
    keys |= {f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False)}
    groups = sorted({g for key in keys for g in index.get(key, [])})
    present = set(words)
    out: list[str] = []
    for g in groups:
        for phrase, _ in thesaurus_groups()[g]:
            if phrase not in present and phrase not in out:
                out.append(phrase)
    out += [form for forms in other_forms(query).values() for form in forms if form not in present and form not in out]
    return out


_SENTENCE = re.compile(rf"(?<=[.!?:;])\s+|\n\s*\n|\n(?=\s*{BULLET_MARK}\s)")


def sentence_terms(text: str, analyze) -> list[frozenset[str]]:
    """The analysed terms of each sentence of `text` (computed once per chunk and cached)."""
    return [frozenset(analyze(sentence)) for sentence in _SENTENCE.split(text) if len(sentence) >= 3]


def best_sentence_coverage(query_terms: Sequence[str], sentences: Sequence[frozenset[str]], idf) -> float:
    """IDF-weighted share of the query's terms found together in one sentence.

    Answers sit in sentences: a passage where the question's rare words meet in one
    sentence beats one where they are scattered over a page.
    """
    wanted = set(query_terms)
    if not wanted:
        return 0.0
    total = sum(idf(t) for t in wanted) or 1.0
    return max((sum(idf(t) for t in wanted & terms) / total for terms in sentences), default=0.0)


@lru_cache(maxsize=1)
def _aliases() -> dict:
    return yaml.safe_load(resources.files("assistant.data").joinpath("aliases.yaml").read_text("utf-8"))


def law_aliases() -> dict[str, str]:
    """How users name acts ("lou", "kommunallagen") -> a phrase of the act's title ("(2016:1145)", "kommunallag")."""
    return _aliases()["laws"]


def _spaced_words(text: str) -> str:
    """The text's words, lowercased, each between spaces, so a phrase matches only whole words."""
    return f" {' '.join(_WORDS.findall(text.lower()))} "


def named_laws(text: str, metas: Sequence) -> set[str]:
    """Doc ids of the acts that `text` names by a name or abbreviation of aliases.yaml ("LOU", "kommunallagen",
    "hälso- och sjukvårdslagen"): alias and text are compared word by word, so punctuation does not matter."""
    words = _spaced_words(text)
    parts = [part for alias, part in law_aliases().items() if _spaced_words(alias) in words]
    return {m.doc for m in metas if any(part in m.title.lower() for part in parts)}


def mentioned_documents(query: str, metas: Sequence) -> set[str]:
    """Documents the question names: a law by abbreviation, a kind ("policyn"), an issuer ("SKR").

    Returns doc ids; empty when the question names none (or names something nothing matches).
    """
    text = _spaced_words(query)
    aliases = _aliases()
    matched = named_laws(query, metas)
    for word, kind in aliases["kinds"].items():
        if f" {word} " in text:
            matched |= {m.doc for m in metas if m.kind.value == kind}
    for word, issuer in aliases["issuers"].items():
        if f" {word} " in text or f" {word}s " in text:  # genitive: "Täbys policy"
            matched |= {m.doc for m in metas if m.issuer and issuer in m.issuer.lower()}
    return matched
