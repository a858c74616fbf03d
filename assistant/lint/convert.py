"""Write a Markdown draft (or a parsed draft) as DOCX or PDF: for format tests, the benchmark and comments."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.lint.draft import Draft

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
# Markdown's bullets and "•", not the other marks of text.BULLETS: a line that starts with "–" may go on a sentence
# ("Vänersborgs kommun" / "– attraktiv och hållbar i alla delar").
_BULLET = re.compile(r"^\s*[-*•]\s+")
_FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans.ttf")
_LATIN1 = str.maketrans({"–": "-", "—": "-", "”": '"', "“": '"', "’": "'", "‘": "'", "…": "...", "•": "-", "§": "§"})


def markdown_blocks(text: str) -> list[tuple[int, str]]:
    """(heading level or 0, text) per block: headings, list items and paragraphs with joined lines."""
    blocks: list[tuple[int, str]] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append((0, " ".join(paragraph)))
            paragraph.clear()

    for line in text.splitlines():
        stripped = line.strip()
        heading = _HEADING.match(stripped)
        if heading:
            flush()
            blocks.append((len(heading.group(1)), heading.group(2)))
        elif not stripped:
            flush()
        elif _BULLET.match(line) or re.match(r"^\d+(?:\.\d+)+\s", stripped):
            flush()
            paragraph.append(stripped)
        else:
            paragraph.append(stripped)
    flush()
    return blocks


def blocks_to_docx(blocks: list[tuple[int, str]], out: Path | None = None):
    """A python-docx Document with Heading styles; saved to `out` when given."""
    import docx

    document = docx.Document()
    for level, text in blocks:
        if level:
            document.add_heading(text, level=min(level, 9))
        elif _BULLET.match(text):
            document.add_paragraph(_BULLET.sub("", text), style="List Bullet")
        else:
            document.add_paragraph(text)
    if out is not None:
        document.save(str(out))
    return document


def markdown_to_docx(text: str, out: Path) -> Path:
    blocks_to_docx(markdown_blocks(text), out)
    return out


def markdown_to_pdf(text: str, out: Path, repeat: int = 1) -> Path:
    """A PDF with the draft's headings in bold; `repeat` writes the body several times (benchmark)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(25, 20, 25)
    pdf.set_auto_page_break(True, 20)
    font = next((f for f in _FONTS if Path(f).exists()), None)
    if font:
        pdf.add_font("Body", "", font)
        bold = font.replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
        pdf.add_font("Body", "B", bold if Path(bold).exists() else font)
        family, clean = "Body", (lambda s: s)
    else:  # core fonts cover latin-1, which has å, ä and ö
        family, clean = "Helvetica", (lambda s: s.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1"))
    pdf.add_page()
    for _ in range(repeat):
        for level, block in markdown_blocks(text):
            if level:
                pdf.set_font(family, "B", max(11, 17 - 2 * level))
                pdf.multi_cell(0, 7, clean(block), new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.set_font(family, "", 11)
                pdf.multi_cell(0, 5.5, clean(block), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2.5)
    pdf.output(str(out))
    return out


def draft_blocks(draft: Draft) -> list[tuple[int, str]]:
    """Headings and paragraphs of a parsed draft, for a DOCX copy of a PDF or Markdown draft."""
    items: list[tuple[int, int, str]] = [(s.start, max(1, min(s.level, 9)), s.label) for s in draft.sections]
    by_block: dict[int, list] = {}
    for sentence in draft.sentences:
        by_block.setdefault(sentence.block, []).append(sentence)
    for sentences in by_block.values():
        first = sentences[0]
        body = " ".join(s.text for s in sentences)
        before = draft.text[max(0, first.start - len(first.clause or "") - 2) : first.start].strip()
        if first.clause and before.startswith(first.clause):
            body = f"{first.clause} {body}"
        items.append((first.start, 0, body))
    items.sort(key=lambda item: item[0])
    return [(level, text) for _, level, text in items]
