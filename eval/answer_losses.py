"""Where the answers are lost, stage by stage, per style: of the answerable questions, how many have a passage that
answers among the search ranker's candidates, a unit that holds the answer among the units the answerer weighs,
that unit ranked first by the unit ranking, and an answer that holds it at the threshold (cross-validated).

The stages are those of `styrdok ask`: search gathers candidates (eval/train_ranker.build, the pools the ranker is
fitted on), the answerer cuts the top passages into units (eval/train_answering.collect), the unit ranking chooses
and the unit model's probability decides whether to answer (train_answering.select, its held-out folds, C, lam and
threshold chosen as for the shipped model). The figures flatter a little: the candidates come from the shipped
ranker, fitted on these questions (eval/cv_answers.py refits it per fold, end to end).

Measured at stop 46 over the 967 training questions (corpus + library): of 865 answerable, 88 % had an answering
passage among the ranker's candidates, 79 % a unit that holds the answer, 40 % that unit ranked first, and 41 %
an answer that held it. Choosing the unit loses more than gathering does.

    .venv/bin/python eval/answer_losses.py --index eval/.cache/index-full
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

import numpy as np
import train_answering
import train_ranker
from question_sets import TRAINING

from assistant.api import Styrdok
from assistant.evaluation import load_questions

STAGES = ("i sökningens kandidater", "bland enheterna", "rankad först", "besvarad rätt")


def funnel(pooled: dict[str, bool], items: list[dict], choice, folds: int) -> dict[str, dict[str, float]]:
    """Per style and in all, the share of answerable questions that pass each of STAGES. `choice`:
    train_answering.select's result over `items`, whose held-out entries come fold by fold."""
    in_order = [i for _, test in train_answering.splits(items, folds) for i in test]  # the entries' order
    passed: dict[str, list[tuple[bool, ...]]] = defaultdict(list)
    for item, entry, ranked, choose in zip(in_order, choice.held, choice.ranked, choice.choosers, strict=True):
        p, y, support, answerable, style = entry
        if not answerable:
            continue
        answered, correct = train_answering.decide(p, y, support, choice.tau, choose)
        row = (pooled.get(item["id"], False), bool(y.any()), bool(len(y)) and bool(y[int(np.argmax(ranked))]), correct)
        passed[style].append(row)
        passed["alla"].append(row)
    shares = {
        style: {stage: round(float(np.mean([r[k] for r in rows])), 3) for k, stage in enumerate(STAGES)}
        for style, rows in passed.items()
    }
    return {style: {"frågor": len(passed[style]), **shares[style]} for style in sorted(passed)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--questions", type=Path, nargs="+", default=list(TRAINING))
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()

    api = Styrdok.open(args.index)
    rows = [row for path in args.questions for row in load_questions(path)]
    pooled = {i["id"]: bool(i["y"].any()) for i in train_ranker.build(api.library, rows)}
    items = train_answering.collect(api, rows)
    choice = train_answering.select(items, args.folds)
    table = funnel(pooled, items, choice, args.folds)
    print(f"{'stil':<12} {'frågor':>6}  " + "  ".join(f"{s:>22}" for s in STAGES))
    for style, figures in table.items():
        print(f"{style:<12} {figures['frågor']:>6}  " + "  ".join(f"{figures[s]:>22.3f}" for s in STAGES))


if __name__ == "__main__":
    main()
