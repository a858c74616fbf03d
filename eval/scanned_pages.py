"""Synthetic scans with a known text: Swedish pages rendered to images and packed as an image-only PDF.

Used by tests/test_ocr.py and eval/bench_ocr.py. A page is typeset with DejaVu Sans (shipped with
matplotlib) by fpdf2, rasterised by pypdfium2 and "scanned": a slight skew, sensor noise and JPEG
compression, as an office scanner at 200 dpi leaves it. The page's words in reading order are the
reference for the word error rate.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass, field

import numpy as np

A4_MM = (210.0, 297.0)
_FIXED_DATE = dt.datetime(2024, 5, 24, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Page:
    """One page: a heading, paragraphs and an optional table (first row is the header)."""

    heading: str
    paragraphs: tuple[str, ...]
    table: tuple[tuple[str, ...], ...] = field(default=())

    def words(self) -> list[str]:
        """The page's words in reading order (table row by row), the reference for the word error rate."""
        parts = [self.heading, *self.paragraphs, *(" ".join(row) for row in self.table)]
        return " ".join(parts).split()


# Page 1 is the opening of the Täby policy in corpus/003_c73df01d320b46e8.txt ("a scanned copy of a
# corpus page"); page 2 carries § references and a small table; page 3 is from the SKR guidance.
PAGES: tuple[Page, ...] = (
    Page(
        heading="Policy för socialnämndens valfrihetssystem",
        paragraphs=(
            "Socialnämnden verkar tillsammans med privata utförare på det som kan beskrivas som en lokal "
            "marknad för offentligt finansierade välfärdstjänster. Denna marknad styrs av lagstiftning men "
            "också av krav och villkor som socialnämnden i egenskap av organisatör och beställare svarar för "
            "att formulera.",
            "De krav och villkor som formuleras ska vara tydliga och transparenta, dels för att det ska vara "
            "attraktivt för utförare att etablera sig, dels för att socialnämnden i egenskap av beställare ska "
            "kunna följa upp de insatser som utförs.",
            "I egenskap av beställare fastställer socialnämnden krav för att bli godkänd som utförare, krav på "
            "tjänstens utförare, ersättningsnivåer och åtgärder vid kvalitetsbrister i uppdragets utförande. "
            "Dessa krav och villkor ska så långt det är möjligt omfatta samtliga utförare, även kommunens egen "
            "regi.",
        ),
    ),
    Page(
        heading="Uppföljning och sanktioner",
        paragraphs=(
            "Nämnden följer upp varje utförare minst en gång per år enligt fullmäktiges program för "
            "uppföljning av privata utförare, 5 kap. 3 § kommunallagen. Allmänhetens insyn säkras i avtalet "
            "enligt 10 kap. 9 § kommunallagen.",
            "Brister åtgärdas stegvis. Utföraren ska inom 30 dagar lämna en åtgärdsplan när nämnden har "
            "påtalat en brist. Vid upprepade brister tas ett vite ut och i sista hand hävs avtalet. "
            "Socialnämnden beslutade om sanktionstrappan den 12 mars 2024, § 45.",
        ),
        table=(
            ("Brist", "Åtgärd", "Frist"),
            ("Dokumentation saknas", "Åtgärdsplan", "30 dagar"),
            ("Upprepad brist", "Vite", "14 dagar"),
            ("Allvarlig brist", "Hävning av avtal", "Omedelbart"),
        ),
    ),
    Page(
        heading="Styrning i valfrihetssystem",
        paragraphs=(
            "Ett införande av valfrihetssystem medför ofta stora förändringar i styrningen av kommunen eller "
            "regionen. Fullmäktige har flera roller, som befolkningsföreträdare, ägare och utförare av egen "
            "regi, beställare eller uppdragsgivare, vilka samtliga måste hanteras.",
            "Fullmäktige ska inför varje mandatperiod anta ett program med mål och riktlinjer för uppföljning "
            "av privata utförare. Programmet ska också säkerställa att allmänheten ges en rimlig insyn i den "
            "verksamhet som privata utförare bedriver.",
        ),
    ),
)


def font_path(name: str = "DejaVuSans") -> str:
    """A TrueType font shipped with matplotlib: DejaVuSans, DejaVuSerif, STIXGeneral (Times-like)."""
    import matplotlib

    return os.path.join(matplotlib.get_data_path(), "fonts", "ttf", f"{name}.ttf")


def text_pdf(pages: tuple[Page, ...] = PAGES, font: str = "DejaVuSans", size: float = 11) -> bytes:
    """The pages typeset as an ordinary PDF with a text layer (A4, `size` pt)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(_FIXED_DATE)
    pdf.add_font("Body", fname=font_path(font))
    pdf.set_auto_page_break(False)
    pdf.set_margins(25, 25, 25)
    for page in pages:
        pdf.add_page()
        pdf.set_font("Body", size=size + 5)
        pdf.multi_cell(0, 9, page.heading, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font("Body", size=size)
        for paragraph in page.paragraphs:
            pdf.multi_cell(0, size * 0.55, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        if page.table:
            with pdf.table(col_widths=(45, 35, 20), line_height=size * 0.7, first_row_as_headings=False) as table:
                for row in page.table:
                    table.row(row)
    return bytes(pdf.output())


def scan(pdf_bytes: bytes, dpi: int = 200, skew: float = 0.4, noise: float = 8.0, quality: int = 75, seed: int = 0):
    """An image-only PDF of every page: rasterised at `dpi`, skewed, noisy, JPEG-compressed; no text layer."""
    import pypdfium2 as pdfium
    from fpdf import FPDF
    from PIL import Image

    rng = np.random.default_rng(seed)
    source = pdfium.PdfDocument(pdf_bytes)
    out = FPDF(format="A4")
    out.set_creation_date(_FIXED_DATE)
    try:
        for index in range(len(source)):
            bitmap = source[index].render(scale=dpi / 72, grayscale=True)
            pixels = bitmap.to_numpy().squeeze().astype(np.float32)
            pixels += rng.normal(0.0, noise, pixels.shape)
            image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")
            image = image.rotate(skew, resample=Image.Resampling.BILINEAR, fillcolor=255)
            jpeg = io.BytesIO()
            image.save(jpeg, format="JPEG", quality=quality)
            jpeg.seek(0)
            out.add_page()
            out.image(jpeg, x=0, y=0, w=A4_MM[0], h=A4_MM[1])
    finally:
        source.close()
    return bytes(out.output())


def scanned_pdf(pages: tuple[Page, ...] = PAGES, **kwargs) -> bytes:
    """The pages typeset, then scanned: what a municipal archive holds for an old signed decision."""
    return scan(text_pdf(pages), **kwargs)


def mixed_pdf(text_page: Page, scanned_page: Page) -> bytes:
    """Two pages: the first with a text layer, the second scanned (a signed page added to a decision)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(text_pdf((text_page,)))).pages[0])
    writer.add_page(PdfReader(io.BytesIO(scanned_pdf((scanned_page,)))).pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def word_error_rate(reference: list[str], hypothesis: list[str]) -> float:
    """(substitutions + deletions + insertions) / reference words, by word-level edit distance."""
    if not reference:
        return float(bool(hypothesis))
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, start=1):
        current = [i] + [0] * len(hypothesis)
        for j, hyp in enumerate(hypothesis, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp))
        previous = current
    return previous[-1] / len(reference)
