"""Who a sentence binds: a requirement on the provider, or something else a linter must leave alone.

A tender mixes requirements on the provider ("Leverantören ska …", "Webbplatsen ska …") with
instructions to bidders ("Anbudsgivaren uppmanas …", "bör påtala fel under anbudstiden"),
descriptions of the evaluation ("prisavdrag", "mervärde"), the buyer's own rights and duties
("Kommunen förbehåller sig rätten …"), contract boilerplate (force majeure) and, in exports from
tender systems (TendSign, e-Avrop, Kommers), answer fields and a symbol legend. Only the first
kind is a requirement whose wording ("bör", "vid behov") can be a defect.

The role comes from the section the sentence stands in (its headings, nearest first) and from
the sentence itself: its subject, its verb and a few unmistakable words.
"""

from __future__ import annotations

import re

from assistant.lint.swedish import MODALS, actor_at, classify, words

# Section headings, nearest first, that say what the text below them is. The first match wins.
ZONES: list[tuple[str, re.Pattern[str]]] = [
    ("form", re.compile(r"^symbolförklaring$")),
    ("boilerplate", re.compile(r"force majeure|befrielsegrund|lagval|\btvist")),
    (
        "requirement",
        re.compile(r"krav på (?:anbudsgivar|leverantör|sökande)|kvalificering|krav för godkännande|lämplighetskrav"),
    ),
    (
        "evaluation",
        re.compile(
            r"utvärdering av anbud|anbudsutvärdering|utvärderingskriteri|utvärderingsmodell|^utvärdering$|"
            r"mervärde|tilldelningsgrund|tilldelningskriteri|prövning av anbud|prövning och utvärdering|\bpoäng|"
            r"viktning|jämförelse(?:pris|summa)|^kriteri|bedömningsgrund|^intervju"
        ),
    ),
    (
        "bidder",
        re.compile(
            r"anbudsföreskrift|administrativa (?:föreskrift|krav)|anvisning|anbudsgivning|anbudsinlämning|"
            r"anbudslämning|\banbudet|\banbuds(?:tid|öppning|giltighet|form|pris)|\banbudsgivar|alternativa anbud|"
            r"reservationer|^frågor|frågor och svar|frågor under|förtydligande|komplettering av anbud|"
            r"sista (?:dag|anbudsdag)|elektronisk anbud|sekretess(?:prövning| vid upphandling| under)|avtalsspärr|"
            r"underrättelse om|rättelse(?:,| och| av) (?:förtydligande|anbud)|avbrytande av|"
            r"ersättning för (?:att upprätta |upprättande av )?anbud|upphandlingsförfarande|förfarande$|inbjudan|"
            r"kontaktuppgifter till anbudsgivar|anbudsgivarens kontakt|publicering av (?:ram)?avtal|"
            r"tilldelningsbeslut|avropsförfarande"
        ),
    ),
    (
        "description",
        re.compile(
            r"bakgrund|inledning|allmän orientering|allmän information|information om|beskrivning av "
            r"(?:avropande|upphandlande)|^om |syfte|målgrupp|personkrets|förutsättningar -"
        ),
    ),
    (
        "requirement",
        re.compile(
            r"\bkrav|krav\b|kravspecifikation|\bvillkor|villkor\b|åtagande|skyldighet|tjänstens utförande|"
            r"uppdraget$|^uppdrag\b|leverans|genomförande|personal|kompetens|bemanning|kvalitet|dokumentation|"
            r"säkerhet|försäkring|underleverantör|statistik|fakturer|uppföljning|insyn|sanktion|\bvite|"
            r"hävning|ersättning|ansvar|rapportering|avvikelse|tillgänglighet|arbetssätt"
        ),
    ),
]

# Answer fields, the symbol legend and form labels of tender systems; never a requirement text.
FORM = re.compile(
    r"\bja/nej\b|\bja krävs\b|^fritext$|^bifogad fil$|leverantörskommentar tillåten|^kommersiella \.\.\.|"
    r"texten/frågan|^texten (?:ingår|kommer)|^frågan (?:är|ställs|besvaras)|svaret uppfyller inte|"
    r"klicka eller tryck här|^prismatris\b|^fylls i av"
)
BOILERPLATE = re.compile(
    r"\bbefrielsegrund\w*|\bforce majeure\b|\bhinder utanför (?:dennes|partens|dess|deras) kontroll"
)
# Evaluation of bids (not the provider's own evaluation of its work: "Utföraren ska utvärdera insatserna").
EVALUATION = re.compile(
    r"\b(?:anbud\w*|anbudsgivar\w*)\b.*\butvärder\w*|\butvärder\w*.*\banbud\w*|"
    r"\butvärderingsmodell\w*|\butvärderingspris\w*|\butvärderingskriteri\w*|\bmervärde\w*|"
    r"\bjämförelse(?:pris|summa)\w*|\bmeriterande\b|\bpoängsätt\w*|\bpoängskala\w*|"
    r"\btilldelas (?:kontrakt|avtal)|\bkontrakt tilldelas\b|\bekonomiskt mest fördelaktiga\b"
)
# Instructions to bidders: a bidder told to do something for the bid, or advice to bidders.
BIDDER = re.compile(
    r"\b(?:uppmanas|ombeds|anmodas|rekommenderas)\b|\b(?:till|i|med|inför) (?:sitt |sina |ert |era )?anbud(?:et|en)?\b|"
    r"^(?:anbudet|anbuden|anbud|avropssvaret)\b|\banbudstiden\b|\banbudsdag\w*|"
    r"\b(?:anbudsgivar\w*|anbudslämnar\w*|ramavtalsleverantör\w*)\b[^.]{0,60}?\b(?:ska|skall|bör|måste|kan|behöver)"
    r"\s+(?:\w+\s+){0,3}?(?:lämna|ange|bifoga|besvara|ställa|registrera|kontrollera|påtala|underteckna|inkomma|"
    r"skicka|offerera|redovisa|acceptera|intyga|bekräfta)\b"
)
# Headings of sections whose statements the bidder accepts as requirements ("Krav …", "Avtalsvillkor").
STRICT_REQUIREMENT = re.compile(
    r"\bkrav|krav\b|kravspecifikation|\bvillkor|villkor\b|åtagande|tjänstens utförande|leverantörens ansvar"
)
JA_KRAVS = re.compile(r"\bja krävs\b")
# An explanation of what something means is a description, whatever its verbs.
EXPLANATION = re.compile(r"^(?:det|detta|vilket) (?:kan )?(?:också |även )?(?:innebära|innebär|betyder|betyda)\b")

ROLES = ("requirement", "bidder", "evaluation", "buyer", "citizen", "boilerplate", "form", "description")


def zone_of(titles: list[str]) -> str | None:
    """What the nearest heading that says anything says the text is; None when no heading does."""
    for title in titles:
        for zone, pattern in ZONES:
            if pattern.search(title):
                return zone
    return None


def first_modal_actor(text: str) -> str | None:
    """The party bound by the sentence's first modal verb (named around it, else the first party named
    before it), or None when it names none ("Webbplatsen ska …")."""
    tokens = words(text)
    for i, token in enumerate(tokens):
        if MODALS.match(token):
            found = actor_at(tokens, i)
            # "Brukaren, dennes ställföreträdare eller god man ska …": the subject opens the sentence.
            for k in range(i):
                if found is not None:
                    break
                found = classify(tokens[k], tokens[k - 1] if k else "")
            return found
    for i, token in enumerate(tokens):
        found = classify(token, tokens[i - 1] if i else "")
        if found is not None:
            return found
    return None


def sentence_role(norm: str, normative: bool, zone: str | None) -> str:
    """The role of a sentence (lowercase text) standing in a section of the given zone."""
    text = norm.strip()
    if FORM.search(text) or zone == "form":
        return "form"
    if text.endswith("?"):
        return "bidder"  # a question the bidder answers in the tender system
    if zone == "boilerplate" or BOILERPLATE.search(text):
        return "boilerplate"
    if EXPLANATION.search(text):
        return "description"
    if zone == "evaluation" or EVALUATION.search(text):
        return "evaluation"
    actor = first_modal_actor(text)
    if actor == "municipality":
        return "buyer"
    if actor == "citizen":
        return "citizen"
    if zone == "bidder" or BIDDER.search(text):
        return "bidder"
    if zone == "description" and actor != "provider":
        return "description"
    # A statement of what the provider does ("Utföraren kan erbjuda …") belongs to its commitments.
    return "requirement" if normative or actor == "provider" else "description"
