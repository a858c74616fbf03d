"""Text helpers shared by every stage: the evaluation's normalisation, sentence splitting and list markers."""

from __future__ import annotations

import re
import unicodedata

_HYPHEN_BREAK = re.compile(r"(\w)-\s*\n\s*(\w)")
_SPACE = re.compile(r"\s+")


def tidy(text: str) -> str:
    """NFC, words hyphenated across a line break joined, whitespace collapsed (case kept)."""
    text = unicodedata.normalize("NFC", text)
    return _SPACE.sub(" ", _HYPHEN_BREAK.sub(r"\1\2", text)).strip()


def normalize(text: str) -> str:
    """Normalise for comparisons, as the evaluation defines it: `tidy`, then lowercase."""
    return tidy(text).lower()


# --- list markers ----------------------------------------------------------------------
# The marks that start a list item, for every stage. cleaning.normalize_bullets turns a symbol font's bullet
# (SYMBOL_BULLET) into "- " before anything else reads a document, so the stages after it need only the typed marks of
# BULLETS ("•" and "›" stay for text that is not cleaned: a draft to lint, a test), an item's number and its letter.
# "»" opens a Swedish quote; only answering.blocks reads "» ", with a space after it, as a bullet.
BULLETS = "-–•›*"
BULLET_MARK = f"[{re.escape(BULLETS)}]"
SYMBOL_BULLET = r"(?:>>|[›•▪●◦■□∙·‣⁃➢➤►▶◆❖✓✔])"  # ">>" and the glyphs of Word's and PDFs' symbol fonts
ITEM_NUMBER = r"\d{1,2}[.)]"  # "9.", "2)"; not a year or a phone number ("2021.", "112.")
ITEM_LETTER = r"[a-zåäö][.)]"  # "b)", "a."
LIST_MARKER = rf"(?:{BULLET_MARK}|{ITEM_NUMBER}|{ITEM_LETTER})"


_SENTENCE_END = re.compile(
    rf"(?<=[.!?:;])\s+(?=[\"”»(]?(?:[A-ZÅÄÖ0-9]|{BULLET_MARK}))|\n\s*\n|\n(?=\s*(?:{BULLET_MARK}|{ITEM_NUMBER}\s))"
)


# A full stop after these does not end a sentence: "5 kap. 3 §", "bl.a. LOV", "t.ex. vite",
# "senast kl. 10:00", "fr.o.m. 1 januari", "s.k. ickevalsalternativ", "tel. 08-...".
_ABBREVIATION_END = re.compile(
    r"(?:\bkap|\bbl\.a|\bt\.ex|\bm\.m|\bresp|\bnr|\bjfr|\bca|\bst|\bp|\bs|\bf\.d|\bo\.s\.v"
    r"|\bkl|\btel|\bfr\.o\.m|\bt\.o\.m|\bs\.k|\bd\.v\.s|\bdvs|\binkl|\bexkl|\bang|\benl)\.$",
    re.I,
)


# A word that only calls attention to the sentence after it ("OBS! Brytdatum är klockan 12.00 ...") is no sentence
# of its own: alone it was an answer's first "sentence" ("OBS [1]! Brytdatum ...").
_LABEL = re.compile(r"(?:obs|observera|notera|viktigt)\s*[!:.]", re.I)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in `text`; list items and paragraphs count as sentences."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start()
        if text[pos:end].strip():
            spans.append(_strip_span(text, pos, end))
        pos = match.end()
    if text[pos:].strip():
        spans.append(_strip_span(text, pos, len(text)))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        previous = text[merged[-1][0] : merged[-1][1]] if merged else ""
        joined = _ABBREVIATION_END.search(previous) or _LABEL.fullmatch(previous)
        if merged and joined and "\n\n" not in text[merged[-1][1] : start]:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>!#|])")


def md_literal(text: object) -> str:
    """Draft or document text as one line of literal Markdown text.

    A Markdown viewer would otherwise run raw HTML from the text, turn `[x](javascript:…)` into a
    link and `![x](http://…)` into an image fetched on opening; backslash escapes show them as written.
    """
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text or "").split()))
