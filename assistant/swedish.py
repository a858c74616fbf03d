"""Whether a word is Swedish: the Hunspell dictionary of the hunspell-sv package, read without a Hunspell engine.

The speller (wording.correct) reads a word the documents lack as the documents' word one typing error away. A word
the documents lack may still be good Swedish ("vaknar", "spolas", "mammas"), and is then no typing error; this
dictionary tells the two apart. The package installs sv_SE.dic (stems with affix flags) and sv_SE.aff (suffix rules,
compound flags, common misspellings) under the environment's share/hunspell. What the speller asks is only whether a
lowercase word is a stem, a stem with one suffix (sv_SE has no prefixes, and its suffixes continue only with
compound flags), or a compound of such parts (COMPOUNDBEGIN, COMPOUNDMIDDLE, COMPOUNDEND, ONLYINCOMPOUND), not
forbidden (FORBIDDENWORD) and not a common misspelling of a word (CHECKCOMPOUNDREP). That is read here.

Measured 2026-12-04 against spylls 0.1.7 (a complete Hunspell in Python) on the same files: 3,000 words sampled from
the vocabulary of corpus + library, the 934 words of the questions of qa_people, qa_dev and qa_extra, and 232 words
with a typing error (eval/wrapped_questions.mistype): no word judged differently. spylls took 2 s and 230 MB to load;
this takes 0.2 s and about 70 MB, and 0.1 ms a word.
"""

from __future__ import annotations

import re
import sysconfig
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

_MAX_PARTS = 4  # COMPOUNDWORDMAX
_MIN_PART = 2  # COMPOUNDMIN
# Longer "words" are no Swedish (the longest in corpus + library has 31 letters), and reading them as compounds
# costs the square of their length: a 5,000-letter string took seconds.
MAX_LETTERS = 50


class Dictionary:
    """A Hunspell dictionary's stems and suffix rules (sv_SE: single-character flags, no prefixes)."""

    def __init__(self, dic: Path, aff: Path):
        settings: dict[str, str] = {}
        rules: dict[str, list[tuple[str, str, re.Pattern[str], frozenset[str]]]] = defaultdict(list)
        replacements: list[tuple[str, str]] = []
        for line in aff.read_text("utf-8").splitlines():
            fields = line.split()
            if len(fields) == 1 and fields[0].isupper():
                settings[fields[0]] = "on"
            elif len(fields) == 2 and fields[0].isupper():
                settings[fields[0]] = fields[1]
            elif len(fields) >= 5 and fields[0] == "SFX":
                flag, strip, add, condition = fields[1], fields[2], fields[3], fields[4]
                add, _, cont = add.partition("/")
                strip, add = ("" if strip == "0" else strip), ("" if add == "0" else add)
                rules[add].append((flag, strip, re.compile(f"(?:{condition})$"), frozenset(cont)))
            elif len(fields) >= 3 and fields[0] == "REP" and not any(c in fields[1] + fields[2] for c in "^$_"):
                replacements.append((fields[1], fields[2]))  # not the anchored ones nor those with spaces ("_")
        self._rules = dict(rules)
        self._begin = settings.get("COMPOUNDBEGIN", "")
        self._middle = settings.get("COMPOUNDMIDDLE", "")
        self._end = settings.get("COMPOUNDEND", "")
        self._only_in_compound = settings.get("ONLYINCOMPOUND", "")
        self._need_affix = settings.get("NEEDAFFIX", "")
        self._forbidden = settings.get("FORBIDDENWORD", "")
        # CHECKCOMPOUNDREP: a compound is no word when a common misspelling (REP) of it is a word.
        self._replacements = tuple(replacements) if "CHECKCOMPOUNDREP" in settings else ()
        # A word may stand twice with different flags (homonyms: "färsk/XZ", "färsk/kOPQ"); each is read alone.
        flags: dict[str, tuple[str, ...]] = {}
        for line in dic.read_text("utf-8").splitlines()[1:]:
            word, _, fl = line.split("\t")[0].strip().partition("/")
            if word:
                flags[word] = flags.get(word, ()) + (fl,)
        self._flags = flags

    def _forms(self, word: str):
        """(flags of the stem, flags the suffix adds, whether a suffix was taken) for each reading of `word`."""
        for own in self._flags.get(word, ()):
            yield own, "", False
        for cut in range(len(word) + 1):
            for flag, strip, condition, cont in self._rules.get(word[cut:], ()):
                stem = word[:cut] + strip
                for stem_flags in self._flags.get(stem, ()):
                    if flag in stem_flags and condition.search(stem):
                        yield stem_flags, "".join(cont), True

    def _alone(self, word: str) -> bool:
        for stem_flags, cont, suffixed in self._forms(word):
            if self._forbidden and self._forbidden in stem_flags:
                continue
            if self._only_in_compound and self._only_in_compound in (cont if suffixed else stem_flags):
                continue
            if not suffixed and self._need_affix and self._need_affix in stem_flags:
                continue
            return True
        return False

    def _part(self, word: str, position: str) -> bool:
        """`word` may stand at `position` (begin, middle or end) of a compound."""
        flag = {"begin": self._begin, "middle": self._middle, "end": self._end}[position]
        for stem_flags, cont, suffixed in self._forms(word):
            if self._forbidden and self._forbidden in stem_flags:
                continue
            if position == "end" and flag in stem_flags:
                return True
            if position != "end" and flag in (cont if suffixed else stem_flags):
                return True
        return False

    def _compound(self, word: str, parts: int = 1) -> bool:
        for cut in range(_MIN_PART, len(word) - _MIN_PART + 1):
            head, tail = word[:cut], word[cut:]
            if not self._part(head, "begin" if parts == 1 else "middle"):
                continue
            if self._part(tail, "end") or (parts + 1 < _MAX_PARTS and self._compound(tail, parts + 1)):
                return True
        return False

    def knows(self, word: str) -> bool:
        """`word` is a Swedish word form: a stem, a stem with a suffix, or a compound of them (as written: proper
        names are listed with their capital)."""
        if len(word) > MAX_LETTERS:
            return False
        if self._forbidden and any(self._forbidden in f for f in self._flags.get(word, ())):
            return False  # FORBIDDENWORD: listed as a misspelling ("pareringsplats")
        if self._alone(word):
            return True
        return self._compound(word) and not any(
            self._alone(word[:i] + b + word[i + len(a) :])
            for a, b in self._replacements
            for i in (m.start() for m in re.finditer(re.escape(a), word))
        )


@lru_cache(maxsize=1)
def dictionary() -> Dictionary | None:
    """The sv_SE dictionary of the installed hunspell-sv package (its files under the environment's, the
    prefix's or the user's share/hunspell, as pip put them), or None when it is not installed."""
    schemes = sysconfig.get_scheme_names()
    bases = [sysconfig.get_path("data")]
    bases += [sysconfig.get_path("data", s) for s in ("posix_prefix", "posix_user", "nt_user") if s in schemes]
    for base in dict.fromkeys(bases):
        folder = Path(base) / "share" / "hunspell"
        if (folder / "sv_SE.dic").is_file() and (folder / "sv_SE.aff").is_file():
            return Dictionary(folder / "sv_SE.dic", folder / "sv_SE.aff")
    return None


@lru_cache(maxsize=20_000)
def is_swedish(word: str) -> bool:
    """Whether the Swedish dictionary knows `word`, as written ("Växjö") or in lowercase ("Läkemedelskylen" at the
    start of a sentence); False when no dictionary is installed."""
    found = dictionary()
    return bool(found) and (found.knows(word) or (word != word.lower() and found.knows(word.lower())))
