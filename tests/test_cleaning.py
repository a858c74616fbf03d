"""Tests for assistant.cleaning: each function on the artefact it targets and on text it must keep."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import cleaning
from assistant.text import normalize

SEED_004 = Path("/work/shared/corpus/seeds/004_e520ef90205998ba.txt")


def test_normalize_unicode_composes_and_drops_invisibles() -> None:
    decomposed = "fo\u0308rfra\u030agningsunderlag"  # "förfrågningsunderlag" with combining marks
    assert cleaning.normalize_unicode(decomposed + "\r\nrad\u00adbrytning\x00") == "förfrågningsunderlag\nradbrytning"


def test_strip_trailing_spaces_and_collapse_blank_lines() -> None:
    text = "Rubrik  \t\n\n\n\n\nStycke ett \nStycke två"
    assert cleaning.collapse_blank_lines(cleaning.strip_trailing_spaces(text)) == "Rubrik\n\nStycke ett\nStycke två"
    assert cleaning.collapse_blank_lines("a\n\nb") == "a\n\nb"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("i samband med in-\nförande av LOV", "i samband med införande av LOV"),
        ("Kra-\nven ska vara tydliga", "Kraven ska vara tydliga"),
        # Old Swedish hyphenation restores the third consonant: "till-låtna" is "tillåtna".
        ("är inte till-\nlåtna", "är inte tillåtna"),
        # Acronym compounds keep their hyphen but lose the break.
        ("efter LOV-\ninförandet", "efter LOV-införandet"),
    ],
)
def test_join_hyphenated_joins_broken_words(raw: str, expected: str) -> None:
    joined, count = cleaning.join_hyphenated(raw)
    assert joined == expected
    assert count == 1


@pytest.mark.parametrize(
    "text",
    [
        "individ- och familjeomsorg",
        "Vård- och omsorgsförvaltningen",
        "skicka e-post till nämnden",
        "inom hälso-\noch sjukvård",  # suspended compound across a break: the hyphen is real
        "åren 2010-\n2011",
        "Botkyrka-\nKommun",
    ],
)
def test_join_hyphenated_keeps_real_hyphens(text: str) -> None:
    assert cleaning.join_hyphenated(text) == (text, 0)


def test_join_hyphenated_uses_the_documents_own_spelling() -> None:
    text = "eftersom det är så. Vi väljer efter-\nsom vi vill. Skicka e-post eller e-\npost."
    joined, count = cleaning.join_hyphenated(text)
    assert "Vi väljer eftersom vi vill." in joined
    assert "eller e-post." in joined
    assert count == 2


def test_drop_toc_lines() -> None:
    text = "\n".join(
        ["Innehåll", "Inledning ........................ 3", "2.1 Krav på utförare . . . . . . 12", "Sanktioner……… 7"]
    )
    text += "\nText. Mer text."
    cleaned, dropped = cleaning.drop_toc_lines(text)
    assert cleaned == "Innehåll\nText. Mer text."
    assert dropped == 3


def test_drop_toc_lines_keeps_ordinary_sentences_with_numbers() -> None:
    text = "Se avsnitt 3.2.1 i avtalet.\nPriset är 12 kronor per timme 2024"
    assert cleaning.drop_toc_lines(text) == (text, 0)


def test_detach_footnote_digits_and_chapter_markers() -> None:
    text = "inom nämndens ansvarsområde¹. Enligt program⁴ och ²³\n KAPITEL2\nm² yta"
    cleaned, removed = cleaning.detach_footnote_digits(text)
    assert cleaned == "inom nämndens ansvarsområde. Enligt program och ²³\n Kapitel 2\nm yta"
    assert removed == 3


def test_normalize_bullets() -> None:
    text = "› Vite\n>> Varning\n  • Hävning\n▪ Åtgärdsplan\n»Citat«\nA > B"
    assert cleaning.normalize_bullets(text) == "- Vite\n- Varning\n  - Hävning\n- Åtgärdsplan\n»Citat«\nA > B"


def test_a_bullet_alone_on_its_line_joins_its_item() -> None:
    # As PDF and Word extraction leave lists in the real routines and agreements.
    text = "Läkaren ansvarar för att:\n•\ni samband med inflyttning besluta\n•\ndokumentera beslutet\n\nrutinen.\n-\nom"
    assert cleaning.normalize_bullets(text) == (
        "Läkaren ansvarar för att:\n- i samband med inflyttning besluta\n- dokumentera beslutet\n\nrutinen.\n- om"
    )
    # A dash with nothing after it stays what it is.
    assert cleaning.normalize_bullets("A - B\n-\n\nText") == "A - B\n-\n\nText"


def test_a_bullet_alone_before_a_numbered_heading_is_dropped_not_joined_to_it() -> None:
    # As Örebro's and Adda's tender PDFs come out of pypdf: the marker belongs to an item around the heading.
    text = "innebär följande arbetsuppgifter:\n•\n2.1.3 Huvudsakliga arbetsuppgifter\nErbjudna konsult ska"
    assert cleaning.normalize_bullets(text) == (
        "innebär följande arbetsuppgifter:\n2.1.3 Huvudsakliga arbetsuppgifter\nErbjudna konsult ska"
    )
    # An item that starts with a section number and reads as a sentence is an item.
    text = "Se även:\n•\n5.2 Ersättning betalas månadsvis.\n•\n2.1 och 2.2 gäller"
    assert cleaning.normalize_bullets(text) == "Se även:\n- 5.2 Ersättning betalas månadsvis.\n- 2.1 och 2.2 gäller"


def test_word_sub_bullets_are_bullets_but_the_letter_o_in_a_sentence_is_not() -> None:
    assert cleaning.normalize_bullets("o Ring 112 om möjligt") == "- Ring 112 om möjligt"
    assert cleaning.normalize_bullets("o.s.v. gäller även här") == "o.s.v. gäller även här"
    assert cleaning.normalize_bullets("om det behövs") == "om det behövs"


@pytest.mark.parametrize("line", ["2 [24]", "Sida 3 av 12", "3 (12)", "- 3 -", "Sida 1/55", "7"])
def test_is_page_counter(line: str) -> None:
    assert cleaning.is_page_counter(line)


@pytest.mark.parametrize("line", ["3 kap. 19 §", "2024-05-24", "Sida", "10 000 kronor"])
def test_is_not_page_counter(line: str) -> None:
    assert not cleaning.is_page_counter(line)


def test_drop_running_headers_across_pages() -> None:
    pages = [
        f"BOTKYRKA KOMMUN\n2024-05-24\nVård- och omsorgsförvaltningen\n{n} [3]\nBody of page {n} ska gälla.\nSlut {n}."
        for n in range(1, 4)
    ]
    cleaned, dropped = cleaning.drop_running_headers(pages)
    assert cleaned == [f"Body of page {n} ska gälla.\nSlut {n}." for n in range(1, 4)]
    assert dropped == 12


def test_drop_running_headers_keeps_numbered_content_lines() -> None:
    # A question number at the top of each page is content: it differs by more than the page number.
    pages = [f"Publik fråga {q}\nFråga om avtalet?\nSvar: ja." for q in (107, 110, 117)]
    cleaned, dropped = cleaning.drop_running_headers(pages)
    assert dropped == 0
    assert cleaned == pages


def test_drop_running_headers_needs_several_pages() -> None:
    assert cleaning.drop_running_headers(["BOTKYRKA KOMMUN\nText."]) == (["BOTKYRKA KOMMUN\nText."], 0)


def test_drop_repeated_lines_drops_headers_but_not_content() -> None:
    header = " Kapitel 2. Utmaningar vid införande av valfrihetssystem"
    lead_in = "Regionen och kommunen åtar sig att"
    item = "- Vite vid upprepade brister"
    text = "\n".join([header, lead_in, item, "Text ett.", header, lead_in, item, "2 [24]", header, lead_in, item])
    cleaned, dropped = cleaning.drop_repeated_lines(text)
    assert cleaned.split("\n") == [header, lead_in, item, "Text ett.", lead_in, item, lead_in, item]
    assert dropped == 3


def test_drop_repeated_lines_keeps_mixed_case_markdown_headings() -> None:
    pages = [["### Bevarande av handlingar", "Text.", "## BOTKYRKA KOMMUN", f"{n} [3]"] for n in (1, 2, 3)]
    cleaned, dropped = cleaning.drop_repeated_lines("\n".join(line for page in pages for line in page))
    assert cleaned.count("### Bevarande av handlingar") == 3
    assert "BOTKYRKA" not in cleaned
    assert dropped == 6


def test_drop_repeated_lines_keeps_the_all_caps_sections_of_a_form() -> None:
    # Korttids' "Dagsrutiner": each day's tasks under the shift that does them, the page breaks ("2 [7]") elsewhere.
    # The shifts are the form's own headings, not a converter's page header beside a page break.
    day = ["## DAGPERSONAL:___", "- Städa hygienlådor", "- Sortera i garderober", "- Bädda rent", "- Dammsuga"]
    day += ["## KVÄLLSPERSONAL:___", "- Vattna blommorna", "- Packa barnens väskor", "- Skriv i Lifecare", "- Städa"]
    page_break = ["## BOTKYRKA KOMMUN", "2 [7]"]
    text = "\n".join([*day, *page_break, *day, *day, "## BOTKYRKA KOMMUN", "3 [7]", "## BOTKYRKA KOMMUN", "4 [7]"])
    cleaned, dropped = cleaning.drop_repeated_lines(text)
    assert cleaned.count("## KVÄLLSPERSONAL:___") == 3 and cleaned.count("## DAGPERSONAL:___") == 3
    assert "BOTKYRKA" not in cleaned and "[7]" not in cleaned
    assert dropped == 6


def test_drop_repeated_lines_drops_a_checklists_answer_columns() -> None:
    # "Boendegenomgång": every block of questions under the boxes to tick; "JA NEJ" is no section of the text.
    block = ["## JA         NEJ", "Finns det brandvarnare?", "Fungerar larmet?", "", "Är lägenheten städad?"]
    cleaned, dropped = cleaning.drop_repeated_lines("\n".join(block * 3))
    assert "NEJ" not in cleaned and cleaned.count("Fungerar larmet?") == 3
    assert dropped == 3


def test_clean_text_keeps_text_verbatim_apart_from_artefacts() -> None:
    text = "Policy för valfrihet\n\nNämnden ska följa upp utförare – även egen regi – varje år (se 3 kap. 19 § KL).  \n"
    assert cleaning.clean_text(text) == text.replace("  \n", "")


def test_clean_pages_counts() -> None:
    pages = ["Rubrik\nSida 1 av 2\nin-\nförande sker.", "Rubrik\nSida 2 av 2\nFörfrågningsunderlag¹ gäller."]
    stats: dict = __import__("collections").Counter()
    cleaned = cleaning.clean_pages(pages, stats)
    assert cleaned == ["införande sker.", "Förfrågningsunderlag gäller."]
    assert stats["headers"] == 4 and stats["hyphen_joins"] == 1 and stats["footnote_digits"] == 1


@pytest.mark.skipif(not SEED_004.exists(), reason="corpus not available")
def test_seed_004_hyphenation_and_headers() -> None:
    raw = SEED_004.read_text(encoding="utf-8")
    stats = __import__("collections").Counter()
    cleaned = cleaning.clean_text(raw, repeated_lines=True, stats=stats)
    assert stats["hyphen_joins"] >= 90
    assert "införandet" in cleaned and "in-\nförandet" not in cleaned
    assert cleaned.count("Kapitel 2. Utmaningar vid införande av valfrihetssystem") == 1
    assert "KAPITEL2" not in cleaned and "Kapitel 2\n" in cleaned
    # Cleaning must not lose words: the evaluation's normalisation sees the same text, less the headers.
    assert len(normalize(cleaned)) > 0.97 * len(normalize(raw))


def test_a_heading_glued_to_the_end_of_the_previous_paragraph_gets_its_own_line():
    """The riksdagen text of the socialtjänstlag (2025:400) ends each § with the heading of the next one."""
    text = (
        "### Bestämmelser i annan lag\n\n"
        "**2 §** Socialnämnden ska själv eller genom ombud föra kommunens talan i mål och ärenden som socialnämnden "
        "ansvarar för enligt denna lag eller annan författning. Lämna förslag till kommunfullmäktige\n\n"
        "**3 §** Socialnämnden ska lämna de förslag som nämnden anser är nödvändiga till kommunfullmäktige.\n\n"
        "**4 §** Den som har fått ett beslut ska få veta hur man överklagar det.\n\n"
        "Detta är en vanlig mening. Inte en rubrik\n"
    )
    cleaned = cleaning.clean_text(text)
    assert "annan författning.\n\n### Lämna förslag till kommunfullmäktige\n\n**3 §** Socialnämnden" in cleaned
    assert "till kommunfullmäktige.\n\n**4 §**" in cleaned  # a paragraph that ends with a sentence is left as it is
    assert "Detta är en vanlig mening. Inte en rubrik" in cleaned  # no § after it: not a heading
    long_tail = "**1 §** Text. " + " ".join(["ord"] * 13) + "\n\n**2 §** Mer text."
    assert cleaning.split_glued_headings(long_tail) == (long_tail, 0)


def test_the_socialtjanstlag_gets_its_headings_back(shared):
    path = shared / "corpus" / "lag" / "sfs-2025-400-socialtjanstlag.md"
    _, count = cleaning.split_glued_headings(path.read_text(encoding="utf-8"))
    assert count >= 150
