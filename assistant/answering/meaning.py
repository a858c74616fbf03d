"""Which of the best units answers, read again by meaning: a learned weighting of the embedder's dimensions.

The unit model (unit_model.py) chooses among a question's units by features of their words: coverage, the kind
of fact asked for, who the subject is. Where several units of one routine share the question's words, those
features cannot tell which one says what was asked ("Får jag ha mobilen i fickan?" and a routine's rules for
the work phone, for private phones, for the app). The embedder can, a little. Measured at stop 47 on the 828
training questions with a unit that answers, held out in 5 folds: the plain cosine of the question and each unit
put the unit that holds the answer first for about 1 % more of them; weighting each of the embedder's dimensions
(the product of the question's and the unit's vector, one weight per dimension, fitted on the questions) for
2.4 % more (0.413 -> 0.437; care staff 0.315 -> 0.370, residents 0.318 -> 0.359), and for 0.8 % more with folds
by document, where no held-out question's document was any training question's (eval/train_semantic.py, which fits
it and writes how it was chosen to assistant/data/semantic.yaml).

It re-orders only the first `k` units that answer, so it never makes an abstention an answer nor an answer an
abstention; it needs the embedder it was fitted with (none, or another, leaves the order as it was), and it
embeds those units when a question is asked (their first `chars` characters: the cost grows with both). Where
the first of them is a law's, a contract's or a policy's, the weighting chose worse than the order it was given (it
learnt the language of the routines, where most training questions are): it applies where the first is from a
document of `kinds` (a förvaltning's working documents: routines, guidelines, checklists, forms, plans), as
cross-validation chose.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import yaml


def semantic_features(base: np.ndarray, question: np.ndarray, units: np.ndarray) -> np.ndarray:
    """One row per unit: its score in the order it has now (relative to the best), the cosine of the question
    and the unit, and their vectors' product dimension by dimension (both vectors at unit length)."""
    q = np.asarray(question, dtype=np.float64)
    q = q / (np.linalg.norm(q) or 1.0)
    u = np.asarray(units, dtype=np.float64).reshape(len(base), -1)
    norms = np.linalg.norm(u, axis=1, keepdims=True)
    u = u / np.where(norms == 0, 1.0, norms)
    base = np.asarray(base, dtype=np.float64)
    return np.column_stack([base - base.max(), u @ q, u * q])


@dataclass(frozen=True)
class SemanticChoice:
    """The fitted weights (assistant/data/semantic.yaml) and where they apply."""

    model_id: str  # the embedder whose dimensions they weigh
    k: int  # how many of the best units that answer are read again
    # ... when the first of them is from a document of one of these kinds (empty: whatever its kind)
    kinds: frozenset[str]
    chars: int  # ... by their first this many characters
    weights: tuple[float, ...]  # over semantic_features' columns, standardised by mean and scale
    mean: tuple[float, ...]
    scale: tuple[float, ...]

    def applies(self, first_kind: str) -> bool:
        return not self.kinds or first_kind in self.kinds

    def scores(self, base: np.ndarray, question: np.ndarray, units: np.ndarray) -> np.ndarray:
        x = semantic_features(base, question, units)
        if x.shape[1] != len(self.weights):
            raise ValueError(f"{x.shape[1]} features, fitted on {len(self.weights)}")
        return ((x - np.asarray(self.mean)) / np.asarray(self.scale)) @ np.asarray(self.weights)


@lru_cache(maxsize=1)
def default_choice() -> SemanticChoice | None:
    """The fitted weights shipped in assistant/data/semantic.yaml, or None."""
    path = resources.files("assistant.data").joinpath("semantic.yaml")
    if not path.is_file():
        return None
    return choice_from(yaml.safe_load(path.read_text("utf-8")))


def choice_from(data: dict) -> SemanticChoice | None:
    if not data or not data.get("weights"):
        return None
    return SemanticChoice(
        model_id=str(data["model_id"]),
        k=int(data["k"]),
        kinds=frozenset(data.get("kinds") or ()),
        chars=int(data["chars"]),
        weights=tuple(float(w) for w in data["weights"]),
        mean=tuple(float(m) for m in data["mean"]),
        scale=tuple(float(s) or 1.0 for s in data["scale"]),
    )
