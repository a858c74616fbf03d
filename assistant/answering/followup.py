"""Multi-turn: resolve a follow-up ("Och vem följer upp dem?") against the conversation."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from assistant.answering.terms import QueryTerms, extract_terms
from assistant.models import Answer
from assistant.wording import unwrap

_LEADING = re.compile(r"^\s*(?:och|men|samt|också|än|då|så|hur\s+är\s+det\s+med)\b[\s,]*", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(dem|de|den|det|dessa|denna|detta|dess|deras|där|sådana|dit)\b", re.IGNORECASE)
_QUESTION_WORD = re.compile(
    r"^\s*(?:vem|vilka|vilken|vilket|vad|hur|när|var|vart|varför|får|ska|kan|finns|gäller|måste|är|om)\b", re.I
)
_PREPOSITION_WORD = r"(?:på|för|av|om|till|inom|med|från|hos|vid|över|i)"
_PREPOSITION = re.compile(rf"{_PREPOSITION_WORD}\s+([^?.,]+?)\s*[?.]?\s*$", re.I)
_OBJECT_PRONOUN = re.compile(r"\b(dem|dessa|den|det|denna|detta)(?=\s*[?.!]?\s*$)", re.IGNORECASE)
# "Och matrester (där) då, finns det ett eget kärl för det?": the follow-up names its own topic before a comma, and
# its pronoun points to that, not to the earlier question's topic.
_FRONTED_TOPIC = re.compile(r"^([^,?]{2,40}?)(?:\s+(?:där|här))?\s+då\s*,\s*(.+)$", re.IGNORECASE)
# "på mig att överklaga" is no place or group to point back to; nor is "till ett annat" (its noun left out).
_NOT_A_NOUN_PHRASE = re.compile(r"\b(?:att|mig|dig|oss|er|sig|jag|du|vi|ni)\b", re.IGNORECASE)
_WITHOUT_NOUN = re.compile(
    r"(?:(?:en|ett|någon|något|några|den|det|de)\s+)?(?:annan|annat|andra|sådan|sådant|sådana)", re.IGNORECASE
)
# Words that point back to the earlier turn wherever they stand: "kan domstolen då ...", "i så fall",
# "samma sak", "fortfarande", "vem ska sedan ...", "själva bytet", "det beslutet", "den avgiften".
_ANAPHOR = re.compile(
    r"(?<!^)\bdå\b|\bi så fall\b|\bsamma\b|\bfortfarande\b|\bsedan\b(?!\s+\d)|\bsen\b(?!\s+\d)|\bsjälva\b"
    r"|\b(?:dem|dessa|denna|detta)\b|\b(?:den|det)\s+\w+(?:en|et|na)\b",
    re.IGNORECASE,
)
# "Hur gör jag om jag vill ge henne lov?": a person the question refers to by a pronoun without naming anyone
# before it is the one the earlier turn was about ("Får min vuxna dotter läsa utredningen?"). A question that
# names its person first ("Min pappa har hemtjänst, får han ...?", "Brukaren vill inte att hen ...") is its own.
_PERSONAL = re.compile(r"\b(?:hon|han|hen|henne|honom|hennes|hans|hens)\b", re.IGNORECASE)
_PERSON_NOUN = re.compile(
    r"\b(?:mamma|pappa|mor(?:n|s)?|modern|fadern|mannen|dotter|döttrar|son|sonen|söner|barn|fru|frun|make|maka|"
    r"sambo|bror|brodern|syster|förälder|föräldrar|anhörig|närstående|brukare|boende|kund|patient|kollega|"
    r"medarbetare|vikarie|assistent|chef|handläggare|ledamot|politiker|granne|vän|person|någon|den enskilde)\w*"
    r"|\b(?:en|ett|min|mitt|mina|vår|vårt|våra|din|ditt|dina|er|ert|era)\s+(?:[\w-]+\s+)?[\w-]+"  # "en dam", "min man"
    r"|\b\w+(?:are|aren|arna|ande|anden|ende|enden)\b",  # agent nouns: "ledsagaren", "en sökande", "besökare"
    re.IGNORECASE,
)
# "Gäller samma sak på kortis?", "Samma regler för hemtjänsten?": the earlier question about something else.
_SAME_ABOUT = re.compile(rf"\bsamma\b[^?]*?\b({_PREPOSITION_WORD})\s+([^?.,]+?)\s*[?.]?\s*$", re.IGNORECASE)


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

    def add(self, answer: Answer, resolved: str | None = None) -> None:
        """Record a turn; `resolved` is the question as it was read (unwrapped, respelled, made self-contained)."""
        self.turns.append(
            Turn(
                question=answer.question,
                resolved=resolved or answer.resolved_question or unwrap(answer.question),
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
    emphasis: str = Field(default="", description="What the follow-up changes in the earlier question (weighs more).")
    situation: str = Field(default="", description="What the asker tells before asking (weighs less).")
    prior_docs: list[str] = Field(default_factory=list)
    is_followup: bool = False

    def terms(self) -> QueryTerms:
        """The question's terms as answering weighs them."""
        return QueryTerms(self.core, extra_context=self.context, emphasis=self.emphasis, situation=self.situation)


# A statement ends where a full stop or exclamation mark stands after a word of two letters or more ("... i
# hemtjänsten. Vad ..."), not after an abbreviation ("bl.a. Botkyrka", "t.ex. Lindvik") and not before a digit
# ("10 kap. 2 §"). The next sentence starts with a capital, or, typed in lower case, with a word a question opens
# with ("jag är 78 år. kan jag få städhjälp?").
_ASKING_OPENER = (
    r"(?:vad|vem|vems|hur|när|var|vart|varför|vilken|vilket|vilka|kan|får|ska|skall|måste|bör|är|har|finns|gäller"
    r"|behöver|räcker|blir|går|betalar)\b"
)
_STATEMENT_END = re.compile(rf"(?<![.\s]\w)(?<!\.\w\w)[.!]\s+(?=[A-ZÅÄÖ]|{_ASKING_OPENER})")
SITUATION_MIN_WORDS = 3  # a shorter "statement" is a greeting or a fragment, no situation


def split_situation(question: str) -> tuple[str, str]:
    """(what the asker tells first, the question): "Min pappa talar bara arabiska. Har han rätt till tolk när han
    ska träffa biståndshandläggaren?" -> ("Min pappa talar bara arabiska.", "Har han rätt till tolk ...?"). The
    statements before the first sentence that asks describe the asker's situation in the asker's words; the
    sentence that asks says what the answer is about. ("", question) when it opens by asking or never asks."""
    text = question.strip()
    asks = text.find("?")
    ends = [m.end() for m in _STATEMENT_END.finditer(text, 0, max(asks, 0))]
    if asks < 0 or not ends:
        return "", text
    situation, asked = text[: ends[-1]].strip(), text[ends[-1] :].strip()
    if len(situation.split()) < SITUATION_MIN_WORDS:
        return "", text
    return situation, asked


def is_followup(question: str) -> bool:
    """Leans on the earlier turn: starts with "och/men", points back ("då", "samma", "det beslutet"),
    is a bare fragment, uses a pronoun without naming its own topic, or a person's pronoun without naming the
    person (_PERSONAL)."""
    content = [t for t in extract_terms(question) if t.weight >= 1.0]
    if _LEADING.match(question) or not content or _ANAPHOR.search(question.strip()):
        return True
    if _PRONOUN.search(question) and len(content) <= 2:
        return True
    person = _PERSONAL.search(question)
    if person and not _PERSON_NOUN.search(question[: person.start()]) and not _names(question[: person.start()]):
        return True
    return len(content) <= 1 and not _QUESTION_WORD.match(question)


def _names(text: str) -> list[str]:
    """Proper names (places, bodies) as written, e.g. "Botkyrka" in "Och i Botkyrka?"."""
    return [
        w for i, w in enumerate(re.findall(r"[A-ZÅÄÖ][a-zåäöé]+", text)) if not text.lstrip().startswith(w) or i > 0
    ]


def _topic(previous: str) -> str | None:
    """The noun phrase an object pronoun most likely points to: the last prepositional object. None when that
    phrase leaves its noun out ("Kan jag byta till ett annat?"): it names nothing a pronoun could stand for."""
    m = _last_prepositional(previous)
    phrase = m.group(1).strip() if m else ""
    return phrase if phrase and not _WITHOUT_NOUN.fullmatch(phrase) else None


def _last_prepositional(text: str) -> re.Match | None:
    """The last prepositional phrase that ends the question ("på vård- och omsorgsboendet")."""
    starts = [m.start() for m in re.finditer(rf"\b{_PREPOSITION_WORD}\s", text, re.IGNORECASE)]
    for start in reversed(starts):
        m = _PREPOSITION.match(text, start)
        if m and 1 <= len(m.group(1).split()) <= 5 and not _NOT_A_NOUN_PHRASE.search(m.group(1)):
            return m
    return None


def _is_fragment(rest: str) -> bool:
    """ "för hemtjänsten?", "också i korttidsboendet?": no question word and no clause of its own."""
    return not _QUESTION_WORD.match(rest) and len(rest.split()) <= 4 and not _PRONOUN.search(rest)


def resolve(question: str, conversation: Conversation | None) -> Resolution:
    """Make a follow-up self-contained; other questions pass through unchanged (but unwrapped)."""
    question = unwrap(question)
    prev = conversation.last if conversation else None
    if prev is None or not is_followup(question):
        situation, asked = split_situation(question)
        return Resolution(question=question.strip(), core=asked, situation=situation)
    rest = _LEADING.sub("", question).strip()
    if not rest:
        return Resolution(question=prev.resolved, core=prev.resolved, prior_docs=prev.docs, is_followup=True)
    context = re.sub(r"\s*\(i fråga om: (.*)\)$", r" \1", prev.resolved)  # flatten earlier follow-ups
    new_names = _names(rest)
    old_names = _names(prev.resolved)
    if not _QUESTION_WORD.match(rest) and len(new_names) == 1 and len(old_names) == 1:
        # "Och i Botkyrka?": the same question about another place.
        old = old_names[0]
        resolved = re.sub(rf"\b{re.escape(old)}\w*", new_names[0], context, count=1)
        return Resolution(question=resolved, core=resolved, is_followup=True)
    same = _SAME_ABOUT.search(rest)
    last = _last_prepositional(context)
    if same and last:
        # "Gäller samma sak på kortis?": the earlier question, its last place or group swapped.
        resolved = f"{context[: last.start()]}{same.group(1).lower()} {same.group(2)}?"
        return Resolution(
            question=resolved,
            core=resolved,
            context=context,
            emphasis=same.group(2),
            prior_docs=prev.docs,
            is_followup=True,
        )
    if _is_fragment(rest):
        # An ellipsis ("Och för hemtjänsten?"): the earlier question with the new detail.
        resolved = f"{context.rstrip(' ?')} ({rest.rstrip(' ?')})?"
        return Resolution(question=resolved, core=resolved, prior_docs=prev.docs, is_followup=True)
    rest = rest[0].upper() + rest[1:]
    fronted = _FRONTED_TOPIC.match(rest)
    if fronted and _is_fragment(fronted.group(1)) and _OBJECT_PRONOUN.search(fronted.group(2)):
        # The follow-up's own topic, before the comma, is what its pronoun stands for; the clause after it asks.
        topic, clause = fronted.group(1).lower(), fronted.group(2)
        rest = clause[0].upper() + clause[1:]
    else:
        topic = _topic(prev.resolved)
    if topic and _OBJECT_PRONOUN.search(rest):
        resolved = _OBJECT_PRONOUN.sub(topic, rest, count=1)
        return Resolution(question=resolved, core=resolved, context=context, prior_docs=prev.docs, is_followup=True)
    shown = f"{rest} (i fråga om: {context})"
    return Resolution(question=shown, core=rest, context=context, prior_docs=prev.docs, is_followup=True)


def search_query(resolution: Resolution) -> str:
    """What is searched for a (resolved) question: what is asked now, then the earlier question."""
    return f"{resolution.situation} {resolution.core} {resolution.context}".strip()


class QuestionOnlyConversation(Conversation):
    """The turns of a conversation known only by their questions (evaluating retrieval, no answers)."""

    def ask(self, question: str) -> str:
        """The query for `question` in this conversation; records the turn."""
        res = resolve(question, self)
        self.turns.append(Turn(question=question, resolved=res.question, answer=""))
        return search_query(res)
