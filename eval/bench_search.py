"""Search latency over the development questions, in a fresh process: cold and warm.

- cold start: opening the library (embedder load) and the first query (BM25 read from disk,
  Chroma opened, the query embedded);
- cold queries: each dev question asked for the first time in a running process (its query
  embedding is not cached yet);
- warm queries: the same questions asked again (query embeddings cached in memory);
- query-embedding cache effect: embedding a query alone, and hybrid search with the query
  cache emptied before every query versus warm;
- lexical-only and dense-only warm latencies, and the resident memory of the process.

    .venv/bin/python eval/bench_search.py --index eval/.cache/index --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WARMUP_QUERY = "Vad gäller för uppföljning av avtal?"


def rss_mb(pid: int | str = "self") -> dict[str, float]:
    """Current (VmRSS) and peak (VmHWM) resident memory of a process, in MB."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":", 1)
                out[{"VmRSS": "rss_mb", "VmHWM": "peak_rss_mb"}[key]] = round(int(value.split()[0]) / 1024, 1)
    except OSError:
        pass
    return out


def percentiles(seconds: Sequence[float]) -> dict[str, float | int | None]:
    """p50/p95/mean/max in milliseconds."""
    if not seconds:
        return {"n": 0, "p50_ms": None, "p95_ms": None, "mean_ms": None, "max_ms": None}
    ms = np.asarray(seconds, dtype=float) * 1000
    return {
        "n": int(ms.size),
        "p50_ms": round(float(np.percentile(ms, 50)), 1),
        "p95_ms": round(float(np.percentile(ms, 95)), 1),
        "mean_ms": round(float(ms.mean()), 1),
        "max_ms": round(float(ms.max()), 1),
    }


def timed_each(fn: Callable[[str], object], queries: Sequence[str], before: Callable[[], None] | None = None):
    out = []
    for q in queries:
        if before is not None:
            before()
        t0 = time.perf_counter()
        fn(q)
        out.append(time.perf_counter() - t0)
    return out


def clear_query_cache(library) -> None:
    """Empty the in-memory query-embedding cache of the library's CachedEmbedder (if any)."""
    cache = getattr(library.embedder, "_queries", None)
    if isinstance(cache, dict):
        cache.clear()


def bench(
    library, queries: Sequence[str], k: int = 10, repeats: int = 3, open_s: float | None = None, light: bool = False
) -> dict:
    """All figures for one opened library (call on a freshly opened one for honest cold numbers).

    `light` skips the query-embedding measurements (for the scale benchmark).
    """
    result: dict = {"questions": len(queries), "k": k, "repeats": repeats, "dense_enabled": library.dense_enabled}
    result["environment"] = {
        "load_avg_1m_start": round(os.getloadavg()[0], 2),
        **{v: os.environ.get(v) for v in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY")},
    }
    if open_s is not None:
        result["open_s"] = round(open_s, 3)
    t0 = time.perf_counter()
    library.search(WARMUP_QUERY, k=k)
    result["first_query_ms"] = round((time.perf_counter() - t0) * 1000, 1)

    def hybrid(q):
        return library.search(q, k=k, mode="hybrid")

    result["hybrid_cold"] = percentiles(timed_each(hybrid, queries))
    warm: list[float] = []
    for _ in range(repeats):
        warm += timed_each(hybrid, queries)
    result["hybrid_warm"] = percentiles(warm)
    lexical: list[float] = []
    for _ in range(repeats):
        lexical += timed_each(lambda q: library.search(q, k=k, mode="lexical"), queries)
    result["lexical_warm"] = percentiles(lexical)
    if library.dense_enabled:
        dense: list[float] = []
        for _ in range(repeats):
            dense += timed_each(lambda q: library.search(q, k=k, mode="dense"), queries)
        result["dense_warm"] = percentiles(dense)
    if library.dense_enabled and not light:
        inner = getattr(library.embedder, "inner", library.embedder)
        result["embed_query_uncached"] = percentiles(timed_each(inner.embed_query, queries))
        result["embed_query_cached"] = percentiles(timed_each(library.embedder.embed_query, queries))
        result["hybrid_query_cache_cleared"] = percentiles(
            timed_each(hybrid, queries, before=lambda: clear_query_cache(library))
        )
        cold, hot = result["hybrid_query_cache_cleared"]["p50_ms"], result["hybrid_warm"]["p50_ms"]
        result["query_cache_saves_p50_ms"] = round(cold - hot, 1) if cold is not None and hot is not None else None
    result["memory"] = rss_mb()
    result["environment"]["load_avg_1m_end"] = round(os.getloadavg()[0], 2)
    return result


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--questions", type=Path, default=ROOT.parent / "shared" / "eval" / "qa_dev.jsonl")
    parser.add_argument("--embedder", default=None, help="Override STYRDOK_EMBEDDER (must match the index).")
    parser.add_argument("--chroma-host", default=None)
    parser.add_argument("--chroma-port", type=int, default=8000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)

    from assistant.evaluation import load_questions
    from assistant.library import open_library
    from assistant.settings import Settings

    update = {"index": args.index}
    if args.embedder:
        update["embedder"] = args.embedder
    if args.chroma_host:
        update.update(chroma_host=args.chroma_host, chroma_port=args.chroma_port)
    settings = Settings().model_copy(update=update)
    queries = [q["question"] for q in load_questions(args.questions)]
    t0 = time.perf_counter()
    library = open_library(settings=settings)
    open_s = time.perf_counter() - t0
    result = bench(library, queries, k=args.k, repeats=args.repeats, open_s=open_s)
    result["index"] = str(args.index)
    result["chunks"] = library.catalog.chunk_count()
    result["embedder"] = settings.embedder
    result["chroma"] = f"http://{args.chroma_host}:{args.chroma_port}" if args.chroma_host else "embedded"
    text = json.dumps(result, ensure_ascii=False, indent=1)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text)


if __name__ == "__main__":
    main()
