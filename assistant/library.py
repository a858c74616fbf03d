"""The index as one object: a SQLite catalog, a BM25 index and a Chroma collection in one folder.

`open_library()` is what the CLI, the UI, answering, lint and onboarding use.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from assistant.catalog import Catalog
from assistant.embedding import CachedEmbedder, make_embedder
from assistant.errors import IndexMismatchError, StyrdokError
from assistant.lexical import LexicalIndex
from assistant.models import Chunk, DocumentKind, DocumentMeta, SearchHit
from assistant.retrieval import (
    best_sentence_coverage,
    collapse_duplicates,
    expansions,
    mentioned_documents,
    overlap,
    rrf,
    sentence_terms,
    word_set,
)
from assistant.settings import Settings
from assistant.store import VectorStore

INDEX_FORMAT = "1"


class Library:
    """Documents in, passages out. Thread-safe for concurrent searches."""

    def __init__(self, settings: Settings, embedder=None, use_embedder: bool = True):
        self.settings = settings
        self.folder = Path(settings.index)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.catalog = Catalog(self.folder / "catalog.sqlite")
        inner = (
            embedder
            if embedder is not None
            else (make_embedder(settings.embedder, settings.embedder_model) if use_embedder else None)
        )
        self.embedder = CachedEmbedder(inner, self.folder / "embeddings.sqlite") if inner is not None else None
        self._check_format()
        self.store = (
            VectorStore(
                self.embedder,
                settings.collection,
                path=self.folder / "chroma",
                host=settings.chroma_host,
                port=settings.chroma_port,
            )
            if self.embedder is not None
            else None
        )
        self._lock = threading.RLock()
        self._lexical: LexicalIndex | None = None
        self._row_doc: np.ndarray | None = None
        self._metas: dict[str, DocumentMeta] | None = None
        self._doc_words: dict[str, list[tuple[Chunk, frozenset[str]]]] = {}
        self._sentence_cache: dict[str, list[frozenset[str]]] = {}

    # -- configuration guard ---------------------------------------------------
    def _check_format(self) -> None:
        chunking = self.settings.chunking.model_dump_json()
        model = self.embedder.model_id if self.embedder is not None else None
        recorded_chunking = self.catalog.get_info("chunking")
        recorded_model = self.catalog.get_info("model_id")
        has_docs = bool(self.catalog.documents())
        if has_docs and recorded_chunking and recorded_chunking != chunking:
            raise IndexMismatchError(
                f"Indexet i {self.folder} byggdes med andra inställningar för uppdelning i textavsnitt. "
                "Bygg om det med 'styrdok ingest --rebuild' eller använd ett annat --index."
            )
        if has_docs and model and recorded_model and recorded_model != model:
            raise IndexMismatchError(
                f"Indexet i {self.folder} byggdes med embeddingmodellen {recorded_model}, inte {model}. "
                "Modeller blandas aldrig i ett index: bygg om med 'styrdok ingest --rebuild'."
            )
        self.catalog.set_info("format", INDEX_FORMAT)
        self.catalog.set_info("chunking", chunking)
        if model and (not recorded_model or not has_docs):
            self.catalog.set_info("model_id", model)

    @property
    def dense_enabled(self) -> bool:
        return self.store is not None and self.catalog.get_info("model_id") == getattr(self.embedder, "model_id", None)

    # -- reading ---------------------------------------------------------------
    def documents(self) -> list[DocumentMeta]:
        return list(self._meta_map().values())

    def document(self, doc: str) -> DocumentMeta | None:
        return self._meta_map().get(doc)

    def chunks(self, doc: str | None = None) -> Iterator[Chunk]:
        return self.catalog.chunks(doc)

    def document_text(self, doc: str) -> str:
        text = self.catalog.document_text(doc)
        if text is None:
            raise StyrdokError(f"{doc}: dokumentet finns inte i indexet.")
        return text

    def state_token(self) -> str:
        """Changes whenever the set of indexed documents or their content changes."""
        import hashlib

        digest = hashlib.sha1()
        for meta in sorted(self.documents(), key=lambda m: m.doc):
            digest.update(f"{meta.doc}\x00{meta.sha256}\x00{meta.repealed}\x00{meta.duplicate_of}\n".encode())
        return digest.hexdigest()[:16]

    def _meta_map(self) -> dict[str, DocumentMeta]:
        with self._lock:
            if self._metas is None:
                self._metas = {m.doc: m for m in self.catalog.documents()}
            return self._metas

    def invalidate(self) -> None:
        """Forget in-memory state after the catalog changed."""
        with self._lock:
            self._lexical = None
            self._row_doc = None
            self._metas = None
            self._doc_words = {}
            self._sentence_cache = {}

    def lexical(self) -> LexicalIndex:
        with self._lock:
            if self._lexical is None:
                loaded = LexicalIndex.load(self.folder / "bm25")
                if loaded is None or len(loaded) != self.catalog.chunk_count():
                    loaded = self.rebuild_lexical()
                self._lexical = loaded
                self._row_doc = self._row_docs(loaded)
            return self._lexical

    def _row_docs(self, lexical: LexicalIndex) -> np.ndarray:
        by_id = self.catalog.chunk_docs()
        return np.array([by_id.get(cid, "") for cid in lexical.ids], dtype=object)

    def rebuild_lexical(self) -> LexicalIndex:
        metas = self._meta_map()
        ids, bodies, headers = [], [], []
        for chunk in self.catalog.chunks():
            meta = metas.get(chunk.doc)
            ids.append(chunk.id)
            bodies.append(chunk.text)
            headers.append(f"{meta.title if meta else chunk.doc} {chunk.section or ''}")
        lexical = LexicalIndex.build(ids, bodies, headers, self.settings.search.header_weight)
        lexical.save(self.folder / "bm25")
        return lexical

    # -- search ----------------------------------------------------------------
    def search(
        self,
        query: str,
        k: int | None = None,
        kinds: Sequence[DocumentKind | str] | None = None,
        docs: Sequence[str] | None = None,
        mode: str = "hybrid",
    ) -> list[SearchHit]:
        """Hybrid search: weighted RRF of Swedish BM25 and dense similarity, duplicates collapsed.

        `mode` is hybrid, lexical or dense (the last two for evaluation).
        """
        cfg = self.settings.search
        k = k or cfg.k
        allowed_docs = self._allowed_docs(kinds, docs)
        if allowed_docs is not None and not allowed_docs:
            return []
        lexical_ranked: list[tuple[str, float]] = []
        dense_ranked: list[tuple[str, float]] = []
        if mode in ("hybrid", "lexical"):
            lexical_ranked = self._lexical_search(query, cfg.candidates, allowed_docs)
        if mode in ("hybrid", "dense") and self.dense_enabled:
            where = {"doc": {"$in": sorted(allowed_docs)}} if allowed_docs is not None else None
            dense_ranked = self.store.query(self.embedder.embed_query(query), cfg.candidates, where)
        candidates = list(dict.fromkeys([c for c, _ in lexical_ranked] + [c for c, _ in dense_ranked]))
        chunks = self.catalog.get_chunks(candidates)
        if mode == "hybrid":
            prior = [c for c, _ in lexical_ranked + dense_ranked]
            named = mentioned_documents(query, self.documents())
            fused = rrf(
                [
                    [c for c, _ in lexical_ranked],
                    [c for c, _ in dense_ranked],
                    self._sentence_ranking(query, chunks, prior),
                    [c for c in dict.fromkeys(prior) if chunks[c].doc in named],
                ],
                [cfg.lexical_weight, cfg.dense_weight, cfg.sentence_weight, cfg.mention_weight],
                k=cfg.rrf_k,
            )
        else:
            fused = lexical_ranked or dense_ranked
        lex_rank = {c: i + 1 for i, (c, _) in enumerate(lexical_ranked)}
        dense_rank = {c: i + 1 for i, (c, _) in enumerate(dense_ranked)}
        top = [(c, s) for c, s in fused[: max(k * 3, k + 10)] if c in chunks]
        metas = self._meta_map()
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
            canonical = self._canonical_passage(chunk, metas)
            if canonical is not None:
                also = [chunk.doc, *[d for d in also if d != canonical.doc]]
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

    def _canonical_passage(self, chunk: Chunk, metas: dict[str, DocumentMeta]) -> Chunk | None:
        """For a passage of a duplicate document, the same passage in the original, if found.

        The same booklet as clean web text and as a PDF extraction: cite the clean original.
        """
        original = metas[chunk.doc].duplicate_of
        if not original or original not in metas:
            return None
        with self._lock:
            if original not in self._doc_words:
                self._doc_words[original] = [(c, word_set(c.text)) for c in self.catalog.chunks(original)]
            candidates = self._doc_words[original]
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

    def _sentence_ranking(self, query: str, chunks: dict[str, Chunk], prior: list[str]) -> list[str]:
        """Candidates ordered by how well one of their sentences covers the query's terms.

        Equal coverage keeps the order of `prior` (lexical, then dense), never chunk-id order.
        """
        lexical = self.lexical()
        terms = lexical.analyzer.terms(query)
        first_seen = {cid: i for i, cid in reversed(list(enumerate(prior)))}
        scored = [
            (best_sentence_coverage(terms, self._sentences(chunk, lexical), lexical.idf), cid)
            for cid, chunk in chunks.items()
        ]
        ranked = sorted(scored, key=lambda x: (-round(x[0], 6), first_seen.get(x[1], len(prior))))
        return [cid for score, cid in ranked if score > 0]

    def _lexical_search(self, query: str, n: int, allowed_docs: set[str] | None) -> list[tuple[str, float]]:
        lexical = self.lexical()
        scores = lexical.scores(query, expansions(query), self.settings.search.expansion_weight)
        mask = None
        if allowed_docs is not None and self._row_doc is not None:
            mask = np.isin(self._row_doc, list(allowed_docs))
        return lexical.top(scores, n, mask)

    def _allowed_docs(self, kinds, docs) -> set[str] | None:
        if not kinds and not docs:
            return None
        metas = self._meta_map()
        allowed = set(metas)
        if kinds:
            wanted = {DocumentKind(k) for k in kinds}
            allowed = {d for d in allowed if metas[d].kind in wanted}
        if docs:
            allowed &= set(docs)
        return allowed


def open_library(index: Path | str | None = None, settings: Settings | None = None, **kwargs) -> Library:
    """Open (or create) the index folder given, or the configured one."""
    settings = settings or Settings()
    if index is not None:
        settings = settings.model_copy(update={"index": Path(index)})
    return Library(settings, **kwargs)


def describe(meta: DocumentMeta, chunks: int) -> dict:
    """The `docs --json` entry of one document."""
    return {
        "doc": meta.doc,
        "title": meta.title,
        "kind": meta.kind.value,
        "pages": meta.pages,
        "chunks": chunks,
        "status": meta.status,
        "issuer": meta.issuer,
        "date": meta.date,
    }
