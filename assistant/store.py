"""Chroma adapter: the vector half of the index, embedded (persistent folder) or a Chroma server.

The embedding function is always passed explicitly: Chroma's default would try to download
a model at run time. The collection metadata records the embedding model; mixing is refused.
A server that stops, or never answers, becomes a `StoreUnavailableError` within `timeout`
seconds, and the same store works again once the server is back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import chromadb
import httpx
import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError
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


DEFAULT_TIMEOUT = 10.0  # a 1000-chunk upsert takes about 1 s on a busy two-core machine
CONNECT_TIMEOUT = 2.0  # a stopped server refuses at once; an unreachable host fails within this
T = TypeVar("T")


class StoreUnavailableError(StyrdokError):
    """The Chroma server cannot be reached: stopped, wrong address, or not answering in time.

    Searching while the server is down is an error, never lexical-only results: a tjänsteman who
    silently gets a weaker ranking may take "inget stöd i dokumenten" as a fact about the documents
    when it is a fact about the server. A clear error says what to fix, and the next question after
    the server returns works again because the store reconnects by itself.
    """

    def __init__(self, host: str, port: int):
        self.host = host
        self.port = port
        super().__init__(
            f"Kan inte nå Chroma-servern på {host}:{port}. Kontrollera att den körs "
            f"('chroma run --host {host} --port {port} --path MAPP') eller ta bort STYRDOK_CHROMA_HOST "
            "för att använda det inbyggda indexet."
        )


def _lost_server(error: Exception) -> bool:
    """An HTTP failure, or chromadb's ValueError wrapping one ("Could not connect to a Chroma server")."""
    return isinstance(error, httpx.HTTPError) or isinstance(error.__context__, httpx.HTTPError)


def _timeouts(seconds: float) -> httpx.Timeout:
    return httpx.Timeout(seconds, connect=min(seconds, CONNECT_TIMEOUT))


def _bound_requests(client: Any, seconds: float) -> None:
    """Give chromadb's HTTP session a timeout so a hung server fails instead of blocking forever.

    chromadb 1.x builds its httpx session with timeout=None and has no setting for it
    (chroma-core/chroma#5805), so the session is reached through the client's internals.
    """
    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = _timeouts(seconds)


class VectorStore:
    """Chunk vectors with the metadata used for filtering (doc, kind).

    With a server, a call that cannot reach it drops the connection and raises
    StoreUnavailableError; the next call connects afresh, so a long-running app (the UI) recovers
    when the server returns, without a restart.
    """

    def __init__(
        self,
        embedder: Any,
        collection: str,
        path: Path | None = None,
        host: str | None = None,
        port: int = 8000,
        timeout: float = DEFAULT_TIMEOUT,
    ):
        assert host or path is not None
        self.embedder = embedder
        self.name = collection
        self.path = path
        self.host = host
        self.port = port
        self.timeout = timeout
        self._lock = threading.Lock()
        self._client: Any = None
        self._collection: Any = None
        self._collection_id: Any = None  # the collection first opened; a reconnect must find the same one
        # Connect now: a wrong embedding model or an unreachable server is reported when the index opens.
        self._call(lambda collection: None)

    @property
    def client(self) -> Any:
        return self._call(lambda collection: self._client)

    @property
    def collection(self) -> Any:
        return self._call(lambda collection: collection)

    def _call(self, operation: Callable[[Any], T]) -> T:
        """`operation(collection)`, connecting first if needed; a lost server becomes StoreUnavailableError."""
        try:
            try:
                return operation(self._connected())
            except NotFoundError:
                if not self.host:
                    raise
                # The server lost the collection under the open client (restarted on another folder):
                # reopen it, and the id check in _connected() tells which.
                self._forget()
                return operation(self._connected())
        except (httpx.HTTPError, ValueError) as error:
            if not self.host or not _lost_server(error):
                raise
            self._forget()
            raise StoreUnavailableError(self.host, self.port) from error

    def _forget(self) -> None:
        with self._lock:
            self._client = self._collection = None

    def _connected(self) -> Any:
        with self._lock:
            if self._collection is None:
                client = self._open_client()
                collection = self._open_collection(client)
                if self._collection_id not in (None, collection.id):
                    raise IndexMismatchError(
                        f"Chroma-servern på {self.host}:{self.port} har inte längre samlingen '{self.name}' "
                        "som indexet byggdes i (startades den om med en annan --path?). Starta den med samma "
                        "mapp som förut, eller bygg om indexet med 'styrdok ingest --rebuild'."
                    )
                self._client, self._collection, self._collection_id = client, collection, collection.id
            return self._collection

    def _open_client(self) -> Any:
        settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        if not self.host:
            self.path.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(self.path), settings=settings)
        # HttpClient makes its first request before a timeout can be set: ask with one first.
        heartbeat = f"http://{self.host}:{self.port}/api/v2/heartbeat"
        httpx.get(heartbeat, timeout=_timeouts(self.timeout)).raise_for_status()
        client = chromadb.HttpClient(host=self.host, port=self.port, settings=settings)
        _bound_requests(client, self.timeout)
        return client

    def _open_collection(self, client: Any) -> Any:
        collection = client.get_or_create_collection(
            name=self.name,
            embedding_function=StyrdokEmbeddingFunction(self.embedder),
            metadata={
                "model_id": self.embedder.model_id,
                "dimension": self.embedder.dimension,
                "hnsw:space": "cosine",
            },
        )
        recorded = (collection.metadata or {}).get("model_id")
        if recorded and recorded != self.embedder.model_id:
            raise IndexMismatchError(
                f"Indexet byggdes med modellen {recorded} men nu används {self.embedder.model_id}. "
                "Bygg om indexet (styrdok ingest --rebuild) eller välj samma modell."
            )
        return collection

    def add(self, ids: Sequence[str], vectors: Sequence[Sequence[float]], metadatas: Sequence[dict]) -> None:
        for start in range(0, len(ids), 1000):
            end = start + 1000
            self._call(
                lambda collection, start=start, end=end: collection.upsert(
                    ids=list(ids[start:end]),
                    embeddings=[list(v) for v in vectors[start:end]],
                    metadatas=list(metadatas[start:end]),
                )
            )

    def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), 1000):
            self._call(lambda collection, start=start: collection.delete(ids=list(ids[start : start + 1000])))

    def all_ids(self) -> set[str]:
        return set(self._call(lambda collection: collection.get(include=[]))["ids"])

    def count(self) -> int:
        return self._call(lambda collection: collection.count())

    def query(self, vector: Sequence[float], k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the k nearest chunks."""
        # No count() first: Chroma returns fewer results when it has fewer, and with a server
        # every call is a round trip.
        result = self._call(
            lambda collection: collection.query(
                query_embeddings=[list(vector)], n_results=k, where=where, include=["distances"]
            )
        )
        return [(cid, 1.0 - float(dist)) for cid, dist in zip(result["ids"][0], result["distances"][0], strict=True)]

    def matrix(self, page: int = 5000) -> tuple[list[str], np.ndarray, list[str]]:
        """Every passage id, its unit-length vector (one float32 row each) and its document.

        For exact dense search: Chroma's HNSW graph is approximate, and rebuilt differently in
        each process, so the same question could rank differently after a restart. Filled page
        by page into one preallocated array, so the peak is the matrix plus one page.
        """
        total = self.count()
        matrix = np.zeros((total, self.embedder.dimension), dtype=np.float32)
        ids: list[str] = []
        docs: list[str] = []
        while len(ids) < total:
            offset = len(ids)
            got = self._call(
                lambda collection, offset=offset: collection.get(
                    include=["embeddings", "metadatas"], limit=page, offset=offset
                )
            )
            if not got["ids"]:
                break
            rows = np.asarray(got["embeddings"], dtype=np.float32)
            rows /= np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
            matrix[offset : offset + len(rows)] = rows
            ids.extend(got["ids"])
            docs.extend((m or {}).get("doc", "") for m in got["metadatas"])
        return ids, matrix[: len(ids)], docs

    def vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        if not ids:
            return {}
        got = self._call(lambda collection: collection.get(ids=list(ids), include=["embeddings"]))
        return {cid: list(vec) for cid, vec in zip(got["ids"], got["embeddings"], strict=True)}
