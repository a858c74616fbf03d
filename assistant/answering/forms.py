"""How two forms of one word meet when the Snowball stemmer leaves them apart: inflection it does not strip
("policyn" / "policy"), stems it cuts twice ("kostnader" / "kostnad"), nouns that drop an "e" ("numret" /
"nummer"), compounds and their parts ("avtalsuppföljning" / "uppföljning", "svarstid" / "svar ... tid")."""

from __future__ import annotations

import re

from assistant.analysis import stem as _stem
from assistant.answering import lexicon

# The last letters in which the stems of two forms of one participle differ ("godkänd" / "godkänt", "utsed" / "utset").
_TAILS = frozenset("tdrsnae")


# What the stemmer leaves of an inflection: "policyn", "avtalet", "utförarna", "beslutets", and the
# definite "-an" of a noun in "-a" ("maxtaxan" / "maxtaxa", "blanketten" it strips itself).
_INFLECTION_RESIDUE = frozenset("n t s a e r en et na ar er or ns ts es an".split())


# The first part of a compound with a short head: four letters or more and a linking s ("samverkans|möte",
# "uppsägnings|tid", "handlings|plan"), or a hyphen ("sip-|möte"); not "för|s|lag" or "be|möt".
_LINKED_HEAD = re.compile(r"[a-zåäöéü]{4,}s-?|[a-zåäöéü0-9]{2,}-")


# The Snowball stemmer is not idempotent: it takes "-er" off "kostnader" and "-ad" off "kostnad", so the two forms
# of one word stem apart ("kostnad", "kostn"; "insats", "insat"; "ansvar", "ansv") and meet only when the longer
# stem is stemmed once more (analysis.stem, cached). The shorter must keep RESTEM_MIN letters: "kostn" / "kostnad",
# not "säk" (säker) / "säker" (säkerhet).
RESTEM_MIN = 4


# A noun in "-er" or "-en" drops the "e" in its other forms ("nummer", "numret"; "filter", "filtret"; "vatten",
# "vattnet"; "tecken", "tecknet"): the stemmer gives "numm" and "numret", "filt" and "filtret". The other form is
# the stem's letters before a consonant's "r" or "n" and an ending.
_E_DROPPED_FORM = re.compile(r"([a-zåäöé]*[bcdfghjklmnpqrstvwxz])([rn])(et|en|ets|ens)?")


def _drops_e(short: str, long_: str) -> bool:
    """`long_` is a form of the word whose stem is `short` that drops its "e": "filtret" of "filt" (filter),
    "föräldrar" ("föräldr") of "föräld" (förälder), "numret" of "numm" (nummer, whose "m" is doubled). The part
    before "r" / "n" keeps four letters, so "barn" is not "bar" nor "lagret" "lag"."""
    m = _E_DROPPED_FORM.fullmatch(long_)
    if not m:
        return False
    before = m.group(1)
    if before.endswith("m") and short == before + "m":
        return len(before) >= 3
    return len(before) >= 4 and short == before


def stem_level(q: str, s: str) -> float:
    """How well document stem `s` matches question stem `q` (0..1)."""
    if q == s:
        return 1.0
    if q.isdigit() or s.isdigit():
        return 0.0
    short, long_ = (q, s) if len(q) <= len(s) else (s, q)
    if len(short) >= RESTEM_MIN and _stem(long_) == short:
        return 1.0  # "kostnad" (of "kostnader") / "kostn", "insats" (of "insatser") / "insat"
    if _drops_e(short, long_):
        return 1.0
    if len(q) == 2 and s == q + "r":
        return 1.0  # a two-letter verb in the present tense, which the stemmer leaves whole: "bo" / "bor"
    residue = long_[len(short) :]
    if residue == "are" and long_.startswith(short):
        return 0.0  # the agent noun and its verb: "utförare" is not "utföra", "beställare" not "beställa"
    if long_.startswith(short) and residue in _INFLECTION_RESIDUE and len(short) + min(len(residue), 2) >= 6:
        # Inflection residue the stemmer left ("policyn" / "policy", "syftet" / "syft"), not "personal" /
        # "person"; a four-letter stem needs a two-letter ending ("syft" + "et", not "kort" + "s").
        return 1.0
    if len(q) >= 5 and len(s) >= 5 and q[:-1] == s[:-1] and q[-1] in _TAILS and s[-1] in _TAILS:
        return 0.9  # verb forms the stemmer leaves apart ("angett" / "anger")
    if len(q) >= 5 and len(s) - len(q) >= 2 and ((len(q) >= 6 and s.startswith(q)) or s.endswith(q)):
        return 1.0  # the document's compound contains the question word
    if 3 <= len(q) < 5 and s.endswith(q) and _LINKED_HEAD.fullmatch(s[: -len(q)]):
        return 0.8  # a short word as the head of a compound joined by a linking s or a hyphen ("samverkansmöte")
    if len(s) >= 5 and len(q) - len(s) >= 3:
        if q.endswith(s):
            return 0.6  # the document names the head of the question's compound
        if q.startswith(s):
            return 0.4  # ... or its first part
    if len(q) >= 8 and len(s) >= 8:
        common = 0
        for a, b in zip(reversed(q), reversed(s), strict=False):
            if a != b:
                break
            common += 1
        if common >= 5 and common < min(len(q), len(s)) - 2:
            return 0.3  # two compounds sharing a head ("tjänsteområde" / "ansvarsområde")
    return 0.0


def compound_parts(word: str) -> tuple[frozenset[str], ...]:
    """The ways a compound splits into two words, as stem pairs: "svarstid" -> {svar, tid}, ...

    "Svarstid?" is answered by "Svar ... ska lämnas inom två arbetsdagar om inte längre tid anges", and
    "hemtjänstavgiften" by "avgiften för hemtjänst": a text with both parts names the compound. Every cut
    is offered (with and without a linking s); only a real split finds both its parts in one sentence.
    """
    out: list[frozenset[str]] = []
    for cut in range(4, len(word) - 2):
        tail = word[cut:]
        for head in (word[:cut], word[: cut - 1] if word[cut - 1] == "s" and cut > 4 else None):
            if head and head not in lexicon.STOPWORDS and tail not in lexicon.STOPWORDS:
                out.append(frozenset((_stem(head.lower()), _stem(tail.lower()))))
    return tuple(dict.fromkeys(out))
