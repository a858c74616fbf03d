"""Know who a sentence binds, and judge vagueness as a procurement lawyer does: only requirements on
the provider are checked; a stated level, a standard or a restated statute makes them followable."""

from __future__ import annotations

import pytest

from assistant.lint.draft import parse_draft
from assistant.lint.engine import lint_draft
from assistant.lint.rules import load_rules

RULES = {rule.id: rule for rule in load_rules()}


def role_of(sentence: str, section: str = "3 Krav på tjänsten") -> str:
    draft = parse_draft(f"# Utkast\n\n## {section}\n\n{sentence}\n", "utkast.md", "md")
    return draft.sentences[0].role


@pytest.mark.parametrize(
    ("sentence", "section", "role"),
    [
        ("Utföraren ska dokumentera insatserna samma dag.", "3 Krav på tjänsten", "requirement"),
        ("Webbplatsen ska följa WCAG 2.1 nivå AA.", "2.4 Kravspecifikation", "requirement"),
        ("Utföraren kan erbjuda insatser på helger.", "3 Krav på tjänsten", "requirement"),
        ("Anbudsgivare uppmanas att kontrollera sitt anbud.", "1 Anbudsföreskrifter", "bidder"),
        ("Anbudsgivare bör påtala fel i underlaget under anbudstiden.", "1.15 Frågor och förtydliganden", "bidder"),
        ("Leverantören ska till anbudet bifoga redovisning som styrker kravet.", "2 Krav", "bidder"),
        ("Accepterar leverantören avtalsvillkoren?", "3 Kommersiella villkor", "bidder"),
        ("Ja/Nej. Ja krävs.", "3 Kommersiella villkor", "form"),
        ("Offererad konsult bör ha erfarenhet av Bootstrap.", "1.8 Utvärderingskriterier", "evaluation"),
        ("Mervärdet ges som prisavdrag på anbudspriset.", "3 Krav", "evaluation"),
        ("Kommunen förbehåller sig rätten att välja format.", "4 Fakturering", "buyer"),
        ("Den enskilde bör kontakta sin handläggare.", "3 Krav på tjänsten", "citizen"),
        ("Part är skyldig att vidta skäliga åtgärder för att begränsa följderna.", "8.12 Force majeure", "boilerplate"),
        ("Det kan också innebära att man måste verka för tillgänglighet.", "Fritid", "description"),
        ("Utföraren ska utvärdera insatserna varje år.", "3 Krav på tjänsten", "requirement"),
    ],
)
def test_role_of_a_sentence(sentence, section, role):
    assert role_of(sentence, section) == role


def flagged(body: str, rule: str, section: str = "3 Krav på tjänsten") -> list[str]:
    text = f"# Förfrågningsunderlag\n\n## {section}\n\n{body}\n"
    return [f.quote for f in lint_draft(parse_draft(text, "utkast.md", "md"), [RULES[rule]]) if not f.missing]


@pytest.mark.parametrize(
    ("sentence", "section"),
    [
        ("3.1 Anbudsgivare uppmanas att omedelbart kontakta supporten om problem uppstår.", "3 Krav på tjänsten"),
        ("1.2 Anbudsgivare bör påtala eventuella fel under anbudstiden.", "1 Frågor under anbudstiden"),
        ("3.1 Anbudet kan maximalt få ett mervärde i form av prisavdrag.", "3 Utvärdering"),
        ("3.1 Om leverantören inte kan inkludera underleverantörer ska leverantören reglera detta.", "3 Försäkring"),
        ("3.1 Om leverantören har möjlighet att erbjuda flera format har köparen rätt att välja.", "3 Fakturering"),
        ("3.1 Leverantör kan endast åberopa skriftliga svar.", "1.6 Förtydligande och komplettering"),
        ("3.1 När utföraren nått sitt tak kan utföraren inte ta emot nya brukare.", "3 Kapacitet"),
        ("3.1 Önskemål om kost bör respekteras så långt som möjligt.", "3 Krav på tjänsten"),
        ("3.1 Personal kan ge stöd genom att vara förebilder.", "3 Krav på tjänsten"),
    ],
)
def test_modality_is_only_for_requirements_on_the_provider(sentence, section):
    assert flagged(sentence, "modalitet", section) == []


@pytest.mark.parametrize(
    ("body", "section"),
    [
        # TendSign export: the bidder accepts the section's requirements with "Ja krävs".
        ("Webbplatsen bör fungera utan JavaScript.\n\nAccepteras kraven?\n\nJa/Nej. Ja krävs", "2.4.2 Generella krav"),
        ("Det bör även finnas en funktion för att stänga av kakor.", "2.4.3 Krav funktioner"),
        ("3.15 Statistiken ska lämnas till kommunen och bör vara i Excel-format.", "3 Kommersiella villkor"),
    ],
)
def test_weak_requirement_without_a_named_party_in_a_requirements_section(body, section):
    assert len(flagged(body, "modalitet", section)) == 1


def test_weak_modal_without_a_party_outside_requirements_is_left_alone():
    body = "Både grupp- och servicebostäder bör ligga i vanliga bostadsområden."
    assert flagged(body, "modalitet", "Bostadens utformning") == []


@pytest.mark.parametrize(
    ("sentence", "section"),
    [
        (
            "3.1 Leverantören ska se till att resultatet är tillgängligt i god tid, och i vart fall fem arbetsdagar, "
            "innan kontrollen.",
            "3 Leverans",
        ),
        (
            "3.1 Part är skyldig att vidta skäliga ansträngningar för att mildra följderna av en befrielsegrund.",
            "8 Force majeure",
        ),
        ("3.1 Leverantören ska byta ut person som kommunen anser sakna erforderlig kompetens.", "3 Personal"),
        ("3.1 Anbudet ska innehålla begärda bilagor och om möjligt inga andra.", "1 Anbudets form och innehåll"),
        ("3.1 Insatserna ska vara av god kvalitet i enlighet med socialtjänstlagen.", "3 Kvalitet"),
        ("3.1 Kvaliteten i verksamheten ska systematiskt och fortlöpande utvecklas och säkras.", "3 Kvalitet"),
        ("3.1 Verksamheten ska fortlöpande utöva egenkontroll.", "3 Kvalitet"),
        ("3.1 Verksamheten ska ha rutiner som säkerställer en god vårdhygienisk standard.", "3 Hygien"),
        ("3.1 Webbplatsen ska följa WCAG 2.1 och vid behov WAI-ARIA.", "3 Krav"),
        ("3.1 Det ska vid behov vara möjligt att lägga till en alternativ text.", "3 Krav"),
        ("3.1 Vid behov ska alltid auktoriserad tolk användas.", "3 Krav på tjänsten"),
        ("3.1 Verksamheten ansvarar för att personal vid behov får instruktioner om hjälpmedel.", "3 Hjälpmedel"),
        ("3.1 Bilaga 04 kan bifogas vid behov och ska då ingå i avropet.", "3 Kontraktshandlingar"),
        ("3.1 Onödiga störningar i verksamheten ska i möjligaste mån undvikas.", "3 Avslut"),
        ("3.1 Så långt det är möjligt ska hänsyn tas till individens önskemål.", "3 Måltider"),
        ("3.1 Den andra parten ska snarast, dock senast inom fyra veckor, vidta rättelse.", "3 Avtalsbrott"),
        ("3.1 Kläderna ska tvättas regelbundet när det efterfrågas av brukaren.", "3 Tvätt"),
    ],
)
def test_followable_or_not_a_requirement_is_not_vague(sentence, section):
    assert flagged(sentence, "uppfoljningsbarhet", section) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "3.1 Leverantören är skyldig att se till att konsulterna är lyhörda för myndighetens behov.",
        "3.1 Leverantören ska snarast meddela ändringar i bemanningen.",
        "3.1 Verksamheten ska i möjligaste mån minimera antalet personal per brukare.",
        "3.1 Ansvarig chef ska ha god kunskap om sekretesslagen och ska regelbundet gå igenom den med personalen.",
        "3.1 Uppdraget ska genomföras med hög kvalitet enligt kraven i kontraktshandlingarna.",
        "3.1 Utföraren ska samverka med hälso- och sjukvården vid behov.",
    ],
)
def test_vague_requirements_on_the_provider(sentence):
    assert len(flagged(sentence, "uppfoljningsbarhet")) == 1


def test_measure_in_the_next_sentence_makes_it_followable():
    body = (
        "Personalen ska ha ett bra bemötande. Brukarens nöjdhet mäts i den nationella brukarundersökningen.\n\n"
        "Medarbetarna ska ha ett bra bemötande mot anhöriga."
    )
    assert flagged(body, "uppfoljningsbarhet", "Bemötande") == ["Medarbetarna ska ha ett bra bemötande mot anhöriga."]


def test_statute_in_a_heading_makes_its_sentences_followable():
    body = "Verksamheten ska i möjligaste mån tillgodose brukarens behov av stöd."
    assert flagged(body, "uppfoljningsbarhet", "Utreda och avhjälpa enligt lex Sarah") == []
    assert flagged(body, "uppfoljningsbarhet", "Stöd i vardagen") == [body]


def test_one_clause_one_finding_modality_before_vagueness():
    text = "# Valfrihetssystem enligt LOV\n\n## 3 Krav på tjänsten\n\n3.1 Utföraren bör i möjligaste mån bistå.\n"
    findings = lint_draft(parse_draft(text, "x.md", "md"), [RULES["modalitet"], RULES["uppfoljningsbarhet"]])
    assert [f.rule for f in findings] == ["modalitet"]


def test_changes_announced_without_notice():
    body = (
        "Verksamheten ansvarar för kostnaderna för telefonerna. Verksamheten kommer att informeras om förändrade "
        "villkor.\n\nVerksamheten ska skyndsamt anpassa sig till nya arbetssätt och digitala verktyg."
    )
    assert len(flagged(body, "framforhallning", "IT")) == 2
    assert len(flagged("Kommunens riktlinjer kan komma att uppdateras under avtalsperioden.", "framforhallning")) == 1
    calm = "Förändrade villkor meddelas verksamheten senast tre månader innan de börjar gälla."
    assert flagged(calm, "framforhallning", "IT") == []
