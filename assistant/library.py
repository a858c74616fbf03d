"""The index as one object: a SQLite catalog, a BM25 index and a Chroma collection in one folder.

`open_library()` is what the CLI, the UI, answering, lint and onboarding use.

Crash and concurrency model: the catalog is the source of truth and changes one document per
transaction; the BM25 files and the vectors may hold more (never less) and are filtered through
it. One writer at a time, across processes (`writing()`, a file lock). Readers in other threads
or processes notice a write by the catalog's generation and reload what they cached.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from assistant.catalog import Catalog
from assistant.dense import DenseRows
from assistant.embedding import CachedEmbedder, make_embedder
from assistant.errors import IndexMismatchError, StyrdokError
from assistant.lexical import LexicalIndex
from assistant.models import Chunk, DocumentKind, DocumentMeta, SearchHit
from assistant.ocr import OcrReader
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
_WRITE_LOCK = "write.lock"


class Library:
    """Documents in, passages out. Thread-safe for concurrent searches beside one writer."""

    def __init__(self, settings: Settings, embedder=None, use_embedder: bool = True):
        self.settings = settings
        self.folder = Path(settings.index)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.catalog = Catalog(self.folder / "catalog.sqlite")
        # Pages read with OCR, by file content; like the embedding cache it survives --rebuild.
        self.ocr = OcrReader(settings.ocr, cache_path=self.folder / "ocr-cache.sqlite")
        inner = (
            embedder
            if embedder is not None
            else (make_embedder(settings.embedder, settings.embedder_model) if use_embedder else None)
        )
        self.embedder = CachedEmbedder(inner, self.folder / "embeddings.sqlite") if inner is not None else None
        self._check_format()
        self.store = self._open_store()
        self._check_server_has_vectors()
        self._lock = threading.RLock()
        self._store_lock = threading.Lock()  # a query never runs on a client being reopened
        self._write_mutex = threading.RLock()
        self._write_depth = 0
        self._write_fd: int | None = None
        self._generation = self.catalog.generation()  # the state the caches below were built from
        self._store_generation = self._generation  # the state the vector client is known to show
        self._lexical: tuple[LexicalIndex, np.ndarray] | None = None
        self._dense: DenseRows | bool | None = None  # False: too many to hold, Chroma's HNSW answers
        self._metas: tuple[int, dict[str, DocumentMeta]] | None = None
        self._doc_words: dict[tuple[str, int], list[tuple[Chunk, frozenset[str]]]] = {}
        self._sentence_cache: dict[str, list[frozenset[str]]] = {}

    def _open_store(self) -> VectorStore | None:
        if self.embedder is None:
            return None
        return VectorStore(
            self.embedder,
            self.settings.collection,
            path=self.folder / "chroma",
            host=self.settings.chroma_host,
            port=self.settings.chroma_port,
            timeout=self.settings.chroma_timeout,
        )

    # -- configuration guard ---------------------------------------------------
    def _check_server_has_vectors(self) -> None:
        """A Chroma server started on another --path would silently make every search lexical-only."""
        if not self.settings.chroma_host or self.store is None or not self.dense_enabled:
            return
        if self.catalog.chunk_count() and self.store.count() == 0:
            raise IndexMismatchError(
                f"Chroma-servern på {self.settings.chroma_host}:{self.settings.chroma_port} har inga vektorer för "
                f"indexet i {self.folder}. Starta servern med samma --path som när indexet byggdes, "
                "eller bygg om med 'styrdok ingest --rebuild'."
            )

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

    # -- one writer, readers that notice ------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[None]:
        """The exclusive right to change this index: other threads wait, another process is refused.

        A file lock, so it is released even when the holding process is killed.
        """
        with self._write_mutex:
            if self._write_depth == 0:
                self._write_fd = self._take_write_lock()
                self._catch_up()
            self._write_depth += 1
            try:
                yield
            finally:
                self._write_depth -= 1
                if self._write_depth == 0:
                    self._store_generation = self.catalog.generation()  # our own writes went through our client
                    fcntl.flock(self._write_fd, fcntl.LOCK_UN)
                    os.close(self._write_fd)
                    self._write_fd = None

    def _take_write_lock(self) -> int:
        return take_write_lock(self.folder)

    def _writer_busy(self) -> bool:
        """Whether a write is under way here or in another process (then keep serving the old state)."""
        if self._write_depth:
            return True
        try:
            fd = os.open(self.folder / _WRITE_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return False  # a read-only index folder: nobody can be writing to it
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)
        return False

    def _catch_up(self) -> None:
        """Drop what this process cached if the catalog changed since; reopen an outdated vector client.

        An embedded Chroma client keeps its vector index in memory and does not see another
        process's writes until it is reopened. Only done while no one writes.
        """
        generation = self.catalog.generation()
        with self._lock:
            if generation != self._generation:
                self.invalidate()
                self._generation = generation
        if generation != self._store_generation and self.store is not None and not self.settings.chroma_host:
            with self._store_lock:
                self.store.client.close()
                self.store = self._open_store()
            self._store_generation = generation

    def refresh(self) -> None:
        """Notice another process's (or thread's) writes; cheap when nothing changed (one catalog read).

        Holds the in-process write mutex while catching up, so no writer here starts on a vector
        client that is being reopened; skipped while any writer is at work.
        """
        if self.catalog.generation() == self._generation:
            return
        if not self._write_mutex.acquire(blocking=False):
            return
        try:
            if not self._writer_busy():
                self._catch_up()
        finally:
            self._write_mutex.release()

    def repair(self) -> list[str]:
        """Delete vectors no catalog chunk owns and half-written BM25 copies, left by a killed process.

        Call while holding `writing()`. Returns the deleted vector ids.
        """
        LexicalIndex.discard_leftovers(self.folder / "bm25")
        if self.store is None:
            return []
        orphans = sorted(self.store.all_ids() - set(self.catalog.chunk_ids()))
        self.store.delete(orphans)
        return orphans

    def state_token(self) -> str:
        """Changes whenever the set of indexed documents or their content changes."""
        import hashlib

        digest = hashlib.sha1()
        for meta in sorted(self.documents(), key=lambda m: m.doc):
            digest.update(f"{meta.doc}\x00{meta.sha256}\x00{meta.repealed}\x00{meta.duplicate_of}\n".encode())
        return digest.hexdigest()[:16]

    def _meta_map(self) -> dict[str, DocumentMeta]:
        """The documents as of this thread's catalog snapshot (cached per generation)."""
        with self.catalog.snapshot():
            generation = self.catalog.generation()
            cached = self._metas
            if cached is not None and cached[0] == generation:
                return cached[1]
            metas = {m.doc: m for m in self.catalog.documents()}
        with self._lock:
            if self._metas is None or self._metas[0] < generation:
                self._metas = (generation, metas)
        return metas

    def invalidate(self) -> None:
        """Forget in-memory state after the catalog changed."""
        with self._lock:
            self._dense = None
            self._lexical = None
            self._metas = None
            self._doc_words = {}
            self._sentence_cache = {}

    def lexical(self) -> LexicalIndex:
        return self._lexical_rows()[0]

    def _lexical_rows(self) -> tuple[LexicalIndex, np.ndarray]:
        """The BM25 index and the document of each of its rows, loaded together.

        Saved files from an older catalog generation (a process killed before it rebuilt them)
        are rebuilt, unless a writer is at work: then the old rows serve until it is done.
        """
        self.refresh()
        with self._lock:
            if self._lexical is None:
                loaded = LexicalIndex.load(self.folder / "bm25")
                if loaded is None or loaded.generation != self.catalog.generation():
                    if loaded is None or not self._writer_busy():
                        loaded = self._build_lexical()
                        try:
                            loaded.save(self.folder / "bm25")
                        except OSError:  # another process is replacing the files; it saves the same rows
                            pass
                by_id = self.catalog.chunk_docs()
                self._lexical = (loaded, np.array([by_id.get(cid, "") for cid in loaded.ids], dtype=object))
            return self._lexical

    def _build_lexical(self) -> LexicalIndex:
        with self.catalog.snapshot():
            metas = self._meta_map()
            ids, bodies, headers = [], [], []
            for chunk in self.catalog.chunks():
                meta = metas.get(chunk.doc)
                ids.append(chunk.id)
                bodies.append(chunk.text)
                headers.append(f"{meta.title if meta else chunk.doc} {chunk.section or ''}")
            generation = self.catalog.generation()
        lexical = LexicalIndex.build(ids, bodies, headers, self.settings.search.header_weight)
        lexical.generation = generation
        return lexical

    def rebuild_lexical(self) -> LexicalIndex:
        """Rebuild the BM25 index from the catalog and save it (the writer does this after a batch)."""
        lexical = self._build_lexical()
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

        `mode` is hybrid, lexical or dense (the last two for evaluation). Every hit comes from one
        committed catalog state, even while another thread or process writes.
        """
        self.refresh()
        with self.catalog.snapshot():
            return self._search(query, k, kinds, docs, mode)

    def _search(
        self,
        query: str,
        k: int | None,
        kinds: Sequence[DocumentKind | str] | None,
        docs: Sequence[str] | None,
        mode: str,
    ) -> list[SearchHit]:
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
            dense_ranked = self._dense_search(self.embedder.embed_query(query), cfg.candidates, allowed_docs, where)
        metas = self._meta_map()
        candidates = list(dict.fromkeys([c for c, _ in lexical_ranked] + [c for c, _ in dense_ranked]))
        # The BM25 rows and the vectors may still hold passages the catalog no longer has.
        chunks = {cid: c for cid, c in self.catalog.get_chunks(candidates).items() if c.doc in metas}
        if mode == "hybrid":
            prior = [c for c, _ in lexical_ranked + dense_ranked if c in chunks]
            named = mentioned_documents(query, list(metas.values()))
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
        return dense.nearest(vector, n, allowed_docs)

    def save_dense(self) -> None:
        """Write the on-disk copy of all vectors for the current generation (the writer, after a batch)."""
        if self.store is None or self.settings.chroma_host or not self.dense_enabled:
            return
        with self._store_lock:
            if self.store.count() > self.settings.search.exact_dense_max:
                return
            rows = DenseRows(*self.store.matrix())
        rows.save(self.folder, self.catalog.generation())
        with self._lock:
            self._dense = rows

    def _dense_rows(self) -> DenseRows | None:
        """All vectors, cached per catalog generation (in memory; embedded also on disk); None above the limit."""
        with self._lock:
            if self._dense is None:
                generation = self.catalog.generation()
                # With a Chroma server, the server stays the one source of vectors (and a stopped
                # server is reported, not papered over by a local copy); embedded, the copy saves a reload.
                on_disk = not self.settings.chroma_host
                loaded = DenseRows.load(self.folder, generation) if on_disk else None
                if loaded is None:
                    with self._store_lock:
                        if self.store.count() > self.settings.search.exact_dense_max:
                            self._dense = False
                            return None
                        loaded = DenseRows(*self.store.matrix())
                    if on_disk and not self._writer_busy():  # a writer may be changing the vectors now
                        loaded.save(self.folder, generation)
                self._dense = loaded
            return self._dense or None

    def _lexical_search(self, query: str, n: int, allowed_docs: set[str] | None) -> list[tuple[str, float]]:
        lexical, row_doc = self._lexical_rows()
        scores = lexical.scores(query, expansions(query), self.settings.search.expansion_weight)
        mask = None
        if allowed_docs is not None:
            mask = np.isin(row_doc, list(allowed_docs))
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


def take_write_lock(folder: Path) -> int:
    """Lock `folder` for writing (a file lock, released when the process dies); returns the fd.

    Another process holding it gets a Swedish error instead of a wait.
    """
    fd = os.open(Path(folder) / _WRITE_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise StyrdokError(
            f"Indexet i {folder} uppdateras just nu av en annan process (till exempel "
            "'styrdok ingest' eller webbgränssnittet). Vänta tills den är klar och försök igen."
        ) from None
    return fd


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
