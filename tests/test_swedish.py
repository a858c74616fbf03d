"""The Swedish dictionary the speller asks whether a word the documents lack is still Swedish."""

from __future__ import annotations

import pytest

from assistant.swedish import dictionary, is_swedish

pytestmark = pytest.mark.skipif(dictionary() is None, reason="hunspell-sv is not installed")


@pytest.mark.parametrize(
    "word",
    [
        "vaknar",  # a verb form: stem "vakna" with a suffix
        "spolas",  # passive
        "mammas",  # genitive
        "äldreboendet",  # a compound with a definite ending
        "hemtjänstavgiften",  # a compound the dictionary does not list whole
        "läkemedelskylen",
        "färsk",  # listed twice: once only inside compounds, once as a word of its own
    ],
)
def test_swedish_word_forms_and_compounds_are_known(word):
    assert is_swedish(word)


@pytest.mark.parametrize(
    "word",
    [
        "hemtjänt",  # a letter left out
        "överklgaa",  # two letters swapped
        "fullmäktigge",  # one doubled
        "pareringsplats",  # a compound the dictionary lists as a misspelling (FORBIDDENWORD)
        "sjuksötersk",
    ],
)
def test_typing_errors_are_not(word):
    assert not is_swedish(word)


def test_a_compound_that_is_a_common_misspelling_of_a_word_is_not_known():
    # CHECKCOMPOUNDREP: "arbetstycke" reads as a compound of two words, but "REP s ss" makes it "arbetsstycke",
    # a word of its own, so it is that word misspelt; "brasband" likewise ("brassband").
    found = dictionary()
    for misspelt, word in (("arbetstycke", "arbetsstycke"), ("brasband", "brassband")):
        assert found._compound(misspelt) and is_swedish(word)
        assert not is_swedish(misspelt)
