"""The answering entry point: resolve, search, decide support, compose or generate, verify, cite."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from langchain_core.language_models import BaseChatModel

from assistant.answering import citing, extractive, generative, trust
from assistant.answering.finding import PassageFinder
from assistant.answering.followup import Conversation, Resolution, resolve, search_query
from assistant.answering.gates import no_statement
from assistant.answering.lexicon import ABSTAIN_TEXT
from assistant.answering.meaning import SemanticChoice, default_choice
from assistant.answering.passages import Unit, segment
from assistant.answering.unit_model import UnitModel
from assistant.answering.unit_model import default_model as default_unit_model
from assistant.answering.verify import parse_claims, verify_claims
from assistant.chunking import section_at
from assistant.embedding import cosines
from assistant.models import Answer, Citation, DocumentKind, SearchHit
from assistant.protocols import Embedder, Searcher
from assistant.text import normalize

NEAREST = 3
# The passages of search the answerer cuts into units. Measured at stop 50 over the 1,277 training questions (corpus +
# library, units gathered as eval/train_answering.py does, the unit ranking cross-validated by grouped 5 folds): with 6,
# 8 and 12 passages a unit that holds the answer is among the units for 77.6, 79.5 and 82.0 % of the answerable
# questions, but the ranking's first unit holds it for 39.7, 39.8 and 39.9 %: more passages bring as many distractors
# as answers, and cost time.
PASSAGES = 8
# Paraphrase rescue (see Answerer._rescue_paraphrase): measured with eval/qa_extra.jsonl.
RESCUE_POOL = 8
RESCUE_MIN_COV = 0.3
RESCUE_MIN_SIM = 0.905


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
        k: int | None = None,
        unit_model: UnitModel | None | bool = True,
        semantic: SemanticChoice | None | bool = True,
    ):
        """`k`: the passages of search an answer is cut from (None: PASSAGES). `unit_model`: the fitted model
        deciding which unit answers (True: the shipped one, if any; None or False: the hand-written rules alone).
        `semantic`: the fitted re-reading of the best units by meaning (meaning.py; True: the shipped one, if any;
        None or False: the unit model's order)."""
        self.searcher = searcher
        self.embedder = embedder
        self.chat_model = chat_model
        self.k = k or PASSAGES
        self.unit_model = default_unit_model() if unit_model is True else (unit_model or None)
        self.semantic = default_choice() if semantic is True else (semantic or None)
        self.finder = PassageFinder(searcher)  # the passages an answer is chosen from
        self.last_hits: list[SearchHit] = []  # the passages behind the last answer (evaluation, UI)

    def ask(
        self,
        question: str,
        conversation: Conversation | None = None,
        kinds: Sequence[DocumentKind] | None = None,
        docs: Sequence[str] | None = None,
    ) -> Answer:
        """Answer one question; a given conversation resolves follow-ups and gets the turn appended.

        `kinds` and `docs` limit the documents the answer may come from (e.g. one unit's routines)."""
        res = resolve(self._respelled(question), conversation)
        analysis = self.analyse(res, kinds, {"docs": list(docs)} if docs is not None else {})
        if res.is_followup and conversation is not None and conversation.last is not None:
            _not_again(analysis, conversation.last.quotes)
        if self.chat_model is not None and analysis.supported:
            answer = self._generated_or_extracted(question, res.question, analysis)
        else:
            answer = self._extracted(question, analysis)
        if not answer.abstained and self._uncertain(analysis):
            answer.notes.insert(0, trust.uncertain_note())
        # How the question was read, when that is not as it was typed: a follow-up made self-contained, a greeting
        # taken off, "hemtjanst" read as "hemtjänst", "läkemdel" as "läkemedel" (the user can catch a misreading).
        read_as_typed = " ".join(res.question.split()).casefold() == " ".join(question.split()).casefold()
        answer.resolved_question = None if read_as_typed and not res.is_followup else res.question
        if conversation is not None:
            conversation.add(answer, res.question)
        return answer

    def analyse(
        self,
        res: Resolution,
        kinds: Sequence[DocumentKind] | None = None,
        within: dict | None = None,
        by_meaning: bool = True,
    ) -> extractive.Analysis:
        """The resolved question's candidate units, scored and in the order an answer is chosen from them
        (`by_meaning`: with the best re-read by meaning; eval/train_semantic.py fits that on the order without)."""
        query = search_query(res)
        within = within or {}
        hits = self.finder.find(query, self.k, kinds, within)
        if res.prior_docs:
            # A follow-up most likely continues in the documents just cited.
            hits = sorted(hits, key=lambda h: (h.chunk.doc not in res.prior_docs, -h.score))
        self.last_hits = hits
        analysis = extractive.analyze(res.terms(), res.core, hits, self.unit_model, prior_docs=res.prior_docs)
        if not analysis.supported and len(hits) >= self.k:
            # Look wider before saying the documents do not say.
            hits = self.finder.find(query, 2 * self.k, kinds, within)
            self.last_hits = hits
            analysis = extractive.analyze(res.terms(), res.core, hits, self.unit_model, prior_docs=res.prior_docs)
        if not analysis.supported and self.embedder is not None:
            self._rescue_paraphrase(res.core, analysis)
        if by_meaning:
            self._choose_by_meaning(query, analysis)
        return analysis

    def _choose_by_meaning(self, query: str, analysis: extractive.Analysis) -> None:
        """The first units that answer, re-ordered by the fitted weighting of the embedder's dimensions
        (meaning.py), with the question as it was searched (its vector is cached from the search). Only with
        the embedder the weights were fitted on; the other candidates keep their places."""
        choice = self.semantic
        if choice is None or self.embedder is None or getattr(self.embedder, "model_id", None) != choice.model_id:
            return
        best = analysis.supported[: choice.k]
        if len(best) < 2 or not choice.applies(best[0].unit.hit.meta.kind.value):
            return
        question = self.embedder.embed_query(query)
        embed = getattr(self.embedder, "embed_transient", self.embedder.embed_documents)
        units = embed([c.unit.text[: choice.chars] for c in best])
        scores = choice.scores(np.array([c.score for c in best]), np.asarray(question), np.asarray(units))
        order = iter([best[i] for i in np.argsort(-scores, kind="stable")])
        chosen = {id(c) for c in best}
        analysis.candidates = [next(order) if id(c) in chosen else c for c in analysis.candidates]

    def _uncertain(self, analysis: extractive.Analysis) -> bool:
        """The unit that answers is less probable than the model's `sure`, below which answers held out held the
        passage that answers too seldom to be given without a warning (eval/train_answering.py, choose_sure)."""
        model, best = self.unit_model, (analysis.supported or [None])[0]
        if model is None or model.sure is None or best is None or best.probability is None:
            return False
        return best.probability < model.sure

    def _respelled(self, question: str) -> str:
        """The question with words typed without å, ä, ö as the documents write them, when the searcher
        knows its corpus's words (Library.respell; a ScopedLibrary offers no word list on purpose: it would tell
        words of collections the user may not read)."""
        respell = getattr(self.searcher, "respell", None)
        return respell(question) if callable(respell) else question

    def _rescue_paraphrase(self, question: str, analysis) -> None:
        """Accept a sentence that says what was asked in other words.

        Only the word-coverage gate is relaxed, and only for a sentence whose meaning is very
        close to the question (multilingual-e5 cosine, calibrated on the development and
        held-out sets: unanswerable questions stayed below 0.90). Every other gate (places,
        the asked-for figure or date, the focus word) still applies.
        """
        pool = [
            c
            for c in analysis.candidates[:RESCUE_POOL]
            if c.why_not == extractive.LOW_COVERAGE and c.cov >= RESCUE_MIN_COV
        ]
        if not pool:
            return
        sims = cosines(self.embedder, question, [c.unit.text for c in pool])
        best, sim = max(zip(pool, sims, strict=True), key=lambda cs: cs[1])
        if sim >= RESCUE_MIN_SIM:
            best.supported, best.why_not = True, ""
            analysis.candidates.remove(best)
            analysis.candidates.insert(0, best)

    # -- extractive -------------------------------------------------------

    def _extracted(self, question: str, analysis: extractive.Analysis) -> Answer:
        groups = citing.select(analysis, self._following_units, self._paragraph_units)
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
                sentences.append(citing.with_marker(text, n))
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

    def _paragraph_units(self, unit: Unit, chapter: str, paragraph: str) -> list[Unit]:
        """The first sentence or list of § `paragraph` of the unit's act (or of the act that holds the same text, when
        a local document quotes it), in `chapter` ("5") or, without one, in the unit's own chapter (section paths of
        acts read "32 kap. > Rubrik > 1 §"); none when there is no such §."""
        hit = unit.hit
        own = (hit.chunk.section or "").split(" > ")[0]
        want = f"{chapter} kap." if chapter else (own if own.endswith("kap.") else "")
        document = getattr(self.searcher, "document", None)
        others = list(hit.also_in) if callable(document) else []
        for doc in [hit.chunk.doc, *others]:
            meta = hit.meta if doc == hit.chunk.doc else document(doc)
            for chunk in self.finder.chunks_of(doc) if meta is not None else ():
                parts = (chunk.section or "").split(" > ")
                if chunk.id != hit.chunk.id and parts[-1] == f"{paragraph} §" and (not want or parts[0] == want):
                    units = segment(SearchHit(chunk=chunk, meta=meta, score=0.0))[0]
                    return [u for u in units if u.kind in ("sentence", "list")][:1]
        return []

    def _following_units(self, unit: Unit) -> list[Unit]:
        """Units of the next few chunks of the unit's document (footnotes sit after the text)."""
        hit = unit.hit
        units: list[Unit] = []
        for chunk in self.finder.chunks_after(hit.chunk)[:4]:
            units += segment(SearchHit(chunk=chunk, meta=hit.meta, score=0.0))[0]
        return units

    def _trust_notes(self, citations: list[Citation], hits: list[SearchHit]) -> list[str]:
        notes: list[str] = []
        document = getattr(self.searcher, "document", None)  # a duplicate's original (older_version_note)
        for n, (c, hit) in enumerate(zip(citations, hits, strict=False), start=1):
            if c.is_quote_of_person:
                notes.append(trust.quote_note(n))
            if c.repealed:
                notes.append(trust.repealed_note(n, c, hit.meta.superseded_by))
            if hit.meta.duplicate_of and callable(document):
                older = trust.older_version_note(n, hit.meta, document(hit.meta.duplicate_of))
                if older:
                    notes.append(older)
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
            units = [
                c for c in analysis.candidates if c.rank == rank and not c.unit.injection and c.unit.kind != "pair"
            ]
            cands = [c for c in units if not no_statement(c.unit, analysis.terms)]
            if units and not cands:
                continue  # a letterhead, a template's fields, headings: nothing it says came near
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
            sentences.append(citing.with_marker(v.claim.text, key_of[key]))
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
