"""What people write around a question, and words typed without å, ä, ö."""

from __future__ import annotations

import pytest

from assistant.swedish import dictionary
from assistant.wording import respell, spelling_of

needs_dictionary = pytest.mark.skipif(dictionary() is None, reason="hunspell-sv is not installed")


def test_a_plain_stem_is_read_as_the_marked_one_only_where_the_corpus_says_so():
    doc_freq = {"hemtjänst": 795, "hemtjanst": 3, "äldreboend": 20, "sak": 265, "säk": 1118, "vänn": 29, "vann": 1}
    spelling = spelling_of(doc_freq)
    assert spelling["hemtjanst"] == "hemtjänst"  # 265 times as common
    assert spelling["aldreboend"] == "äldreboend"  # the plain form does not occur at all
    assert "sak" not in spelling and "vann" not in spelling  # real words of their own


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("Vem betalar hemtjanst pa aldreboendet?", "Vem betalar hemtjänst på äldreboendet?"),
        ("Nar maste jag overklaga?", "När måste jag överklaga?"),  # question words: a fixed list
        ("Min far har en sak att fraga om.", "Min far har en sak att fraga om."),  # "min far" is no "får"
        ("Hemtjanst", "Hemtjänst"),  # a capital stays a capital
        ("Far jag hjalp? Min far ar 78 ar.", "Får jag hjalp? Min far är 78 år."),  # by the word before
        ("Vad hander om jag behover ga dit anda?", "Vad händer om jag behöver gå dit ändå?"),
    ],
)
def test_words_typed_without_marks_are_read_as_the_documents_write_them(typed, read):
    spelling = spelling_of({"hemtjänst": 795, "äldreboendet": 1, "överklag": 97, "sak": 265, "säk": 1118})
    assert respell(typed, spelling) == read


def test_far_illa_is_the_phrase_not_a_far_without_its_marks():
    assert respell("Vad gor jag om ett barn far illa?", {}) == "Vad gor jag om ett barn far illa?"
    assert respell("Vad gor jag om ett barn far hjalp?", {}) == "Vad gor jag om ett barn får hjalp?"


@needs_dictionary
def test_a_text_typed_with_marks_keeps_its_swedish_words_as_written():
    from assistant.analysis import stem

    spelling = spelling_of({stem("stöd"): 5000, stem("stod"): 3, stem("hemtjänst"): 795, stem("hemtjanst"): 3})
    assert spelling[stem("stod")] == stem("stöd")  # the counts alone would read "stod" as "stöd"
    # Typed with marks ("på", "står", "när"): "stod" and "far" are the words meant; "hemtjanst" is no word, so it
    # is read.
    written = "Det stod att barnet far illa på förskolan."
    assert respell(written, spelling) == written
    assert respell("Vad står det om hemtjanst när barnet far hem?", spelling) == (
        "Vad står det om hemtjänst när barnet far hem?"
    )
    # Typed without any marks, the same words are read by the counts.
    assert respell("Det stod i beslutet", spelling) == "Det stöd i beslutet"


@needs_dictionary
def test_a_typing_error_is_read_as_the_common_word_one_edit_away():
    from assistant.wording import correct

    doc_freq = {"hemtjänst": 795, "överklag": 1, "läkemedel": 1206, "mått": 63}
    known = lambda w: any(doc_freq.get(stem, 0) for stem in (w, w[:-1], w[:-2], w[:-3]))  # noqa: E731
    assert correct("Vem betalar hemtjänt och läkemdel?", doc_freq, known) == "Vem betalar hemtjänst och läkemedel?"
    # Rare in the corpus (under TYPO_MIN_PASSAGES) but Swedish: read by the dictionary; rare and no Swedish word
    # ("sitevision", a product), a word the corpus knows, and a name: as written.
    assert correct("Hur överklgaa man?", doc_freq, known) == "Hur överklaga man?"
    assert correct("Vi har sitevisoin.", {**doc_freq, "sitevision": 1}, known) == "Vi har sitevisoin."
    assert correct("Den håller måttet.", doc_freq, known) == "Den håller måttet."
    assert correct("Gäller det i Hemtjänt?", doc_freq, known) == "Gäller det i Hemtjänt?"


@needs_dictionary
def test_a_changed_letter_is_read_when_no_dropped_added_or_swapped_one_explains_the_word():
    from assistant.analysis import stem
    from assistant.wording import correct

    doc_freq = {stem("hemtjänst"): 150, stem("hemtjust"): 900, stem("avgiften"): 400}
    known = lambda w: stem(w) in doc_freq  # noqa: E731
    assert correct("Vad kostar avgitfen?", doc_freq, known) == "Vad kostar avgiften?"  # two letters swapped
    assert correct("Vad kostar avgiftwn?", doc_freq, known) == "Vad kostar avgiften?"  # one letter changed
    # A letter left out explains "hemtjäst" (150 passages): the changed letter's "hemtjust" (900) is not tried.
    assert correct("Vem har hemtjäst?", doc_freq, known) == "Vem har hemtjänst?"


@needs_dictionary
def test_a_compound_the_corpus_never_writes_whole_is_read_by_its_parts_unless_it_is_two_words():
    from assistant.analysis import stem
    from assistant.wording import correct

    doc_freq = {stem("konsult"): 50, stem("företaget"): 80}
    by_parts = {"konsultföretaget", "sängfunktion"}  # what the corpus knows by its parts
    known = lambda w: stem(w) in doc_freq or w in by_parts  # noqa: E731
    assert correct("Vem äger konsultfööretaget?", doc_freq, known) == "Vem äger konsultföretaget?"
    # "sänk" + "funktion": two Swedish words, a compound the dictionary does not list, not "sängfunktion".
    assert correct("Har sängen sänkfunktion?", doc_freq, known) == "Har sängen sänkfunktion?"


@needs_dictionary
def test_a_swedish_word_the_documents_lack_is_no_typing_error():
    from assistant.analysis import stem
    from assistant.wording import correct

    # "vanar" (habits) and "solas" are common in these counts, one edit from "vaknar" and "spolas", which the
    # documents lack: without the Swedish dictionary the speller read them as those.
    doc_freq = {stem("vanar"): 400, stem("solas"): 300, stem("hemtjänst"): 795}
    known = lambda w: stem(w) in doc_freq  # noqa: E731
    question = "Vad gör jag om brukaren inte vaknar och toaletten spolas? Gäller det hemtjänt?"
    assert correct(question, doc_freq, known) == question.replace("hemtjänt", "hemtjänst")


def test_without_the_dictionary_only_a_common_word_corrects(monkeypatch):
    from assistant import swedish, wording
    from assistant.analysis import stem

    monkeypatch.setattr(swedish, "dictionary", lambda: None)
    monkeypatch.setattr(swedish, "is_swedish", lambda word: False)
    doc_freq = {"hemtjänst": wording.TYPO_MIN_PASSAGES, "överklag": 97}
    known = lambda w: w in doc_freq  # noqa: E731
    read = wording.correct("Hur överklgaa man hemtjänt?", doc_freq, known)
    assert read == "Hur överklgaa man hemtjänst?"  # 97 passages: under the stricter count
    doc_freq[stem("sammas")] = 5000  # one changed letter from "mammas": tried only where the dictionary guards
    assert wording.correct("Min mammas hemtjänst", doc_freq, known) == "Min mammas hemtjänst"
    monkeypatch.undo()
    if swedish.dictionary() is not None:  # with it, "mammas" is Swedish and stays too, and "hemtjänsr" is read
        assert wording.correct("Min mammas hemtjänsr", doc_freq, known) == "Min mammas hemtjänst"


def test_a_word_typed_without_marks_and_with_a_typing_error_is_read_too():
    from assistant.analysis import stem
    from assistant.wording import correct

    doc_freq = {stem("läkemedel"): 1206}  # the stem drops the "e": "läkemedl", as in "läkemedlen"
    spelling = spelling_of(doc_freq)
    known = lambda w: False  # noqa: E731
    typed = "Vem ansvarar for lakemdel?"
    assert correct(typed, doc_freq, known) == typed  # "lakemedel" alone occurs nowhere
    read = respell(correct(respell(typed, spelling), doc_freq, known, spelling), spelling)
    assert read == "Vem ansvarar för läkemedel?"


def test_a_plain_stem_with_two_common_marked_readings_is_left_as_typed():
    spelling = spelling_of({"läs": 397, "lås": 137, "län": 144, "lån": 10})
    assert "las" not in spelling  # "läsa" or "lås": the counts cannot tell
    assert spelling["lan"] == "län"  # "lån" is rare beside it


@needs_dictionary
def test_a_word_without_marks_that_the_stems_cannot_tell_is_read_by_the_swedish_dictionary():
    from assistant.analysis import stem
    from assistant.wording import marked_reading

    doc_freq = {stem("kräva"): 635, stem("krav"): 754, stem("läsa"): 397, stem("låsa"): 137}
    everywhere = lambda w: True  # noqa: E731
    # "krava" stems to "krav", a word of its own, so the stem counts leave it; Swedish has only "kräva".
    assert marked_reading("krava", doc_freq, everywhere) == "kräva"
    assert marked_reading("stadhjalp", doc_freq, everywhere) == "städhjälp"  # a compound the corpus never writes
    assert marked_reading("Vaxjo", doc_freq, everywhere) == "Växjö"  # a name, with its capital
    assert marked_reading("prova", doc_freq, everywhere) is None  # Swedish as written: the question may mean it
    assert marked_reading("lasa", doc_freq, everywhere) is None  # "läsa" or "låsa": 397 against 137 passages
    assert marked_reading("lasa", {**doc_freq, stem("låsa"): 10}, everywhere) == "läsa"
    assert marked_reading("krava", doc_freq, lambda w: False) is None  # the corpus does not know the reading
    spelling = spelling_of(doc_freq)
    reading = lambda w: marked_reading(w, doc_freq, everywhere)  # noqa: E731
    assert respell("Vad kan kommunen krava?", spelling) == "Vad kan kommunen krava?"
    assert respell("Vad kan kommunen krava?", spelling, reading) == "Vad kan kommunen kräva?"
    assert respell("Vad kräver LOV?", spelling, reading) == "Vad kräver LOV?"  # an acronym is no word to read


@needs_dictionary
def test_an_abbreviation_typed_with_its_ending_and_no_colon_is_read_with_the_colon():
    """The documents write "Stäng av Tv:n", "skicka sms:et"; people type "tvn", "smset". Only a word neither
    Swedish nor the corpus knows, made of a consonant abbreviation the corpus knows and an ending."""
    from assistant.analysis import stem
    from assistant.wording import abbreviation_reading

    doc_freq = {stem("tv"): 46, stem("sms"): 120, stem("ivo"): 19, stem("hund"): 30, stem("kp"): 12}
    assert abbreviation_reading("tvn", doc_freq) == "tv:n"
    assert abbreviation_reading("smset", doc_freq) == "sms:et"
    assert abbreviation_reading("KPn", doc_freq) == "KP:n"
    assert abbreviation_reading("ivos", doc_freq) is None  # an abbreviation with a vowel is too often a word
    assert abbreviation_reading("hunden", doc_freq) is None  # Swedish as written
    assert abbreviation_reading("brn", doc_freq) is None  # "br" is no word the corpus knows
    assert abbreviation_reading("tvn", {**doc_freq, stem("tvn"): 2}) is None  # the corpus knows the word itself
