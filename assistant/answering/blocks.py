"""Read a chunk's text, line by line, into blocks: paragraphs, list items, headings and footnotes.

The blocks are the unit builder's input (passages.segment): it cuts a paragraph into sentences, joins a lead-in
with the items after it and keeps headings as context. The list and footnote markers are recognised here, and
passages.clean strips the same ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.docinfo import is_decision_line
from assistant.text import BULLET_MARK, ITEM_LETTER, ITEM_NUMBER

_NUMBERED = rf"(?:{ITEM_NUMBER}|{ITEM_LETTER})"  # a numbered list line's marker: "9.", "b)"
# "» " with a space after it is a bullet here: a quote's "»" has its word right after it ("»Text»").
BULLET = re.compile(rf"^[ \t]*(?:(?:{BULLET_MARK}|»)[ \t]+)+|^[ \t]*{_NUMBERED}[ \t]+")
NUMBER_MARKER = re.compile(rf"^[ \t]*{_NUMBERED}")
_STEP_NUMBER = re.compile(r"\s*(\d{1,2})[.)]\s")  # "2. Ring Anticimex ...": a numbered line's number
# A list marker with nothing after it on its line: PDF text puts a hanging marker on a line of its own. Not "*": alone
# on its line it marks a footnote ("*" / "= Parallellimport m. olika handelsnamn finns"), not an item.
LONE_MARKER = re.compile(rf"^[ \t]*(?:{_NUMBERED}|[-•–])[ \t]*$")
SUPERSCRIPT = "¹²³⁴⁵⁶⁷⁸⁹⁰"
FOOTNOTE_START = re.compile(rf"^[ \t]*[{SUPERSCRIPT}]+")
TERMINAL = re.compile(r"[.!?:;,)”\"]\s*$")
MD_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]")


@dataclass
class Block:
    """A run of lines of one kind: offsets in the chunk text."""

    start: int
    end: int
    kind: str  # para | item | heading | footnote


def read_blocks(text: str) -> list[Block]:
    """Paragraphs, list items, headings and footnotes, by lines."""
    blocks: list[Block] = []
    pos = 0
    cur: Block | None = None
    lines = text.splitlines(keepends=True)
    marker = False  # the line before was a list marker alone
    for n, line in enumerate(lines):
        start, end = pos, pos + len(line.rstrip("\n"))
        pos += len(line)
        stripped = line.strip()
        if not stripped:
            cur = None
            continue
        if marker:  # the line after a lone marker is never blank (see below), so `cur` is its item
            marker = False
            cur.end = end  # the item's text, whatever its first letter
            continue
        if LONE_MARKER.match(line) and n + 1 < len(lines) and lines[n + 1].strip():
            # A PDF's list marker on a line of its own ("b.", then "det kommer fram att ..."): an item starts.
            cur = Block(start, end, "item")
            blocks.append(cur)
            marker = True
            continue
        if BULLET.match(line) and not re.match(r"^\s*\d{4}[.)]", line):
            # "2. Inledning" is a numbered heading, not a list item; but a step between steps numbered one less
            # and one more ("1. Kontakta omgående enhetschef" before "2. Ring Anticimex ...") is a step.
            following = lines[n + 1].strip() if n + 1 < len(lines) else ""
            number = _STEP_NUMBER.match(line)
            numbered_title = (
                number
                and is_heading(BULLET.sub("", line).strip())
                and not following[:1].islower()
                and not _in_numbered_run(int(number.group(1)), blocks, text, following)
            )
            cur = Block(start, end, "heading" if numbered_title else "item")
            blocks.append(cur)
            if numbered_title:
                cur = None
        elif FOOTNOTE_START.match(line):
            cur = Block(start, end, "footnote")
            blocks.append(cur)
        elif MD_HEADING.match(line):
            cur = None
            blocks.append(Block(start, end, "heading"))
        elif cur is not None and _continues(text[cur.start : cur.end], stripped, cur.kind):
            cur.end = end  # a hard-wrapped line continues the paragraph or item
        else:
            cur = Block(start, end, "para")
            blocks.append(cur)
    return blocks


def _in_numbered_run(number: int, blocks: list[Block], text: str, following: str) -> bool:
    """Is the line numbered `number` one of a run of numbered lines: the item before it numbered one less, or the
    next line numbered one more? (As chunking._mark_numbered_lists decides for the chunker's sections.)"""
    before = _STEP_NUMBER.match(text[blocks[-1].start : blocks[-1].end]) if blocks else None
    after = _STEP_NUMBER.match(following)
    return bool(
        (before and blocks[-1].kind in ("item", "heading") and int(before.group(1)) == number - 1)
        or (after and int(after.group(1)) == number + 1)
    )


def _continues(block: str, line: str, kind: str) -> bool:
    """A hard-wrapped line continues the block; a short title-like line before it does not."""
    if line[:1].islower():
        return True
    last = block.splitlines()[-1].strip() if block.strip() else ""
    return kind == "para" and not re.search(r"[.!?:]$", last) and len(last) >= 50


HEADING_WORDS = 12  # a heading has at most this many words


def is_heading(text: str) -> bool:
    """A short line without end punctuation; not a decision line ("Antagen av kommunfullmäktige § 117, 2011-06-16"),
    which says who decided the document."""
    words = text.split()
    return (
        len(words) <= HEADING_WORDS
        and not TERMINAL.search(text)
        and not text[:1].islower()
        and text[:1] not in '”“"'
        and not is_decision_line(text)
    )
