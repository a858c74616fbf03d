"""'Det här måste fullmäktige besluta': sections found in every statute rendering, cited, repealed law flagged."""

from __future__ import annotations

import pytest
from test_intro_fakes import CORPUS, FakeLibrary, corpus_library, make_doc

from assistant.intro.mandate import build_mandate, locate_section
from assistant.models import DocumentKind

needs_corpus = pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not present")

KL = """# Kommunallag (2017:725)

## 5 kap. Fullmäktige

### Fullmäktiges uppgifter

#### 1 §

Fullmäktige beslutar i ärenden av principiell beskaffenhet, främst 1. mål och riktlinjer för verksamheten.

#### 3 §

Om kommunala angelägenheter utförs av privata utförare, ska fullmäktige för varje mandatperiod anta ett program
med mål och riktlinjer som gäller för samtliga utförare av sådana angelägenheter.

I programmet ska det också anges hur allmänhetens insyn ska tillgodoses.

### Nästa rubrik

#### 4 §

Något annat.

## 10 kap. Överlämnande

#### 9 §

Om en kommun sluter avtal med en privat utförare, ska kommunen genom avtalet tillförsäkra sig information som gör
det möjligt att ge allmänheten insyn.
"""


@pytest.mark.parametrize(
    ("text", "ref", "begins", "excludes"),
    [
        (KL, "5 kap. 3 §", "#### 3 §", "Nästa rubrik"),
        (KL, "10 kap. 9 §", "#### 9 §", "5 kap"),
        (
            "## 4 kap.\n\n**1 §** Ett.\n\n**2 §** Kommunfullmäktige bestämmer nämnder.\n\n**3 §** Tre.",
            "4 kap. 2 §",
            "**2 §**",
            "Tre",
        ),
        (
            "## 2 kap. Kommunens ansvar\n\n3 § Tre.\n\n4 § Kommunens uppgifter fullgörs av nämnder.\n\n5 § Fem.",
            "2 kap. 4 §",
            "4 §",
            "Fem",
        ),
        ("1 § Lagen gäller.\n\n2 § Utan kapitel.\n", "2 §", "2 §", "Lagen"),
    ],
)
def test_sections_are_found_in_each_statute_rendering(text, ref, begins, excludes):
    span = locate_section(text, ref)
    assert span is not None
    section = text[span[0] : span[1]]
    assert section.startswith(begins) and excludes not in section


def test_a_missing_section_is_not_guessed():
    assert locate_section(KL, "5 kap. 33 §") is None
    assert locate_section(KL, "7 kap. 3 §") is None


def _library(kl: str = KL) -> FakeLibrary:
    policy = (
        "# Policy för valfrihetssystem\n\nLagstiftning\n\n"
        "- 3 kap. 19 § KL som innebär att kommunfullmäktige ska tillförsäkras en möjlighet att följa upp.\n\n"
        "Kommunfullmäktige ska för varje mandatperiod anta ett program med mål och riktlinjer för privata utförare.\n"
    )
    return FakeLibrary(
        [
            make_doc("lag/sfs-2017-725-kommunallag.md", kl, DocumentKind.lag, title="Kommunallag (2017:725)"),
            make_doc("policy.md", policy, DocumentKind.policy, title="Policy för valfrihetssystem"),
        ]
    )


def test_the_programme_is_cited_from_the_act_and_repealed_law_is_flagged():
    items = {item.id: item for item in build_mandate(_library())}
    program = items["uppfoljningsprogram"]
    basis = program.basis[0]
    assert basis.label == "5 kap. 3 § kommunallagen (2017:725)"
    assert basis.citation is not None and basis.citation.doc == "lag/sfs-2017-725-kommunallag.md"
    assert "för varje mandatperiod anta ett program" in basis.citation.quote
    text = _library().document_text("lag/sfs-2017-725-kommunallag.md")
    assert text[basis.citation.start : basis.citation.end].startswith("#### 3 §")
    assert [c.doc for c in program.support] == ["policy.md"]
    assert program.older and program.older[0].label.startswith("3 kap. 19")
    assert "3 kap. 19 § KL" in program.older[0].citations[0].quote
    # An act that is not indexed keeps its legal basis, without a citation.
    assert items["socialnamnd"].basis[0].citation is None


def test_a_renumbered_act_is_not_cited_wrongly():
    renumbered = KL.replace("#### 3 §", "#### 3 a §")
    program = next(i for i in build_mandate(_library(renumbered)) if i.id == "uppfoljningsprogram")
    assert program.basis[0].citation is None


@needs_corpus
def test_the_checklist_on_the_shared_corpus():
    items = {item.id: item for item in build_mandate(corpus_library())}
    program = items["uppfoljningsprogram"].basis[0].citation
    assert program is not None and "mandatperiod" in program.quote and "2017-725" in program.doc
    assert items["insyn"].basis[0].citation is not None and "insyn" in items["insyn"].basis[0].citation.quote
    # The repealed socialtjänstlag (2001:453) still says the same: cited, and marked repealed.
    older = items["socialnamnd"].older
    assert older and any(c.repealed and "2001-453" in c.doc for c in older[0].citations)
    assert all(b.citation is not None for item in items.values() for b in item.basis)
