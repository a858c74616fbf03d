"""Starter questions per role, shown only if the corpus actually answers them with citations."""

from __future__ import annotations

import logging
from typing import Protocol

from assistant.errors import StyrdokError
from assistant.intro.config import IntroConfig, default_config
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
            if answer.abstained or not answer.citations:
                continue
            kept.append(StarterQuestion(actor=actor, question=question, sources=answer.citations[:3]))
            count += 1
    return kept
