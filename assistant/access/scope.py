"""A Library as one principal may see it: only the documents in the collections they read.

Everything that reads the index for a user goes through this view (search, answers and their
citations and nearest passages, the introduction, lint's cited principles, the document list,
counts, sources), so no output can show a document the user cannot read. Search is limited
inside the Library before any ranking (`Library.search(collections=...)`), so an unreadable
document is neither a candidate, nor a duplicate to name, nor an original to cite instead.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence

from assistant.errors import StyrdokError
from assistant.models import Chunk, DocumentKind, DocumentMeta, SearchHit


class ScopedLibrary:
    """Read-only: writes go through the API, which checks the principal's rights first."""

    def __init__(self, library, readable: frozenset[str]):
        self._library = library
        self.readable = frozenset(readable)
        self.settings = library.settings
        self.folder = library.folder

    @property
    def embedder(self):
        return self._library.embedder

    @property
    def dense_enabled(self) -> bool:
        return bool(getattr(self._library, "dense_enabled", False))

    # -- documents ---------------------------------------------------------------------------------
    def _metas(self) -> dict[str, DocumentMeta]:
        metas = {m.doc: m for m in self._library.documents() if m.collection in self.readable}
        return {doc: _redact(meta, metas) for doc, meta in metas.items()}

    def documents(self) -> list[DocumentMeta]:
        return list(self._metas().values())

    def document(self, doc: str) -> DocumentMeta | None:
        meta = self._library.document(doc)
        if meta is None or meta.collection not in self.readable:
            return None
        return _redact(meta, self._metas())

    def readable_doc(self, doc: str) -> bool:
        meta = self._library.document(doc)
        return meta is not None and meta.collection in self.readable

    def chunks(self, doc: str | None = None) -> Iterator[Chunk]:
        if doc is not None:
            if self.readable_doc(doc):
                yield from self._library.chunks(doc)
            return
        docs = set(self._metas())
        yield from (c for c in self._library.chunks() if c.doc in docs)

    def document_text(self, doc: str) -> str:
        if not self.readable_doc(doc):
            raise StyrdokError(f"{doc}: dokumentet finns inte i indexet.")  # the same words as for no document
        return self._library.document_text(doc)

    def page_starts(self, doc: str) -> list[int]:
        return self._library.page_starts(doc) if self.readable_doc(doc) else []

    def chunk_counts(self) -> dict[str, int]:
        docs = set(self._metas())
        return {doc: n for doc, n in self._library.chunk_counts().items() if doc in docs}

    def vector_progress(self) -> tuple[int, int]:
        if getattr(self._library, "store", None) is None:
            return 0, 0
        return self._library.catalog.vector_progress(set(self._metas()))

    def state_token(self) -> str:
        """Changes when a readable document changes, and differs between different sets of collections."""
        digest = hashlib.sha1("\x1f".join(sorted(self.readable)).encode())
        for meta in sorted(self.documents(), key=lambda m: m.doc):
            digest.update(f"{meta.doc}\x00{meta.sha256}\x00{meta.repealed}\x00{meta.duplicate_of}\n".encode())
        return digest.hexdigest()[:16]

    # -- search ------------------------------------------------------------------------------------
    def search(
        self,
        query: str,
        k: int | None = None,
        kinds: Sequence[DocumentKind | str] | None = None,
        docs: Sequence[str] | None = None,
        mode: str = "hybrid",
    ) -> list[SearchHit]:
        hits = self._library.search(query, k=k, kinds=kinds, docs=docs, mode=mode, collections=self.readable)
        metas = self._metas()
        out = []
        for hit in hits:
            if hit.chunk.doc not in metas:  # cannot happen: the Library searched only these; never show one
                continue
            also = [d for d in hit.also_in if d in metas]
            out.append(hit.model_copy(update={"meta": metas[hit.chunk.doc], "also_in": also}))
        return out


def _redact(meta: DocumentMeta, readable: dict[str, DocumentMeta]) -> DocumentMeta:
    """The metadata without pointers to documents the reader cannot see."""
    if meta.duplicate_of and meta.duplicate_of not in readable:
        return meta.model_copy(update={"duplicate_of": None})
    return meta
