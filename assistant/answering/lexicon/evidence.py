"""Patterns and word sets that read a PASSAGE or evidence sentence: what it states (an obligation, a permission, a
sanction, a time, a sum, a count, a group, a contact, a definition ...), what only looks like such evidence
(footnote marks, legal references, a heading's number), and what is no evidence at all (sentences about the
document itself, letterheads, signature forms, placeholders, web addresses, transitional provisions, text
addressed to a language model).

What a question asks for is in `questions`; the word lists both use are in `words`.
"""

from __future__ import annotations

import re

from assistant.answering.lexicon.words import MONTHS, NUMBER_WORDS, RATE_UNITS

SANCTION_WORDS = re.compile(
    r"sanktion|vite|viten|prisavdrag|varning|anmärkning|åtgärdsplan|häv|avauktoris|avregistrer|återkall|uppsäg|"
    r"säga upp|mister|"
    # ... and the consequences laws and routines name
    r"särskild\s+avgift|skadeavgift|böter|fängelse|förlorar|disciplinär|arbetsrättslig|ogiltig|skadestånd|"
    r"förelägg|återbetal|påföljd",
    re.IGNORECASE,
)

# What states an obligation, or its absence: "Måste kommunen ha ett valfrihetssystem?" is answered by "LOV ... är
# frivillig för kommuner men tvingande för regionerna".
OBLIGATION = re.compile(
    r"\b(ska|skall|måste|åligger|ansvarar|skyldig\w*|krävs|obligatorisk\w*|tvingande|frivillig[at]?)\b", re.IGNORECASE
)

# A sentence that starts like this continues the thought of the one before it.
CONTINUATION_START = re.compile(
    r"^(?:[\"”»(\-–•›*\s]*)(nästa|därefter|ytterst|dessutom|sedan|slutligen|vidare|därför|detta|dessa|denna|"
    r"det\s+(?:kan|innebär|betyder|gäller)|även|också|till\s+sist|(?:\w+\s+){1,2}(?:denna|detta|dessa)|"
    r"(?:de|han|hon)\s+(?:ska|skall|kan|har|måste|får|bör)|där)\b",
    re.IGNORECASE,
)

CLOCK_EVIDENCE = re.compile(
    r"\b(?:kl\.?|klockan)\s*\d|\b\d{1,2}[.:]\d{2}\b|\b(?:dagtid|kvällstid|nattetid|dygnet\s+runt|förmiddag\w*|"
    r"eftermiddag\w*|morgon\w*|kväll\w*|natt\w*|lunch\w*)\b|"
    r"\b\d{1,2}\s*[-–]\s*\d{1,2}\b(?!\s*(?:§|kap))",  # "vardagar 8-17"
    re.IGNORECASE,
)

ELIGIBILITY_EVIDENCE = re.compile(
    r"\b(?:den|de|dem|personer|person|alla|envar|barn|vuxna|ungdomar|äldre|enskilda?|brukare|sökande|medborgare|"
    r"invånare|kommuninvånare|leverantörer|företag)\s+(?:som|med)\b|\bvar\s+och\s+en\b|\bfolkbokförd|\bbosatt|"
    r"\bår\s+eller\s+äldre\b|\bfyllt\s+\d+|\bomfatta[rs]?\b|\bpersonkrets|\brätt\s+till\b|\bhar\s+rätt\b|\bberättigad|"
    r"\bvänder\s+sig\s+till\b|\briktar\s+sig\s+till\b|\bmålgrupp",
    re.IGNORECASE,
)

# The verbs of contacting, as words of a unit (lowercase): "hör"/"höra" only before "av" (shape.contacts).
CONTACT_VERB = re.compile(
    r"(?:ring(?:a|er|s|de|t)?|kontakt(?:a|ar|as|ade|at|en)?|meddela\w*|informera\w*|underrätta\w*|anmäl\w*|"
    r"rapportera\w*|larma\w*|tillkalla\w*|skicka\w*|vänd(?:er|a)?|berätta\w*|avisera\w*|hör|höra)"
)

PERMISSION = re.compile(
    r"\b(?:får|tillåt\w*|förbjud\w*|rätt\s+(?:att|till)|medge\w*|okej|aldrig|undantagsvis|endast|enbart)\b", re.I
)

# A digit glued to a word is a footnote mark ("läkarorganisation1", "kommunallagen[3]"), not a number.
_FOOTNOTE_MARK = r"(?<=[a-zåäöé])\d{1,2}\b|(?<=[a-zåäöé])\[\d{1,2}\]"
# An SFS number, a chapter or a section: "(2017:725)", "6 kap.", "3-4 §§", "§ 117".
_LEGAL_REFERENCE = r"\(?\d{4}:\d+\)?|\b\d+(?:\s*[-–]\s*\d+)?\s*(?:kap\.|§)|§\s*\d+"
# Numbers that are references, not amounts: footnote marks, SFS numbers, sections, dates, years.
NOT_AMOUNT = re.compile(
    _FOOTNOTE_MARK + "|" + _LEGAL_REFERENCE + r"|\b\d{4}-\d{2}(?:-\d{2})?\b|\b(?:19|20)\d{2}\b|\bdnr\b[^,;)]*"
)

# A number as a count: digits (an ordinal "8:e" too) or a number word from "två" ("en", "ett" are mostly
# articles: "en läkare" is no count of doctors), then up to two words before the thing.
COUNT_NUMBER = re.compile(
    r"(?:\b\d+(?::[ae])?|\b(?:" + "|".join(NUMBER_WORDS.split()[2:14]) + r"))\s+((?:[\w-]+\s+){0,2}[\w-]+)",
    re.IGNORECASE,
)
NOT_DATE = re.compile(_LEGAL_REFERENCE + r"|\bdnr\b[^,;)]*|\b[A-ZÅÄÖ]{2,}\s*\d{4}/\d+")

RATE_EVIDENCE = {unit: re.compile(said, re.IGNORECASE) for unit, (_, said) in RATE_UNITS.items()}
# A price said without a figure: that it costs nothing, or what it is part of. It answers what something costs
# (MONEY_EVIDENCE) and stands for the figure a question for an amount of money asks for (shape.type_ok).
_PRICE_WITHOUT_FIGURE = (
    # That it costs nothing answers what it costs.
    r"\b(?:kostnadsfri|avgiftsfri|avgiftsbefri|gratis)\w*|\butan\s+(?:kostnad|avgift)|\b(?:ingen|inte\s+(?:någon\s+)?)(?:avgift|kostnad)|"
    r"\bkosta[r]?\s+(?:inget|ingenting|inte)\b|\b(?:avgift|ersättning)\w*\b[^.]{0,80}\binte\s+tas\s+ut\b|"
    # So does a price named without a figure: the cost price, or a fee it is part of ("ingår i hemtjänstavgiften").
    r"\bsjälvkostnad\w*|\bingår\s+i\s+(?:\w+\s+)?\w*(?:avgift|taxa|pris|hyra)\w*"
)
PRICE_WITHOUT_FIGURE = re.compile(_PRICE_WITHOUT_FIGURE, re.IGNORECASE)
MONEY_EVIDENCE = re.compile(
    r"\d\s*(?:kr\b|kronor|sek\b|:-|tkr|mkr|miljon|miljard|%|procent)|\bprisbasbelopp|\b(?:"
    + "|".join(NUMBER_WORDS.split()[2:])
    + r")\s+(?:tusen\s+|miljoner\s+)?kronor\b|"
    + _PRICE_WITHOUT_FIGURE,
    re.IGNORECASE,
)

# That a fee is charged or someone pays, figure or not ("Vid korttidsvistelse ... tas avgift ut för kost", "Du
# betalar själv för maten"): it answers whether something costs (questions.WHETHER_IT_COSTS).
FEE_CHARGED = re.compile(
    r"\b(?:tas|tar)\b[^.;]{0,40}\b(?:avgift|hyra|egenavgift)\w*|\b(?:avgift|hyra|egenavgift)\w*\b[^.;]{0,60}\b(?:tas|tar)\s+"
    r"(?:\w+\s+)?ut\b|\bbetala[rs]?\s+(?:\w+\s+){0,3}?(?:för|själv|avgift\w*|hyra)\b|\bavgiftsbelag\w*|\bdebiter\w*|"
    r"\bstår\s+(?:\w+\s+){0,2}?för\s+(?:\w+\s+)?kostnad\w*",
    re.IGNORECASE,
)
# A share said as a fraction: "hälften av ordinarie personalstyrka", "en sjättedel av brukarna", "två tredjedelar".
_FRACTION = r"\bhälft\w*|\b(?:tredje|fjärde|femte|sjätte|sjunde|åttonde|nionde|tionde)del(?:ar|en|arna|s)?\b"
AMOUNT_EVIDENCE = re.compile(r"\d|\b(?:" + "|".join(NUMBER_WORDS.split()[2:]) + r")\b|%|" + _FRACTION, re.IGNORECASE)
# A day of the month, as routines name a monthly deadline: "Senast den 3:e i varje månad", "den 5:e", "den 14 varje
# månad" (not "1:a KP", the first contact person).
_DAY_OF_MONTH = (
    r"\b(?:den|senast)\s+\d{1,2}:[ae]\b|\b\d{1,2}(?::[ae])?\s+(?:i\s+)?(?:varje|var|varannan)\s+månad|"
    r"\bden\s+\d{1,2}(?::[ae])?\s+i\s+månaden\b"
)
_YEAR_OR_DATE = (
    r"\b(?:19|20)\d{2}\b(?!:)|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\s+(?:"
    + "|".join(MONTHS.split())
    + r")\b|"
    + _DAY_OF_MONTH
)
# "Vilken dag beställer vi maten?" is answered by a day of the week ("Verksamheten beställer mat varje fredag").
_WEEKDAY = r"\b(?:mån|tis|ons|tors|fre|lör|sön)dag(?:en|ar|arna)?\b"
EXACT_DATE_EVIDENCE = re.compile(_YEAR_OR_DATE + "|" + _WEEKDAY, re.IGNORECASE)
DATE_EVIDENCE = re.compile(
    _YEAR_OR_DATE + "|" + _WEEKDAY + r"|\b(?:" + "|".join(MONTHS.split()) + r")\b|"
    r"\b(?:inför|innan|före|efter|senast|i samband med|mandatperiod\w*|årlig\w*|varje|tills vidare|löpande|"
    r"dag|vecka|månad|år)\b",
    re.IGNORECASE,
)
# What a question about time asks for, and what answers it. "Hur lång tid / hur länge / Vilken uppsägningstid"
# asks for a length of time: a count of a time unit ("fem (5) vardagar", "24 timmars", "tre veckor") or a
# bound ("tills vidare"). "Hur ofta" asks for a frequency ("två gånger per år", "varje månad", "regelbundet"),
# "Hur snabbt / senast när" for promptness ("skyndsamt", "utan dröjsmål", "senast", "inom"); either may also
# be answered by a length of time. Any digit, "år" or "minst" was once evidence for all three: it passed a
# third of all candidate units of such questions (e.g. "2 Inbjudan att ansöka ..." for how long one has to
# appeal); the kinds apart pass 13 % and keep 95 % of the gold units (qa_people, qa_dev, qa_extra, 32 questions).
_COUNT = (
    r"(?:\d+(?:[,.]\d+)?|en|ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|femton|tjugo|trettio|fyrtio|"
    r"femtio|sextio|nittio|hundra|några|ett\s+par|halvt?|hel)"
)
_TIME_UNIT = (
    r"(?:\w*dag(?:ar|en|arna)?|\w*veck(?:a|or|an|orna)|månad(?:er|en|erna)?|år(?:et|en)?|timm(?:e|ar|en|arna)|"
    r"minut(?:er|en)?|dygn(?:et)?|kvartal(?:et)?|sekund(?:er)?|mandatperiod(?:en|er)?)s?"  # "24 timmars"
)
_LENGTH = rf"\b{_COUNT}\s*(?:\(\d+\)\s*)?{_TIME_UNIT}\b|\d+\s*[-–]\s*\d+\s*{_TIME_UNIT}\b"
DURATION_EVIDENCE = re.compile(
    _LENGTH + r"|\b(?:tills\s+vidare|så\s+länge|fram\s+till|under\s+hela|tidsbegräns\w*)\b",
    re.IGNORECASE,
)

LENGTH_EVIDENCE = re.compile(_LENGTH, re.IGNORECASE)

# A frequency is "gång" as a word ("två gånger per år", "1 ggr/dag"), not inside "tillgång" or "genomgång";
# "var tredje dag" with its ordinal; not "minst" alone ("minst 18 år" is an age, "minst tre" a count).
_ORDINAL = r"(?:annan|andra|tredje|fjärde|femte|sjätte|sjunde|åttonde|nionde|tionde|tolfte|fjortonde|\d+:e)"
FREQUENCY_EVIDENCE = re.compile(
    rf"\b(?:gång(?:er)?|ggr|varje|var(?:t|annan)?\s+(?:{_ORDINAL}\s+)?{_TIME_UNIT}|per\s+{_TIME_UNIT}|årlig\w*|"
    r"regelbund\w*|löpande|kontinuerlig\w*|daglig\w*|månatlig\w*|veckovis|månadsvis|återkommande|vid\s+behov|"
    r"tertial\w*|"
    rf"kvartal\w*|halvår\w*)\b|/\s?{_TIME_UNIT}\b",
    re.IGNORECASE,
)

# "inom" is promptness with a time after it ("inom tre veckor", "inom given tidsplan"), not "inom regionen";
# "innan" and "före" only after a length ("två veckor innan", which is a length of time anyway).
PROMPTNESS_EVIDENCE = re.compile(
    # ("direkt" before a preposition is a route, not a time: "skickas direkt via mejl", "direkt till utföraren".)
    r"\b(?:skyndsam\w*|omedelbar\w*|genast|snarast\w*|utan\s+dröjsmål|så\s+snart|senast|samma\s+dag|"
    r"direkt(?!\s+(?:via|till|från|med|på|hos|mot|av|i|ut)\b)|"
    rf"i\s+förväg|i\s+god\s+tid|inom\s+(?:[\w()]+\s+){{0,3}}?(?:{_TIME_UNIT}|\w*tid\w*))\b",
    re.IGNORECASE,
)
# A heading's number ("4.6.2 Kommunen åtar sig ...") and a footnote mark ("dödsfallet25") are no count.
NOT_DURATION = re.compile(r"^\W*\d+(?:\.\d+)+\s|" + _FOOTNOTE_MARK)
NAME_EVIDENCE = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-ZÅÄÖ][a-zåäöé]+\s+[A-ZÅÄÖ][a-zåäöé]+")

# A sentence about the document itself ("Här kan du läsa om vad som gäller vid rökning", "Denna rutin beskriver
# ...") tells what the document covers, not what it says; it answers only a question about the document's
# purpose or scope.
# "I det här materialet kan du bland annat läsa om ...", "I denna rutin beskrivs ...": the same, with the document
# as the place.
ABOUT_THE_DOCUMENT = re.compile(
    r"^\W*(?:här\s+(?:kan\s+du\s+läsa|får\s+du\s+(?:mer\s+)?information|finns\s+information|beskrivs)|"
    r"(?:denna|den\s+här|detta|det\s+här)\s+(?:rutin|riktlinje|policy|dokument|instruktion|program|plan|checklista|"
    r"vägledning|beskrivning|material|broschyr|skrift|handbok|rapport)\w*\s+(?:beskriver|redogör|innehåller|tydliggör|"
    r"handlar|uttrycker|sammanfattar|ger\s+information)|"
    r"(?:i|på)\s+(?:denna|den\s+här|detta|det\s+här)\s+(?:rutin|riktlinje|policy|dokument|instruktion|program|plan|"
    r"checklista|vägledning|beskrivning|material|broschyr|skrift|handbok|rapport|sida|webbsida)\w*\s+(?:kan\s+du\s+"
    r"(?:bland\s+annat\s+|också\s+)?läsa|får\s+du\s+(?:veta|läsa|information)|finns\s+information|beskrivs|redovisas|"
    r"presenteras))",
    re.IGNORECASE,
)
# ... or whom and when it applies to: "Rutinen gäller för myndighet, utförare ...", "Rutinen ska tillämpas när ...".
# Such a sentence is context for the rule after it ("Policyn gäller för utförare ... Utföraren ska ha ..."), so
# only a unit that says nothing else is about the document.
SCOPE_OF_THE_DOCUMENT = re.compile(
    r"^\W*(?:rutinen|riktlinjen|riktlinjerna|policyn|dokumentet|programmet|planen|instruktionen)\s+"
    r"(?:gäller\s+för|omfattar|(?:ska\s+)?tillämpas|riktar\s+sig)",
    re.IGNORECASE,
)
# "Syftet med rutinen är att säkerställa att ...": what the document is for. It tells what something is or why it
# is done, not how, who, when or whether one may ("Får jag ge en present till personalen?" is not answered by what
# the guideline on gifts is for; of the 882 training questions, one gold answer is such a sentence, to "Vad är lex
# Sarah?").
# So does a sentence that says why the routine was made: "För att underlätta för boende har denna rutin tagits
# fram", "För att möjliggöra ett snabbt agerande har vi en rutin som alla berörda ska följa", "Rutinen syftar till".
_DOCUMENT_WORD = r"(?:rutin|riktlinje|policy|dokument|instruktion|checklista|plan|program|beskrivning|vägledning)\w*"
DOCUMENT_PURPOSE = re.compile(
    r"^(?:\W*syftet\s+med\s+(?:denna\s+|den\s+här\s+|detta\s+|det\s+här\s+)?" + _DOCUMENT_WORD + r"\s+är\b|"
    r"\W*(?:denna\s+|den\s+här\s+|detta\s+|det\s+här\s+)?" + _DOCUMENT_WORD + r"\s+syftar\s+till\b|"
    r".*?\b(?:denna|den\s+här|detta|det\s+här)\s+" + _DOCUMENT_WORD + r"\s+(?:har\s+)?(?:tagits|togs)\s+fram\b|"
    r".*?\bhar\s+vi\s+(?:en|denna|den\s+här)\s+" + _DOCUMENT_WORD + r"\s+som\b)",
    re.IGNORECASE,
)

# A document's decision lines glued into a sentence where a PDF lost the line break ("... registrerar din frånvaro i
# Dokumentet är beslutat av: [Verksamhetschefen Hemtjänsten] Dokumentet beslutades den: [2024-02-26]"): the capital
# of "Dokumentet" inside the text is the start of a line that was.
GLUED_DECISION_LINE = re.compile(
    r"(?<=\S)\s+Dokumentet\s+(?:är\s+beslutat\s+av|beslutades\s+den|gäller\s+tills?\s*vidare|ersätter)\b"
)
# A web address and little else ("- Källa (original): https://botwebb.botkyrka.se/download/..."): where a document
# came from, not what it says.
WEB_ADDRESS = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
SOURCE_LABEL = re.compile(r"\W*(?:källa|källor|länk|hämtad\s+från|source)\b[^:]{0,20}:", re.IGNORECASE)
# A letterhead or page footer ("Post Botkyrka kommun, 147 85 TUMBA | Besök Munkhättevägen 45 | Tel ...", "Org.nr
# 212000-2882 · Bankgiro ..."): the issuer's contact details, an answer only to a question for them.
LETTERHEAD = re.compile(r"\bOrg\.?\s?nr\b|\bBankgiro\b|\bPost(?:adress)?\b[^|·\n]{0,80}[|·]\s*Besök", re.IGNORECASE)

# An act's transitional provisions ("Övergångsbestämmelser": "2018:1155: Denna lag träder i kraft den 1 januari
# 2019; Den som före ikraftträdandet påbörjat ...") say from when and for whom an amendment applies; they share a
# question's words by chance ("beslut", "ansöka", "senast") and answer only a question about that (TRANSITION_QUESTION).
# Read at stop 46: 3 of the 882 training answers and 1 held-out answer opened with one, all wrong; no gold passage of
# any question set is in one.
TRANSITIONAL = re.compile(
    r"\b(?:denna|lagen|förordningen)\s+(?:lag\s+|förordning\s+)?träder\s+i\s+kraft\b|"
    r"\b(?:före|vid|efter)\s+ikraftträdandet\b",
    re.IGNORECASE,
)

# An act's note of the amendment that gave a paragraph its wording ("Lag (2022:273).", "Förordning (2020:565).") or of
# a paragraph repealed ("4 § Har upphävts genom lag (2017:616)."): it states nothing, and as a sentence beside the one
# that answers it rode along into the answer ("... får regionen dock medge fler byten [1]. Lag (2022:273) [1].").
_AMENDING_ACT = r"(?:lag|förordning)\s*\(\d{4}:\d+\)"
AMENDMENT_NOTE = re.compile(
    rf"\s*(?:\d+\s?[a-z]?\s+§\s+)?(?:{_AMENDING_ACT}|har\s+upphävts(?:\s+genom\s+{_AMENDING_ACT})?)\s*\.?\s*",
    re.IGNORECASE,
)
# The same note after the last sentence of a span ("... inte utbildar sig. Lag (2010:480)." ends a list's last item):
# passages.clean leaves it out of the rendered text. Written with its capital, as the acts write it.
TRAILING_AMENDMENT_NOTE = re.compile(r"(?<=[.;:!?])\s+(?:Lag|Förordning)\s*\(\d{4}:\d+\)\.?\s*$")

# A form to sign at the end of a routine ("Jag har tagit del av Hemtjänstens rutin ... och förstår dess innebörd.
# Datum. Namnteckning: Namnförtydligande"): what staff sign, not what the routine says.
SIGNATURE_FORM = re.compile(
    r"\bnamnförtydligande\b|\bnamnteckning\b|^\W*jag\s+har\s+(?:tagit\s+del\s+av|läst)\b", re.IGNORECASE
)
# A fill-in field of a template ("[Ange eventuella optioner ...]", "[Avropande myndighets namn]",
# "[Datum]"): what a drafter is to write, not what the document says.
PLACEHOLDER = re.compile(
    r"\[(?:ange|fyll\s+i|skriv|infoga|välj|beskriv)\b|"
    r"\[[^\]\n]{0,60}\b(?:namn|datum|belopp|organisationsnummer)\b[^\]\n]{0,60}\]",
    re.IGNORECASE,
)

# What a sentence that defines a term says beside it: "X är ...", "så kallad X", "med X avses ...".
DEFINING_AFTER = frozenset("är innebär betyder avser definieras kallas".split())
DEFINING_BEFORE = frozenset("kallad kallade kallat".split())
# After these a term is no subject that a definition speaks of ("även om LOV innebär", "reglerna om jäv är").
NOT_A_SUBJECT_AFTER = frozenset(
    "vad vilken vilket vilka om att eftersom när då som av för med i på till enligt från hos vid under".split()
)
# What "X är ..." goes on with when it says what X is: an article or pronoun, or "när"/"att" ("Jäv är när ...").
DEFINIENS_START = frozenset("en ett den det de när att sådan sådant sådana".split())
DEFINING_VERB = frozenset("avses menas".split())

# Text inside a document that addresses a language model, not a reader: never evidence.
INJECTION = re.compile(
    r"ignorera\s+(?:alla\s+)?(?:tidigare|ovanstående|föregående)|ignore\s+(?:all\s+)?(?:previous|prior|above)|"
    r"(?:system\s*prompt|systemprompt)|du\s+är\s+(?:nu\s+)?en\s+(?:ai|språkmodell|assistent)|"
    r"svara\s+(?:endast|bara)\s+['\"”]|disregard\s+(?:all\s+)?(?:previous|prior)|"
    # A sentence telling its reader what to write: "Skriv att ...", "Also state that ..."
    r"(?:^|(?<=[.!?]\s)|(?<=\n))\s*(?:(?:skriv|svara|säg)\s+(?:också\s+|även\s+)?att|"
    r"(?:also\s+)?(?:state|say|answer|reply|write)\s+that)\b",
    re.IGNORECASE,
)
