"""Measured alternatives to the answer-unit model's pointwise logistic regression.

Since stop 38 a listwise ranking (train_answering.fit_ranking, lam chosen on held-out folds) chooses the unit
and the pointwise probability decides whether to answer (the "listwise" choice below, with the probability's
threshold): at lam 1.0 it held the answer for 0.569 of the answerable questions against the probability's 0.546,
and end to end (eval/cv_answers.py, qa_people, threshold 0.5) key recall 0.637 -> 0.640, citation precision
0.577 -> 0.591, first sentence 0.590 -> 0.633. At lam 0.01 (stop 34, the figures below) it gained less.

On the questions train_answering.py fits on, with its folds and held-out figures:

- pointwise: the shipped fit (train_answering.fit);
- listwise: a conditional logit (softmax over each question's units, L2 penalty lam) for the choice,
  calibrated by a one-feature logistic regression on its scores for the threshold;
- hybrid: the pointwise probability decides whether to answer, the sum of the two models' log-odds which
  unit;
- cosine: the pointwise model's K most probable units re-ranked by logit + beta x the cosine of question
  and unit under the bundled embedder (multilingual-e5-small), K and beta chosen on the other folds.

The cosine re-ranking gained here (0.505 -> 0.541 correct) and was built into the answerer in stop 35
(score + beta x cosine among the first k supported units, k and beta chosen on held-out folds: k=3, beta
0.5-5). End to end, with eval/cv_answers.py refitting the ranker and the unit model per fold and scoring
the answers as `styrdok eval answer` does (qa_people, fixed threshold 0.7), it gained nothing: key recall
0.563 -> 0.553, citation precision 0.576 -> 0.574, the first cited sentence holds the answer 0.559 -> 0.559
(4 questions better, 4 worse: "Vad händer om jag inte orkar välja?" went to a report's "Å ena sidan vill
politikerna ..."). The figures here flatter: the candidates come from the shipped ranker, fitted on these
same questions, so the cosine chooses among better passages than a new question gets. Not shipped; the
patch is described in the closing note of stop 35.

    .venv/bin/python eval/unit_model_variants.py --index eval/.cache/index-full \\
        --questions ../shared/eval/qa_people.jsonl ../shared/eval/qa_dev.jsonl eval/qa_extra.jsonl
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import train_answering as ta
from fitting import fold_of

from assistant.api import Styrdok
from assistant.evaluation import load_questions

FOLDS = 5
TAU = 0.7  # the shipped threshold
KS = (2, 3, 5, 8)
BETAS = (0.0, 10.0, 20.0, 40.0, 80.0, 1e4)


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return np.log(p / (1 - p))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--questions", type=Path, nargs="+", required=True)
    parser.add_argument("--lam", type=float, default=0.01)
    args = parser.parse_args()
    api = Styrdok.open(args.index)
    items = ta.collect(api, [row for path in args.questions for row in load_questions(path)])
    fold = fold_of((i["group"] for i in items), FOLDS)
    held, listwise, tested = [], [], []  # held-out entries (as ta.held_out), listwise probabilities, items
    for f in range(FOLDS):
        train = [i for i in items if fold[i["group"]] != f]
        point = ta.fit(train, 0.03)
        lw = (*ta.fit_ranking(train, args.lam, point[2], point[3]), point[2], point[3])
        for i in (i for i in items if fold[i["group"]] == f):
            held.append(ta.held_out(i, point))
            listwise.append(ta.held_out(i, lw)[0])
            tested.append(i)

    def by(score):
        return [ta.highest(score(n)) for n in range(len(held))]

    print("pointwise", ta.outcome(held, TAU))
    print("listwise ", ta.outcome(held, TAU, by(lambda n: listwise[n])))
    print("hybrid   ", ta.outcome(held, TAU, by(lambda n: logit(held[n][0]) + logit(listwise[n]))))

    # Cosine re-ranking among the pointwise model's K most probable units, K and beta chosen on the other folds.
    embedder = api.library.embedder
    tops, cosines = [], []
    for (p, *_), item in zip(held, tested, strict=True):
        top = list(np.argsort(-p)[: max(KS)])
        units = np.asarray(embedder.embed_documents([item["texts"][j] for j in top])) if top else np.zeros((0, 1))
        tops.append(top)
        cosines.append(units @ np.asarray(embedder.embed_query(item["question"])) if top else np.zeros(0))

    def reranked(n: int, k: int, beta: float):
        p, top, cos = held[n][0], tops[n], cosines[n]

        def choose(supported):
            best = [m for m in range(min(k, len(top))) if supported[top[m]]]
            if not best:
                return int(np.argmax(np.where(supported, p, -np.inf)))
            return top[max(best, key=lambda m: logit(p[top[m]]) + beta * cos[m])]

        return choose

    grid = [(k, b) for k in KS for b in BETAS]
    folds = [fold[i["group"]] for i in tested]
    choosers = [None] * len(held)
    for f in range(FOLDS):
        other = [n for n in range(len(held)) if folds[n] != f]

        def correct(g, other=other):
            return ta.outcome([held[n] for n in other], TAU, [reranked(n, *g) for n in other])["correct"]

        k, b = max(grid, key=lambda g: (correct(g), -g[1]))
        for n in (n for n in range(len(held)) if folds[n] == f):
            choosers[n] = reranked(n, k, b)
        print(f"  del {f + 1}: K={k}, beta={b}")
    print("cosine   ", ta.outcome(held, TAU, choosers))


if __name__ == "__main__":
    main()
