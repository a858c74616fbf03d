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
from assistant.page_image import PageImage, locate_passage, page_of
from ui.markdown import render_inline, render_markdown

MARKER = re.compile(r"\[(\d{1,3})\]")
CONTEXT_CHARS = 700
MAX_PAGE_CHARS = 6000
MAX_SECTION_CHARS = 6000
MAX_WHOLE_CHARS = 250_000  # a statute of 230 000 characters still opens whole
_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+\S", re.MULTILINE)

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
    return locate_passage(text, c.start, c.end, c.quote)


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


def section_span(text: str, start: int, end: int, page_starts: Sequence[int], page: int | None) -> tuple[int, int]:
    """The passage's section: from the heading above it to the next heading of the same or a higher level,
    if that is not too long; else its page (paged documents) or the surrounding paragraphs."""
    headings = [(m.start(), len(m.group(1))) for m in _MD_HEADING.finditer(text)]
    above = [h for h in headings if h[0] <= start]
    if above:
        lo, level = above[-1]
        below = [pos for pos, lvl in headings if pos >= end and lvl <= level]
        hi = below[0] if below else len(text)
        if hi - lo <= MAX_SECTION_CHARS:
            return lo, hi
    return context_span(text, start, end, page_starts, page)


def whole_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole document, or for a very long one (a statute) a generous stretch around the passage."""
    if len(text) <= MAX_WHOLE_CHARS:
        return 0, len(text)
    lo = max(0, start - MAX_WHOLE_CHARS // 2)
    return lo, min(len(text), lo + MAX_WHOLE_CHARS)


def render_page_image(image: PageImage, title: str) -> str:
    """The cited PDF page as an image with the passage's boxes laid over it (no plug-in, no script)."""
    marks = "".join(
        f'<span class="pdf-mark" style="left:{100 * a:.2f}%;top:{100 * b:.2f}%;'
        f'width:{100 * (c - a):.2f}%;height:{100 * (d - b):.2f}%"></span>'
        for a, b, c, d in image.boxes
    )
    found = "med det citerade stället markerat" if image.boxes else "(det citerade stället kunde inte märkas ut)"
    alt = f"Sida {image.page} av {image.pages} i originalet av {title}, {found}"
    ocr = " Sidan är inläst med OCR; markeringen följer de lästa raderna." if image.located_by == "ocr" else ""
    return (
        f'<figure class="pdf-page" tabindex="0" data-page="{image.page}" data-marks="{len(image.boxes)}" '
        f'aria-label="Sida {image.page} i originalet">'
        f"<figcaption>Sida {image.page} av {image.pages} i originalet (PDF), {esc(found)}.{esc(ocr)}</figcaption>"
        f'<div class="pdf-page-box"><img src="{image.data_uri()}" alt="{esc(alt)}" width="{image.width}" '
        f'height="{image.height}">{marks}</div></figure>'
    )


def render_source(
    c: Citation,
    text: str | None,
    page_starts: Sequence[int] = (),
    meta: DocumentMeta | None = None,
    *,
    whole: bool = False,
    page_image: PageImage | None = None,
) -> str:
    """The source pane: document facts, the cited PDF page if there is one, then the document's text as it
    reads (Markdown rendered) with the passage marked, in its section or (`whole`) in the whole document."""
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
    badges = _badges(c)
    span = locate(c, text) if text else None
    page = c.page
    if span is not None and page_starts:
        page = page_of(page_starts, span[0])  # a passage cited by its chunk's first page may start on the next
    facts = [(k, page if k == "Sida" else v) for k, v in facts]
    dl = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts if v not in (None, ""))
    figure = render_page_image(page_image, c.title) if page_image is not None else ""
    if text is None or span is None:
        passage = (
            '<div class="source-text" tabindex="0">'
            f'<p><mark class="cited" id="cited-passage">{render_inline(c.quote)}</mark></p></div>'
        )
        note = '<p class="source-note">Den omgivande texten kunde inte visas; här är citatet.</p>'
    else:
        start, end = span
        lo, hi = whole_span(text, start, end) if whole else section_span(text, start, end, page_starts, page)
        label = "Hela dokumentet" if whole and (lo, hi) == (0, len(text)) else "Avsnittet"
        cut_before = '<p class="source-cut">…</p>' if lo > 0 else ""
        cut_after = '<p class="source-cut">…</p>' if hi < len(text) else ""
        passage = (
            f'<div class="source-text" tabindex="0" data-view="{"whole" if whole else "section"}" '
            f'aria-label="{label}, med det citerade stället markerat">'
            f"{cut_before}{render_markdown(text[lo:hi], [(start - lo, end - lo)], _key(c, start, end, lo))}"
            f"{cut_after}</div>"
        )
        note = ""
    return (
        f'<div class="source-pane" role="region" aria-label="Källa: {esc(c.title)}">'
        f'<h3 class="source-title">{esc(c.title)}</h3>{" <p>" + badges + "</p>" if badges else ""}'
        f'<dl class="source-facts">{dl}</dl>{figure}{note}{passage}</div>'
    )


def _key(c: Citation, start: int, end: int, lo: int) -> tuple[int, int] | None:
    """The answering sentence inside a longer cited passage (`key_start`/`key_end` where citations carry
    them), relative to the shown text; None when the passage is the sentence itself."""
    key_start, key_end = getattr(c, "key_start", None), getattr(c, "key_end", None)
    if key_start is None or key_end is None or not (start <= key_start < key_end <= end):
        return None
    if (key_start, key_end) == (start, end):
        return None
    return key_start - lo, key_end - lo


def render_error(message: str) -> str:
    return f'<div class="error-box" role="alert">{esc(message)}</div>'


def render_status(message: str, ok: bool = True) -> str:
    cls = "status-ok" if ok else "error-box"
    role = "status" if ok else "alert"
    lines = "".join(f"<p>{esc(line)}</p>" for line in message.splitlines() if line.strip())
    return f'<div class="{cls}" role="{role}">{lines}</div>'
