"""The answering entry point: resolve, search, decide support, compose or generate, verify, cite."""

from __future__ import annotations

import re
from collections.abc import Sequence

from langchain_core.language_models import BaseChatModel

from assistant.answering import extractive, generative, trust
from assistant.answering.followup import Conversation, resolve, search_query
from assistant.answering.lexicon import ABSTAIN_TEXT
from assistant.answering.passages import ENUMERATION_CHARS, Unit, announces_beyond, segment
from assistant.answering.shape import Shape
from assistant.answering.terms import QueryTerms
from assistant.answering.unit_model import UnitModel
from assistant.answering.unit_model import default_model as default_unit_model
from assistant.answering.verify import parse_claims, verify_claims
from assistant.chunking import section_at
from assistant.docinfo import HEAD_CHARS, decision_span
from assistant.models import Answer, Chunk, Citation, DocumentKind, SearchHit
from assistant.protocols import Embedder, Searcher
from assistant.text import normalize

NEAREST = 3
# Paraphrase rescue (see Answerer._rescue_paraphrase): measured with eval/qa_extra.jsonl.
RESCUE_POOL = 8
RESCUE_MIN_COV = 0.3
RESCUE_MIN_SIM = 0.905
# Within-document expansion (see Answerer._retrieve): the best EXPAND_K further passages of each of the
# top EXPAND_DOCS documents. Measured on qa_people + qa_dev + qa_extra over corpus + library: answerable
# questions with no answering unit among the candidates 34 -> 30 of 218; 3/2, 3/5, 5/3 and 8/2 within noise.
EXPAND_DOCS = 3
EXPAND_K = 3
# A question about who decided a document or when ("Vem har beslutat om kostpolicyn?") is answered by the
# document's own decision line, which search rarely ranks: the first DECISION_DOCS documents found bring it.
DECISION_DOCS = 3


def citation_for(
    hit: SearchHit,
    start: int,
    end: int,
    person_quote: bool = False,
    also_in: Sequence[str] = (),
    key: tuple[int, int] | None = None,
    page_starts: Sequence[int] = (),
) -> Citation:
    """A citation of chunk text [start:end]; offsets in the citation are document offsets. `key` is the
    chunk span of the sentence that answers, when the quote holds more (its context). With the
    document's `page_starts`, the page is where the quote starts, not where its chunk does."""
    chunk, meta = hit.chunk, hit.meta
    extra = [d for d in [*hit.also_in, *also_in] if d != chunk.doc]
    return Citation(
        doc=chunk.doc,
        title=meta.title,
        page=_page_at(page_starts, chunk.start + start) if page_starts else chunk.page_start,
        section=section_at(chunk.section, chunk.text, start),
        quote=chunk.text[start:end],
        kind=meta.kind,
        date=meta.date,
        chunk_id=chunk.id,
        start=chunk.start + start,
        end=chunk.start + end,
        is_quote_of_person=person_quote,
        repealed=meta.repealed,
        also_in=list(dict.fromkeys(extra)),
        decided_by=meta.decided_by,
        decided_on=meta.decided_on,
        key_start=chunk.start + key[0] if key and (key[0], key[1]) != (start, end) else None,
        key_end=chunk.start + key[1] if key and (key[0], key[1]) != (start, end) else None,
        ocr=meta.read_with_ocr(chunk.page_start, chunk.page_end),
    )


class Answerer:
    """Answers questions from a searcher's passages, with verified citations or an honest abstention."""

    def __init__(
        self,
        searcher: Searcher,
        embedder: Embedder | None = None,
        chat_model: BaseChatModel | None = None,
        k: int = 8,
        unit_model: UnitModel | None | bool = True,
    ):
        """`unit_model`: the fitted model deciding which unit answers (True: the shipped one, if any;
        None or False: the hand-written rules alone)."""
        self.searcher = searcher
        self.embedder = embedder
        self.chat_model = chat_model
        self.k = k
        self.unit_model = default_unit_model() if unit_model is True else (unit_model or None)
        self.last_hits: list[SearchHit] = []  # the passages behind the last answer (evaluation, UI)
        self._doc_words: dict[str, list] = {}  # doc -> its chunks with word sets (_closest_in)

    def ask(
        self,
        question: str,
        conversation: Conversation | None = None,
        kinds: Sequence[DocumentKind] | None = None,
        docs: Sequence[str] | None = None,
    ) -> Answer:
        """Answer one question; a given conversation resolves follow-ups and gets the turn appended.

        `kinds` and `docs` limit the documents the answer may come from (e.g. one unit's routines)."""
        res = resolve(question, conversation)
        query = search_query(res)
        within = {"docs": list(docs)} if docs is not None else {}
        hits = self._retrieve(query, self.k, kinds, within)
        if res.prior_docs:
            # A follow-up most likely continues in the documents just cited.
            hits = sorted(hits, key=lambda h: (h.chunk.doc not in res.prior_docs, -h.score))
        self.last_hits = hits
        terms = QueryTerms(res.core, extra_context=res.context, emphasis=res.emphasis)
        probe = self._probe
        analysis = extractive.analyze(
            terms, res.core, hits, probe, self.unit_model, known=self._known, prior_docs=res.prior_docs
        )
        if not analysis.supported and len(hits) >= self.k:
            # Look wider before saying the documents do not say.
            hits = self._retrieve(query, 2 * self.k, kinds, within)
            self.last_hits = hits
            terms = QueryTerms(res.core, extra_context=res.context, emphasis=res.emphasis)
            analysis = extractive.analyze(
                terms, res.core, hits, probe, self.unit_model, known=self._known, prior_docs=res.prior_docs
            )
        if not analysis.supported and self.embedder is not None:
            self._rescue_paraphrase(res.core, analysis)
        if res.is_followup and conversation is not None and conversation.last is not None:
            _not_again(analysis, conversation.last.quotes)
        if self.chat_model is not None and analysis.supported:
            answer = self._generated_or_extracted(question, res.question, analysis)
        else:
            answer = self._extracted(question, analysis)
        answer.resolved_question = res.question if res.is_followup else None
        if conversation is not None:
            conversation.add(answer)
        return answer

    def _rescue_paraphrase(self, question: str, analysis) -> None:
        """Accept a sentence that says what was asked in other words.

        Only the word-coverage gate is relaxed, and only for a sentence whose meaning is very
        close to the question (multilingual-e5 cosine, calibrated on the development and
        held-out sets: unanswerable questions stayed below 0.90). Every other gate (places,
        the asked-for figure or date, the focus word) still applies.
        """
        pool = [
            c for c in analysis.candidates[:RESCUE_POOL] if c.why_not == "för låg täckning" and c.cov >= RESCUE_MIN_COV
        ]
        if not pool:
            return
        query = self.embedder.embed_query(question)
        vectors = self.embedder.embed_documents([c.unit.text for c in pool])
        sims = [sum(a * b for a, b in zip(query, v, strict=True)) for v in vectors]
        best, sim = max(zip(pool, sims, strict=True), key=lambda cs: cs[1])
        if sim >= RESCUE_MIN_SIM:
            best.supported, best.why_not = True, ""
            analysis.candidates.remove(best)
            analysis.candidates.insert(0, best)

    def _known(self, word: str) -> bool:
        """Does the corpus use this word (as written, at least twice)? False when the searcher cannot tell:
        a ScopedLibrary offers no word list on purpose (it would tell words of collections the user may
        not read), so there the search probe alone decides."""
        lexical = getattr(self.searcher, "lexical", None)
        if not callable(lexical):
            return False
        try:
            vocabulary = lexical().analyzer.vocabulary
        except Exception:  # no lexical index yet
            return False
        return word.lower() in vocabulary

    def _probe(self, word: str) -> list[SearchHit]:
        """Passages with one word: lexical search when the searcher offers it (an existence check)."""
        try:
            return self.searcher.search(word, k=3, mode="lexical")
        except TypeError:
            return self.searcher.search(word, k=3)

    def _retrieve(
        self, query: str, k: int, kinds: Sequence[DocumentKind] | None = None, within: dict | None = None
    ) -> list[SearchHit]:
        """The passages an answer is chosen from: the top k of search, their collapsed near-duplicates,
        and the best further passages of the top documents (the right document is found more often than
        its right passage: a whole contract matches a question better than the clause that answers it)."""
        hits = self._variants(query, self.searcher.search(query, k=k, kinds=kinds, **(within or {})))
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
            head = [c for c in self._chunks_of(doc) if c.start < HEAD_CHARS and decision_span(c.text)]
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
        nxt = next(iter(self._chunks_after(chunk)), None)
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
        for nxt in self._chunks_after(chunk):
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

    # -- extractive -------------------------------------------------------

    def _extracted(self, question: str, analysis: extractive.Analysis) -> Answer:
        groups = extractive.select(analysis, self._following_units)
        if not groups:
            return self._abstain(question, analysis)
        sentences: list[str] = []
        citations: list[Citation] = []
        notes: list[str] = []
        quote_prefixed = False
        for n, group in enumerate(groups, start=1):
            person = any(u.person_quote for u in group.units)
            key = (group.key.start, group.key.end) if group.key is not None and group.key.hit is group.hit else None
            citations.append(
                citation_for(
                    group.hit, group.start, group.end, person, group.also_in, key, self._page_starts(group.hit)
                )
            )
            for unit in group.units:
                text = unit.text
                if group.footnote:
                    text = f"Fotnoten anger: {text}"
                if unit.person_quote:
                    text = "”" + text.strip('”“" ') + "”"
                    if not quote_prefixed:
                        text = f"{trust.QUOTE_PREFIX} {text}"
                        quote_prefixed = True
                sentences.append(extractive.with_marker(text, n))
            if group.conflict_with is not None:
                notes.append(trust.conflict_note(group.conflict_with + 1, n))
            if group.alternative:
                notes.append(trust.alternative_note(n))
        notes.extend(self._trust_notes(citations, [g.hit for g in groups]))
        return Answer(question=question, text=" ".join(sentences), abstained=False, citations=citations, notes=notes)

    def _page_starts(self, hit: SearchHit) -> Sequence[int]:
        """Where the pages of a hit's document start, when its chunk spans pages and the searcher knows."""
        chunk = hit.chunk
        if chunk.page_start is None or chunk.page_start == chunk.page_end:
            return ()
        catalog = getattr(self.searcher, "catalog", None)
        return catalog.page_starts(chunk.doc) if catalog is not None else ()

    def _chunks_of(self, doc: str) -> list[Chunk]:
        """The chunks of a document (none when the searcher cannot list them)."""
        chunks_of = getattr(self.searcher, "chunks", None)
        return [] if chunks_of is None else list(chunks_of(doc))

    def _chunks_after(self, chunk: Chunk) -> list[Chunk]:
        """The chunks that follow this one in its document, in order."""
        return sorted((c for c in self._chunks_of(chunk.doc) if c.start > chunk.start), key=lambda c: c.start)

    def _following_units(self, unit: Unit) -> list[Unit]:
        """Units of the next few chunks of the unit's document (footnotes sit after the text)."""
        hit = unit.hit
        units: list[Unit] = []
        for chunk in self._chunks_after(hit.chunk)[:4]:
            units += segment(SearchHit(chunk=chunk, meta=hit.meta, score=0.0))[0]
        return units

    def _trust_notes(self, citations: list[Citation], hits: list[SearchHit]) -> list[str]:
        notes: list[str] = []
        for n, (c, hit) in enumerate(zip(citations, hits, strict=False), start=1):
            if c.is_quote_of_person:
                notes.append(trust.quote_note(n))
            if c.repealed:
                notes.append(trust.repealed_note(n, c, hit.meta.superseded_by))
            notes.extend(trust.superseded_act_notes(n, c.quote))
        return notes

    # -- abstention -------------------------------------------------------

    def _abstain(self, question: str, analysis: extractive.Analysis, notes: list[str] | None = None) -> Answer:
        nearest = self._nearest(analysis)
        near = self._how_near(analysis, nearest)
        return Answer(
            question=question,
            text=ABSTAIN_TEXT,
            abstained=True,
            citations=[],
            nearest=nearest,
            notes=([near] if near else []) + (notes or []),
        )

    def _how_near(self, analysis: extractive.Analysis, nearest: list[Citation]) -> str | None:
        """Below the threshold but not far from it: say what came nearest, without presenting it as the answer."""
        model = self.unit_model
        best = next((c for c in analysis.candidates if not c.unit.injection), None)
        if model is None or best is None or best.probability is None or best.probability < model.near or not nearest:
            return None
        c = nearest[0]
        where = c.title + (f" ({c.folder})" if c.folder else "")
        return f"Närmast i dokumenten: {where}. Det svarar inte säkert på frågan; läs själv i källan."

    def _nearest(self, analysis: extractive.Analysis) -> list[Citation]:
        """The three nearest passages, quoted at their best sentence; other documents first, then the rest."""
        first: list[Citation] = []
        rest: list[Citation] = []
        seen_docs: set[str] = set()
        for rank, hit in enumerate(analysis.hits):
            cands = [
                c for c in analysis.candidates if c.rank == rank and not c.unit.injection and c.unit.kind != "pair"
            ]
            if cands:
                u = max(cands, key=lambda c: c.score).unit
                citation = citation_for(hit, u.start, u.end, u.person_quote, page_starts=self._page_starts(hit))
            else:
                citation = citation_for(hit, 0, min(len(hit.chunk.text), 300))
            docs = {hit.chunk.doc, *hit.also_in}
            (rest if docs & seen_docs else first).append(citation)
            seen_docs |= docs
        return (first + rest)[:NEAREST]

    # -- generative -------------------------------------------------------

    def _generated_or_extracted(self, question: str, resolved: str, analysis: extractive.Analysis) -> Answer:
        """The language model's verified answer; when the backend fails (unreachable, timeout), the
        extractive answer with a note saying so, instead of a traceback."""
        try:
            answer = self._generated(question, resolved, analysis)
        except Exception as error:  # noqa: BLE001 - any backend failure: connection, timeout, server error
            answer = self._extracted(question, analysis)
            answer.notes.insert(
                0, f"Språkmodellen kunde inte svara ({type(error).__name__}); svaret är hämtat direkt ur dokumenten."
            )
            return answer
        # A generated answer with no verified sentence stays an abstention (the contract), but
        # says which mode produced it.
        answer.mode = "generative"
        return answer

    def _generated(self, question: str, resolved: str, analysis: extractive.Analysis) -> Answer:
        # Supporting passages first, then the rest by search rank.
        order = list(dict.fromkeys([c.rank for c in analysis.supported] + list(range(len(analysis.hits)))))
        passages = [analysis.hits[r] for r in order][: min(6, len(order))]
        raw = generative.generate(self.chat_model, resolved, passages)
        if generative.is_abstention(raw):
            return self._abstain(question, analysis)
        claims = parse_claims(raw)
        verdicts = verify_claims(claims, passages, self.embedder)
        kept = [v for v in verdicts if v.supported and v.unit is not None]
        dropped = len(verdicts) - len(kept)
        notes = [f"{dropped} mening(ar) utan stöd i de citerade källorna togs bort."] if dropped else []
        if not kept:
            return self._abstain(question, analysis, notes)
        citations: list[Citation] = []
        key_of: dict[tuple[str, int, int], int] = {}
        sentences: list[str] = []
        for v in kept:
            unit: Unit = v.unit
            key = (unit.hit.chunk.id, unit.start, unit.end)
            if key not in key_of:
                citations.append(
                    citation_for(
                        unit.hit, unit.start, unit.end, unit.person_quote, page_starts=self._page_starts(unit.hit)
                    )
                )
                key_of[key] = len(citations)
            sentences.append(extractive.with_marker(v.claim.text, key_of[key]))
        notes.extend(self._trust_notes(citations, _hits_of(kept)))
        return Answer(
            question=question,
            text=" ".join(sentences),
            abstained=False,
            citations=citations,
            notes=notes,
            mode="generative",
        )


def _page_at(page_starts: Sequence[int], offset: int) -> int:
    """1-based page of a document offset."""
    return max(1, sum(1 for start in page_starts if start <= offset))


def _not_again(analysis: extractive.Analysis, quotes: Sequence[str]) -> None:
    """A follow-up asks something new: the passages the previous answer quoted go behind the others,
    unless one of them names everything the follow-up itself asks ("Och vem kallar till mötet?" when
    the previous answer already said who does): then saying it again is the answer."""
    if not quotes:
        return
    said = [normalize(q) for q in quotes]
    terms = analysis.terms
    own = [i for i, t in enumerate(terms.terms) if t.weight >= 1.0]
    for c in analysis.candidates:
        if own and all(terms.level(i, c.unit.stems) >= 0.6 for i in own):
            continue
        # A pair or list that restates one of its sentences from the previous answer goes behind too.
        parts = [normalize(p.quote) for p in (c.unit, *(c.unit.parts or []))]
        if any(p in q or q in p for p in parts for q in said):
            c.score -= 1.0
    analysis.candidates.sort(key=lambda c: c.score, reverse=True)


def _hits_of(verdicts) -> list[SearchHit]:
    seen: dict[tuple[str, int, int], SearchHit] = {}
    for v in verdicts:
        seen.setdefault((v.unit.hit.chunk.id, v.unit.start, v.unit.end), v.unit.hit)
    return list(seen.values())
