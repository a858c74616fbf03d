"""eval/bench_scale.py: perturbation and growing an index through the catalog/store/BM25 layers."""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))

import bench_scale  # noqa: E402

from assistant.embedding import HashingEmbedder  # noqa: E402
from assistant.ingest import ingest  # noqa: E402


@pytest.fixture
def source(make_library, tmp_path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("003_c73df01d320b46e8.txt", "000_4d8f7f9054d40a3f.txt"):
        shutil.copy(ROOT / "corpus" / name, folder / name)
    lib = make_library("source")
    ingest(lib, [folder])
    return lib.folder


def test_perturb_text_is_deterministic_and_keeps_most_words():
    text = "Fullmäktige ska inför varje mandatperiod anta ett program. Nämnden följer upp avtalen!"
    vocab = ["kommun", "utförare", "avtal"]
    a = bench_scale.perturb_text(text, random.Random(1), vocab)
    b = bench_scale.perturb_text(text, random.Random(1), vocab)
    assert a == b and a != text
    original = set(text.split())
    assert len(original & set(a.split())) >= len(original) * 0.6
    assert set(a.split()) <= original | set(vocab)


def test_perturbed_vectors_are_unit_length_and_close_to_the_source():
    rng = np.random.default_rng(0)
    src = rng.normal(size=(20, 384)).astype(np.float32)
    src /= np.linalg.norm(src, axis=1, keepdims=True)
    out = bench_scale.perturb_vectors(src, rng)
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    cosine = (src * out).sum(axis=1)
    assert cosine.min() > 0.9 and cosine.max() < 1.0


def test_source_reads_chunks_and_vectors(source):
    src = bench_scale.Source(source)
    assert src.n_chunks > 0 and len(src.vectors) == src.n_chunks
    assert src.model_id == HashingEmbedder().model_id
    assert src.vocabulary


def test_scale_index_grows_past_the_corpus_and_stays_searchable(source, tmp_path):
    src = bench_scale.Source(source)
    target = src.n_chunks * 2 + 7  # two full copies and part of a third
    index = bench_scale.ScaleIndex(src, tmp_path / "scale", HashingEmbedder())
    index.grow_to(src.n_chunks // 2)
    index.grow_to(target)
    index.rebuild_lexical()
    lib = index.library
    assert lib.catalog.chunk_count() == target
    assert lib.store.count() == target
    assert len(lib.lexical()) == target
    docs = {m.doc for m in lib.documents()}
    assert {d for d in docs if d.startswith("x001-")} and {d for d in docs if d.startswith("x002-")}
    hits = lib.search("Vad ska socialnämndens valfrihetssystem kännetecknas av?", k=5)
    assert hits and all(h.meta.doc == h.chunk.doc for h in hits)
    dense = lib.search("valfrihetssystem kännetecknas", k=5, mode="dense")
    assert dense


def test_measure_in_a_fresh_process_sees_the_whole_index(source, tmp_path):
    src = bench_scale.Source(source)
    index = bench_scale.ScaleIndex(src, tmp_path / "scale", HashingEmbedder())
    index.grow_to(src.n_chunks + 5)
    index.rebuild_lexical()
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"id": "a", "question": "Vem antar programmet för uppföljning?"}\n', encoding="utf-8")
    out = bench_scale.measure_in_subprocess(tmp_path / "scale", questions, "hashing", repeats=1)
    assert "error" not in out, out
    assert out["vectors"] == out["catalog_chunks"] == src.n_chunks + 5
    assert out["hybrid_warm"]["n"] == 1 and out["memory"]["rss_mb"] > 0


def test_plot_writes_a_png(tmp_path):
    row = {
        "hybrid_warm": {"p50_ms": 10.0, "p95_ms": 20.0},
        "lexical_warm": {"p95_ms": 5.0},
        "dense_warm": {"p95_ms": 4.0},
        "memory": {"rss_mb": 100.0},
    }
    result = {"sizes": [{"size": 10, "embedded": row}, {"size": 20, "embedded": row}]}
    bench_scale.plot(result, tmp_path / "scale.png")
    assert (tmp_path / "scale.png").stat().st_size > 1000
