"""Searching the index: BM25 and dense candidates ranked together, near duplicates collapsed, as `SearchHit`s.

`Searching` is the search half of `Library` (assistant/library.py), mixed into it: `library.search(...)`,
`library.candidate_pool(...)` and `library.rank_model` are the library's own. It only reads the index,
through these members of the library: `settings`, `catalog`, `embedder`, `store`, `dense_enabled`,
`refresh()`, `respell()`, `lexical()`, `_meta_map()`, `_lexical_state()`, `_dense_rows()`,
`_alive_rows()`, the locks `_lock` and `_store_lock`, and the caches `_doc_words` and
`_sentence_cache` (made by `Library.__init__`, emptied by `invalidate()`). Keeping that state in
step with the catalog while writers work is library.py's job.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from assistant.answering.shape import Shape, passage_types
from assistant.dense import unit_vector
from assistant.lexical import LexicalIndex
from assistant.models import Chunk, DocumentKind, DocumentMeta, SearchHit
from assistant.ranking import Pool, RankModel, default_model, features, rank
from assistant.retrieval import (
    best_sentence_coverage,
    collapse_duplicates,
    expansions,
    figures,
    mentioned_documents,
    overlap,
    rrf,
    sentence_terms,
    word_set,
)
from assistant.wording import unwrap


class Searching:
    """Hybrid search over a `Library`'s index; a mixin of `Library`, not used on its own."""

    def search(
        self,
        query: str,
        k: int | None = None,
        kinds: Sequence[DocumentKind | str] | None = None,
        docs: Sequence[str] | None = None,
        mode: str = "hybrid",
        collections: Iterable[str] | None = None,
    ) -> list[SearchHit]:
        """Hybrid search: Swedish BM25 and dense candidates ranked by the fitted model (assistant/ranking.py;
        weighted RRF without one), duplicates collapsed.

        `mode` is hybrid, lexical or dense (the last two for evaluation). `collections` limits
        everything the search looks at (candidates, duplicates, the documents a question names)
        to those collections, before anything is ranked. Every hit comes from one committed
        catalog state, even while another thread or process writes.
        """
        self.refresh()
        with self.catalog.snapshot():
            return self._search(query, k, kinds, docs, mode, None if collections is None else frozenset(collections))

    def _search(
        self,
        query: str,
        k: int | None,
        kinds: Sequence[DocumentKind | str] | None,
        docs: Sequence[str] | None,
        mode: str,
        collections: frozenset[str] | None = None,
    ) -> list[SearchHit]:
        cfg = self.settings.search
        k = k or cfg.k
        query = self.respell(unwrap(query))  # "Hej! Jag undrar ... Mvh Anna": neither "hej" nor "Anna" is sought
        allowed_docs = self._allowed_docs(kinds, docs, collections)
        if allowed_docs is not None and not allowed_docs:
            return []
        lexical_ranked, dense_ranked, metas, chunks, vector = self._gather(query, allowed_docs, mode, collections)
        if mode == "hybrid":
            model = self.rank_model
            pool = self._pool(query, lexical_ranked, dense_ranked, chunks, metas, vector, types=model is not None)
            if model is not None:
                fused = rank(pool.ids, features(pool, cfg.rrf_k), model)
            else:
                fused = rrf(
                    [
                        [c for c, _ in lexical_ranked],
                        [c for c, _ in dense_ranked],
                        sorted(pool.sentence, key=lambda c: pool.sentence[c][0]),
                        sorted(pool.mention, key=pool.mention.__getitem__),
                    ],
                    [cfg.lexical_weight, cfg.dense_weight, cfg.sentence_weight, cfg.mention_weight],
                    k=cfg.rrf_k,
                )
        else:
            fused = lexical_ranked or dense_ranked
        lex_rank = {c: i + 1 for i, (c, _) in enumerate(lexical_ranked)}
        dense_rank = {c: i + 1 for i, (c, _) in enumerate(dense_ranked)}
        top = [(c, s) for c, s in fused[: max(k * 3, k + 10)] if c in chunks]
        collapsed = collapse_duplicates(
            [(c, chunks[c].doc, chunks[c].text) for c, _ in top],
            cfg.dedupe_threshold,
            related=lambda a, b: metas[a].duplicate_of == b or metas[b].duplicate_of == a,
        )
        score = dict(top)
        hits = []
        seen: set[str] = set()
        for chunk_id, also in collapsed:
            if len(hits) == k:
                break
            chunk = chunks[chunk_id]
            canonical = self._canonical_passage(chunk, metas, allowed_docs)
            if canonical is not None:
                # The copy is named as holding the same text only when it states the same figures: the
                # newest version's "149 kr för 2025" is cited, its older copy's "145 kr för 2024" is not its text.
                same = figures(canonical.text) == figures(chunk.text)
                also = [*([chunk.doc] if same else []), *[d for d in also if d != canonical.doc]]
                chunk = canonical
            if chunk.id in seen:
                continue
            seen.add(chunk.id)
            hits.append(
                SearchHit(
                    chunk=chunk,
                    meta=metas[chunk.doc],
                    score=round(float(score[chunk_id]), 6),
                    also_in=also,
                    lexical_rank=lex_rank.get(chunk_id),
                    dense_rank=dense_rank.get(chunk_id),
                )
            )
        return hits

    def _canonical_passage(
        self, chunk: Chunk, metas: dict[str, DocumentMeta], allowed: set[str] | None = None
    ) -> Chunk | None:
        """For a passage of a duplicate document, the same passage in the original, if found.

        The same booklet as clean web text and as a PDF extraction: cite the clean original; a routine's
        older copy in another folder: cite the newest version (ingest.mark_duplicates). Not when the
        search is limited to some documents (one unit's folder) and the original is not among them: a
        routine of the unit's own folder is cited, not its copy in another unit's.
        """
        original = metas[chunk.doc].duplicate_of
        if not original or original not in metas or (allowed is not None and original not in allowed):
            return None
        key = (original, self.catalog.generation())  # this snapshot's version of the original
        with self._lock:
            if key not in self._doc_words:
                self._doc_words[key] = [(c, word_set(c.text)) for c in self.catalog.chunks(original)]
            candidates = self._doc_words[key]
        words = word_set(chunk.text)
        best = max(candidates, key=lambda cw: overlap(words, cw[1]), default=None)
        if best is None or overlap(words, best[1]) < self.settings.search.dedupe_threshold:
            return None
        return best[0]

    def _sentences(self, chunk: Chunk, lexical: LexicalIndex) -> list[frozenset[str]]:
        cached = self._sentence_cache.get(chunk.id)
        if cached is None:
            cached = sentence_terms(chunk.text, lexical.analyzer.terms)
            with self._lock:
                if len(self._sentence_cache) > 50_000:
                    self._sentence_cache.clear()
                self._sentence_cache[chunk.id] = cached
        return cached

    def candidate_pool(self, query: str, kinds=None, docs=None) -> Pool:
        """The hybrid search's candidates for `query` with everything ranking knows about them (training)."""
        self.refresh()
        with self.catalog.snapshot():
            lexical_ranked, dense_ranked, metas, chunks, vector = self._gather(query, self._allowed_docs(kinds, docs))
            return self._pool(query, lexical_ranked, dense_ranked, chunks, metas, vector)

    def _gather(self, query: str, allowed_docs: set[str] | None, mode: str = "hybrid", collections=None):
        """What search ranks, for `query` as given: the lexical and the dense top lists (as `mode` asks), the
        documents' metadata (of `collections` only, when given), the candidates' chunks the catalog still has (the
        BM25 rows and the vectors may hold passages it no longer has), and the query's vector (None without
        dense search)."""
        cfg = self.settings.search
        lexical_ranked: list[tuple[str, float]] = []
        dense_ranked: list[tuple[str, float]] = []
        vector = None
        if mode in ("hybrid", "lexical"):
            lexical_ranked = self._lexical_search(query, cfg.candidates, allowed_docs)
        if mode in ("hybrid", "dense") and self.dense_enabled:
            vector = self.embedder.embed_query(query)
            where = {"doc": {"$in": sorted(allowed_docs)}} if allowed_docs is not None else None
            dense_ranked = self._dense_search(vector, cfg.candidates, allowed_docs, where)
        metas = self._meta_map()
        if collections is not None:  # unreadable documents are not even an original to cite instead
            metas = {d: m for d, m in metas.items() if m.collection in collections}
        candidates = list(dict.fromkeys([c for c, _ in lexical_ranked] + [c for c, _ in dense_ranked]))
        chunks = {cid: c for cid, c in self.catalog.get_chunks(candidates).items() if c.doc in metas}
        return lexical_ranked, dense_ranked, metas, chunks, vector

    def _document_vectors(self) -> tuple[dict[str, int], np.ndarray] | None:
        """Each document's mean passage vector (unit length), from the vectors held for dense search."""
        rows = self._dense_rows() if self.dense_enabled else None
        if rows is None:
            return None
        with self._lock:
            cached = getattr(self, "_doc_vectors", None)
            if cached is not None and cached[0] is rows:
                return cached[1]
        docs = sorted(set(rows.docs.tolist()))
        index = {d: i for i, d in enumerate(docs)}
        sums = np.zeros((len(docs), rows.matrix.shape[1]), dtype=np.float32)
        np.add.at(sums, np.fromiter((index[d] for d in rows.docs), dtype=np.int64, count=len(rows.docs)), rows.matrix)
        sums /= np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
        with self._lock:
            self._doc_vectors = (rows, (index, sums))
        return index, sums

    def _pool(
        self, query, lexical_ranked, dense_ranked, chunks: dict[str, Chunk], metas, vector=None, types: bool = True
    ) -> Pool:
        """What ranking knows about the candidates. `types`: read each passage against the kind of answer the
        question asks for (shape.passage_types, the costliest part, a few tens of milliseconds); only the learned
        ranking uses it, the reciprocal-rank fusion that stands in without one does not."""
        prior = [c for c, _ in lexical_ranked + dense_ranked if c in chunks]
        ids = list(dict.fromkeys(prior))
        named = mentioned_documents(query, list(metas.values()))
        lexical = self.lexical()
        terms = lexical.analyzer.terms(query)
        coverage = self._sentence_coverage(terms, chunks)
        first_seen = {cid: i for i, cid in reversed(list(enumerate(prior)))}
        by_cover = sorted(
            (c for c in ids if coverage.get(c, 0) > 0), key=lambda c: (-round(coverage[c], 6), first_seen[c])
        )
        total_idf = sum(lexical.idf(t) for t in set(terms)) or 1.0
        title_cov = {}
        for cid in ids:
            header = set(lexical.analyzer.terms(passage_header(metas[chunks[cid].doc], chunks[cid])))
            title_cov[cid] = sum(lexical.idf(t) for t in set(terms) & header) / total_idf
        shape = Shape.of(query) if types else None
        return Pool(
            ids=ids,
            docs={c: chunks[c].doc for c in ids},
            ordinals={c: chunks[c].ordinal for c in ids},
            lengths={c: len(chunks[c].text) for c in ids},
            kinds={c: metas[chunks[c].doc].kind for c in ids},
            repealed={c for c in ids if metas[chunks[c].doc].repealed},
            duplicates={c for c in ids if metas[chunks[c].doc].duplicate_of},
            lex={c: (i + 1, s) for i, (c, s) in enumerate(lexical_ranked) if c in chunks},
            dense={c: (i + 1, s) for i, (c, s) in enumerate(dense_ranked) if c in chunks},
            cosine=self._cosines(vector, ids),
            sentence={c: (i + 1, coverage[c]) for i, c in enumerate(by_cover)},
            mention={c: i + 1 for i, c in enumerate(c for c in ids if chunks[c].doc in named)},
            title_cov=title_cov,
            doc_cos=self._document_cosines(vector, {chunks[c].doc for c in ids}),
            types={c: passage_types(shape, chunks[c].text) for c in ids} if shape is not None else {},
        )

    def _cosines(self, vector, ids: list[str]) -> dict[str, float]:
        """Cosine of the question to each candidate, the ones only BM25 found too: without it they would all get the
        same made-up cosine below the best (measured at stop 57 with eval/train_ranker.py on the 1,142 training
        questions, 5 folds: recall@5 0.707 -> 0.721, recall@1 0.437 -> 0.450; with folds by document 0.706 -> 0.723;
        the 1,009 answerable held-out questions 0.690 -> 0.709)."""
        rows = self._dense_rows() if vector is not None and self.dense_enabled else None
        return rows.cosines(vector, ids) if rows is not None else {}

    def _document_cosines(self, vector, docs: set[str]) -> dict[str, float]:
        """Cosine of the question to each document's mean passage vector: what the document is about."""
        found = self._document_vectors() if vector is not None else None
        if found is None:
            return {}
        index, matrix = found
        query = unit_vector(vector)
        return {d: float(matrix[index[d]] @ query) for d in docs if d in index}

    @property
    def rank_model(self) -> RankModel | None:
        """The learned ranking model, if it was fitted with this index's embedding model (its dense
        features mean something else with another model) and not switched off
        (STYRDOK_SEARCH__LEARNED_RANKING=false); else None, and search fuses the rankings by RRF."""
        model = default_model() if self.settings.search.learned_ranking else None
        if model is None or not self.dense_enabled or model.embedder != getattr(self.embedder, "model_id", None):
            return None
        return model

    def _sentence_coverage(self, terms: list[str], chunks: dict[str, Chunk]) -> dict[str, float]:
        lexical = self.lexical()
        return {
            cid: best_sentence_coverage(terms, self._sentences(chunk, lexical), lexical.idf)
            for cid, chunk in chunks.items()
        }

    def _dense_search(
        self, vector: Sequence[float], n: int, allowed_docs: set[str] | None, where: dict | None
    ) -> list[tuple[str, float]]:
        """The n passages nearest to `vector`: exact over all vectors up to `exact_dense_max`.

        Exact because Chroma's HNSW is approximate and differs between processes: measured on the
        full shared corpus it returned 83-93% of the true top 60 and sometimes missed the nearest
        passage, so one question ranked differently after a restart.
        """
        dense = self._dense_rows()
        if dense is None:
            with self._store_lock:
                return self.store.query(vector, n, where)
        return dense.nearest(vector, n, allowed_docs, self._alive_rows(dense))

    def _lexical_search(self, query: str, n: int, allowed_docs: set[str] | None) -> list[tuple[str, float]]:
        """The n best BM25 rows of the saved index and the delta together (passages the catalog has)."""
        state = self._lexical_state()
        words = expansions(query)
        weight = self.settings.search.expansion_weight
        allowed = list(allowed_docs) if allowed_docs is not None else None
        mask = state.row_doc != ""
        if allowed is not None:
            mask &= np.isin(state.row_doc, allowed)
        ranked = state.main.top(state.main.scores(query, words, weight), n, mask)
        rows = len(state.delta_alive)
        if rows:
            delta_mask = state.delta_alive.copy()
            if allowed is not None:
                delta_mask &= np.isin(np.array(state.delta.docs[:rows], dtype=object), allowed)
            scores = np.where(delta_mask, state.delta.scores(query, words, weight, rows), 0.0)
            ranked += [(state.delta.ids[i], float(scores[i])) for i in np.flatnonzero(scores > 0)]
            ranked.sort(key=lambda cs: (-cs[1], cs[0]))
        return ranked[:n]

    def _allowed_docs(self, kinds, docs, collections: frozenset[str] | None = None) -> set[str] | None:
        if not kinds and not docs and collections is None:
            return None
        metas = self._meta_map()
        allowed = set(metas)
        if collections is not None:
            allowed = {d for d in allowed if metas[d].collection in collections}
        if kinds:
            wanted = {DocumentKind(k) for k in kinds}
            allowed = {d for d in allowed if metas[d].kind in wanted}
        if docs:
            allowed &= set(docs)
        return allowed


# Here rather than in library.py, which builds the BM25 index with it too: library.py imports this module.
def passage_header(meta: DocumentMeta | None, chunk: Chunk) -> str:
    """The second BM25 field: the document's folder, its title and the chunk's section path.

    The folder is where a library files a unit's routines ("Personlig assistans/Användandet av arbetstelefon.md"):
    the same routine name stands in several units' folders, and "jobbar i hemtjänsten" names the unit.
    Changing what this returns needs a new analysis.ANALYSIS_VERSION, so saved BM25 indexes are rebuilt."""
    folder = meta.folder if meta else ""
    return f"{folder} {meta.title if meta else chunk.doc} {chunk.section or ''}"
