"""Measured alternatives to the answer-unit model's pointwise logistic regression (not shipped).

On the questions train_answering.py fits on, with its folds and held-out figures:

- pointwise: the shipped fit (train_answering.fit);
- listwise: a conditional logit (softmax over each question's units, L2 penalty lam) for the choice,
  calibrated by a one-feature logistic regression on its scores for the threshold;
- hybrid: the pointwise probability decides whether to answer, the sum of the two models' log-odds which
  unit;
- cosine: the pointwise model's K most probable units re-ranked by logit + beta x the cosine of question
  and unit under the bundled embedder (multilingual-e5-small), K and beta chosen on the other folds.

    .venv/bin/python eval/unit_model_variants.py --index eval/.cache/index-full \\
        --questions ../shared/eval/qa_people.jsonl ../shared/eval/qa_dev.jsonl eval/qa_extra.jsonl
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import train_answering as ta
from fitting import fold_of, question_weights

from assistant.api import Styrdok
from assistant.evaluation import load_questions

FOLDS = 5
KS = (2, 3, 5, 8)
BETAS = (0.0, 10.0, 20.0, 40.0, 80.0, 1e4)


def fit_listwise(train: list[dict], lam: float):
    from scipy.optimize import minimize
    from sklearn.linear_model import LogisticRegression

    rows = [i for i in train if len(i["y"])]
    x = np.vstack([i["x"] for i in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    groups = [((i["x"] - mean) / scale, i["y"]) for i in rows if i["y"].any()]

    def loss(w):
        total, grad = 0.0, np.zeros(len(w))
        for z, y in groups:
            s = z @ w
            p = np.exp(s - s.max())
            q = np.exp(s[y] - s[y].max())
            total += s.max() + np.log(p.sum()) - s[y].max() - np.log(q.sum())
            grad += (p / p.sum()) @ z - (q / q.sum()) @ z[y]
        return total / len(groups) + lam * w @ w, grad / len(groups) + 2 * lam * w

    w = minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B").x
    scores = ((x - mean) / scale) @ w
    y = np.concatenate([i["y"] for i in rows])
    platt = LogisticRegression(class_weight="balanced").fit(
        scores[:, None], y, sample_weight=question_weights([len(i["y"]) for i in rows])
    )
    return w * float(platt.coef_[0][0]), float(platt.intercept_[0]), mean, scale


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return np.log(p / (1 - p))


def figures(entries: list, choose) -> dict:
    """As train_answering.outcome at threshold 0.7, with the unit among the supported ones chosen by choose."""
    tau, correct, wrong, abstained, answered_unanswerable, n_a, n_u = 0.7, 0, 0, 0, 0, 0, 0
    for e in entries:
        p, y, (rules, rescuable), answerable = e["p"], e["y"], e["support"], e["answerable"]
        supported = rules | (rescuable & (p >= tau)) if len(y) else np.zeros(0, dtype=bool)
        n_a += answerable
        n_u += not answerable
        if not supported.any():
            abstained += answerable
            continue
        if not answerable:
            answered_unanswerable += 1
            continue
        j = choose(e, supported)
        correct += bool(y[j])
        wrong += not y[j]
    return {
        "correct": round(correct / n_a, 3),
        "wrong": round(wrong / n_a, 3),
        "wrongly_abstained": round(abstained / n_a, 3),
        "unanswerable_answered": round(answered_unanswerable / max(1, n_u), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--questions", type=Path, nargs="+", required=True)
    parser.add_argument("--lam", type=float, default=0.01)
    args = parser.parse_args()
    api = Styrdok.open(args.index)
    items = ta.collect(api, [row for path in args.questions for row in load_questions(path)])
    fold = fold_of((i["group"] for i in items), FOLDS)
    entries = []
    for f in range(FOLDS):
        train = [i for i in items if fold[i["group"]] != f]
        point, listwise = ta.fit(train, 0.03), fit_listwise(train, args.lam)
        for i in (i for i in items if fold[i["group"]] == f):
            p, y, support, answerable, _ = ta.held_out(i, point)
            q = ta.held_out(i, listwise)[0]
            entries.append({"item": i, "fold": f, "p": p, "q": q, "y": y, "support": support, "answerable": answerable})
    best = lambda score: lambda e, sup: int(np.argmax(np.where(sup, score(e), -np.inf)))  # noqa: E731
    print("pointwise", figures(entries, best(lambda e: e["p"])))
    print("listwise ", figures(entries, best(lambda e: e["q"])))
    print("hybrid   ", figures(entries, best(lambda e: logit(e["p"]) + logit(e["q"]))))

    # Cosine re-ranking among the pointwise model's K most probable units, K and beta chosen on the other folds.
    embedder = api.library.embedder
    for e in entries:
        e["top"] = list(np.argsort(-e["p"])[: max(KS)])
        if e["top"]:
            units = np.asarray(embedder.embed_documents([e["item"]["texts"][j] for j in e["top"]]))
            e["cos"] = units @ np.asarray(embedder.embed_query(e["item"]["question"]))

    def reranked(k: int, beta: float):
        def choose(e, supported):
            top = [j for j in e["top"][:k] if supported[j]]
            if not top:
                return int(np.argmax(np.where(supported, e["p"], -np.inf)))
            score = [logit(e["p"][j]) + beta * e["cos"][e["top"].index(j)] for j in top]
            return top[int(np.argmax(score))]

        return choose

    grid = [(k, b) for k in KS for b in BETAS]
    held = []
    for f in range(FOLDS):
        other = [e for e in entries if e["fold"] != f]
        k, b = max(grid, key=lambda g: (figures(other, reranked(*g))["correct"], -g[1]))
        held += [(e, reranked(k, b)) for e in entries if e["fold"] == f]
        print(f"  del {f + 1}: K={k}, beta={b}")
    print("cosine   ", figures([e for e, _ in held], lambda e, sup: dict((id(x), c) for x, c in held)[id(e)](e, sup)))


if __name__ == "__main__":
    main()
