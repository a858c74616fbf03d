"""Chroma adapter: the vector half of the index, embedded (persistent folder) or a Chroma server.

The embedding function is always passed explicitly: Chroma's default would try to download
a model at run time. The collection metadata records the embedding model; mixing is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import chromadb
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.config import Settings as ChromaSettings
from chromadb.utils.embedding_functions import register_embedding_function

from assistant.errors import IndexMismatchError, StyrdokError


@register_embedding_function
class StyrdokEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma-facing wrapper around a Styrdok embedder (see assistant.embedding)."""

    def __init__(self, embedder: Any = None):
        self._embedder = embedder

    def __call__(self, input: Documents) -> Embeddings:  # noqa: A002 - Chroma's parameter name
        if self._embedder is None:
            raise StyrdokError("Ingen embeddingmodell är laddad för vektorindexet.")
        import numpy as np

        return [np.asarray(v, dtype=np.float32) for v in self._embedder.embed_documents(list(input))]

    @staticmethod
    def name() -> str:
        return "styrdok"

    def get_config(self) -> dict[str, Any]:
        return {"model_id": getattr(self._embedder, "model_id", None)}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> StyrdokEmbeddingFunction:
        return StyrdokEmbeddingFunction(None)

    def default_space(self) -> str:
        return "cosine"


class VectorStore:
    """Chunk vectors with the metadata used for filtering (doc, kind)."""

    def __init__(
        self,
        embedder: Any,
        collection: str,
        path: Path | None = None,
        host: str | None = None,
        port: int = 8000,
    ):
        settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        if host:
            self.client = chromadb.HttpClient(host=host, port=port, settings=settings)
        else:
            assert path is not None
            path.mkdir(parents=True, exist_ok=True)
            self.client = chromadb.PersistentClient(path=str(path), settings=settings)
        self.embedder = embedder
        self.collection = self.client.get_or_create_collection(
            name=collection,
            embedding_function=StyrdokEmbeddingFunction(embedder),
            metadata={"model_id": embedder.model_id, "dimension": embedder.dimension, "hnsw:space": "cosine"},
        )
        recorded = (self.collection.metadata or {}).get("model_id")
        if recorded and recorded != embedder.model_id:
            raise IndexMismatchError(
                f"Indexet byggdes med modellen {recorded} men nu används {embedder.model_id}. "
                "Bygg om indexet (styrdok ingest --rebuild) eller välj samma modell."
            )

    def add(self, ids: Sequence[str], vectors: Sequence[Sequence[float]], metadatas: Sequence[dict]) -> None:
        for start in range(0, len(ids), 1000):
            end = start + 1000
            self.collection.upsert(
                ids=list(ids[start:end]),
                embeddings=[list(v) for v in vectors[start:end]],
                metadatas=list(metadatas[start:end]),
            )

    def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), 1000):
            self.collection.delete(ids=list(ids[start : start + 1000]))

    def all_ids(self) -> set[str]:
        return set(self.collection.get(include=[])["ids"])

    def count(self) -> int:
        return self.collection.count()

    def query(self, vector: Sequence[float], k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the k nearest chunks."""
        # No count() first: Chroma returns fewer results when it has fewer, and with a server
        # every call is a round trip.
        result = self.collection.query(query_embeddings=[list(vector)], n_results=k, where=where, include=["distances"])
        return [(cid, 1.0 - float(dist)) for cid, dist in zip(result["ids"][0], result["distances"][0], strict=True)]

    def vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        if not ids:
            return {}
        got = self.collection.get(ids=list(ids), include=["embeddings"])
        return {cid: list(vec) for cid, vec in zip(got["ids"], got["embeddings"], strict=True)}
