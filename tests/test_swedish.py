"""The Swedish dictionary the speller asks whether a word the documents lack is still Swedish."""

from __future__ import annotations

import pytest

from assistant.swedish import dictionary, is_swedish

needs_package = pytest.mark.skipif(dictionary() is None, reason="hunspell-sv is not installed")


@needs_package
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


@needs_package
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


@needs_package
def test_a_compound_that_is_a_common_misspelling_of_a_word_is_not_known():
    # CHECKCOMPOUNDREP: "arbetstycke" reads as a compound of two words, but "REP s ss" makes it "arbetsstycke",
    # a word of its own, so it is that word misspelt; "brasband" likewise ("brassband").
    found = dictionary()
    for misspelt, word in (("arbetstycke", "arbetsstycke"), ("brasband", "brassband")):
        assert found._compound(misspelt) and is_swedish(word)
        assert not is_swedish(misspelt)


def test_the_reader_follows_the_hunspell_rules_it_reads(tmp_path):
    """A small dictionary in the Hunspell format, read without the package: a suffix rule with its condition,
    compound begin and end flags, a forbidden word, and CHECKCOMPOUNDREP."""
    from assistant.swedish import Dictionary

    aff = tmp_path / "t.aff"
    aff.write_text(
        "SET UTF-8\nFORBIDDENWORD %\nCOMPOUNDBEGIN X\nCOMPOUNDEND Y\nCHECKCOMPOUNDREP\nREP 1\nREP s ss\n"
        "SFX A Y 2\nSFX A 0 en [^e]\nSFX A 0 n e\n",
        encoding="utf-8",
    )
    dic = tmp_path / "t.dic"
    dic.write_text("7\nbil/AXY\nväg/AXY\nkaffe/A\narbet/X\nstycke/Y\narbetsstycke\narbetsmiss/%\n", "utf-8")
    found = Dictionary(dic, aff)
    assert found.knows("bilen") and found.knows("kaffen")  # the rule's two conditions
    assert not found.knows("kaffeen") and not found.knows("bile")
    assert found.knows("bilväg") and found.knows("bilvägen")  # a compound, its end with a suffix
    assert not found.knows("kaffebil")  # "kaffe" may not begin a compound
    assert not found.knows("arbetsmiss")  # forbidden as a whole
    # "arbet" + "stycke" is a compound, but "REP s ss" makes it "arbetsstycke", a word: a misspelling of it.
    assert found._compound("arbetstycke") and not found.knows("arbetstycke") and found.knows("arbetsstycke")
