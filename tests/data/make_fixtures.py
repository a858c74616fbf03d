"""Regenerate the tiny loader fixtures in this folder: `python tests/data/make_fixtures.py`."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from fpdf import FPDF
from lxml import etree
from pypdf import PdfReader, PdfWriter

HERE = Path(__file__).parent
FIXED_DATE = dt.datetime(2024, 5, 24, tzinfo=dt.UTC)


def _pdf() -> FPDF:
    pdf = FPDF(format=(148, 210))
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_font("Helvetica", size=10)
    pdf.set_auto_page_break(False)
    return pdf


def two_pages_pdf() -> bytes:
    """Two pages with a running header and footer; page 1 hyphenates "införande" across lines."""
    pdf = _pdf()
    pdf.set_title("Policy för valfrihetssystem")
    bodies = [
        [
            "Policy för valfrihetssystem",
            "Socialnämnden ansvarar för in-",
            "förande av valfrihetssystem enligt LOV.",
            "Inledning ........................ 1",
        ],
        [
            "Uppföljning",
            "Nämnden ska följa upp alla utförare varje år.",
            "Resultaten publiceras på kommunens webbplats.",
        ],
    ]
    for number, lines in enumerate(bodies, start=1):
        pdf.add_page()
        pdf.set_xy(10, 8)
        pdf.cell(0, 5, "BOTKYRKA KOMMUN")
        pdf.set_xy(10, 13)
        pdf.cell(0, 5, "Vård- och omsorgsförvaltningen")
        y = 30
        for line in lines:
            pdf.set_xy(10, y)
            pdf.cell(0, 5, line)
            y += 6
        pdf.set_xy(10, 195)
        pdf.cell(0, 5, f"Sida {number} av {len(bodies)}")
    return bytes(pdf.output())


def programme_pdf() -> bytes:
    """A two-page follow-up programme (A5) for the browser test of a PDF citation: page 2 holds the passage."""
    pdf = _pdf()
    pdf.set_title("Program för uppföljning av privata utförare, Lindviks kommun")
    pages = [
        [
            "Program för uppföljning av privata utförare",
            "Lindviks kommun",
            "",
            "Antaget av kommunfullmäktige 2023-03-20.",
            "",
            "1 Syfte",
            "Programmet anger mål och riktlinjer för de kommunala",
            "angelägenheter som utförs av privata utförare.",
        ],
        [
            "3 Uppföljning",
            "Nämnden genomför ett uppföljningsbesök hos varje utförare",
            "minst en gång per år. Vid uppföljningsbesöket granskas",
            "utförarens egenkontroll och avvikelsehantering.",
            "",
            "4 Insyn",
            "Utföraren ska på begäran lämna de uppgifter som behövs",
            "för att allmänheten ska få insyn i verksamheten.",
        ],
    ]
    for lines in pages:
        pdf.add_page()
        y = 20
        for line in lines:
            pdf.set_xy(12, y)
            pdf.cell(0, 5, line)
            y += 6
    return bytes(pdf.output())


def image_only_pdf() -> bytes:
    """A page with a drawn grey rectangle: no text layer and no image, so nothing for OCR to read either."""
    pdf = _pdf()
    pdf.add_page()
    pdf.set_fill_color(120, 120, 120)
    pdf.rect(20, 20, 100, 140, style="F")
    return bytes(pdf.output())


def encrypted_pdf(plain: bytes) -> bytes:
    """The two-page PDF protected by a user password."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain)))
    writer.encrypt(user_password="hemligt", owner_password="hemligt", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def headings_docx() -> bytes:
    """Title, two heading levels, a paragraph, a bullet and a table."""
    document = docx.Document()
    document.add_heading("Riktlinje för uppföljning", level=0)
    document.add_heading("Syfte", level=1)
    document.add_paragraph("Nämnden ska följa upp alla utförare, även egen regi.")
    document.add_heading("Sanktioner", level=2)
    document.add_paragraph("• Vite vid upprepade brister.")
    table = document.add_table(rows=2, cols=3)
    rows = [("Brist", "Åtgärd", "Frist"), ("Dokumentation", "Åtgärdsplan", "30 dagar")]
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    # Templates derive their own heading styles; numbered clauses in them are sentences, not headings.
    clause = document.styles.add_style("1.1 Rubrik 2", WD_STYLE_TYPE.PARAGRAPH)
    clause.base_style = document.styles["Heading 2"]
    document.add_paragraph("Uppföljning av egen regi", style=clause)
    document.add_paragraph("Egen regi följs upp på samma sätt som privata utförare.", style=clause)
    document.add_paragraph("Beslutad 2024-05-24.")
    document.core_properties.created = FIXED_DATE.replace(tzinfo=None)
    out = io.BytesIO()
    document.save(out)
    return _shrink_docx(out.getvalue())


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DROP = re.compile(r"stylesWithEffects|thumbnail|customXml|itemProps")


def _shrink_docx(data: bytes) -> bytes:
    """Drop the template's unused parts and styles: python-docx's default file is ~37 KB."""
    source = zipfile.ZipFile(io.BytesIO(data))
    document_xml = source.read("word/document.xml").decode()
    used = set(re.findall(r'w:(?:pStyle|tblStyle|rStyle) w:val="([^"]+)"', document_xml)) | {"Normal", "TableNormal"}
    styles = etree.fromstring(source.read("word/styles.xml"))
    by_id = {s.get(f"{{{_W}}}styleId"): s for s in styles.iter(f"{{{_W}}}style")}
    # Keep the styles the document uses and the styles they are based on or linked to.
    keep, todo = set(), list(used)
    while todo:
        style = by_id.get(todo.pop())
        if style is None or style in keep:
            continue
        keep.add(style)
        for ref in ("basedOn", "link", "next"):
            node = style.find(f"{{{_W}}}{ref}")
            if node is not None:
                todo.append(node.get(f"{{{_W}}}val"))
    for child in list(styles):
        if child.tag == f"{{{_W}}}latentStyles" or (child.tag == f"{{{_W}}}style" and child not in keep):
            styles.remove(child)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if _DROP.search(info.filename):
                continue
            content = source.read(info.filename)
            if info.filename == "word/styles.xml":
                content = etree.tostring(styles, xml_declaration=True, encoding="UTF-8", standalone=True)
            elif info.filename.endswith((".rels", "[Content_Types].xml")):
                dropped_part = (
                    rb"<(?:Relationship|Override)\b[^>]*(?:stylesWithEffects|thumbnail|customXml|itemProps)[^>]*/>"
                )
                content = re.sub(dropped_part, b"", content)
            entry = zipfile.ZipInfo(info.filename, date_time=(2024, 5, 24, 0, 0, 0))
            target.writestr(entry, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def main() -> None:
    plain = two_pages_pdf()
    files: dict[str, bytes] = {
        "two_pages.pdf": plain,
        "image_only.pdf": image_only_pdf(),
        "encrypted.pdf": encrypted_pdf(plain),
        "corrupt.pdf": plain[: len(plain) // 3],
        "headings.docx": headings_docx(),
        "empty.txt": b"",
        "cp1252.txt": "Riktlinje för äldreomsorg\n\nBrukaren får välja utförare på egen hand.\n".encode("cp1252"),
        "binary.txt": bytes((i * 37 + 11) % 255 + 1 for i in range(600)),  # junk without NULs
        "mojibake.txt": "Riktlinje fÃ¶r Ã¤ldreomsorg och hemtjÃ¤nst. BrukarnÃ¤mnden vÃ¤ljer.\n".encode(),
        "unknown.xyz": b"Ingen dokumentfil.\n",
    }
    files["ui/uppfoljningsprogram_lindvik.pdf"] = programme_pdf()
    for name, data in files.items():
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data)} byte")


if __name__ == "__main__":
    main()
