"""Starter questions are kept only when answered, with citations, on their topic."""

from __future__ import annotations

from assistant.intro.config import default_config
from assistant.intro.starters import on_topic, verify_starters
from assistant.models import Answer, Citation


def _answer(question: str, quote: str | None) -> Answer:
    citations = [Citation(doc="d.txt", title="d", quote=quote)] if quote else []
    return Answer(question=question, text="svar", abstained=quote is None, citations=citations)


def test_on_topic_needs_the_most_specific_word_in_the_citations():
    question = "Vad innebär konkurrensneutralitet mellan egen regi och privata utförare?"
    assert on_topic(question, _answer(question, "Kraven ska vara konkurrensneutrala för alla utförare."))
    assert not on_topic(question, _answer(question, "Teamet arbetar vardagar dagtid."))


def test_only_answered_cited_questions_are_kept():
    class Scripted:
        def ask(self, question):
            if "ickevalsalternativ" in question:
                return _answer(question, "För den enskilde som inte väljer ska ett ickevalsalternativ finnas.")
            if "taktisk" in question:
                return Answer(question=question, text="svar", abstained=False, citations=[])  # no citation
            return _answer(question, None)  # abstained

    kept = verify_starters(Scripted(), default_config())
    assert [(s.actor, s.question) for s in kept] == [("egen_regi", "Vad är ett ickevalsalternativ?")]
    assert kept[0].sources[0].doc == "d.txt"


def test_at_most_per_actor():
    class Always:
        def ask(self, question):
            return _answer(question, question)  # quoting the question is always on topic

    kept = verify_starters(Always(), default_config(), per_actor=1)
    actors = [s.actor for s in kept]
    assert len(actors) == len(set(actors)) == len(default_config().starters)
