"""Which passage unit answers the question, and whether any does: a model fitted on questions.

The extractive answerer scores every unit of the retrieved passages (sentence, pair of sentences,
list with its lead-in, list item) by hand-written rules: coverage of the question's words, the
asked-for kind of fact, who the subject is. Those rules are features here, beside where the
passage ranked in search. A logistic regression over them, fitted with cross-validation on the
question sets (eval/train_answering.py), gives each unit the probability that it holds the
answer: a unit answers only if that probability reaches the threshold chosen on held-out folds,
otherwise the answer is an abstention that names the nearest passage. Which of the units that
answer is the answer, a second model over the same features decides: a ranking fitted on each
question's units together (a conditional logit), which chose the unit that holds the answer more
often on held-out folds than the most probable one did (stop 38). The weights, the threshold and
how they were chosen are in assistant/data/answering.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import yaml

from assistant.answering import lexicon
from assistant.answering.shape import acts, contacts, type_ok, with_heading_actors
from assistant.answering.terms import negated_stems, negates_same

UNIT_KINDS = ("sentence", "pair", "list", "item", "footnote")
STRONG = 0.6  # a term's level from which it counts as found (strong_share, rare_coverage)
FEATURES = (
    "cov",  # weighted coverage of the question's terms by the unit and its surroundings
    "own",  # ... by the unit itself
    "focus",  # the asked-about word, by its own form or the thesaurus
    "strong_share",  # share of the question's terms found strongly
    "rare_cov",  # coverage weighted by how few of the question's candidate units have each term (rare_coverage)
    "entity_ok",  # every proper name of the question is there
    "type_needed",  # the question asks for an amount, date, duration, time of day or name
    "type_ok",  # ... and the unit has one
    "hit_rank",  # 1 / (1 + rank of its passage in search)
    "hit_score",  # the passage's search score relative to the best
    "hit_lex",  # 1 / (10 + lexical rank of its passage)
    "hit_dense",  # 1 / (10 + dense rank of its passage)
    *(f"kind_{k}" for k in UNIT_KINDS),
    "log_len",
    "fragment",
    "question_mark",  # the unit is or holds a question (a document's own question is rarely its answer)
    "person_quote",
    "actor",  # a "vem"-question and the unit names an actor as subject or agent
    "contact",  # a question whom to contact and the unit names someone as the one contacted
    "acts",  # a "vem"-question and someone it does not name is the subject of its verb in the unit
    "obligation",  # a "ska/måste"-question and the unit states an obligation
    "permission",  # a "får/kan jag"-question and the unit allows or forbids something
    "sanction",  # a sanction question and the unit names one
    "adjacent_pairs",  # question words standing together in the unit as in the question
    "negation",  # the question negates a word ("om jag inte vill välja") and the unit negates it too
    # No feature for a repealed act: about one unit in 2,000 is one, so its fitted weight was noise that the
    # standardisation multiplied by some 40 (refitted at stop 45 it turned from +0.12 to -0.71, and a question
    # only a repealed act answers was abstained on). extractive.REPEALED_BEHIND puts it behind the current act.
    "duplicate",
    "rule_score",  # the hand-written rules' own score
    "rule_supported",  # ... and their verdict
)


def unit_features(analysis) -> np.ndarray:
    """One row of FEATURES per candidate of an extractive.Analysis, in its candidate order."""
    from assistant.answering import extractive

    shape, terms, hits = analysis.shape, analysis.terms, analysis.hits
    best = max((h.score for h in hits), default=1.0) or 1.0
    nterms = max(1, len(terms.terms))
    type_needed = shape.asks_for_a_value
    asked_negated = negated_stems(terms.question)
    rare = rare_coverage(analysis.candidates, terms)
    rows = []
    for n, c in enumerate(analysis.candidates):
        u, hit = c.unit, c.unit.hit
        strong = sum(1 for lv, t in zip(c.levels, terms.terms, strict=False) if t.weight >= 0.5 and lv >= STRONG)
        entity_ok = extractive.names_entities(c, terms)
        rows.append(
            [
                c.cov,
                c.own,
                c.focus_level,
                strong / nterms,
                rare[n],
                float(entity_ok),
                float(type_needed),
                float(type_needed and type_ok(shape, with_heading_actors(u))),
                1.0 / (1 + c.rank),
                hit.score / best,
                1.0 / (10 + hit.lexical_rank) if hit.lexical_rank else 0.0,
                1.0 / (10 + hit.dense_rank) if hit.dense_rank else 0.0,
                *(float(u.kind == k) for k in UNIT_KINDS),
                float(np.log1p(len(u.text)) / 6),
                float(u.fragment),
                float("?" in u.text),
                float(u.person_quote),
                c.actor,
                float(shape.contact and contacts(u.text, terms)),
                float(shape.who and acts(u.text, terms)),
                float(shape.must and bool(lexicon.OBLIGATION.search(u.text))),
                float(shape.permission and bool(lexicon.PERMISSION.search(u.text))),
                float(shape.sanction and bool(lexicon.SANCTION_WORDS.search(u.text))),
                min(2, extractive._adjacent_pairs(terms, u.text)) / 2,
                float(negates_same(asked_negated, u.text)),
                float(bool(hit.meta.duplicate_of)),
                c.score,
                float(c.supported),
            ]
        )
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))


def rare_coverage(candidates, terms) -> list[float]:
    """Each candidate's coverage of the question's terms, a term weighing by its own weight times how rare it is
    among the question's candidate units (log (1 + n) / (1 + n_with)): "Vilken dag rensar vi filtret i
    diskmaskinen?" over a kitchen's routines, where every unit says "diskmaskin", is answered by the one that
    says "filter". Coverage (cov) weighs every word of the question alike, whatever the passages share."""
    n = len(candidates)
    if not n or not terms.terms:
        return [0.0] * n
    m = len(terms.terms)
    levels = np.array([(list(c.levels[:m]) + [0.0] * m)[:m] for c in candidates], dtype=float)
    found = levels >= STRONG
    weight = np.array([t.weight for t in terms.terms]) * np.log((1 + n) / (1 + found.sum(axis=0)))
    total = weight.sum()
    return list(levels @ weight / total) if total > 0 else [0.0] * n


@dataclass(frozen=True)
class UnitModel:
    weights: tuple[float, ...]
    intercept: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float  # answer when the best unit's probability reaches this
    near: float  # below the threshold, still name the best passage as "near" from this probability
    second_source: float  # a second kind of source (a law beside a local rule) needs this share of the best probability
    # An answer whose unit's probability is below this is told as uncertain (trust.uncertain_note); None: never.
    sure: float | None = None
    # The ranking that chooses among a question's units (a conditional logit over the same standardised
    # features, calibrated): None ranks by the probabilities.
    ranking: tuple[float, ...] | None = None
    ranking_intercept: float = 0.0

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """Each unit's probability of holding the answer: whether to answer at all."""
        return self._linear(x, self.weights, self.intercept)

    def ranking_probabilities(self, x: np.ndarray) -> np.ndarray:
        """The ranking's calibrated probability of each unit: which one answers."""
        if self.ranking is None:
            return self.probabilities(x)
        return self._linear(x, self.ranking, self.ranking_intercept)

    def _linear(self, x: np.ndarray, weights, intercept: float) -> np.ndarray:
        if not len(x):
            return np.zeros(0)
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        return 1.0 / (1.0 + np.exp(-(z @ np.asarray(weights) + intercept)))


@lru_cache(maxsize=1)
def default_model() -> UnitModel | None:
    """The fitted model in assistant/data/answering.yaml, or None (then the hand-written rules decide)."""
    path = resources.files("assistant.data").joinpath("answering.yaml")
    if not path.is_file():
        return None
    return model_from(yaml.safe_load(path.read_text("utf-8")))


def model_from(data: dict) -> UnitModel | None:
    weights = data.get("weights") or {}
    if set(weights) != set(FEATURES):
        return None  # fitted on other features
    rank_weights = (data.get("ranking") or {}).get("weights")
    ranking = (
        tuple(float(rank_weights[f]) for f in FEATURES) if rank_weights and set(rank_weights) == set(FEATURES) else None
    )
    return UnitModel(
        weights=tuple(float(weights[f]) for f in FEATURES),
        intercept=float(data.get("intercept", 0.0)),
        mean=tuple(float(data["mean"][f]) for f in FEATURES),
        scale=tuple(float(data["scale"][f]) or 1.0 for f in FEATURES),
        threshold=float(data["threshold"]),
        near=float(data.get("near", data["threshold"])),
        second_source=float(data.get("second_source", 0.9)),
        sure=float(data["sure"]) if data.get("sure") is not None else None,
        ranking=ranking,
        ranking_intercept=float((data.get("ranking") or {}).get("intercept", 0.0)),
    )
