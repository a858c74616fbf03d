"""Parse a draft förfrågningsunderlag into numbered sections and sentences with page and line.

The same draft as Markdown, PDF or DOCX must yield the same sentences, so blank lines are not
sentence boundaries (PDF text has none): blocks start at headings, numbered clauses ("3.4 ..."),
list items and table rows, and sentences are split on end punctuation inside a block.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.errors import DocumentError, os_problem
from assistant.lint.roles import JA_KRAVS, STRICT_REQUIREMENT, sentence_role, zone_of
from assistant.lint.swedish import is_normative, sentence_actor
from assistant.text import BULLET_MARK, LIST_MARKER

SUFFIXES = (".md", ".markdown", ".txt", ".pdf", ".docx")


class Section(BaseModel):
    """A heading of the draft and where it is."""

    index: int
    number: str | None = Field(description="Section number from the heading text, e.g. '3' or '3.1'.")
    title: str
    level: int
    start: int
    line: int
    page: int | None = None
    parent: int | None = None
    is_title: bool = Field(False, description="The document title, not a real section.")
    zone: str | None = Field(None, description="What its headings say the text is (assistant.lint.roles).")
    requirements: bool = Field(
        False, description="A section of requirements the bidder accepts (Krav …, Avtalsvillkor, 'Ja krävs')."
    )

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title


class Sentence(BaseModel):
    """One sentence (or list item / table row) of the draft body."""

    index: int
    text: str = Field(description="Verbatim text with whitespace collapsed and markup stripped.")
    norm: str = Field(description="Lowercased `text`, same length, for matching.")
    start: int
    end: int
    block: int = Field(description="Index of the clause or paragraph the sentence belongs to.")
    section: int | None = None
    clause: str | None = Field(None, description="Number of the enclosing numbered clause, e.g. '3.4'.")
    page: int | None = None
    line: int
    actor: str | None = None
    normative: bool = False
    binds_provider: bool = False
    role: str = Field("description", description="Who the sentence binds (assistant.lint.roles.ROLES).")


class Classification(BaseModel):
    """What kind of document the draft is, and why; decides which rules are checked."""

    kind: str = Field(description="Kind id from dokumentslag.yaml, or 'okand'.")
    label: str = Field(description="Swedish name of the kind.")
    reason: str = Field(description="Swedish: the wordings that decided it, or that --kind was given.")
    welfare: bool = Field(False, description="The service is a welfare service (omsorg, SoL, LSS).")
    forced: bool = Field(False, description="Set with --kind instead of read from the text.")
    scores: dict[str, int] = Field(default_factory=dict)

    def public(self) -> dict:
        return {"kind": self.kind, "label": self.label, "reason": self.reason, "welfare": self.welfare}


class Draft(BaseModel):
    """A parsed draft: its text, sections, sentences, and the annexes and numbers it defines."""

    name: str
    path: str = ""
    format: str
    text: str
    page_starts: list[int] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    sentences: list[Sentence] = Field(default_factory=list)
    annexes: list[str] = Field(default_factory=list, description="Annex ids listed in the draft ('1', 'a').")
    numbers: list[str] = Field(default_factory=list, description="Section and clause numbers present.")
    norm: str = ""
    classification: Classification | None = Field(None, description="Set by lint (or --kind) before the rules run.")

    def section_of(self, sentence: Sentence) -> Section | None:
        return self.sections[sentence.section] if sentence.section is not None else None

    def scope_sections(self, sentence: Sentence) -> list[Section]:
        """The sentence's section and its ancestors, without the document title."""
        chain, index = [], sentence.section
        while index is not None:
            section = self.sections[index]
            if not section.is_title:
                chain.append(section)
            index = section.parent
        return chain

    def location(self, sentence: Sentence) -> str | None:
        """Clause number if numbered, else the section number or title."""
        if sentence.clause:
            return sentence.clause
        section = self.section_of(sentence)
        if section is None or section.is_title:
            return None
        return section.number or section.title

    def block_text(self, sentence: Sentence) -> str:
        """Lowercased text of every sentence in the sentence's block (clause or paragraph)."""
        return " ".join(s.norm for s in self.sentences if s.block == sentence.block)


# --- reading ---------------------------------------------------------------------------------


def read_draft(path: Path | str) -> Draft:
    """Read a draft file (Markdown, text, PDF, DOCX). Raises DocumentError naming the file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DocumentError(
            path, f"filtypen {suffix or '(ingen)'} stöds inte.", "Använd PDF, DOCX, Markdown eller text."
        )
    if not path.is_file():
        raise DocumentError(path, "filen finns inte." if not path.exists() else "är ingen vanlig fil.")
    if suffix in (".pdf", ".docx"):
        from assistant.loading import load_document

        loaded = load_document(path)
        return parse_draft(
            loaded.text, path.name, suffix[1:], headings=loaded.headings, page_starts=loaded.page_starts, path=str(path)
        )
    from assistant.loading import decode_text

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(path, os_problem(exc)) from exc
    text = decode_text(path, raw)
    if not text.strip():
        raise DocumentError(path, "innehåller ingen text.")
    fmt = "md" if suffix in (".md", ".markdown") else "txt"
    return parse_draft(text, path.name, fmt, path=str(path))


# --- parsing ---------------------------------------------------------------------------------

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_NUMBERED_TITLE = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+(\S.*)$")
_CLAUSE = re.compile(r"^\s*(?:\*\*)?(\d{1,2}(?:\.\d{1,3})+)\.?(?:\*\*)?\s+(?=\S)")
_BULLET = re.compile(rf"^\s*{LIST_MARKER}\s+(?=\S)")
_TABLE_SEP = re.compile(r"^\s*\|?[\s:|-]+\|[\s:|-]*$")
_RULE_LINE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_MODAL_WORD = re.compile(r"\b(?:ska|skall|bör|kan|får|måste|är|har|gäller|betalas|lämnas)\b", re.I)
_ANNEX_LINE = re.compile(r"^\s*(?:[-*•–|]\s*)?(?:#+\s*)?(?:\*\*)?(bilaga)\s+(\d{1,3}|[A-Za-z])\b[.:)–-]?\s*(.*)$", re.I)
_ANNEX_ANY = re.compile(r"\b[Bb]ilaga\s+(\d{1,3}|[A-Za-z])(?![\w-])")
_MARKUP = re.compile(r"\*\*|__|`|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_SPACE = re.compile(r"\s+")
_SPLIT = re.compile(r"[.!?][\"”»)]*\s+(?=[\"”»(]?[A-ZÅÄÖ])")
# Abbreviations after which a period does not end a sentence ("enligt 10 kap. 9 §").
_ABBREVIATIONS = set(
    "t.ex bl.a kap nr ca jfr resp inkl exkl kl dnr enl p s f.d d.v.s dvs fr.o.m t.o.m o.d e.d".split()
    + "ang avd tel st jmf s.k sk".split()
)


def parse_draft(
    text: str,
    name: str,
    fmt: str,
    headings: list[tuple[int, int, str]] | None = None,
    page_starts: list[int] | None = None,
    path: str = "",
) -> Draft:
    """Split cleaned draft text into sections, blocks and sentences."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    page_starts = list(page_starts or [])
    lines = text.split("\n")
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    heading_at = _find_headings(lines, starts, fmt, headings or [])
    noise = _page_furniture(lines, heading_at) if fmt == "md" else set()
    for i in noise:
        heading_at.pop(i, None)
    locate = _Locator(starts, page_starts)

    sections: list[Section] = []
    spans: list[tuple[int, int, int | None, str | None]] = []  # block start, end, section, clause
    annexes: set[str] = set()
    numbers: set[str] = set()
    section: int | None = None
    clause: str | None = None
    block: list[int] | None = None  # [start, end]
    previous_line = ""
    annex_items: int | None = None  # inside a list introduced by "följande bilagor:": items seen

    def close() -> None:
        nonlocal block
        if block is not None and text[block[0] : block[1]].strip():
            spans.append((block[0], block[1], section, clause))
        block = None

    for i, line in enumerate(lines):
        stripped = line.strip()
        start = starts[i]
        annexes.update(_annex_definitions(stripped, sections[section].title if section is not None else ""))
        annex_items = _annex_list_item(stripped, annex_items, annexes)
        if i in heading_at:
            close()
            level, title = heading_at[i]
            number, title = _split_number(title)
            parent = _parent(sections, level)
            page, line_no = locate(start)
            section = len(sections)
            sections.append(
                Section(
                    index=section,
                    number=number,
                    title=title,
                    level=level,
                    start=start,
                    line=line_no,
                    page=page,
                    parent=parent,
                )
            )
            if number:
                numbers.add(number)
            clause = None
            previous_line = stripped
            continue
        if i in noise:  # a running header or footer cut into the text: it ends the block it interrupts
            close()
            continue
        if not stripped or _TABLE_SEP.match(stripped) or _RULE_LINE.match(stripped):
            previous_line = stripped if stripped else previous_line
            continue
        match = _CLAUSE.match(line)
        if match and (
            not previous_line or previous_line[-1] in ".!?:;" or i - 1 in heading_at or not lines[i - 1].strip()
        ):
            close()
            clause = match.group(1)
            numbers.add(clause)
            block = [start + match.end(), start + len(line)]
        elif _BULLET.match(line) or stripped.startswith("|") or block is None:
            close()
            block = [start, start + len(line)]
        else:
            block[1] = start + len(line)
        previous_line = stripped
    close()

    _mark_title(sections)
    sentences = _sentences(text, spans, locate)
    draft = Draft(
        name=name,
        path=path,
        format=fmt,
        text=text,
        page_starts=page_starts,
        sections=sections,
        sentences=sentences,
        annexes=sorted(annexes),
        numbers=sorted(numbers),
        norm=_SPACE.sub(" ", text).lower(),
    )
    assign_roles(draft)
    return draft


def assign_roles(draft: Draft) -> None:
    """Zone of every section (from its headings) and role of every sentence (who it binds)."""
    answered: set[int] = set()  # sections with a "Ja krävs" answer field: the bidder accepts their text
    for sentence in draft.sentences:
        if sentence.section is not None and JA_KRAVS.search(sentence.norm):
            answered.add(sentence.section)
    for section in draft.sections:
        chain, index = [], section.index
        while index is not None:
            if not draft.sections[index].is_title:
                chain.append(draft.sections[index].title.lower())
            index = draft.sections[index].parent
        section.zone = zone_of(chain)
        section.requirements = section.zone in ("requirement", None) and (
            any(STRICT_REQUIREMENT.search(title) for title in chain) or section.index in answered
        )
    for sentence in draft.sentences:
        section = draft.sections[sentence.section] if sentence.section is not None else None
        zone = section.zone if section is not None and not section.is_title else None
        sentence.role = sentence_role(sentence.norm, sentence.normative, zone)


class _Locator:
    """Maps a character offset to (page, line); lines count from the page start in paged drafts."""

    def __init__(self, line_starts: list[int], page_starts: list[int]):
        self.line_starts = line_starts
        self.page_starts = page_starts

    def __call__(self, offset: int) -> tuple[int | None, int]:
        line = bisect_right(self.line_starts, offset)
        if not self.page_starts:
            return None, line
        page = max(1, bisect_right(self.page_starts, offset))
        first_line = bisect_right(self.line_starts, self.page_starts[page - 1])
        return page, line - first_line + 1


def _find_headings(
    lines: list[str], starts: list[int], fmt: str, known: list[tuple[int, int, str]]
) -> dict[int, tuple[int, str]]:
    found: dict[int, tuple[int, str]] = {}
    if fmt == "md":
        fence = False
        for i, line in enumerate(lines):
            if line.lstrip().startswith(("```", "~~~")):
                fence = not fence
            match = None if fence else _MD_HEADING.match(line)
            if match:
                found[i] = (len(match.group(1)), _clean_inline(match.group(2)))
        if found:
            deepest = max(level for level, _ in found.values())
            for i in _paragraph_headings(lines, set(found)):
                found[i] = (deepest + 1, _clean_inline(lines[i].strip()))
    for offset, level, title in known:
        i = max(0, bisect_right(starts, offset) - 1)
        found[i] = (level, _clean_inline(title))
    if found:
        return found
    numbered_level, top, listed = None, 0, None
    for i, line in enumerate(lines):
        level = _heading_level(lines, i)
        if not level:
            continue
        number = _NUMBERED_TITLE.match(line.strip())
        if number:
            first = int(number.group(1).split(".")[0])
            if "." not in number.group(1):
                # "1. …" inside section 3 starts a numbered list; its next items continue it.
                if first <= top or listed is not None and first == listed + 1:
                    listed = first
                    continue
            top = max(top, first)
            listed = None
            numbered_level = level
        elif numbered_level is not None:
            level = numbered_level + 1  # an unnumbered heading belongs to the numbered section above it
        found[i] = (level, _clean_inline(line.strip()))
    return found


_PAGE_MARK = re.compile(r"^\s*(?:sida\s+)?\d{1,3}\s*(?:\[\d{1,3}\]|\(\d{1,3}\)|/\s*\d{1,3}|av\s+\d{1,3})\s*$", re.I)


def _paragraph_headings(lines: list[str], known: set[int]) -> list[int]:
    """Markdown converted from Word often keeps headings as one-line paragraphs without '#': short,
    capitalised, no end punctuation, no verb, with a blank line (or a heading) on each side."""
    out = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        if i in known or not stripped or len(stripped) > 70 or len(stripped.split()) > 9:
            continue
        before = lines[i - 1].strip() if i else ""
        after = lines[i + 1].strip() if i + 1 < len(lines) else ""
        alone = (not before or i - 1 in known) and (not after or i + 1 in known)
        # Or a heading of text extracted from a PDF: a short line after a finished sentence.
        if not alone and (_heading_level(lines, i) != 2 or _NUMBERED_TITLE.match(stripped)):
            continue
        if not stripped[0].isupper() or stripped[-1] in ".,;:!?)" or stripped[0] in "-*|#[!>`":
            continue
        if "http" in stripped or _MODAL_WORD.search(stripped) or _PAGE_MARK.match(stripped):
            continue
        out.append(i)
    return out


def _page_furniture(lines: list[str], headings: dict[int, tuple[int, str]]) -> set[int]:
    """Running headers and footers left in converted text: short lines (or headings) repeated three
    times or more, and page marks like '13 [24]'. They are not headings and end the block they cut."""
    counts: dict[str, int] = {}
    for line in lines:
        key = line.strip().lstrip("#").strip().lower()
        if key and len(key) <= 60:
            counts[key] = counts.get(key, 0) + 1
    noise = set()
    for i, line in enumerate(lines):
        key = line.strip().lstrip("#").strip().lower()
        if not key:
            continue
        repeated = counts.get(key, 0) >= 3 and len(key.split()) <= 6 and key[-1] not in ".,;:!?"
        if _PAGE_MARK.match(key) or (repeated and not _BULLET.match(line) and not key.startswith("|")):
            noise.add(i)
    return noise


def _heading_level(lines: list[str], i: int) -> int | None:
    """Heuristic heading for text without markup (PDF, plain text): short, unpunctuated lines."""
    line = lines[i].strip()
    if not line or len(line) > 80 or line[-1] in ".,;:!?" or _ANNEX_LINE.match(line):
        return None
    after = next((x.strip() for x in lines[i + 1 :] if x.strip()), "")
    before = next((x.strip() for x in reversed(lines[:i]) if x.strip()), "")
    if after and after[0].islower():
        return None
    match = _NUMBERED_TITLE.match(line)
    if match:
        rest, depth = match.group(2), match.group(1).count(".")
        # Wrapped clause lines ("3.1 Utföraren ska ... och") are long or carry a verb; headings do not,
        # unless very short ("4.5.5 Var uppdraget ska utföras").
        short = len(rest.split()) <= 5
        if rest[0].isupper() and len(rest.split()) <= 8 and (depth == 0 or short or not _MODAL_WORD.search(rest)):
            return depth + 2
        return None
    words = line.split()
    if (
        len(words) <= 4
        and line[0].isupper()
        and not any(c.isdigit() for c in line)
        and not _MODAL_WORD.search(line)
        and (not before or before[-1] in ".!?]")
    ):
        return 2
    return None


def _split_number(title: str) -> tuple[str | None, str]:
    match = _NUMBERED_TITLE.match(title)
    if match and not match.group(2)[:1].isdigit():
        return match.group(1), match.group(2).strip()
    return None, title.strip()


def _parent(sections: list[Section], level: int) -> int | None:
    for section in reversed(sections):
        if section.level < level:
            return section.index
    return None


def _mark_title(sections: list[Section]) -> None:
    if len(sections) > 1 and all(s.level > sections[0].level for s in sections[1:]):
        sections[0].is_title = True


def _annex_definitions(line: str, section_title: str) -> list[str]:
    """Annex ids the line lists ("Bilaga 2 Avtalsmall"), not annexes it merely refers to."""
    if "bilag" in section_title.lower() or re.match(r"^\W*bilagor\b", line, re.I):
        return [m.group(1).lower() for m in _ANNEX_ANY.finditer(line)]
    match = _ANNEX_LINE.match(line)
    if not match or match.group(1)[0] != "B":
        return []
    rest = match.group(3).strip().lstrip("*|:–- ").strip()
    if rest and not (rest[0].isupper() or rest[0] in '"”»('):
        return []
    # "Bilaga 1 Avtalsmall Bilaga 2 Ersättningsnivåer": a list joined onto one line.
    return [m.group(1).lower() for m in _ANNEX_ANY.finditer(line) if m.group(0)[0] == "B"]


_ANNEX_INTRO = re.compile(r"\bbilagor(?:na)?\b[^.]*:\s*$|^\W*bilagor\W*$", re.I)
_LIST_ITEM = re.compile(rf"^\s*(?:{BULLET_MARK}\s*)?(?:(\d{{1,3}}|[a-h])[.):]\s+|{BULLET_MARK}\s+)", re.I)


def _annex_list_item(line: str, seen: int | None, annexes: set[str]) -> int | None:
    """Track a list of annexes after "Följande bilagor:"; unnumbered items count 1, 2, 3 ..."""
    if _ANNEX_INTRO.search(line):
        return 0
    if seen is None or not line:
        return seen
    item = _LIST_ITEM.match(line)
    if not item:
        return None
    seen += 1
    if not _ANNEX_ANY.search(line):  # "- Bilaga 3 Avtal" is read by _annex_definitions
        annexes.add((item.group(1) or str(seen)).lower())
    return seen


def _clean_inline(text: str) -> str:
    return _SPACE.sub(" ", _MARKUP.sub("", _LINK.sub(r"\1", text))).strip()


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans in a block: end punctuation followed by a capital, not after abbreviations."""
    spans, pos = [], 0
    for match in _SPLIT.finditer(text):
        word = text[: match.start()].rsplit(None, 1)[-1].lower().strip('("”»') if text[: match.start()].strip() else ""
        if word in _ABBREVIATIONS or len(word) == 1 and word.isalpha():
            continue
        end = match.start() + 1
        spans.append((pos, end))
        pos = match.end()
    spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _sentences(text: str, spans: list[tuple[int, int, int | None, str | None]], locate: _Locator) -> list[Sentence]:
    out: list[Sentence] = []
    for block_index, (start, end, section, clause) in enumerate(spans):
        raw = text[start:end]
        lead = _BULLET.match(raw)
        skip = lead.end() if lead else len(raw) - len(raw.lstrip())
        if raw.lstrip().startswith("|"):
            skip = len(raw) - len(raw.lstrip(" |"))
        body = raw[skip:]
        for s, e in split_sentences(body):
            piece = body[s:e].strip()
            shown = _clean_inline(piece.replace("|", " ") if raw.lstrip().startswith("|") else piece)
            if not shown or not any(c.isalpha() for c in shown):
                continue
            absolute = start + skip + s + (len(body[s:e]) - len(body[s:e].lstrip()))
            page, line = locate(absolute)
            norm = shown.lower()
            if len(norm) != len(shown):  # a few characters change length when lowercased
                norm = "".join(c.lower()[:1] or c for c in shown)
            actor = sentence_actor(norm)
            normative = is_normative(norm)
            out.append(
                Sentence(
                    index=len(out),
                    text=shown,
                    norm=norm,
                    start=absolute,
                    end=start + skip + e,
                    block=block_index,
                    section=section,
                    clause=clause,
                    page=page,
                    line=line,
                    actor=actor,
                    normative=normative,
                    binds_provider=normative and actor in ("provider", None),
                )
            )
    return out
