"""Patterns and word lists that read a QUESTION: what it asks for (an amount, a date, a length of time, a time of
day, a name, an actor, a group, whom to contact, a sum per something, whether something costs or may be done, a
sanction, a definition ...), and the words that frame or categorise what it is about.

What answers each kind is in `evidence`; the word lists both use are in `words`.
"""

from __future__ import annotations

import re

from assistant.answering.lexicon.words import RATE_UNITS

# "hur länge / hur stor ...": these ask for a kind of fact (see the shapes below), not about a topic.
HOW_WORDS = frozenset(
    "länge ofta mycket många stor stort stora lång långt långa gammal gamla hög högt höga snart tidigt sent "
    "dyr dyrt dyra".split()
)

# Words that ask for the sum itself ("Vad kostar avlösning?", "Upp till vilket belopp får man direktupphandla?"): the
# sentence with the figure need not repeat them to say what its figure is of ("Avlösning är avgiftsfri upp till 15
# timmar per månad").
SUM_ASKING_WORDS = frozenset("kostar kosta kostade kostat belopp beloppet summa summan".split())

# Question openings and what they ask for.
FOCUS_OPENERS = re.compile(
    r"^\s*(?:och\s+)?(?:(?:inom|för|i|på|av|med|till)\s+)?(?:vilken|vilket|vilka|hur\s+många|hur\s+mycket|"
    r"hur\s+stora?|hur\s+stort|hur\s+höga?|hur\s+högt|hur\s+lång|vad\s+kostar|vad\s+heter|vad\s+är|vad\s+var)\b",
    re.IGNORECASE,
)
# "Vem ansvarar för tillsynen av hemtjänsten?", "Vem fattar beslut om bistånd?": the thing someone is responsible
# for or decides about is what the answer must be about (as "vilken X"), not only the actor.
WHO_FOCUS_OPENERS = re.compile(
    r"^\s*(?:och\s+)?vem\s+(?:(?:ska|kan|får|måste)\s+)?(?:ansvarar\s+för|har\s+(?:det\s+)?ansvar(?:et)?\s+för|"
    r"utövar|utser|beställer|godkänner|kallar\s+till|beslutar\s+om|fattar\s+beslut\s+om)\b",
    re.IGNORECASE,
)
# Nouns that frame what a question asks about rather than name it: "Vilka krav ställer Täby på utförarnas
# miljöbilar?" asks about the cars, "Vilken avgift tas ut för trygghetslarm?" about the alarm. The word after the
# preposition that follows (FRAME_PREPOSITIONS) is the focus, which the answer must name (terms._focus_index).
FRAME_NOUNS = frozenset(
    """
    krav kraven regler reglerna regel regeln villkor villkoren bestämmelser bestämmelserna riktlinjer riktlinjerna
    rutiner rutinerna rutin rutinen sanktioner sanktionerna påföljder påföljderna avgift avgiften avgifter
    avgifterna
    """.split()
)
FRAME_PREPOSITIONS = frozenset("på för om kring vid gällande angående".split())
# "Vilken dag rensas filtret?", "Vilket år beslutades policyn?", "Inom vilken frist ...?": the word names the kind of
# value asked for (the shape's date or duration), which the answer gives as "varje söndag", "2019" or "senast 35
# dagar", not the word itself: no focus either.
ASKED_TIME_WORDS = frozenset(
    """
    dag dagar datum datumet år årtal månad månader vecka veckor veckodag veckodagar klockslag frist fristen
    tidsfrist tidsfristen tidsram tidsramen tidsfönster tidsfönstret tidsperiod tidsperioden tidsgräns tidsgränsen
    """.split()
)
# An attributive adjective by its ending ("maximal", "formell", "obligatoriska", "privata", "högsta", "digitala",
# "registrerad") or a few common ones without one: before a noun it is not what a question asks about, the noun is
# ("Vilken maximal löptid ...?" asks about the löptid). Not "extra": "Hur mycket extra betalt ...?" asks about the
# extra pay (an OB supplement), which pay in general does not answer.
ADJECTIVE_FORM = re.compile(
    r"(?:ig|lig|isk|ell|al|iv|är|ös|bar|sam|erad|sta|ste)(?:a|t|e)?$|^(?:egen|eget|egna|ny|nya|nytt|privat|privata)$"
)
# ... but many nouns end so too ("personal", "material", "modell", "lista"): when the next word may be a verb
# ("Vilken personal ansvarar ...?", "Vilket material behövs ...?", "... används ...?"), the first word stays the
# focus. A plural noun in -er / -ar ("nya platser") is kept out with the verbs.
VERB_LIKE_ENDING = re.compile(r"(?:r|s|de|te)$")
# Category words a question asks about in general ("vilka egenskaper", "vilket organ"): the
# answer names instances, not the word, so they are no focus that the passage must contain.
CATEGORY_WORDS = frozenset(
    """
    egenskap egenskaper organ område områden del delar typ typer slag sätt roll roller uppgift uppgifter aktör
    aktörer instans instanser part parter omständighet omständigheter skäl anledning anledningar fall exempel
    steg åtgärd åtgärder information dokument möjlighet möjligheter faktorer faktor principer princip
    problem risk risker svårighet utmaning utmaningar fördel fördelar nackdel nackdelar syfte syften mål
    tid tider tidpunkt period sak saker något förutsättning förutsättningar kriterium kriterier
    """.split()
)
AMOUNT_QUESTION = re.compile(
    r"\bhur\s+(?:många|mycket|stor|stort|stora|hög|högt|höga|gammal|gamla)\b|\bvad\s+(?:kostar|betalar)\b|\bkostnad|"
    r"\bpris\b|\bbelopp|\bavgift\w*\s+(?:är|för)\b|\bantal\b|\bper\s+(?:\w+\s+)?(?:timme|dygn|månad|år)\b|"
    r"\bi\s+kronor\b|\bvilken\s+(?:lön|månadslön|timlön|budget)\b|"
    # A temperature is a measured value too: "Hur varmt ska tvätten vara?", "Vägglöss – hur varmt ska jag tvätta?",
    # "Vilken temperatur ska kylen ha?"; not a clause inside another question ("Hur ofta ska de mäta hur kallt
    # det är i kylen?" asks how often).
    r"(?:^|(?<=[.!?:–-]))\s*(?:och\s+)?hur\s+(?:varm|varmt|varma|kall|kallt|kalla)\b|\bvilken\s+temperatur\b",
    re.IGNORECASE,
)
# "Vem bestämmer hur mycket hemtjänst jag får?", "Får kommunen begränsa hur många företag som släpps in?": an amount
# that a verb of deciding governs is what is decided, not what is asked (AMOUNT_QUESTION and COUNT_QUESTION read the
# question without it). Not a verb of knowing: "Vet du hur mycket det kostar?" asks for the sum.
DECIDED_AMOUNT = re.compile(
    r"\b(?:bestämm\w*|avgör\w*|besluta\w*|begräns\w*|reglera\w*|påverka\w*|styr|styra)\s+(?:om\s+)?"
    r"hur\s+(?:många|mycket|stor|stort|stora|hög|högt|höga)\b",
    re.IGNORECASE,
)
# "Vem ..." may start any sentence of the question: "Vi har använt hjärtstartaren. Vem måste få veta det?"
# ("När ..." may not: "Jag sitter i fullmäktige. När räknas jag som jävig?" asks for conditions, not a date.)
_SENTENCE_START = r"(?:^|(?<=[.!?:])\s+)\s*"
# Nor does "När" before a verb of counting as or being needed: "När räknas man som underviktig?", "När
# krävs tillstånd?" ask in which case, and are answered by a condition ("BMI under 20"), not a point in
# time. ("När får/kan/måste/gäller ..." stay: "När får jag svar?", "När måste ansökan vara inne?".)
_CONDITION_VERB = r"(?:räknas|anses|bedöms|klassas|definieras|krävs|behövs)\b"
# "När är en ledamot jävig?", "När blir kommunen skyldig att ...?", "När är det tillåtet att direktupphandla?": a
# state of duty, right or fault asks on what conditions, not at what time.
_CONDITION_STATE = (
    r"\s+(?:är|blir)\b[^?]*?\b(?:jävig\w*|skyldig\w*|berättigad\w*|behörig\w*|tillåt(?:en|et|na)|förbjud(?:en|et|na)|"
    r"ansvarig\w*|straffbar\w*|olaglig\w*|ogiltig\w*)\b"
)
# "När kommunen upphandlar städning, kan vi kräva ...?" asks no time: its "när" opens a clause that sets the
# scene, and the question is the clause after the comma, whose verb comes first.
_WHEN_CLAUSE = r"[^,?]+,\s*(?:kan|får|ska|skall|måste|bör|är|har|gäller|finns|vem|vad|vilk\w+|hur|vart?)\b"
DATE_QUESTION = re.compile(
    rf"^\s*(?:och\s+)?när\b(?!\s+{_CONDITION_VERB})(?!{_CONDITION_STATE})(?!{_WHEN_CLAUSE})|\bvilket\s+(?:år|datum)\b|"
    r"\bvilken\s+(?:dag|månad)\b",
    re.IGNORECASE,
)
EXACT_DATE_QUESTION = re.compile(r"\bvilket\s+(?:år|datum)\b|\bvilken\s+(?:dag|månad)\b", re.IGNORECASE)
# "Senast när ...?", "När senast ...?": a deadline, asked for both as a length of time and as how soon.
_DEADLINE_QUESTION = r"\bsenast\s+när\b|\bnär\s+senast\b"
DURATION_QUESTION = re.compile(
    r"\bhur\s+(?:länge|ofta|snabbt|tidigt|snart)\b|\bhur\s+lång\w*\b|\binom\s+vilke[nt]\s+(?:tid|tids\w+|frist)\b|"
    + _DEADLINE_QUESTION
    + "|"
    # A question that opens with a time limit it asks for: "Vilken uppsägningstid gäller ...?", "Svarstid vid
    # dynamisk rangordning?" (not "... röker på arbetstid", where the -tid word is no limit asked for).
    r"^\W*(?:(?:vilken|vilka|vad\s+är)\s+(?:\w+\s+)?)?(?!(?:fri|fram|sam|nu|då|öppet|besöks|mottagnings|telefon)tid)\w{3,}(?:s?tid|frist)(?:en|er)?\b"
    r"(?!\s+på\s+dygnet)",
    re.IGNORECASE,
)
# "Vilken tid på dygnet görs bytet?", "Senast vilken tid ska beställningen vara inne?": a time of day.
CLOCK_QUESTION = re.compile(
    # Not a bare "vilken tid": "Vilken tid gäller för att överklaga?" asks for a time limit.
    r"\btid\s+på\s+dygnet\b|\bsenast\s+vilken\s+tid\b|\bvilken\s+tid\s+(?:börjar|slutar|öppnar|stänger|kommer)\b|"
    r"\bvilka\s+tider\b|\bnär\s+på\s+dagen\b|\bvilket\s+klockslag\b|\bhur\s+dags\b|"
    r"\b(?:öppet|besöks|mottagnings|telefon)tid\w*",  # opening hours are times of day, not a length of time
    re.IGNORECASE,
)

NAME_QUESTION = re.compile(
    r"\bvad\s+heter\b|\bvilket\s+namn\b|\bvem\s+vann\b|\bvem\s+är\s+(?:\w+\s+)?(?:ordförande|generaldirektör|"
    r"kommundirektör|kommunalråd|ledamot|vd|rektor|minister)\b",
    re.IGNORECASE,
)
# "Vem kan få personlig assistans?", "Vilka har rätt till färdtjänst?", "Vem får lämna ett medborgarförslag?", "Vem
# omfattas av LSS?": who may receive or do something is a group described by what its members are or need ("den som
# är folkbokförd i kommunen", "personer med utvecklingsstörning", "65 år eller äldre"), not an actor.
# ("Vem får lämna ut handlingen?" and "Vem får besluta om ...?" ask for an actor.)
ELIGIBILITY_QUESTION = re.compile(
    # ("Vem ska söka LSS-stöd för ett barn?" asks who acts for the child: "ska" only before "få" or "beviljas".)
    _SENTENCE_START + r"(?:och\s+)?(?:vem|vilka)\s+(?:som\s+)?(?:(?:kan|får)\s+(?:få|söka|ansöka|beviljas|bli|"
    r"lämna(?!\s+ut)|väcka)\b|ska\s+(?:få|beviljas)\b|har\s+rätt\s+(?:till|att)\b|(?:kan\s+|ska\s+)?omfattas\b|"
    r"gäller\s+(?:\w+\s+){0,3}?för\b)|"
    r"\bför\s+vem\s+gäller\b|\bvem\s+(?:vänder|riktar)\s+sig\s+\w+\s+till\b",
    re.IGNORECASE,
)

# "Vem omfattas av LSS?", "Vilka har rätt till ...": the answer is a group of people, not an actor.
WHO_QUESTION = re.compile(
    # "Vilka" asks who only before a verb or a noun for people and bodies: "Vilka krav ...", "Vilka påföljder
    # ..." and "Vilka tjänsteområden ..." ask what.
    _SENTENCE_START + r"(?:och\s+)?(?:vem|vilka(?=\s+(?:är|var|har|ska|skall|får|kan|måste|bör|brukar|bestämmer|"
    r"beslutar|ansvarar|äger|gör|utför|sköter|deltar|sitter|ingår|företräder|leder)\b|\s+(?:\w+\s+)?\w*(?:företag|leverantörer|"
    r"utförare|aktörer|parter|myndigheter|nämnder|instanser|roller|organisationer|chefer|tjänstemän|"
    r"politiker|yrkesgrupper|befattningar)\b)|vilken\s+(?:nämnd|instans|aktör|part|myndighet))\b"
    r"(?!\s+(?:som\s+)?(?:omfattas|har\s+rätt|kan\s+få|kan\s+beviljas|tillhör)\b)",
    re.IGNORECASE,
)
# "Vem ska jag ringa?", "Vem måste få veta det?", "Till vem ska vi rapportera?", "Vart skickar jag den?": whom
# to contact. The answer names someone as the one contacted ("kontakta sjuksköterska", "Enhetschef ska
# meddelas", "ringer du Södertörns brandförsvar"), not only someone who acts (shape.contacts).
CONTACT_QUESTION = re.compile(
    r"\b(?:vem|vilka|vilken)\b[^?]*?\b(?:ring\w*|kontakt(?:a|ar|as)?|meddela\w*|informera\w*|underrätta\w*|anmäl\w*|"
    r"rapportera\w*|vänd\w*|hör\w*\s+av|larma\w*|få\s+veta|berätta\w*)\b|\btill\s+vem\b|"
    r"\bvart\s+(?:ska|skall|kan|vänder|skickar|skickas)\b",
    re.IGNORECASE,
)

# "Vem ska jag ringa?", "Vem ringer vi?", "Vem ska hon höra av sig till?": the asker (or whom the question is about)
# contacts, and "vem" is whom, not who acts ("Vem ska meddela köket?" asks who does it). The question is then no
# who-question (Shape.who): a company, a number or a unit to phone answers as well as a role word. Measured on the
# who-questions that also ask whom to contact: held out (109 who-questions) citation precision 0.444 -> 0.468, key
# recall 0.435 -> 0.435, 6 answers better and 1 worse; training (138) 0.442 -> 0.452 and 0.576 -> 0.576, 3 better.
ASKER_CONTACTS = re.compile(r"\bvem\b(?:\s+\w+){0,2}?\s+(?:jag|vi|man|du|ni|hon|han|hen|de|dom)\b", re.IGNORECASE)

# "Vilka hemtjänstföretag är godkända ...?", "Vilken leverantör vann ...?": the answer names companies.
ORGANISATION_QUESTION = re.compile(
    _SENTENCE_START + r"(?:och\s+)?vilk(?:a|en|et)\s+(?:\w+\s+)?\w*(?:företag|leverantör|leverantörer|utförare|bolag|"
    r"anbudsgivare|konsultbolag)\b",
    re.IGNORECASE,
)
# "Vem har ansvaret, kommunen eller företaget?": the answer is one the question names.
ALTERNATIVES = re.compile(r"\beller\b", re.IGNORECASE)

# A question whether something may be done ("Får jag ta emot presenter?", "Kan man byta utförare?", "Är det okej
# att ...?", "Går det att ...?"), or whether one is entitled to it ("Har jag rätt att läsa min mammas akt?", "Har
# man rätt till en fast kontaktperson?"), is answered by the rule that allows, forbids or grants it (PERMISSION),
# which "ska" and "måste" (OBLIGATION) do not always name: "Rökning är inte tillåtet på eget rum."
PERMISSION_QUESTION = re.compile(
    r"^\W*(?:och\s+)?(?:får|kan|går\s+det\s+att|är\s+det\s+(?:tillåtet|okej|ok|förbjudet|lagligt|möjligt)|"
    r"har\s+(?:\w+\s+){1,3}?rätt\s+(?:till|att))\b",
    re.IGNORECASE,
)

# A question about how things stand at this moment: the queue, the companies approved, a threshold "just nu".
# Governance documents state rules and figures of a date; the model does not rescue a near miss for such a
# question (extractive.rescuable), only a passage the word rules support answers it.
LIVE_QUESTION = re.compile(r"\b(?:just\s+nu|för\s+närvarande|i\s+dagsläget|för\s+tillfället|i\s+dag|idag)\b", re.I)
# Where a question of several parts turns to the next one: before "och vad/vem/hur ..." (after a comma or a dash
# too) and after a question mark with more to come. shape.question_parts cuts there.
PART_BOUNDARY = re.compile(
    r"(?:\s*[,;]\s*|\s+[–-]\s+|\s+)(?=och\s+(?:vad|vem|vilka|vilken|vilket|hur|när|varför|var)\b)|"
    r"\s+[–-]\s+(?=(?:vad|vem|vilka|vilken|vilket|hur|när)\b)|(?<=\?)\s+(?=\S)",
    re.IGNORECASE,
)
# A part asks when it is a question: it ends with a question mark, or its last sentence opens with a question word
# ("... valde ett annat företag. Hur begär jag överprövning") or a verb ("Kan jag lämna ett förslag"); not what the
# asker tells before a dash ("Vi har bett om ett SIP-möte – hur snabbt ...?").
PART_ASKS = re.compile(
    r"\?\s*$|(?:^|[.!:]\s+)\W*(?:och\s+)?(?:vad|vem|vilka|vilken|vilket|hur|när|varför|var|vart|kan|får|måste|"
    r"finns|är|har|ska|skall|gäller|behöver|bör|går|blir|gör)\b(?!.*[.!:]\s)",
    re.IGNORECASE,
)
MULTI_PART = re.compile(r"\boch\s+(?:vad|vem|vilka|vilken|vilket|hur|när|varför|var)\b|\?.+\?", re.IGNORECASE)
MUST_QUESTION = re.compile(
    r"\bvad\s+ska\b|\bvilka\s+krav\b|\bkrav\b|\bmåste\b|\bfår\s+(?:en|man|kommunen|nämnden)\b", re.IGNORECASE
)
# Words for "a sanction" in general: a question for them is answered by the sanction itself (böter, vite, ...).
SANCTION_CATEGORY = re.compile(r"(?:påföljd|sanktion|straff|konsekvens|följd)", re.IGNORECASE)
# Words for "a requirement" in general: "Vilka krav finns på informationen?" is answered by what the
# information "ska" be, not by a sentence that happens to contain the word "krav".
REQUIREMENT_CATEGORY = re.compile(r"(?:krav|villkor|regler|regel|bestämmelse)", re.IGNORECASE)
# A penalty asked for by its everyday name ("Vad blir straffet ...?", "Kan kommunen få böter om ...?"): a sanction
# question and one for the consequence outright, which "kan dömas för mottagande av muta" (what the offence is)
# does not answer.
_PENALTY_BY_NAME = r"\bstraff(?:et|en|avgift\w*)?\b|\bstraffas\b|\bböter\b"
SANCTION_QUESTION = re.compile(
    r"sanktion|vite|brist|inte\s+lever\s+upp|inte\s+följer|misskött|häv|avauktoris|åtgärd|varning|"
    # a question for the consequence: "Vad händer om ...", "Vad riskerar kommunen ...", "Vilka följder får det ..."
    r"\bvad\s+händer\s+om\b|\brisker\w*|\bföljd(?:er|erna)?\b|\bkonsekvens\w*|\bpåföljd\w*|"
    # ... the condition told first: "Och om jag ändå röstar, vad händer då?", "hasch i väskan, vad händer?", and
    # "Vad händer med passet om jag glömmer att ringa?"
    r"\bvad\s+händer\s+(?:då|sen|sedan)\b|\bvad\s+händer\s*(?:[?–—-]|$)|\bvad\s+händer\s+med\s+(?:\w+\s+){1,3}?om\b|"
    # ... "Händer det något med kommunen då?", "Händer det något om de dröjer?"
    r"\bhänder\s+(?:det\s+)?något\b|"
    # ... and in everyday words: "Vad kan kommunen göra om företaget inte sköter sig?" (not "Vad kan jag
    # göra om ...", a question for one's own recourse: a complaint, an appeal)
    r"\bvad\s+kan\s+(?!(?:jag|man|du|vi\s+själva)\b)(?:\w+\s+){1,3}?göra\s+(?:om|när|åt)\b|\binte\s+sköter\s+sig\b|\bsköter\s+sig\s+inte\b|"
    # ... and by its name in everyday words
    + _PENALTY_BY_NAME,
    re.IGNORECASE,
)

# A question for what can be done to a party that fails, asked outright: it is answered only by a sentence
# that names a consequence (SANCTION_WORDS: a warning, a fine, termination, an injunction, ...). Not "Vad händer
# om jag inte orkar välja?", whose answer (the ickevalsalternativ) is no sanction, nor "Vad kan jag göra om ...?",
# a question for one's own recourse.
CONSEQUENCE_QUESTION = re.compile(
    r"\bvad\s+kan\s+(?!(?:jag|man|du|vi)\b)\w+(?:\s+\w+){0,2}?\s+göra\s+(?:om|när|åt)\b|\binte\s+sköter\s+sig\b|"
    r"\bsköter\s+sig\s+inte\b|\bvad\s+riskerar\b|\bvilka\s+(?:påföljder|sanktioner|konsekvenser)\b|" + _PENALTY_BY_NAME,
    re.IGNORECASE,
)

# "Hur många läkare jobbar på ...?", "Hur många dagar är avtalsspärren?": a count of a thing, answered by a
# number of that thing ("10 dagar", "tio kalenderdagar", "tre vårdvalssystem"), not by any figure in the
# passage (a telephone number, "2 timmar"). The one or two words after "hur många" name the thing.
COUNT_QUESTION = re.compile(r"\bhur\s+många\s+(?:av\s+)?(\w+)(?:\s+(\w+))?", re.IGNORECASE)
# "Hur många av personalen ...?" counts some of a group: its members by any name, or a share of it.
PARTITIVE_COUNT = re.compile(r"hur\s+många\s+av\b", re.IGNORECASE)

# "Är dagverksamheten gratis?", "Blir det avgiftsfritt?": whether it is free (MONEY_QUESTION, WHETHER_IT_COSTS).
_FREE_QUESTION = r"\b(?:är|blir)\b[^?]*\b(?:gratis|kostnadsfri\w*|avgiftsfri\w*)[?]"
# A question for a sum of money ("i kronor", "Vad kostar ...", "Hur mycket betalar ...") is answered only
# by a sum: kronor, a share (procent) or the prisbasbelopp; a year, a section number or "4 timmar" is none.
MONEY_QUESTION = re.compile(
    # "Hur stor kan den avgiften bli?" asks for the sum; "Påverkar sparpengar hur hög avgiften blir?" does not.
    # The sum may be a compound's head: "Hur stor är milersättningen?", "Hur mycket OB-tillägg får jag?", "Hur mycket
    # friskvårdsbidrag får vi?" (a supplement and an allowance are sums of money too).
    r"(?:^|[,:;]\s*)(?:och\s+|men\s+)?hur\s+(?:stor|stort|stora|hög|högt|höga|mycket)\b.*(?:avgift(?:en|er|erna)?|"
    r"ersättning(?:en|ar|arna)?|tillägg(?:et|en)?|bidrag(?:et|en)?|vite[nt]?|kostnad(?:en|er|erna)?|pris(?:et|er)?|"
    r"belopp(?:et)?|lön(?:en)?|taxa[n]?|arvode[tn]?)\b|"
    # ... asked the other way round, as typed on a phone ("friskvårdsbidrag hur mycket?"), or by what one earns or
    # is charged ("Vad tjänar en assistent?", "Vad tar ni betalt per sida?").
    r"(?:avgift|ersättning|tillägg|bidrag|arvode|lön)\w*\s+hur\s+(?:mycket|stor|stort|hög|högt)\b|\bvad\s+tjänar\b|"
    r"\b(?:vad|hur\s+mycket)\b[^?]*\bta[r]?\s+(?:\w+\s+){0,3}?betalt\b|"
    r"\bi\s+kronor\b|\bhur\s+många\s+kronor\b|\bvad\s+(?:kostar|betalar)\b|\bhur\s+mycket\s+(?:kostar|betalar)\b|"
    # "Hur dyr julgåva får man ta emot?" asks for a sum; "Kostar anhörigstödet något?" and "Är dagverksamheten
    # gratis?" ask for one or for its absence (MONEY_EVIDENCE: "kostnadsfritt", "ingen avgift").
    r"\bhur\s+dyr[at]?\b|\bkostar\b[^?]*\bnågot\b|" + _FREE_QUESTION + "|"
    r"\bvilket\s+belopp\b|\bvilken\s+summa\b|"
    # The wage asked for ("Vad är timlönen?", "Vilken lön har ..."), not named in passing ("Får jag ersättning för
    # lönen jag går miste om?" asks whether one is compensated).
    r"\b(?:tim|månads)lön(?:en)?\b|\b(?:vad|vilken)\b[^?]*\blön(?:en)?\b|\btim(?:ersättning|pris)\w*\b",
    re.IGNORECASE,
)

RATE_QUESTION = {
    unit: re.compile(rf"\b(?:per|i|varje)\s+(?:utförd\s+|påbörjad\s+|enskild\s+)?(?:{asked})\b", re.IGNORECASE)
    for unit, (asked, _) in RATE_UNITS.items()
}

# "Kostar korttidsvistelsen något?", "Är dagverksamheten gratis?": whether it costs, not how much. That it costs
# nothing answers it (PRICE_WITHOUT_FIGURE), and so does that a fee is charged or someone pays, figure or not
# (FEE_CHARGED: "Vid korttidsvistelse ... tas avgift ut för kost", "Du betalar själv för maten").
WHETHER_IT_COSTS = re.compile(r"\bkostar\b[^?]*\b(?:något|nåt)\b|" + _FREE_QUESTION, re.IGNORECASE)

# "Hur lång tid har vi på oss att gå till domstol?", "Inom vilken tid ska planen vara upprättad?": a time limit,
# answered by a length of time ("inom tre veckor", "senast en månad efter"), not by a bound: "så länge
# upphandlingen annonseras" or "tills vidare" answer how long something lasts ("Hur länge gäller beslutet?"),
# not how long one has. Every gold passage of the sets' ten such questions states a length.
LIMIT_QUESTION = re.compile(r"\bhur\s+lång\s+tid\b|\binom\s+(?:vilken|hur\s+lång)\s+tid\b|\btidsfrist", re.IGNORECASE)

FREQUENCY_QUESTION = re.compile(r"\bhur\s+ofta\b", re.IGNORECASE)

# "Hur lång tid får kommunen ta på sig?", "Hur länge får det dröja?" ask how long one may wait, so how soon:
# "skyndsamt" answers them. ("Hur lång tid tar det innan ...?" asks for a length of time.)
PROMPTNESS_QUESTION = re.compile(
    r"\bhur\s+(?:snabbt|snart|tidigt)\b|"
    + _DEADLINE_QUESTION
    + r"|\bhur\s+(?:lång\s+tid|länge)\s+(?:får|kan)\b[^?]*\b(?:ta|dröja)\b",
    re.IGNORECASE,
)

ASKS_WHAT_OR_WHY = re.compile(r"\b(?:syfte\w*|varför|vad\s+(?:är|innebär|betyder)|till\s+för)\b", re.IGNORECASE)

ASKS_FOR_CONTACT_DETAILS = re.compile(
    r"\b(?:adress\w*|telefon\w*|nummer|numret|mejl\w*|e-post\w*|organisationsnummer|bankgiro|webbplats\w*|"
    r"hemsida\w*|växel\w*|besöksadress\w*|postadress\w*)\b",
    re.IGNORECASE,
)

TRANSITION_QUESTION = re.compile(
    r"\bträ(?:der|dde|tt|da)\b[^?]*?\bi\s+kraft|\bikraftträd\w*|\bövergång\w*|\bbörja\w*\s+(?:att\s+)?gälla|"
    r"\bgäll\w*\s+(?:från|fr\.o\.m\.?)|\b(?:sedan|från(?:\s+och\s+med)?)\s+när\b|"
    r"\bgamla\s+(?:lagen|reglerna|socialtjänstlagen)|"
    r"\bupphäv\w*|\bupphör\w*",
    re.IGNORECASE,
)

ASKS_ABOUT_THE_DOCUMENT = re.compile(
    r"\b(?:gäller|tillämpas)\b[^?]*\b(?:policy|rutin|riktlinje|dokument|program|plan)\w*|"
    r"\b(?:policy|rutin|riktlinje|dokument|program|plan)\w*\b[^?]*\b(?:gäller|tillämpas)\b|"
    r"\bomfatta[rs]\b[^?]*\b(?:policy|rutin|riktlinje|dokument|program|plan)\w*|\bsyfte\w*|\bvad\s+(?:handlar|beskriver|innehåller|tar)\b|\bvad\s+(?:gäller|omfattar)\s+(?:rutinen|riktlinjen|"
    r"policyn|dokumentet|programmet|planen)\b",
    re.IGNORECASE,
)

# A question about a document's decision lines: who decided or owns it, what it replaces, how long it applies.
ASKS_ABOUT_THE_DECISION = re.compile(
    r"\b(?:beslutat|beslutade|beslutades|fastställ\w*|antog|antogs|antagit|antagen|reviderad\w*|giltig\w*)\b|"
    r"\bdokumentansvarig|\bersätter\b|\bersatt\w*",
    re.IGNORECASE,
)
# ... or whether it is in force, said of a document the question names ("Gäller rutinen fortfarande?", "Är policyn
# aktuell?"): alone the words ask what applies ("vilka tider gäller då?"), which no decision line tells.
IN_FORCE = re.compile(r"\bgäller\b|\baktuell\w*", re.IGNORECASE)

# A governance document named in a question ("kostpolicyn", "rutinen för ...", "riktlinjerna").
DOCUMENT_WORD = re.compile(
    r"\w*(?:policy|rutin|riktlinje|styrdokument|dokumentet|program|reglemente|överenskommelse|instruktion)\w*",
    re.IGNORECASE,
)

# "Vad är maxtaxan?", "Vad innebär ett resursuppdrag?", "Vad menas med egen regi?": a question for what a term
# means, the term being the rest of the question (one to three words; "Vad är syftet med programmet för ..." asks
# for something else). The group `term` holds it.
DEFINITION_QUESTION = re.compile(
    r"^(?:och\s+)?vad\s+(?:är|innebär|betyder|menas\s+med|avses\s+med|räknas\s+som)\s+(?:egentligen\s+)?"
    r"(?:en\s+|ett\s+|de\s+)?(?P<term>[\w-]+(?:\s+[\w-]+){0,2})\s*\?\s*$",
    re.IGNORECASE,
)

DEFINITION_TERM_END = frozenset("enligt i för hos på inom vid av om till när".split())
# "Vad är syftet med förbehållsbeloppen?", "Vad är skillnaden mellan LOU och LOV?" ask what something is for or how
# two differ, not what a word means.
NOT_A_DEFINED_TERM = frozenset("syfte syftet mål målet meningen poängen skillnad skillnaden".split())
