"""One contract for the vector store, run against the embedded client and a real Chroma server."""

from __future__ import annotations

import pytest

from assistant.embedding import HashingEmbedder
from assistant.errors import IndexMismatchError
from assistant.local_servers import ChromaServer, chroma_command
from assistant.store import VectorStore


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    if chroma_command() is None:
        pytest.skip("the chroma command is not installed")
    with ChromaServer(tmp_path_factory.mktemp("chroma-server"), timeout=30) as server:
        yield server.port


@pytest.fixture(params=["embedded", pytest.param("server", marks=pytest.mark.integration)])
def make_store(request, tmp_path):
    def factory(embedder, collection="contract"):
        if request.param == "embedded":
            return VectorStore(embedder, collection, path=tmp_path / "chroma")
        port = request.getfixturevalue("chroma_server")
        return VectorStore(embedder, f"{collection}-{tmp_path.name}"[:60], host="127.0.0.1", port=port)

    return factory


def test_add_query_delete_roundtrip(make_store):
    embedder = HashingEmbedder()
    store = make_store(embedder)
    texts = {
        "a": "fullmäktige antar program för uppföljning",
        "b": "utföraren ska rapportera avvikelser",
        "c": "vite vid brister i utförandet",
    }
    store.add(
        list(texts),
        embedder.embed_documents(list(texts.values())),
        [{"doc": k + ".txt", "kind": "policy"} for k in texts],
    )
    assert store.count() == 3 and store.all_ids() == {"a", "b", "c"}
    hits = store.query(embedder.embed_query("vite vid brister"), k=2)
    assert hits[0][0] == "c" and hits[0][1] > hits[1][1]
    filtered = store.query(embedder.embed_query("vite vid brister"), k=3, where={"doc": {"$in": ["a.txt", "b.txt"]}})
    assert {cid for cid, _ in filtered} == {"a", "b"}
    assert set(store.vectors(["a", "b"])) == {"a", "b"}
    store.delete(["c"])
    assert store.all_ids() == {"a", "b"}
    # Upsert is idempotent.
    store.add(["a"], embedder.embed_documents([texts["a"]]), [{"doc": "a.txt", "kind": "policy"}])
    assert store.count() == 2


def test_collection_records_model_and_refuses_another(make_store):
    make_store(HashingEmbedder(64), collection="models")
    with pytest.raises(IndexMismatchError):
        make_store(HashingEmbedder(32), collection="models")


def test_upsert_replaces_vector_and_metadata(make_store):
    embedder = HashingEmbedder()
    store = make_store(embedder)
    old, new = embedder.embed_documents(["avtal om hemtjänst", "vite vid brister"])
    store.add(["a"], [old], [{"doc": "a.txt", "kind": "policy"}])
    store.add(["a"], [new], [{"doc": "a.txt", "kind": "avtal"}])
    assert store.count() == 1
    assert store.vectors(["a"])["a"] == pytest.approx(list(new), abs=1e-6)
    assert [cid for cid, _ in store.query(new, k=1, where={"kind": "avtal"})] == ["a"]
    assert store.query(new, k=1, where={"kind": "policy"}) == []


def test_query_scores_filters_and_vectors(make_store):
    embedder = HashingEmbedder()
    store = make_store(embedder)
    texts = ["nämnden beslutar om ersättning", "utföraren rapporterar avvikelser", "fullmäktige antar policyn"]
    vectors = embedder.embed_documents(texts)
    metas = [{"doc": "p.txt", "kind": "policy"}, {"doc": "a.txt", "kind": "avtal"}, {"doc": "p.txt", "kind": "policy"}]
    store.add(["p1", "a1", "p2"], vectors, metas)
    (best, similarity), *_ = store.query(vectors[1], k=3)
    assert best == "a1" and similarity == pytest.approx(1.0, abs=1e-4)  # cosine similarity, not a distance
    both = {"$and": [{"doc": {"$in": ["p.txt"]}}, {"kind": "policy"}]}
    assert {cid for cid, _ in store.query(vectors[1], k=3, where=both)} == {"p1", "p2"}
    got = store.vectors(["p2", "missing"])
    assert set(got) == {"p2"} and got["p2"] == pytest.approx(list(vectors[2]), abs=1e-6)
    assert store.vectors([]) == {}
    store.delete(["missing"])  # deleting an unknown id is not an error
    assert store.all_ids() == {"p1", "a1", "p2"}


def test_batches_beyond_one_request_and_reopening(make_store):
    """More ids than one request carries; a second store on the same collection sees them all."""
    embedder = HashingEmbedder(8)
    ids = [f"c{i}" for i in range(1100)]
    vectors = [[float((i >> b) & 1) + 0.01 for b in range(8)] for i in range(1100)]
    store = make_store(embedder, collection="batches")
    store.add(ids, vectors, [{"doc": f"{i % 7}.txt", "kind": "lag"} for i in range(1100)])
    reopened = make_store(embedder, collection="batches")
    assert reopened.count() == 1100 and reopened.all_ids() == set(ids)
    reopened.delete(ids[:1050])
    assert store.all_ids() == set(ids[1050:])


def test_an_empty_collection_answers_with_nothing(make_store):
    embedder = HashingEmbedder()
    store = make_store(embedder, collection="empty")
    assert store.count() == 0 and store.all_ids() == set()
    assert store.query(embedder.embed_query("vem beslutar"), k=5) == []
