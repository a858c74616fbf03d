"""Who decided which document: decision lines cited, placed in the map's boxes, and asked for in answering."""

from __future__ import annotations

import pytest
from test_intro_fakes import FakeLibrary, make_doc

from assistant.api import Styrdok
from assistant.docinfo import decision_span
from assistant.intro.decisions import answer_decisions, asked_body, build_decisions, node_of
from assistant.models import DocumentKind


def _doc(name: str, by: str | None, on: str | None, kind=DocumentKind.rutin, title: str | None = None):
    lines = [f"# {title or name}", "", "Text om rutinen.", ""]
    if by is not None:
        lines += [f"**Dokumentet är beslutat av:** {by}", ""]
    if on is not None:
        lines += [f"Dokumentet beslutades den: {on}", ""]
    lines += ["Fler steg i rutinen."]
    text = "\n".join(lines)
    return make_doc(name, text, kind, title=title or name, decided_by=by, decided_on=on)


@pytest.fixture
def library():
    return FakeLibrary(
        [
            _doc("Hemtjänst/Nyckelhantering.md", "Verksamhetschef hemtjänst", "2024-03-01"),
            _doc("Hemtjänst/Larm.md", "Verksamhetschef Hemtjänst", "2025-01-10"),
            _doc("Gruppbostad/Brand.md", "Enhetschef gruppbostad", "2023-05-05"),
            _doc("riktlinje/avgifter.md", "Vård- och omsorgsnämnden", "2025-06-16", DocumentKind.riktlinje, "Avgifter"),
            _doc("Mall.md", "skriv namn på högsta beslutade funktion/organ", None),
            _doc("Utan.md", None, None),
        ]
    )


def test_decision_lines_are_cited_where_they_stand(library):
    decisions = build_decisions(library)
    assert [d.doc for d in decisions] == [
        "riktlinje/avgifter.md",  # newest first
        "Hemtjänst/Larm.md",
        "Hemtjänst/Nyckelhantering.md",
        "Gruppbostad/Brand.md",
    ]  # template residue and documents without the line are left out
    for d in decisions:
        text = library.document_text(d.doc)
        assert text[d.citation.start : d.citation.end].startswith("**Dokumentet är beslutat av:**")
        assert "**" not in d.citation.quote and d.decided_by in d.citation.quote
    assert [d.node for d in decisions] == ["namnd", "chef", "chef", "chef"]


@pytest.mark.parametrize(
    ("decided_by", "node"),
    [
        ("Kommunfullmäktige", "fullmaktige"),
        ("Vård- och omsorgsnämnden", "namnd"),
        ("Omsorgschef Ordinärt boende", "forvaltning"),
        ("Verksamhetschef vård- och omsorgsförvaltningen", "chef"),
        ("VC Hemtjänsten", "chef"),
        ("Marita Ölmheden", None),
    ],
)
def test_deciders_go_to_their_box(decided_by, node):
    assert node_of(decided_by) == node


@pytest.mark.parametrize(
    ("question", "body"),
    [
        ("Vad har nämnden beslutat om?", "nämnden"),
        ("vad har fullmäktige beslutat", "fullmäktige"),
        ("Vilka rutiner har verksamhetschef hemtjänst beslutat?", "verksamhetschef hemtjänst"),
        ("Vilka dokument är beslutade av enhetschefen?", "enhetschefen"),
        ("Vad har fullmäktige beslutat om valfrihetssystemet?", None),  # a topic: answered from the text
        ("Vem beslutar om förfrågningsunderlag?", None),
    ],
)
def test_which_questions_ask_for_the_list(question, body):
    asked = asked_body(question)
    assert (asked[0] if asked else None) == body


def test_the_answer_lists_the_bodys_documents_with_their_decision_lines(library):
    answer = answer_decisions(library, "Vad har verksamhetschefen för hemtjänst beslutat om?")
    assert answer is not None and not answer.abstained and answer.mode == "beslut"
    assert [c.doc for c in answer.citations] == ["Hemtjänst/Larm.md", "Hemtjänst/Nyckelhantering.md"]
    assert "[1]" in answer.text and "[2]" in answer.text and "2025-01-10" in answer.text
    assert "Brand" not in answer.text  # the unit's word narrows the box
    nämnd = answer_decisions(library, "Vad har nämnden beslutat om?")
    assert [c.doc for c in nämnd.citations] == ["riktlinje/avgifter.md"]
    assert "har Vård- och omsorgsnämnden beslutat ett dokument" in nämnd.text
    # "Vilka rutiner" asks for routines only; a body no decision line names is left to answering.
    assert answer_decisions(library, "Vilka riktlinjer har enhetschefen beslutat?") is None
    assert answer_decisions(library, "Vad har socialnämnden beslutat?") is None
    assert answer_decisions(library, "Vad har kommunstyrelsen beslutat?") is None


def test_a_long_list_shows_the_newest_and_counts_the_rest(library):
    answer = answer_decisions(library, "Vad har verksamhetschefen beslutat?", shown=1)
    assert len(answer.citations) == 1 and "och 1 till" in answer.text and len(answer.notes) == 2


def test_asking_through_the_api_routes_and_keeps_the_conversation(library):
    api = Styrdok.wrap(library)
    conversation = api.conversation()
    answer = api.ask("Vad har nämnden beslutat om?", conversation=conversation)
    assert answer.mode == "beslut" and conversation.last.docs == ["riktlinje/avgifter.md"]
    assert api.ask("Vad har nämnden beslutat om?", kinds=["rutin"]).mode != "beslut"


def test_decision_span_joins_the_lines_of_one_block():
    text = "# R\n\nDokumentet är beslutat av: X\nDokumentet beslutades den: 2024-01-01\n\nBrödtext.\n"
    start, end = decision_span(text)
    assert text[start:end] == "Dokumentet är beslutat av: X\nDokumentet beslutades den: 2024-01-01"
    assert decision_span("Ingen rad här.") is None
