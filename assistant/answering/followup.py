"""Multi-turn: resolve a follow-up ("Och vem följer upp dem?") against the conversation."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from assistant.answering.terms import extract_terms
from assistant.models import Answer

_LEADING = re.compile(r"^\s*(?:och|men|samt|också|än|då|så|hur\s+är\s+det\s+med)\b[\s,]*", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(dem|de|den|det|dessa|denna|detta|dess|deras|där|sådana|dit)\b", re.IGNORECASE)
_QUESTION_WORD = re.compile(r"^\s*(?:vem|vilka|vilken|vilket|vad|hur|när|var|varför|får|ska|kan|finns|gäller)\b", re.I)
_PREPOSITION = re.compile(r"\b(?:på|för|av|om|till|inom|med|från|hos|vid|över)\s+([^?.,]+?)\s*[?.]?\s*$", re.I)
_OBJECT_PRONOUN = re.compile(r"\b(dem|dessa|den|det|denna|detta)(?=\s*[?.!]?\s*$)", re.IGNORECASE)


class Turn(BaseModel):
    question: str
    resolved: str = Field(description="The question as it was searched, after follow-up resolution.")
    answer: str
    docs: list[str] = Field(default_factory=list, description="Documents the answer cited.")
    quotes: list[str] = Field(
        default_factory=list, description="What the answer's citations answered with (their key sentences)."
    )


class Conversation(BaseModel):
    """Earlier turns of one user's session; `Answerer.ask` appends to it."""

    turns: list[Turn] = Field(default_factory=list)

    def add(self, answer: Answer) -> None:
        self.turns.append(
            Turn(
                question=answer.question,
                resolved=answer.resolved_question or answer.question,
                answer=answer.text,
                docs=list(dict.fromkeys(c.doc for c in answer.citations)),
                quotes=[_key_text(c) for c in answer.citations],
            )
        )

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None


def _key_text(c) -> str:
    """The sentence a citation answered with: its key span when it has one, else the whole quote."""
    if c.key_start is not None and c.key_end is not None and c.start is not None:
        return c.quote[c.key_start - c.start : c.key_end - c.start] or c.quote
    return c.quote


class Resolution(BaseModel):
    question: str = Field(description="Self-contained question, shown to the user.")
    core: str = Field(default="", description="What is asked now: the question itself, pronouns resolved.")
    context: str = Field(default="", description="The earlier question the follow-up leans on (weighs less).")
    prior_docs: list[str] = Field(default_factory=list)
    is_followup: bool = False


def is_followup(question: str) -> bool:
    """Short, starts with "och/men", or leans on a pronoun without naming its own topic."""
    content = [t for t in extract_terms(question) if t.weight >= 1.0]
    if _LEADING.match(question) or not content:
        return True
    if _PRONOUN.search(question) and len(content) <= 2:
        return True
    return len(content) <= 1 and not _QUESTION_WORD.match(question)


def _names(text: str) -> list[str]:
    """Proper names (places, bodies) as written, e.g. "Botkyrka" in "Och i Botkyrka?"."""
    return [
        w for i, w in enumerate(re.findall(r"[A-ZÅÄÖ][a-zåäöé]+", text)) if not text.lstrip().startswith(w) or i > 0
    ]


def _topic(previous: str) -> str | None:
    """The noun phrase an object pronoun most likely points to: the last prepositional object."""
    m = _PREPOSITION.search(previous)
    if m:
        phrase = m.group(1).strip()
        if 1 <= len(phrase.split()) <= 5:
            return phrase
    return None


def resolve(question: str, conversation: Conversation | None) -> Resolution:
    """Make a follow-up self-contained; other questions pass through unchanged."""
    prev = conversation.last if conversation else None
    if prev is None or not is_followup(question):
        return Resolution(question=question.strip(), core=question.strip())
    rest = _LEADING.sub("", question).strip()
    if not rest:
        return Resolution(question=prev.resolved, core=prev.resolved, prior_docs=prev.docs, is_followup=True)
    context = re.sub(r"\s*\(i fråga om: (.*)\)$", r" \1", prev.resolved)  # flatten earlier follow-ups
    new_names = _names(rest)
    old_names = _names(prev.resolved)
    if not _QUESTION_WORD.match(rest):
        if len(new_names) == 1 and len(old_names) == 1:
            # "Och i Botkyrka?": the same question about another place.
            old = old_names[0]
            resolved = re.sub(rf"\b{re.escape(old)}\w*", new_names[0], context, count=1)
            return Resolution(question=resolved, core=resolved, is_followup=True)
        # An ellipsis ("Och för hemtjänsten?"): the earlier question with the new detail.
        resolved = f"{context.rstrip(' ?')} ({rest.rstrip(' ?')})?"
        return Resolution(question=resolved, core=resolved, prior_docs=prev.docs, is_followup=True)
    rest = rest[0].upper() + rest[1:]
    topic = _topic(prev.resolved)
    if topic and _OBJECT_PRONOUN.search(rest):
        resolved = _OBJECT_PRONOUN.sub(topic, rest, count=1)
        return Resolution(question=resolved, core=resolved, context=context, prior_docs=prev.docs, is_followup=True)
    shown = f"{rest} (i fråga om: {context})"
    return Resolution(question=shown, core=rest, context=context, prior_docs=prev.docs, is_followup=True)


def search_query(resolution: Resolution) -> str:
    """What is searched for a (resolved) question: what is asked now, then the earlier question."""
    return f"{resolution.core} {resolution.context}".strip()


class QuestionOnlyConversation(Conversation):
    """The turns of a conversation known only by their questions (evaluating retrieval, no answers)."""

    def ask(self, question: str) -> str:
        """The query for `question` in this conversation; records the turn."""
        res = resolve(question, self)
        self.turns.append(Turn(question=question, resolved=res.question, answer=""))
        return search_query(res)
