"""Learned ranking of search candidates: a linear model over signals search already computes.

The candidates are the union of the lexical and dense top lists. Each gets a row of features
(ranks and scores of BM25, vectors and best-sentence coverage, whether the question names its
document, how much of the question its title and section cover, how its neighbours and its
document fare, its kind, whether it holds the kind of answer the question asks for). The score
is a weighted sum; the weights are fitted by a conditional logit (a softmax over each question's
candidates) with cross-validation on the question sets (eval/train_ranker.py) and kept, with how
they were chosen, in assistant/data/ranker.yaml. Without that file, search falls back to the
weighted reciprocal-rank fusion of the four rankings.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
import yaml

from assistant.models import DocumentKind

FEATURES = (
    "lex_rrf",  # 1 / (k + lexical rank)
    "dense_rrf",
    "sent_rrf",
    "mention_rrf",
    "lex_rel",  # BM25 score / best BM25 score among the candidates
    "dense_cos",  # cosine to the question (of every candidate, the lexical ones too)
    "dense_gap",  # cosine minus the best cosine among the candidates
    "sent_cov",  # IDF share of the question's terms found together in one sentence
    "title_cov",  # IDF share of the question's terms in the document title and section path
    "neighbour_lex",  # best lex_rel of the chunk before or after it
    "doc_lex",  # best lex_rel of any candidate of the same document
    "doc_dense",  # best cosine of any candidate of the same document, minus the best overall
    "doc_share",  # share of the candidates that come from the same document
    "doc_topic",  # cosine of the question to the document's mean passage vector, minus the best such
    "is_law",
    "is_local_rule",  # rutin, riktlinje, checklista, blankett, plan, policy: what a förvaltning decided
    "is_guidance",
    "repealed",
    "duplicate",
    "log_len",
    # The kind of answer the question asks for, met by the passage (shape.passage_types; zero when the
    # question does not ask for it): a fact of the asked kind or a definition, a sanction, an obligation.
    "answer_type",
    "sanction_type",
    "obligation_type",
)
NO_TYPES = (0.0, 0.0, 0.0)
LOCAL = {
    DocumentKind.rutin,
    DocumentKind.riktlinje,
    DocumentKind.checklista,
    DocumentKind.blankett,
    DocumentKind.plan,
    DocumentKind.policy,
}


@dataclass
class Pool:
    """What search knows about its candidates, gathered once per question."""

    ids: list[str]
    docs: dict[str, str]  # chunk id -> doc
    ordinals: dict[str, int]
    lengths: dict[str, int]
    kinds: dict[str, DocumentKind]
    repealed: set[str] = field(default_factory=set)  # chunk ids of repealed documents
    duplicates: set[str] = field(default_factory=set)
    lex: dict[str, tuple[int, float]] = field(default_factory=dict)  # id -> (rank, score)
    dense: dict[str, tuple[int, float]] = field(default_factory=dict)
    cosine: dict[str, float] = field(default_factory=dict)  # id -> cosine to the question, of every candidate
    sentence: dict[str, tuple[int, float]] = field(default_factory=dict)
    mention: dict[str, int] = field(default_factory=dict)
    title_cov: dict[str, float] = field(default_factory=dict)
    doc_cos: dict[str, float] = field(default_factory=dict)  # doc -> cosine to its mean passage vector
    types: dict[str, tuple[float, ...]] = field(default_factory=dict)  # id -> shape.passage_types


def features(pool: Pool, rrf_k: int) -> np.ndarray:
    """One row of FEATURES per candidate, in `pool.ids` order."""
    best_lex = max((s for _, s in pool.lex.values()), default=0.0) or 1.0
    best_cos = max((s for _, s in pool.dense.values()), default=0.0)
    lex_rel = {cid: s / best_lex for cid, (_, s) in pool.lex.items()}
    by_place = {(pool.docs[c], pool.ordinals[c]): c for c in pool.ids}
    doc_lex: dict[str, float] = defaultdict(float)
    doc_cos: dict[str, float] = defaultdict(lambda: best_cos - 1.0)
    doc_count: dict[str, int] = defaultdict(int)
    for cid in pool.ids:
        doc = pool.docs[cid]
        doc_lex[doc] = max(doc_lex[doc], lex_rel.get(cid, 0.0))
        if cid in pool.dense:
            doc_cos[doc] = max(doc_cos[doc], pool.dense[cid][1])
        doc_count[doc] += 1
    n = max(len(pool.ids), 1)
    best_topic = max(pool.doc_cos.values(), default=0.0)

    def rrf(entry) -> float:
        return 1.0 / (rrf_k + entry[0]) if entry is not None else 0.0

    rows = []
    for cid in pool.ids:
        doc, ordinal = pool.docs[cid], pool.ordinals[cid]
        neighbours = [by_place.get((doc, ordinal + d)) for d in (-1, 1)]
        kind = pool.kinds[cid]
        cos = pool.cosine.get(cid, pool.dense[cid][1] if cid in pool.dense else best_cos - 1.0)
        rows.append(
            [
                rrf(pool.lex.get(cid)),
                rrf(pool.dense.get(cid)),
                rrf(pool.sentence.get(cid)),
                1.0 / (rrf_k + pool.mention[cid]) if cid in pool.mention else 0.0,
                lex_rel.get(cid, 0.0),
                cos,
                cos - best_cos,
                pool.sentence[cid][1] if cid in pool.sentence else 0.0,
                pool.title_cov.get(cid, 0.0),
                max((lex_rel.get(nb, 0.0) for nb in neighbours if nb), default=0.0),
                doc_lex[doc],
                doc_cos[doc] - best_cos,
                doc_count[doc] / n,
                pool.doc_cos.get(doc, best_topic - 1.0) - best_topic,
                float(kind is DocumentKind.lag),
                float(kind in LOCAL),
                float(kind is DocumentKind.vagledning),
                float(cid in pool.repealed),
                float(cid in pool.duplicates),
                math.log1p(pool.lengths[cid]) / 8.0,
                *pool.types.get(cid, NO_TYPES),
            ]
        )
    return np.asarray(rows, dtype=np.float64).reshape(len(pool.ids), len(FEATURES))


@dataclass(frozen=True)
class RankModel:
    """Weights for FEATURES (and the mean/scale they were fitted on); score = w · standardised x."""

    weights: tuple[float, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    note: str = ""
    embedder: str | None = None  # the embedding model whose cosines and ranks it was fitted on

    def scores(self, x: np.ndarray) -> np.ndarray:
        if not len(x):
            return np.zeros(0)
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        return z @ np.asarray(self.weights)


@lru_cache(maxsize=1)
def default_model() -> RankModel | None:
    """The fitted model shipped in assistant/data/ranker.yaml, or None (then search uses RRF)."""
    path = resources.files("assistant.data").joinpath("ranker.yaml")
    if not path.is_file():
        return None
    return model_from(yaml.safe_load(path.read_text("utf-8")))


def model_from(data: dict) -> RankModel | None:
    weights = data.get("weights") or {}
    if set(weights) != set(FEATURES):
        return None  # fitted on other features: not usable
    return RankModel(
        weights=tuple(float(weights[f]) for f in FEATURES),
        mean=tuple(float(data["mean"][f]) for f in FEATURES),
        scale=tuple(float(data["scale"][f]) or 1.0 for f in FEATURES),
        note=str(data.get("chosen", "")),
        embedder=data.get("embedder"),
    )


def rank(ids: Sequence[str], x: np.ndarray, model: RankModel) -> list[tuple[str, float]]:
    """(id, score) best first; ties keep the given order."""
    scores = model.scores(x)
    order = sorted(range(len(ids)), key=lambda i: (-scores[i], i))
    return [(ids[i], float(scores[i])) for i in order]
