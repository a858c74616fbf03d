"""Small Swedish language helpers for lint: who a sentence binds, and whether it is normative.

Sentences are analysed in lowercase. The actor of a sentence is the party that its first
modal verb ("ska", "bör", "kan" ...) applies to: the word right after the modal in inverted
order ("Vid brister kan socialnämnden ..."), else the noun phrase just before it
("Sökanden bör ...", "Kommunens egen regi behöver inte ...").
"""

from __future__ import annotations

import re
from typing import Literal

Actor = Literal["provider", "municipality", "citizen"]

_WORD = re.compile(r"[\wåäöéü]+(?:-[\wåäöéü]+)*|[,;:()]")

PROVIDER_WORDS = re.compile(
    r"^(?:utförar(?:en|e|na)|leverantör(?:en|er|erna)?|sökande(?:n)?|anbudsgivar(?:en|e|na)|"
    r"entreprenör(?:en|er|erna)?|uppdragstagar(?:en|e|na)|\w*personal(?:en)?|medarbetar(?:e|na)|"
    r"anställd(?:a)?|verksamhetschef(?:en)?|föreståndar(?:en|e)|enhetschef(?:en)?|"
    r"egenregin|ansökan|anbudet|anbud|konsult(?:en|er|erna)?|ramavtalsleverantör(?:en|er|erna)?|"
    r"verksamhet(?:en|erna)|enhet(?:en|erna)|boendestöd(?:et)?|hemtjänst(?:en)?|korttidsboende(?:t)?|"
    r"gruppbostad(?:en|erna)?|servicebostad(?:en|erna)?|säljar(?:en|e)|koncessionshavar(?:en|e))$"
)
MUNICIPALITY_WORDS = re.compile(
    r"^(?:kommun(?:en)?|region(?:en)?|\w*nämnd(?:en|erna)?|beställar(?:en|e)|förvaltning(?:en)?|"
    r"myndighet(?:en)?|\w*fullmäktige|\w*handläggar(?:en|e|na)|huvudman(?:nen)?|kommunstyrelsen|"
    r"regionstyrelsen|upphandlaren|\w+s kommun|um|köpar(?:en|e)|inköpscentral(?:en)?|uppdragsgivar(?:en|e))$"
)
CITIZEN_WORDS = re.compile(
    r"^(?:enskild(?:e|a)?|brukar(?:en|e|na)|kund(?:en|er|erna)|medborgar(?:en|e|na)|patient(?:en|er|erna)|"
    r"deltagar(?:en|e|na)|elev(?:en|er|erna)|vårdnadshavar(?:en|e|na)|närstående|anhörig(?:a)?|"
    r"boende|hyresgäst(?:en|er)?|individ(?:en)?|personen|allmänheten)$"
)
MODALS = re.compile(r"^(?:ska|skall|måste|bör|kan|får|behöver|förväntas|ansvarar|åtar|förbinder|åligger|äger)$")
# Words that may sit between an inverted modal and its subject ("kan dock utföraren").
_INVERSION_FILLERS = {"dock", "även", "också", "alltid", "därför", "då", "därefter", "endast", "bara", "inte", "ej"}
# Words that end the noun phrase before a modal: the subject cannot lie beyond them.
_PHRASE_BREAKS = {",", ";", ":", "(", ")", "som", "att", "om", "när", "där", "då", "eftersom", "innan", "och"}

NORMATIVE = re.compile(
    r"\b(?:ska|skall|måste|bör|åligger|ansvarar för|åtar sig|förbinder sig|är skyldig|krävs|"
    r"får inte|får ej|förväntas|följs upp|följer upp|följas upp)\b"
)


def words(text: str) -> list[str]:
    """Lowercase tokens: words and the punctuation that breaks phrases."""
    return _WORD.findall(text.lower())


def classify(token: str, previous: str = "") -> Actor | None:
    """The party a single token names, using the previous token for "egen regi"."""
    if token == "regi" and previous in ("egen", "egna"):
        return "provider"
    if token == "enskilde" or token == "enskilda":
        return "citizen"
    if PROVIDER_WORDS.match(token):
        return "provider"
    if MUNICIPALITY_WORDS.match(token):
        return "municipality"
    if CITIZEN_WORDS.match(token):
        return "citizen"
    return None


def actor_at(tokens: list[str], index: int) -> Actor | None:
    """Actor of the modal at `tokens[index]`: inverted subject first, then the phrase before it."""
    j = index + 1
    while j < len(tokens) and tokens[j] in _INVERSION_FILLERS:
        j += 1
    if j < len(tokens):
        after = classify(tokens[j], tokens[j - 1])
        if after is None and tokens[j] in ("den", "det", "de") and j + 1 < len(tokens):
            after = classify(tokens[j + 1], tokens[j])
        if after is None and j + 1 < len(tokens) and tokens[j] == "egen":
            after = classify(tokens[j + 1], tokens[j])
        # Swedish is verb-second: a party named right after the modal is its subject.
        if after is not None:
            return after
    return _actor_before(tokens, index)


# A party after one of these is not the subject ("beställningen till utföraren kan …", "i en servicebostad kan …").
_PREPOSITIONS = {"till", "i", "på", "hos", "åt", "från", "med", "för", "vid", "inom", "utan", "mot", "enligt"}
_ARTICLES = {"en", "ett", "den", "det", "de"}


def _actor_before(tokens: list[str], index: int) -> Actor | None:
    for k in range(index - 1, max(-1, index - 5), -1):
        if tokens[k] in _PHRASE_BREAKS and tokens[k] != "och":
            return None
        found = classify(tokens[k], tokens[k - 1] if k else "")
        if found is not None:
            head = k - 1 if k and tokens[k - 1] in _ARTICLES else k
            if head and tokens[head - 1] in _PREPOSITIONS:
                continue
            return found
    return None


def sentence_actor(text: str) -> Actor | None:
    """The party bound by the sentence's first modal verb, else the first party named."""
    tokens = words(text)
    for i, token in enumerate(tokens):
        if MODALS.match(token):
            found = actor_at(tokens, i)
            if found is not None:
                return found
            break
    for i, token in enumerate(tokens):
        found = classify(token, tokens[i - 1] if i else "")
        if found is not None:
            return found
    return None


def is_normative(text: str) -> bool:
    """True when the sentence states an obligation, prohibition or follow-up (lowercase text)."""
    return bool(NORMATIVE.search(text))
