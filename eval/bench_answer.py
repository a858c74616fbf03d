"""Answer latency over the development questions: the offline extractive default, optionally an LLM.

- cold: opening the library and the first question in a fresh process (embedder load,
  BM25 read from disk, first query embedding);
- per-question latency for every question of the set, first time asked (p50/p95/mean/max);
- the same questions asked again (warm caches);
- with --llm, the generative backend configured in STYRDOK_LLM_* (one pass).

    .venv/bin/python eval/bench_answer.py --index /tmp/ans_index [--questions ../shared/eval/qa_dev.jsonl]
        [--repeat 2] [--llm] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_QUESTIONS = ROOT.parent / "shared" / "eval" / "qa_dev.jsonl"


def stats(seconds: list[float]) -> dict:
    ms = np.asarray(seconds, dtype=float) * 1000
    if not ms.size:
        return {"n": 0}
    return {
        "n": int(ms.size),
        "p50_ms": round(float(np.percentile(ms, 50)), 1),
        "p95_ms": round(float(np.percentile(ms, 95)), 1),
        "mean_ms": round(float(ms.mean()), 1),
        "max_ms": round(float(ms.max()), 1),
    }


def timed_pass(answerer, questions: list[str]) -> tuple[list[float], int]:
    seconds, abstained = [], 0
    for q in questions:
        t0 = time.perf_counter()
        answer = answerer.ask(q)
        seconds.append(time.perf_counter() - t0)
        abstained += answer.abstained
    return seconds, abstained


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=None, help="Index folder (default: STYRDOK_INDEX).")
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--repeat", type=int, default=2, help="Passes over the questions (the first is cold).")
    parser.add_argument("--k", type=int, default=None, help="Passages an answer uses (default: the answerer's).")
    parser.add_argument("--llm", action="store_true", help="Also time the generative backend of STYRDOK_LLM_*.")
    parser.add_argument("--json", type=Path, default=None, help="Write the figures here too.")
    args = parser.parse_args()

    from assistant.answering import Answerer
    from assistant.library import open_library

    questions = [
        json.loads(line)["question"] for line in args.questions.read_text("utf-8").splitlines() if line.strip()
    ]
    t0 = time.perf_counter()
    library = open_library(args.index)
    opened = time.perf_counter() - t0
    answerer = Answerer(library, embedder=library.embedder, k=args.k)
    t1 = time.perf_counter()
    answerer.ask(questions[0])
    first = time.perf_counter() - t1

    report: dict = {
        "index": str(library.folder),
        "dense": bool(getattr(library, "dense_enabled", False)),
        "questions": len(questions),
        "cold_open_s": round(opened, 3),
        "cold_first_question_s": round(first, 3),
        "cpu_count": os.cpu_count(),
        "extractive": {},
    }
    for n in range(args.repeat):
        seconds, abstained = timed_pass(answerer, questions)
        report["extractive"][f"pass_{n + 1}"] = {**stats(seconds), "abstained": abstained}

    if args.llm:
        from assistant.answering.config import build_chat_model

        chat = build_chat_model()
        if chat is None:
            print("--llm: STYRDOK_LLM_BACKEND är 'none'; hoppar över det generativa läget.", file=sys.stderr)
        else:
            answerer.chat_model = chat
            seconds, abstained = timed_pass(answerer, questions)
            report["generative"] = {**stats(seconds), "abstained": abstained}

    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
