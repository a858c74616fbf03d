"""The baselines in eval/baselines.py: chunking, plain tokens, both methods and their scoring."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))

import baselines  # noqa: E402

from assistant.embedding import HashingEmbedder  # noqa: E402
from assistant.evaluation import duplicate_groups  # noqa: E402
from assistant.ingest import ingest  # noqa: E402
from assistant.text import normalize  # noqa: E402

SEED_POLICY = ROOT / "corpus" / "003_c73df01d320b46e8.txt"
SEED_SKR = ROOT / "corpus" / "000_4d8f7f9054d40a3f.txt"
LOV = ROOT / "corpus" / "sfs-2008-962-lov-lag-om-valfrihetssystem.md"

QUESTIONS = [
    {
        "id": "t1",
        "question": "Vad ska socialnämndens valfrihetssystem kännetecknas av?",
        "type": "krav",
        "evidence": [{"doc": SEED_POLICY.name, "quote": "Socialnämndens valfrihetssystem ska kännetecknas av"}],
    },
    {
        "id": "t2",
        "question": "Vad ska fullmäktige anta inför varje mandatperiod för uppföljning av privata utförare?",
        "type": "roll",
        "evidence": [
            {
                "doc": SEED_SKR.name,
                "quote": "Fullmäktige ska inför varje mandatperiod anta ett program med mål och riktlinjer",
            }
        ],
    },
    {
        "id": "t3",
        "question": "Vad avses med förfrågningsunderlag i lagen om valfrihetssystem?",
        "type": "fakta",
        "evidence": [{"doc": LOV.name, "quote": "Med förfrågningsunderlag avses sådant underlag för ansökan"}],
    },
    {"id": "t4", "question": "Hur många kor finns i kommunen?", "type": "ej_besvarbar", "evidence": []},
]


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for src in (SEED_POLICY, SEED_SKR, LOV):
        shutil.copy(src, folder / src.name)
    return folder


@pytest.fixture
def loaded(corpus):
    docs, skipped = baselines.load_corpus([corpus])
    assert not skipped
    return docs


def test_splitter_chunks_are_verbatim_slices_of_the_cleaned_text(loaded):
    chunks = baselines.split_chunks(loaded)
    texts = {d.meta.doc: d.text for d in loaded}
    assert len({c.id for c in chunks}) == len(chunks)
    for c in chunks:
        assert len(c.text) <= baselines.CHUNK_SIZE
        assert texts[c.doc][c.start : c.end] == c.text


def test_plain_tokens_do_not_stem_or_drop_stopwords():
    assert baselines.plain_tokens("Sanktioner och SANKTIONSTRAPPA, 2017:725") == [
        "sanktioner",
        "och",
        "sanktionstrappa",
        "2017",
        "725",
    ]


def test_plain_bm25_finds_the_exact_words_only(loaded):
    chunks = baselines.split_chunks(loaded)
    bm25 = baselines.PlainBM25(chunks, {d.meta.doc: d.meta for d in loaded})
    hits = bm25.search("socialnämndens valfrihetssystem kännetecknas", k=3)
    assert hits and hits[0].chunk.doc == SEED_POLICY.name
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert bm25.search("xyzzy", k=3) == []


def test_langchain_pipeline_uses_the_explicit_embedding_function(loaded, tmp_path):
    chunks = baselines.split_chunks(loaded)
    method = baselines.LangChainChroma(
        chunks, {d.meta.doc: d.meta for d in loaded}, HashingEmbedder(), folder=tmp_path / "chroma"
    )
    try:
        assert method.collection.count() == len(chunks)
        hits = method.search("Med förfrågningsunderlag avses sådant underlag för ansökan", k=5)
        assert len(hits) == 5
        assert any(normalize("Med förfrågningsunderlag avses") in normalize(h.chunk.text) for h in hits)
    finally:
        method.close()


def test_run_baselines_scores_with_the_shared_metric(loaded):
    results = baselines.run_baselines(QUESTIONS, loaded, embedder=HashingEmbedder())
    assert set(results) == {baselines.BM25_NAME, baselines.LANGCHAIN_NAME}
    for result in results.values():
        overall = result["metrics"]["alla"]
        assert overall["n"] == 3  # the unanswerable question is not scored
        assert 0.0 <= overall["recall@1"] <= overall["recall@5"] <= overall["recall@10"] <= 1.0
        assert {q["id"] for q in result["questions"]} == {"t1", "t2", "t3"}
        assert result["timing"]["chunks"] > 0
    assert results[baselines.BM25_NAME]["metrics"]["alla"]["recall@5"] == 1.0


def test_a_chunk_without_the_quote_or_from_another_doc_does_not_count(loaded):
    wrong_doc = [dict(QUESTIONS[0], evidence=[{"doc": SEED_SKR.name, "quote": QUESTIONS[0]["evidence"][0]["quote"]}])]
    result = baselines.run_baselines(wrong_doc, loaded, which=[baselines.BM25_NAME])
    assert result[baselines.BM25_NAME]["metrics"]["alla"]["recall@10"] == 0.0


def test_duplicates_match_the_index_rule(corpus, loaded, make_library):
    shutil.copy(SEED_SKR, corpus / "copy_of_skr.txt")
    docs, _ = baselines.load_corpus([corpus])
    ours = baselines.duplicates_of(docs)
    lib = make_library()
    ingest(lib, [corpus])
    assert ours == duplicate_groups(lib.documents())
    assert ours[SEED_SKR.name] == {"copy_of_skr.txt"}


def test_cli_writes_json(corpus, tmp_path):
    questions = tmp_path / "q.jsonl"
    import json

    questions.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in QUESTIONS), encoding="utf-8")
    out = tmp_path / "out.json"
    baselines.main(
        ["--corpus", str(corpus), "--questions", str(questions), "--embedder", "hashing", "--json", str(out)]
    )
    data = json.loads(out.read_text())
    assert set(data["sets"][str(questions)]) == {baselines.BM25_NAME, baselines.LANGCHAIN_NAME}
    assert data["meta"]["documents"] == 3
