"""eval/sweep_constant.py: the figures it scores a value by, and that its folds choose the value that answers."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "eval"))

import sweep_constant  # noqa: E402

from assistant.answering.evaluate import QuestionResult  # noqa: E402


def _result(qid: str, recall: float | None, cited: int = 1, correct: int = 1, kind: str = "fakta") -> QuestionResult:
    return QuestionResult(
        id=qid,
        type=kind,
        question="?",
        answer="",
        abstained=cited == 0,
        key_recall=recall,
        citations=cited,
        correct_citations=correct,
    )


def test_figures_are_those_eval_answer_reports_over_the_answerable_questions():
    results = [
        _result("a", 1.0, 2, 1),
        _result("b", 0.0, 0, 0),  # abstained: recall 0, no precision
        _result("c", None, 1, 0, kind="ej_besvarbar"),  # unanswerable: in neither figure
    ]
    recall, precision = sweep_constant.figures(results)
    assert recall == 0.5
    assert precision == 0.5


def test_the_folds_choose_the_value_that_answers_more_and_score_it_held_out():
    ids = [f"q{i}" for i in range(20)]
    good = {i: _result(i, 1.0) for i in ids}
    # The other value answers only the first question: better there, worse everywhere else.
    bad = {i: _result(i, 1.0 if i == "q0" else 0.0, correct=1 if i == "q0" else 0) for i in ids}
    runs = sweep_constant.cross_validate({"0.9": good, "0.5": bad}, folds=5, shuffles=2)
    assert len(runs) == 2
    for run in runs:
        assert run["chosen"] == ["0.9"] * 5
        assert run["held_out"] == (1.0, 1.0)
        assert run["each_value"]["0.5"][0] < 0.2
