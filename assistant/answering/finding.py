"""The passages an answer is chosen from: search's top hits, widened where search alone falls short.

Search ranks passages by how well they match the question; the answer needs the passage that says it.
PassageFinder.find adds what search misses for good reasons: the near-duplicate that names the question's
subject, the best further passages of the top documents, the current act's version of a repealed act's
rule, a document's decision lines for a question about its decision, and the list a passage announces
("... nedan beskrivna personkretsar:") from the chunk after it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from assistant.answering import trust
from assistant.answering.passages import ENUMERATION_CHARS, announces_beyond
from assistant.answering.shape import Shape
from assistant.docinfo import HEAD_CHARS, decision_span
from assistant.models import Chunk, DocumentKind, SearchHit
from assistant.protocols import Searcher
from assistant.retrieval import named_laws
from assistant.text import normalize

# Within-document expansion (see PassageFinder.find): the best EXPAND_K further passages of each of the
# top EXPAND_DOCS documents. Measured on qa_people + qa_dev + qa_extra over corpus + library: answerable
# questions with no answering unit among the candidates 34 -> 30 of 218; 3/2, 3/5, 5/3 and 8/2 within noise.
EXPAND_DOCS = 3
EXPAND_K = 3
# A question about who decided a document or when ("Vem har beslutat om kostpolicyn?") is answered by the
# document's own decision line, which search rarely ranks: the first DECISION_DOCS documents found bring it.
DECISION_DOCS = 3


# "enligt 10 kap. 9 § kommunallagen (2017:725)", "2 § förordningen (2015:527)", "28 f § LSS": the paragraph of an
# act a question names, with what follows it (where the act is named).
_NAMED_PARAGRAPH = re.compile(r"(?:\b(\d+\s?[a-z]?)\s*kap\.?\s*)?\b(\d+\s?[a-z]?)\s*§([^?!;]{0,80})", re.IGNORECASE)
_SFS = re.compile(r"\((\d{4}:\d+)\)")


class PassageFinder:
    """Finds the passages for an answer through a searcher (a Library, a ScopedLibrary or a test fake)."""

    def __init__(self, searcher: Searcher):
        self.searcher = searcher
        self._doc_words: dict[str, list] = {}  # doc -> its chunks with word sets (_closest_in)

    def find(
        self, query: str, k: int, kinds: Sequence[DocumentKind] | None = None, within: dict | None = None
    ) -> list[SearchHit]:
        """The passages an answer is chosen from: the top k of search, their collapsed near-duplicates,
        and the best further passages of the top documents (the right document is found more often than
        its right passage: a whole contract matches a question better than the clause that answers it)."""
        hits = self._variants(query, self.searcher.search(query, k=k, kinds=kinds, **(within or {})))
        if not within and (kinds is None or DocumentKind.lag in kinds):
            hits = self._with_named_paragraphs(query, hits)
        if EXPAND_DOCS:
            seen = {h.chunk.id for h in hits}
            extra: list[SearchHit] = []
            for doc in list(dict.fromkeys(h.chunk.doc for h in hits))[:EXPAND_DOCS]:
                for h in self.searcher.search(query, k=EXPAND_K, docs=[doc]):
                    if h.chunk.id not in seen:
                        seen.add(h.chunk.id)
                        extra.append(h)
            hits = hits + extra
        hits = self._in_successors(hits)
        hits = self._with_decision_lines(query, hits)
        return [self._with_announced(h) for h in hits]

    def _with_named_paragraphs(self, question: str, hits: list[SearchHit]) -> list[SearchHit]:
        """The paragraph of an act that the question names ("Vad kräver 10 kap. 9 § kommunallagen (2017:725) ...?"),
        first: the asker has told where the answer stands, and search, which ranks by words, may not find it (a
        short paragraph among hundreds of the same act). The act is the one named after the paragraph, by its SFS
        number or by a name or abbreviation of aliases.yaml; none when the act is not indexed."""
        documents = getattr(self.searcher, "documents", None)
        paragraphs = named_paragraphs(question)
        if not paragraphs or documents is None or not self._reads_documents():
            return hits
        laws = [m for m in documents() if m.kind == DocumentKind.lag]
        named: list[SearchHit] = []
        for chapter, paragraph, after in paragraphs:
            for meta in _named_acts(after, laws):
                for chunk in self.chunks_of(meta.doc):
                    if _is_paragraph(chunk.section or "", chapter, paragraph):
                        named.append(SearchHit(chunk=chunk, meta=meta, score=hits[0].score if hits else 1.0))
        if not named:
            return hits
        ids = {h.chunk.id for h in named}
        return list({h.chunk.id: h for h in named}.values()) + [h for h in hits if h.chunk.id not in ids]

    def _with_decision_lines(self, question: str, hits: list[SearchHit]) -> list[SearchHit]:
        """For a question about a document's decision (who decided it, when, what it replaces), the passage
        with the decision lines of each of the first DECISION_DOCS documents that have them, after that
        document's best hit ("Antagen av kommunfullmäktige § 117, 2011-06-16" sits among addresses at the top
        of the first page, where the question's words are not)."""
        if not Shape.of(question).decision:
            return hits
        seen = {h.chunk.id for h in hits}
        extra: dict[str, SearchHit] = {}
        for hit in hits:
            doc = hit.chunk.doc
            if doc in extra or len(extra) >= DECISION_DOCS or not (hit.meta.decided_by or hit.meta.decided_on):
                continue
            head = [c for c in self.chunks_of(doc) if c.start < HEAD_CHARS and decision_span(c.text)]
            chunk = min(head, key=lambda c: c.start, default=None)
            if chunk is not None and chunk.id not in seen:
                extra[doc] = SearchHit(chunk=chunk, meta=hit.meta, score=hit.score)
        if not extra:
            return hits
        out: list[SearchHit] = []
        for hit in hits:
            out.append(hit)
            found = extra.pop(hit.chunk.doc, None)
            if found is not None:
                out.append(found)
        return out

    def _in_successors(self, hits: list[SearchHit]) -> list[SearchHit]:
        """Before a passage of a repealed act, the closest passage of the act that replaced it, when that is
        indexed, in its place in the ranking: the new act mostly keeps the old wording, so the same rule
        is found there and answers in its current form (the answer prefers the current act when both say
        it; found only by its words, it would rank below everything search found)."""
        documents = getattr(self.searcher, "documents", None)
        if not any(h.meta.repealed for h in hits) or documents is None or not self._reads_documents():
            return hits
        metas = documents()
        seen = {h.chunk.id for h in hits}
        out: list[SearchHit] = []
        for hit in hits:
            doc = trust.successor(hit.meta, metas) if hit.meta.repealed else None
            found = self._closest_in(doc, hit) if doc else None
            if found is not None and found.chunk.id not in seen:
                seen.add(found.chunk.id)
                ranks = {"lexical_rank": hit.lexical_rank, "dense_rank": hit.dense_rank}
                out.append(self._sentence_completed(found).model_copy(update=ranks))
            out.append(hit)
        return out

    def _sentence_completed(self, hit: SearchHit) -> SearchHit:
        """A passage that stops mid-sentence gets the rest of its paragraph from the next chunk (a verbatim
        span still: the chunks of a document are contiguous)."""
        chunk = hit.chunk
        if re.search(r"[.:!?)\]]\s*$", chunk.text):
            return hit
        nxt = next(iter(self.chunks_after(chunk)), None)
        if nxt is None or nxt.start > chunk.end:
            return hit
        rest = nxt.text[chunk.end - nxt.start :]
        end = rest.find("\n\n")
        rest = rest if end < 0 else rest[:end]
        longer = chunk.model_copy(
            update={"text": chunk.text + rest, "end": chunk.end + len(rest), "page_end": nxt.page_end}
        )
        return hit.model_copy(update={"chunk": longer})

    def _with_announced(self, hit: SearchHit) -> SearchHit:
        """A passage that ends by announcing a list ("... nedan beskrivna personkretsar.", "... följande:")
        gets the text that follows in its document, up to the length of a list, so the list it announces
        can answer: the chunker cuts at headings, and "Personkrets 1" is one."""
        if not announces_beyond(hit.chunk.text):
            return hit
        chunk = hit.chunk
        text, end, page_end = chunk.text, chunk.end, chunk.page_end
        for nxt in self.chunks_after(chunk):
            if nxt.start > end or len(text) >= ENUMERATION_CHARS:
                break  # not contiguous (should not happen), or long enough for any list
            text += nxt.text[end - nxt.start :]
            end, page_end = nxt.end, nxt.page_end
        if end == chunk.end:
            return hit
        longer = chunk.model_copy(update={"text": text, "end": end, "page_end": page_end})
        return hit.model_copy(update={"chunk": longer})

    def _variants(self, query: str, hits: list[SearchHit]) -> list[SearchHit]:
        """Add the collapsed near-duplicates of the top hits: the variant that names the
        question's subject (the same paragraph in four mission descriptions) may be the right one."""
        seen = {h.chunk.id for h in hits}
        extra: list[SearchHit] = []
        for hit in [h for h in hits if h.also_in][:3]:
            for v in self._variant_hits(query, hit):
                if v.chunk.id not in seen:
                    seen.add(v.chunk.id)
                    extra.append(v)
        return hits + extra

    def _variant_hits(self, query: str, hit: SearchHit) -> list[SearchHit]:
        if not self._reads_documents():
            return self.searcher.search(query, k=2 * len(hit.also_in), docs=hit.also_in)
        out: list[SearchHit] = []
        for doc in hit.also_in:
            found = self._closest_in(doc, hit)
            if found is not None:
                group = [d for d in [hit.chunk.doc, *hit.also_in] if d != doc]
                out.append(found.model_copy(update={"also_in": group}))
        return out

    def _reads_documents(self) -> bool:
        """Whether the searcher gives a document's metadata and chunks (what _closest_in reads)."""
        return all(callable(getattr(self.searcher, name, None)) for name in ("document", "chunks"))

    def _closest_in(self, doc: str, hit: SearchHit) -> SearchHit | None:
        """The passage of `doc` whose words overlap `hit`'s most (Jaccard), as a hit with `hit`'s score."""
        meta = self.searcher.document(doc)
        if meta is None:
            return None
        if doc not in self._doc_words:
            self._doc_words[doc] = [(c, set(normalize(c.text).split())) for c in self.searcher.chunks(doc)]
        target = set(normalize(hit.chunk.text).split())
        best = max(self._doc_words[doc], key=lambda cw: len(cw[1] & target) / (len(cw[1] | target) or 1), default=None)
        return None if best is None else SearchHit(chunk=best[0], meta=meta, score=hit.score)

    def chunks_of(self, doc: str) -> list[Chunk]:
        """The chunks of a document (none when the searcher cannot list them)."""
        chunks_of = getattr(self.searcher, "chunks", None)
        return [] if chunks_of is None else list(chunks_of(doc))

    def chunks_after(self, chunk: Chunk) -> list[Chunk]:
        """The chunks that follow this one in its document, in order."""
        return sorted((c for c in self.chunks_of(chunk.doc) if c.start > chunk.start), key=lambda c: c.start)


@lru_cache(maxsize=64)
def named_paragraphs(question: str) -> tuple[tuple[str, str, str], ...]:
    """The paragraphs of acts the question names, as written (_is_paragraph compares them without spaces): (chapter
    or "", paragraph, what follows the §, where the act is named). "Vad kräver 10 kap. 9 § kommunallagen (2017:725)
    av en kommun?" -> (("10 ", "9 ", " kommunallagen (2017:725) av en kommun"),). Cached: answering asks it of
    every candidate unit, in the gate and the support checks."""
    if "§" not in question:
        return ()
    return tuple(tuple(g or "" for g in m.groups()) for m in _NAMED_PARAGRAPH.finditer(question))


def in_named_paragraph(hit: SearchHit, question: str) -> bool:
    """The hit is a paragraph of an act that the question names ("Vilken påföljd föreskrivs i 14 § lagen
    (2022:900) ...?"): its section path ends at that paragraph, in the chapter named, of the act named after it."""
    if hit.meta.kind != DocumentKind.lag:
        return False
    return any(
        _is_paragraph(hit.chunk.section or "", chapter, paragraph) and _named_acts(after, [hit.meta])
        for chapter, paragraph, after in named_paragraphs(question)
    )


def _named_acts(text: str, laws: list) -> list:
    """The indexed acts that `text` (what follows a § in a question) names: by SFS number, else by a name or
    abbreviation of aliases.yaml ("LOU", "kommunallagen", "lagen om valfrihetssystem")."""
    number = _SFS.search(text)
    if number:
        return [m for m in laws if m.is_act(number.group(1))]
    named = named_laws(text, laws)
    return [m for m in laws if m.doc in named]


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text.lower())  # "28 f §" and "28f §" alike


def _is_paragraph(section: str, chapter: str, paragraph: str) -> bool:
    """A chunk's section path ends at that paragraph ("21 kap. Tillsyn ... > 9 §"), in that chapter if given."""
    parts = [_squeezed(p) for p in section.split(">")]
    if parts[-1] != _squeezed(paragraph) + "§":
        return False
    return not chapter or any(p.startswith(_squeezed(chapter) + "kap") for p in parts)
