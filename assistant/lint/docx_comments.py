"""A copy of a DOCX draft with each finding as a Word comment on the clause it points at."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

from assistant.lint.draft import Draft
from assistant.models import Finding

AUTHOR, INITIALS = "Styrdok", "SD"
_SEVERITY = {"error": "Fel", "warning": "Varning", "info": "Info"}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def comment_text(finding: Finding) -> list[str]:
    """The comment's paragraphs: rule and message, suggestion, sources."""
    lines = [
        f"{_SEVERITY[finding.severity.value]} [{finding.rule}]: {finding.message}",
        f"Förslag: {finding.suggestion}",
    ]
    for source in finding.sources:
        page = f", s. {source.page}" if source.page else ""
        lines.append(f"Källa: {source.title} ({source.doc}{page}): ”{' '.join(source.quote.split())}”")
    return lines


def write_commented_docx(
    findings: list[Finding], out: Path, source: Path | None = None, draft: Draft | None = None
) -> int:
    """Save a commented copy of `source` (a DOCX) or of `draft` rebuilt as DOCX; returns the comment count."""
    import docx

    from assistant.lint.convert import blocks_to_docx, draft_blocks

    if source is not None and source.suffix.lower() == ".docx":
        document = docx.Document(str(source))
    elif draft is not None:
        document = blocks_to_docx(draft_blocks(draft))
    else:
        raise ValueError("a DOCX source or a parsed draft is needed")
    paragraphs = [p for p in _paragraphs(document) if p.runs and p.text.strip()]
    if not paragraphs:
        paragraphs = [document.add_paragraph(draft.name if draft else "Dokument")]
        paragraphs[0].runs or paragraphs[0].add_run(" ")
    anchor_missing = next((p for p in paragraphs if _is_heading(p)), paragraphs[0])
    count = 0
    for finding in findings:
        runs = _runs_for(paragraphs, finding.quote) if finding.quote and not finding.missing else None
        runs = runs or list(anchor_missing.runs)
        lines = comment_text(finding)
        comment = document.add_comment(runs, text=lines[0], author=AUTHOR, initials=INITIALS)
        for line in lines[1:]:
            comment.add_paragraph(line)
        count += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out))
    return count


def _paragraphs(document) -> Iterator:
    """Body paragraphs and table-cell paragraphs in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    def walk(container) -> Iterator:
        for item in container.iter_inner_content():
            if isinstance(item, Paragraph):
                yield item
            elif isinstance(item, Table):
                for row in item.rows:
                    for cell in row.cells:
                        yield from walk(cell)

    yield from walk(document)


def _is_heading(paragraph) -> bool:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    return name.lower().startswith(("heading", "rubrik", "title"))


def _norm_map(text: str) -> tuple[str, list[int]]:
    """Lowercased text with whitespace collapsed and markup dropped, and each char's original index."""
    out, index, space = [], [], False
    for i, ch in enumerate(text):
        if ch in "*_`":
            continue
        if ch.isspace():
            if not space and out:
                out.append(" ")
                index.append(i)
            space = True
            continue
        space = False
        out.append(ch.lower())
        index.append(i)
    return "".join(out), index


def _runs_for(paragraphs: list, quote: str) -> list | None:
    wanted = _norm_map(quote.strip())[0]
    for probe in (wanted, wanted[:60]):
        for paragraph in paragraphs:
            text = "".join(run.text for run in paragraph.runs)
            norm, index = _norm_map(text)
            pos = norm.find(probe)
            if pos < 0:
                continue
            end = pos + (len(wanted) if probe == wanted else len(norm) - pos)
            start_char, end_char = index[pos], index[min(end, len(index)) - 1] + 1
            return _isolate(paragraph, start_char, end_char)
    return None


def _isolate(paragraph, start: int, end: int) -> list:
    """Runs covering text[start:end], splitting plain-text runs at the boundaries."""
    _split_at(paragraph, end)
    _split_at(paragraph, start)
    runs, offset = [], 0
    for run in paragraph.runs:
        length = len(run.text)
        if offset + length > start and offset < end:
            runs.append(run)
        offset += length
    return runs or list(paragraph.runs)


def _split_at(paragraph, at: int) -> None:
    from docx.text.run import Run

    offset = 0
    for run in paragraph.runs:
        length = len(run.text)
        if offset < at < offset + length:
            simple = all(child.tag in (f"{_W}rPr", f"{_W}t") for child in run._r)
            if simple:
                text = run.text
                clone = copy.deepcopy(run._r)
                run._r.addnext(clone)
                run.text = text[: at - offset]
                Run(clone, run._parent).text = text[at - offset :]
            return
        offset += length
