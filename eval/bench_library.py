"""Benchmark on a real library: the shared corpus plus Botkyrka's 1,143 routines (about 14k passages).

1. Full ingest into a fresh index, in a child process: seconds per stage, peak memory, and the
   same figures per 1,000 documents. With --embedding-cache the vectors come from a warm cache
   (the embedder's own rate is measured separately, step 2), so the figure is everything but
   embedding; without it, embedding is included.
2. The embedder's own passages per second on passages it has not seen (cold).
3. From the start of `styrdok ingest` of one large PDF into the full index until a search in
   another process finds it by its words, and until its vectors are done.
4. Search and answer latency (p50/p95) on the full index, over the development questions.

    .venv/bin/python eval/bench_library.py --corpus ../shared/corpus --library ../shared/library/botkyrka-vof \\
        --embedding-cache eval/.cache/index-full/embeddings.sqlite --json eval/reports/library.json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
STYRDOK = [sys.executable, "-m", "assistant.cli"]
BIG_PDF = "forfragningsunderlag/adda-it-konsulttjanster-2021-upphandlingsdokument.pdf"
# A phrase on a late page of the big PDF: found only once that document is in the index.
PDF_PHRASE = "Leverantörens åtaganden Tjänster som kontraktet omfattar och leverantörens ansvar"


def child_ingest(index: Path, paths: list[Path], extra: list[str] = ()) -> tuple[dict, float, float]:
    """(report, wall seconds, peak MB of the child) of `styrdok ingest --json` in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    out = subprocess.run(
        [*STYRDOK, "ingest", "--index", str(index), "--json", "--quiet", *extra, *map(str, paths)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    wall = time.perf_counter() - t0
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return json.loads(out.stdout), wall, peak


def embedder_rate(n: int = 96) -> float:
    """Passages per second of the default embedder on passages it has not embedded before."""
    from assistant.embedding import make_embedder
    from assistant.settings import Settings

    embedder = make_embedder(Settings().embedder)
    if embedder is None:
        return float("nan")
    words = (SHARED / "corpus" / "lag" / "sfs-2017-725-kommunallag.md").read_text(encoding="utf-8").split()
    texts = [" ".join(words[i * 120 : (i + 1) * 120]) + f" ({i})" for i in range(n)]
    embedder.embed_documents(texts[:4])  # load
    t0 = time.perf_counter()
    embedder.embed_documents(texts)
    return n / (time.perf_counter() - t0)


def time_to_first_hit(index: Path, pdf: Path, original: str, timeout: float = 600) -> dict:
    """Ingest one PDF in a child process while this process searches for a phrase from it.

    The index already holds the same PDF (`original`): it is removed first, so the search cannot
    find that copy instead, and put back at the end.
    """
    from assistant.library import open_library

    subprocess.run([*STYRDOK, "remove", "--index", str(index), original], cwd=ROOT, capture_output=True, check=True)
    reader = open_library(index)
    reader.search("uppvärmning", k=1)  # BM25 and vectors loaded, as in a running web app
    folder = Path(tempfile.mkdtemp(prefix="styrdok-pdf-"))
    target = folder / f"ny-{pdf.name}"
    shutil.copy(pdf, target)
    t0 = time.perf_counter()
    child = subprocess.Popen(
        [*STYRDOK, "ingest", "--index", str(index), "--quiet", str(target)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    first_hit = None
    while time.perf_counter() - t0 < timeout:
        hits = reader.search(PDF_PHRASE, k=5, mode="lexical")
        if any(target.name in (h.chunk.doc, *h.also_in) for h in hits):
            first_hit = time.perf_counter() - t0
            break
        if child.poll() is not None and first_hit is None and child.returncode != 0:
            break
        time.sleep(0.05)
    child.wait(timeout=timeout)
    done = time.perf_counter() - t0
    subprocess.run([*STYRDOK, "remove", "--index", str(index), target.name], cwd=ROOT, capture_output=True)
    shutil.rmtree(folder, ignore_errors=True)
    child_ingest(index, [SHARED / "corpus"])  # the original back, from the vector cache
    return {
        "pdf": pdf.name,
        "first_lexical_hit_s": round(first_hit, 2) if first_hit else None,
        "ingest_done_s": round(done, 1),
    }


def latencies(index: Path, questions: list[str]) -> dict:
    from assistant.api import Styrdok

    api = Styrdok.open(index)
    api.warm_up()
    search_s, answer_s = [], []
    for q in questions:
        t0 = time.perf_counter()
        api.search(q, k=10)
        search_s.append(time.perf_counter() - t0)
    answerer = api.answerer()
    for q in questions:
        t0 = time.perf_counter()
        answerer.ask(q)
        answer_s.append(time.perf_counter() - t0)

    def pct(values):
        ms = np.asarray(values) * 1000
        return {
            "n": len(values),
            "p50_ms": round(float(np.percentile(ms, 50)), 1),
            "p95_ms": round(float(np.percentile(ms, 95)), 1),
        }

    return {"search": pct(search_s), "answer": pct(answer_s)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    parser.add_argument("--library", type=Path, default=SHARED / "library" / "botkyrka-vof")
    parser.add_argument("--embedding-cache", type=Path, default=None, help="Warm vector cache to start from.")
    parser.add_argument("--index", type=Path, default=None, help="Where to build the index (default: temporary).")
    parser.add_argument("--questions", type=Path, nargs="*", default=[SHARED / "eval" / "qa_people.jsonl"])
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--reuse", action="store_true", help="Only redo step 3 on the index already built in --index (updates --json)."
    )
    args = parser.parse_args()

    index = args.index or Path(tempfile.mkdtemp(prefix="styrdok-library-")) / "index"
    if args.reuse:
        figures = json.loads(args.json.read_text(encoding="utf-8"))
        figures["big_pdf"] = time_to_first_hit(index, args.corpus / BIG_PDF, BIG_PDF)
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(json.dumps(figures["big_pdf"], ensure_ascii=False))
        return
    if index.exists():
        shutil.rmtree(index)
    index.mkdir(parents=True)
    if args.embedding_cache:
        shutil.copy(args.embedding_cache, index / "embeddings.sqlite")

    report, wall, peak = child_ingest(index, [args.corpus, args.library])
    docs = len(report["added"])
    figures: dict = {
        "documents": docs,
        "skipped": [s["reason"] for s in report["skipped"]],
        "pages": report["pages"],
        "characters": report["characters"],
        "chunks": report["chunks"],
        "vectors_embedded": report["vectors"],
        "warm_vector_cache": bool(args.embedding_cache),
        "ingest_wall_s": round(wall, 1),
        "until_searchable_by_words_s": report["lexical_seconds"],
        "stages_s": report["stage_seconds"],
        "peak_memory_mb": round(peak, 1),
    }
    per_k = 1000 / docs if docs else 0
    figures["per_1000_documents"] = {
        "ingest_s": round(wall * per_k, 1),
        "until_searchable_by_words_s": round(report["lexical_seconds"] * per_k, 1),
        "chunks": round(report["chunks"] * per_k),
    }
    figures["embedder_passages_per_s"] = round(embedder_rate(), 2)
    if figures["embedder_passages_per_s"] > 0:
        embed_s = report["chunks"] / figures["embedder_passages_per_s"]
        figures["projected_cold_embedding_s"] = round(embed_s)
        figures["per_1000_documents"]["projected_cold_embedding_s"] = round(embed_s * per_k)
    unchanged, rerun_s, _ = child_ingest(index, [args.corpus, args.library])
    figures["unchanged_rerun_s"] = round(rerun_s, 1)
    figures["unchanged_rerun_documents"] = len(unchanged["unchanged"])
    figures["big_pdf"] = time_to_first_hit(index, args.corpus / BIG_PDF, BIG_PDF)
    questions = [
        json.loads(line)["question"]
        for path in args.questions
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    figures["latency"] = latencies(index, questions)
    figures["index_mb"] = round(sum(p.stat().st_size for p in index.rglob("*") if p.is_file()) / 2**20, 1)
    text = json.dumps(figures, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
