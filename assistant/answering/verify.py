"""Check each answer sentence against the passage it cites; drop what the passage does not say.

A sentence is supported when a unit of a cited passage (not one that addresses a language
model) covers most of its content words, with Swedish stem and
compound tolerance, or, with an embedder, when it is close in meaning and shares a fair part of
its words. Either way its figures and web addresses must be in the unit: a sentence that is mostly
right but adds "10 miljoner kronor" is not supported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from assistant.answering.forms import stem_level
from assistant.answering.passages import Unit, segment
from assistant.answering.terms import content_stems
from assistant.models import SearchHit
from assistant.protocols import Embedder

LEXICAL_MIN = 0.6
EMBED_MIN = 0.85
EMBED_LEXICAL_MIN = 0.35
MIN_MATCHED = 2

_MARKER = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)\s]*\)")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_URL = re.compile(r"(?:https?://|www\.)[^\s)\]]+", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)?")
# Magnitude words by their stem ("miljoner" -> "miljon"); abbreviations mapped to the same stem.
_MAGNITUDE = re.compile(r"\b(?:hundra|tusen|miljon|miljard|procent)|\b(?:tkr|mnkr|mkr|mdkr)\b|%", re.IGNORECASE)
_ABBREVIATED = {"tkr": "tusen", "mnkr": "miljon", "mkr": "miljon", "mdkr": "miljard", "%": "procent"}
_SMALL_NUMBERS = "noll ett två tre fyra fem sex sju åtta nio tio elva tolv".split()
_SENTENCE = re.compile(r"(?<=[.!?”])\s+(?=\S)|(?<=\])\s+(?=[A-ZÅÄÖ”\"(])|\n+")


@dataclass
class Claim:
    """One sentence of a generated answer and the passage numbers it cites (1-based)."""

    text: str
    cites: list[int]


@dataclass
class Verdict:
    claim: Claim
    supported: bool
    unit: Unit | None = None
    lexical: float = 0.0
    similarity: float | None = None


def parse_claims(answer: str) -> list[Claim]:
    """Split an answer into sentences and read the [n] markers of each."""
    claims: list[Claim] = []
    for part in _SENTENCE.split(_plain(answer).strip()):
        part = part.strip()
        if not part:
            continue
        cites = [int(x) for m in _MARKER.finditer(part) for x in re.split(r"\s*[,;]\s*", m.group(1))]
        text = re.sub(r"\s+([.!?,;:])", r"\1", _MARKER.sub("", part)).strip()
        if not text or re.fullmatch(r"[\W\d_]*", text):
            if claims and cites:
                claims[-1].cites.extend(c for c in cites if c not in claims[-1].cites)
            continue
        claims.append(Claim(text=text, cites=list(dict.fromkeys(cites))))
    return claims


def _plain(answer: str) -> str:
    """The answer without markup a document may have talked the model into: images and HTML tags
    go, a link keeps its text but not its target ("[1](https://...)" stays the marker [1])."""
    answer = _IMAGE.sub("", answer)
    answer = _LINK.sub(lambda m: f"[{m.group(1)}]" if _MARKER.fullmatch(f"[{m.group(1)}]") else m.group(1), answer)
    return _TAG.sub("", answer)


def _figures(text: str) -> set[str]:
    """Numbers (spacing and decimal comma normalised), magnitude words and web addresses in a text."""
    numbers = {re.sub(r"[\s\u00a0\u202f]", "", n).replace(",", ".") for n in _NUMBER.findall(_URL.sub("", text))}
    magnitudes = {_ABBREVIATED.get(m.lower(), m.lower()) for m in _MAGNITUDE.findall(text)}
    urls = {u.rstrip(".,;:!?").lower() for u in _URL.findall(text)}
    return numbers | magnitudes | urls


def _adds_figures(claim: str, unit: Unit) -> bool:
    """Whether the claim states a number, magnitude or address the unit does not (a written-out
    small number in the unit counts for its digit)."""
    quote = unit.quote
    have = _figures(quote)
    words = set(re.findall(r"\w+", quote.lower()))
    for f in _figures(claim) - have:
        small = f.isdigit() and int(f) < len(_SMALL_NUMBERS) and _SMALL_NUMBERS[int(f)] in words
        if not (small or (f == "1" and "en" in words)):
            return True
    return False


def lexical_support(claim: str, unit_stems: set[str]) -> tuple[float, int]:
    """(share of the claim's content stems found in the unit, how many were found)."""
    cs = content_stems(claim)
    if not cs:
        return 0.0, 0
    found = 0.0
    hits = 0
    for q in cs:
        best = 1.0 if q in unit_stems else max((stem_level(q, s) for s in unit_stems), default=0.0)
        found += best
        hits += best >= 0.6
    return found / len(cs), hits


def _cosine(a: list[float], b: list[float]) -> float:
    va, vb = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    na, nb = np.linalg.norm(va), np.linalg.norm(vb)
    return float(va @ vb / (na * nb)) if na and nb else 0.0


def verify_claims(claims: list[Claim], passages: list[SearchHit], embedder: Embedder | None = None) -> list[Verdict]:
    """A verdict per claim; a claim citing nothing, or a passage that does not exist, is unsupported."""
    units_of: dict[int, list[Unit]] = {}
    verdicts: list[Verdict] = []
    for claim in claims:
        best = Verdict(claim=claim, supported=False)
        for n in claim.cites:
            if not 1 <= n <= len(passages):
                continue
            if n not in units_of:
                units_of[n] = [u for u in segment(passages[n - 1])[0] if not u.injection]
            for unit in units_of[n]:
                if _adds_figures(claim.text, unit):
                    continue
                score, matched = lexical_support(claim.text, unit.stems)
                if score > best.lexical:
                    best = Verdict(claim=claim, supported=False, unit=unit, lexical=score)
                if score >= LEXICAL_MIN and matched >= MIN_MATCHED:
                    best = Verdict(claim=claim, supported=True, unit=unit, lexical=score)
                    break
            if best.supported:
                break
        if not best.supported and embedder is not None and best.unit is not None and best.lexical >= EMBED_LEXICAL_MIN:
            _, matched = lexical_support(claim.text, best.unit.stems)
            sim = _cosine(embedder.embed_query(claim.text), embedder.embed_documents([best.unit.quote])[0])
            best.similarity = sim
            best.supported = sim >= EMBED_MIN and matched >= MIN_MATCHED
        verdicts.append(best)
    return verdicts
