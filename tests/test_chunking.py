"""Chunking invariants on real corpus documents and on constructed structure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.chunking import chunk_document
from assistant.loading import load_document
from assistant.models import DocumentMeta, LoadedDocument

ROOT = Path(__file__).resolve().parent.parent
CORPUS_FILES = sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT / "corpus").glob("*.md"))
CORPUS_FILES = [p for p in CORPUS_FILES if p.name != "README.md"]


def _doc(text: str, page_starts=None, headings=None) -> LoadedDocument:
    return LoadedDocument(
        meta=DocumentMeta(doc="t.md", title="T"), text=text, page_starts=page_starts or [], headings=headings or []
    )


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_invariants_on_bundled_corpus(path):
    doc = load_document(path)
    chunks = chunk_document(doc, target_chars=700, max_chars=1200, min_chars=200)
    assert chunks
    # Every character of the cleaned document is in exactly one chunk, in order.
    assert chunks[0].start == 0 and chunks[-1].end == len(doc.text)
    for a, b in zip(chunks, chunks[1:], strict=False):
        assert a.end == b.start
    assert "".join(c.text for c in chunks) == doc.text
    for c in chunks:
        assert len(c.text) <= 1200, (c.section, len(c.text))
        assert doc.text[c.start : c.end] == c.text
    # A chunk never starts in the middle of a § heading such as "9 §".
    for c in chunks:
        assert not re.match(r"^\s*§", c.text)


def test_paragraph_sign_is_attached_to_its_text_and_section_path():
    text = (
        "## 10 kap. Avtal\n\nInsyn\n\n"
        "9 § När en kommun lämnar över skötseln av en kommunal angelägenhet till en privat utförare "
        "ska kommunen genom avtalet se till att den får möjlighet att följa upp verksamheten.\n\n"
        "10 § " + "Kommunen ska också se till att allmänheten får insyn. " * 30
    )
    chunks = chunk_document(_doc(text), target_chars=300, max_chars=600, min_chars=100)
    nine = next(c for c in chunks if "9 § När" in c.text)
    assert "genom avtalet se till" in nine.text
    assert nine.section and "10 kap. Avtal" in nine.section and "9 §" in nine.section
    ten = [c for c in chunks if "10 §" in c.section]
    assert ten and all("10 kap. Avtal" in c.section for c in ten)


def test_a_bold_paragraph_sign_is_a_paragraph_sign():
    # The new Socialtjänstlag (2025:400) in the corpus writes "**3 §** Barnet ska ...": 269 such §.
    text = (
        "## 3 kap.\n\n### Barnets bästa\n\n"
        "**1 §** " + "Vid åtgärder som rör barn ska barnets bästa särskilt beaktas. " * 5 + "\n\n"
        "**2 §** " + "Barnet ska kontinuerligt få relevant information. " * 5 + "\n"
    )
    chunks = chunk_document(_doc(text), target_chars=300, max_chars=600, min_chars=100)
    two = next(c for c in chunks if "**2 §**" in c.text)
    assert two.text.startswith("**2 §**")
    assert two.section == "3 kap. > Barnets bästa > 2 §"


def test_list_stays_with_its_lead_in():
    items = "\n".join(f"- punkt nummer {i} med lite text" for i in range(8))
    text = "Rubrik\n\n" + "Inledande mening om något. " * 8 + "\n\nSocialnämnden fastställer:\n" + items + "\n"
    chunks = chunk_document(_doc(text), target_chars=250, max_chars=800, min_chars=50)
    lead = next(c for c in chunks if "fastställer:" in c.text)
    assert "punkt nummer 0" in lead.text and "punkt nummer 7" in lead.text


def test_pages_are_monotone_and_taken_from_page_starts():
    pages = ["Första sidan. " * 40, "Andra sidan. " * 40, "Tredje sidan. " * 40]
    text = "\n\n".join(pages)
    starts = [0, len(pages[0]) + 2, len(pages[0]) + len(pages[1]) + 4]
    chunks = chunk_document(_doc(text, page_starts=starts), target_chars=300, max_chars=500, min_chars=50)
    assert chunks[0].page_start == 1 and chunks[-1].page_end == 3
    for a, b in zip(chunks, chunks[1:], strict=False):
        assert a.page_start <= a.page_end <= b.page_start or a.page_end == b.page_start
    assert all(c.page_start <= c.page_end for c in chunks)


def test_numbered_clause_headings_give_section_path():
    text = "3 Krav på utföraren\n\n3.4 Kompetens\n\nUtföraren ska ha personal med undersköterskeutbildning.\n"
    chunks = chunk_document(_doc(text))
    assert chunks[-1].section and "3.4 Kompetens" in chunks[-1].section


def test_a_numbered_heading_run_into_the_text_is_a_heading():
    """PDF text has no blank line around "2 Omfattning"; the section still starts there."""
    text = (
        "1 Inledning\nDetta avropsstöd är framtaget för myndigheter. Vid frågor kontakta Adda.\n"
        "2 Omfattning\nRamavtalet består av sju geografiska delområden som tillsammans omfattar landet.\n"
        "4.1.1 Avrop enligt dynamisk rangordning\nRangordningen för avrop mellan leverantörerna är dynamisk.\n"
    )
    chunks = chunk_document(_doc(text), target_chars=60, max_chars=200, min_chars=10)
    section_of = {c.text.split("\n", 1)[0]: c.section for c in chunks}
    assert section_of["2 Omfattning"] == "2 Omfattning"
    deep = "4.1.1 Avrop enligt dynamisk rangordning"
    assert section_of[deep] == f"2 Omfattning > {deep}"
    # A numbered line inside a sentence that goes on, or after a lead-in, is not a heading.
    text = "Följande krav gäller:\n1 Leverantören ska ha F-skatt\nsamt kollektivavtal.\n"
    assert {c.section for c in chunk_document(_doc(text), target_chars=20, max_chars=200, min_chars=5)} == {None}


def test_one_line_numbered_items_in_a_row_are_a_list_not_sections():
    """ "4. Arkitektur / 5. IT-säkerhet / 6. Tillgänglighet och webb" must not make "6. ..." the section
    of everything after it."""
    text = (
        "Kompetensområden\n\nRamavtalet omfattar dessa områden:\n\n4. Arkitektur\n5. IT-säkerhet\n"
        "6. Tillgänglighet och webb\nRamavtalsleverantörerna kan leverera inom samtliga områden.\n\n"
        "Avrop sker genom rangordning eller förnyad konkurrensutsättning enligt avsnitt 4.\n"
    )
    chunks = chunk_document(_doc(text), target_chars=60, max_chars=400, min_chars=10)
    assert {c.section for c in chunks} == {"Kompetensområden"}


def test_a_routines_numbered_steps_are_a_list_whatever_their_length():
    """A routine's steps as PDF text has them: one-line steps between steps that wrap. "3. Hyresvärden ska
    kontaktas och informeras" is step 3, not a section that the steps after it (and the answer to "vem ska
    jag ringa?") would belong to, and the step that wraps stays whole."""
    text = (
        "Utförande\n\nOm du får kännedom om att det finns vägglöss i\nbrukares lägenhet\n"
        "1. Kontakta omgående enhetschef och informera om situationen\n"
        "2. Ring Anticimex för att starta ärende och göra upp en plan för hur\nsanering ska påbörjas: 075-2451000\n"
        "3. Hyresvärden ska kontaktas och informeras\n"
        "4. Om vägglössen finns i lägenheten ska personal ge stöd till\nbrukaren att rengöra bostaden.\n"
    )
    chunks = chunk_document(_doc(text), target_chars=60, max_chars=400, min_chars=10)
    assert {c.section for c in chunks} == {"Utförande"}
    assert any("2. Ring Anticimex" in c.text and "075-2451000" in c.text for c in chunks)
    # Two real sections numbered in a row, each with its text, stay sections.
    text = "1. Inledning\n\nRutinen gäller all personal.\n\n2. Ansvar\n\nEnhetschef ansvarar för rutinen.\n"
    sections = {c.section for c in chunk_document(_doc(text), target_chars=20, max_chars=200, min_chars=5)}
    assert {"1. Inledning", "2. Ansvar"} <= sections


def test_a_table_of_contents_names_sections_but_starts_none():
    """ "1. Allmänt<tab>4" in the table of contents is not the section of the text after it; the real
    heading is (here misnumbered "10. Allmänt", after the contents' "9. Överklagan<tab>11")."""
    text = (
        "Innehållsförteckning\n\n1. Allmänt\t4\n2. Avgiftsunderlag\t4\n2.1 Beräkning av inkomst\t4\n"
        "8. Debitering\t11\n9. Överklagan\t11\n\n10. Allmänt\nAvgifter för hemtjänst regleras i socialtjänstlagen.\n"
    )
    chunks = chunk_document(_doc(text), target_chars=40, max_chars=400, min_chars=5)
    sections = {c.section for c in chunks}
    assert "10. Allmänt" in sections
    assert not any("\t" in (s or "") or (s or "").endswith(("4", "11")) for s in sections)


def test_a_short_line_ending_in_a_function_word_is_not_a_heading():
    """ "Kommunfullmäktige beslutar om" before a list, or a sentence cut after "om", is not a section."""
    text = (
        "Beslut på strategisk nivå\n\nPå strategisk nivå fattas principiella beslut.\n\n"
        "Kommunfullmäktige beslutar om\n\n- Att inrätta ett valfrihetssystem\n\n"
        "Socialnämnden beslutar om\n\n- Policy och riktlinjer\n\n"
        "Mål och syfte\n\nRiktlinjen ska stödja verksamheter i\n\nkommunen och regionen.\n"
    )
    sections = {c.section for c in chunk_document(_doc(text), target_chars=60, max_chars=120, min_chars=10)}
    assert sections <= {"Beslut på strategisk nivå", "Mål och syfte"}
    assert "Mål och syfte" in sections


def test_small_trailing_piece_is_merged_not_left_alone():
    text = (
        "Inledning\n\n"
        + "En lång mening om policyn och dess syfte. " * 17
        + "\n\n¹ Äldreomsorg, omsorg.\n\nNästa rubrik\n\nText."
    )
    chunks = chunk_document(_doc(text), target_chars=700, max_chars=1200, min_chars=200)
    foot = next(c for c in chunks if "Äldreomsorg" in c.text)
    assert "policyn" in foot.text


def test_chunk_ids_are_stable_and_content_derived():
    doc = _doc("Rubrik\n\nNågon text om avtal.\n")
    a = chunk_document(doc)
    b = chunk_document(doc)
    assert [c.id for c in a] == [c.id for c in b]
    changed = chunk_document(_doc("Rubrik\n\nNågon annan text om avtal.\n"))
    assert changed[0].id != a[0].id


def test_a_list_that_does_not_fit_starts_a_chunk_with_its_lead_in_sentence():
    # One long paragraph whose last sentence announces a list: the list cannot join the chunk, so the
    # announcing sentence goes with it (alone at the end of the chunk before, it answered nothing).
    paragraph = "Kommunen följer upp verksamheten varje år enligt programmet. " * 18
    items = "\n".join(f"- mål nummer {i} för programmet" for i in range(4))
    text = paragraph + "Syftet med programmet är att:\n" + items + "\n"
    chunks = chunk_document(_doc(text), target_chars=700, max_chars=1000, min_chars=100)
    with_lead = next(c for c in chunks if "Syftet med programmet är att:" in c.text)
    assert with_lead.text.startswith("Syftet med programmet är att:")
    assert "mål nummer 0" in with_lead.text and "mål nummer 3" in with_lead.text
    assert "".join(c.text for c in chunks) == text


SHARED = ROOT.parent / "shared" / "corpus"


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared saknas")
def test_real_program_keeps_its_purpose_with_the_purposes():
    doc = load_document(SHARED / "partial" / "hudiksvall-program-uppfoljning-privata-utforare-2023-2026.md")
    chunk = next(c for c in chunk_document(doc) if "Syftet med programmet är att:" in c.text)
    assert "Öka allmänhetens insyn" in chunk.text


LAW_ACROSS_A_CHAPTER = """Fullmäktige får anta ett reglemente om revisionen.

## 13 kap. Laglighetsprövning

### Vem som får överklaga

#### 1 §

Varje medlem av en kommun eller en region har rätt att få lagligheten prövad.

#### 2 §

Ett beslut får överklagas."""


@pytest.mark.parametrize(
    ("section", "text", "quote", "expected"),
    [
        # A chunk that starts in one chapter and runs into the next (kommunallagen's layout).
        (
            "12 kap. Revision > Revisionsreglemente > 18 §",
            LAW_ACROSS_A_CHAPTER,
            "Fullmäktige får",
            "12 kap. Revision > Revisionsreglemente > 18 §",
        ),
        (
            "12 kap. Revision > Revisionsreglemente > 18 §",
            LAW_ACROSS_A_CHAPTER,
            "Varje medlem",
            "13 kap. Laglighetsprövning > Vem som får överklaga > 1 §",
        ),
        (
            "12 kap. Revision > Revisionsreglemente > 18 §",
            LAW_ACROSS_A_CHAPTER,
            "Ett beslut får",
            "13 kap. Laglighetsprövning > Vem som får överklaga > 2 §",
        ),
        # A § that starts on the quote's own line.
        (
            "4 kap. Avgifter > 5 §",
            "5 § Den enskilde ska betala.\n\n6 § Nämnden ska besluta.",
            "Nämnden",
            "4 kap. Avgifter > 6 §",
        ),
        # A heading of unknown depth outside a law's chapters leaves the path as it was.
        ("Rutin > Syfte", "Text om rutinen.\n\n## Ansvar\n\nEnhetschef ansvarar.", "Enhetschef", "Rutin > Syfte"),
    ],
)
def test_the_section_of_a_quote_is_where_the_quote_stands(section, text, quote, expected):
    from assistant.chunking import section_at

    assert section_at(section, text, text.index(quote)) == expected
