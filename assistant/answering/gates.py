"""The checks every answer must pass whatever ranked it: `gate` tells why a unit may not be the answer.

A unit that states nothing (a template's field, a form to sign, a letterhead, a list of questions, a title line:
`no_statement`), one of an act's transitional provisions, a sentence about the document itself, or one that lacks
the kind of fact the question asks for (assistant/answering/shape.py reads what that is) answers nothing. The
hand-written rules and the fitted unit model (assistant/answering/unit_model.py) alike can only answer with a
unit that passes `gate` and shape.type_ok.
"""

from __future__ import annotations

import re

from assistant.answering import lexicon
from assistant.answering.finding import in_named_paragraph
from assistant.answering.passages import Unit
from assistant.answering.shape import (
    Shape,
    agentless,
    answers_part,
    asks_about_the_decision,
    figure_about_subject,
    names_a_sum,
    names_someone_new,
    opens_with_someone_new,
    type_ok,
    with_heading_actors,
)
from assistant.answering.terms import QueryTerms, stem, stems, words
from assistant.docinfo import is_decision_line


def _mostly_questions(rendered_list: str) -> bool:
    """A list whose items are mostly questions (a supplier's questions in a Q&A document, the questions
    to ask at a visit) asks; it does not answer. `rendered_list` is a list unit's "lead: item; item."."""
    items = [x.strip() for x in rendered_list.partition(": ")[2].rstrip(".").split("; ") if x.strip()]
    return bool(items) and 2 * sum(x.endswith("?") for x in items) > len(items)


TITLE_SHARE = 0.6  # of a line's content words that the document's title or the passage's section names


def title_line(unit: Unit) -> bool:
    """A line that repeats the document's title or its section heading ("Avropsförfrågan IT-konsult -
    Systemutvecklare ersättningssystem Vårdval" under the title "Avrop IT-konsult ADDA – Systemutvecklare ...")
    names what the document is about; it answers nothing, however many of the question's words it holds."""
    text = unit.text.strip()
    if unit.kind not in ("sentence", "item") or not text or text[-1] in ".!?:;":
        return False
    own = [stem(w) for w in words(text) if w not in lexicon.STOPWORDS and not w.isdigit()]
    if not 2 <= len(own) <= 14:
        return False
    named = stems(f"{unit.hit.meta.title or ''} {unit.hit.chunk.section or ''}")
    return sum(s in named for s in own) >= TITLE_SHARE * len(own)


_TITLE_LINE = re.compile(r"[ \t]*#[^\n]*\n")
_FIELD_LINE = re.compile(r"[ \t]*[-*][ \t]+[A-ZÅÄÖ][\w ]{0,30}:[^\n]*\n?|[ \t]*\n")


def opening_field(unit: Unit) -> bool:
    """The unit is a line of the list of fields that opens a document under its title, what a transcription or
    a database says about the document ("- Utfärdad: 2001-06-07", "- OBS: PARTIAL: endast sidans början ..."):
    about the document, not what it says, an answer only to a question for such a value."""
    chunk = unit.hit.chunk
    if chunk.start != 0:
        return False
    title = _TITLE_LINE.match(chunk.text)
    n = title.end() if title else 0
    if unit.start < n:
        return False
    # Read field lines from the title on, up to the line the unit starts in: it is a field when that line is one.
    while n <= unit.start and (m := _FIELD_LINE.match(chunk.text, n)) and m.end() > n:
        n = m.end()
    return n > unit.start


# A unit with fewer words than this beside its web addresses is a link, not a statement ("Blanketten finns på
# www.botkyrka.se" says where, and stays).
WEB_LINE_WORDS = 3


def no_statement(unit: Unit, terms: QueryTerms) -> str:
    """Why the unit states nothing, whatever was asked, or "": a template's fill-in field, a form to sign, a
    letterhead (unless the question asks for contact details), a list of questions, a title line, an act's note of an
    amendment or a repeal. Such a unit is neither an answer (gate) nor the nearest passage an abstention names (in
    Answerer's abstention, a letterhead came nearest to "Vad kostar en matlåda i Botkyrka?" by its "Botkyrka")."""
    if lexicon.PLACEHOLDER.search(unit.text):
        return "fält i en mall"
    if lexicon.SIGNATURE_FORM.search(unit.text):
        return "blankett att skriva under"
    if lexicon.LETTERHEAD.search(unit.text) and not lexicon.ASKS_FOR_CONTACT_DETAILS.search(terms.question):
        return "sidhuvud eller sidfot"
    if unit.kind == "list" and _mostly_questions(unit.text):
        return "en lista med frågor"
    if title_line(unit):
        return "rubrik"
    if lexicon.AMENDMENT_NOTE.fullmatch(unit.text):
        return "ändringsnotering"
    return ""


def transitional(unit: Unit) -> bool:
    """The unit is one of an act's transitional provisions (lexicon.TRANSITIONAL): under that heading, or saying
    when the act or an amendment enters into force."""
    section = unit.hit.chunk.section or ""
    return "övergångsbestämmelse" in section.lower() or bool(lexicon.TRANSITIONAL.search(unit.text))


_NO_PART = "svarar inte på någon av frågans delar"


def gate(unit: Unit, terms: QueryTerms, shape: Shape) -> str:
    """Why no rule and no model may take this unit as the answer, or "" (see _gate); of a question of several
    parts, "" when the unit passes the checks of one of its parts and may answer it (shape.answers_part), the first
    part's reason otherwise."""
    if not shape.parts:
        return _gate(unit, terms, shape)
    reasons = [_gate(unit, terms, part) or ("" if answers_part(part, unit.text) else _NO_PART) for part in shape.parts]
    return "" if "" in reasons else reasons[0]


def _gate(unit: Unit, terms: QueryTerms, shape: Shape) -> str:
    """Why no rule and no model may take this unit as the answer, or "": a question for money gets a
    sum, a who-question someone it does not name itself (unless it offers the choice: "kommunen eller
    företaget?") and not its own verb in the passive with no one doing it, a question for companies a
    name, a template's fill-in field, a form to sign, a letterhead and a title line say nothing, a
    sentence about the document answers only a question about the document (its decision lines,
    "Dokumentet ersätter: …", only one about who decided or owns it, what it replaces or how long it
    applies; what it is for, "Syftet med rutinen är …", only what something is or why), and what a
    follow-up swaps in ("samma sak på kortis") is named by the unit itself."""
    if not names_a_sum(shape, unit.text, unit.hit.chunk.section or ""):
        return "saknar belopp"
    why = no_statement(unit, terms)
    if why:
        return why
    if transitional(unit) and not lexicon.TRANSITION_QUESTION.search(terms.question):
        return "övergångsbestämmelse"
    if not figure_about_subject(unit, terms, shape) and not in_named_paragraph(unit.hit, terms.question):
        # In the paragraph the question names, the asker has said what its figure is of ("Inom vilka
        # beloppsgränser ... enligt 21 kap. 9 § ...?" and "... ska uppgå till lägst 10 000 kronor").
        return "uppgiften står inte i en mening om det som efterfrågas"
    if shape.who and not shape.choice and not names_someone_new(with_heading_actors(unit), terms):
        return "nämner ingen ny aktör"
    if shape.who and agentless(unit.text, terms) and not opens_with_someone_new(unit.text, terms):
        return "säger inte vem"
    if shape.organisation and not names_someone_new(unit.text, terms, by_name=True):
        return "nämner inget företag"
    parts = unit.parts or [unit]
    about = any(lexicon.ABOUT_THE_DOCUMENT.match(u.text) for u in parts)
    about = about or all(lexicon.SCOPE_OF_THE_DOCUMENT.match(u.text) for u in parts)
    if about and not lexicon.ASKS_ABOUT_THE_DOCUMENT.search(terms.question):
        return "beskriver dokumentet"
    purpose = any(lexicon.DOCUMENT_PURPOSE.match(u.text) for u in parts)
    if purpose and not lexicon.ASKS_WHAT_OR_WHY.search(terms.question):
        return "säger vad dokumentet är till för"
    decision = is_decision_line(unit.text) or lexicon.GLUED_DECISION_LINE.search(unit.text)
    if decision and not asks_about_the_decision(terms.question):
        return "dokumentets beslutsrader"
    if not decision and opening_field(unit) and not (shape.asks_for_a_value and type_ok(shape, unit.text)):
        return "uppgift om dokumentet"
    if lexicon.WEB_ADDRESS.search(unit.text) and (
        lexicon.SOURCE_LABEL.match(unit.text) or len(lexicon.WEB_ADDRESS.sub(" ", unit.text).split()) < WEB_LINE_WORDS
    ):
        return "en webbadress"
    for i, t in enumerate(terms.terms):
        if t.emphasis and terms.level(i, unit.stems) < 0.6:
            return f"nämner inte {t.word}"
    return ""
