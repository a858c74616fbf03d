"""Starter questions per role, shown only if the corpus actually answers them with citations."""

from __future__ import annotations

import logging
from typing import Protocol

from assistant.errors import StyrdokError
from assistant.intro.config import IntroConfig, default_config
from assistant.intro.corpus import content_tokens
from assistant.intro.models import StarterQuestion
from assistant.models import Answer
from assistant.protocols import Searcher

log = logging.getLogger(__name__)


class Asker(Protocol):
    """What starter verification needs from the Answerer."""

    def ask(self, question: str) -> Answer: ...


def make_answerer(searcher: Searcher) -> Asker:
    """The project's Answerer over the library (imported late: answering is a heavier stage)."""
    from assistant.answering import Answerer

    return Answerer(searcher)


def verify_starters(answerer: Asker, config: IntroConfig | None = None, per_actor: int = 3) -> list[StarterQuestion]:
    """Ask every candidate question; keep at most `per_actor` per role that are answered with citations."""
    config = config or default_config()
    kept: list[StarterQuestion] = []
    for actor, questions in config.starters.items():
        count = 0
        for question in questions:
            if count >= per_actor:
                break
            try:
                answer = answerer.ask(question)
            except StyrdokError as error:  # a broken question must not hide the others
                log.warning("Startfrågan %r kunde inte besvaras: %s", question, error)
                continue
            if answer.abstained or not answer.citations or not on_topic(question, answer):
                continue
            kept.append(StarterQuestion(actor=actor, question=question, sources=answer.citations[:3]))
            count += 1
    return kept


# Compared as stems, like the question's own words.
_QUESTION_WORDS = content_tokens("vad vem vilka vilken vilket hur när varför gäller händer innebär")


def on_topic(question: str, answer: Answer) -> bool:
    """The cited passages contain the question's most specific word (its longest content word).

    A cited answer about something else ("konkurrensneutralitet" answered with a hemtjänst
    schedule) does not make a good first question.
    """
    stems = sorted((t for t in content_tokens(question) if t not in _QUESTION_WORDS), key=len, reverse=True)
    if not stems:
        return True
    cited = " ".join(c.quote for c in answer.citations).lower()
    # A shortened stem also meets derived forms: konkurrensneutralitet ~ konkurrensneutrala.
    prefix = stems[0][: max(5, int(len(stems[0]) * 0.8))]
    return any(word.startswith(prefix) for word in cited.split())
