"""A small, safe Markdown renderer for document text, with cited spans marked.

Documents are shown as they read, not as Markdown source: headings, bold and italic, lists,
tables and quotes are rendered; links keep their text but never become links, images become
their alt text, raw HTML stays text. Every piece of text is escaped as it is written out, so a
document can never add markup of its own.

Marked spans are given as character offsets into the text. Offsets are turned into two private
characters before parsing, so the marks survive any formatting around them; when written out, a
mark is closed and reopened around every tag, so `<mark>` is always the innermost element and
the HTML stays well nested however a span crosses bold text, list items or table cells. The first
piece of the first span carries `id="cited-passage"` (the pane scrolls to it).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

OPEN, CLOSE = "\ue000", "\ue001"
KEY_OPEN, KEY_CLOSE = "\ue002", "\ue003"  # the answering sentence inside a cited passage, in bold
MARKERS = (OPEN, CLOSE, KEY_OPEN, KEY_CLOSE)
_SENTINELS = re.compile(f"[{''.join(MARKERS)}]")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_ITEM = re.compile(r"^([ \t]*)(?:([-*+•›▪●◦]|\uf09f|\uf0b7)|(\d{1,3})[.)])[ \t]+(.*)$")
_QUOTE = re.compile(r"^[ \t]*>[ \t]?(.*)$")
_RULE = re.compile(r"^[ \t]*(?:-[ \t]*){3,}$|^[ \t]*(?:\*[ \t]*){3,}$|^[ \t]*(?:_[ \t]*){3,}$")
_TABLE = re.compile(r"^[ \t]*\|.*\|[ \t]*$")
_TABLE_RULE = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-{2,}:?[ \t]*\|)+[ \t]*:?-*:?[ \t]*\|?[ \t]*$")
# Inline: bold, italic, code, images and links (their text only).
_INLINE = re.compile(
    r"(?P<strong>\*\*|__)(?=[^\s*_])(?P<strong_body>.+?)(?<=[^\s])(?P=strong)"
    r"|(?<![\w*])\*(?=[^\s*])(?P<em_body>[^*\n]+?)(?<=[^\s*])\*(?![\w*])"
    r"|(?<![\w_])_(?=[^\s_])(?P<em2_body>[^_\n]+?)(?<=[^\s_])_(?![\w_])"
    r"|`(?P<code_body>[^`\n]+)`"
    r"|!\[(?P<img_alt>[^\]\n]*)\]\((?:[^()\n]|\([^()\n]*\))*\)"
    r"|\[(?P<link_text>[^\]\n]+)\]\((?:[^()\n]|\([^()\n]*\))*\)"
)
_SPLIT = re.compile(f"([{''.join(MARKERS)}])")
# Headings inside a document pane start below the pane's own title.
_HEADING_TAG = {1: "h4", 2: "h5", 3: "h6", 4: "h6", 5: "h6", 6: "h6"}


class _Writer:
    """Writes escaped text with the mark state carried across tags and blocks."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.marking = False
        self.keying = False
        self.marks = 0

    def text(self, raw: str) -> None:
        for piece in _SPLIT.split(raw):
            if piece in (OPEN, CLOSE):
                self.marking = piece == OPEN
            elif piece in (KEY_OPEN, KEY_CLOSE):
                self.keying = piece == KEY_OPEN
            elif piece:
                escaped = html.escape(piece, quote=False)
                if self.keying:
                    escaped = f'<strong class="key-sentence">{escaped}</strong>'
                if self.marking:
                    ident = ' id="cited-passage"' if self.marks == 0 else ""
                    self.marks += 1
                    self.out.append(f'<mark class="cited"{ident}>{escaped}</mark>')
                else:
                    self.out.append(escaped)

    def tag(self, markup: str) -> None:
        self.out.append(markup)

    def inline(self, raw: str) -> None:
        pos = 0
        for match in _INLINE.finditer(raw):
            self.text(raw[pos : match.start()])
            kind = match.lastgroup
            if kind == "strong_body" or match.group("strong"):
                self.tag("<strong>")
                self.inline(match.group("strong_body"))
                self.tag("</strong>")
            elif kind in ("em_body", "em2_body"):
                self.tag("<em>")
                self.inline(match.group(kind))
                self.tag("</em>")
            elif kind == "code_body":
                self.tag("<code>")
                self.text(match.group(kind))
                self.tag("</code>")
            elif kind == "img_alt":
                self.text(f"[bild: {match.group(kind)}]" if match.group(kind).strip() else "[bild]")
            else:
                self.inline(match.group("link_text"))
            pos = match.end()
        self.text(raw[pos:])

    def html(self) -> str:
        return "".join(self.out)


def _move_leading_marks(line: str) -> str:
    """Marks at the very start of a line go after its block syntax ("\ue000- item" → "- \ue000item")."""
    stripped = _SENTINELS.sub("", line)
    lead = re.match(r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|(?:[-*+•›▪●◦\uf09f\uf0b7]|\d{1,3}[.)])[ \t]+)?", stripped)
    prefix_len = lead.end() if lead else 0
    if not prefix_len:
        return line
    marks, count, i = "", 0, 0
    while count < prefix_len and i < len(line):
        if line[i] in MARKERS:
            marks += line[i]
        else:
            count += 1
        i += 1
    return stripped[:prefix_len] + marks + line[i:]


def _cells(row: str) -> list[str]:
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return [c.strip() for c in re.split(r"(?<!\\)\|", row)]


def _insert_markers(text: str, marks: Sequence[tuple[int, int]], key: tuple[int, int] | None) -> str:
    """The text with marker characters at the offsets: closers before openers at one place, the key inside."""
    events: dict[int, list[tuple[int, str]]] = {}
    spans = [(s, e, OPEN, CLOSE) for s, e in marks] + ([(*key, KEY_OPEN, KEY_CLOSE)] if key else [])
    for start, end, opener, closer in spans:
        start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
        if end > start:
            events.setdefault(start, []).append((2 if opener == OPEN else 3, opener))
            events.setdefault(end, []).append((0 if closer == KEY_CLOSE else 1, closer))
    out, pos = [], 0
    for at in sorted(events):
        out.append(text[pos:at])
        out.extend(ch for _, ch in sorted(events[at]))
        pos = at
    out.append(text[pos:])
    return "".join(out)


def render_markdown(text: str, marks: Sequence[tuple[int, int]] = (), key: tuple[int, int] | None = None) -> str:
    """HTML for `text` read as Markdown, with text[start:end] of each mark highlighted and the `key` span
    (the sentence that answers, inside a longer cited passage) in bold within it."""
    text = _insert_markers(_SENTINELS.sub(" ", text), marks, key)
    lines = [_move_leading_marks(line) for line in text.replace("\r\n", "\n").replace("\f", "\n").split("\n")]
    w = _Writer()
    i = 0
    while i < len(lines):
        line = lines[i]
        plain = _SENTINELS.sub("", line)
        if not plain.strip():
            w.text(line)  # a mark may open or close on an empty line
            i += 1
            continue
        heading = _HEADING.match(plain)
        if heading:
            tag = _HEADING_TAG[len(heading.group(1))]
            w.tag(f'<{tag} class="md-heading">')
            w.inline(line[line.index(heading.group(1)) + len(heading.group(1)) :].strip(" \t#"))
            w.tag(f"</{tag}>")
            i += 1
        elif _RULE.match(plain):
            w.text(line.replace("-", "").replace("*", "").replace("_", "").strip())
            w.tag("<hr>")
            i += 1
        elif _TABLE.match(plain):
            i = _table(lines, i, w)
        elif _ITEM.match(plain):
            i = _list(lines, i, w)
        elif _QUOTE.match(plain):
            w.tag("<blockquote>")
            while i < len(lines) and _QUOTE.match(_SENTINELS.sub("", lines[i])):
                w.inline(re.sub(r"^[ \t]*>[ \t]?", "", lines[i]) + " ")
                i += 1
            w.tag("</blockquote>")
        else:
            w.tag("<p>")
            first = True
            while i < len(lines):
                current = _SENTINELS.sub("", lines[i])
                if not current.strip() or _block_start(current):
                    break
                if not first:
                    w.text(" ")
                w.inline(lines[i].strip())
                first = False
                i += 1
            w.tag("</p>")
    return w.html()


def _block_start(plain: str) -> bool:
    return bool(_HEADING.match(plain) or _ITEM.match(plain) or _TABLE.match(plain) or _QUOTE.match(plain))


def _list(lines: list[str], i: int, w: _Writer) -> int:
    ordered = bool(_ITEM.match(_SENTINELS.sub("", lines[i])).group(3))
    tag = "ol" if ordered else "ul"
    w.tag(f'<{tag} class="md-list">')
    while i < len(lines):
        plain = _SENTINELS.sub("", lines[i])
        item = _ITEM.match(plain)
        if not item:
            break
        depth = min(len(item.group(1).expandtabs(4)) // 2, 3)
        w.tag(f'<li class="md-depth-{depth}">' if depth else "<li>")
        body = lines[i][len(lines[i]) - len(lines[i].lstrip()) :]
        body = re.sub(rf"^[{''.join(MARKERS)}]*(?:[-*+•›▪●◦\uf09f\uf0b7]|\d{{1,3}}[.)])[ \t]+", "", body)
        lead = lines[i].lstrip()[: len(lines[i].lstrip()) - len(body)]
        w.text("".join(ch for ch in lead if ch in MARKERS))
        w.inline(body)
        i += 1
        # Continuation lines of the item (not a new item, block or blank line).
        while i < len(lines):
            nxt = _SENTINELS.sub("", lines[i])
            if not nxt.strip() or _block_start(nxt):
                break
            w.text(" ")
            w.inline(lines[i].strip())
            i += 1
        w.tag("</li>")
        if i < len(lines) and not _SENTINELS.sub("", lines[i]).strip():
            blank = i
            while blank < len(lines) and not _SENTINELS.sub("", lines[blank]).strip():
                blank += 1
            if blank < len(lines) and _ITEM.match(_SENTINELS.sub("", lines[blank])):
                w.text("".join(lines[i:blank]))  # keep marks that sit on the blank lines
                i = blank
    w.tag(f"</{tag}>")
    return i


def _table(lines: list[str], i: int, w: _Writer) -> int:
    rows: list[str] = []
    while i < len(lines) and _TABLE.match(_SENTINELS.sub("", lines[i])):
        rows.append(lines[i])
        i += 1
    header = len(rows) > 1 and _TABLE_RULE.match(_SENTINELS.sub("", rows[1]))
    w.tag('<div class="md-table"><table>')
    for n, row in enumerate(rows):
        if header and n == 1:
            w.text("".join(ch for ch in row if ch in MARKERS))
            continue
        cell = "th" if header and n == 0 else "td"
        w.tag("<tr>")
        for value in _cells(row):
            w.tag(f"<{cell}>")
            w.inline(value.replace("\\|", "|"))
            w.tag(f"</{cell}>")
        w.tag("</tr>")
    w.tag("</table></div>")
    return i


def render_inline(text: str) -> str:
    """One line of Markdown (a quote in a list of sources): inline formatting only, escaped."""
    w = _Writer()
    w.inline(_SENTINELS.sub(" ", re.sub(r"(?m)^[ \t]*#{1,6}[ \t]+", "", text)))
    return w.html()
