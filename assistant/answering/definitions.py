"""Whether a sentence says what a term means, the way governance documents and laws define their terms.

A question "Vad är X?" / "Vad betyder X?" (shape.Shape.defines) is answered by the sentence that defines X:
"Maxtaxa är det högsta belopp ...", "Med egen regi avses ...", "Valfrihetssystem: förfarande där ...", a term in
parentheses after what it stands for ("... får inte ingå avtal (avtalsspärr) förrän ..."), an abbreviation spelt
out ("LSS (lag om stöd och service ...)") or put aside between commas ("SIP, samordnad individuell plan, är en
mötesform ..."). shape.type_ok and extractive read it through defines_term.
"""

from __future__ import annotations

import re

from assistant.answering import lexicon
from assistant.answering.forms import stem_level
from assistant.answering.terms import stem, words


def defined_term(question: str) -> str:
    """The term a question asks the meaning of, in any of its parts ("Vad är egen tid? Kostar det något?")."""
    parts = (p.strip() for p in re.findall(r"[^?]+\?|[^?]+$", question))
    m = next((m for p in parts if (m := lexicon.DEFINITION_QUESTION.match(p))), None)
    if not m:
        return ""
    term = m.group("term").lower().split()
    # "ett resursuppdrag enligt avropsvägledningen": the term ends before a preposition
    cut = next((i for i, w in enumerate(term) if w in lexicon.DEFINITION_TERM_END), len(term))
    term = term[:cut]
    if not term or term[0] in lexicon.STOPWORDS or term[0] in lexicon.NOT_A_DEFINED_TERM:
        return ""
    return " ".join(term)


def defines_term(text: str, term: str) -> bool:
    """The text defines the term: "Maxtaxa är ...", "en så kallad maxtaxa", "Med egen regi avses ...",
    "Valfrihetssystem: förfarande där ...". The term's last word stands for it, in any inflection."""
    *lead, head = [stem(w) for w in term.split()]
    tokens = words(text)
    for i, w in enumerate(tokens):
        if stem_level(head, stem(w)) < 0.9:
            continue
        # What stands before the whole term: "Syftet med egen tid är att ..." does not define "egen tid".
        start = i - len(lead) if lead and [stem(t) for t in tokens[max(0, i - len(lead)) : i]] == lead else i
        before = tokens[max(0, start - 3) : start]
        after = tokens[i + 1 : i + 3]
        if _says_what_it_is(before, after):
            return True
        if set(before) & lexicon.DEFINING_BEFORE:
            return True
        if "med" in before and (set(before) | set(after)) & lexicon.DEFINING_VERB:
            return True
        if i == 0 and re.match(r"\s*[\w-]+(?:\s+[\w-]+){0,2}\s*:", text):
            return True
    return _defined_in_parentheses(text, [*lead, head]) or _defined_after_an_aside(text, [*lead, head])


_PARENTHESES = re.compile(r"(?P<before>[\w-]+(?:\s+[\w-]+){0,5})?\s*\((?P<inside>[^()]{1,80})\)")


def _defined_in_parentheses(text: str, term: list[str]) -> bool:
    """The term named in parentheses after what it stands for, the way laws and guidelines introduce their
    terms: "... inte ingå avtal (avtalsspärr) förrän ...", "Samordnad individuell plan (SIP) ska ...",
    "... normala levnadskostnader (förbehållsbelopp)". Or an abbreviation with what it stands for in
    parentheses after it: "LOV (lagen om valfrihetssystem)", its letters the initials of those words."""
    for m in _PARENTHESES.finditer(text):
        inside, before = words(m.group("inside")), (m.group("before") or "").split()
        if _names_term(inside, term):
            # What it stands for is told in common words (after a name, "enligt SoL (Lex Sarah)", the parentheses
            # give another name), in a sentence that goes on or ends there (a title "Riktlinje för samordnad
            # individuell plan (SIP)" names the term but does not say what it is).
            after = text[m.end() :].strip()
            if len(before) >= 2 and before[-1].islower() and after and (words(after) or after[0] in ".;,"):
                return True
        if len(term) == 1 and before and stem(before[-1].lower()) == term[0] and _initials_of(term[0], inside):
            return True
    return False


_ASIDE = re.compile(r"(?P<term>[\w-]+(?:\s+[\w-]+){0,2})\s*,[^,.;:()]{3,80},\s*(?P<rest>(?:[\w-]+\s*){1,2})")


def _defined_after_an_aside(text: str, term: list[str]) -> bool:
    """The term, something said of it between commas, then what it is: "SIP, samordnad individuell plan, är en
    mötesform där ...", "Lex Sarah, som gäller inom socialtjänsten, innebär att ..."."""
    for m in _ASIDE.finditer(text):
        if _names_term(words(m.group("term"))[-len(term) :], term):
            before = words(text[: m.start("term")])[-3:] + words(m.group("term"))[: -len(term)]
            if _says_what_it_is(before, words(m.group("rest"))):
                return True
    return False


def _names_term(found: list[str], term: list[str]) -> bool:
    """The words found are the term's (stemmed) words, one for one, in any inflection."""
    return len(found) == len(term) and all(stem_level(t, stem(w)) >= 0.9 for t, w in zip(term, found, strict=True))


def _initials_of(abbreviation: str, expansion: list[str]) -> bool:
    """The abbreviation's letters start words of the expansion in order, the first of them its first word
    ("lss": "lag om stöd och service till vissa funktionshindrade")."""
    letters = [c for c in abbreviation.lower() if c.isalpha()]
    if len(letters) < 2 or not expansion or not expansion[0].startswith(letters[0]):
        return False
    initials = iter(w[0] for w in expansion)
    return all(any(c == i for i in initials) for c in letters)


def _says_what_it_is(before: list[str], after: list[str]) -> bool:
    """The term is the subject of "är en ...", "innebär", "betyder" ...: "Maxtaxa är det högsta belopp ...",
    "Ett resursuppdrag innebär att ...". Not after a preposition or a conjunction, where it is no subject ("Även
    om LOV innebär att fler utför hemtjänst ...", "Enligt reglerna om jäv är vänskap ..."), nor in "veta vad X
    är"; "är" defines only before what names a kind ("LSS är en rättighetslag"), not before an adjective ("LOV
    är tvingande för regionerna")."""
    if not after or after[0] not in lexicon.DEFINING_AFTER:
        return False
    if before and before[-1] in lexicon.NOT_A_SUBJECT_AFTER:
        return False
    return after[0] != "är" or (len(after) > 1 and after[1] in lexicon.DEFINIENS_START)
