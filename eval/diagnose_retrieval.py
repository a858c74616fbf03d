"""Show, per dev question, where the gold passage ranks and what ranked above it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.evaluation import duplicate_groups, first_relevant_rank, load_questions
from assistant.library import open_library


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--questions", type=Path, default=Path("../shared/eval/qa_dev.jsonl"))
    parser.add_argument("--mode", default="hybrid")
    parser.add_argument("--all", action="store_true")
    args = parser.parse_args()
    lib = open_library(args.index)
    dups = duplicate_groups(lib.documents())
    for q in load_questions(args.questions):
        if not q.get("evidence"):
            continue
        hits = lib.search(q["question"], k=10, mode=args.mode)
        rank = first_relevant_rank(hits, q["evidence"], dups)
        if rank == 1 and not args.all:
            continue
        print(f"== {q['id']} rank={rank} {q['question']}")
        print(f"   gold: {q['evidence'][0]['doc']}: {q['evidence'][0]['quote'][:90]}")
        for i, h in enumerate(hits[:3], 1):
            text = " ".join(h.chunk.text.split())[:160]
            print(f"   {i}. {h.chunk.doc} [{h.chunk.section}] L{h.lexical_rank} D{h.dense_rank}: {text}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
