"""Template residue (`mallrester`), references that resolve elsewhere or to the wrong section, and
findings grouped and ranked so a drafter sees the ones that matter first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.lint.classify import forced
from assistant.lint.draft import parse_draft
from assistant.lint.engine import lint_draft
from assistant.lint.evaluate import evaluate
from assistant.lint.rules import load_rules
from assistant.models import Severity

RULES = {rule.id: rule for rule in load_rules()}
SLAG = Path(__file__).resolve().parent / "data" / "lint" / "slag"
CALL_OFF = "# Avropsförfrågan\n\nAvropet görs med förnyad konkurrensutsättning från ramavtalet.\n\n"


def residue(body: str, head: str = CALL_OFF) -> list:
    return lint_draft(parse_draft(head + body, "utkast.md", "md"), [RULES["mallrester"]])


def test_placeholder_in_the_period_is_an_error_with_its_consequence():
    [finding] = residue("## 4 Kontrakt\n\n4.4 Kontraktet gäller för perioden [från och med – till och med].\n")
    assert finding.severity == Severity.error and finding.section == "4.4"
    assert "[från och med – till och med]" in finding.message and "löptid" in finding.message


@pytest.mark.parametrize(
    ("body", "consequence"),
    [
        ("## 4.5.4 Tidplan\n\n[Ange under vilken tid uppdraget ska utföras.]\n", "försening"),
        ("## 4.5.6 Uppföljning\n\n[Ange på vilket sätt kontraktet ska följas upp.]\n", "följs upp"),
        ("## 4.6 Ersättning\n\nErsättning betalas per timme. [Ange när betalning ska ske.]\n", "ersättningen"),
        ("## 5 Vite\n\nVitet är XX kronor per påbörjad vecka.\n", "sanktionen"),
        ("## 1.10 Utvärdering\n\nSnittpriset multipliceras med omfattningen (X timmar/vecka).\n", "utvärderas"),
    ],
)
def test_consequence_follows_from_where_the_placeholder_stands(body, consequence):
    [finding] = residue(body)
    assert finding.severity == Severity.error and consequence in finding.message


@pytest.mark.parametrize(
    "body",
    [
        # Fields the supplier fills in when the contract is signed.
        "## 4.1 Parter\n\nKommunen och [leverantörens namn] (leverantören), [organisationsnummer,] har slutit "
        "kontrakt.\n",
        "## 4.2.2 Kontaktperson för leverantör\n\nKontaktperson för leverantören är: [namn, adress, e-post]\n",
        # Page marks, footnotes, links, a bidder's answer field.
        "## 2 Krav\n\nUtföraren ska följa rutinen. 13 [24]\n\nSe [riktlinjen](https://example.se/r) och källa [1].\n",
        "## 10 Ramavtalsleverantör\n\nOrganisationsnummer: Klicka eller tryck här för att ange text.\n",
        # The signature block is filled in when the contract is signed.
        "## 12 Undertecknande\n\n| För [avropande myndighets namn] | För [leverantörens namn] |\n|---|---|\n"
        "| Ort och datum | Ort och datum |\n| Underskrift | Underskrift |\n",
    ],
)
def test_fill_in_fields_and_page_marks_are_not_residue(body):
    assert residue(body) == []


def test_the_buyers_own_placeholders_are_residue():
    body = (
        "## 2 Avropande myndighet\n\nTelefonnummer: Klicka eller tryck här för att ange text.\n\n"
        "## 4.1 Parter\n\n[Avropande myndighets namn] (avropande myndighet), [organisationsnummer,] och "
        "[leverantörens namn] (leverantören) har slutit kontrakt.\n"
    )
    findings = residue(body)
    assert len(findings) == 2 and all(f.severity == Severity.warning for f in findings)
    assert "[Avropande myndighets namn]" in findings[1].message and "leverantörens namn" not in findings[1].message


def test_plain_residue_is_one_finding_listing_its_other_places():
    body = "".join(f"## 4.{i} Avsnitt {i}\n\n[Beskriv avsnitt {i} här.]\n\n" for i in range(1, 5))
    [finding] = residue(body)
    assert [place.section for place in finding.also] == ["4.2", "4.3", "4.4"]
    assert "3 ställen till" in finding.message
    assert [p["section"] for p in finding.public()["also"]] == ["4.2", "4.3", "4.4"]


def test_framework_tender_keeps_its_call_off_templates():
    text = (
        "# Upphandling av ramavtal\n\n## 9.2 Tidplan\n\n[Ange tidplan vid avrop.]\n\n"
        "Fel! Bokmärket är inte definierat.\n"
    )
    draft = parse_draft(text, "ramavtal.md", "md")
    draft.classification = forced("ramavtal", draft)
    findings = lint_draft(draft, [RULES["mallrester"]])
    assert [f.quote for f in findings] == ["Bokmärket är inte definierat."]


def references(text: str) -> list:
    return lint_draft(parse_draft(text, "utkast.md", "md"), [RULES["hanvisning"]])


def test_annex_reference_without_an_annex_list_is_not_checked():
    text = "## 3 Villkor\n\n3.19 Leverantören ska teckna personuppgiftsbiträdesavtal (Bilaga 3).\n"
    assert references(text) == []
    assert [f.section for f in references(text + "\n## Bilagor\n\nBilaga 1 Avtalsmall\n")] == ["3.19"]


def test_annex_published_with_the_framework_agreement_resolves():
    text = (
        "## 3 Pris\n\n3.6 Takpriserna framgår av Bilaga B – Resursbehov som finns på ramavtalets webbsida.\n\n"
        "## Bilagor\n\nBilaga 1 Avtalsmall\n"
    )
    assert references(text) == []


def test_reference_to_a_section_about_something_else():
    text = (
        "## 1.7 Obligatoriska krav\n\n### 1.7.2 Kompetens och erfarenhet\n\nKonsulten ska ha fem års erfarenhet.\n\n"
        "## 1.8 Utvärderingskriterier\n\n### 1.8.2 Konsulttjänstens kvalitet\n\nKvaliteten bedöms vid intervju.\n\n"
        "## 1.10 Prövning\n\n1.10.1 Vid utvärdering av konsulttjänstens kvalitet (enligt punkt 1.7.2 ovan) ges poäng."
        "\n\n1.10.2 Kraven på kompetens och erfarenhet (enligt punkt 1.7.2) prövas först.\n\n"
        "1.10.3 Utvärderingskriterierna som framgår av punkt 1.8.2 bedöms av en grupp.\n"
    )
    [finding] = references(text)
    assert finding.section == "1.10.1"
    assert "punkt 1.7.2 handlar om ”Kompetens och erfarenhet”" in finding.message and "1.8.2" in finding.message


def test_findings_are_ranked_by_severity_and_repeated_clauses_grouped():
    text = (
        "# Valfrihetssystem för hemtjänst enligt LOV\n\n## 3 Krav på tjänsten\n\n"
        "3.1 Utföraren ska i möjligaste mån erbjuda kontinuitet.\n\n3.2 Utföraren bör ha ett ledningssystem.\n\n"
        "## 9 Kontraktsvillkor\n\n9.1 Utföraren ska i möjligaste mån erbjuda kontinuitet.\n"
    )
    findings = lint_draft(parse_draft(text, "x.md", "md"), list(RULES.values()))
    ranks = [{"error": 0, "warning": 1, "info": 2}[f.severity.value] for f in findings]
    assert ranks == sorted(ranks) and ranks[0] == 0
    vague = [f for f in findings if f.rule == "uppfoljningsbarhet"]
    assert len(vague) == 1 and [p.section for p in vague[0].also] == ["9.1"]


def test_new_kinds_of_labelled_drafts():
    """Drafts of other kinds than the LOV dev set: a LOU welfare tender, a call-off, a mission description."""
    scored = ("modalitet", "uppfoljningsbarhet", "sanktioner", "insyn", "hanvisning", "mallrester", "uppfoljning")
    report = evaluate(SLAG / "labels.jsonl", SLAG, list(RULES.values()), scored=scored)
    assert report.overall.recall == 1.0, [m.model_dump() for m in report.missed]
    assert report.overall.precision >= 0.9, json.dumps(report.false_positives, ensure_ascii=False)
