"""Choose one constant of the answering code by cross-validation: answer the questions once per value (the
constant set in its module), then choose the value by key recall + citation precision on k-1 folds and score it on
the k-th, over several shuffles. A constant is a single number, so the folds only check that the choice is not one
question's luck; the per-value figures over all questions are printed too.

    .venv/bin/python eval/sweep_constant.py --index eval/.cache/index-full \\
        --constant assistant.answering.citing.MULTI_PART_SHARE --values 0.6 0.7 0.8 0.85 0.9 0.95 1.0 \\
        --questions <files> [--only-matching assistant.answering.lexicon.MULTI_PART]

`--only-matching` keeps the questions a pattern of the code matches (the constant acts only on those), and
conversations are left out with it (a turn without its first turn is another question).
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import statistics
from pathlib import Path

from assistant.answering.evaluate import QuestionResult, _figures, duplicate_groups, evaluate, load_questions


def _attribute(dotted: str) -> tuple[object, str]:
    module, name = dotted.rsplit(".", 1)
    return importlib.import_module(module), name


def figures(results: list[QuestionResult]) -> tuple[float, float]:
    """Key recall and citation precision as `styrdok eval answer` reports them (evaluate._figures)."""
    f = _figures(results)
    return f.answer_key_recall or 0.0, f.citation_precision or 0.0


def cross_validate(
    by_value: dict[str, dict[str, QuestionResult]], folds: int, shuffles: int, seed: int = 0
) -> list[dict]:
    """Per shuffle: the value each fold's training part chooses, and the chosen values' held-out figures beside
    every value's own held-out figures on the same folds."""
    ids = sorted(next(iter(by_value.values())))
    rng = random.Random(seed)
    out = []
    for _ in range(shuffles):
        order = ids[:]
        rng.shuffle(order)
        parts = [order[k::folds] for k in range(folds)]
        chosen, held = [], []
        for k, part in enumerate(parts):
            train = [i for j, p in enumerate(parts) if j != k for i in p]
            best = max(by_value, key=lambda v: sum(figures([by_value[v][i] for i in train])))
            chosen.append(best)
            held.append(figures([by_value[best][i] for i in part]))
        fixed = {
            v: tuple(statistics.mean(figures([rs[i] for i in p])[n] for p in parts) for n in (0, 1))
            for v, rs in by_value.items()
        }
        out.append(
            {
                "chosen": chosen,
                "held_out": tuple(statistics.mean(h[n] for h in held) for n in (0, 1)),
                "each_value": fixed,
            }
        )
    return out


def main() -> None:
    from assistant.api import Styrdok

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--constant", required=True, help="module.NAME, e.g. assistant.answering.citing.TAU")
    parser.add_argument("--values", nargs="+", required=True)
    parser.add_argument("--questions", type=Path, nargs="+", required=True)
    parser.add_argument("--only-matching", help="module.PATTERN: keep the questions it matches")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--shuffles", type=int, default=3)
    parser.add_argument("--json", type=Path, help="Write the per-value results and the folds here.")
    args = parser.parse_args()

    items = [item for path in args.questions for item in load_questions(path)]
    if args.only_matching:
        module, name = _attribute(args.only_matching)
        pattern = getattr(module, name)
        items = [i for i in items if pattern.search(i.question) and not i.conversation]
    module, name = _attribute(args.constant)
    original = getattr(module, name)
    api = Styrdok.open(args.index)
    duplicates = duplicate_groups(api.library)
    by_value: dict[str, dict[str, QuestionResult]] = {}
    try:
        for value in args.values:
            setattr(module, name, type(original)(value))
            report = evaluate(api.answerer(), items, duplicates)
            by_value[value] = {r.id: r for r in report.results}
            recall, precision = figures(list(by_value[value].values()))
            print(
                f"{name} = {value}: key recall {recall:.3f}, citation precision {precision:.3f}, {len(items)} questions"
            )
    finally:
        setattr(module, name, original)
    runs = cross_validate(by_value, args.folds, args.shuffles)
    for run in runs:
        recall, precision = run["held_out"]
        print(f"folds chose {run['chosen']}: held out {recall:.3f} / {precision:.3f}")
    if args.json:
        values = {v: {i: r.model_dump() for i, r in rs.items()} for v, rs in by_value.items()}
        args.json.write_text(json.dumps({"values": values, "folds": runs}, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
