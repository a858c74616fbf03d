"""What a question asks for, and whether a passage holds it.

`Shape` reads the kind of fact a question asks for (an amount, a date, a duration, a time of day, a
name, someone who acts, an obligation, a sanction). `type_ok` is a hard check: the hand-written rules
and the fitted unit model (assistant/answering/unit_model.py) alike can only answer with a unit that
holds the kind of fact asked for and passes the checks of assistant/answering/gates.py, which build on
the readings here (who acts, whom to contact, a sum, a figure about the subject).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.answering import lexicon
from assistant.answering.definitions import defined_term, defines_term
from assistant.answering.forms import stem_level
from assistant.answering.passages import Unit
from assistant.answering.terms import QueryTerms, stem, words
from assistant.text import split_sentences


@dataclass
class Shape:
    """What the question asks for."""

    who: bool = False
    contact: bool = False  # whom to contact ("Vem ska jag ringa?"): someone named as the one contacted
    must: bool = False
    permission: bool = False  # whether something may be done ("Får jag ...?", "Kan man ...?")
    sanction: bool = False
    consequence: bool = False  # what can be done to a party that fails ("Vad kan kommunen göra om ...?")
    amount: bool = False
    date: bool = False
    exact_date: bool = False
    duration: bool = False  # a question about time: how long, how often ("frequency") or how soon ("promptness")
    frequency: bool = False
    only_often: bool = False  # "hur ofta" and no other question about time: a frequency, not a length, answers
    limit: bool = False  # a time limit ("Hur lång tid har vi på oss ...?"): a length of time, not a bound
    promptness: bool = False
    name: bool = False
    money: bool = False
    whether_it_costs: bool = False  # whether it costs at all ("Kostar det något?"): that a fee is charged answers
    per: str = ""  # a question for a sum per something: the unit (lexicon.RATE_UNITS), e.g. "timme"
    clock: bool = False  # a time of day
    organisation: bool = False  # which companies ("Vilka hemtjänstföretag ..."): a name is the answer
    choice: bool = False  # it offers the answers to choose from ("kommunen eller företaget?")
    decision: bool = False  # who decided a named document, or when ("Vem har beslutat om kostpolicyn?")
    defines: str = ""  # what a term means ("Vad är maxtaxan?"): the term
    live: bool = False  # how things stand now ("Hur lång är kön just nu?"): documents state rules, not the present
    counted: tuple[str, ...] = ()  # a count of a thing ("Hur många läkare ...?"): the words that may name it
    eligible: bool = False  # who may receive or do it ("Vem kan få ...?"): a group described, not an actor
    # A question of several parts ("Vem tar fram underlagen, och hur många dygn ska registreringen pågå?"): what
    # each part asks. The flags above are what any part asks (search and the unit model read them); the checks
    # that a unit holds what is asked (type_ok, gates.gate) pass a unit that answers one of the parts.
    parts: tuple[Shape, ...] = ()
    # Of a part only, its words as stems, read once for all the units a question weighs: what a figure it asks for
    # must be about (figure_about_subject), and those of its content words no other part has (answers_part).
    asked: frozenset[str] | None = None
    own: frozenset[str] = frozenset()

    @classmethod
    def of(cls, question: str) -> Shape:
        shape = cls._of(question)
        texts = question_parts(question)
        stemmed = [[(w, stem(w)) for w in words(text)] for text in texts]  # each part's words, read once
        asked = [frozenset(s for _, s in pairs) for pairs in stemmed]
        parts = tuple(
            replace(
                cls._of(text),
                asked=asked[i],
                own=frozenset(s for w, s in stemmed[i] if w not in lexicon.STOPWORDS)
                - frozenset().union(*(a for j, a in enumerate(asked) if j != i)),
            )
            for i, text in enumerate(texts)
        )
        if len({p.checks for p in parts}) > 1:  # parts that ask the same kind of fact ask it of one answer
            shape.parts = parts
        return shape

    @classmethod
    def _of(cls, question: str) -> Shape:
        money = bool(lexicon.MONEY_QUESTION.search(question))
        eligible = bool(lexicon.ELIGIBILITY_QUESTION.search(question))
        contact = bool(lexicon.CONTACT_QUESTION.search(question))
        whom = contact and bool(lexicon.ASKER_CONTACTS.search(question))  # "Vem ska jag ringa?": whom, not who
        frequency = bool(lexicon.FREQUENCY_QUESTION.search(question))
        asked_amount = lexicon.DECIDED_AMOUNT.sub(" ", question)  # "Vem bestämmer hur mycket ...?" asks who
        return cls(
            who=bool(lexicon.WHO_QUESTION.search(question)) and not eligible and not whom,
            contact=contact,
            must=bool(lexicon.MUST_QUESTION.search(question)),
            permission=bool(lexicon.PERMISSION_QUESTION.search(question)),
            sanction=bool(lexicon.SANCTION_QUESTION.search(question)),
            consequence=bool(lexicon.CONSEQUENCE_QUESTION.search(question)),
            amount=bool(lexicon.AMOUNT_QUESTION.search(asked_amount)),
            date=bool(lexicon.DATE_QUESTION.search(question)),
            exact_date=bool(lexicon.EXACT_DATE_QUESTION.search(question)),
            duration=bool(lexicon.DURATION_QUESTION.search(question)),
            frequency=frequency,
            only_often=frequency
            and not lexicon.DURATION_QUESTION.search(lexicon.FREQUENCY_QUESTION.sub(" ", question)),
            limit=bool(lexicon.LIMIT_QUESTION.search(question)),
            promptness=bool(lexicon.PROMPTNESS_QUESTION.search(question)),
            name=bool(lexicon.NAME_QUESTION.search(question)),
            money=money,
            whether_it_costs=money and bool(lexicon.WHETHER_IT_COSTS.search(question)),
            per=_rate_unit(question) if money else "",
            clock=bool(lexicon.CLOCK_QUESTION.search(question)),
            organisation=bool(lexicon.ORGANISATION_QUESTION.search(question)),
            choice=bool(lexicon.ALTERNATIVES.search(question)),
            decision=asks_about_the_decision(question) and bool(lexicon.DOCUMENT_WORD.search(question)),
            defines=defined_term(question),
            live=bool(lexicon.LIVE_QUESTION.search(question)),
            counted=_counted(asked_amount),
            eligible=eligible,
        )

    @property
    def checks(self) -> tuple:
        """What type_ok and gates.gate check a unit for: the kind of fact asked for and who is asked about."""
        return (
            self.amount,
            self.counted,
            self.name,
            self.date,
            self.exact_date,
            self.duration,
            self.clock,
            self.consequence,
            self.who,
            self.choice,
            self.eligible,
            self.organisation,
            self.money,
            self.per,
        )

    @property
    def asks_for_a_value(self) -> bool:
        """It asks for an amount, a date, a duration, a time of day or a name."""
        return any([self.amount, self.date, self.exact_date, self.duration, self.clock, self.name])

    @property
    def asks_for_a_fact(self) -> bool:
        """It asks for a kind of fact type_ok can check: a value (asks_for_a_value), a count, a consequence,
        someone who acts or who may receive or do it."""
        return self.asks_for_a_value or any([self.consequence, self.who, self.counted, self.eligible])


def question_parts(question: str) -> list[str]:
    """The parts of a question that asks several things, each a question of its own ("... vem på enheten ska ta
    fram underlagen" / "och hur många dygn ska mat- och vätskeregistreringen pågå?"); [] for a question of one.
    What the asker tells first stays with the first part."""
    first, *rest = [p.strip() for p in lexicon.PART_BOUNDARY.split(question) if p and p.strip()] or [""]
    if not lexicon.PART_ASKS.search(first):
        return []  # what the asker tells before the question ("Vi har bett om ett SIP-möte – hur snabbt ...?")
    parts = [first] + [p for p in rest if lexicon.PART_ASKS.search(p)]  # not a "Tack!" after the question mark
    return parts if len(parts) > 1 else []


def answers_part(part: Shape, text: str) -> bool:
    """Whether a text may answer this part of a question of several parts: a part that asks for a kind of fact
    type_ok checks is answered by a text that holds it; one that asks for none ("och vad gör vi om det saknas?",
    "och vilket har bäst omdömen?") only by a text that names a word of its own, none of the other parts' words
    (Shape.own). Else a text that answers no part would pass for the part nothing is checked of."""
    return any(part.checks) or bool(part.own & {stem(w) for w in words(text)})


def passage_types(shape: Shape, text: str) -> tuple[float, float, float]:
    """How a passage meets the kind of answer its question asks for, as search's ranking reads it
    (assistant.ranking: answer_type, sanction_type, obligation_type): it holds that kind of fact (type_ok,
    when the question asks for one; a definition of the term, when it asks what the term means); it names a
    sanction or consequence, when the question asks about one; it states an obligation, when the question
    asks what must be done. A passage of 1,000 characters often has them all; what the ranking learns is how
    much the lack of one counts against it. (A count of the actors a passage names, for a who-question, was
    measured too: no better held out, and it favoured passages that list every role.)"""
    if shape.asks_for_a_fact:
        answer = type_ok(replace(shape, parts=()), text)  # what any part asks, as the ranking was fitted
    else:
        answer = bool(shape.defines) and any(defines_term(text[a:b], shape.defines) for a, b in split_sentences(text))
    return (
        float(answer),
        float((shape.sanction or shape.consequence) and bool(lexicon.SANCTION_WORDS.search(text))),
        float(shape.must and bool(lexicon.OBLIGATION.search(text))),
    )


def _counted(question: str) -> tuple[str, ...]:
    """The words after "hur många" that may name what is counted ("Hur många privata hemtjänstföretag":
    privata, hemtjänstföretag); none when the question counts kronor (a sum: the money checks), nothing, or some
    of a group ("Hur många av personalen ...?": "minst två medarbetare", "hälften av personalstyrkan")."""
    m = lexicon.COUNT_QUESTION.search(question)
    if not m or lexicon.PARTITIVE_COUNT.match(m.group(0)):
        return ()
    found = tuple(w.lower() for w in m.groups() if w and w.lower() not in lexicon.STOPWORDS)
    return () if found and _MONEY_OR_SHARE.fullmatch(found[0]) else found


_MONEY_OR_SHARE = re.compile(r"kr|kronor\w*|procent\w*|procentenheter")  # not "krav", "kris", "kredit"


def type_ok(shape: Shape, text: str) -> bool:
    """The text holds the kind of fact the question asks for (an amount, a date, a duration, a time of
    day, a name, a consequence, someone who acts, who may receive or do it); of a question of several parts,
    the kind one of its parts asks for."""
    if shape.parts:
        return any(type_ok(part, text) and answers_part(part, text) for part in shape.parts)
    if shape.amount and not lexicon.AMOUNT_EVIDENCE.search(lexicon.NOT_AMOUNT.sub(" ", text)):
        # What it costs is also said without a figure: "larmet är kostnadsfritt", "ingår i maxavgiften".
        if not (shape.money and lexicon.PRICE_WITHOUT_FIGURE.search(text)):
            return False
    if shape.counted and not counts(shape.counted, text):
        return False
    if shape.name and not lexicon.NAME_EVIDENCE.search(text):
        return False
    if shape.date and not (
        # "När ska en lex Sarah-anmälan göras?": "ska snarast anmälas" says when, as a date would.
        lexicon.DATE_EVIDENCE.search(lexicon.NOT_DATE.sub(" ", text)) or lexicon.PROMPTNESS_EVIDENCE.search(text)
    ):
        return False
    if shape.exact_date and not lexicon.EXACT_DATE_EVIDENCE.search(lexicon.NOT_DATE.sub(" ", text)):
        return False
    if shape.duration and not _answers_time(shape, lexicon.NOT_DURATION.sub(" ", text)):
        return False
    if shape.clock and not lexicon.CLOCK_EVIDENCE.search(text):
        return False
    if shape.consequence and not lexicon.SANCTION_WORDS.search(text):
        return False  # "Vad kan kommunen göra om företaget inte sköter sig?" is not answered by how to apply
    if shape.who and not (lexicon.ACTOR_WORD.search(text) or lexicon.NAMED_ACTOR.search(text)):
        return False  # "Vem måste få veta det?" is not answered by how to clean the defibrillator
    if shape.eligible and not lexicon.ELIGIBILITY_EVIDENCE.search(text):
        return False  # "Vem kan få personlig assistans?" is not answered by what to report to IVO about it
    return True


COUNTED_HEAD = 5  # letters a counted word and the word after a number must end alike: "kundvalssystem" / "tre
# vårdvalssystem", "dagar" / "tio kalenderdagar" (a compound's last part), not "läkare" / "telefonnummer"


def counts(counted: tuple[str, ...], text: str) -> bool:
    """The text gives a number of the thing counted: a number followed, within two words, by a form of a
    counted word ("15 timmar", "10 dagars"), a compound ending in it ("tio kalenderdagar") or a word ending
    as it does ("145 valfrihetssystem" for kundvalssystem). Not "3 läkemedel" for läkare."""
    asked = [(c, stem(c)) for c in counted]
    for m in lexicon.COUNT_NUMBER.finditer(lexicon.NOT_AMOUNT.sub(" ", text)):
        for word in m.group(1).lower().split():
            said = stem(word)
            for c, s in asked:
                if said == s or (said.startswith(s) and len(said) - len(s) <= 2) or (len(s) >= 3 and said.endswith(s)):
                    return True
                if len(c) >= COUNTED_HEAD and word[-COUNTED_HEAD:] == c[-COUNTED_HEAD:]:
                    return True
    return False


CONTACT_WINDOW = 5  # words between a verb of contacting and the one contacted: "kontakta ansvarig sjuksköterska"
_TOKEN = re.compile(r"[\w-]+")


def contacts(text: str, terms: QueryTerms) -> bool:
    """The text names someone the question does not as the one to contact: an actor within CONTACT_WINDOW
    words of a verb of contacting, after it ("kontakta sjuksköterska", "ringer du Södertörns brandförsvar",
    "kontaktas BE-jouren") or before it ("Enhetschef ska meddelas", "Den enhet som beställer ansvarar för att
    informera ...")."""
    tokens = _TOKEN.findall(text)
    lower = [t.lower() for t in tokens]
    verbs = [
        i
        for i, w in enumerate(lower)
        if lexicon.CONTACT_VERB.fullmatch(w) and (w not in ("hör", "höra") or lower[i + 1 : i + 2] == ["av"])
    ]
    if not verbs:
        return False
    named = {m.group(0) for m in lexicon.NAMED_ACTOR.finditer(text)} - lexicon.LAW_ABBREVIATIONS
    for i in verbs:
        near = tokens[max(0, i - CONTACT_WINDOW) : i] + tokens[i + 1 : i + 1 + CONTACT_WINDOW]
        if _someone_new_among(near, terms) or terms.unnamed([p for w in near for p in w.split("-") if p in named]):
            return True
    return False


def agentless(text: str, terms: QueryTerms) -> bool:
    """The text puts the question's verb in the passive without saying by whom: "Vem utser uppdragstagare?" is
    not answered by "För varje brukare ska det utses en uppdragstagare", however many of its words it repeats
    ("utses av administratören" names the one who does)."""
    verbs = [t.word for t in terms.terms if not t.context and t.word.endswith(("er", "ar")) and len(t.word) >= 5]
    if not verbs:
        return False
    passives = {f for v in verbs for f in (v[:-1] + "s", v[:-2] + "s", v[:-2] + "es")}
    tokens = _TOKEN.findall(text.lower())
    if not passives & set(tokens):
        return False
    for i, w in enumerate(tokens):
        if w == "av":
            after = tokens[i + 1 : i + 4]
            if terms.unnamed([a for a in after if lexicon.ACTOR_WORD.fullmatch(a)]):
                return False
    return True


_ASKED_VERB = re.compile(
    r"\bvem\s+(?:(?:ska|skall|kan|får|måste|bör|brukar)\s+)?(?:(?:har|är)\s+(?:det\s+)?)?([a-zåäöé]+)", re.IGNORECASE
)
# Words before the verb where its subject stands: "Administratör är den som tillsammans med brukaren utser".
SUBJECT_WINDOW = 8


def acts(text: str, terms: QueryTerms) -> bool:
    """Someone the question does not name does what a who-question asks, as the subject of its verb (or noun):
    "Vem utser uppdragstagare?" by "Administratör är den som tillsammans med brukaren utser uppdragstagare",
    "Vem kallar till mötet?" by "MAS eller verksamhetschef kallar till samverkansmöte", "Vem har ansvaret?" by
    "Nämnden har ansvar för ..."; not by a sentence with the verb and someone else as its object."""
    m = _ASKED_VERB.search(terms.question)
    if not m or m.group(1).lower() in lexicon.STOPWORDS:
        return False
    asked = stem(m.group(1).lower())
    tokens = _TOKEN.findall(text)
    for i, w in enumerate(tokens):
        if i == 0 or stem_level(asked, stem(w.lower())) < 0.9:
            continue
        if _someone_new_among(tokens[max(0, i - SUBJECT_WINDOW) : i], terms):
            return True
    return False


def opens_with_someone_new(text: str, terms: QueryTerms) -> bool:
    """An actor the question does not name among the text's first three words: its subject."""
    return _someone_new_among(_TOKEN.findall(text)[:3], terms)


def _someone_new_among(tokens: list[str], terms: QueryTerms) -> bool:
    """An actor word (lexicon.ACTOR_WORD, also as a compound's part: "BE-jouren") among these words that the
    question does not name."""
    return bool(terms.unnamed([a for w in tokens for a in lexicon.ACTOR_WORD.findall(w)]))


def _answers_time(shape: Shape, text: str) -> bool:
    """A length of time answers every question about time, a bound ("tills vidare", "så länge ...") every
    one but a time limit; "hur ofta" is also answered by a frequency, "hur snabbt" by promptness. "Hur ofta kommer
    hemtjänsten och städar?" alone is answered only by a frequency, not by "fyra (4) dagar i förväg": of the 45
    frequency questions of the sets, every gold passage of one asking nothing else about time states a frequency."""
    if shape.only_often:
        return bool(lexicon.FREQUENCY_EVIDENCE.search(text))
    if (lexicon.LENGTH_EVIDENCE if shape.limit else lexicon.DURATION_EVIDENCE).search(text):
        return True
    if shape.frequency and lexicon.FREQUENCY_EVIDENCE.search(text):
        return True
    return shape.promptness and bool(lexicon.PROMPTNESS_EVIDENCE.search(text))


def _rate_unit(question: str) -> str:
    return next((unit for unit, asked in lexicon.RATE_QUESTION.items() if asked.search(question)), "")


def names_a_sum(shape: Shape, text: str, heading: str = "") -> bool:
    """A question for a sum of money is answered only by a sum, and one for a sum per something ("per
    timme") by a sum per that, in the text or its heading ("Avgift per månad") (a gate after the model,
    not one of its features: measured, as a feature it moved the fitted thresholds and cost more than it
    gained)."""
    if not shape.money:
        return True
    if not lexicon.MONEY_EVIDENCE.search(lexicon.NOT_AMOUNT.sub(" ", text)):
        return shape.whether_it_costs and bool(lexicon.FEE_CHARGED.search(text))
    return not shape.per or bool(lexicon.RATE_EVIDENCE[shape.per].search(f"{heading}\n{text}"))


FIGURE_OWN = 0.4  # the share of the question's words the sentence with an asked-for figure names itself


def figure_about_subject(unit: Unit, terms: QueryTerms, shape: Shape) -> bool:
    """A question for an amount is answered by a sentence that holds a figure and says what it is a figure
    of: it names the word asked about ("Hur stor är takvolymen?") and its share of the question's words
    (or follows on from the sentence before: "Den uppgår till ..."). Not by a figure from one sentence
    and the subject from the next, nor by a figure whose subject only the surrounding passage names:
    700 000 kronor for direct awards is no answer to what the EU threshold is."""
    if not shape.amount or unit.kind not in ("sentence", "pair"):
        return True
    parts = unit.parts or [unit]
    zero = [0.0] * len(terms.terms)
    # What the figure is of: the question's words but those asking for the sum ("Vad kostar ...", "vilket belopp"),
    # unless it has no others ("Och vad kostar det?"). (Leaving out the situation told first too was measured: it
    # let figures about something else answer when the situation named the subject, "Jag får avlösning hemma. Hur
    # många timmar slipper jag betala för?")
    subject = [t.word.lower() not in lexicon.SUM_ASKING_WORDS for t in terms.terms]
    if shape.asked is not None:  # of a question of several parts, the figure is about what its own part asks
        subject = [s and t.stem in shape.asked for t, s in zip(terms.terms, subject, strict=True)]
    weight = sum(t.weight for t, s in zip(terms.terms, subject, strict=True) if s)
    if not weight:
        subject, weight = [True] * len(terms.terms), terms.total_weight
    for i, part in enumerate(parts):
        if not type_ok(shape, part.text):
            continue
        stems = part.stems
        if i > 0 and lexicon.CONTINUATION_START.match(part.text):
            stems = stems | parts[i - 1].stems
        focus = terms.focus
        names_focus = focus is None or not subject[focus] or terms.level(focus, stems, aliases="thesaurus") >= 0.6
        levels = terms.coverage(stems, zero)[2]
        own = sum(t.weight * lv for t, lv, s in zip(terms.terms, levels, subject, strict=True) if s) / weight
        if names_focus and own >= FIGURE_OWN:
            return True
    return False


def names_someone_new(text: str, terms: QueryTerms, by_name: bool = False) -> bool:
    """Does the text name an actor (a body, a role, an organisation by name; with `by_name` only a name)
    that the question does not? "Vilken myndighet har regeringen utsett ...?" is not answered by "Den
    myndighet som regeringen bestämmer ska ...", nor "Vilka hemtjänstföretag är godkända i Knivsta?" by
    "Knivsta kommun har ett valfrihetssystem": who is asked for is someone the question cannot name."""
    named = [w for w in lexicon.NAMED_ACTOR.findall(text) if w not in lexicon.LAW_ABBREVIATIONS]
    if by_name:  # a company's name: not a public body's nor the country's
        return bool(terms.unnamed([w for w in named if not lexicon.PUBLIC_BODY_NAME.fullmatch(w)]))
    return bool(terms.unnamed(lexicon.ACTOR_WORD.findall(text) + named))


def own_heading(unit: Unit) -> str:
    """The last heading of the unit's section path ("KVÄLLSPERSONAL" of "RUTIN > KVÄLLSPERSONAL:"), or ""."""
    return (unit.hit.chunk.section or "").rpartition(">")[2].strip(" :_")


def with_heading_actors(unit: Unit) -> str:
    """The unit's text after the roles its own heading names, who do what is listed under it: a routine's tasks
    under "## KVÄLLSPERSONAL:___" or "### Sjuksköterskans ansvar" ("Packa barnens väskor kvällen innan hemgång"
    answers "Vem packar barnens väskor?"). Only role words (lexicon.ACTOR_WORD), read in lower case: an all-caps
    heading ("MÅNDAGS RUTINER") is no name."""
    return " ".join([*lexicon.ACTOR_WORD.findall(own_heading(unit).lower()), unit.text])


def asks_about_the_decision(question: str) -> bool:
    """Who decided or owns a document, what it replaces, or whether a document the question names is in force."""
    return bool(
        lexicon.ASKS_ABOUT_THE_DECISION.search(question)
        or (lexicon.IN_FORCE.search(question) and lexicon.DOCUMENT_WORD.search(question))
    )
