"""Sentence splitting with the shared list-marker vocabulary (assistant.text)."""

from __future__ import annotations

import pytest

from assistant.text import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a bullet on its own line starts a sentence
            "Vid misstanke:\n- Ring 112.",
            ["Vid misstanke:", "- Ring 112."],
        ),
        (  # so does an item's number
            "Gör så här\n2) Ring enhetschefen.",
            ["Gör så här", "2) Ring enhetschefen."],
        ),
        (  # a phone number or a year wrapped onto the next line is no item number: the sentence goes on
            "Ring SOS Alarm på telefonnummer\n112. Vänta sedan vid dörren.",
            ["Ring SOS Alarm på telefonnummer\n112.", "Vänta sedan vid dörren."],
        ),
        (
            "Det var först på 90-talet som\n1997. Sedan dess har de ökat.",
            ["Det var först på 90-talet som\n1997.", "Sedan dess har de ökat."],
        ),
    ],
)
def test_sentences_at_list_markers(text, expected):
    assert [text[start:end] for start, end in split_sentences(text)] == expected
