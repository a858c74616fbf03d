"""The listwise fit the search ranker and the answer-unit ranking share (eval/fitting.conditional_logit), and
the search ranker's fit on it (eval/train_ranker.fit)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))

from fitting import conditional_logit  # noqa: E402
from train_ranker import fit, ranks_metrics  # noqa: E402


def _questions(n: int, seed: int = 0) -> list[dict]:
    """Questions of twenty candidates each: the gold one is high on feature 0 (with noise); feature 1 is noise,
    feature 2 is high for every candidate of some questions (it tells questions apart, not candidates)."""
    rng = np.random.default_rng(seed)
    out = []
    for q in range(n):
        x = rng.normal(size=(20, 3))
        x[:, 2] += 3.0 * (q % 2)
        gold = int(rng.integers(20))
        x[gold, 0] += 2.5
        y = np.zeros(20, dtype=bool)
        y[gold] = True
        out.append({"id": str(q), "x": x, "y": y, "ids": [f"{q}-{i}" for i in range(20)]})
    return out


def test_the_feature_that_marks_the_answer_gets_the_weight():
    items = _questions(200)
    w = conditional_logit([(i["x"], i["y"]) for i in items], lam=0.001)
    assert w[0] > 1.0
    assert abs(w[1]) < 0.3 * w[0]
    assert abs(w[2]) < 0.3 * w[0]  # constant within a question: a softmax over its candidates cannot use it


def test_a_larger_penalty_shrinks_the_weights():
    items = _questions(100)
    groups = [(i["x"], i["y"]) for i in items]
    assert np.linalg.norm(conditional_logit(groups, lam=1.0)) < np.linalg.norm(conditional_logit(groups, lam=0.001))


def test_questions_whose_pool_lacks_the_answer_are_left_out_and_none_at_all_is_an_error():
    items = _questions(50)
    lacking = [{"x": i["x"], "y": np.zeros(20, dtype=bool)} for i in _questions(50, seed=1)]
    w_with = conditional_logit([(i["x"], i["y"]) for i in items + lacking], lam=0.01)
    w_without = conditional_logit([(i["x"], i["y"]) for i in items], lam=0.01)
    assert np.allclose(w_with, w_without)
    with pytest.raises(ValueError):
        conditional_logit([(i["x"], i["y"]) for i in lacking], lam=0.01)


def test_the_fitted_ranker_ranks_held_out_answers_first():
    train, held = _questions(200), _questions(100, seed=2)
    weights, mean, scale = fit(train, lam=0.003)
    learned = ranks_metrics(held, lambda x: ((x - mean) / scale) @ weights)
    by_noise = ranks_metrics(held, lambda x: x[:, 1])
    assert learned["recall@1"] > 0.6
    assert learned["recall@5"] > by_noise["recall@5"] + 0.3
