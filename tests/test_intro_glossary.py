"""Glossary: definitions before explanations, laws before guidance, every entry cited."""

from __future__ import annotations

import pytest
from test_intro_fakes import CORPUS, FakeLibrary, corpus_glossary, corpus_library, make_doc

from assistant.intro.glossary import build_glossary, swedish_key
from assistant.models import DocumentKind
from assistant.text import normalize

needs_corpus = pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not present")

REQUIRED = [
    "valfrihetssystem",
    "förfrågningsunderlag",
    "privat utförare",
    "ickevalsalternativ",
    "huvudman",
    "konkurrensneutralitet",
    "uppföljning",
    "insyn",
    "sanktion",
]


def _entries(*docs):
    return {e.term: e for e in build_glossary(FakeLibrary(list(docs)))}


def test_law_definition_beats_guidance_explanation():
    guide = make_doc(
        "guide.txt", "Förfrågningsunderlag är ett viktigt dokument för politiker.", DocumentKind.vagledning
    )
    law = make_doc(
        "lov.md",
        "1 § Med förfrågningsunderlag avses sådant underlag för ansökan som en upphandlande myndighet tillhandahåller.",
        DocumentKind.lag,
        title="Lag (2008:962) om valfrihetssystem",
    )
    entry = _entries(guide, law)["förfrågningsunderlag"]
    assert entry.definition and entry.source_type.value == "law"
    assert entry.sources[0].doc == "lov.md" and entry.text.startswith("Med förfrågningsunderlag avses")


def test_med_x_avses_discovers_new_terms_and_links_related():
    law = make_doc(
        "lov.md",
        "Med löpande annonsering avses en annons som gäller tills vidare.\n\n"
        "Med valfrihetssystem avses ett förfarande där den enskilde väljer leverantör efter löpande annonsering.",
        DocumentKind.lag,
        title="Lag (2008:962) om valfrihetssystem",
    )
    entries = _entries(law)
    assert entries["löpande annonsering"].definition
    assert "löpande annonsering" in entries["valfrihetssystem"].related
    assert "valfrihetssystem" in entries["löpande annonsering"].related


def test_heading_passage_explains_a_term_without_definition():
    text = "Konkurrensneutralitet\n\nEnligt LOV ska kommunen hantera privata aktörer och egenregin konkurrensneutralt."
    entry = _entries(make_doc("g.txt", text, DocumentKind.vagledning))["konkurrensneutralitet"]
    assert not entry.definition and "konkurrensneutralt" in entry.text


def test_swedish_order():
    assert sorted(["ögon", "ärende", "åtgärd", "zon"], key=swedish_key) == ["zon", "åtgärd", "ärende", "ögon"]


@needs_corpus
def test_required_terms_are_covered_and_cited():
    glossary = {e.term: e for e in corpus_glossary()}
    missing = [t for t in REQUIRED if t not in glossary]
    assert not missing
    for term in REQUIRED:
        assert glossary[term].sources and glossary[term].sources[0].quote


@needs_corpus
def test_definitions_come_from_laws_where_the_laws_define():
    glossary = {e.term: e for e in corpus_glossary()}
    assert glossary["valfrihetssystem"].sources[0].doc.startswith("sfs-2008-962")
    assert glossary["förfrågningsunderlag"].sources[0].doc.startswith("sfs-2008-962")
    assert glossary["privat utförare"].sources[0].doc.startswith("sfs-2017-725")
    assert all(not s.doc.startswith("sfs-2001-453") for e in glossary.values() for s in e.sources)


@needs_corpus
def test_glossary_quotes_are_verbatim():
    library = corpus_library()
    texts = {m.doc: normalize(library.document_text(m.doc)) for m in library.documents()}
    for entry in corpus_glossary():
        for source in entry.sources:
            assert normalize(source.quote) in texts[source.doc], (entry.term, source.doc)


@needs_corpus
def test_related_links_are_symmetric_and_known():
    glossary = {e.term: e for e in corpus_glossary()}
    for term, entry in glossary.items():
        for other in entry.related:
            assert term in glossary[other].related
