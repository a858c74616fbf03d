"""Seams between the stages, typed as Protocols so tests can pass simple fakes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from assistant.models import Chunk, DocumentKind, DocumentMeta, SearchHit


class Embedder(Protocol):
    """Turns texts into vectors. `model_id` is recorded in the index; models never mix."""

    model_id: str
    dimension: int

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class Searcher(Protocol):
    """Finds passages for a query: what answering, lint and onboarding need from the index."""

    def search(
        self,
        query: str,
        k: int = 10,
        kinds: Sequence[DocumentKind] | None = None,
        docs: Sequence[str] | None = None,
    ) -> list[SearchHit]: ...


class Library(Searcher, Protocol):
    """A searcher that can also list its documents and their chunks (onboarding, UI)."""

    def documents(self) -> list[DocumentMeta]: ...

    def chunks(self, doc: str | None = None) -> Iterator[Chunk]: ...

    def document_text(self, doc: str) -> str: ...
