"""Answer units: a lead-in that announces paragraphs (not bullets) keeps them as one list unit."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from assistant.answering.passages import segment
from assistant.models import Chunk, DocumentMeta, SearchHit

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _hit(text: str) -> SearchHit:
    return SearchHit(
        chunk=Chunk(id="c", doc="d.md", text=text, start=0, end=len(text)),
        meta=DocumentMeta(doc="d.md", title="Uppdragsbeskrivning"),
        score=1.0,
    )


def _lists(text: str) -> list[str]:
    return [u.text for u in segment(_hit(text))[0] if u.kind == "list"]


def _first_unit_gate(question: str, text: str) -> str:
    """Why gates.gate stops the first unit of `text` (a line of a document) for `question`, or ""."""
    from assistant.answering.gates import gate
    from assistant.answering.shape import Shape
    from assistant.answering.terms import QueryTerms

    unit = segment(_hit(text + "\n"))[0][0]
    return gate(unit, QueryTerms(question), Shape.of(question))


ENUMERATION = """Målgrupp

Lagen vänder sig till personer som omfattas av någon av nedan beskrivna personkretsar enligt 1 § LSS.

Personkrets 1

Personer med utvecklingsstörning, autism eller autismliknande tillstånd.

Personkrets 2

Personer med betydande och bestående begåvningsmässigt funktionshinder efter hjärnskada i vuxen ålder.

Särskilt viktiga delar

Verksamheten ska främja jämlikhet i levnadsvillkor.
"""


def test_announced_paragraphs_form_a_list_with_their_lead_in():
    (unit,) = _lists(ENUMERATION)
    assert unit.startswith("Lagen vänder sig till personer")
    assert "Personkrets 1: Personer med utvecklingsstörning" in unit
    assert "Personkrets 2: Personer med betydande" in unit
    assert "jämlikhet" not in unit  # another heading ends the enumeration
    # The paragraphs stay units of their own.
    assert any(u.text.startswith("Personer med utvecklingsstörning") for u in segment(_hit(ENUMERATION))[0])


@pytest.mark.parametrize(
    "text",
    [
        # No announcing word: the paragraphs that follow are just more text.
        ENUMERATION.replace("nedan beskrivna personkretsar", "personkretsarna"),
        # Announced, but what follows is one long paragraph: the text going on, not items.
        "Insatserna beskrivs nedan.\n\n" + "Hemtjänsten ska utföras med god kvalitet och respekt. " * 10 + "\n",
        # "närmast följande vardag" is the next day, not what the next paragraphs hold (a real mission
        # description, where a heading and a sub-heading follow: they were read as the items of a list).
        "Infaller sista dag för uppsägningstiden på en helgdag äger utförarbytet rum närmast följande vardag. "
        "Utförarbyte sker under dagtid mellan klockan 08.00 och 17.00.\n\nArbetssätt\n\n"
        "Individens behov i centrum (IBIC)\n\nKommunen arbetar utifrån IBIC vilket ska prägla arbetet.\n",
    ],
)
def test_no_list_without_an_announcement_and_items(text):
    assert _lists(text) == []


def test_the_last_announcing_sentence_leads_the_list():
    """Two sentences of a paragraph announce; the list that follows belongs to the later one, which is
    nearer to it (the earlier one is followed by text of its own)."""
    text = (
        "I kontraktet ingår nedan angivna handlingar. Handlingarna kompletterar varandra. Om handlingarna är "
        "motsägelsefulla gäller de i följande ordning.\n\nHandling 1\n\nKontraktet med ändringar och tillägg.\n\n"
        "Handling 2\n\nAllmänna villkor för avropet.\n"
    )
    (unit,) = _lists(text)
    assert unit.startswith("Om handlingarna är motsägelsefulla gäller de i följande ordning")


BARE = (
    "Beslut om avslag får enbart fattas av vissa befattningshavare. Vård- och omsorgsnämnden har delegerat beslut "
    "om avslag och förbehåll till följande funktioner:\n\nOmsorgsdirektör\n\nMyndighetschef\n\nOmsorgschef\n\n"
    "Förfarande vid utlämnande av handling\n\nNär en begäran inkommer kan det ske muntligt såväl som skriftligt.\n"
)


def test_a_list_item_that_a_conversion_marked_as_a_heading_reads_as_an_item():
    text = "Använd SBAR som står för:\n- Situation\n- ## Bakgrund\n- Aktuellt tillstånd\n- Rekommendation\n"
    (unit,) = _lists(text)
    assert unit == "Använd SBAR som står för: Situation; Bakgrund; Aktuellt tillstånd; Rekommendation."


def test_a_routines_numbered_steps_are_items_even_when_a_step_is_one_short_line():
    """ "1. Kontakta omgående enhetschef ..." between a lead-in and "2. Ring Anticimex ..." is step 1, not a
    heading: as a heading it was no unit at all, and the list lost its first step."""
    text = (
        "Om du får kännedom om att det finns vägglöss i\nbrukares lägenhet\n"
        "1. Kontakta omgående enhetschef och informera om situationen\n"
        "2. Ring Anticimex för att starta ärende och göra upp en plan för hur\nsanering ska påbörjas: 075-2451000\n"
        "3. Hyresvärden ska kontaktas och informeras\n"
    )
    (unit,) = _lists(text)
    assert unit.startswith("Om du får kännedom om att det finns vägglöss i brukares lägenhet: Kontakta omgående")
    assert "075-2451000; Hyresvärden ska kontaktas och informeras." in unit
    # A numbered title with text under it, and no numbered neighbour, stays a heading.
    units, headings = segment(_hit("2. Inledning\nRutinen gäller all personal på enheten.\n"))
    assert headings == ["Inledning"] and [u.kind for u in units] == ["sentence"]  # shown without its number


def test_a_question_alone_on_its_line_heads_the_answer_below_it():
    """A question-and-answer page ("Så fungerar ett trygghetslarm"): "Vad händer när jag larmar?" is the heading of
    the text under it, not a sentence to quote ("Vad händer när jag larmar [1]?" was cited in an answer). A question
    inside a paragraph, or one with nothing after it, stays a sentence."""
    units, headings = segment(_hit("Vad händer när jag larmar?\nDin larmhändelse loggas och samtal spelas in.\n"))
    assert headings == ["Vad händer när jag larmar?"]
    assert [u.text for u in units if u.kind == "sentence"] == ["Din larmhändelse loggas och samtal spelas in."]
    units, headings = segment(_hit("Personalen frågar: vill du ha hjälp? Svaret skrivs in.\n"))
    assert headings == [] and any("vill du ha hjälp?" in u.text for u in units)
    units, headings = segment(_hit("Har du frågor om ansökan?\n"))
    assert headings == [] and [u.text for u in units] == ["Har du frågor om ansökan?"]


def test_a_step_that_announces_a_list_of_its_own_holds_it():
    """ "9. Möte med uppdragstagare ... Uppdragstagaren får:" and its bullets: the step and its list are one unit; the
    step alone is a lead-in, not an item (cited alone, it read "Uppdragstagaren får [2]."). Steps after steps are
    not one step's list."""
    text = (
        "8. Kontaktperson och brukare träffas och kan påbörja insatsen.\n\n"
        "9. Möte med uppdragstagare (sker efter det gemensamma mötet med\nbrukaren). Uppdragstagaren får:\n"
        "- en uppdragsbeskrivning\n- information och blankett för månadsuppföljning\n"
        "10. Uppföljning sker efter tre månader.\n"
    )
    units, _ = segment(_hit(text))
    lists = [u.text for u in units if u.kind == "list"]
    assert lists == [
        "Möte med uppdragstagare (sker efter det gemensamma mötet med brukaren). Uppdragstagaren får: "
        "en uppdragsbeskrivning; information och blankett för månadsuppföljning."
    ]
    assert not any(u.kind == "item" and u.text.endswith("får:") for u in units)
    assert [u.kind for u in units if u.text.startswith("Uppföljning sker")] == ["item"]
    steps = "Gör så här:\n1. Ring enhetschefen:\n2. Skriv en avvikelse.\n3. Informera anhöriga.\n"
    assert [u.kind for u in segment(_hit(steps))[0] if u.text.startswith("Ring")] == ["item"]


def test_short_lines_after_an_announcing_lead_in_are_its_items():
    """A list without markers: roles on lines of their own. The last short line, followed by a paragraph, is the
    next section's heading, not an item."""
    (unit,) = _lists(BARE)
    assert unit == (
        "Vård- och omsorgsnämnden har delegerat beslut om avslag och förbehåll till följande funktioner: "
        "Omsorgsdirektör; Myndighetschef; Omsorgschef."
    )
    # Two short lines, then a paragraph: a heading and a sub-heading, not a list.
    assert _lists(BARE.replace("Myndighetschef\n\n", "").replace("Omsorgschef\n\n", "")) == []
    # A list that ends the text keeps its last line.
    assert _lists(BARE.split("Förfarande")[0])[0].endswith("Myndighetschef; Omsorgschef.")


def test_a_sentence_grows_into_the_list_it_leads_to_never_into_its_lead_in_alone():
    from assistant.answering import extractive
    from assistant.answering.citing import select
    from assistant.answering.terms import QueryTerms

    question = "Får handläggaren själv fatta beslutet att säga nej till utlämnande?"  # the sentence answers
    analysis = extractive.analyze(QueryTerms(question), question, [_hit(BARE)])
    (group,) = select(analysis)
    assert group.key.text == "Beslut om avslag får enbart fattas av vissa befattningshavare."
    shown = " ".join(u.text for u in group.units)
    assert "Omsorgsdirektör; Myndighetschef; Omsorgschef" in shown


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared saknas")
def test_real_mission_description_lists_the_personkretsar():
    text = (SHARED / "other" / "botkyrka-uppdragsbeskrivning-korttidsvistelse-lss.md").read_text(encoding="utf-8")
    start = text.index("Målgrupp")
    (unit,) = _lists(text[start : start + 1500])
    assert all(f"Personkrets {n}" in unit for n in (1, 2, 3))


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("Vem beslutar om bistånd?", True),
        ("Vilka ska följa upp avtalen?", True),
        ("Vem omfattas av LSS?", False),  # a group of people, not someone who acts
        ("Vilka har rätt till hemtjänst?", False),
        ("Vem kan få ledsagning?", False),
        # "Vilka" before a noun asks who only when the noun is people or bodies.
        ("Vilka hemtjänstföretag är godkända i Knivsta?", True),
        ("Och vilka leverantörer lämnade anbud?", True),
        ("Vilka olika roller har fullmäktige?", True),
        ("Vilka krav ställs på utförare?", False),
        ("Vilka påföljder kan en idéburen organisation drabbas av?", False),
        ("Vilka tjänsteområden omfattas av policyn?", False),
    ],
)
def test_who_asks_for_an_actor_unless_it_asks_who_is_entitled(question, who):
    from assistant.answering.shape import Shape

    assert Shape.of(question).who is who


@pytest.mark.parametrize(
    ("question", "eligible"),
    [
        ("Vem kan få personlig assistans?", True),
        ("Vilka har rätt till färdtjänst?", True),
        ("Vem får lämna ett medborgarförslag?", True),
        ("Vem omfattas av LSS?", True),
        ("För vem gäller lagen?", True),
        ("Vem ska få hemtjänst först?", True),
        # Who acts, decides or applies for someone else is an actor.
        ("Vem får lämna ut handlingen?", False),
        ("Vem får besluta om bistånd?", False),
        ("Vem ska söka LSS-stöd för ett barn under 15 år?", False),
        ("Vem ansvarar för tillsynen?", False),
    ],
)
def test_who_may_receive_or_do_something_asks_for_a_group_described(question, eligible):
    from assistant.answering.shape import Shape

    shape = Shape.of(question)
    assert shape.eligible is eligible
    assert not (shape.eligible and shape.who)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("Med personlig assistans avses stöd åt den som på grund av stora funktionshinder behöver hjälp.", True),
        ("Lagen innehåller bestämmelser om insatser åt personer med utvecklingsstörning.", True),
        ("Den som är folkbokförd i kommunen får väcka ärenden i fullmäktige.", True),
        ("Den enskilde ska vara 65 år eller äldre.", True),
        ("Kommunen ska anmäla till IVO om en enskild bedriver personlig assistans utan tillstånd.", False),
        ("Fullmäktige får avskriva medborgarförslaget från vidare handläggning.", False),
    ],
)
def test_a_question_who_may_receive_it_is_answered_by_whom_it_is_for(text, ok):
    """ "Vem kan få personlig assistans?" is answered by those it is for ("den som ...", "personer med ...", an
    age, a residence, "rätt till"), not by what the municipality reports about it."""
    from assistant.answering.shape import Shape, type_ok

    assert type_ok(Shape.of("Vem kan få personlig assistans?"), text) is ok


def test_what_a_document_is_for_answers_only_what_or_why():
    """ "Syftet med riktlinjen är att ...": what the guideline is for does not say whether one may give a present."""
    from assistant.answering.gates import gate
    from assistant.answering.shape import Shape
    from assistant.answering.terms import QueryTerms

    text = "Syftet med riktlinjen är att öka kunskapen om gåvor och mutor. Penninggåvor är aldrig tillåtna."
    unit = segment(_hit(text))[0][0]
    for question, reason in (
        ("Får jag ge en present till personalen?", "säger vad dokumentet är till för"),
        ("Vad är syftet med riktlinjen om mutor?", ""),
        ("Varför finns riktlinjen om mutor?", ""),
    ):
        assert gate(unit, QueryTerms(question), Shape.of(question)) == reason, question


@pytest.mark.parametrize(
    ("text", "made_for"),
    [
        ("För att underlätta för boende har denna rutin tagits fram.", True),
        ("För att agera snabbt har vi en rutin som alla berörda ska följa.", True),
        ("Rutinen syftar till att säkerställa en god hygien.", True),
        ("Felanmälan görs av verksamheten på kommunens intranät.", False),
        ("Personalen tar fram en plan för varje brukare.", False),
    ],
)
def test_why_a_routine_was_made_answers_only_what_or_why(text, made_for):
    """ "För att underlätta för boende har denna rutin tagits fram" says why the routine exists, not how to report a
    fault; the sentence beside it that says how still answers."""
    from assistant.answering.gates import gate
    from assistant.answering.shape import Shape
    from assistant.answering.terms import QueryTerms

    question = "Hur gör vi felanmälan i lägenheten?"
    unit = segment(_hit(text))[0][0]
    reason = gate(unit, QueryTerms(question), Shape.of(question))
    assert (reason == "säger vad dokumentet är till för") is made_for


@pytest.mark.parametrize(
    "text",
    [
        "Meddela senast kl. 10:00 dagen innan ditt nästa pass.",
        "Avgiften gäller fr.o.m. 1 januari 2025 enligt taxan.",
        "Kommunen har ett s.k. ickevalsalternativ för den som inte väljer.",
    ],
)
def test_abbreviations_do_not_end_a_sentence(text):
    from assistant.text import split_sentences

    assert split_sentences(text + " Nästa mening.") == [(0, len(text)), (len(text) + 1, len(text) + 14)]


@pytest.mark.parametrize("label", ["OBS!", "Obs:", "Observera!", "Viktigt!"])
def test_a_label_that_calls_attention_is_part_of_the_next_sentence(label):
    from assistant.text import split_sentences

    text = f"Rapportera i Lifecare. {label} Brytdatum är klockan 12.00 den tredje vardagen."
    first = len("Rapportera i Lifecare.")
    assert split_sentences(text) == [(0, first), (first + 1, len(text))]
    # ... but not across a paragraph break, where it heads what follows.
    assert len(split_sentences(f"{label}\n\nBrytdatum är klockan 12.00.")) == 2


@pytest.mark.parametrize(
    ("question", "text", "ok"),
    [
        ("Vad ligger tröskelvärdet på i kronor?", "Tröskelvärdena anges i artikel 13 i direktiv 2014/24/EU.", False),
        ("Hur mycket betalar kommunen per timme?", "En person med 4 timmar hemtjänst hamnar i nivå 3.", False),
        ("Vad kostar en matlåda?", "En matlåda kostar 65 kronor.", True),
        ("Vad är timlönen för en timvikarie?", "Timlönen är 150 kr i timmen.", True),
        ("Hur mycket betalar den enskilde?", "Avgiften är högst 28 procent av prisbasbeloppet.", True),
        ("Vem betalar för att byta lås?", "Hemtjänsten betalar för låsbytet.", True),  # asks who, not how much
        ("Hur stor kan den avgiften bli?", "Avgiften bestäms till lägst 15 000 kronor.", True),
        ("Hur stor kan den avgiften bli?", "En kommun som inte verkställer ett beslut betalar en avgift.", False),
        # Whether it matters, not how much: "Förmögenhet påverkar inte avgiften" answers.
        ("Påverkar sparpengar hur hög avgiften blir?", "Förmögenhet påverkar inte avgiftsunderlaget.", True),
        # A supplement, an allowance and a compound's sum are sums of money: "6 timmar per dag" is none.
        ("Hur mycket OB-tillägg får jag per timme?", "Du arbetar minst 6 timmar per dag under resan.", False),
        ("Hur mycket friskvårdsbidrag får vi?", "Friskvårdsbidraget är 2 000 kronor per år.", True),
        ("Hur stor är milersättningen?", "Milersättningen betalas ut efter 30 mil.", False),
        ("Hur mycket stöd får anhöriga?", "Anhöriga erbjuds fem samtal.", True),  # support is no sum
        # Asked the other way round, by what one earns or is charged.
        ("friskvårdsbidrag hur mycket?", "Ansök om friskvårdsbidrag i Heroma.", False),
        ("Vad tjänar en personlig assistent per timme?", "Assistenten arbetar högst 10 timmar per pass.", False),
        ("Vad tar ni betalt per sida för kopior?", "Avgiften är 50 kronor för tio sidor.", True),
        # Being paid for work is not asking for a sum: the rule on how answers it.
        ("Hur ska företagen få betalt för sitt arbete?", "Rörlig ersättning tillämpas för utförd tid.", True),
        # How expensive, whether it costs anything: a sum answers, and so does that it costs nothing.
        ("Hur dyr julgåva får man ta emot?", "Julgåvor bör inte vara värda mer än 1 procent av prisbasbeloppet.", True),
        ("Hur dyr julgåva får man ta emot?", "Penninggåvor ska aldrig tas emot.", False),
        ("Kostar anhörigstödet något?", "Anhörigstödet består av ett basutbud. Allt är kostnadsfritt.", True),
        ("Kostar anhörigstödet något?", "Anhörigstöd indelas i indirekt och direkt form.", False),
        # Whether it costs is answered too by that a fee is charged or someone pays, with or without a figure;
        # how much it costs is not.
        ("Kostar korttidsvistelsen något för oss?", "Vid korttidsvistelse tas avgift ut för kost.", True),
        ("Är dagverksamheten gratis?", "Du betalar själv för maten.", True),
        ("Vad kostar korttidsvistelsen?", "Vid korttidsvistelse tas avgift ut för kost.", False),
        ("Kostar korttidsvistelsen något för oss?", "Korttidsvistelse ges som avlösning.", False),
        ("Kostar det något att få låset monterat?", "Monteringen innebär inte någon kostnad för dig.", True),
        ("Är daglig verksamhet gratis?", "För insatser enligt denna lag får avgifter inte tas ut.", True),
        ("Är daglig verksamhet gratis?", "Daglig verksamhet ges till personer i yrkesverksam ålder.", False),
        # A price named without a figure: the cost price, or a fee it is part of.
        ("Vad kostar maten?", "Måltider erbjuds till självkostnadspris.", True),
        ("Kostar kameran något extra?", "Kostnaden för kameran ingår i hemtjänstavgiften.", True),
        ("Kostar kameran något extra?", "Kameran ingår i tillsynen på natten.", False),
        # The wage named in passing: whether one is compensated, not how much ("rätt till skälig ersättning").
        ("Får jag ersättning för lönen jag går miste om?", "De har rätt till skälig ersättning.", True),
        ("Vilken lön har en timvikarie?", "Timvikarier har rätt till skälig ersättning.", False),
    ],
)
def test_a_question_for_money_needs_a_sum(question, text, ok):
    from assistant.answering.shape import Shape, names_a_sum

    assert names_a_sum(Shape.of(question), text) is ok


@pytest.mark.parametrize(
    ("question", "text", "ok"),
    [
        # What it costs is answered by a sum and by what names the price without one, as for names_a_sum.
        ("Vad kostar det att ha ett trygghetslarm?", "Larmet är helt kostnadsfritt för den som har hemtjänst.", True),
        ("Vad kostar maten?", "Måltider erbjuds till självkostnadspris.", True),
        ("Vad kostar maten?", "Maten kostar 65 kronor.", True),
        ("Vad kostar maten?", "Maten lagas på plats varje dag.", False),
        # ... but a count is not answered by a price.
        ("Hur många timmar får jag?", "Det är kostnadsfritt.", False),
    ],
)
def test_a_question_what_it_costs_is_answered_without_a_figure_too(question, text, ok):
    from assistant.answering.shape import Shape, type_ok

    assert type_ok(Shape.of(question), text) is ok


@pytest.mark.parametrize(
    "question, text, heading, ok",
    [
        (
            "Hur mycket betalar kommunen utförarna per utförd timme?",
            "Ersättningen är 420 kronor per utförd timme.",
            "",
            True,
        ),
        ("Vad kostar hemtjänsten per timme?", "Timtaxan är 350 kr.", "", True),
        ("Vad kostar hemtjänsten per timme?", "Avgiften är 350 kr/tim.", "", True),
        # A sum, but not per hour: what the user pays in all is no price per hour.
        (
            "Hur mycket betalar kommunen utförarna per utförd timme?",
            "Personen ska som mest betala 28 procent av prisbasbeloppet.",
            "",
            False,
        ),
        ("Hur stor är avgiften i månaden?", "Avgiften är högst 2 359 kronor per månad.", "", True),
        ("Hur stor är avgiften i månaden?", "Avgiften är högst 2 359 kronor.", "", False),
        ("Hur stor är avgiften i månaden?", "Avgiften är högst 2 359 kronor.", "4.1 Avgift per månad", True),
        ("Vad kostar hemtjänsten?", "Avgiften är 300 kr per timme.", "", True),  # no unit asked: any sum
    ],
)
def test_a_question_for_a_sum_per_something_needs_a_sum_per_that(question, text, heading, ok):
    from assistant.answering.shape import Shape, names_a_sum

    assert names_a_sum(Shape.of(question), text, heading) is ok


@pytest.mark.parametrize(
    ("question", "text", "ok"),
    [
        ("Hur många dagar är avtalsspärren?", "Kontrakt tecknas inte förrän tio kalenderdagar efter beslutet.", True),
        ("Hur många dagar är avtalsspärren?", "Från det att beslutet skickats gäller en 10 dagars avtalsspärr.", True),
        ("Hur många timmar i månaden slipper jag betala för?", "Avlösning är avgiftsfri upp till 15 timmar.", True),
        ("Hur många kundvalssystem fanns det år 2024?", "Det fanns totalt 145 valfrihetssystem 2024.", True),
        ("Hur många dagar får man vara sjuk?", "Läkarintyg krävs från och med den 8:e dagen.", True),
        # A figure of something else is no count of the thing asked about.
        (
            "Hur många läkare jobbar på vårdcentralen?",
            "Jourläkare nås på 08-717 10 09. Inställelsetiden är 2 timmar.",
            False,
        ),
        ("Hur många läkare jobbar på vårdcentralen?", "Det finns 3 läkemedel i skåpet.", False),
        ("Hur många läkare jobbar på vårdcentralen?", "En läkare ansvarar för varje boende.", False),  # an article
        ("Hur många läkare jobbar på vårdcentralen?", "Vårdcentralen har sju läkare och två sjuksköterskor.", True),
        ("Hur många läkare fanns det 2020?", "Under 2020 anställdes läkare.", False),  # a year is no count
        # "Hur många av personalen" counts members of a group, by any name, or a share of it.
        ("Hur många av personalen måste vara kvar på plats?", "Minst två medarbetare ska vara på plats.", True),
        (
            "Hur många av personalen måste vara kvar?",
            "Utgångspunkten är att hälften av ordinarie personalstyrka ska vara på plats.",
            True,
        ),
        ("Hur många av personalen måste vara kvar på plats?", "Personalen ska vara på plats.", False),
        # A fraction is a share: "en sjättedel" answers what share, as "17 procent" would.
        ("Hur stor del av de äldre har en privat utförare?", "En sjättedel av brukarna har en privat utförare.", True),
        ("Hur stor del av de äldre har en privat utförare?", "Delar av hemtjänsten utförs av privata företag.", False),
        # A temperature is a measured value: a number answers, a bare instruction does not.
        ("Hur varmt ska jag tvätta sängkläderna?", "Tvätta sängkläder i minst 60 grader.", True),
        ("Hur varmt ska jag tvätta sängkläderna?", "Tvätta sängkläderna separat från annan tvätt.", False),
        ("Vilken temperatur ska kylskåpet ha?", "Kylskåpet ska hålla högst 8 °C.", True),
    ],
)
def test_a_question_for_a_count_needs_a_number_of_that_thing(question, text, ok):
    from assistant.answering.shape import Shape, type_ok

    assert type_ok(Shape.of(question), text) is ok


@pytest.mark.parametrize(
    ("question", "text", "ok"),
    [
        ("Hur lång tid har vi på oss att gå till domstol?", "Ansökan ska ha kommit in inom tre veckor.", True),
        ("Inom vilken tid ska genomförandeplanen vara upprättad?", "Den ska vara upprättad inom en månad.", True),
        # A bound says how long something lasts, not how long one has.
        (
            "Hur lång tid har vi på oss att gå till domstol?",
            "Ansökningar kan lämnas så länge upphandlingen annonseras.",
            False,
        ),
        ("Hur lång tid har vi på oss att gå till domstol?", "Avtalet gäller tills vidare.", False),
        ("Hur länge gäller beslutet?", "Beslutet gäller tills vidare.", True),
    ],
)
def test_a_time_limit_needs_a_length_of_time(question, text, ok):
    from assistant.answering.shape import Shape, type_ok

    assert type_ok(Shape.of(question), text) is ok


@pytest.mark.parametrize(
    ("question", "text", "ok"),
    [
        # "Vilken dag" is answered by a date or by a day of the week.
        ("Vilken dag beställer vi maten?", "Verksamheten beställer mat varje fredag.", True),
        ("Vilken dag beställer vi maten?", "Maten beställs senast 2025-03-01.", True),
        ("Vilken dag beställer vi maten?", "Verksamheten beställer mat via Mathem.", False),
        # "Vilket datum" by a day of the month, as routines give a monthly deadline; "1:a" alone is no date.
        ("Senast vilket datum ska lönerna attesteras?", "Senast den 14:e varje månad ska EC attestera lönerna.", True),
        ("Senast vilket datum ska lönerna attesteras?", "Lönerna attesteras den 25 i månaden.", True),
        ("Vilket datum ska checklistan vara klar?", "Checklistan görs av 1:a KP på enheten.", False),
        # "När ska ... göras?" by a date, a time or how soon.
        ("När ska en lex Sarah-anmälan göras?", "Missförhållandet ska snarast anmälas till IVO.", True),
        ("När ska en lex Sarah-anmälan göras?", "Anmälan görs senast inom en vecka.", True),
        ("När ska en lex Sarah-anmälan göras?", "Anmälan ska göras av socialnämnden.", False),
    ],
)
def test_a_question_when_is_answered_by_a_day_a_date_or_how_soon(question, text, ok):
    from assistant.answering.shape import Shape, type_ok

    assert type_ok(Shape.of(question), text) is ok


@pytest.mark.parametrize(
    ("text", "new"),
    [
        ("Kökspersonalen städar varumottagningen.", True),  # staff named by where they work
        ("Timvikarien städar varumottagningen.", True),
        ("Varumottagningen städas en gång i veckan.", False),
    ],
)
def test_staff_named_by_a_compound_are_someone_who_acts(text, new):
    from assistant.answering.shape import names_someone_new
    from assistant.answering.terms import QueryTerms

    assert names_someone_new(text, QueryTerms("Vem städar varumottagningen i köket?")) is new


def test_a_capital_after_a_full_stop_is_no_name():
    from assistant.answering.terms import extract_terms

    terms = {
        t.word: t.entity for t in extract_terms("Jag tog med telefonen hem. Räcker det att jag lämnar den i Botkyrka?")
    }
    assert terms["räcker"] is False and terms["botkyrka"] is True


@pytest.mark.parametrize(
    ("question_word", "document_word", "same"),
    [
        ("policyn", "policy", True),
        ("avtalet", "avtal", True),
        ("nämnden", "nämnd", True),
        ("maxtaxan", "maxtaxa", True),  # the stemmer keeps the definite "-an" of a noun in "-a"
        ("skolan", "skola", True),
        ("personalen", "personer", False),  # "personal" is no inflection of "person"
        # The stemmer takes "-er" off the plural and "-ad", "-as", "-at" off the singular: read once more, they meet.
        ("kostnader", "kostnad", True),
        ("databaser", "databas", True),
        ("resultaten", "resultat", True),
        ("platser", "plats", True),
        ("insatser", "insats", True),
        ("ansvaret", "ansvar", True),
        # A noun in "-er" or "-en" drops its "e" in other forms.
        ("numret", "nummer", True),
        ("filtret", "filter", True),
        ("filtren", "filter", True),
        ("vattnet", "vatten", True),
        ("tecknet", "tecken", True),
        ("föräldrar", "förälder", True),
        ("barn", "bar", False),
        ("kontor", "konto", False),
        ("lagret", "lag", False),  # the stock is not the law
        ("tornet", "torr", False),
        ("säkerhet", "säker", False),  # read again, both are "säk": too short to be one word's
    ],
)
def test_only_inflection_residue_makes_two_stems_the_same_word(question_word, document_word, same):
    from assistant.answering.forms import stem_level
    from assistant.answering.terms import stem

    assert (stem_level(stem(question_word), stem(document_word)) == 1.0) is same


@pytest.mark.parametrize(
    ("question_word", "document_word", "same"),
    [
        ("utförare", "utföraren", True),
        ("utförare", "utförarna", True),  # the plural, read both ways (terms.stems)
        ("utförarna", "utförare", True),
        ("utförare", "hemtjänstutförare", True),
        ("utförare", "utförs", False),  # the provider is not the carrying out
        ("utförare", "utförandet", False),
        ("beställare", "beställa", False),
        ("beställer", "beställaren", False),
        ("dagarna", "dag", True),  # the other reading of "-arna": a noun in "-ar"
    ],
)
def test_an_agent_noun_matches_its_own_forms_and_not_its_verb(question_word, document_word, same):
    from assistant.answering.terms import QueryTerms, stems

    terms = QueryTerms(f"Vad gäller för {question_word}?")
    (i,) = [i for i, t in enumerate(terms.terms) if t.word == question_word]
    assert (terms.level(i, stems(document_word), aliases=False) == 1.0) is same


def test_an_actor_is_the_agent_noun_not_its_verb():
    from assistant.answering.lexicon import ACTOR_WORD

    assert (
        ACTOR_WORD.fullmatch("utföraren") and ACTOR_WORD.fullmatch("beställarna") and ACTOR_WORD.fullmatch("brukaren")
    )
    assert not any(ACTOR_WORD.fullmatch(w) for w in ("utförs", "utförandet", "beställning", "brukar"))


@pytest.mark.parametrize(("question_word", "document_word"), [("bo", "bor"), ("må", "mår")])
def test_a_two_letter_verb_matches_its_present_tense(question_word, document_word):
    """The stemmer leaves "bor" whole: "Vad kostar det att bo på äldreboende?" is answered by "Den som bor i
    särskilt boende ... betalar"."""
    from assistant.answering.forms import stem_level
    from assistant.answering.terms import stem

    assert stem_level(stem(question_word), stem(document_word)) == 1.0
    assert stem_level(stem("bo"), stem("bot")) == 0.0


@pytest.mark.parametrize(("question_word", "document_word"), [("syftet", "syftar"), ("kravet", "krav")])
def test_a_four_letter_stem_takes_a_two_letter_inflection(question_word, document_word):
    from assistant.answering.forms import stem_level
    from assistant.answering.terms import stem

    assert stem_level(stem(question_word), stem(document_word)) == 1.0


@pytest.mark.parametrize(
    ("question_word", "document_word", "matches"),
    [
        ("mötet", "samverkansmöte", True),  # linking s
        ("tiden", "uppsägningstid", True),
        ("möte", "SIP-möte", True),  # hyphen
        ("mötet", "bemötande", False),  # a prefix, no compound
        ("lag", "förslag", False),  # "för" + s is too short to be a first part
        ("mat", "format", False),
    ],
)
def test_a_short_word_names_the_head_of_a_joined_compound(question_word, document_word, matches):
    from assistant.answering.forms import stem_level
    from assistant.answering.terms import stem

    assert (stem_level(stem(question_word), stem(document_word.lower())) > 0.5) is matches


def test_a_particle_verb_matches_the_noun_it_makes():
    from assistant.answering.terms import QueryTerms, content_stems

    terms = QueryTerms("Hur snabbt ska kommunen lämna ut en handling?")
    verb = next(i for i, t in enumerate(terms.terms) if t.word == "lämna")
    assert terms.level(verb, content_stems("Besked i en utlämnandefråga ges samma dag.")) == 1.0
    assert terms.level(verb, content_stems("Utlämnandet av handlingar sker skyndsamt.")) == 1.0
    assert terms.level(verb, content_stems("Handlingen ska arkiveras.")) == 0.0


def test_an_irregular_verb_matches_its_other_forms():
    from assistant.answering.terms import QueryTerms, content_stems

    terms = QueryTerms("Vad händer om en leverantör bryter mot avtalet?")
    verb = next(i for i, t in enumerate(terms.terms) if t.word == "bryter")
    assert terms.level(verb, content_stems("Om leverantören har brutit mot avtalet får kommunen häva det.")) == 1.0
    assert terms.level(verb, content_stems("Leverantören bröt mot villkoren.")) == 1.0
    assert terms.level(verb, content_stems("Leverantören följer avtalet.")) == 0.0


DOCTORS = "Hur många läkare jobbar på Familjeläkarna?"


@pytest.mark.parametrize(
    ("question", "text", "ok"),
    [
        (
            "Och vilken tid på dygnet görs själva bytet?",
            "Utförarbyte sker under dagtid mellan klockan 08.00 och 17.00.",
            True,
        ),
        (
            "Och vilken tid på dygnet görs själva bytet?",
            "Rutinen tydliggör vem som gör vad vid byte av utförare.",
            False,
        ),
        (
            "Senast vilken tid ska beställningen vara inne?",
            "Beställningen ska vara inne senast kl 11.00 dagen innan.",
            True,
        ),
        # A duration, not a time of day: answered by "inom en månad", "inom tre veckor".
        ("Inom vilken tid ska planen vara upprättad?", "Planen ska vara upprättad inom en månad.", True),
        ("Vilken tid gäller för att överklaga?", "Överklagandet ska ha kommit in inom tre veckor.", True),
        # A question that opens with the time limit it asks for needs a duration.
        ("Svarstid vid dynamisk rangordning?", "Svar ska lämnas inom två arbetsdagar.", True),
        ("Svarstid vid dynamisk rangordning?", "Leverantören med lägst pris rangordnas som etta.", False),
        ("Vilken uppsägningstid gäller?", "Uppsägningstiden är fem (5) vardagar.", True),
        # A heading's number or a footnote mark is no duration; a legal time word is one.
        ("Hur snabbt ska jourläkaren komma?", "Inställelsetiden är 2 timmar.", True),
        ("Hur snabbt ska jourläkaren komma?", "4.6.2 Kommunen åtar sig att se till att läkaren kallas.", False),
        ("Hur snabbt ska jourläkaren komma?", "Sjuksköterskan konstaterar dödsfallet25 och kallar läkaren.", False),
        ("Hur snabbt ska handlingen lämnas ut?", "Begäran ska behandlas skyndsamt.", True),
        # How long is answered by a count of time, how often also by a frequency: a year in a law's number,
        # a list number or "löpande" is no length of time.
        (
            "Hur lång tid har vi på oss att gå till domstol?",
            "2 Inbjudan att ansöka om godkännande enligt LOV (2008:962) innebär att invånare får välja.",
            False,
        ),
        ("Hur lång tid har vi på oss att gå till domstol?", "Ansökan kan lämnas in löpande.", False),
        ("Hur länge måste jag vara symtomfri?", "Personal kan återgå efter 24 timmars symtomfrihet.", True),
        ("Hur ofta får man byta vårdcentral?", "Byte får göras högst två gånger under en period om ett år.", True),
        ("Hur ofta ska avvikelserna följas upp?", "Avvikelserna följs upp regelbundet av enhetschefen.", True),
        ("Hur ofta får man byta vårdcentral?", "Regionen får medge fler byten om det finns särskilda skäl.", False),
        # "gång" is a word, not the end of "tillgång"; "minst" alone is no frequency, "var tredje dag" is one.
        ("Hur ofta får man byta vårdcentral?", "Alla ska kunna få tillgång till en fast läkarkontakt.", False),
        ("Hur ofta ska kylen kontrolleras?", "Temperatur i kylskåp ska kontrolleras 1 ggr/dag.", True),
        ("Hur ofta ska kranarna spolas?", "Tappställen som inte används ska spolas minst var tredje dag.", True),
        ("Hur ofta ska kranarna spolas?", "Spolningen ska utföras av minst två personer.", False),
        # How often, and nothing else about time: a notice period is no frequency; asked with how long, it answers.
        ("Hur ofta kommer hemtjänsten och städar?", "Meddela hemtjänsten fyra (4) dagar i förväg.", False),
        ("Hur ofta kommer hemtjänsten och städar?", "Bostaden städas en gång var tredje vecka.", True),
        ("Hur ofta ska kranarna spolas, och hur länge?", "Spola i fem minuter.", True),
        ("Hur ofta görs egenkontrollerna?", "SBA-ansvarig har månatliga egenkontroller.", True),
        # "inom" is promptness with a time after it, not a place.
        ("Hur snabbt ska vi få svar?", "Regionen får inte begränsa valet till ett område inom regionen.", False),
        ("Hur snabbt ska vi få svar?", "Krav på skriftlig åtgärdsplan inom given tidsplan.", True),
        ("Hur snabbt ska vi få svar?", "Under samtalet ska vikarien få en chans innan beslut tas.", False),
        # "direkt" before a preposition is a route, not a time.
        ("Hur snabbt ska handlingar lämnas ut?", "Handlingen kan skickas direkt via mejl eller post.", False),
        ("Hur snabbt ska handlingar lämnas ut?", "Handlingen ska lämnas ut direkt.", True),
        # Opening hours are times of day, not a length of time.
        ("Vilka öppettider har kontaktcenter?", "Kontaktcenter har öppet vardagar 8-17.", True),
        ("Vilka öppettider har kontaktcenter?", "Kontaktcenter nås via e-post och telefon.", False),
        # ... but a -tid word elsewhere in the question is no time limit asked for.
        ("Får man röka på arbetstid?", "Rökning är inte tillåten.", True),
        ("Vilken framtid har LOV?", "LOV är frivillig för kommuner.", True),
        # What can be done to a party that fails is answered by a consequence, not by how the system works.
        (
            "Vad kan kommunen göra om ett privat hemtjänstföretag inte sköter sig?",
            "Invånare som har beviljats hemtjänst har rätt att välja vem som ska utföra hemtjänstinsatserna.",
            False,
        ),
        (
            "Vad kan kommunen göra om ett privat hemtjänstföretag inte sköter sig?",
            "Sanktionerna är varningar, ekonomiska sanktioner och att utföraren mister sitt uppdrag.",
            True,
        ),
        # The penalty asked for by its everyday name is answered by one, not by what the crime is.
        (
            "Vad blir straffet om en anställd tar emot mutor?",
            "En arbetstagare kan dömas för mottagande av muta om hen tar emot en otillbörlig förmån.",
            False,
        ),
        ("Vad blir straffet om en anställd tar emot mutor?", "Straffet för mutbrott är böter eller fängelse.", True),
        (
            "Kan kommunen få böter om den skriver avtal utan annonsering?",
            "Myndigheten ska betala en upphandlingsskadeavgift om den har slutit ett avtal utan annonsering.",
            True,
        ),
        # ... but one's own recourse, or what happens to oneself, is no sanction.
        ("Vad kan jag göra om jag inte är nöjd?", "Du kan lämna synpunkter till enhetschefen.", True),
        ("Vad händer om jag inte orkar välja?", "Då tilldelas du ickevalsalternativet.", True),
        # A digit glued to a word is a footnote mark, not a number.
        (DOCTORS, "Överenskommelsen bygger på Samverkan mellan läkarorganisation1/läkare och kommunen.", False),
        (DOCTORS, "Enligt kommunallagen[3] ska fullmäktige anta ett program.", False),
        (DOCTORS, "Familjeläkarna har 12 läkare på mottagningen.", True),
    ],
)
def test_a_question_for_a_kind_of_fact_needs_one(question, text, ok):
    from assistant.answering.shape import Shape, type_ok

    assert type_ok(Shape.of(question), text) is ok


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("Enhetschef ska meddelas att hjärtstartaren har varit använd i skarpt läge.", True),
        ("Den enhet som beställer informerar Kost- och måltidsenheten.", True),
        ("Om beställningen är svår att bemanna återkopplar BE till verksamheten.", True),  # an acronym
        ("Hjärtstartaren ska rengöras med mild tvållösning.", False),
    ],
)
def test_a_who_question_needs_someone_who_acts(text, ok):
    from assistant.answering.shape import Shape, type_ok

    # "Vem ..." in the second sentence of the question asks for an actor as much as in the first.
    shape = Shape.of("Vi har använt hjärtstartaren på en besökare. Vem måste få veta det?")
    assert shape.who
    assert type_ok(shape, text) is ok


@pytest.mark.parametrize(
    ("question", "text", "ok"),
    [
        # Whom to contact is answered by someone named as the one contacted, after the verb or before it.
        ("Kylen visar för varmt. Vem ska jag höra av mig till?", "Vid avvikelser, kontakta sjuksköterska.", True),
        ("Vem måste få veta det?", "Enhetschef ska meddelas att hjärtstartaren har använts.", True),
        ("Vem ringer jag vid falsklarm?", "Vid falsklarm ringer du Södertörns brandförsvar på 08-721 23 15.", True),
        ("Vem ringer jag på helgen?", "Under helger kontaktas BE-jouren på telefonnummer 08-530 611 60.", True),
        ("Vem ska jag meddela?", "Vid försening, informera administratör samt påverkad medborgare.", True),
        # ... not by someone who only acts, nor by a contact without anyone contacted.
        ("Vem vänder jag mig till om en kollega tar mutor?", "En arbetstagare kan dömas för muta.", False),
        ("Vem ringer jag enligt lex Sarah?", "Rutinen ser till att avvikelser rapporteras enligt lex Sarah.", False),
        ("Vem måste få veta det?", "Personalen ska rengöra hjärtstartaren efter användning.", False),
        # ... nor by the one the question itself names.
        ("Vem ska jag meddela utöver enhetschefen?", "Enhetschefen ska meddelas.", False),
    ],
)
def test_a_question_whom_to_contact_needs_someone_contacted(question, text, ok):
    from assistant.answering.shape import Shape, contacts
    from assistant.answering.terms import QueryTerms

    assert Shape.of(question).contact
    assert contacts(text, QueryTerms(question)) is ok


def test_a_who_question_about_who_acts_is_no_question_whom_to_contact():
    from assistant.answering.shape import Shape

    assert not Shape.of("Vem ansvarar för budgeten?").contact
    assert not Shape.of("Vem fattar beslut om bistånd?").contact
    assert Shape.of("Till vem ska vi rapportera ej verkställda beslut?").contact
    assert Shape.of("Och vart ska jag skicka den?").contact


@pytest.mark.parametrize(
    ("question", "who"),
    [
        # The asker (or whom the question is about) contacts: "vem" is whom, not who acts.
        ("Vem ska jag ringa när trygghetslarmen slutat fungera?", False),
        ("Brandlarmet gick men det var bara bränd toast. Vem ringer jag?", False),
        ("Vem kan man vända sig till om en kollega tar emot mutor?", False),
        ("Vem ska hon höra av sig till för att byta utförare?", False),
        # ... someone contacts, and the question asks who that is.
        ("Vem ska meddela köket att en boende behöver specialkost?", True),
        ("Vem informerar personalen om rutinen?", True),
    ],
)
def test_a_question_whom_the_asker_contacts_is_no_question_who_acts(question, who):
    """A company, a telephone number or a unit to phone answers "Vem ska jag ringa?" as well as a role word does:
    the who-question's checks (someone new who acts) do not apply, the contact check does."""
    from assistant.answering.shape import Shape

    shape = Shape.of(question)
    assert shape.contact
    assert shape.who is who


def test_when_in_a_later_sentence_asks_for_conditions_not_a_date():
    from assistant.answering.shape import Shape

    assert not Shape.of("Jag sitter i kommunfullmäktige. När räknas jag som jävig?").date
    assert Shape.of("När infördes LOV?").date


@pytest.mark.parametrize(
    "question, date",
    [
        ("När räknas man som underviktig på äldreboendet?", False),  # answered by "BMI under 20"
        ("När krävs det tillstånd från IVO?", False),
        ("Och när behövs en samordnad individuell plan?", False),
        ("När började man med valfrihet i hemtjänsten?", True),
        ("När får jag svar på min ansökan?", True),
        ("Och när ska anmälan göras?", True),
        # "När" that sets the scene for the question after the comma asks no time.
        ("När kommunen upphandlar städning enligt LOU, kan vi kräva schyssta löner?", False),
        ("När mamma flyttar till äldreboendet, vem betalar hyran?", False),
        ("När ska beslutet, enligt lagen, fattas?", True),
        # A state of duty, right or fault ("jävig", "skyldig", "tillåtet") is had on conditions, not at a time.
        ("När är en nämndledamot jävig?", False),
        ("När blir kommunen skyldig att betala vite?", False),
        ("När är det tillåtet att direktupphandla?", False),
        ("När är man berättigad till färdtjänst?", False),
        ("När är nästa sammanträde?", True),
        ("När är beslutet fattat?", True),
    ],
)
def test_when_before_a_verb_of_counting_as_or_being_needed_asks_for_conditions(question, date):
    from assistant.answering.shape import Shape

    assert Shape.of(question).date is date


@pytest.mark.parametrize(
    ("question", "text", "named"),
    [
        (
            "Svarstid vid dynamisk rangordning?",
            "Svar på avrop ska lämnas inom två arbetsdagar om inte längre tid anges.",
            True,
        ),
        ("Hur stor är hemtjänstavgiften?", "Avgiften för hemtjänst är 300 kronor i månaden.", True),
        ("Svarstid vid dynamisk rangordning?", "Svar på avrop ska lämnas inom två arbetsdagar.", False),  # no "tid"
    ],
)
def test_a_compound_is_named_by_its_parts_in_one_sentence(question, text, named):
    """The documents often say the parts of the question's compound apart: "svar ... tid", "avgiften för hemtjänst"."""
    from assistant.answering.terms import QueryTerms, stems

    terms = QueryTerms(question)
    assert (terms.level(0, stems(text)) >= 0.8) is named


@pytest.mark.parametrize(
    ("question", "text", "named"),
    [
        ("Kan hemtjänsten klippa gräset åt mig?", "Det kan vara gräsklippning och storstädning.", True),
        ("Vem betalar för att byta lås?", "Hemtjänsten ska bekosta låsbyte så snart det är möjligt.", True),
        ("Kan hemtjänsten klippa gräset åt mig?", "Hemtjänsten hjälper till med det mesta.", False),
    ],
)
def test_two_words_of_the_question_are_named_by_the_documents_compound_of_them(question, text, named):
    """The documents write "klippa gräset" as "gräsklippning", "byta lås" as "låsbyte": the compound names both
    words; a word of the pair alone ("hemtjänsten") does not name the other through it."""
    from assistant.answering.terms import QueryTerms, stems

    terms = QueryTerms(question)
    verb = next(i for i, t in enumerate(terms.terms) if t.word in ("klippa", "byta"))
    noun = next(i for i, t in enumerate(terms.terms) if t.word in ("gräset", "lås"))
    assert (terms.level(verb, stems(text)) == 1.0) is named
    assert (terms.level(noun, stems(text)) == 1.0) is named


def test_a_compound_actor_is_an_actor_where_the_stemmer_cuts_it():
    from assistant.answering.extractive import _actor_bonus
    from assistant.answering.terms import QueryTerms

    (unit,) = [u for u in segment(_hit("Kost- och måltidsenheten beställer specialkosten.\n"))[0]]
    assert _actor_bonus(unit, QueryTerms("Vem beställer specialkost?")) > 0


@pytest.mark.parametrize(
    ("question", "gated"),
    [
        ("Får de boende röka på sina rum på kortis?", True),
        ("Vad är syftet med rutinen om rökning?", False),  # a question about the document itself
    ],
)
def test_a_sentence_about_the_document_answers_only_questions_about_it(question, gated):
    from assistant.answering.gates import gate
    from assistant.answering.shape import Shape
    from assistant.answering.terms import QueryTerms

    text = "Här kan du läsa om vad som gäller vid rökning på vård- och omsorgsboende och kortis.\n"
    (unit,) = segment(_hit(text))[0]
    assert bool(gate(unit, QueryTerms(question), Shape.of(question))) is gated


@pytest.mark.parametrize(
    ("section", "gated"),
    [
        ("RUTIN > KVÄLLSPERSONAL:", False),  # the tasks listed under a shift are that shift's
        ("RUTIN > Sjuksköterskans ansvar", False),
        ("RUTIN > MÅNDAGS RUTINER", True),  # an all-caps heading is no one's name
    ],
)
def test_a_task_under_a_roles_heading_says_who_does_it(section, gated):
    from assistant.answering.gates import gate
    from assistant.answering.shape import Shape
    from assistant.answering.terms import QueryTerms

    question = "Vem packar barnens väskor inför hemgång?"
    hit = _hit("Packa barnens väskor kvällen innan hemgång.\n")
    hit = hit.model_copy(update={"chunk": hit.chunk.model_copy(update={"section": section})})
    (unit,) = segment(hit)[0]
    assert bool(gate(unit, QueryTerms(question), Shape.of(question))) is gated


HEADER = (  # as the library's routines open
    "Dokumentet gäller från och med: 2021-04-19\nDokumentet ersätter: Byte av utförare inom hemtjänsten 2021-01-05\n"
    "Dokumentansvarig är: Kvalitetschef, Kvalitet och utredning"
)


@pytest.mark.parametrize(
    ("question", "text", "gated"),
    [
        # A routine's decision lines and its scope are about the routine, not about changing provider ...
        ("Kan jag byta hemtjänstföretag?", HEADER, True),
        (
            "Kan jag byta hemtjänstföretag?",
            "Rutinen gäller för myndighet och utförare av hemtjänst i Botkyrka kommun.",
            True,
        ),
        # ... as is what the document lets one read about, with the document as the place.
        (
            "Får jag läsa allt som står om min huvudman?",
            "I DET HÄR MATERIALET kan du bland annat läsa om vilken hjälp du kan få av en god man.",
            True,
        ),
        ("Hur hanteras larm på natten?", "I denna rutin beskrivs hur larm hanteras på natten.", True),
        ("Vem ska kontaktas på natten?", "I detta fall ska nattpatrullen kontaktas.", False),
        # ... but answer who owns it, what it replaces and whom it applies to.
        ("Vem är dokumentansvarig för rutinen om byte av utförare?", HEADER, False),
        ("Vilken rutin ersätter den?", HEADER, False),
        (
            "Vilka gäller rutinen för?",
            "Rutinen gäller för myndighet och utförare av hemtjänst i Botkyrka kommun.",
            False,
        ),
        # A rule that names its routine is no sentence about the routine.
        (
            "Kan jag byta hemtjänstföretag?",
            "Brukaren har när som helst rätt att byta till en annan hemtjänstutförare.",
            False,
        ),
    ],
)
def test_decision_lines_and_scope_answer_only_questions_about_the_document(question, text, gated):
    from assistant.answering.gates import gate
    from assistant.answering.shape import Shape
    from assistant.answering.terms import QueryTerms

    unit = next(u for u in segment(_hit(text + "\n"))[0] if u.kind == "sentence")
    assert (
        gate(unit, QueryTerms(question), Shape.of(question)) in ("beskriver dokumentet", "dokumentets beslutsrader")
    ) is gated


@pytest.mark.parametrize(
    ("question", "text", "gated"),
    [
        (
            "Vad ska känneteckna socialnämndens valfrihetssystem?",
            "Denna policy uttrycker socialnämndens grundläggande viljeinriktning för valfrihetssystem.",
            True,
        ),
        # Which areas the policy covers is a question about the document's scope.
        (
            "Vilka tjänsteområden omfattas av socialnämndens policy för valfrihetssystem?",
            "Denna policy uttrycker socialnämndens grundläggande viljeinriktning för valfrihetssystem.",
            False,
        ),
    ],
)
def test_what_a_policy_expresses_answers_only_questions_about_the_policy(question, text, gated):
    from assistant.answering.gates import gate
    from assistant.answering.shape import Shape
    from assistant.answering.terms import QueryTerms

    (unit,) = segment(_hit(text + "\n"))[0]
    assert bool(gate(unit, QueryTerms(question), Shape.of(question))) is gated


@pytest.mark.parametrize(
    ("text", "gated"),
    [
        # Fill-in fields of templates (Adda's contract template, Botkyrka's routine headers).
        ("[Ange eventuella optioner, vilka priser som gäller och hur optionerna utnyttjas.", True),
        ("Beslut om optioner fattas av [Namn på funktion t ex omsorgsdirektör].", True),
        ("Beslut om optioner fattas av [avropande myndighets namn] senast [datum].", True),
        # A reference mark or an editorial insertion is no field to fill in.
        ("Beslut om optioner fattas av omsorgsdirektören [1].", False),
        ("Beslut om optioner fattas av [den] avropande myndigheten.", False),
    ],
)
def test_a_templates_fill_in_field_is_no_answer(text, gated):
    from assistant.answering.gates import gate
    from assistant.answering.shape import Shape
    from assistant.answering.terms import QueryTerms

    question = "Vem fattar beslut om optioner?"
    (unit,) = segment(_hit(text + "\n"))[0]
    assert bool(gate(unit, QueryTerms(question), Shape.of(question))) is gated


FOOTER = "Post Botkyrka kommun, 147 85 TUMBA | Besök Munkhättevägen 45 | Tel 08-530 610 00 | Org.nr 212000-2882"


@pytest.mark.parametrize(
    ("question", "text", "gated"),
    [
        # A letterhead or page footer names no chair (its street looks like a name), ...
        ("Vem är ordförande i vård- och omsorgsnämnden i Botkyrka kommun?", FOOTER, True),
        (
            "Vem är ordförande i nämnden?",
            "Vård- och omsorgsförvaltningen · Org.nr 212000-2882 · Fax 08-530 616 66 · Webb www.botkyrka.se",
            True,
        ),
        # ... but it answers a question for the issuer's contact details.
        ("Vilken adress har Botkyrka kommun?", FOOTER, False),
        ("Vad är kommunens telefonnummer?", FOOTER, False),
        # A sentence with a post address is no letterhead.
        ("Vart skickar jag överklagandet?", "Överklagandet skickas till Botkyrka kommun, 147 85 Tumba.", False),
    ],
)
def test_a_letterhead_answers_only_a_question_for_contact_details(question, text, gated):
    assert (_first_unit_gate(question, text) == "sidhuvud eller sidfot") is gated


def test_word_sub_bullets_make_a_list():
    # Word's second-level bullet comes out of text extraction as "o " (real Botkyrka routines).
    from assistant.cleaning import clean_text

    text = (
        "Ha kunskap om matens innehåll\n"
        "o All mat och dryck ska vara märkt med innehåll\n"
        "o Kontakta alltid tillagningsköket om ni är osäkra.\n"
    )
    units = segment(_hit(clean_text(text) + "\n"))[0]
    items = [u.text for u in units if u.kind == "item"]
    assert items == [
        "All mat och dryck ska vara märkt med innehåll",
        "Kontakta alltid tillagningsköket om ni är osäkra.",
    ]
    assert [u.text for u in units if u.kind == "list"] == [
        "Ha kunskap om matens innehåll: All mat och dryck ska vara märkt med innehåll; "
        "Kontakta alltid tillagningsköket om ni är osäkra."
    ]


@pytest.mark.parametrize(
    ("question", "text"),
    [
        (
            "Vad riskerar kommunen om vi skriver ett avtal utan att först annonsera upphandlingen?",
            "Rätten ska besluta att ett avtal som har slutits utan föregående annonsering är ogiltigt.",
        ),
        (
            "Kan man få disciplinära åtgärder om man röker på arbetstid?",
            "Om du som medarbetare bryter mot rutinen kan det leda till disciplinära åtgärder.",
        ),
        (
            "Vad händer om kommunen inte verkställer ett beslut i tid?",
            "En kommun som inte verkställer beslutet ska betala en särskild avgift.",
        ),
    ],
)
def test_a_question_for_the_consequence_is_a_sanction_question(question, text):
    from assistant.answering import lexicon
    from assistant.answering.shape import Shape

    assert Shape.of(question).sanction
    assert lexicon.SANCTION_WORDS.search(text)


@pytest.mark.parametrize(
    ("question", "sanction"),
    [
        ("Vad kan kommunen göra om ett privat hemtjänstföretag inte sköter sig?", True),
        ("Vad kan nämnden göra när utföraren inte lever upp till avtalet?", True),
        ("Vad gör vi om leverantören sköter sig inte?", True),
        ("Vad blir straffet om en anställd tar emot mutor?", True),
        ("Kan kommunen få böter om den skriver avtal utan annonsering?", True),
        ("Vem betalar fortkörningsböter i tjänstebilen?", False),  # who pays, not what befalls anyone
        ("Jag har beslut om hemtjänst men ingen hjälp har kommit. Händer det något med kommunen då?", True),
        # The condition told first, the consequence asked after it.
        ("Och om jag ändå sitter kvar och röstar, vad händer då?", True),
        ("hasch i väskan på kortis, vad händer?", True),
        ("Vad händer med passet imorgon om jag glömmer att ringa?", True),
        ("Vad händer med min anmälan?", False),  # where a matter stands, not what befalls anyone
        # One's own recourse is a complaint or an appeal, not a sanction; nor is prevention.
        ("Vad kan jag göra om jag inte är nöjd med hemtjänsten?", False),
        ("Vad kan vi göra för att förebygga fall?", False),
    ],
)
def test_what_someone_with_power_can_do_about_a_provider_is_a_sanction_question(question, sanction):
    from assistant.answering.shape import Shape

    assert Shape.of(question).sanction is sanction


@pytest.mark.parametrize(
    ("question", "text", "gated"),
    [
        # Who is asked for is someone the question does not name itself.
        (
            "Vilken myndighet har regeringen utsett till registreringsmyndighet för idéburna organisationer?",
            "Den myndighet som regeringen bestämmer (registreringsmyndigheten) ska registrera idéburna organisationer.",
            True,
        ),
        (
            "Vilken myndighet har tillsyn över hemtjänsten?",
            "Inspektionen för vård och omsorg har tillsyn över hemtjänsten.",
            False,
        ),
        ("Vem kallar till samverkansmötet?", "MAS eller verksamhetschef på boende kallar till samverkansmöte.", False),
        # Either-or: the answer is one of those the question names.
        (
            "Vem har ansvaret för att jag får hjälp, kommunen eller företaget?",
            "Kommunen har det yttersta ansvaret för att enskilda får den hjälp de behöver.",
            False,
        ),
        (
            "Vem har ansvaret för att jag får hjälp från kommunen?",
            "Kommunen har det yttersta ansvaret för att enskilda får den hjälp de behöver.",
            True,
        ),
        ("Vem ringer jag vid falsklarm?", "Vid falsklarm ringer du Södertörns brandförsvar på 08-721 23 15.", False),
        # Which companies: only a name answers, not the kind of company or the place the question names.
        (
            "Vilka hemtjänstföretag är godkända i Knivsta just nu?",
            "Knivsta kommun har ett valfrihetssystem inom hemtjänsten enligt LOV. Leverantörer kan löpande ansöka.",
            True,
        ),
        (
            "Vilka hemtjänstföretag är godkända i Knivsta just nu?",
            "I Knivsta är Attendo och Vardaga godkända som utförare av hemtjänst.",
            False,
        ),
    ],
)
def test_a_who_question_is_answered_by_someone_it_does_not_name(question, text, gated):
    from assistant.answering.gates import gate
    from assistant.answering.shape import Shape
    from assistant.answering.terms import QueryTerms

    unit = max(segment(_hit(text + "\n"))[0], key=lambda u: len(u.text))
    assert bool(gate(unit, QueryTerms(question), Shape.of(question))) is gated


@pytest.mark.parametrize(
    ("question", "organisation"),
    [
        ("Vilka hemtjänstföretag är godkända i Knivsta?", True),
        ("Vilken leverantör vann upphandlingen?", True),
        ("Och vilka leverantörer lämnade anbud?", True),
        ("Vad säger policyn om vilka utförare kraven ska omfatta?", False),  # not what is asked for
        ("Vilka krav ställs på utförare?", False),
    ],
)
def test_a_question_for_companies_by_name(question, organisation):
    from assistant.answering.shape import Shape

    assert Shape.of(question).organisation is organisation


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Du kan välja mellan Attendo och kommunens egen regi.", True),
        ("Avtal finns med Vardaga sedan 2021.", True),
        # A public body or the country is no company, nor is the first word of a list's item.
        ("Brukarnöjdheten mäts i Socialstyrelsens nationella brukarundersökning.", False),
        ("En av Sveriges yngsta befolkningar gör kommunen händelserik.", False),
        ("Hemtjänsten ansvarar för att:\n- Informera om anhörigstöd\n- Möjliggöra kontakt med anhöriga", False),
    ],
)
def test_a_question_for_companies_is_answered_by_a_company_name(text, named):
    from assistant.answering.shape import names_someone_new
    from assistant.answering.terms import QueryTerms

    unit = max(segment(_hit(text + "\n"))[0], key=lambda u: len(u.text))
    terms = QueryTerms("Vilka privata hemtjänstföretag kan jag välja mellan i Botkyrka?")
    assert names_someone_new(unit.text, terms, by_name=True) is named


NOT_CHOOSING = "Vad händer om jag inte orkar välja hemtjänstföretag själv?"
NO_CHOICE_RULE = "För den enskilde som inte väljer leverantör ska ett ickevalsalternativ finnas."


@pytest.mark.parametrize(
    ("question", "text", "same"),
    [
        # The negated verb, in another form and after a modal verb, is the same negation.
        (NOT_CHOOSING, "Om den enskilde inte kan eller vill välja utförare tilldelas en utförare.", True),
        ("Vad händer om jag inte vill välja?", NO_CHOICE_RULE, True),
        # Choosing without a negation, or a negation of something else, is not.
        (NOT_CHOOSING, "Den enskilde får välja utförare bland de godkända.", False),
        (NOT_CHOOSING, "Utföraren garanteras inte någon volym.", False),
        # A question without a negation asks for none.
        ("Hur väljer jag hemtjänstföretag?", NO_CHOICE_RULE, False),
    ],
)
def test_a_negated_question_matches_a_unit_that_negates_the_same_word(question, text, same):
    from assistant.answering.terms import negated_stems, negates_same

    assert negates_same(negated_stems(question), text) is same


@pytest.mark.parametrize(
    ("question", "text", "feature"),
    [
        # Whether something may be done is answered by the rule that allows or forbids it.
        ("Får man röka på rummet på korttids?", "Rökning är inte tillåtet på eget rum på kortis.", 1.0),
        ("Kan jag byta hemtjänstföretag?", "Brukaren har när som helst rätt att byta utförare.", 1.0),
        ("Är det okej att ta emot presenter?", "Penninggåvor får aldrig tas emot.", 1.0),
        ("Min pappa har hemtjänst. Får han ha katt?", "Husdjur är förbjudna i lägenheten.", 1.0),
        # ... and whether one is entitled to it, by the rule that grants or denies it.
        (
            "Har jag som dotter rätt att läsa min mammas journal?",
            "Anhöriga har inte per automatik rätt att ta del av uppgifterna.",
            1.0,
        ),
        # A sentence that neither allows nor forbids, or a question that does not ask whether, is not such a match.
        ("Får man röka på rummet på korttids?", "Rökning ökar risken för brand.", 0.0),
        ("Vem får beställa timvikarier?", "Enhetschefen får beställa timvikarier.", 0.0),
        ("Hur kan jag klaga?", "Du får lämna synpunkter via e-tjänsten.", 0.0),
        ("Vem har rätt till färdtjänst?", "Den som har rätt till färdtjänst får resa med taxi.", 0.0),
    ],
)
def test_a_question_whether_something_may_be_done_favours_the_rule_that_allows_or_forbids_it(question, text, feature):
    """The unit model's "permission" feature (Shape.permission and lexicon.PERMISSION)."""
    from assistant.answering import extractive
    from assistant.answering.followup import resolve
    from assistant.answering.unit_model import FEATURES, unit_features

    res = resolve(question, None)
    hit = SearchHit(
        chunk=Chunk(id="a", doc="rutin.md", text=text, start=0, end=len(text)),
        meta=DocumentMeta(doc="rutin.md", title="Rutin"),
        score=1.0,
    )
    analysis = extractive.analyze(res.terms(), res.core, [hit])
    row = unit_features(analysis)[0]
    assert row[FEATURES.index("permission")] == feature


PENALTIES = "Vilka påföljder kan en registrerad organisation drabbas av om den gör otillåtna värdeöverföringar?"
REQUIREMENTS = "Vilka krav finns på informationen om utförarna?"


@pytest.mark.parametrize(
    ("question", "text", "supported"),
    [
        # "påföljder" is what the law calls the fine or the deregistration, not a word it repeats ...
        (PENALTIES, "Till böter döms den som uppsåtligen gör värdeöverföringar i strid med 8 §.", True),
        (
            PENALTIES,
            "Myndigheten får avregistrera en registrerad organisation som gör otillåtna värdeöverföringar.",
            True,
        ),
        (PENALTIES, "En registrerad organisation får inte göra några värdeöverföringar.", False),
        # ... and "krav" is what the information "ska" be: the word itself is rarely in the rule.
        (REQUIREMENTS, "Informationen om utförarna ska vara saklig, relevant, jämförbar och lättförståelig.", True),
        (REQUIREMENTS, "Informationen om utförarna finns på kommunens webbplats.", False),
    ],
)
def test_a_question_for_a_category_is_answered_by_a_member_of_it(question, text, supported):
    from assistant.answering import extractive
    from assistant.answering.terms import QueryTerms

    hit = SearchHit(
        chunk=Chunk(id="a", doc="lag.md", text=text, start=0, end=len(text)),
        meta=DocumentMeta(doc="lag.md", title="Lag om registrering av organisationer"),
        score=1.0,
    )
    analysis = extractive.analyze(QueryTerms(question), question, [hit])
    assert any(c.supported for c in analysis.candidates) is supported


@pytest.mark.parametrize(
    ("question", "text", "gated"),
    [
        # The figure in one sentence, what was asked about in the next: no answer.
        (
            "Hur stor är takvolymen för ramavtalet?",
            "Ramavtalet har omsatt cirka 477 miljoner kronor. Takvolymen för ramavtalet anges i inbjudan.",
            True,
        ),
        (
            "Hur stor är takvolymen för ramavtalet?",
            "Takvolymen för ramavtalet är 500 miljoner kronor. Den anges i inbjudan.",
            False,
        ),
        # A sentence that follows on from the one before takes its subject with it.
        (
            "Hur stor är avgiften för trygghetslarm?",
            "Avgiften för trygghetslarm bestäms av nämnden. Detta motsvarar 300 kronor per månad.",
            False,
        ),
    ],
)
def test_a_figure_answers_only_in_a_sentence_about_what_was_asked(question, text, gated):
    from assistant.answering.gates import gate
    from assistant.answering.passages import pair
    from assistant.answering.shape import Shape
    from assistant.answering.terms import QueryTerms

    first, second = (u for u in segment(_hit(text + "\n"))[0] if u.kind == "sentence")
    verdict = gate(pair(first, second), QueryTerms(question), Shape.of(question))
    assert (verdict == "uppgiften står inte i en mening om det som efterfrågas") is gated


@pytest.mark.parametrize(
    ("situation", "question", "text", "about"),
    [
        # The words asking for the sum ("kostar", "vilket belopp") are not what the figure is of: the sentence names
        # what is asked about.
        (
            "Jag har en sjuk man.",
            "Vad kostar det att få avlösning?",
            "Avlösning i hemmet är avgiftsfri upp till 15 timmar per månad.",
            True,
        ),
        # ... but a situation that names the subject counts: 28 procent is no figure about avlösning.
        (
            "Jag får avlösning hemma för min sjuke man.",
            "Hur många timmar i månaden slipper jag betala för?",
            "Den som har 35 timmar hjälp betalar 28 procent av prisbasbeloppet.",
            False,
        ),
        (
            "Jag får avlösning hemma för min sjuke man.",
            "Hur många timmar i månaden slipper jag betala för?",
            "Avlösning i hemmet är avgiftsfri upp till 15 timmar i månaden.",
            True,
        ),
        (
            "",
            "Upp till vilket belopp får kommunen köpa in något genom direktupphandling?",
            "Direktupphandling får användas om värdet av upphandlingen beräknas understiga 700 000 kronor.",
            True,
        ),
        (
            "",
            "Upp till vilket belopp får kommunen köpa in något genom direktupphandling?",
            "Tröskelvärdet för varor är 1 400 000 kronor.",
            False,
        ),
    ],
)
def test_what_a_figure_is_of_is_what_is_asked_about(situation, question, text, about):
    from assistant.answering.shape import Shape, figure_about_subject
    from assistant.answering.terms import QueryTerms

    unit = next(u for u in segment(_hit(text + "\n"))[0] if u.kind == "sentence")
    terms = QueryTerms(question, situation=situation)
    assert figure_about_subject(unit, terms, Shape.of(f"{situation} {question}".strip())) is about


def test_kinds_of_things_and_how_long_it_may_take_are_read_as_what_they_ask():
    """ "Vilka sorters stöd ...": "sorters" frames the question, "stöd" is what it is about; "Hur lång tid får kommunen
    ta på sig ...?" asks how soon, so "skyndsamt" answers it."""
    from assistant.answering.shape import Shape
    from assistant.answering.terms import QueryTerms

    terms = QueryTerms("Vilka sorters stöd kan man få enligt LSS?")
    assert [t.word for t in terms.terms if t.weight >= 1.0] == ["stöd"]
    assert Shape.of("Hur lång tid får kommunen ta på sig att lämna ut en handling?").promptness
    assert Shape.of("Hur länge får det dröja innan jag får svar?").promptness
    assert not Shape.of("Hur lång tid har jag på mig att överklaga?").promptness
    assert not Shape.of("Hur lång tid tar det innan det nya företaget tar över?").promptness


def test_när_senast_asks_how_soon_wherever_it_stands():
    """ "När senast ...?" asks for a deadline as "Senast när ...?" does, also after a situation told first."""
    from assistant.answering.shape import Shape

    for question in (
        "När senast ska räkningen till Försäkringskassan skickas in?",
        "Vikarien gick hem sjuk. När senast måste bemanningsenheten få veta det?",
        "timmis fortf sjuk, när senast ringa?",
    ):
        shape = Shape.of(question)
        assert shape.promptness and shape.duration, question
    assert not Shape.of("När ska räkningen skickas in?").promptness


def test_a_scope_sentence_is_context_for_the_rule_after_it():
    """ "Policyn gäller för utförare ..." before "Utföraren ska ha ...": the pair answers; the scope alone does not."""
    from assistant.answering.gates import gate
    from assistant.answering.passages import pair
    from assistant.answering.shape import Shape
    from assistant.answering.terms import QueryTerms

    text = "Policyn gäller för utförare inom hemtjänst. Utföraren ska ha ett miljöledningssystem enligt ISO 14001.\n"
    scope, rule = (u for u in segment(_hit(text))[0] if u.kind == "sentence")
    question = "Vilket miljöledningssystem ska utföraren ha?"
    terms, shape = QueryTerms(question), Shape.of(question)
    assert gate(scope, terms, shape) == "beskriver dokumentet"
    assert gate(pair(scope, rule), terms, shape) == ""


@pytest.mark.parametrize(
    ("items", "gated"),
    [
        (["Vad är takvolymen per anbudsområde?", "Vad har ramavtalet omsatt per område?"], True),
        (["takvolymen är 900 miljoner kronor", "omsättningen var 477 miljoner kronor"], False),
    ],
)
def test_a_list_of_questions_answers_nothing(items, gated):
    """A supplier's questions in a Q&A document repeat the asked words and even figures, but they ask."""
    from assistant.answering.gates import gate
    from assistant.answering.shape import Shape
    from assistant.answering.terms import QueryTerms

    text = "Leverantören frågar följande om ramavtalet:\n\n" + "\n".join(f"- {item}" for item in items) + "\n"
    unit = next(u for u in segment(_hit(text))[0] if u.kind == "list")
    question = "Hur stor är takvolymen för ramavtalet?"
    assert (gate(unit, QueryTerms(question), Shape.of(question)) == "en lista med frågor") is gated


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("Vad är maxtaxan?", "maxtaxan"),
        ("Vad innebär ett resursuppdrag enligt avropsvägledningen?", "resursuppdrag"),
        ("Vad menas med egen regi?", "egen regi"),
        ("Vad är egentligen syftet med ett program för uppföljning av privata utförare?", ""),
        ("Vad är syftet med förbehållsbeloppen?", ""),
        ("Vad är skillnaden mellan LOU och LOV?", ""),
        ("Vad är det mesta jag kan behöva betala för hemtjänst i månaden?", ""),
        # One part of a question in two ("Vad är egen tid? kostar det nåt?") asks what the term means.
        ("Vad är egen tid? kostar det nåt?", "egen tid"),
        ("Hur mycket får man betala? Vad är maxtaxan?", "maxtaxan"),
    ],
)
def test_a_question_for_what_a_term_means_names_the_term(question, term):
    from assistant.answering.shape import Shape

    assert Shape.of(question).defines == term


@pytest.mark.parametrize(
    ("text", "term", "defining"),
    [
        ("I lagen finns en högsta avgift, en så kallad maxavgift eller maxtaxa.", "maxtaxan", True),
        ("Med en privat utförare avses en juridisk person.", "privat utförare", True),
        ("Ett resursuppdrag innebär att konsulten arbetar under myndighetens ledning.", "resursuppdrag", True),
        ("Valfrihetssystem: förfarande där den enskilde har rätt att välja.", "valfrihetssystem", True),
        ("Timmar utöver dessa debiteras enligt gällande maxtaxa.", "maxtaxan", False),
        ("Medarbetare ska veta vad SIP är och när den används.", "sip", False),
        ("LSS är en rättighetslag som ger rätt till tio insatser.", "lss", True),
        ("Jäv är när någon har ett eget intresse i ärendet.", "jäv", True),
        # Not the subject, or no kind named: the term is used, not defined.
        ("Även om LOV innebär att fler aktörer utför hemtjänst är kommunen ansvarig.", "lov", False),
        ("Enligt reglerna om jäv är vänskap en omständighet som kan rubba förtroendet.", "jäv", False),
        ("LOV är tvingande för regionerna men frivillig för kommunerna.", "lov", False),
        # A term of two words: what stands before the whole term counts, not what stands before its last word.
        ("Syftet med egen tid är att brukaren ska få tid för social samvaro.", "egen tid", False),
        ("Egen tid innebär att brukaren får en timme extra i månaden.", "egen tid", True),
        # The term in parentheses after what it stands for, as laws introduce their terms; not in a title, nor
        # after a name, where the parentheses give another name.
        ("Den får inte ingå avtal (avtalsspärr) förrän 10 dagar har gått.", "avtalsspärr", True),
        ("medel för sina normala levnadskostnader (förbehållsbelopp).", "förbehållsbeloppen", True),
        ("Samordnad individuell plan (SIP) ska upprättas tillsammans med den enskilde.", "sip", True),
        ("Riktlinje för samordnad individuell plan (SIP)", "sip", False),
        ("Rapportera avvikelse och missförhållande enligt SoL (Lex Sarah).", "lex sarah", False),
        ("fortsätter avtalsspärr att gälla (förlängd avtalsspärr).", "avtalsspärr", False),
        # An abbreviation with its initials spelt out after it; the term, an aside, then what it is.
        ("Insatser enligt LSS (lag om stöd och service till vissa funktionshindrade) söks hos kommunen.", "lss", True),
        ("Kallelse till SIP (se bilaga) skickas av den som tar initiativet.", "sip", False),
        ("SIP, samordnad individuell plan, är en mötesform där verksamheter samordnar insatser.", "sip", True),
        ("Vi använder SIP, som är bra, när det behövs.", "sip", False),
    ],
)
def test_a_defining_sentence_is_told_from_one_that_uses_the_term(text, term, defining):
    from assistant.answering.definitions import defines_term

    assert defines_term(text, term) is defining


def test_an_actor_named_only_in_the_turn_before_is_still_a_new_answer():
    from assistant.answering.shape import names_someone_new
    from assistant.answering.terms import QueryTerms

    earlier = "Vad är fullmäktige skyldigt att anta för styrdokument om privata utförare?"
    follow_up = QueryTerms("Och vem ska sedan kontrollera att de gör det?", extra_context=earlier)
    answer = "Fullmäktige är skyldiga att alltid följa upp och kontrollera verksamheten."
    assert names_someone_new(answer, follow_up)
    # A question that names fullmäktige itself is not answered by fullmäktige.
    assert not names_someone_new(answer, QueryTerms("Vad ska fullmäktige kontrollera?"))


@pytest.mark.parametrize(
    "text",
    [
        "LOV är frivillig för kommuner men tvingande för regionerna.",
        "Utföraren är skyldig att rapportera avvikelser.",
        "Det krävs ett godkännande av nämnden.",
    ],
)
def test_whether_something_is_mandatory_answers_a_must_question(text):
    from assistant.answering import lexicon

    assert lexicon.OBLIGATION.search(text)


@pytest.mark.parametrize(
    ("question", "focus"),
    [
        ("Vem ansvarar för tillsynen av hemtjänsten?", "tillsynen"),
        ("Vem fattar beslut om bistånd?", "bistånd"),
        ("Och vem kallar till mötet?", "mötet"),
        ("Vem ringer jag?", None),
    ],
)
def test_a_who_question_is_about_what_the_actor_is_responsible_for(question, focus):
    from assistant.answering.terms import QueryTerms

    terms = QueryTerms(question)
    assert (terms.terms[terms.focus].word if terms.focus is not None else None) == focus


@pytest.mark.parametrize(
    ("question", "focus"),
    [
        ("Vilka krav ställer Täby på utförarnas miljöbilar?", "miljöbilar"),
        ("Vilken avgift tas ut för trygghetslarm?", "trygghetslarm"),
        ("Vilka regler gäller för rökning på boendet?", "rökning"),
        ("Vilka krav gäller?", "krav"),
        ("Vilka sanktioner kan kommunen använda mot en utförare?", "sanktioner"),
        ("Vilka rutiner finns vid fall?", "rutiner"),
        # An adjective between the article and its noun: the noun is what is asked about.
        ("Vad kostar den årliga servicen på en raizer?", "servicen"),
        ("Vad kostar den maten?", "maten"),
        # ... and one without an article: the noun after the adjective.
        ("Vilken maximal löptid gäller för ramavtal?", "löptid"),
        ("Hur många privata hemtjänstföretag finns i Botkyrka?", "hemtjänstföretag"),
        ("Vilka digitala verktyg får användas för nämndsammanträden?", "verktyg"),
        ("Hur mycket extra betalt får man på julafton?", "extra"),  # the supplement, not pay in general
        # A noun with an adjective's ending before a verb is the focus itself.
        ("Vilken personal ansvarar för läkemedlen?", "personal"),
        ("Vilket material behövs vid dusch?", "material"),
        ("Vilken lista används vid brand?", "lista"),
    ],
)
def test_a_question_about_the_rules_for_something_is_about_that_thing(question, focus):
    """A frame noun (krav, regler, avgift) names what kind of answer is asked for; the word its "på/för/om" phrase
    names is what the answer must be about. A word no document has no longer silences an answer by itself, so
    "miljöbilar" must be the focus for the question to go unanswered where no document speaks of them."""
    from assistant.answering.terms import QueryTerms

    terms = QueryTerms(question)
    assert (terms.terms[terms.focus].word if terms.focus is not None else None) == focus


@pytest.mark.parametrize(
    "question",
    [
        "Vilken dag rensar vi filtret i diskmaskinen?",
        "Vilka dagar tar vi ut soporna?",
        "Vilket år antogs policyn?",
        "Vilket datum ska lönerna vara attesterade?",
        "Inom vilken frist ska en ansökan om rättelse ha kommit in?",
        "Inom vilket tidsfönster ska förhandsannonsen skickas?",
        # A category word: the answer names the conditions, not the word.
        "Vilka förutsättningar ska vara uppfyllda för att organisationen ska få registreras?",
    ],
)
def test_a_question_for_a_day_or_year_has_no_word_the_answer_must_repeat(question):
    """ "Vilken dag ..." asks for a day, which the answer gives as "varje söndag", not as the word "dag": the word
    names the kind of value asked for (the shape's date), so it is no focus the answer must name."""
    from assistant.answering.terms import QueryTerms

    assert QueryTerms(question).focus is None


@pytest.mark.parametrize(
    "question",
    ["Inom vilken frist ska en ansökan om rättelse ha kommit in?", "Inom vilken tidsram ska annonsen skickas?"],
)
def test_within_which_time_limit_asks_for_a_duration(question):
    from assistant.answering.shape import Shape

    assert Shape.of(question).duration


def test_a_routines_weekday_answers_which_day(make_library, tmp_path):
    """A list item that names the weekday answers "Vilken dag ...?" though it never says "dag"."""
    from assistant.answering import Answerer
    from assistant.ingest import ingest

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "tvatt.md").write_text(
        "Tvätt\n\n1.  Startar tvättmaskiner.\n2.  Hämta tvätt från avdelningarna.\n3.  Sortera alla tvättkorgar.\n"
        "4.  Städa golvet i tvättstugan.\n5.  Varje LÖRDAG luddfilter till torktumlare ska rensas.\n",
        encoding="utf-8",
    )
    library = make_library()
    ingest(library, [folder])
    answer = Answerer(library).ask("Vilken dag rensar vi luddfiltret i torktumlaren?")
    assert not answer.abstained
    assert "LÖRDAG" in answer.text


def test_an_answer_to_who_is_responsible_names_what_for():
    """Of two units with an actor, the one that names what the question asks the actor is responsible for
    answers, whatever the fitted model's calibration (every unit equally probable)."""
    from test_answering_fakes import FakeSearcher, constant_unit_model

    from assistant.answering import Answerer

    searcher = (
        FakeSearcher()
        .add("ansvar.md", "# Ansvar i hemtjänsten\n\nEnhetschefen ansvarar för att hemtjänsten är bemannad.\n")
        .add("ivo.md", "# Inspektionen\n\nInspektionen för vård och omsorg utövar tillsyn över socialtjänsten.\n")
    )
    answer = Answerer(searcher, unit_model=constant_unit_model(0.95)).ask("Vem ansvarar för tillsynen av hemtjänsten?")
    assert answer.text.startswith("Inspektionen för vård och omsorg utövar tillsyn")


def test_a_pdf_list_marker_on_a_line_of_its_own_starts_an_item():
    """PDF text puts a hanging marker on its own line ("b." and then the item's text, lowercase): each marker
    starts an item, the lead-in before them makes the list, and the marker is not part of the item's text."""
    text = (
        "Beställaren får med omedelbar verkan häva\nkontraktet om\n"
        "a.\nhögre priser har tillämpats utan rättelse inom tre veckor,\n"
        "b.\ndet kommer fram att leverantören har överträtt\ngrundläggande mänskliga rättigheter,\n"
        "c.\nLeverantören har brutit mot kontraktet vid upprepade tillfällen.\n"
    )
    units = segment(_hit(text))[0]
    assert [u.text for u in units if u.kind == "item"] == [
        "högre priser har tillämpats utan rättelse inom tre veckor,",
        "det kommer fram att leverantören har överträtt grundläggande mänskliga rättigheter,",
        "Leverantören har brutit mot kontraktet vid upprepade tillfällen.",
    ]
    assert _lists(text)[0].startswith("Beställaren får med omedelbar verkan häva kontraktet om: högre priser")


def test_a_list_item_answers_with_its_lead_in():
    """What is done is in the lead-in ("häva kontraktet"), when in the item: an item is cited and shown with it."""
    from assistant.answering import citing, extractive
    from assistant.answering.terms import QueryTerms

    text = (
        "Beställaren får häva kontraktet om\n"
        "- leverantören inte betalar skatter och avgifter,\n"
        "- leverantören har kränkt grundläggande mänskliga rättigheter i uppdraget.\n"
    )
    terms = QueryTerms("Vad gäller om leverantören har kränkt mänskliga rättigheter i uppdraget?")
    analysis = extractive.analyze(terms, terms.question, [_hit(text)])
    item = next(c for c in analysis.candidates if c.unit.kind == "item" and "mänskliga" in c.unit.text)
    (unit,) = citing._expand(analysis, item)
    assert unit.text == (
        "Beställaren får häva kontraktet om: leverantören har kränkt grundläggande mänskliga rättigheter i uppdraget."
    )
    assert unit.quote.startswith("Beställaren får häva") and unit.quote.endswith("i uppdraget.")
    lone = _hit("- leverantören har kränkt grundläggande mänskliga rättigheter i uppdraget.\n")
    analysis = extractive.analyze(terms, terms.question, [lone])
    item = next(c for c in analysis.candidates if c.unit.kind == "item")
    assert citing._expand(analysis, item) == [item.unit]  # no lead-in in the chunk: the item alone
    quoted = _hit("”Vi ska vara öppna med hur det går.”\n" + text.split("\n", 1)[1])
    analysis = extractive.analyze(terms, terms.question, [quoted])
    item = next(c for c in analysis.candidates if c.unit.kind == "item" and "mänskliga" in c.unit.text)
    assert citing._expand(analysis, item) == [item.unit]  # a quoted sentence announces no list
    dated = _hit("2021-04-19\n" + text.split("\n", 1)[1])
    analysis = extractive.analyze(terms, terms.question, [dated])
    item = next(c for c in analysis.candidates if c.unit.kind == "item" and "mänskliga" in c.unit.text)
    assert citing._expand(analysis, item) == [item.unit]  # nor does a date line


def test_an_answer_grows_into_the_next_sentence_but_not_into_one_about_the_routine():
    """A lone sentence grows into its paragraph's next sentence, where the answer often sits; not into a sentence
    that says why the routine was made ("För att underlätta ... har denna rutin tagits fram")."""
    from assistant.answering import citing, extractive
    from assistant.answering.terms import QueryTerms

    terms = QueryTerms("Hur gör vi felanmälan för lägenheterna?")
    for after, grows in (
        ("Blanketten lämnas till koordinatorn.", True),
        ("För att underlätta för boende har denna rutin tagits fram.", False),
    ):
        text = f"Felanmälan för lägenheterna görs av verksamheten på intranätet. {after}"
        analysis = extractive.analyze(terms, terms.question, [_hit(text)])
        best = next(c for c in analysis.candidates if c.unit.kind == "sentence" and "intranätet" in c.unit.text)
        assert (len(citing._expand(analysis, best)) == 2) is grows, after


def test_an_answer_grows_into_the_sentence_before_in_its_paragraph():
    """The sentence before the one that matched often holds the answer (the bounds before the cap): a lone sentence
    is shown after its paragraph's previous sentence, not after one of another paragraph, nor when the whole would be
    longer than citing.PREVIOUS_CHARS."""
    from assistant.answering import citing, extractive
    from assistant.answering.terms import QueryTerms

    terms = QueryTerms("Får avgiften överstiga en viss andel av upphandlingens värde?")
    bounds = "Upphandlingsskadeavgiften ska uppgå till lägst 10 000 kronor och högst 20 000 000 kronor."
    cap = "Avgiften får inte överstiga tio procent av upphandlingens värde."
    too_long = " Se 21 kap." * (citing.PREVIOUS_CHARS // 10)
    for between, long, grows in ((" ", "", True), ("\n\n", "", False), (" ", too_long, False)):
        text = f"{bounds[:-1] + long}.{between}{cap}"
        analysis = extractive.analyze(terms, terms.question, [_hit(text)])
        best = next(c for c in analysis.candidates if c.unit.kind == "sentence" and c.unit.text == cap)
        shown = [u.text for u in citing._expand(analysis, best)]
        assert (shown[0].startswith("Upphandlingsskadeavgiften")) is grows, (between, len(long))
        assert shown[-1] == cap


@pytest.mark.parametrize(
    "before",
    ["”Vi ska vara öppna med hur det går.”", "2021-04-19", "14", "❖"],
    ids=["quoted sentence", "date line", "page number", "symbol"],
)
def test_no_lead_in_without_words_or_before_a_finished_sentence(before):
    """Bullets after a finished sentence (also a quoted one) or after a line without words (a date, a page
    number left by the PDF, a symbol) are items without a lead-in: no list unit "2021-04-19: ...; ...".
    The items stay units of their own."""
    text = f"{before}\n- Myndighet informerar brukaren om bytet,\n- Utföraren registrerar avslutsdatum.\n"
    assert _lists(text) == []
    assert [u.kind for u in segment(_hit(text))[0]].count("item") == 2
    assert _lists(f"Myndigheten ska\n{text.split(chr(10), 1)[1]}")[0].startswith("Myndigheten ska: Myndighet")


def test_colloquial_function_words_are_no_content_terms():
    """ "nån", "nåt", "sån": how people write "någon", "något", "sådan"; not a word the documents could lack."""
    from assistant.answering.terms import QueryTerms

    words = [t.word for t in QueryTerms("Går läkaren igenom mammas mediciner nån gång, finns det sånt?").terms]
    assert "nån" not in words and "sånt" not in words and "mediciner" in words


@pytest.mark.parametrize(
    ("question", "live"),
    [
        ("Hur lång är väntetiden till äldreboende i Botkyrka just nu?", True),
        ("Hur lång är väntetiden till äldreboende i Botkyrka i dag?", True),
        ("Hur lång är väntetiden till äldreboende i Botkyrka för närvarande?", True),
        ("Hur lång är väntetiden till äldreboende i Botkyrka?", False),
    ],
)
def test_a_question_about_how_things_stand_now_is_not_answered_by_a_near_miss(question, live):
    """The model may rescue a unit the word rules reject, but not for a question about the present state: a
    follow-up report's average of 2021 does not say how long the wait is now."""
    from assistant.answering import extractive
    from assistant.answering.shape import Shape
    from assistant.answering.terms import QueryTerms

    hit = _hit("Enligt uppföljningen 2021 var väntetiden till äldreboende i Botkyrka i genomsnitt tre månader.")
    terms = QueryTerms(question)
    analysis = extractive.analyze(terms, question, [hit])
    shape = Shape.of(question)
    assert shape.live is live
    near = [c for c in analysis.candidates if extractive.rescuable(c, terms, replace(shape, live=False))]
    assert near, "read as a question about rules, the report's sentence may be rescued"
    assert all(extractive.rescuable(c, terms, shape) is not live for c in near)


def test_pronouns_and_adverbs_of_spoken_questions_are_no_content_terms():
    """ "du", "hen", "ändå", "riktigt", "innan", "hans": every routine says "du", and "ändå" is no topic."""
    from assistant.answering.terms import QueryTerms

    terms = QueryTerms("En timvikarie har gjort något riktigt allvarligt. Måste jag ändå ha samtal innan hen avslutas?")
    assert [t.word for t in terms.terms if t.weight >= 1.0] == ["timvikarie", "allvarligt", "samtal", "avslutas"]
    assert [t.word for t in QueryTerms("Vad gör du om ni inte hinner?").terms] == ["gör", "hinner"]
    # A relative's possessive is no topic: "hans fötter" asks about feet, "hennes journal" about the journal.
    assert [t.word for t in QueryTerms("Smörjer assistenterna hans fötter och läser hennes journal?").terms] == [
        "smörjer",
        "assistenterna",
        "fötter",
        "läser",
        "journal",
    ]


def test_a_two_word_phrase_of_the_thesaurus_stands_for_the_documents_words():
    """ "dra tillbaka" is what a routine calls "återkalla", as "höra av" is "kontakta": each word of the phrase
    is found in a sentence with the documents' word (search expands such phrases too)."""
    from assistant.answering.terms import QueryTerms, stems

    terms = QueryTerms("Kan sjuksköterskan dra tillbaka min delegering?")
    sentence = stems("Delegeringsbeslut kan när som helst återkallas om personalen brister.")
    levels = {t.word: terms.level(i, sentence) for i, t in enumerate(terms.terms)}
    assert levels["dra"] >= 0.8 and levels["tillbaka"] >= 0.8
    # "dra" alone is no phrase: "Vem drar igång mötet?" is not about recalling anything.
    alone = QueryTerms("Vem drar igång mötet?")
    assert all(alone.level(i, stems("Beslutet återkallas.")) == 0 for i in range(len(alone.terms)))


def test_an_acronym_of_the_question_matches_only_itself():
    """ "Vad är LOV?" is not answered by "LOVE är en webbapplikation" (an IT system's name), nor by what the
    municipality "lovar": the stemmer cuts all three to "lov"."""
    from assistant.answering.terms import QueryTerms, stems

    terms = QueryTerms("Vad är LOV?")
    assert terms.level(0, stems("LOVE är en C#-webbapplikation med SQL Server.")) == 0
    assert terms.level(0, stems("Kommunen lovar att svara inom en vecka.")) == 0
    assert terms.level(0, stems("Enligt LOV ska kommunen behandla alla sökande lika.")) == 1.0
    assert terms.level(0, stems("LOV:s regler gäller även egenregin.")) == 1.0
    assert terms.level(0, stems("Lagen om valfrihetssystem gäller.")) >= 0.8  # its name, by the aliases
    sip = QueryTerms("Vem kallar till SIP-möte?")
    assert sip.level([t.word for t in sip.terms].index("sip"), stems("Kommunen kallar till SIPen.")) == 1.0
    assert not any(t.acronym for t in QueryTerms("VEM BESTÄMMER OM AVGIFTEN?").terms)  # capitals, not acronyms
    # The laws name the authority in full, never "IVO".
    ivo = QueryTerms("Vad kan IVO göra om brister inte rättas?")
    full = stems("Inspektionen för vård och omsorg får förelägga den som bedriver verksamheten att avhjälpa bristen.")
    assert ivo.level([t.word for t in ivo.terms].index("ivo"), full) >= 0.8


def test_a_line_that_repeats_the_documents_title_answers_nothing():
    """ "Vilka leverantörer lämnade anbud i Region Dalarnas avrop ...?" is not answered by the tender's own
    title line, though it holds most of the question's words and a capitalised word that passes for a name."""
    from assistant.answering.gates import gate
    from assistant.answering.shape import Shape
    from assistant.answering.terms import QueryTerms

    text = (  # as the PDF's text layer has it: a numbered heading over two lines
        "1. Avropsförfrågan IT-konsult - Systemutvecklare\nersättningssystem Vårdval\n1.1 ALLMÄN ORIENTERING\n"
        "Anbud ska lämnas elektroniskt senast den 3 maj.\n"
    )
    title = "Avrop IT-konsult – Systemutvecklare ersättningssystem Vårdval"
    hit = SearchHit(
        chunk=Chunk(id="c", doc="avrop.md", text=text, start=0, end=len(text)),
        meta=DocumentMeta(doc="avrop.md", title=title),
        score=1.0,
    )
    units, _ = segment(hit)
    question = "Vilka leverantörer lämnade anbud i avropet av systemutvecklare till ersättningssystemet?"
    terms, shape = QueryTerms(question), Shape.of(question)
    verdicts = {u.text: gate(u, terms, shape) for u in units}
    assert verdicts["Avropsförfrågan IT-konsult - Systemutvecklare ersättningssystem Vårdval"] == "rubrik"
    assert verdicts["Anbud ska lämnas elektroniskt senast den 3 maj."] != "rubrik"


def test_a_count_of_kronor_or_percent_is_a_sum_not_a_count_of_things():
    from assistant.answering.shape import Shape

    assert Shape.of("Hur många kronor är högkostnadsskyddet?").counted == ()
    assert Shape.of("Hur många procent av brukarna har valt?").counted == ()
    # ... but "krav" starts like "kr" and is a thing counted.
    assert Shape.of("Hur många krav ställer kommunen?").counted[0] == "krav"


@pytest.mark.parametrize(
    ("question", "text", "gated"),
    [
        # A who-question is not answered by its own verb in the passive with no one doing it ...
        (
            "Vem utser uppdragstagare till en brukare?",
            "För varje brukare ska det utses en uppdragstagare som har kontakt med anhöriga.",
            True,
        ),
        ("Vem beställer timvikarier?", "Timvikarier beställs via bemanningssystemet av enheten.", False),
        ("Vem beställer timvikarier?", "Timvikarier beställs via systemet som personalen har tillgång till.", True),
        # ... but is by the passive with its agent, or by the active verb with its subject.
        ("Vem utser uppdragstagare till en brukare?", "Uppdragstagare utses av administratören.", False),
        ("Vem utser uppdragstagare till en brukare?", "Administratören utser uppdragstagare.", False),
        ("Vem godkänner utförare?", "Socialnämnden godkänns inte; utförare godkänns av socialnämnden.", False),
    ],
)
def test_a_who_question_is_not_answered_by_its_verb_in_the_passive_without_an_agent(question, text, gated):
    from assistant.answering.gates import gate
    from assistant.answering.shape import Shape
    from assistant.answering.terms import QueryTerms

    unit = segment(_hit(text + "\n"))[0][0]
    assert (gate(unit, QueryTerms(question), Shape.of(question)) == "säger inte vem") is gated


def test_a_duty_officer_is_an_actor_but_a_journal_is_not():
    from assistant.answering import lexicon

    assert lexicon.ACTOR_WORD.search("Under helger kontaktas BE-jouren.")
    assert lexicon.ACTOR_WORD.search("Ring nattjouren.")
    assert not lexicon.ACTOR_WORD.search("Dokumentera i journal.")


@pytest.mark.parametrize(
    ("text", "gated"),
    [
        # The form staff sign at the end of a routine is no answer ...
        ("Jag har tagit del av Hemtjänstens rutin kring cykelhjälm och förstår dess innebörd.", True),
        ("Ort och datum, namnteckning och namnförtydligande.", True),
        # ... but what the routine says about signing is.
        ("Medarbetaren ska skriva under att hen har tagit del av rutinen.", False),
    ],
)
def test_a_form_to_sign_is_no_answer(text, gated):
    question = "Vad händer om man cyklar utan hjälm i hemtjänsten?"
    assert (_first_unit_gate(question, text) == "blankett att skriva under") is gated


@pytest.mark.parametrize(
    ("question", "text", "why"),
    [
        # Where a document came from is no answer, whatever words its address shares with the question ...
        (
            "Vad gäller när ens barn är på korttidsvistelse enligt LSS?",
            "- Källa (original): https://botwebb.botkyrka.se/download/18.5/Uppdragsbeskrivning%20Korttidsvistelse%20LSS.docx",
            "en webbadress",
        ),
        # ... but a sentence that says where to find something is.
        ("Var finns blanketten?", "Blanketten finns på www.botkyrka.se/blanketter.", ""),
        # Decision lines glued into a sentence where a PDF lost the line break are the document's, not an answer.
        (
            "När får jag börja jobba i hemtjänsten igen efter vinterkräksjuka?",
            "Skicka ett sms till koordinatorn som registrerar din frånvaro i Dokumentet är beslutat av: "
            "[Verksamhetschefen Hemtjänsten] Dokumentet beslutades den: [2024-02-26]",
            "dokumentets beslutsrader",
        ),
        # ... unless the question asks who decided the document.
        (
            "När beslutades rutinen?",
            "Skicka ett sms till koordinatorn som registrerar din frånvaro i Dokumentet beslutades den: [2024-02-26]",
            "",
        ),
    ],
)
def test_a_web_address_or_glued_decision_lines_are_no_answer(question, text, why):
    reason = _first_unit_gate(question, text)
    assert reason == why or (not why and reason not in ("en webbadress", "dokumentets beslutsrader"))


@pytest.mark.parametrize(
    ("question", "gated"),
    [
        # What applies ("vilka tider gäller") is not whether the document is in force: its decision lines tell
        # when it was decided, not when the place is open.
        ("Har mötesplatsen öppet i jul, och vilka tider gäller då?", True),
        ("Vad gäller när brukaren inte öppnar?", True),
        # Whether a document the question names is in force, or who decided it, its decision lines tell.
        ("Gäller rutinen för mötesplatserna fortfarande?", False),
        ("Är riktlinjen aktuell?", False),
        ("Vem har beslutat om rutinen?", False),
    ],
)
def test_decision_lines_answer_whether_a_named_document_is_in_force(question, gated):
    text = "Dokumentet är beslutat av: [Enhetschef mötesplatserna] Dokumentet beslutades den: [2021-10-01]"
    assert (_first_unit_gate(question, text) == "dokumentets beslutsrader") is gated


def test_an_acronym_that_starts_a_compound_is_no_name():
    from assistant.answering import lexicon

    assert lexicon.NAMED_ACTOR.findall("Vi avropar en IT-konsult till LSS-boendet.") == []
    assert lexicon.NAMED_ACTOR.findall("Ring BE om passet.") == ["BE"]


@pytest.mark.parametrize(
    ("question", "text", "ok"),
    [
        # Someone the question does not name is the subject of its verb ...
        (
            "Vem utser uppdragstagare till en brukare?",
            "Administratör är den som tillsammans med brukaren utser uppdragstagare.",
            True,
        ),
        ("Och vem kallar till mötet?", "MAS eller verksamhetschef på boende kallar till samverkansmöte.", True),
        ("Vem har ansvaret för tillsynen?", "Inspektionen för vård och omsorg har ansvar för tillsynen.", True),
        # ... not the passive without anyone, another verb, nor the one the question names.
        ("Vem utser uppdragstagare till en brukare?", "För varje brukare ska det utses en uppdragstagare.", False),
        ("Vem utser uppdragstagare till en brukare?", "En handläggare beslutar om insatsen.", False),
        ("Vem utser uppdragstagare till brukaren?", "Brukaren utser själv sin uppdragstagare.", False),
    ],
)
def test_a_who_answer_has_someone_new_as_the_subject_of_the_asked_verb(question, text, ok):
    from assistant.answering.shape import acts
    from assistant.answering.terms import QueryTerms

    assert acts(text, QueryTerms(question)) is ok


@pytest.mark.parametrize(
    ("question", "amount"),
    [
        ("Hur varmt ska jag tvätta sängkläderna?", True),
        ("Vägglöss hos brukaren – hur varmt ska jag tvätta?", True),
        ("Det är varmt ute. Hur kallt ska vattnet vara?", True),
        ("Vilken temperatur ska kylskåpet ha?", True),
        # A temperature clause inside another question asks nothing of its own: this asks how often.
        ("Hur ofta ska kockarna mäta hur kallt det är i kylarna?", False),
    ],
)
def test_a_question_for_a_temperature_asks_for_a_value(question, amount):
    from assistant.answering.shape import Shape

    assert Shape.of(question).amount is amount


@pytest.mark.parametrize(
    ("question", "amount", "who"),
    [
        ("Vem bestämmer hur mycket hemtjänst jag får?", False, True),
        ("vem är det som bestämmer hur mycket hjälp hemma jag får?", False, True),
        ("Vem beslutar om hur hög avgiften ska vara?", False, True),
        ("Får kommunen begränsa hur många företag som släpps in i kundvalet?", False, False),
        # Asked outright, or by a verb of knowing, the amount is what is asked.
        ("Hur mycket hemtjänst får jag?", True, False),
        ("Vet du hur mycket hemtjänsten kostar?", True, False),
        ("Vem bestämmer, och hur mycket får jag?", True, True),
    ],
)
def test_an_amount_a_verb_of_deciding_governs_is_not_what_is_asked(question, amount, who):
    """ "Vem bestämmer hur mycket ...?" asks who decides; an answer need not hold a figure."""
    from assistant.answering.shape import Shape

    shape = Shape.of(question)
    assert (shape.amount, shape.who) == (amount, who)
    assert not shape.counted or amount


OPENING_FIELDS = (
    "# Förfrågningsunderlag hemtjänst enligt LOV (Sotenäs kommun)\n\n"
    "- Källa: docplayer-transkript av PDF\n"
    "- Utfärdad: 2011-03-01\n"
    "- OBS: PARTIAL: endast sidans början så som sökverktyget returnerade den; fulltext ej tillgänglig.\n\n"
    "Samtliga sökande som uppfyller kommunens krav blir godkända som utförare av hemtjänst.\n"
)


@pytest.mark.parametrize(
    ("question", "opening", "why"),
    [
        # The fields a transcription or a database puts under the title say what the document is, not what it says.
        ("Godkänns alla sökande som utförare av hemtjänst?", "OBS: PARTIAL", "uppgift om dokumentet"),
        ("Är förfrågningsunderlaget för hemtjänst tillgängligt i fulltext?", "OBS: PARTIAL", "uppgift om dokumentet"),
        # ... unless the question asks for the value one of them gives.
        ("När utfärdades förfrågningsunderlaget för hemtjänst?", "Utfärdad", ""),
        # The text after the fields is the document's own.
        ("Godkänns alla sökande som utförare av hemtjänst?", "Samtliga sökande", ""),
    ],
)
def test_the_fields_that_open_a_document_under_its_title_are_no_answer(question, opening, why):
    from assistant.answering.gates import gate
    from assistant.answering.shape import Shape
    from assistant.answering.terms import QueryTerms

    unit = next(u for u in segment(_hit(OPENING_FIELDS))[0] if u.text.startswith(opening))
    reason = gate(unit, QueryTerms(question), Shape.of(question))
    assert reason == why if why else reason != "uppgift om dokumentet"


@pytest.mark.parametrize(
    ("sentence", "marked"),
    [
        ("Ring enhetschefen.", "Ring enhetschefen [1]."),
        ("Nya regler har kommit, kolla!!", "Nya regler har kommit, kolla [1]!!"),
        ("Vem ringer du?", "Vem ringer du [1]?"),
        ("Ring enhetschefen", "Ring enhetschefen [1]."),
        ("Han sa ”ring mig”", "Han sa ”ring mig” [1]"),
    ],
)
def test_the_citation_marker_stands_before_the_sentences_end(sentence, marked):
    from assistant.answering.citing import with_marker

    assert with_marker(sentence, 1) == marked


def test_a_sentence_another_citation_quotes_is_not_added_to_the_first_again():
    """The next chunk of a routine repeats the end of the one before (chunks overlap). When it is cited for one
    part of the question, the same sentence in the first passage is no second reading of the first citation:
    the answer would say it twice."""
    from assistant.answering.citing import Group, _add_same_passage
    from assistant.answering.extractive import Analysis, Candidate
    from assistant.answering.shape import Shape
    from assistant.answering.terms import QueryTerms

    first = (
        "Disk\n\n1. Startar diskmaskiner.\n2. Varje MÅNDAG görs avkalkning av diskmaskin.\n"
        "3. Varje SÖNDAG ska filtret rensas.\n"
    )
    tail = first[first.index("3.") :]

    def hit(chunk_id: str, text: str, start: int) -> SearchHit:
        chunk = Chunk(id=chunk_id, doc="disk.md", text=text, start=start, end=start + len(text))
        return SearchHit(chunk=chunk, meta=DocumentMeta(doc="disk.md", title="Disk"), score=1.0)

    a, b = hit("a", first, 0), hit("b", tail, first.index("3."))
    a_units, b_units = segment(a)[0], segment(b)[0]
    monday = next(u for u in a_units if u.kind == "item" and "MÅNDAG" in u.text)
    sunday_a = next(u for u in a_units if u.kind == "item" and "SÖNDAG" in u.text)
    sunday_b = next(u for u in b_units if "SÖNDAG" in u.text)
    question = "När är det avkalkning och när rensas filtret?"

    def candidate(unit, rank, probability):
        return Candidate(unit=unit, rank=rank, cov=1.0, own=1.0, levels=[], supported=True, probability=probability)

    best = candidate(monday, 0, 0.9)
    analysis = Analysis(
        terms=QueryTerms(question),
        shape=Shape.of(question),
        hits=[a, b],
        units=[a_units, b_units],
        candidates=[best, candidate(sunday_b, 1, 0.88), candidate(sunday_a, 0, 0.88)],
    )
    groups = [Group(units=[monday], key=monday), Group(units=[sunday_b], key=sunday_b)]
    _add_same_passage(analysis, best, groups)
    assert groups[0].units == [monday]
    # Without the second citation, the Sunday sentence is the first passage's second reading.
    alone = [Group(units=[monday], key=monday)]
    _add_same_passage(analysis, best, alone)
    assert alone[0].units == [monday, sunday_a]


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("Vem betalar, och hur mycket kostar det?", ["Vem betalar", "och hur mycket kostar det?"]),
        ("Hur ofta följer jag upp och var skriver jag det", ["Hur ofta följer jag upp", "och var skriver jag det"]),
        ("Vad kostar det? Och vem betalar?", ["Vad kostar det?", "Och vem betalar?"]),
        ("Vad kostar det? Tack på förhand!", []),
        ("Hur mycket kostar det och varför?", ["Hur mycket kostar det", "och varför?"]),
        ("Vem bestämmer vad hon får?", []),
        ("Vi har bett om ett SIP-möte – hur snabbt ska det bli av?", []),
        (
            "Jag fick avslag. Hur överklagar jag och hur lång tid har jag?",
            ["Jag fick avslag. Hur överklagar jag", "och hur lång tid har jag?"],
        ),
    ],
)
def test_a_question_of_several_parts_is_cut_where_it_turns_to_the_next(question, parts):
    from assistant.answering.shape import question_parts

    assert question_parts(question) == parts


def test_a_unit_holds_what_a_question_of_several_parts_asks_when_it_answers_one_part():
    """ "Vem betalar, och hur mycket kostar det?": who pays is an answer to one part though it names no sum; a
    question of one part still needs its kind of fact."""
    from assistant.answering.shape import Shape, type_ok

    two = Shape.of("Vem betalar, och hur mycket kostar det?")
    assert two.who and two.amount  # what any part asks: search and the unit model read these
    assert type_ok(two, "Kommunen betalar avgiften.")
    assert type_ok(two, "Avgiften är 300 kronor.")
    assert not type_ok(two, "Avgiften ska betalas i tid.")
    assert not type_ok(Shape.of("Hur mycket kostar det?"), "Kommunen betalar avgiften.")
    # Parts that ask the same kind of fact ask it of one answer.
    assert not Shape.of("När börjar kursen och när slutar den?").parts


def test_a_part_that_asks_for_no_kind_of_fact_is_answered_only_in_its_own_words():
    """ "Vilket låsföretag ..., och vilket nummer ringer man?": a sentence that names no company answers neither
    part, though nothing is checked of the second; one that names its words ("ring ... nummer") may answer it."""
    question = "Vilket låsföretag har kommunen avtal med, och vilket nummer ringer man?"
    assert _first_unit_gate(question, "Ordna låsbyte via företag som kommunen har avtal med.")
    assert not _first_unit_gate(question, "Vid låsbyte ringer man kundtjänst på nummer 08-123 45 67.")
    assert not _first_unit_gate(question, "Kommunen har avtal med Låsbolaget AB om låsbyten.")
