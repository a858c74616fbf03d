"""Cited PDF pages: drawn with PDFium, the passage boxed by character boxes or OCR lines."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from assistant.models import LayoutLine
from assistant.page_image import cited_page, line_boxes, locate_passage, match_chars, ocr_boxes, page_of

PROGRAMME = Path(__file__).parent / "data" / "ui" / "uppfoljningsprogram_lindvik.pdf"
TWO_PAGES = Path(__file__).parent / "data" / "two_pages.pdf"


def test_the_passage_is_boxed_on_its_page():
    image = cited_page(PROGRAMME, 2, "Nämnden genomför ett uppföljningsbesök hos varje utförare minst en gång per år.")
    assert image is not None and image.page == 2 and image.pages == 2 and image.located_by == "text"
    picture = Image.open(io.BytesIO(image.png))
    assert picture.size == (image.width, image.height) and image.width >= 800
    # Two lines of the page, left to right across the text, near the top of an A5 page.
    assert len(image.boxes) == 2
    for left, top, right, bottom in image.boxes:
        assert 0 <= left < right <= 1 and 0 <= top < bottom < 0.3
    assert image.data_uri().startswith("data:image/png;base64,")


def test_hyphenation_and_line_breaks_do_not_hide_the_passage():
    # two_pages.pdf breaks "in-\nförande"; the cleaned text has "införande".
    image = cited_page(TWO_PAGES, 1, "Socialnämnden ansvarar för införande av valfrihetssystem enligt LOV.")
    assert image is not None and len(image.boxes) == 2


def test_a_passage_not_on_the_page_is_not_boxed_anywhere():
    image = cited_page(PROGRAMME, 1, "Nämnden genomför ett uppföljningsbesök hos varje utförare minst en gång per år.")
    assert image is not None and image.boxes == [] and image.located_by == ""


def test_a_missing_or_broken_file_gives_no_page(tmp_path):
    assert cited_page(tmp_path / "borta.pdf", 1, "text") is None
    broken = tmp_path / "trasig.pdf"
    broken.write_bytes(b"%PDF-1.4 inte mer")
    assert cited_page(broken, 1, "text") is None
    assert cited_page(PROGRAMME, 9, "text") is None


def test_ocr_pages_are_marked_by_their_lines():
    layout = [
        LayoutLine(page=1, start=0, end=40, bbox=(0.1, 0.1, 0.9, 0.12), confidence=0.9),
        LayoutLine(page=1, start=41, end=80, bbox=(0.1, 0.13, 0.9, 0.15), confidence=0.9),
        LayoutLine(page=2, start=81, end=120, bbox=(0.1, 0.1, 0.9, 0.12), confidence=0.9),
    ]
    assert ocr_boxes(layout, 1, 50, 100) == [(0.1, 0.13, 0.9, 0.15)]
    image = cited_page(PROGRAMME, 1, "finns inte i textlagret", layout=layout, span=(10, 60))
    assert image.located_by == "ocr" and len(image.boxes) == 2


@pytest.mark.parametrize(
    ("page_text", "quote", "found"),
    [
        ("Alfa beta gamma.\nDelta epsilon.", "beta gamma. Delta", "beta gamma.\nDelta"),
        ("Utförare ska rap-\nportera varje månad.", "Utförare ska rapportera varje månad.", None),
        ("Helt annan text här.", "Utföraren ska rapportera varje månad till nämnden.", ""),
    ],
)
def test_matching_ignores_spacing_hyphens_and_case(page_text, quote, found):
    chars = match_chars(page_text, quote)
    if found == "":
        assert chars == []
    elif found is None:
        assert chars and page_text[chars[0]] == "U" and page_text[chars[-1]] == "d"
    else:
        assert page_text[chars[0] : chars[-1] + 1] == found


def test_character_boxes_join_into_lines():
    chars = [(0.1, 0.1, 0.12, 0.12), (0.12, 0.1, 0.14, 0.12), (0.1, 0.13, 0.12, 0.15), (0.12, 0.13, 0.2, 0.15)]
    lines = line_boxes(chars)
    assert len(lines) == 2 and lines[0][2] > 0.139 and lines[1][2] > 0.199


def test_locating_and_paging_a_passage():
    text = "Sida ett.\fSida två med passagen.\fSida tre."
    starts = [0, 10, 33]
    assert locate_passage(text, 99, 120, "med passagen") == (text.index("med"), text.index("med") + 12)
    assert page_of(starts, text.index("passagen")) == 2 and page_of(starts, 0) == 1 and page_of(starts, 40) == 3
