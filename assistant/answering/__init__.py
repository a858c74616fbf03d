"""Answers with verified citations, or an honest abstention (issue 3)."""

from assistant.answering.followup import Conversation
from assistant.answering.lexicon import ABSTAIN_TEXT
from assistant.answering.service import Answerer

__all__ = ["ABSTAIN_TEXT", "Answerer", "Conversation"]
