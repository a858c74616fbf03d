"""Reading a chunk's lines into blocks, the unit builder's input (passages.segment tests the units)."""

from __future__ import annotations

import pytest

from assistant.answering.blocks import is_heading, read_blocks

LONG = "Detta är en lång rad som fortsätter utan punkt och som är längre än femtio tecken"  # over 50 characters


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # steps numbered one after another are items, though each reads as a title
            "Gör så här:\n1. Kontakta omgående enhetschef\n2. Ring Anticimex\n",
            [("para", "Gör så här:"), ("item", "1. Kontakta omgående enhetschef"), ("item", "2. Ring Anticimex")],
        ),
        (  # a numbered title alone is a heading
            "2. Inledning\nDokumentet beskriver rutinen.\n",
            [("heading", "2. Inledning"), ("para", "Dokumentet beskriver rutinen.")],
        ),
        (  # a year is not a list number
            "2021. Året då allt hände\n",
            [("para", "2021. Året då allt hände")],
        ),
        (  # "*" alone on its line marks a footnote, not an item
            "Stående läkemedel\n*\n= Parallellimport finns\n",
            [("para", "Stående läkemedel"), ("para", "*"), ("para", "= Parallellimport finns")],
        ),
        (  # a PDF's marker on a line of its own starts an item with the next line
            "Om\nb.\ndet kommer fram att något hänt\n",
            [("para", "Om"), ("item", "b.\ndet kommer fram att något hänt")],
        ),
        (  # a long line without end punctuation is hard-wrapped; a blank line ends the paragraph
            LONG + "\nOch fortsätter.\n\nNy.\n",
            [("para", LONG + "\nOch fortsätter."), ("para", "Ny.")],
        ),
        (
            "## Bakgrund\nText med fotnot¹.\n- punkt ett\n¹ Se lagen.\n",
            [
                ("heading", "## Bakgrund"),
                ("para", "Text med fotnot¹."),
                ("item", "- punkt ett"),
                ("footnote", "¹ Se lagen."),
            ],
        ),
    ],
)
def test_blocks_by_lines(text, expected):
    assert [(b.kind, text[b.start : b.end]) for b in read_blocks(text)] == expected


def test_a_decision_line_is_not_a_heading():
    assert is_heading("Bakgrund")
    assert not is_heading("Antagen av kommunfullmäktige § 117, 2011-06-16")
