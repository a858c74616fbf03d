"""Structure-aware chunking: sections, chapters (kap.), paragraphs (§), numbered clauses and lists.

Chunks partition the cleaned text: every character belongs to exactly one chunk, so a
citation's offsets always resolve. Section paths are kept as metadata and prepended to
the text that is indexed (not to the chunk text, which stays verbatim).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from assistant.docinfo import is_decision_line
from assistant.models import Chunk, LoadedDocument
from assistant.text import BULLETS, LIST_MARKER

DEFAULT_TARGET_CHARS = 700
DEFAULT_MAX_CHARS = 1200
DEFAULT_MIN_CHARS = 200

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_CHAPTER = re.compile(r"^(?:#{1,6}\s+)?(\d+\s?[a-z]?\s+kap\.)(?:\s+(.*))?$")
# Also bold: "**3 §** Barnet ska ..." (the new Socialtjänstlag, 2025:400).
_PARAGRAPH_SIGN = re.compile(r"^\*{0,2}(\d+\s?[a-z]?\s?§)\*{0,2}\s")
_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+([A-ZÅÄÖ][^\n]{1,90})$")
# A table-of-contents line: its page number after a tab or dot leaders ("2.1 Beräkning av inkomst\t4").
_TOC_ENTRY = re.compile(r"(?:\t|\.{4,}|…{2,})\s*\d{1,3}\s*$")
_LIST_ITEM = re.compile(rf"^\s*{LIST_MARKER}\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9\"”(])")


@dataclass
class _Block:
    start: int
    end: int
    kind: str  # heading | chapter | paragraph_sign | list_item | text
    level: int = 0
    label: str = ""
    lead_in: bool = False  # a text block ending with ':' that introduces a list


@dataclass
class _Section:
    path: list[tuple[int, str]] = field(default_factory=list)  # (level, label)
    paragraph: str | None = None

    def enter(self, level: int, label: str) -> None:
        self.path = [(lvl, lab) for lvl, lab in self.path if lvl < level] + [(level, label)]
        self.paragraph = None

    def render(self) -> str | None:
        parts = [label for _, label in self.path]
        if self.paragraph:
            parts.append(self.paragraph)
        return " > ".join(parts) if parts else None


def chunk_document(
    doc: LoadedDocument,
    target_chars: int = DEFAULT_TARGET_CHARS,
    max_chars: int = DEFAULT_MAX_CHARS,
    min_chars: int = DEFAULT_MIN_CHARS,
) -> list[Chunk]:
    """Split a cleaned document into contiguous chunks that carry their provenance."""
    text = doc.text
    # The title heading is not part of a section path ("Kommunallag" for "Kommunallag (2017:725)").
    title = re.sub(r"\s*\([^)]*\)", "", doc.meta.title).strip().casefold()
    blocks = _blocks(text, {offset: (level, title) for offset, level, title in doc.headings})
    section = _Section()
    spans: list[tuple[int, int, str | None]] = []
    cur_start: int | None = None
    cur_section: str | None = None
    cur_end = 0
    only_headings = False

    def flush(upto: int) -> None:
        nonlocal cur_start
        if cur_start is not None and upto > cur_start:
            spans.append((cur_start, upto, cur_section))
        cur_start = None

    for i, block in enumerate(blocks):
        starts_unit = block.kind in ("heading", "chapter") or (
            block.kind == "paragraph_sign" and cur_start is not None and cur_end - cur_start >= min_chars
        )
        if block.kind in ("heading", "chapter") and re.sub(r"\s*\([^)]*\)", "", block.label).casefold() != title:
            section.enter(block.level, block.label)
        elif block.kind == "paragraph_sign":
            section.paragraph = block.label
        size_after = block.end - (cur_start if cur_start is not None else block.start)
        keeps_list = block.kind == "list_item" and size_after <= max_chars
        continues_lead_in = i > 0 and blocks[i - 1].lead_in and size_after <= max_chars
        if cur_start is not None and only_headings:
            # A heading never makes a chunk on its own: it belongs with the text that follows.
            cur_section = section.render()
        elif cur_start is not None and (
            starts_unit or (size_after > target_chars and not keeps_list and not continues_lead_in)
        ):
            lead = blocks[i - 1] if i > 0 and blocks[i - 1].lead_in and block.kind == "list_item" else None
            cut = _lead_sentence_start(text, lead) if lead is not None and not starts_unit else None
            if cut is not None and cut > cur_start:
                # A list that does not fit after its lead-in starts a chunk with the lead-in sentence:
                # "Syftet med programmet är att:" at the end of one chunk and its items in the next
                # answer nothing.
                flush(cut)
                cur_start, cur_section, only_headings = cut, section.render(), False
            else:
                flush(block.start)
        if cur_start is None:
            cur_start = block.start
            cur_section = section.render()
            only_headings = True
        only_headings = only_headings and block.kind in ("heading", "chapter")
        cur_end = block.end
    flush(len(text))
    if not spans and text:
        spans.append((0, len(text), None))
    spans = _merge_small(_cover(spans, len(text)), min_chars, max_chars)
    spans = [piece for span in spans for piece in _split_long(text, span, max_chars)]
    return [_make_chunk(doc, i, start, end, sec) for i, (start, end, sec) in enumerate(spans)]


_SIGN_LABEL = re.compile(r"^\d+\s?[a-z]?\s?§$")


def section_at(section: str | None, text: str, offset: int) -> str | None:
    """The section path at `offset` of a chunk's text, given the path where the chunk starts.

    A chunk may cross a § or a chapter (a short section is folded into its neighbour), and a quote
    from its second half belongs to the later one: "13 kap. Laglighetsprövning > Vem som får överklaga
    > 1 §", not the "12 kap. Revision > Revisionsreglemente > 18 §" the chunk starts in. Chapters and §
    are followed; another heading inside the chunk, outside a law's chapters, leaves the path as it is
    (its depth against the path is unknown).
    """
    line_end = text.find("\n", offset)
    blocks = _blocks(text[: line_end if line_end != -1 else len(text)], {})  # the quote's own line too ("6 § ...")
    rebuilt: _Section | None = None  # once a chapter starts inside the chunk
    parts = section.split(" > ") if section else []
    for block in blocks:
        sign = block.kind == "paragraph_sign" or (block.kind == "heading" and _SIGN_LABEL.match(block.label))
        if block.kind == "chapter":
            rebuilt = _Section()
            rebuilt.enter(block.level, block.label)
        elif rebuilt is not None and sign:
            rebuilt.paragraph = block.label
        elif rebuilt is not None and block.kind == "heading":
            rebuilt.enter(block.level, block.label)
        elif sign:
            parts = [*(parts[:-1] if parts and _SIGN_LABEL.match(parts[-1]) else parts), block.label]
        elif block.kind == "heading" and parts and "kap." in parts[0]:
            parts = [parts[0], block.label]  # a law's heading under its chapter
        elif block.kind == "heading":
            return section
    if rebuilt is not None:
        return rebuilt.render()
    return " > ".join(parts) if parts else section


def _lead_sentence_start(text: str, lead: _Block) -> int:
    """Where the last sentence of a lead-in block starts (the block may hold earlier sentences)."""
    cut = lead.start
    for match in _SENTENCE_END.finditer(text, lead.start, lead.end):
        cut = match.end()
    return cut


def _blocks(text: str, known_headings: dict[int, tuple[int, str]]) -> list[_Block]:
    """Paragraph-level blocks with their structural role."""
    blocks: list[_Block] = []
    pos = 0
    para_start: int | None = None
    para_end = 0
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        start, end = pos, pos + len(line.rstrip("\r\n"))
        pos += len(line)
        stripped = line.strip()
        if not stripped:
            if para_start is not None:
                blocks.append(_classify(text, para_start, para_end, known_headings))
                para_start = None
            continue
        offset = start + (len(line) - len(line.lstrip()))
        inline_heading = _is_inline_heading(
            stripped, lines[i - 1].strip() if i > 0 else "", lines[i + 1].strip() if i + 1 < len(lines) else ""
        )
        is_new_unit = (
            _LIST_ITEM.match(line)
            or _PARAGRAPH_SIGN.match(stripped)
            or _MD_HEADING.match(stripped)
            or offset in known_headings
            or inline_heading
        )
        if para_start is not None and is_new_unit:
            blocks.append(_classify(text, para_start, para_end, known_headings))
            para_start = None
        if para_start is None:
            para_start = offset
        para_end = end
        if inline_heading:
            blocks.append(_classify(text, para_start, para_end, known_headings))
            para_start = None
    if para_start is not None:
        blocks.append(_classify(text, para_start, para_end, known_headings))
    _mark_numbered_lists(text, blocks)
    _mark_lone_titles(text, blocks)
    return blocks


_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,4})[.)]?\s")


def _is_inline_heading(line: str, previous: str, following: str) -> bool:
    """A numbered heading run into the text around it, as PDF text has it.

    "...på Addas webbsida.\n2 Omfattning\nRamavtalet består av ..." has no blank line around
    "2 Omfattning": it is a heading when it is short, ends in no punctuation or function word,
    follows a finished sentence (or a blank line) and is followed by text, not by the next item
    of a numbered list.
    """
    match = _NUMBERED_HEADING.match(line)
    if not match or len(line) > 80 or line.endswith((".", ",", ";", ":", "?", "!")) or _TOC_ENTRY.search(line):
        return False
    if _ends_in_function_word(line):
        return False
    if previous and not previous.endswith((".", "!", "?")):
        return False
    return bool(following) and (following[0].isupper() or following[0] in BULLETS) and not _NUMBER.match(following)


def _mark_numbered_lists(text: str, blocks: list[_Block]) -> None:
    """One-line numbered items in a row ("4. Arkitektur", "5. IT-säkerhet", ...) are a list, not headings.

    Two numbered blocks next to each other at the same depth, the second numbered one more than the first,
    are items of one list (a table of contents is such a list too): two one-line ones, or a one-line one
    beside a longer numbered item. A routine's steps are such a list, whatever their length: "1. Kontakta
    omgående enhetschef", then "2. Ring Anticimex ... för hur / sanering ska påbörjas: 075-...", then "3.
    Hyresvärden ska kontaktas och informeras" are steps 1-3, not two sections with a list item between them.
    """
    numbers: list[list[int] | None] = []
    for block in blocks:
        body = text[block.start : block.end]
        match = None
        if block.kind == "heading" or (block.kind == "list_item" and not _TOC_ENTRY.search(body.split("\n", 1)[0])):
            match = _NUMBER.match(body)  # a contents line before "10. Allmänt" does not make it an item
        numbers.append([int(n) for n in match.group(1).split(".")] if match else None)
    in_list = [False] * len(blocks)
    for i in range(1, len(blocks)):
        a, b = numbers[i - 1], numbers[i]
        if a and b and len(a) == len(b) and a[:-1] == b[:-1] and b[-1] == a[-1] + 1:
            in_list[i - 1] = in_list[i] = True
    for block, listed in zip(blocks, in_list, strict=True):
        if listed and block.kind == "heading":
            block.kind, block.level, block.label = "list_item", 0, ""


def _classify(text: str, start: int, end: int, known: dict[int, tuple[int, str]]) -> _Block:
    body = text[start:end]
    first_line = body.split("\n", 1)[0].strip()
    if start in known:
        level, title = known[start]
        return _Block(start, end, "heading", level=level, label=_clean_label(title))
    chapter = _CHAPTER.match(first_line)
    if chapter and "\n" not in body.strip():
        label = chapter.group(1) + (f" {chapter.group(2)}" if chapter.group(2) else "")
        return _Block(start, end, "chapter", level=1, label=_clean_label(label))
    md = _MD_HEADING.match(first_line)
    if md and "\n" not in body.strip():
        return _Block(start, end, "heading", level=len(md.group(1)), label=_clean_label(md.group(2)))
    sign = _PARAGRAPH_SIGN.match(first_line)
    if sign:
        return _Block(start, end, "paragraph_sign", label=re.sub(r"\s+", " ", sign.group(1)))
    numbered = _NUMBERED_HEADING.match(first_line)
    if _TOC_ENTRY.search(first_line):
        numbered = None  # a line of the table of contents names a section, it does not start one
    if numbered and "\n" not in body.strip() and not first_line.rstrip().endswith((".", ":", ";", ",")):
        depth = numbered.group(1).count(".") + 1
        return _Block(start, end, "heading", level=1 + depth, label=_clean_label(first_line))
    if _LIST_ITEM.match(text[start:end]):
        return _Block(start, end, "list_item")
    return _Block(start, end, "text", lead_in=body.rstrip().endswith(":"))


# Function words a Swedish heading never ends with; a short line ending in one is a lead-in.
_LEAD_IN_ENDINGS = frozenset(
    "om av för till med att och som i på vid enligt från mot samt eller inom under genom hos när där "
    "vilka vilket vilken dessa följande bland annat".split()
)


def _ends_in_function_word(line: str) -> bool:
    return line.rsplit(None, 1)[-1].casefold() in _LEAD_IN_ENDINGS


def _mark_lone_titles(text: str, blocks: list[_Block]) -> None:
    """Short one-line paragraphs without end punctuation followed by text are headings."""
    for i, block in enumerate(blocks):
        if block.kind != "text" or i + 1 >= len(blocks):
            continue
        line = text[block.start : block.end].strip()
        if (
            "\n" not in line
            and 2 < len(line) <= 80
            and line[0].isupper()
            and not line.endswith((".", ",", ";", ":", "?", "!", "”", '"'))
            and not _TOC_ENTRY.search(line)
            and blocks[i + 1].kind in ("text", "paragraph_sign", "list_item")
        ):
            if blocks[i + 1].kind == "list_item" and (len(line.split()) >= 4 or _ends_in_function_word(line)):
                # "Socialnämnden beslutar om" + list: a lead-in sentence, not a heading.
                block.lead_in = True
                continue
            if _ends_in_function_word(line):
                continue  # a heading does not end in "om", "för", "att": a sentence broken off
            if is_decision_line(line):
                continue  # "Antagen av kommunfullmäktige § 117, 2011-06-16" says who decided, it heads nothing

            block.kind = "heading"
            block.level = 6
            block.label = _clean_label(line)


def _clean_label(label: str) -> str:
    return re.sub(r"\s+", " ", label.strip(" #*_")).strip()


def _cover(spans: list[tuple[int, int, str | None]], length: int) -> list[tuple[int, int, str | None]]:
    """Make spans contiguous from 0 to `length`: gaps (blank lines) join the previous chunk."""
    out: list[tuple[int, int, str | None]] = []
    for i, (start, _end, sec) in enumerate(spans):
        new_start = 0 if i == 0 else start
        new_end = spans[i + 1][0] if i + 1 < len(spans) else length
        out.append((new_start, new_end, sec))
    return out


def _merge_small(
    spans: list[tuple[int, int, str | None]], min_chars: int, max_chars: int
) -> list[tuple[int, int, str | None]]:
    """Fold a chunk smaller than `min_chars` into its predecessor in the same section.

    A lone footnote or closing sentence is poor evidence on its own; beside the text it
    belongs to, it is found and understood.
    """
    out: list[tuple[int, int, str | None]] = []
    for start, end, sec in spans:
        if out:
            p_start, p_end, p_sec = out[-1]
            small = end - start < min_chars or p_end - p_start < min_chars
            same_section = p_sec == sec or (p_sec and sec and sec.startswith(p_sec)) or p_end - p_start < min_chars // 2
            if small and same_section and end - p_start <= max_chars:
                out[-1] = (p_start, end, p_sec)
                continue
        out.append((start, end, sec))
    return out


def _split_long(text: str, span: tuple[int, int, str | None], max_chars: int) -> list[tuple[int, int, str | None]]:
    """Split an over-long span at sentence ends (or, failing that, at spaces)."""
    start, end, sec = span
    pieces: list[tuple[int, int, str | None]] = []
    while end - start > max_chars:
        window = text[start : start + max_chars]
        cut = None
        for match in _SENTENCE_END.finditer(window):
            if match.start() >= max_chars // 3:
                cut = match.end()
        if cut is None:
            newline = window.rfind("\n", max_chars // 3)
            space = window.rfind(" ", max_chars // 3)
            cut = (newline if newline > 0 else space) + 1 if max(newline, space) > 0 else max_chars
        pieces.append((start, start + cut, sec))
        start += cut
    pieces.append((start, end, sec))
    return pieces


def _make_chunk(doc: LoadedDocument, ordinal: int, start: int, end: int, section: str | None) -> Chunk:
    chunk_text = doc.text[start:end]
    digest = hashlib.sha1(f"{doc.meta.doc}\x00{start}\x00{end}\x00{chunk_text}".encode()).hexdigest()[:20]
    return Chunk(
        id=digest,
        doc=doc.meta.doc,
        text=chunk_text,
        start=start,
        end=end,
        page_start=doc.page_at(start),
        page_end=doc.page_at(max(start, end - 1)),
        section=section,
        ordinal=ordinal,
    )


def index_text(chunk: Chunk, title: str) -> str:
    """The text that is embedded and lexically indexed: title and section path give context."""
    head = title if not chunk.section else f"{title} – {chunk.section}"
    return f"{head}\n{chunk.text.strip()}"
