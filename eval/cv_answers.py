"""Cross-validated answer figures: every question answered by models fitted without it.

The search ranker and the answer-unit model are both fitted on the question sets, so scoring
them on those same questions flatters them. Here the questions are split into k folds
(a conversation stays in one fold, as in eval/train_ranker.py and eval/train_answering.py); for
each fold both models are fitted on the other folds as the training scripts fit the shipped ones
(the unit model's C and threshold chosen on held-out folds within those training folds), and the
fold's questions are answered and scored exactly as `styrdok eval answer` does. The report gives
the figures per fold, and per style, type and turn over all held-out answers.

    .venv/bin/python eval/cv_answers.py --index eval/.cache/index-full \\
        --questions ../shared/eval/qa_people.jsonl --train-also ../shared/eval/qa_dev.jsonl eval/qa_extra.jsonl \\
        --json eval/reports/cv-answers.json

`--training` reports every training set in people's words instead (eval/question_sets.TRAINING, with qa_dev and
qa_extra always in training), the figure of the closing notes: 882 questions from stop 44 to 48, about 34 minutes (11
without the re-reading by meaning, `--no-semantic`, which each fold refits on unit models fitted without its
questions); 1,192 since stop 49 added the read sets.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_answering  # noqa: E402
import train_ranker  # noqa: E402
import train_semantic  # noqa: E402
from fitting import fold_of  # noqa: E402
from question_sets import TRAINING  # noqa: E402

from assistant.answering import Answerer, citing, extractive  # noqa: E402
from assistant.answering.evaluate import (  # noqa: E402
    AnswerReport,
    QAItem,
    _figures,
    duplicate_groups,
    evaluate,
    report_sv,
)
from assistant.api import Styrdok  # noqa: E402
from assistant.evaluation import load_questions  # noqa: E402
from assistant.library import Library  # noqa: E402
from assistant.ranking import RankModel  # noqa: E402

# Each fold's search ranker is fitted with the shipped ranker's L2 penalty, as eval/train_ranker.py chose and wrote it
# (assistant/data/ranker.yaml): the figure should be the shipped set-up's. (Until stop 39 this was a copy of the
# then pairwise fit's C, 3.0, while the refit had chosen 0.1; R@5 differed by 0.004 between them.)
RANKER_LAM = float(train_ranker.shipped_lam())
SEMANTIC = train_semantic.shipped()  # K, lam and where of the shipped re-reading by meaning, refitted per fold


def group_of(row: dict) -> str:
    return row.get("conversation") or row["id"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--questions", type=Path, nargs="+", help="The sets to report (also trained on, by fold).")
    parser.add_argument("--train-also", type=Path, nargs="*", default=[], help="Always in training, never scored.")
    parser.add_argument(
        "--training",
        action="store_true",
        help="Report the training sets in people's words (eval/question_sets.TRAINING but qa_dev and qa_extra, "
        "which are always trained on): the closing notes' figure, 1,192 questions since stop 49 (882 at stops 44-48).",
    )
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="Answer at this threshold in every fold instead of choosing one per fold: compares two sets of "
        "features by their ranking alone (the chosen thresholds vary more between folds than most changes do).",
    )
    parser.add_argument(
        "--alternative",
        type=float,
        default=None,
        help="citing.ALTERNATIVE for this run (default: the shipped value): cite the model's second choice "
        "from another passage when its probability is at least this share of the best one's (0: never).",
    )
    parser.add_argument(
        "--rule-prior",
        type=float,
        default=None,
        help="extractive.RULE_PRIOR for this run (default: the shipped value): the head start of a unit the "
        "hand-written rules support over the model's other choices.",
    )
    parser.add_argument(
        "--quote-behind",
        type=float,
        default=None,
        help="extractive.QUOTE_BEHIND for this run (default: the shipped value): how far an interview quote goes "
        "behind the other units when the model ranks.",
    )
    parser.add_argument(
        "--followup-prior",
        type=float,
        default=None,
        help="extractive.FOLLOWUP_PRIOR for this run (default: the shipped value): the head start of a unit of a "
        "document the previous answer cited.",
    )
    parser.add_argument(
        "--no-semantic",
        action="store_true",
        help="Without the re-reading of the best units by meaning (assistant/answering/meaning.py), as until stop 47.",
    )
    parser.add_argument(
        "--pointwise",
        action="store_true",
        help="Choose the unit by the pointwise probability (as until stop 38) instead of the fitted ranking.",
    )
    args = parser.parse_args()
    if args.followup_prior is not None:
        extractive.FOLLOWUP_PRIOR = args.followup_prior
    if args.alternative is not None:
        citing.ALTERNATIVE = args.alternative
    if args.rule_prior is not None:
        extractive.RULE_PRIOR = args.rule_prior
    if args.quote_behind is not None:
        extractive.QUOTE_BEHIND = args.quote_behind

    if args.training:
        always = ("qa_dev.jsonl", "qa_extra.jsonl")
        args.questions = [*(args.questions or []), *(p for p in TRAINING if p.name not in always)]
        args.train_also = [*args.train_also, *(p for p in TRAINING if p.name in always)]
    if not args.questions:
        parser.error("ange --questions eller --training")

    api = Styrdok.open(args.index)
    library = api.library
    scored = [row for path in args.questions for row in load_questions(path)]
    extra = [row for path in args.train_also for row in load_questions(path)]
    fold_of_group = fold_of((group_of(r) for r in scored), args.folds)
    dup = duplicate_groups(library)

    original = Library.rank_model
    results = []
    per_fold = []
    try:
        for fold in range(args.folds):
            train_rows = [r for r in scored if fold_of_group[group_of(r)] != fold] + extra
            test_rows = [r for r in scored if fold_of_group[group_of(r)] == fold]
            Library.rank_model = original  # the training data of the ranker comes from the plain pools
            items = train_ranker.build(library, train_rows)
            weights, mean, scale = train_ranker.fit(items, RANKER_LAM)
            ranker = RankModel(tuple(weights), tuple(mean), tuple(scale), embedder=library.embedder.model_id)
            Library.rank_model = property(lambda self, r=ranker: r)
            units = train_answering.collect(api, train_rows)
            # As eval/train_answering.py chooses and fits the shipped model, on the training rows alone.
            chosen = train_answering.select(units, args.folds, args.threshold)
            model, tau = chosen.model, chosen.tau
            if args.pointwise:
                model = dataclasses.replace(model, ranking=None)
            semantic = None
            if not args.no_semantic:
                # The re-reading by meaning, fitted as eval/train_semantic.py fits the shipped one (its K, lam and
                # where; the training rows' units in the order of unit models fitted without them).
                reread = train_semantic.collect(api, train_rows, units)
                train_semantic.embed(reread)
                semantic = train_semantic.fitted(reread, *SEMANTIC, library.embedder.model_id)
            answerer = Answerer(library, embedder=library.embedder, unit_model=model, semantic=semantic)
            report = evaluate(answerer, [QAItem.model_validate(r) for r in test_rows], dup)
            per_fold.append({"fold": fold, "threshold": tau, **report.overall.model_dump()})
            results.extend(report.results)
            print(f"del {fold + 1}: tröskel {tau}, {report.overall.model_dump()}", flush=True)
    finally:
        Library.rank_model = original

    by = defaultdict(list)
    for r in results:
        by[("type", r.type)].append(r)
        if r.style:
            by[("style", r.style)].append(r)
        if r.in_conversation:
            by[("turn", "första frågan" if r.turn == 0 else "följdfråga")].append(r)
    combined = AnswerReport(
        overall=_figures(results),
        by_type={k: _figures(v) for (kind, k), v in sorted(by.items()) if kind == "type"},
        by_style={k: _figures(v) for (kind, k), v in sorted(by.items()) if kind == "style"},
        by_turn={k: _figures(v) for (kind, k), v in sorted(by.items()) if kind == "turn"},
        results=results,
        latency_p50=0.0,
        latency_p95=0.0,
    )
    print(report_sv(combined))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        out = {"folds": per_fold, **json.loads(combined.model_dump_json(exclude={"results"}))}
        out["questions"] = [
            r.model_dump(
                include={
                    "id",
                    "style",
                    "type",
                    "abstained",
                    "key_recall",
                    "citations",
                    "correct_citations",
                    "lead_correct",
                }
            )
            for r in results
        ]
        args.json.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
