"""What eval/train_ranker.py, eval/train_answering.py and eval/cv_answers.py share: the folds of the
question sets, the listwise fit both models' rankings use and writing a fitted linear model."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import yaml

from assistant.answering.followup import QuestionOnlyConversation, Resolution, resolve
from assistant.evaluation import same_document


def questions_in_index(rows: Sequence[dict], docs: set[str]) -> Iterator[tuple[dict, Resolution]]:
    """Each question as answering resolves it (a conversation's later turns against its earlier ones),
    skipping answerable questions whose gold documents this index does not hold."""
    conversations: dict[str, QuestionOnlyConversation] = {}
    for q in rows:
        key = q.get("conversation")
        conversation = conversations.setdefault(key, QuestionOnlyConversation()) if key else None
        res = resolve(q["question"], conversation)
        if conversation is not None:
            conversation.ask(q["question"])
        evidence = q.get("evidence") or []
        if evidence and not any(same_document(e["doc"], docs) for e in evidence):
            continue
        yield q, res


def fold_of(groups, k: int) -> dict[str, int]:
    """Each group's fold (a conversation is one group, so it stays in one fold): the same split in every
    script, shuffled with one fixed seed."""
    ordered = sorted(set(groups))
    np.random.default_rng(20261202).shuffle(ordered)
    return {g: n % k for n, g in enumerate(ordered)}


def question_weights(sizes: Sequence[int]) -> np.ndarray:
    """One weight per row of questions with these numbers of rows, so that each question weighs the same
    however many rows it has (mean 1): a question whose clause stands in many passages, or whose passages
    hold a long list, would otherwise count as many questions."""
    w = np.concatenate([np.full(n, 1.0 / n) for n in sizes if n]) if any(sizes) else np.zeros(0)
    return w / w.mean() if len(w) else w


def standardisation(rows: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The mean and scale of the features over all rows of these questions (a feature that never varies keeps
    scale 1), which a linear model is fitted and applied on."""
    x = np.vstack(rows)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    return mean, scale


def conditional_logit(groups: Sequence[tuple[np.ndarray, np.ndarray]], lam: float) -> np.ndarray:
    """Weights of a conditional logit: for each group (one question's standardised rows, and which of them hold
    the answer), a softmax over its rows with the rows that hold the answer together the target, averaged over
    the groups (each question weighs the same), with the L2 penalty lam. A group without a row that holds the
    answer, or with nothing else, teaches nothing and is left out."""
    from scipy.optimize import minimize

    groups = [(z, y) for z, y in groups if y.any() and (~y).any()]
    if not groups:
        raise ValueError("inga frågor att anpassa på")

    def loss(w):
        total, grad = 0.0, np.zeros(len(w))
        for z, y in groups:
            s = z @ w
            p = np.exp(s - s.max())
            q = np.exp(s[y] - s[y].max())
            total += s.max() + np.log(p.sum()) - s[y].max() - np.log(q.sum())
            grad += (p / p.sum()) @ z - (q / q.sum()) @ z[y]
        return total / len(groups) + lam * w @ w, grad / len(groups) + 2 * lam * w

    return minimize(loss, np.zeros(groups[0][0].shape[1]), jac=True, method="L-BFGS-B").x


def linear_fields(features: Sequence[str], weights, mean, scale) -> dict:
    """The weights and the standardisation of a linear model, per feature name."""
    return {
        "weights": {f: round(float(v), 5) for f, v in zip(features, weights, strict=True)},
        "mean": {f: round(float(v), 6) for f, v in zip(features, mean, strict=True)},
        "scale": {f: round(float(v), 6) for f, v in zip(features, scale, strict=True)},
    }


def write_model(path: Path, writer: str, what: str, data: dict) -> None:
    path.write_text(
        f"# {what}: written by {writer}, see `chosen`. Do not edit by hand.\n"
        + yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    print(f"skrev {path}")
