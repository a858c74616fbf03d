"""HTML for the assistant's answers, citation chips and the source pane.

Everything that comes from a document, a question or a model passes through `esc()`: the
HTML components show what these functions return as markup, so a document containing
`<script>` must arrive as text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from assistant.models import KIND_LABELS_SV, Answer, Citation, DocumentKind, DocumentMeta

MARKER = re.compile(r"\[(\d{1,3})\]")
CONTEXT_CHARS = 700
MAX_PAGE_CHARS = 6000

STATUS_SV = {"current": "gällande", "repealed": "upphävd"}


def esc(text: object) -> str:
    """Escape text for HTML element content and attribute values."""
    return html.escape("" if text is None else str(text), quote=True)


def kind_label(kind: DocumentKind | str | None) -> str:
    if kind is None:
        return ""
    try:
        return KIND_LABELS_SV[DocumentKind(kind)]
    except ValueError:
        return str(kind)


def status_label(status: str) -> str:
    if status.startswith("duplicate of "):
        return "dubblett av " + status.removeprefix("duplicate of ")
    return STATUS_SV.get(status, status)


def where(c: Citation) -> str:
    """'s. 3, 10 kap. > 9 §': the place of a citation inside its document."""
    parts = []
    if c.page:
        parts.append(f"s. {c.page}")
    if c.section:
        parts.append(c.section)
    return ", ".join(parts)


# --- the conversation -------------------------------------------------------------------------


def chip(turn: int, group: str, n: int, c: Citation) -> str:
    """A numbered button; ui/ask_tab.py listens for clicks on `.cite-chip` and opens the source."""
    label = f"Visa källa {n}: {c.title}" + (f", {where(c)}" if where(c) else "")
    return (
        f'<button type="button" class="cite-chip" data-turn="{turn}" data-group="{group}" data-n="{n}" '
        f'aria-label="{esc(label)}" title="{esc(label)}">[{n}]</button>'
    )


def _answer_text(answer: Answer, turn: int) -> str:
    """Answer text, escaped, with each [n] marker turned into a chip for citation n."""
    escaped = esc(answer.text)

    def replace(match: re.Match) -> str:
        n = int(match.group(1))
        if 1 <= n <= len(answer.citations):
            return chip(turn, "c", n, answer.citations[n - 1])
        return match.group(0)

    return MARKER.sub(replace, escaped)


def _badges(c: Citation) -> str:
    out = []
    if c.is_quote_of_person:
        out.append('<span class="badge badge-quote">Citat – en åsikt, inte en regel</span>')
    if c.repealed:
        out.append('<span class="badge badge-repealed">Upphävd</span>')
    if c.ocr:
        out.append('<span class="badge badge-ocr">Inläst med OCR – kontrollera mot originalet</span>')
    return " ".join(out)


def _source_list(turn: int, group: str, citations: Sequence[Citation], heading: str) -> str:
    if not citations:
        return ""
    items = []
    for n, c in enumerate(citations, start=1):
        decided = f"beslutad av {c.decided_by}" if c.decided_by else ""
        meta = " · ".join(x for x in (c.folder, kind_label(c.kind), c.decided_on or c.date, decided, where(c)) if x)
        also = f' <span class="also">Samma text även i: {esc(", ".join(c.also_in))}</span>' if c.also_in else ""
        meta_html = f' <span class="src-meta">{esc(meta)}</span>' if meta else ""
        items.append(
            f'<li>{chip(turn, group, n, c)} <span class="src-title">{esc(c.title)}</span>'
            f"{meta_html} {_badges(c)}{also}</li>"
        )
    return f'<div class="sources"><p class="sources-heading">{esc(heading)}</p><ul>{"".join(items)}</ul></div>'


def render_answer(answer: Answer, turn: int) -> str:
    """One answer: text with chips, trust notes, and its sources (or the nearest passages)."""
    notes = "".join(f"<li>{esc(n)}</li>" for n in answer.notes)
    notes_html = f'<ul class="notes" aria-label="Att tänka på">{notes}</ul>' if notes else ""
    if answer.abstained:
        body = (
            '<p class="abstain-label"><span aria-hidden="true">⚠ </span>Inget säkert svar i dokumenten</p>'
            f'<p class="answer-text">{esc(answer.text)}</p>'
            + notes_html
            + _source_list(turn, "n", answer.nearest, "Närmaste textavsnitt (inte ett svar):")
        )
        return f'<div class="answer abstained" data-turn="{turn}">{body}</div>'
    resolved = (
        f'<p class="resolved">Tolkad som: {esc(answer.resolved_question)}</p>' if answer.resolved_question else ""
    )
    body = (
        resolved
        + f'<p class="answer-text">{_answer_text(answer, turn)}</p>'
        + notes_html
        + _source_list(turn, "c", answer.citations, "Källor:")
    )
    return f'<div class="answer" data-turn="{turn}">{body}</div>'


def render_conversation(answers: Sequence[Answer], pending: str | None = None) -> str:
    """The whole chat of one session, oldest first; `pending` is a question being answered."""
    parts = []
    for turn, answer in enumerate(answers):
        parts.append(
            f'<div class="turn"><p class="question"><span class="sr-only">Fråga: </span>{esc(answer.question)}</p>'
            f"{render_answer(answer, turn)}</div>"
        )
    if pending is not None:
        parts.append(
            f'<div class="turn"><p class="question"><span class="sr-only">Fråga: </span>{esc(pending)}</p>'
            '<div class="answer pending" aria-busy="true">Söker i dokumenten …</div></div>'
        )
    if not parts:
        parts.append(
            '<p class="empty-chat">Ställ en fråga om styrdokumenten, eller välj en av förslagen nedan. '
            "Varje svar visar sina källor som numrerade knappar – klicka på en för att se den citerade texten.</p>"
        )
    return f'<div class="conversation" role="log" aria-live="polite" aria-label="Samtal">{"".join(parts)}</div>'


# --- the source pane --------------------------------------------------------------------------

SOURCE_PLACEHOLDER = (
    '<div class="source-pane empty"><p>Klicka på en källa, till exempel <span class="chip-sample">[1]</span>, '
    "för att se dokumentet och det citerade stället markerat.</p></div>"
)


def locate(c: Citation, text: str) -> tuple[int, int] | None:
    """The cited span in the document text: the citation's offsets if they hold, else a search for the quote."""
    if c.start is not None and c.end is not None and 0 <= c.start < c.end <= len(text):
        return c.start, c.end
    quote = (c.quote or "").strip()
    if not quote:
        return None
    found = text.find(quote)
    if found >= 0:
        return found, found + len(quote)
    words = re.findall(r"\w+", quote)[:40]
    if len(words) >= 3:
        pattern = r"\W+".join(re.escape(w) for w in words)
        match = re.search(pattern, text)
        if match:
            return match.start(), match.end()
    return None


def context_span(text: str, start: int, end: int, page_starts: Sequence[int], page: int | None) -> tuple[int, int]:
    """What to show around a passage: its page for paged documents, else the surrounding paragraphs."""
    if page_starts and page and 1 <= page <= len(page_starts):
        lo = page_starts[page - 1]
        hi = page_starts[page] if page < len(page_starts) else len(text)
        if lo <= start and end <= hi and hi - lo <= MAX_PAGE_CHARS:
            return lo, hi
    lo = max(0, start - CONTEXT_CHARS)
    hi = min(len(text), end + CONTEXT_CHARS)
    # Start and stop at a paragraph or line break where one is near, so the context reads cleanly.
    para = text.rfind("\n\n", lo, start)
    lo = para + 2 if para >= 0 else (text.rfind("\n", lo, start) + 1 if text.rfind("\n", lo, start) >= 0 else lo)
    para = text.find("\n\n", end, hi)
    hi = para if para >= 0 else hi
    return lo, hi


def render_source(
    c: Citation, text: str | None, page_starts: Sequence[int] = (), meta: DocumentMeta | None = None
) -> str:
    """The source pane: document facts, then the cited passage highlighted in its surroundings."""
    facts = [
        ("Dokumenttyp", kind_label(c.kind or (meta.kind if meta else None))),
        ("Mapp", c.folder),
        ("Utfärdare", meta.issuer if meta else None),
        ("Beslutat av", meta.decided_by if meta else c.decided_by),
        ("Beslutat", meta.decided_on if meta else c.decided_on),
        ("Dokumentansvarig", meta.owner if meta else None),
        ("Gäller", meta.valid if meta else None),
        ("Ersätter", meta.replaces if meta else None),
        ("Datum", c.date or (meta.date if meta else None)),
        ("Sida", c.page),
        ("Avsnitt", c.section),
        ("Fil", c.doc),
    ]
    if meta is not None and meta.status != "current":
        facts.append(("Status", status_label(meta.status)))
    dl = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts if v not in (None, ""))
    badges = _badges(c)
    span = locate(c, text) if text else None
    if text is None or span is None:
        passage = f'<div class="source-text" tabindex="0"><mark id="cited-passage">{esc(c.quote)}</mark></div>'
        note = '<p class="source-note">Den omgivande texten kunde inte visas; här är citatet.</p>'
    else:
        start, end = span
        lo, hi = context_span(text, start, end, page_starts, c.page)
        before = ("… " if lo > 0 else "") + text[lo:start]
        after = text[end:hi] + (" …" if hi < len(text) else "")
        passage = (
            '<div class="source-text" tabindex="0" aria-label="Dokumenttext med det citerade stället markerat">'
            f'{esc(before)}<mark id="cited-passage">{_with_key(text, start, end, c)}</mark>{esc(after)}</div>'
        )
        note = ""
    return (
        f'<div class="source-pane" role="region" aria-label="Källa: {esc(c.title)}">'
        f'<h3 class="source-title">{esc(c.title)}</h3>{" <p>" + badges + "</p>" if badges else ""}'
        f'<dl class="source-facts">{dl}</dl>{note}{passage}</div>'
    )


def _with_key(text: str, start: int, end: int, c: Citation) -> str:
    """The cited passage, its answering sentence in bold when the passage holds more (its context)."""
    if c.key_start is None or c.key_end is None or not (start <= c.key_start < c.key_end <= end):
        return esc(text[start:end])
    return (
        f'{esc(text[start : c.key_start])}<strong class="key-sentence">{esc(text[c.key_start : c.key_end])}</strong>'
        f"{esc(text[c.key_end : end])}"
    )


def render_error(message: str) -> str:
    return f'<div class="error-box" role="alert">{esc(message)}</div>'


def render_status(message: str, ok: bool = True) -> str:
    cls = "status-ok" if ok else "error-box"
    role = "status" if ok else "alert"
    lines = "".join(f"<p>{esc(line)}</p>" for line in message.splitlines() if line.strip())
    return f'<div class="{cls}" role="{role}">{lines}</div>'
