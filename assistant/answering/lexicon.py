"""Swedish word lists for answering: function words, generic words, actors, cues.

Kept as data so that the rules stay readable; the stems are Snowball Swedish stems
(or plain lowercase words where noted).
"""

from __future__ import annotations

import re

ABSTAIN_TEXT = "Jag hittar inget stöd för det i de indexerade dokumenten."

# Function words and question words: never content terms (lowercase surface forms).
STOPWORDS = frozenset(
    """
    och i att det som en på är av för med till den har de inte om ett han hon men var jag sig från vi
    så kan man när säga under också efter eller nu sin där vid mot ska skall skulle hade kunna bli blir
    blev här då ut upp in över än sedan vara varit vad vem vems vilken vilket vilka hur varför varifrån
    vart denna detta dessa dem deras dess sitt sina min mitt mina din ditt dina vår vårt våra er ert era
    oss mig dig honom henne något någon några inget ingen inga allt annan annat andra samma sådan
    sådant sådana mycket många fler flera mest mer mindre bara även dock både samt utan genom enligt
    inom mellan hos bland åt via får fick måste bör borde kunde kommer finns fanns
    ha få går gå gick sker skett själv själva faktiskt dels ur ta nämn ge beskriv förklara säger står anger
    sägs brukar se ut egentligen t ex bl a o s v d
    års sig ju väl mm etc alltså just redan ännu aldrig alltid ofta ibland emellertid eftersom
    hej hejsan undrar undrade undra
    nån nåt nåra nånting sån sånt såna
    du ni hen hens henom dom mej dej sej hans hennes
    ändå kanske nog igen väldigt riktigt verkligen jätte gärna liksom innan medan tills hit dit därför
    """.split()
)
# ("nån", "nåt", "sån" ...: how people write "någon", "något", "sådan" in a question. The pronouns and adverbs
# of the last two lines are as empty: "Måste jag ändå ha flera samtal innan hen kan avslutas?" asks about
# samtal and avslut; "du" and "ni" are everywhere in routines written to their reader; "hans fötter" and
# "hennes journal" ask about feet and the journal, as "deras" does.)

# "hur länge / hur stor ...": these ask for a kind of fact (see the shapes below), not about a topic.
HOW_WORDS = frozenset(
    "länge ofta mycket många stor stort stora lång långt långa gammal gamla hög högt höga snart tidigt sent "
    "dyr dyrt dyra".split()
)

# Words that ask for the sum itself ("Vad kostar avlösning?", "Upp till vilket belopp får man direktupphandla?"): the
# sentence with the figure need not repeat them to say what its figure is of ("Avlösning är avgiftsfri upp till 15
# timmar per månad").
SUM_ASKING_WORDS = frozenset("kostar kosta kostade kostat belopp beloppet summa summan".split())

# Generic content words: they count, but at half weight, and never as the question's focus.
GENERIC = frozenset(
    """
    problem sätt typ typer slag slags sort sorts sorter sorters former exempel del fall fråga frågor verksamhet
    verksamheten verksamheter
    gäller gälla innebär innebära betyder betyda skapa skapar bygger bygga hänvisar hänvisa åstadkomma gör göra
    ske sker hända händer handlar fungera fungerar behöver viktig viktigt viktiga olika lägga sköta sköter
    ordna ordnar arbete arbetet gjort gjorde gjorts görs
    """.split()
)

# Words that name the municipality or region in general: context, not content.
PLACE_GENERIC = frozenset(
    "kommun kommunen kommuns kommunens kommuner region regionen landsting sverige svensk svenska".split()
)

# Acronyms users write for the laws and issuers, and the words documents use instead.
ALIASES: dict[str, tuple[str, ...]] = {
    "lov": ("valfrihetssystem", "2008:962"),
    "lou": ("offentlig upphandling", "2016:1145"),
    "luf": ("upphandling inom försörjningssektorerna", "2016:1146"),
    "kl": ("kommunallag",),
    "kommunallagen": ("kl",),
    "sol": ("socialtjänstlag",),
    "socialtjänstlagen": ("sol",),
    "lss": ("stöd och service till vissa funktionshindrade",),
    "hsl": ("hälso- och sjukvårdslag",),
    # Authorities and functions the laws name in full ("Inspektionen för vård och omsorg" in SoL, never "IVO").
    "ivo": ("inspektionen för vård och omsorg",),
    "mas": ("medicinskt ansvarig sjuksköterska",),
    "hvb": ("hem för vård eller boende",),
    "skr": ("skl", "sveriges kommuner och regioner", "sveriges kommuner och landsting"),
    "skl": ("skr", "sveriges kommuner och landsting"),
    "kundval": ("valfrihetssystem", "valfrihet"),
    "kundvalssystem": ("valfrihetssystem",),
    "företag": ("utförare", "leverantör"),
    "leverantör": ("utförare",),
    "politikerna": ("fullmäktige", "nämnden", "politiker"),
    "sanktioner": ("vite", "viten", "prisavdrag", "hävning", "avauktorisering", "varning"),
    "sanktion": ("vite", "prisavdrag", "hävning", "avauktorisering"),
}
# The verbs of a document's decision line, for "Vem har beslutat om ...?" / "När antogs ...?" (answering only:
# as thesaurus words they would widen the search of every question about a decision).
_DECIDED = ("beslutat", "beslutad", "beslutades", "antagen", "antaget", "antogs", "fastställd", "fastställt")
ALIASES.update({verb: tuple(v for v in _DECIDED if v != verb) for verb in (*_DECIDED, "beslutade", "antog", "antagit")})

# Actors: a "vem"-answer should name one that the question does not already name. Matched on words (the
# stemmer cuts compounds oddly: "kostenheten" -> "kosten"): a word that starts like an actor, or a compound whose
# head is one ("omsorgschef", "Kost- och måltidsenheten", "sjuksköterskan", "verksamhetsansvarig").
_ACTOR_STARTS = """
    nämnd socialnämnd fullmäkt kommunfullmäkt regionfullmäkt styrels kommunstyrels beställar utförar medborg brukar[en]
    huvudm myndighet förvaltning leverantör politik revisor tjänstem kommun region landsting inspektion ivo mas
    läkar personal medarbetar arbetsgivar arbetsledar samordnar kontaktperson anhörig närstående förvaltar
    vårdnadshavar polis räddningstjänst domstol förvaltningsrätt kammarrätt överförmyndar länsstyrels socialtjänst
    hemtjänst omsorgspersonal vårdgivar vårdcentral regering riksdag konkurrensverk upphandlingsmyndighet
    socialstyrels ordförand administratör koordinator planerar kurator dietist vaktmästar fastighetsskötar
    hyresvärd bovärd brandförsvar larmcentral kontaktcenter jurist ombud assistent
""".split()
# ("Kökspersonalen städar varumottagningen", "nattpersonal", "timvikarien": staff named by what they do.)
_ACTOR_HEADS = """
    chef direktör nämnd styrelse enhet handläggare sköterska läkare ansvarig terapeut personal vikarie
""".split()
# Something that may be an actor though no lexicon word is: an acronym ("BE", "MAS") or a capitalised word
# inside a sentence ("Familjeläkarna", "Adda"); not an acronym that starts a compound ("IT-konsult", "LSS-boende"),
# nor the first word of a list's item ("lead: Informera om ...; Möjliggöra att ...").
NAMED_ACTOR = re.compile(r"\b[A-ZÅÄÖ]{2,}\b(?!-\w)|(?<![.!?:;]\s)(?<!^)\b[A-ZÅÄÖ][a-zåäöé]{2,}")
ACTOR_WORD = re.compile(
    r"\b(?:(?:" + "|".join(_ACTOR_STARTS) + r")\w*|\w*(?:" + "|".join(_ACTOR_HEADS) + r")\w{0,4}|"
    r"\w*jour(?:en|er|erna)?)\b",  # "BE-jouren", "nattjour"; not "journal"
    re.IGNORECASE,
)

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
# Category words a question asks about in general ("vilka egenskaper", "vilket organ"): the
# answer names instances, not the word, so they are no focus that the passage must contain.
CATEGORY_WORDS = frozenset(
    """
    egenskap egenskaper organ område områden del delar typ typer slag sätt roll roller uppgift uppgifter aktör
    aktörer instans instanser part parter omständighet omständigheter skäl anledning anledningar fall exempel
    steg åtgärd åtgärder information dokument möjlighet möjligheter faktorer faktor principer princip
    problem risk risker svårighet utmaning utmaningar fördel fördelar nackdel nackdelar syfte syften mål
    tid tider tidpunkt period sak saker något
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
    r"\bhur\s+(?:länge|ofta|snabbt|tidigt|snart)\b|\bhur\s+lång\w*\b|\binom\s+vilken\s+tid\b|"
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
CLOCK_EVIDENCE = re.compile(
    r"\b(?:kl\.?|klockan)\s*\d|\b\d{1,2}[.:]\d{2}\b|\b(?:dagtid|kvällstid|nattetid|dygnet\s+runt|förmiddag\w*|"
    r"eftermiddag\w*|morgon\w*|kväll\w*|natt\w*|lunch\w*)\b|"
    r"\b\d{1,2}\s*[-–]\s*\d{1,2}\b(?!\s*(?:§|kap))",  # "vardagar 8-17"
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
ELIGIBILITY_EVIDENCE = re.compile(
    r"\b(?:den|de|dem|personer|person|alla|envar|barn|vuxna|ungdomar|äldre|enskilda?|brukare|sökande|medborgare|"
    r"invånare|kommuninvånare|leverantörer|företag)\s+(?:som|med)\b|\bvar\s+och\s+en\b|\bfolkbokförd|\bbosatt|"
    r"\bår\s+eller\s+äldre\b|\bfyllt\s+\d+|\bomfatta[rs]?\b|\bpersonkrets|\brätt\s+till\b|\bhar\s+rätt\b|\bberättigad|"
    r"\bvänder\s+sig\s+till\b|\briktar\s+sig\s+till\b|\bmålgrupp",
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
# The verbs of contacting, as words of a unit (lowercase): "hör"/"höra" only before "av" (shape.contacts).
CONTACT_VERB = re.compile(
    r"(?:ring(?:a|er|s|de|t)?|kontakt(?:a|ar|as|ade|at|en)?|meddela\w*|informera\w*|underrätta\w*|anmäl\w*|"
    r"rapportera\w*|larma\w*|tillkalla\w*|skicka\w*|vänd(?:er|a)?|berätta\w*|avisera\w*|hör|höra)"
)
# "Vilka hemtjänstföretag är godkända ...?", "Vilken leverantör vann ...?": the answer names companies.
ORGANISATION_QUESTION = re.compile(
    _SENTENCE_START + r"(?:och\s+)?vilk(?:a|en|et)\s+(?:\w+\s+)?\w*(?:företag|leverantör|leverantörer|utförare|bolag|"
    r"anbudsgivare|konsultbolag)\b",
    re.IGNORECASE,
)
# "Vem har ansvaret, kommunen eller företaget?": the answer is one the question names.
ALTERNATIVES = re.compile(r"\beller\b", re.IGNORECASE)
# Laws by their abbreviations: capitals, but no one who acts.
LAW_ABBREVIATIONS = frozenset("LOV LOU LUF LUK KL SOL SoL LSS HSL FL OSL PDL GDPR SFS EU".split())
# Names that are no company: a public body ("Socialstyrelsens nationella brukarundersökning", "Inspektionen",
# "Försäkringskassan", "IVO") or the country ("Sveriges yngsta befolkning"). "Vilka hemtjänstföretag kan jag välja?"
# and "Vilket företag vann upphandlingen?" are not answered by a sentence that names only these.
PUBLIC_BODY_NAME = re.compile(
    r"\w*(?:styrelse|verk|myndighet|inspektion|kassa|nämnd|kommun|region|departement|domstol|rätt)(?:n|en|et|ens|ets)?s?|"
    r"sveriges?|ivo|skr|skl|eu|regeringen?s?",
    re.IGNORECASE,
)
# A question whether something may be done ("Får jag ta emot presenter?", "Kan man byta utförare?", "Är det okej
# att ...?", "Går det att ...?"), or whether one is entitled to it ("Har jag rätt att läsa min mammas akt?", "Har
# man rätt till en fast kontaktperson?"), is answered by the rule that allows, forbids or grants it (PERMISSION),
# which "ska" and "måste" (OBLIGATION) do not always name: "Rökning är inte tillåtet på eget rum."
PERMISSION_QUESTION = re.compile(
    r"^\W*(?:och\s+)?(?:får|kan|går\s+det\s+att|är\s+det\s+(?:tillåtet|okej|ok|förbjudet|lagligt|möjligt)|"
    r"har\s+(?:\w+\s+){1,3}?rätt\s+(?:till|att))\b",
    re.IGNORECASE,
)
PERMISSION = re.compile(
    r"\b(?:får|tillåt\w*|förbjud\w*|rätt\s+(?:att|till)|medge\w*|okej|aldrig|undantagsvis|endast|enbart)\b", re.I
)
# A question about how things stand at this moment: the queue, the companies approved, a threshold "just nu".
# Governance documents state rules and figures of a date; the model does not rescue a near miss for such a
# question (extractive.rescuable), only a passage the word rules support answers it.
LIVE_QUESTION = re.compile(r"\b(?:just\s+nu|för\s+närvarande|i\s+dagsläget|för\s+tillfället|i\s+dag|idag)\b", re.I)
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

MONTHS = "januari februari mars april maj juni juli augusti september oktober november december"
NUMBER_WORDS = (
    "en ett två tre fyra fem sex sju åtta nio tio elva tolv hundra tusen miljon miljoner hälften procent kronor kr"
)
# A digit glued to a word is a footnote mark ("läkarorganisation1", "kommunallagen[3]"), not a number.
_FOOTNOTE_MARK = r"(?<=[a-zåäöé])\d{1,2}\b|(?<=[a-zåäöé])\[\d{1,2}\]"
# An SFS number, a chapter or a section: "(2017:725)", "6 kap.", "3-4 §§", "§ 117".
_LEGAL_REFERENCE = r"\(?\d{4}:\d+\)?|\b\d+(?:\s*[-–]\s*\d+)?\s*(?:kap\.|§)|§\s*\d+"
# Numbers that are references, not amounts: footnote marks, SFS numbers, sections, dates, years.
NOT_AMOUNT = re.compile(
    _FOOTNOTE_MARK + "|" + _LEGAL_REFERENCE + r"|\b\d{4}-\d{2}(?:-\d{2})?\b|\b(?:19|20)\d{2}\b|\bdnr\b[^,;)]*"
)
# "Hur många läkare jobbar på ...?", "Hur många dagar är avtalsspärren?": a count of a thing, answered by a
# number of that thing ("10 dagar", "tio kalenderdagar", "tre vårdvalssystem"), not by any figure in the
# passage (a telephone number, "2 timmar"). The one or two words after "hur många" name the thing.
COUNT_QUESTION = re.compile(r"\bhur\s+många\s+(?:av\s+)?(\w+)(?:\s+(\w+))?", re.IGNORECASE)
# A number as a count: digits (an ordinal "8:e" too) or a number word from "två" ("en", "ett" are mostly
# articles: "en läkare" is no count of doctors), then up to two words before the thing.
COUNT_NUMBER = re.compile(
    r"(?:\b\d+(?::[ae])?|\b(?:" + "|".join(NUMBER_WORDS.split()[2:14]) + r"))\s+((?:[\w-]+\s+){0,2}[\w-]+)",
    re.IGNORECASE,
)
NOT_DATE = re.compile(_LEGAL_REFERENCE + r"|\bdnr\b[^,;)]*|\b[A-ZÅÄÖ]{2,}\s*\d{4}/\d+")
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
# A question for a sum per something ("per utförd timme", "per mandat", "i månaden") is answered by a sum
# per that same thing: "28 procent av prisbasbeloppet" is no price per hour. Each unit: how a question
# names it, and how a text states a sum per it ("per timme", "kr/tim", "timpris", "månadsavgift").
_PER = r"(?:per|i|varje|om|/)\s*(?:\w+\s+)?"
_SUM_WORD = r"(?:pris|taxa|avgift|ersättning|lön|kostnad|belopp|bidrag)"
RATE_UNITS = {
    "timme": (r"tim(?:me|men)", rf"{_PER}tim(?:me|men|mar)?\b|/\s*(?:tim|h)\b|\btim{_SUM_WORD}"),
    "dygn": (r"dygn(?:et)?", rf"{_PER}dygn(?:et)?\b|\bdygns{_SUM_WORD}"),
    "dag": (r"dag(?:en)?", rf"{_PER}dag(?:en)?\b|/\s*dag\b|\bdag{_SUM_WORD}"),
    "vecka": (r"veck(?:a|an)", rf"{_PER}veck(?:a|an)\b|\bvecko{_SUM_WORD}"),
    "månad": (r"månad(?:en)?", rf"{_PER}månad(?:en)?\b|/\s*mån\b|\bmånads{_SUM_WORD}|\bmånatlig"),
    "år": (r"år(?:et)?", rf"{_PER}år(?:et)?\b|/\s*år\b|\bårs{_SUM_WORD}|\bårlig"),
    "besök": (r"besök(?:et)?", rf"{_PER}besök(?:et)?\b|\bbesöks{_SUM_WORD}"),
    "mandat": (r"mandat(?:et)?", rf"{_PER}mandat(?:et)?\b|\bmandat{_SUM_WORD}"),
    "mil": (r"mil(?:en)?|kilometer", rf"{_PER}(?:mil(?:en)?|kilometer|km)\b|\bmil{_SUM_WORD}"),
}
RATE_QUESTION = {
    unit: re.compile(rf"\b(?:per|i|varje)\s+(?:utförd\s+|påbörjad\s+|enskild\s+)?(?:{asked})\b", re.IGNORECASE)
    for unit, (asked, _) in RATE_UNITS.items()
}
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
# "Kostar korttidsvistelsen något?", "Är dagverksamheten gratis?": whether it costs, not how much. That it costs
# nothing answers it (PRICE_WITHOUT_FIGURE), and so does that a fee is charged or someone pays, figure or not
# (FEE_CHARGED: "Vid korttidsvistelse ... tas avgift ut för kost", "Du betalar själv för maten").
WHETHER_IT_COSTS = re.compile(r"\bkostar\b[^?]*\b(?:något|nåt)\b|" + _FREE_QUESTION, re.IGNORECASE)
FEE_CHARGED = re.compile(
    r"\b(?:tas|tar)\b[^.;]{0,40}\b(?:avgift|hyra|egenavgift)\w*|\b(?:avgift|hyra|egenavgift)\w*\b[^.;]{0,60}\b(?:tas|tar)\s+"
    r"(?:\w+\s+)?ut\b|\bbetala[rs]?\s+(?:\w+\s+){0,3}?(?:för|själv|avgift\w*|hyra)\b|\bavgiftsbelag\w*|\bdebiter\w*|"
    r"\bstår\s+(?:\w+\s+){0,2}?för\s+(?:\w+\s+)?kostnad\w*",
    re.IGNORECASE,
)
AMOUNT_EVIDENCE = re.compile(r"\d|\b(?:" + "|".join(NUMBER_WORDS.split()[2:]) + r")\b|%", re.IGNORECASE)
_YEAR_OR_DATE = r"\b(?:19|20)\d{2}\b(?!:)|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\s+(?:" + "|".join(MONTHS.split()) + r")\b"
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
# "Hur lång tid har vi på oss att gå till domstol?", "Inom vilken tid ska planen vara upprättad?": a time limit,
# answered by a length of time ("inom tre veckor", "senast en månad efter"), not by a bound: "så länge
# upphandlingen annonseras" or "tills vidare" answer how long something lasts ("Hur länge gäller beslutet?"),
# not how long one has. Every gold passage of the sets' ten such questions states a length.
LIMIT_QUESTION = re.compile(r"\bhur\s+lång\s+tid\b|\binom\s+(?:vilken|hur\s+lång)\s+tid\b|\btidsfrist", re.IGNORECASE)
LENGTH_EVIDENCE = re.compile(_LENGTH, re.IGNORECASE)
FREQUENCY_QUESTION = re.compile(r"\bhur\s+ofta\b", re.IGNORECASE)
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
# "Hur lång tid får kommunen ta på sig?", "Hur länge får det dröja?" ask how long one may wait, so how soon:
# "skyndsamt" answers them. ("Hur lång tid tar det innan ...?" asks for a length of time.)
PROMPTNESS_QUESTION = re.compile(
    r"\bhur\s+(?:snabbt|snart|tidigt)\b|"
    + _DEADLINE_QUESTION
    + r"|\bhur\s+(?:lång\s+tid|länge)\s+(?:får|kan)\b[^?]*\b(?:ta|dröja)\b",
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
ASKS_WHAT_OR_WHY = re.compile(r"\b(?:syfte\w*|varför|vad\s+(?:är|innebär|betyder)|till\s+för)\b", re.IGNORECASE)
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
ASKS_FOR_CONTACT_DETAILS = re.compile(
    r"\b(?:adress\w*|telefon\w*|nummer|numret|mejl\w*|e-post\w*|organisationsnummer|bankgiro|webbplats\w*|"
    r"hemsida\w*|växel\w*|besöksadress\w*|postadress\w*)\b",
    re.IGNORECASE,
)
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
TRANSITION_QUESTION = re.compile(
    r"\bträ(?:der|dde|tt|da)\b[^?]*?\bi\s+kraft|\bikraftträd\w*|\bövergång\w*|\bbörja\w*\s+(?:att\s+)?gälla|"
    r"\bgäll\w*\s+(?:från|fr\.o\.m\.?)|\b(?:sedan|från(?:\s+och\s+med)?)\s+när\b|"
    r"\bgamla\s+(?:lagen|reglerna|socialtjänstlagen)|"
    r"\bupphäv\w*|\bupphör\w*",
    re.IGNORECASE,
)
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
DEFINITION_TERM_END = frozenset("enligt i för hos på inom vid av om till när".split())
# "Vad är syftet med förbehållsbeloppen?", "Vad är skillnaden mellan LOU och LOV?" ask what something is for or how
# two differ, not what a word means.
NOT_A_DEFINED_TERM = frozenset("syfte syftet mål målet meningen poängen skillnad skillnaden".split())

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

# Superseded acts that older texts cite, and what replaced them (Swedish, for notes).
SUPERSEDED_ACTS: dict[str, str] = {
    "1991:900": "kommunallagen (1991:900) är upphävd och ersatt av kommunallagen (2017:725)",
    "2001:453": "socialtjänstlagen (2001:453) är upphävd och ersatt av socialtjänstlagen (2025:400)",
    "2007:1091": "LOU (2007:1091) är upphävd och ersatt av lagen (2016:1145) om offentlig upphandling",
}
