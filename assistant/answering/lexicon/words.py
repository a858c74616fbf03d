"""Swedish word lists and shared constants for answering: function words, generic words, aliases, actors,
laws' abbreviations, months, number words, the units of a sum per something, the abstain text, superseded acts.

Kept as data so that the rules stay readable; the stems are Snowball Swedish stems
(or plain lowercase words where noted). The patterns that read a question are in `questions`, those that read a
passage in `evidence`; both build on these.
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

MONTHS = "januari februari mars april maj juni juli augusti september oktober november december"
NUMBER_WORDS = (
    "en ett två tre fyra fem sex sju åtta nio tio elva tolv hundra tusen miljon miljoner hälften procent kronor kr"
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

# Superseded acts that older texts cite, and what replaced them (Swedish, for notes).
SUPERSEDED_ACTS: dict[str, str] = {
    "1991:900": "kommunallagen (1991:900) är upphävd och ersatt av kommunallagen (2017:725)",
    "2001:453": "socialtjänstlagen (2001:453) är upphävd och ersatt av socialtjänstlagen (2025:400)",
    "2007:1091": "LOU (2007:1091) är upphävd och ersatt av lagen (2016:1145) om offentlig upphandling",
}
