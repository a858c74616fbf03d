"""Measure one search setting at several values: how often a passage that answers is found, lexical-only and hybrid.

Over the first turns with evidence of the training sets (eval/question_sets.TRAINING; a follow-up alone is another
question), for each value of `--setting` (a field of assistant.settings.SearchSettings): lexical recall@5/10/30/60
(60 is the candidate pool the ranker sees) and the hybrid search's recall@1/5/10. The shipped ranker was fitted at
the shipped value, so the hybrid figures favour it; the lexical ones do not depend on it.

    .venv/bin/python eval/sweep_search.py --index eval/.cache/index-full --setting expansion_weight \\
        --values 0.2 0.4 0.7 1.0
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from question_sets import TRAINING  # noqa: E402

from assistant.api import Styrdok  # noqa: E402
from assistant.evaluation import duplicate_groups, first_relevant_rank, load_questions  # noqa: E402

LEXICAL_KS = (5, 10, 30, 60)
HYBRID_KS = (1, 5, 10)


def recall(ranks: list[int | None], k: int) -> float:
    return round(sum(1 for r in ranks if r is not None and r <= k) / max(1, len(ranks)), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--setting", required=True, help="A field of SearchSettings, e.g. expansion_weight.")
    parser.add_argument("--values", type=float, nargs="+", required=True)
    parser.add_argument("--questions", type=Path, nargs="+", default=list(TRAINING))
    args = parser.parse_args()

    library = Styrdok.open(args.index).library
    if args.setting not in type(library.settings.search).model_fields:
        parser.error(f"no search setting {args.setting!r}")
    rows = [r for p in args.questions for r in load_questions(p) if r.get("evidence") and not r.get("conversation")]
    duplicates = duplicate_groups(library.documents())
    for value in args.values:
        setattr(library.settings.search, args.setting, value)
        lexical, hybrid = [], []
        for row in rows:
            lexical.append(
                first_relevant_rank(library.search(row["question"], k=60, mode="lexical"), row["evidence"], duplicates)
            )
            hybrid.append(first_relevant_rank(library.search(row["question"], k=10), row["evidence"], duplicates))
        figures = {f"lexical@{k}": recall(lexical, k) for k in LEXICAL_KS}
        figures |= {f"hybrid@{k}": recall(hybrid, k) for k in HYBRID_KS}
        print(json.dumps({args.setting: value, "questions": len(rows), **figures}), flush=True)


if __name__ == "__main__":
    main()
