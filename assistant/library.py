"""The index as one object: a SQLite catalog, a BM25 index and a Chroma collection in one folder.

`open_library()` is what the CLI, the UI, answering, lint and onboarding use.

Crash and concurrency model: the catalog is the source of truth and changes one document per
transaction. A document is searchable by its words as soon as its transaction commits: rows
the saved BM25 index does not have yet are scored by a small delta index over the same
statistics. Its vectors follow; the catalog's `embedded` log says which chunks have one, and
dense search uses those that do. The BM25 files and the vectors may hold passages the catalog
no longer has; those are masked. One writer at a time, across processes (`writing()`, a file
lock). Readers in other threads or processes notice a write by the catalog's generation (and
the vector log) and update what they cached, also while a writer is still at work.

This module keeps the index; searching it (hybrid search, the candidate pool for ranking) is
`Searching` in assistant/search.py, mixed into `Library`.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.catalog import Catalog
from assistant.dense import DenseRows
from assistant.embedding import CachedEmbedder, make_embedder
from assistant.errors import IndexMismatchError, StyrdokError
from assistant.lexical import Delta, LexicalIndex
from assistant.models import Chunk, DocumentMeta
from assistant.ocr import OcrReader
from assistant.search import Searching, passage_header
from assistant.settings import Settings
from assistant.store import VectorStore
from assistant.wording import Speller

# 2: documents are identified by their path relative to the folder ingested (1: by file name),
# and the catalog logs which chunks have vectors.
INDEX_FORMAT = "2"
_WRITE_LOCK = "write.lock"
# Readers rebuild the BM25 files themselves only when a writer left this many rows unbuilt (a killed run).
_DELTA_REBUILD_ROWS = 3000


@dataclass
class _LexicalState:
    """The BM25 index as of one catalog generation: the saved rows plus the rows written since."""

    main: LexicalIndex
    generation: int
    saved: str | None  # the catalog's record of the newest saved BM25 files when `main` was loaded
    row_doc: np.ndarray  # document of each saved row; "" where the catalog no longer has the chunk
    delta: Delta
    delta_alive: np.ndarray  # delta rows the catalog still has


class Library(Searching):
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
        self._store_token = self._vector_token()  # the state the vector client is known to show
        self._lexical: _LexicalState | None = None
        self._dense: DenseRows | bool | None = None  # False: too many to hold, Chroma's HNSW answers
        self._dense_alive: tuple[int, int, np.ndarray] | None = None  # (generation, rows, mask)
        self._metas: tuple[int, dict[str, DocumentMeta]] | None = None
        # Searching's caches (assistant/search.py), emptied by invalidate().
        self._doc_words: dict[tuple[str, int], list[tuple[Chunk, frozenset[str]]]] = {}
        self._sentence_cache: dict[str, list[frozenset[str]]] = {}
        self._speller = Speller()

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
        recorded_format = self.catalog.get_info("format")
        if has_docs and recorded_format != INDEX_FORMAT:
            raise IndexMismatchError(
                f"Indexet i {self.folder} har ett äldre format: dokument identifieras nu av sin sökväg i mappen "
                "(t.ex. 'Hemtjänst/Dagsrutiner.md'), så att filer med samma namn i olika mappar hålls isär. "
                "Bygg om det med 'styrdok ingest --rebuild MAPP …' (vektorerna återanvänds, det går fort)."
            )
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

    def page_starts(self, doc: str) -> list[int]:
        return self.catalog.page_starts(doc)

    def chunk_counts(self) -> dict[str, int]:
        """Number of passages per document."""
        return self.catalog.chunk_counts()

    def vector_progress(self) -> tuple[int, int]:
        """(passages with a vector, all passages); (0, 0) without vectors."""
        if self.store is None:
            return 0, 0
        return self.catalog.vector_progress()

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
                    self._store_token = self._vector_token()  # our own writes went through our client
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

    def _vector_token(self) -> tuple[int, int]:
        """(catalog generation, vector log position): changes with every write of documents or vectors."""
        return self.catalog.generation(), self.catalog.vector_seq()

    def _catch_up(self) -> None:
        """Reopen an outdated embedded vector client, and load what others wrote. Only while no one writes.

        An embedded Chroma client keeps its vector index in memory and does not see another
        process's writes until it is reopened.
        """
        token = self._vector_token()
        if token != self._store_token and self.store is not None and not self.settings.chroma_host:
            with self._store_lock:
                self.store.client.close()
                self.store = self._open_store()
        self._store_token = token
        with self._lock:
            self._generation = token[0]
            dense = self._dense
            if isinstance(dense, DenseRows) and len(dense.ids) and self._dead_share(dense) > 0.25:
                self._dense = None  # many rows of removed passages: read the vectors afresh

    def refresh(self) -> None:
        """Notice another process's (or thread's) writes; cheap when nothing changed (two catalog reads).

        Lexical and dense state follow the catalog by themselves (`_lexical_state`, `_dense_rows`),
        also while a writer works. Reopening the vector client waits until no writer is at work,
        and holds the in-process write mutex so no writer here starts on a client being reopened.
        """
        if self._vector_token() == self._store_token:
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
            self._dense_alive = None
            self._lexical = None
            self._metas = None
            self._doc_words = {}
            self._sentence_cache = {}

    def lexical(self) -> LexicalIndex:
        """The saved BM25 index (its analyzer and statistics serve the sentence ranking too)."""
        return self._lexical_state().main

    def respell(self, text: str) -> str:
        """The text with words written without å, ä, ö ("hemtjanst") as the documents write them, and words
        with a typing error ("hemtjänt") as the corpus's word one edit away (wording.respell, wording.correct,
        by the stems of the saved BM25 index)."""
        return self._speller.read(text, self.lexical())

    def _lexical_state(self) -> _LexicalState:
        """The BM25 rows as of the catalog's current generation: the saved index plus a delta.

        The saved index is reloaded when a writer saved a newer one. Rows written since are
        analysed once and scored by the delta. Without a saved index, or when a killed writer
        left many rows unbuilt and no one writes now, the index is built here and saved.
        """
        self.refresh()
        with self._lock:
            generation = self.catalog.generation()
            state = self._lexical
            if state is not None and state.generation == generation:
                return state
            main = state.main if state is not None else None
            saved = self.catalog.get_info("bm25_generation")
            if main is None or saved != state.saved:
                main = LexicalIndex.load(self.folder / "bm25")
                if main is None:
                    main = self._save_lexical(self._build_lexical())
                    saved = self.catalog.get_info("bm25_generation")
                state = None
            with self.catalog.snapshot():
                generation = self.catalog.generation()
                by_id = self.catalog.chunk_docs()
                delta = state.delta if state is not None else Delta(main)
                known = set(main.ids) | set(delta.ids)
                new = [cid for cid in by_id if cid not in known]
                if len(new) > max(_DELTA_REBUILD_ROWS, len(main.ids) // 5) and not self._writer_busy():
                    main = self._save_lexical(self._build_lexical())
                    saved = self.catalog.get_info("bm25_generation")
                    delta, new = Delta(main), []
                    by_id = self.catalog.chunk_docs()
                    generation = main.generation
                if new:
                    metas = self._meta_map()
                    for cid, chunk in sorted(self.catalog.get_chunks(new).items(), key=lambda kv: kv[0]):
                        meta = metas.get(chunk.doc)
                        delta.add(cid, chunk.doc, chunk.text, passage_header(meta, chunk))
            row_doc = np.array([by_id.get(cid, "") for cid in main.ids], dtype=object)
            alive = np.array([cid in by_id for cid in delta.ids], dtype=bool)
            self._lexical = _LexicalState(main, generation, saved, row_doc, delta, alive)
            return self._lexical

    def searchable_ids(self) -> set[str]:
        """Chunk ids that lexical search can find now (saved rows and rows added since)."""
        state = self._lexical_state()
        by_id = set(self.catalog.chunk_ids())
        return {cid for cid in [*state.main.ids, *state.delta.ids] if cid in by_id}

    def _save_lexical(self, lexical: LexicalIndex) -> LexicalIndex:
        try:
            lexical.save(self.folder / "bm25")
            self.catalog.set_info("bm25_generation", str(lexical.generation))
        except OSError:  # another process is replacing the files; it saves the same rows
            pass
        return lexical

    def _build_lexical(self) -> LexicalIndex:
        with self.catalog.snapshot():
            metas = self._meta_map()
            ids, bodies, headers = [], [], []
            for chunk in self.catalog.chunks():
                ids.append(chunk.id)
                bodies.append(chunk.text)
                headers.append(passage_header(metas.get(chunk.doc), chunk))
            generation = self.catalog.generation()
        lexical = LexicalIndex.build(ids, bodies, headers, self.settings.search.header_weight)
        lexical.generation = generation
        return lexical

    def rebuild_lexical(self) -> LexicalIndex:
        """Rebuild the BM25 index from the catalog and save it (the writer does this after a batch)."""
        lexical = self._build_lexical()
        lexical.save(self.folder / "bm25")
        self.catalog.set_info("bm25_generation", str(lexical.generation))
        with self._lock:
            self._lexical = None
        return lexical

    # -- dense vector rows -----------------------------------------------------
    def save_dense(self) -> None:
        """Write the on-disk copy of all vectors for the current generation (the writer, after a batch)."""
        if self.store is None or self.settings.chroma_host or not self.dense_enabled:
            return
        with self._store_lock:
            if self.store.count() > self.settings.search.exact_dense_max:
                return
            seq = self.catalog.vector_seq()
            rows = DenseRows(*self.store.matrix(), seq=seq)
        rows.save(self.folder, self.catalog.generation())
        with self._lock:
            self._dense, self._dense_alive = rows, None

    def _dense_rows(self) -> DenseRows | None:
        """All vectors (None above the limit): loaded once, then the ones written since are appended.

        Embedded, the first load is the on-disk copy when there is one; with a Chroma server the
        server stays the one source of vectors (and a stopped server is reported, not papered
        over by a local copy).
        """
        with self._lock:
            rows = self._dense
            if rows is False:
                return None
            if rows is None:
                rows = DenseRows.load(self.folder) if not self.settings.chroma_host else None
                if rows is None:
                    seq = self.catalog.vector_seq()
                    with self._store_lock:
                        if self.store.count() > self.settings.search.exact_dense_max:
                            self._dense = False
                            return None
                        rows = DenseRows(*self.store.matrix(), seq=seq)
                    if not self.settings.chroma_host and not self._writer_busy():
                        rows.save(self.folder, self.catalog.generation())
            self._dense = self._append_new_vectors(rows)
            return self._dense

    def _append_new_vectors(self, rows: DenseRows) -> DenseRows:
        """Rows plus the vectors the catalog logged after `rows.seq` (those the vector client has already)."""
        logged = self.catalog.embedded_since(rows.seq)
        if not logged:
            return rows
        wanted = [cid for cid, _ in logged if cid not in rows.id_set]
        with self._store_lock:
            try:
                found = self.store.vectors(wanted) if wanted else {}
            except StyrdokError:
                raise  # a Chroma server that is down is reported
            except Exception:  # noqa: BLE001 - an embedded client that has not seen another process's writes
                found = {}
        # Advance only past what arrived: a vector another process wrote appears once the client is reopened.
        missing = next((seq for cid, seq in logged if cid in set(wanted) - set(found)), None)
        seq = missing - 1 if missing is not None else logged[-1][1]
        if not found:
            return rows if seq == rows.seq else DenseRows(rows.ids, rows.matrix, rows.docs.tolist(), seq)
        docs = self.catalog.chunk_docs_of(list(found))
        ids = list(found)
        return rows.extended(ids, np.asarray([found[i] for i in ids]), [docs.get(i, "") for i in ids], seq)

    def _alive_rows(self, rows: DenseRows) -> np.ndarray | None:
        """Which rows are passages the catalog still has (cached per generation and row count)."""
        generation = self.catalog.generation()
        cached = self._dense_alive
        if cached is not None and cached[0] == generation and cached[1] == len(rows.ids):
            return cached[2]
        by_id = self.catalog.chunk_docs()
        alive = np.fromiter((cid in by_id for cid in rows.ids), dtype=bool, count=len(rows.ids))
        with self._lock:
            self._dense_alive = (generation, len(rows.ids), alive)
        return alive

    def _dead_share(self, rows: DenseRows) -> float:
        alive = self._alive_rows(rows)
        return 0.0 if alive is None or not len(alive) else 1.0 - float(alive.mean())


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
        "folder": meta.folder,
        "decided_by": meta.decided_by,
        "decided_on": meta.decided_on,
        "owner": meta.owner,
    }
