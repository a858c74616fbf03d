"""What OCR text needs before it joins the pipeline: "§" repaired, and where its lines ended up after cleaning.

Pure functions on strings, table-tested in tests/test_ocr.py; assistant/ocr.py runs Tesseract.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from assistant.models import LayoutLine

if TYPE_CHECKING:
    from assistant.ocr import OcrLine

# --- "§" ----------------------------------------------------------------------------------------

# What Tesseract's swe model makes of "§" (and "§§"), which it cannot read: "$", "$&", "&$", "8", "88",
# "&". A token is one of these alone between spaces; "$" after a section number is always "§"; "8" and
# "&" only where a law reference or a protokoll's "§ 45" makes it certain.
_SIGN = r"(?P<sign>\$\$|88|\$&|&\$|\$|&|8)(?=[\s,.;:)]|$)"
_NUMBER = r"\b\d{1,3}\s?[a-z]?\s+"
_LAW_AFTER = (
    r"(?=\s+(?:KL|LOV|LOU|LUF|LUK|SoL|LSS|HSL|OSL|PSL|FL|TF|RF|GDPR|[a-zåäö]*lag(?:en|ens)?\b|[a-zåäö]*förordningen\b"
    r"|i\s+(?:lagen|förordningen)\b|första|andra|tredje|fjärde|femte|sjätte))"
)
_SIGN_AFTER_CHAPTER = re.compile(rf"(?<=\bkap\.\s)(?P<head>\d{{1,3}}\s?[a-z]?\s+){_SIGN}")
_SIGN_BEFORE_LAW = re.compile(rf"(?P<head>{_NUMBER}){_SIGN}{_LAW_AFTER}")
_SIGN_AFTER_NUMBER = re.compile(rf"(?P<head>{_NUMBER})(?P<sign>\$\$|\$&|&\$|\$)(?=[\s,.;:)]|$)")
# "§ 45" numbering a decision in a protokoll: at a line's start, after "(" or ", ", before the number.
_SIGN_BEFORE_NUMBER = re.compile(
    r"(?m)(?:^|(?<=[(,]\s)|(?<=\())(?P<sign>8|\$|&)(?=\s?\d{1,3}(?:\s?[-–—]\s?\d{1,3})?(?:[,.)]|\s+[A-ZÅÄÖ]))"
)


def fix_section_signs(text: str) -> str:
    """Turn OCR misreadings of "§" back into "§" where a law reference or a protokoll paragraph makes it certain."""

    def sign(match: re.Match[str]) -> str:
        doubled = match["sign"] in ("$$", "88")
        return (match.groupdict().get("head") or "") + ("§§" if doubled else "§")

    for pattern in (_SIGN_AFTER_CHAPTER, _SIGN_BEFORE_LAW, _SIGN_AFTER_NUMBER, _SIGN_BEFORE_NUMBER):
        text = pattern.sub(sign, text)
    return text


# --- where the lines went after cleaning --------------------------------------------------------


def place_lines(lines: Sequence[OcrLine], cleaned: str, offset: int, page: int) -> list[LayoutLine]:
    """Each OCR line's span in the cleaned page text (which starts at `offset` in the document).

    Cleaning joins hyphenated words and drops running headers, so the line's words are aligned to the
    cleaned words; a line whose words were all dropped gets no span.
    """
    raw_words: list[tuple[int, str]] = []  # (line index, word)
    for i, line in enumerate(lines):
        raw_words.extend((i, _norm(word)) for word in line.text.split())
    clean = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", cleaned)]
    matcher = SequenceMatcher(None, [w for _, w in raw_words], [w for *_, w in clean], autojunk=False)
    spans: dict[int, tuple[int, int]] = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "insert"):
            continue
        for r in range(i1, i2):
            c = j1 + (r - i1) * (j2 - j1) // (i2 - i1)  # replace blocks: spread the raw words over the clean ones
            line = raw_words[r][0]
            start, end = clean[c][0], clean[c][1]
            if line in spans:
                start, end = min(start, spans[line][0]), max(end, spans[line][1])
            spans[line] = (start, end)
    return [
        LayoutLine(
            page=page,
            start=offset + spans[i][0],
            end=offset + spans[i][1],
            bbox=lines[i].bbox,
            confidence=lines[i].confidence,
        )
        for i in sorted(spans)
    ]


def _norm(word: str) -> str:
    return unicodedata.normalize("NFC", word)


def glued_sign(word: str, confidence: float, opens: bool) -> str:
    """The word, or "§ 45" where Tesseract glued a misread "§" to a protokoll paragraph number ("845", "$45").

    "8" is taken for "§" only when Tesseract doubted the word (`confidence` below 60 of 100) and the word
    `opens` the line or follows "," or "(".
    """
    match = _GLUED_SIGN.match(word)
    if not match:
        return word
    if match["sign"] == "$" or (opens and confidence < 60):
        return f"§ {match['rest']}"
    return word


_GLUED_SIGN = re.compile(r"^(?P<sign>[8$])(?P<rest>\d{1,3}(?:[-–—]\d{1,3})?[.,)]?)$")
