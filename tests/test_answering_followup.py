"""Follow-up questions are resolved against the conversation before retrieval."""

from __future__ import annotations

from test_answering_fakes import seed_searcher

from assistant.answering import Answerer, Conversation
from assistant.answering.followup import Turn, is_followup, resolve


def _conv(question: str) -> Conversation:
    return Conversation(turns=[Turn(question=question, resolved=question, answer="…", docs=["003.txt"])])


def test_pronoun_is_replaced_by_the_earlier_topic():
    res = resolve("Och vem följer upp dem?", _conv("Vilka krav ställer socialnämnden på privata utförare?"))
    assert res.is_followup
    assert res.question == "Vem följer upp privata utförare?"
    assert "socialnämnden" in res.context
    assert res.prior_docs == ["003.txt"]


def test_place_swap_keeps_the_question():
    res = resolve("Och i Botkyrka?", _conv("Vem ansvarar för uppföljningen av hemtjänsten i Täby?"))
    assert res.question == "Vem ansvarar för uppföljningen av hemtjänsten i Botkyrka?"
    assert res.prior_docs == []  # another municipality: the earlier documents are not the place to look


def test_bare_follow_up_leans_on_the_earlier_question():
    res = resolve("Hur ofta?", _conv("Hur följer socialnämnden upp avtalen?"))
    assert res.core == "Hur ofta?"
    assert "följer socialnämnden upp avtalen" in res.question


def test_self_contained_questions_pass_unchanged():
    conv = _conv("Vilka krav ställer socialnämnden på privata utförare?")
    assert not is_followup("Vem godkänner utförare i ett valfrihetssystem?")
    res = resolve("Vem godkänner utförare i ett valfrihetssystem?", conv)
    assert not res.is_followup and res.question == "Vem godkänner utförare i ett valfrihetssystem?"
    assert not resolve("Och vem följer upp dem?", None).is_followup


def test_answerer_resolves_and_records_turns():
    answerer = Answerer(seed_searcher())
    conv = Conversation()
    first = answerer.ask("Vilka krav och villkor fastställer socialnämnden som beställare?", conv)
    assert not first.abstained and first.resolved_question is None
    second = answerer.ask("Och vem följer upp dem?", conv)
    assert second.resolved_question and "socialnämnden" in second.resolved_question
    assert "socialnämnden" in answerer.searcher.queries[-1] or any(
        "socialnämnden" in q for q in answerer.searcher.queries
    )
    assert not second.abstained
    assert "följa upp" in second.text or "följas upp" in second.text
    assert [t.question for t in conv.turns] == [
        "Vilka krav och villkor fastställer socialnämnden som beställare?",
        "Och vem följer upp dem?",
    ]
    assert conv.turns[0].docs == ["003_c73df01d320b46e8.txt"]
