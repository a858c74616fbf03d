"""Pure text-cleaning functions for extracted document text.

Every function takes and returns a string (or a list of page strings) and keeps the
text verbatim apart from the artefact it targets: evaluation quotes are matched
against the cleaned text after only hyphen joining, whitespace collapsing and lowercasing.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from assistant.text import LIST_MARKER, SYMBOL_BULLET

# --- small, always-safe normalisations -------------------------------------------------


def normalize_unicode(text: str) -> str:
    """NFC-normalise, unify line endings and drop NULs, soft hyphens and zero-width chars."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    # Soft hyphens and zero-width characters are invisible in the source but break word matching;
    # other control characters (C0 except tab and newline, C1) are residue of conversions.
    return re.sub("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u00ad\u200b\u200c\u200d\u2060\ufeff]", "", text)


# Private-use code points: PDF converters leave Symbol/Wingdings bullets as U+F0xx glyphs.
_PRIVATE_USE_LINE_START = re.compile(r"^([ \t]*)[\ue000-\uf8ff]+[ \t]*(?=\S)", re.MULTILINE)
# A bullet glyph alone on its line, its item on the next (non-blank) line.
_PRIVATE_USE_OWN_LINE = re.compile(r"^([ \t]*)[\ue000-\uf8ff]+[ \t]*\n(?:[ \t]*\n)?[ \t]*(?=\S)", re.MULTILINE)
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]+")


def normalize_glyphs(text: str) -> str:
    """Private-use glyphs: at the start of a line they were bullets ("- "); elsewhere they are dropped."""
    text = _PRIVATE_USE_OWN_LINE.sub(r"\1- ", text)
    text = _PRIVATE_USE_LINE_START.sub(r"\1- ", text)
    return _PRIVATE_USE.sub("", text)


_FORM_LINE = re.compile(r"^[ \t_.…]*_{3,}[ \t_.…]*$", re.MULTILINE)
_FORM_FIELD = re.compile(r"_{4,}")


def strip_form_lines(text: str) -> str:
    """Fill-in lines of forms: a line of underscores goes, a long run inside a line becomes "___"."""
    return _FORM_FIELD.sub("___", _FORM_LINE.sub("", text))


def strip_trailing_spaces(text: str) -> str:
    """Remove spaces and tabs at the end of every line."""
    return re.sub(r"[ \t\u00a0]+$", "", text, flags=re.MULTILINE)


_BLANK_RUN = re.compile(r"\n(?:[ \t]*\n){2,}")


def collapse_blank_lines(text: str) -> str:
    """Collapse runs of two or more blank lines into a single blank line."""
    return _BLANK_RUN.sub("\n\n", text)


# --- hyphenation across line breaks ---------------------------------------------------

# Words after a suspended compound ("individ- och familjeomsorg"): the hyphen is real.
_CONJUNCTIONS = {"och", "eller", "samt", "respektive", "resp", "som", "till", "men", "utan", "liksom"}
_HYPHEN_LINE_END = re.compile(r"(?P<left>[^\W\d_]+)-[ \t]*\n[ \t]*(?P<right>[^\W\d_]+)")
_TRIPLE = re.compile(r"([bcdfghjklmnpqrstvwxz])\1\1", re.I)


def _join_hyphen(match: re.Match[str], vocabulary: set[str]) -> str:
    left, right = match["left"], match["right"]
    # Old Swedish hyphenation restores a dropped consonant: "till-\nlåtna" is "tillåtna".
    closed = _TRIPLE.sub(r"\1\1", left + right)
    if closed.lower() in vocabulary:
        return closed
    if f"{left}-{right}".lower() in vocabulary:
        return f"{left}-{right}"
    if right.lower() in _CONJUNCTIONS or not right[0].islower():
        # "Vård-\noch omsorg" or "Botkyrka-\nKommun": keep the hyphen and the break.
        return match[0]
    if left.isupper() and len(left) > 1:
        # Acronym compounds ("LOV-\nsystemet", "IT-\nkonsult"): the hyphen is part of the word.
        return f"{left}-{right}"
    return closed


def join_hyphenated(text: str) -> tuple[str, int]:
    """Join words split by a hyphen at a line break ("in-\\nförande" -> "införande").

    The rest of the second line is pulled up onto the first. A word the document also spells
    unbroken ("eftersom") or with a hyphen ("e-post") is written that way; otherwise suspended
    compounds ("vård-\\noch") and acronym compounds ("LOV-systemet") keep their hyphen.
    Returns the text and the number of line breaks removed.
    """
    vocabulary = {word.lower() for word in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", text)}
    joined = 0

    def repl(match: re.Match[str]) -> str:
        nonlocal joined
        out = _join_hyphen(match, vocabulary)
        if out != match[0]:
            joined += 1
        return out

    return _HYPHEN_LINE_END.sub(repl, text), joined


# --- table of contents ---------------------------------------------------------------

# A title, a leader of 4+ dots (optionally spaced or as ellipses) and a page number.
_TOC_LINE = re.compile(r"^[ \t]*\S.*?(?:\.[ \t]?){4,}[ \t]*\d{1,4}[ \t]*$|^[ \t]*\S.*?…{2,}[ \t]*\d{1,4}[ \t]*$")


def drop_toc_lines(text: str) -> tuple[str, int]:
    """Drop table-of-contents lines with dot leaders ("Inledning ........ 3")."""
    kept, dropped = [], 0
    for line in text.split("\n"):
        if _TOC_LINE.match(line):
            dropped += 1
            continue
        kept.append(line)
    return "\n".join(kept), dropped


# --- footnote digits and chapter markers ----------------------------------------------

_SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# Superscript digits count as word characters for `re`, so exclude them from the lookbehind.
_FOOTNOTE = re.compile(rf"(?<=[^\W\d_{_SUPERSCRIPT}]|[.,;:)”\"])[{_SUPERSCRIPT}]+")
_CHAPTER_MARKER = re.compile(r"\bKAPITEL[ \t]*(\d+)\b")


def detach_footnote_digits(text: str) -> tuple[str, int]:
    """Remove superscript footnote digits glued to words ("program⁴" -> "program").

    Also turns chapter markers like "KAPITEL1" into "Kapitel 1". Returns text and footnotes removed.
    """
    text, removed = _FOOTNOTE.subn("", text)
    text = _CHAPTER_MARKER.sub(r"Kapitel \1", text)
    return text, removed


# --- bullets ---------------------------------------------------------------------------

# A symbol font's bullet (text.SYMBOL_BULLET) becomes "- "; "»" is left alone, it opens Swedish quotes.
# (Private-use glyphs are handled by normalize_glyphs.)
# "o " before a capital is Word's second-level bullet as text extraction leaves it ("o Ring 112 om möjligt").
_BULLET = re.compile(rf"^([ \t]*)(?:{SYMBOL_BULLET}|o(?=[ \t]+[A-ZÅÄÖ]))[ \t]*(?=\S)", re.MULTILINE)


# A bullet alone on its line, its item on the next: how PDF and Word extraction often leave a list
# ("Läkaren ansvarar för att:" / "•" / "i samband med inflyttning ..."); 4,804 such lines in the real library.
_MARKER_LINE = rf"^([ \t]*)(?:-|{SYMBOL_BULLET})[ \t]*\n"  # a bullet alone on its line
_BULLET_OWN_LINE = re.compile(_MARKER_LINE + r"[ \t]*(?=\S)", re.MULTILINE)


# A bullet alone on its line before a numbered section heading ("•" / "2.1.3 Huvudsakliga arbetsuppgifter") is a
# marker that the PDF's text extraction put out of order: it belongs to an item near the heading, not to the heading.
# Joined to the heading, it made the heading an item of the list before it. Three of the six tender PDFs of the shared
# corpus have ten such headings and no such item; the real library has none.
_BULLET_BEFORE_HEADING = re.compile(
    _MARKER_LINE + r"(?=[ \t]*\d{1,2}(?:\.\d{1,2})+\.?[ \t]+[A-ZÅÄÖ][^\n]*[^\s.:;,!?]$)", re.MULTILINE
)


def normalize_bullets(text: str) -> str:
    """Replace bullet glyphs at line start with "- ", joining a bullet alone on its line to its item."""
    text = _BULLET_BEFORE_HEADING.sub("", text)
    return _BULLET.sub(r"\1- ", _BULLET_OWN_LINE.sub(r"\1- ", text))


# --- running headers and footers -------------------------------------------------------

_PAGE_COUNTER = re.compile(
    r"^(?:sida[ \t]+\d+(?:[ \t]*(?:av|/|\()[ \t]*\d+\)?)?"  # Sida 3 av 12, Sida 3 (12)
    r"|\d+[ \t]*(?:\[\d+\]|\(\d+\)|/[ \t]*\d+|av[ \t]+\d+)"  # 2 [24], 3 (12), 3/12, 3 av 12
    r"|[-–]?[ \t]*\d{1,4}[ \t]*[-–]?)$",  # 3, - 3 -
    re.IGNORECASE,
)


def is_page_counter(line: str) -> bool:
    """True for page-number lines: "2 [24]", "Sida 3 av 12", "3 (12)", "- 3 -", "7"."""
    return bool(_PAGE_COUNTER.match(line.strip()))


def _header_keys(line: str, page: int, total: int) -> set[str]:
    # Running headers differ between pages only by the page number (and count), so compare the line
    # with those masked; also unmasked, since masking "14" in a time "14:32" on page 14 breaks the match.
    plain = " ".join(line.split()).lower()
    masked = plain
    for number in {page, total}:
        masked = re.sub(rf"(?<!\d){number}(?!\d)", "#", masked)
    return {plain, masked}


def drop_running_headers(pages: list[str], zone: int = 4) -> tuple[list[str], int]:
    """Drop lines that recur at the top or bottom of many pages, and page counters there.

    A line counts as a running header/footer when, with its page number masked, it is among the
    first or last `zone` non-blank lines of at least half the pages (and of at least two) and does
    not end like a sentence. Returns the cleaned pages and the number of lines dropped.
    """
    total = len(pages)
    if total < 2:
        return pages, 0
    split = [page.split("\n") for page in pages]
    seen: Counter[str] = Counter()
    for number, lines in enumerate(split, start=1):
        seen.update(set().union(*(_header_keys(line, number, total) for _, line in _edge_lines(lines, zone))))
    needed = max(2, (total + 1) // 2)
    repeated = {key for key, count in seen.items() if count >= needed and _could_be_running_header(key)}
    out, dropped = [], 0
    for number, lines in enumerate(split, start=1):
        edge = {i for i, _ in _edge_lines(lines, zone)}
        kept = []
        for i, line in enumerate(lines):
            if i in edge and (_header_keys(line, number, total) & repeated or is_page_counter(line)):
                dropped += 1
                continue
            kept.append(line)
        out.append("\n".join(kept))
    return out, dropped


def _could_be_running_header(key: str) -> bool:
    # Sentences and questions recur on short pages too ("Svar: ja."); headers do not end like that.
    return bool(key.strip()) and len(key) <= 120 and not key.rstrip().endswith((".", "?", "!"))


def _edge_lines(lines: list[str], zone: int) -> list[tuple[int, str]]:
    nonblank = [(i, line) for i, line in enumerate(lines) if line.strip()]
    if len(nonblank) <= 2 * zone:
        return nonblank
    return nonblank[:zone] + nonblank[-zone:]


_LIST_ITEM = re.compile(rf"^(?:{SYMBOL_BULLET}|{LIST_MARKER})\s")  # read before normalize_bullets
_SENTENCE_END = re.compile(r"[.!?:;,]$")
_NUMBERED_HEADING = re.compile(r"^\d+(?:\.\d+)*\.?\s+\D")
_ISO_DATE_LINE = re.compile(r"^\d{4}-\d\d-\d\d$")
# A line ending in one of these is the start of a sentence wrapped onto the next line.
_FUNCTION_WORDS = {
    "att",
    "om",
    "för",
    "och",
    "som",
    "i",
    "på",
    "av",
    "med",
    "till",
    "eller",
    "de",
    "den",
    "det",
    "en",
    "ett",
}
# Finite verbs that mark a line as a statement ("När förfarandet får användas"), not a header.
_VERBS = {"ska", "skall", "får", "kan", "bör", "måste", "är", "har", "blir", "var", "skulle", "kommer", "gäller"}
# Page counters that state the page count too; bare numbers could be table values.
_TEXT_PAGE_COUNTER = re.compile(r"^(?:sida\s+)?\d{1,4}\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|av\s+\d{1,4})$", re.I)
_SLASH_COUNTER = re.compile(r"^(\d{1,3})\s*/\s*(\d{1,3})$")


def _is_text_page_counter(line: str) -> bool:
    """ "2 [24]", "Sida 3 av 12", "3 (12)", and "2/4" on a line of its own when it can be page 2 of 4."""
    if _TEXT_PAGE_COUNTER.match(line):
        return True
    slash = _SLASH_COUNTER.match(line)
    return bool(slash) and 1 <= int(slash.group(1)) <= int(slash.group(2))


def _is_header_like(line: str) -> bool:
    """A short line that could be a running header: not a list item, sentence, heading or table row."""
    stripped = line.strip()
    if stripped.startswith("#"):
        # Converters turn page headers like "BOTKYRKA KOMMUN" into headings; real headings are mixed case.
        body = stripped.lstrip("#").strip()
        return len(body) >= 4 and body.isupper()
    if not 4 <= len(stripped) <= 90 or not (stripped[0].isupper() or stripped[0].isdigit() or stripped[:2] == "**"):
        return False
    if _LIST_ITEM.match(stripped) or _NUMBERED_HEADING.match(stripped) or _SENTENCE_END.search(stripped):
        return False
    if stripped.startswith(("|", "(")) or stripped.endswith(("{", "[", "(", "|")):
        return False
    words = stripped.lower().split()
    if words[-1] in _FUNCTION_WORDS or _VERBS.intersection(words[1:] if len(words) > 2 else words):
        return False
    return len(words) >= 2 or bool(_ISO_DATE_LINE.match(stripped))


# How far (in lines) from a copy of an all-caps heading the residue of a page break is looked for.
_PAGE_ZONE = 4
# A checklist's column heads ("## JA         NEJ" over every block of questions): the answers to tick, no section.
_ANSWER_COLUMNS = re.compile(r"^#+\s*(?:(?:ja|nej|vet\s+ej|ej\s+aktuellt)\s*)+$", re.IGNORECASE)


def _beside_page_breaks(lines: list[str], key: str) -> bool:
    """Most copies of the line have a page counter or a date line within _PAGE_ZONE lines: where a page broke."""
    copies = [i for i, line in enumerate(lines) if line == key]
    beside = sum(
        any(
            _is_text_page_counter(lines[j]) or _ISO_DATE_LINE.match(lines[j])
            for j in range(max(0, i - _PAGE_ZONE), min(len(lines), i + _PAGE_ZONE + 1))
            if j != i
        )
        for i in copies
    )
    return 2 * beside >= len(copies)


def drop_repeated_lines(text: str, min_count: int = 3) -> tuple[str, int]:
    """Drop running headers from text that lost its page breaks.

    Removes exact repeats of short header-like lines occurring at least `min_count` times (the
    first occurrence is kept: it is often the real heading, unless it is an all-caps Markdown
    heading like "## BOTKYRKA KOMMUN") and page counters like "2 [24]". An all-caps heading counts as a
    running header only where its copies stand beside page breaks (_beside_page_breaks): a form or a
    template repeats its own all-caps sections ("## LOKAL RUTIN", "## VEM GÖR VAD?", "## KVÄLLSPERSONAL:___")
    between the text they head, and those stay, every copy; a checklist's repeated column heads ("## JA NEJ") go.
    Returns text and the number of lines dropped.
    """
    lines = text.split("\n")
    keys = [" ".join(line.split()) for line in lines]
    counts = Counter(key for key, line in zip(keys, lines, strict=True) if _is_header_like(line))
    repeated = {
        key
        for key, count in counts.items()
        if count >= min_count
        and (not key.startswith("#") or _ANSWER_COLUMNS.match(key) or _beside_page_breaks(keys, key))
    }
    kept, seen, dropped = [], set(), 0
    for key, line in zip(keys, lines, strict=True):
        if _is_text_page_counter(key):
            dropped += 1
            continue
        if key in repeated:
            # An all-caps page header turned into a heading is never the real heading: drop every copy.
            if key in seen or key.startswith("#"):
                dropped += 1
                continue
            seen.add(key)
        kept.append(line)
    return "\n".join(kept), dropped


# An act's text where each paragraph ends with the heading of the next one ("**2 §** Socialnämnden ska ... enligt denna
# lag eller annan författning. Lämna förslag till kommunfullmäktige" before "**3 §** ..."): in the riksdagen text of
# the socialtjänstlag (2025:400) 184 headings are so glued. A short capitalised tail after the paragraph's last
# sentence, without end punctuation, when the next paragraph starts a new §, is that § group's heading.
_GLUED_HEADING = re.compile(
    r"^(?P<body>\*\*\d+\s?[a-z]?\s?§\*\*.*[.;:!?)])[ \t]+(?P<heading>[A-ZÅÄÖ][^.;:!?§\n]{2,90})[ \t]*\n"
    r"(?=(?:[ \t]*\n)*\*\*\d+\s?[a-z]?\s?§\*\*)",
    re.MULTILINE,
)
_GLUED_HEADING_WORDS = 12


def split_glued_headings(text: str) -> tuple[str, int]:
    """Put a heading glued to the end of the previous § on its own line, as a heading (see _GLUED_HEADING)."""
    count = 0

    def repl(match: re.Match[str]) -> str:
        nonlocal count
        heading = match.group("heading").strip()
        if len(heading.split()) > _GLUED_HEADING_WORDS:
            return match.group(0)
        count += 1
        return f"{match.group('body')}\n\n### {heading}\n"

    return _GLUED_HEADING.sub(repl, text), count


# --- pipeline ----------------------------------------------------------------------------


def clean_text(text: str, repeated_lines: bool = False, stats: Counter[str] | None = None) -> str:
    """Apply every cleaning step to one text; `repeated_lines` also drops recurring header lines."""
    stats = stats if stats is not None else Counter()
    text = strip_trailing_spaces(strip_form_lines(normalize_glyphs(normalize_unicode(text))))
    if repeated_lines:
        text, n = drop_repeated_lines(text)
        stats["repeated_lines"] += n
    text, n = drop_toc_lines(text)
    stats["toc_lines"] += n
    text, n = join_hyphenated(text)
    stats["hyphen_joins"] += n
    text, n = detach_footnote_digits(text)
    stats["footnote_digits"] += n
    text = normalize_bullets(text)
    text, n = split_glued_headings(text)
    stats["glued_headings"] += n
    return collapse_blank_lines(text).strip("\n")


def clean_pages(pages: list[str], stats: Counter[str] | None = None) -> list[str]:
    """Clean the pages of a paged document: drop running headers across pages, then clean each page."""
    stats = stats if stats is not None else Counter()
    pages = [strip_trailing_spaces(strip_form_lines(normalize_glyphs(normalize_unicode(page)))) for page in pages]
    pages, n = drop_running_headers(pages)
    stats["headers"] += n
    return [clean_text(page, stats=stats) for page in pages]
