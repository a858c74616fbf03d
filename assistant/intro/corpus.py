"""Walking the library's documents sentence by sentence, with citations and duplicate merging.

Shared by the role map and the glossary: both pick sentences from the whole cleaned text of
each document and cite them with the page and section of the chunk that contains them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

import Stemmer

from assistant.intro.config import IntroConfig
from assistant.intro.models import SourceType
from assistant.models import Chunk, Citation, DocumentKind, DocumentMeta
from assistant.protocols import Library
from assistant.text import BULLET_MARK, ITEM_NUMBER, split_sentences, tidy

# Bullets, markdown emphasis and a leading "3 §" / "**3 §**" are not part of the sentence.
_LEAD = re.compile(r"(?:[\s\-•›*–>#]+|\*\*|(?:\*\*)?\d+\s?[a-z]?\s?§(?:\*\*)?\s+|\d+[.)]\s+)+")
_LIST_ITEM = re.compile(rf"\s*(?:{BULLET_MARK}|{ITEM_NUMBER})\s")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_AMENDMENT = re.compile(r"\s*Lag \(\d{4}:\d+\)\.?\s*$")
_QUOTE_CHARS = '”“"»'
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_LEVEL_MARK = re.compile(r"^(?:beslut )?på (strategisk|taktisk|operativ) nivå", re.IGNORECASE)
_SENT_END = re.compile(r"[.:;!?]\s*$")
# split_sentences cuts after "5 kap." and other abbreviations; a § reference must stay whole.
_ABBREV_END = re.compile(
    r"\b(?:kap|bl\.a|t\.ex|m\.fl|m\.m|d\.v\.s|s|st|p|nr|jfr|resp|ca|prop|dnr|f\.d|o\.s\.v)\.$", re.IGNORECASE
)
# Statute renderings where a heading runs into the next paragraph: "Vårdplan 12 § Om en enskild ...".
_INLINE_HEADING = re.compile(r"(?:[A-ZÅÄÖ][\w-]*(?: [\w-]+){0,6} )?\d+ ?[a-z]? ?§ (?=[A-ZÅÄÖ])")
_NOT_HEADING = frozenset("enligt i av med se jfr enl och eller samt som till från".split())


def display(raw: str) -> str:
    """The shown form: as tidy(), without markdown links, emphasis and law amendment tails."""
    text = _MD_LINK.sub(r"\1", tidy(raw)).replace("**", "")
    return _AMENDMENT.sub("", text).strip()


def source_type(meta: DocumentMeta, config: IntroConfig) -> SourceType:
    """Law for statutes, guidance for SKR/SKL and other non-municipal issuers, else policy."""
    if meta.kind == DocumentKind.lag:
        return SourceType.law
    if meta.kind == DocumentKind.vagledning:
        return SourceType.guidance
    issuer = meta.issuer or ""
    if any(g.lower() in issuer.lower() for g in config.guidance_issuers):
        return SourceType.guidance
    return SourceType.policy


def matches_law(meta: DocumentMeta, numbers: list[str]) -> bool:
    """Whether a law document is one of the acts listed by SFS number."""
    return any(meta.is_act(n) for n in numbers)


@dataclass
class Sentence:
    start: int
    end: int
    text: str = field(repr=False)
    in_quote: bool = False
    is_item: bool = False


class DocView:
    """One document's text, sentences, paragraphs and chunks, ready for extraction."""

    def __init__(self, meta: DocumentMeta, text: str, chunks: list[Chunk], config: IntroConfig):
        self.meta = meta
        self.text = text
        self.chunks = sorted(chunks, key=lambda c: c.start)
        self._chunk_starts = [c.start for c in self.chunks]
        self.source_type = source_type(meta, config)
        self.paragraphs = _paragraphs(text)
        self._para_starts = [p[0] for p in self.paragraphs]
        self.is_law = meta.kind == DocumentKind.lag
        self.sentences = [self._sentence(s, e) for s, e in _join_abbreviations(text, split_sentences(text))]
        self.sentences = [s for s in self.sentences if s.end > s.start]
        self.levels = self._level_regions()

    def _sentence(self, start: int, end: int) -> Sentence:
        lead = _LEAD.match(self.text, start, end)
        is_item = bool(_LIST_ITEM.match(self.text, start, end))
        if lead:
            start = lead.end()
        start = self._skip_heading_line(start, end)
        if self.is_law:
            heading = _INLINE_HEADING.match(self.text, start, end)
            if heading and self.text[start : heading.end()].split()[0].lower() not in _NOT_HEADING:
                start = heading.end()
        para = self.paragraph(start)
        para_text = self.text[para[0] : start]
        opening = self.text[para[0] : para[1]].lstrip(" \t\n-•›*–>")[:1] or "x"
        first = self.text[start : start + 1] or "x"
        odd = sum(para_text.count(q) for q in "”“") % 2 == 1
        in_quote = opening in _QUOTE_CHARS or first in _QUOTE_CHARS or odd
        return Sentence(start, end, self.text[start:end], in_quote=in_quote, is_item=is_item)

    def _skip_heading_line(self, start: int, end: int) -> int:
        """Converted PDFs glue a heading to its first sentence with one newline: 'Val av utförare\nSamtliga ...'."""
        newline = self.text.find("\n", start, end)
        if newline < 0:
            return start
        first, after = self.text[start:newline].strip(), self.text[newline + 1 : newline + 3]
        words = first.split()
        if (
            0 < len(words) <= 6
            and not _SENT_END.search(first)
            and not first.endswith(",")
            and words[-1].lower() not in _NOT_HEADING
            and len(after) == 2
            and after[0].isupper()
            and after[1].islower()
        ):
            return newline + 1
        return start

    def paragraph(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._para_starts, offset) - 1
        return self.paragraphs[max(i, 0)]

    def chunk_at(self, offset: int) -> Chunk | None:
        i = bisect.bisect_right(self._chunk_starts, offset) - 1
        if i >= 0 and self.chunks[i].start <= offset < max(self.chunks[i].end, offset + 1):
            return self.chunks[i]
        return None

    def list_end(self, index: int) -> int:
        """Index of the last sentence of a lead-in + list ("X beslutar om" followed by items)."""
        sentence = self.sentences[index]
        if _SENT_END.search(sentence.text) and not sentence.text.rstrip().endswith(":"):
            return index
        last = index
        for j in range(index + 1, len(self.sentences)):
            nxt = self.sentences[j]
            if not nxt.is_item or self.text[self.sentences[last].end : nxt.start].count("\n") > 3:
                break
            last = j
        if last == index and sentence.text.rstrip().endswith(":"):
            last = self._paragraph_items(index)
        return last

    def _paragraph_items(self, index: int, limit: int = 10) -> int:
        """Unbulleted items after a colon: following one-sentence paragraphs ("Verksamheten ansvarar för att:")."""
        last = index
        for j in range(index + 1, min(index + 1 + limit, len(self.sentences))):
            nxt = self.sentences[j]
            para = self.paragraph(nxt.start)
            whole = self.text[para[0] : para[1]].strip() == self.text[nxt.start : nxt.end].strip()
            if not whole or len(nxt.text) > 300 or not _SENT_END.search(nxt.text):
                break
            last = j
        return last

    def citation(self, start: int, end: int) -> Citation:
        return cite_span(self.meta, self.text, self.chunk_at(start), start, end)

    def level_at(self, offset: int) -> str | None:
        for start, end, level in self.levels:
            if start <= offset < end:
                return level
        return None

    def _level_regions(self) -> list[tuple[int, int, str]]:
        """Spans of text under a decision-level heading, as the Täby policy structures them."""
        regions: list[tuple[int, int, str]] = []
        current: tuple[int, str] | None = None
        for i, (start, end) in enumerate(self.paragraphs):
            para = self.text[start:end].strip()
            lead = _LEAD.match(para)
            mark = _LEVEL_MARK.match(para[lead.end() :] if lead else para)
            if mark:
                if current and current[1] != mark.group(1).lower():
                    regions.append((current[0], start, current[1]))
                    current = None
                if current is None:
                    current = (start, mark.group(1).lower())
                continue
            if current and self._is_heading(i):
                regions.append((current[0], start, current[1]))
                current = None
        if current:
            regions.append((current[0], len(self.text), current[1]))
        return regions

    def _is_heading(self, i: int) -> bool:
        start, end = self.paragraphs[i]
        para = self.text[start:end].strip()
        if not para or _LIST_ITEM.match(para) or _SENT_END.search(para) or len(para.split()) > 8:
            return False
        nxt = self.text[self.paragraphs[i + 1][0] : self.paragraphs[i + 1][1]] if i + 1 < len(self.paragraphs) else ""
        return not _LIST_ITEM.match(nxt.strip() + " ")


def cite_span(meta: DocumentMeta, text: str, chunk: Chunk | None, start: int, end: int) -> Citation:
    """A citation of text[start:end], placed by the chunk that holds `start` (page, section)."""
    return Citation(
        doc=meta.doc,
        title=meta.title,
        page=chunk.page_start if chunk else None,
        section=chunk.section if chunk else None,
        quote=tidy(text[start:end]),
        kind=meta.kind,
        date=meta.date,
        chunk_id=chunk.id if chunk else None,
        start=start,
        end=end,
        repealed=meta.repealed,
        is_quote_of_person=False,
        decided_by=meta.decided_by,
        decided_on=meta.decided_on,
        ocr=meta.read_with_ocr(chunk.page_start, chunk.page_end) if chunk else False,
    )


def chunk_at(chunks: list[Chunk], offset: int) -> Chunk | None:
    """The chunk (sorted by start) that holds `offset`, else the one before it."""
    i = bisect.bisect_right([c.start for c in chunks], offset) - 1
    return chunks[i] if i >= 0 else (chunks[0] if chunks else None)


def _join_abbreviations(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if (
            joined
            and _ABBREV_END.search(text[joined[-1][0] : joined[-1][1]])
            and "\n\n" not in text[joined[-1][1] : start]
        ):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for match in _PARAGRAPH.finditer(text):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, len(text)))
    return spans


def iter_views(library: Library, config: IntroConfig, skip_repealed: bool = True) -> Iterator[DocView]:
    """Every document of the library as a DocView; repealed acts are skipped by default."""
    by_doc: dict[str, list[Chunk]] = {}
    for chunk in library.chunks():
        by_doc.setdefault(chunk.doc, []).append(chunk)
    for meta in sorted(library.documents(), key=lambda m: m.doc):
        if skip_repealed and (meta.repealed or meta.superseded_by):
            continue
        yield DocView(meta, library.document_text(meta.doc), by_doc.get(meta.doc, []), config)


# --- similarity for merging duplicates --------------------------------------------------------

_STOP = frozenset(
    "och i att det som en på är av för med till den har de inte om ett men var sig så eller från vid "
    "också även då ska skall kan bör får sin sina sitt dess deras samt".split()
)
_WORD = re.compile(r"\w+")


@cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("swedish")


def content_tokens(text: str) -> frozenset[str]:
    """Stemmed content words: what two near-duplicate sentences share."""
    words = [w for w in _WORD.findall(tidy(text).lower()) if w not in _STOP and not w.isdigit()]
    return frozenset(_stemmer().stemWords(words))


def similar(a: frozenset[str], b: frozenset[str]) -> bool:
    """Same statement in other words: high Jaccard, or one nearly contained in a similar-sized other."""
    if not a or not b:
        return False
    inter = len(a & b)
    jaccard = inter / len(a | b)
    overlap = inter / min(len(a), len(b))
    return jaccard >= 0.75 or (overlap >= 0.85 and jaccard >= 0.5)
