"""Fit the search ranking model (assistant/ranking.py) by a cross-validated conditional logit.

For every answerable question of the given sets, the hybrid search's candidate pool is built
(conversation turns resolved as answering does), each candidate labelled by whether it holds a
gold quote of a gold document, and a conditional logit fitted on the features: a softmax over each
question's candidates with the gold ones together the target, which is what a ranking is asked
(stop 45: on the same folds it reached recall@5 0.698 where the pairwise logistic regression it
replaced reached 0.668, higher in each of the five folds, recall@1 0.428 against 0.424; on the
ten held-out sets of eval/question_sets.HELD_OUT, 396 answerable questions, recall@5 was 0.72
before and 0.71 after, so the gain did not carry over to writers the fit never saw). The L2
penalty is chosen by grouped k-fold cross-validation (a conversation's turns stay in one fold) on
recall@5; the report gives each fold's recall@1/5/10 and MRR@10 for the fitted model and
for the reciprocal-rank fusion it replaces, on the same folds. The final model is fitted on all
questions and written, with how it was chosen, to assistant/data/ranker.yaml.

    .venv/bin/python eval/train_ranker.py --index eval/.cache/index-full --write

fits on the sets of eval/question_sets.TRAINING (every set but the held-out ones); --questions fits on others.
"""

from __future__ import annotations

import argparse
import datetime
import json
from collections import defaultdict
from pathlib import Path

import numpy as np
from fitting import conditional_logit, fold_of, linear_fields, questions_in_index, standardisation, write_model
from question_sets import TRAINING

from assistant.answering.followup import search_query
from assistant.evaluation import duplicate_groups, load_questions, same_document
from assistant.library import open_library
from assistant.ranking import FEATURES, features
from assistant.text import normalize

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "assistant" / "data" / "ranker.yaml"
LAMS = (0.0003, 0.001, 0.003, 0.01, 0.03)  # the L2 penalty of the conditional logit
RRF_WEIGHTS = {"lex_rrf": 1.0, "dense_rrf": 1.5, "sent_rrf": 1.0, "mention_rrf": 0.5}


def shipped_lam() -> float:
    """The L2 penalty the shipped ranker was fitted with (assistant/data/ranker.yaml)."""
    import yaml

    return float(yaml.safe_load(OUT.read_text(encoding="utf-8"))["lam"])


def build(library, rows: list[dict]) -> list[dict]:
    """One entry per answerable question whose gold documents are indexed: pool ids, X, labels, group."""
    dups = duplicate_groups(library.documents())
    out = []
    for q, res in questions_in_index(rows, {m.doc for m in library.documents()}):
        evidence = q.get("evidence") or []
        if not evidence:
            continue
        pool = library.candidate_pool(search_query(res))
        chunks = library.catalog.get_chunks(pool.ids)
        labels = []
        for cid in pool.ids:
            chunk = chunks[cid]
            group = {chunk.doc} | dups.get(chunk.doc, set())
            text = normalize(chunk.text)
            labels.append(any(same_document(e["doc"], group) and normalize(e["quote"]) in text for e in evidence))
        out.append(
            {
                "id": q["id"],
                "group": q.get("conversation") or q["id"],
                "style": q.get("style") or "dev",
                "ids": pool.ids,
                "x": features(pool, library.settings.search.rrf_k),
                "y": np.asarray(labels, dtype=bool),
            }
        )
    return out


def ranks_metrics(items: list[dict], scorer) -> dict:
    ranks = []
    for item in items:
        if not len(item["ids"]):
            ranks.append(None)
            continue
        order = np.argsort(-scorer(item["x"]), kind="stable")
        hits = np.flatnonzero(item["y"][order])
        ranks.append(int(hits[0]) + 1 if len(hits) else None)
    n = len(ranks) or 1
    out = {f"recall@{k}": round(sum(r is not None and r <= k for r in ranks) / n, 3) for k in (1, 5, 10)}
    out["mrr@10"] = round(sum(1 / r for r in ranks if r is not None and r <= 10) / n, 3)
    out["n"] = len(ranks)
    return out


def rrf_scorer(x: np.ndarray) -> np.ndarray:
    return sum(w * x[:, FEATURES.index(f)] for f, w in RRF_WEIGHTS.items())


def fit(items: list[dict], lam: float):
    """The conditional logit over the items' candidates (fitting.conditional_logit). Returns (weights, mean,
    scale) in the form RankModel uses: the scale standardises the features; the mean cancels within a
    question, so scores compare candidates of one question only."""
    mean, scale = standardisation([i["x"] for i in items])
    weights = conditional_logit([((i["x"] - mean) / scale, i["y"]) for i in items], lam)
    return weights, mean, scale


def folds(items: list[dict], k: int) -> list[list[int]]:
    assign = fold_of((i["group"] for i in items), k)
    return [[n for n, i in enumerate(items) if assign[i["group"]] == f] for f in range(k)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--questions", type=Path, nargs="+", default=list(TRAINING))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="Write assistant/data/ranker.yaml.")
    args = parser.parse_args()

    library = open_library(args.index)
    rows = [row for path in args.questions for row in load_questions(path)]
    items = build(library, rows)
    pooled = sum(bool(i["y"].any()) for i in items) / max(len(items), 1)
    print(f"{len(items)} frågor med guldstycke i indexet; guldstycket finns bland kandidaterna för {pooled:.0%}")
    splits = folds(items, args.folds)

    cv: dict[float, list[dict]] = defaultdict(list)
    baseline: list[dict] = []
    for test in splits:
        train = [items[n] for n in range(len(items)) if n not in set(test)]
        held = [items[n] for n in test]
        baseline.append(ranks_metrics(held, rrf_scorer))
        for lam in LAMS:
            w, m, s = fit(train, lam)
            cv[lam].append(ranks_metrics(held, lambda x, w=w, m=m, s=s: ((x - m) / s) @ w))

    def mean(ms: list[dict], key: str) -> float:
        return round(float(np.mean([m[key] for m in ms])), 3)

    measures = ("recall@1", "recall@5", "recall@10", "mrr@10")
    for lam in LAMS:
        print(f"lam={lam}: " + ", ".join(f"{k} {mean(cv[lam], k)}" for k in measures))
    print("RRF:    " + ", ".join(f"{k} {mean(baseline, k)}" for k in measures))
    best = max(LAMS, key=lambda lam: (mean(cv[lam], "recall@5"), mean(cv[lam], "mrr@10")))
    weights, m, s = fit(items, best)

    # Per style, on held-out folds with the chosen lam.
    by_style: dict[str, list] = defaultdict(list)
    for test in splits:
        train = [items[n] for n in range(len(items)) if n not in set(test)]
        w, mm, ss = fit(train, best)
        for n in test:
            item = items[n]
            by_style[item["style"]].append((item, lambda x, w=w, mm=mm, ss=ss: ((x - mm) / ss) @ w))
    style_report = {}
    for style, pairs in sorted(by_style.items()):
        learned = [ranks_metrics([i], sc) for i, sc in pairs]
        rrf = [ranks_metrics([i], rrf_scorer) for i, _ in pairs]
        style_report[style] = {
            "n": len(pairs),
            "learned_recall@5": mean(learned, "recall@5"),
            "rrf_recall@5": mean(rrf, "recall@5"),
        }
        print(
            f"  {style:<12} n={len(pairs):>3}  R@5 learned {style_report[style]['learned_recall@5']:.3f}"
            f"  RRF {style_report[style]['rrf_recall@5']:.3f}"
        )
    for name, w in sorted(zip(FEATURES, weights, strict=True), key=lambda fw: -abs(fw[1])):
        print(f"  {name:<14} {w:+.3f}")
    if args.write:
        data = {
            "chosen": (
                f"Conditional logit (softmax over each question's candidates, the gold ones together the target, "
                f"L2 penalty lam={best}) fitted on {len(items)} questions "
                f"({', '.join(p.name for p in args.questions)}) over the index {args.index.name}, "
                f"{datetime.date.today().isoformat()}, by eval/train_ranker.py. lam chosen from {list(LAMS)} by "
                f"{args.folds}-fold grouped cross-validation on recall@5."
            ),
            "cross_validation": {
                "folds": args.folds,
                "learned": {k: mean(cv[best], k) for k in ("recall@1", "recall@5", "recall@10", "mrr@10")},
                "rrf_baseline": {k: mean(baseline, k) for k in ("recall@1", "recall@5", "recall@10", "mrr@10")},
                "per_fold_recall@5": [m["recall@5"] for m in cv[best]],
                "by_style": style_report,
            },
            "lam": best,  # eval/cv_answers.py fits each fold's ranker with it
            "embedder": library.embedder.model_id if library.embedder is not None else None,
            **linear_fields(FEATURES, weights, m, s),
        }
        write_model(OUT, "eval/train_ranker.py", "Search ranking weights", data)
    print(json.dumps({"chosen_lam": best}, ensure_ascii=False))


if __name__ == "__main__":
    main()
