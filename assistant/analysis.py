"""Swedish text analysis for lexical search: tokens, stopwords, Snowball stems and compound parts.

"sanktionstrappa" is indexed as its own stem plus "sanktion" and "trapp", so a query for
"sanktioner" finds it, and "uppföljningsplan" finds "uppföljning".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import Stemmer

_WORD = re.compile(r"[0-9a-zåäöéüæø]+(?:[-:][0-9a-zåäöéüæø]+)*", re.IGNORECASE)
_STEMMER = Stemmer.Stemmer("swedish")

# Function words and question words: they match everywhere and carry no topic.
STOPWORDS = frozenset(
    """
    och i att det som en på är av för med till den har de inte om ett men var sig så
    ska skall kan får bör vill måste kunna skulle vara blir bli blivit varit hade
    han hon vi ni dem deras dess detta denna dessa där här då nu när hur vad vem vilka vilken
    vilket vems varför var vart från ut upp över under efter före mot utan genom hos vid
    också även eller samt så än som sådan sådana alla allt andra annan annat mycket mer mest
    sin sitt sina min mitt mina din ditt dina vår vårt våra er ert era man någon något några
    ingen inget inga jag du mig dig oss er honom henne dem ju nog dock bara redan enligt
    mellan inom emot kring enl t.ex bl.a m.m osv eftersom därför om dels
    """.split()
)

# Changes whenever terms() would analyse a text differently, or the BM25 fields hold other text
# (search.passage_header): a BM25 index saved with another version is rebuilt.
ANALYSIS_VERSION = "2026-12-07"

# Linking morphemes between compound parts: "uppföljning-s-plan", "kvinno-jour", "gat-u-".
_LINKS = ("s", "")
_MIN_PART = 3


def tokenize(text: str) -> list[str]:
    """Lowercased word tokens; hyphenated forms kept whole and split ("e-post", "LSS-boende")."""
    tokens: list[str] = []
    for match in _WORD.finditer(text.lower()):
        word = match.group(0)
        if "-" in word or ":" in word:
            parts = [p for p in re.split(r"[-:]", word) if p]
            tokens.extend(parts)
            if ":" in word:
                tokens.append(word)  # SFS numbers: "2017:725"
        else:
            tokens.append(word)
    return tokens


# An agent noun in "-are" names a person ("utförare", "beställare", "läkare"); the stemmer cuts it to its verb
# ("utför", "beställ", "läk"), which "utföra", "utförs" and "utförande" stem to as well, and a question about the
# providers matched every sentence where something is carried out (the corpus has "utförare" 362 times in its
# forms, the verb and its noun 350 times). Its singular forms are kept as one term, "utförare"; a comparative in
# "-are" ("tidigare", "lättare") is kept whole too, no longer "tid" or "lätt". The definite plural "-arna" is
# also the plural of nouns in "-ar" ("dagarna", "handlingarna"): agent_plural says what it would be, and the
# caller decides by its vocabulary (Analyzer) or keeps both readings (answering.terms).
_AGENT = re.compile(r"([a-zåäöé]{3,})ar(?:e|en|ens|es)")
_AGENT_PLURAL = re.compile(r"([a-zåäöé]{3,})arnas?")
# Nouns in "-ar" whose definite form looks like an agent noun's: "sommaren" is the summer, not a "sommare" (65 times
# in the library, where "innan sommar" and "sommarpersonal" should meet it), "exemplaren" the copies.
_AR_NOUNS = frozenset({"sommar", "exemplar", "dollar", "hangar", "radar"})


def agent_noun(word: str) -> str | None:
    """ "utföraren", "utförarens", "utförares" -> "utförare"; None for a word of no agent noun's singular form."""
    m = _AGENT.fullmatch(word)
    return m.group(1) + "are" if m and m.group(1) + "ar" not in _AR_NOUNS else None


@lru_cache(maxsize=200_000)  # answering reads every word of every candidate unit with it, as with stem
def agent_plural(word: str) -> str | None:
    """ "utförarna", "utförarnas" -> "utförare", also "dagarna" -> "dagare": the agent noun it may be, or None."""
    m = _AGENT_PLURAL.fullmatch(word)
    return m.group(1) + "are" if m else None


# A noun or adjective in "-el" drops the "e" in its other forms: "cykel", "cykeln", "cyklar", "cyklarna";
# "nyckel", "nycklar"; "läkemedel", "läkemedlet"; "enkel", "enkla". The stemmer gives "cykel", "cykeln" and
# "cykl" ("läkemedel", "läkemedlet", "läkemedl"), so "jobbcykeln" missed "Cyklar utan vinterdäck" and
# "läkemedel" missed "läkemedlen". All become "cykl" ("läkemedl"): a stem of the shape E_DROPPED.
_CONSONANT = "[bcdfghjkmnpqrstvxz]"
_EL = re.compile(rf"(.{{2,}}{_CONSONANT})(?:eln?|let)")
E_DROPPED = re.compile(rf".{{2,}}{_CONSONANT}l")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    stemmed = agent_noun(word) or _STEMMER.stemWord(word)
    el = _EL.fullmatch(stemmed)
    return el.group(1) + "l" if el else stemmed


class Analyzer:
    """Turns text into index terms: stems of content words plus stems of compound parts.

    The compound dictionary is the set of words seen in the indexed corpus (frequent enough
    to be real words); it is saved with the index so queries are analysed the same way.
    """

    def __init__(self, vocabulary: Iterable[str] = ()):
        self.vocabulary = frozenset(vocabulary)
        self._split_cache: dict[str, tuple[str, ...]] = {}

    @classmethod
    def from_corpus(cls, texts: Iterable[str], min_count: int = 2) -> Analyzer:
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(t for t in tokenize(text) if len(t) >= 4 and not t.isdigit())
        vocab = {w for w, c in counts.items() if c >= min_count}
        return cls(vocab | _BASE_VOCABULARY)

    def terms(self, text: str) -> list[str]:
        out: list[str] = []
        for token in tokenize(text):
            if token in STOPWORDS or len(token) < 2:
                continue
            out.append(self.stem(self.base_form(token)))
            for part in self.split_compound(token):
                out.append(self.stem(part))
        return out

    def stem(self, word: str) -> str:
        """The word's term: its stem, or the agent noun of a plural the corpus has in the singular ("utförarna"
        -> "utförare" where the corpus says "utförare", "dagarna" -> "dag")."""
        plural = agent_plural(word)
        return plural if plural and plural in self.vocabulary else stem(word)

    def base_form(self, word: str) -> str:
        """ "överklagan" -> "överklaga" when the corpus has that word, so both stem alike.

        The Snowball stemmer leaves the "-an" of a noun made from a verb ("överklagan", "ansökan",
        "anmälan", "begäran") and of a definite noun ("skolan"), but takes the "-a" off the verb
        and the indefinite noun ("överklag"): a question with one form missed passages with the other.
        The corpus vocabulary decides, so a word that merely ends in "an" ("åtgärdsplan") stays.

        Measured and not kept (2026-12-03): the same for the definite "-et" the stemmer leaves on some neuter
        nouns ("boendet" / "boende", "ärendet", "kontraktet", "läkemedlet"; it strips "beslutet" itself). It
        changed 29 of 250 questions' terms, and cross-validated over corpus + library ranker R@5 went 0.729 ->
        0.720 and answers 0.551 -> 0.521 key recall, 0.538 -> 0.528 citation precision: "i stället" became
        "ställ" (ställa krav), and "på boendet" a common word where it had been a rare one.
        """
        if len(word) >= 6 and word.endswith("an") and word[:-1] in self.vocabulary:
            return word[:-1]
        return word

    def split_compound(self, word: str) -> tuple[str, ...]:
        """Known parts of a compound word ("sanktionstrappa" -> ("sanktion", "trappa")); () if none."""
        if len(word) < 2 * _MIN_PART + 1 or word.isdigit():
            return ()
        cached = self._split_cache.get(word)
        if cached is None:
            cached = self._split(word) or ()
            self._split_cache[word] = cached
        return cached

    def _split(self, word: str, depth: int = 0) -> tuple[str, ...] | None:
        if depth > 3:
            return None
        # Longest known head first, so "uppföljningsplan" splits as "uppföljning" + "plan".
        for cut in range(len(word) - _MIN_PART, _MIN_PART - 1, -1):
            head = word[:cut]
            if not self._known(head):
                continue
            rest = word[cut:]
            for link in _LINKS:
                if link and not rest.startswith(link):
                    continue
                tail = rest[len(link) :]
                if len(tail) < _MIN_PART:
                    continue
                if self._known(tail):
                    return (head, tail)
                deeper = self._split(tail, depth + 1)
                if deeper:
                    return (head, *deeper)
        return None

    def _known(self, part: str) -> bool:
        if part in STOPWORDS or part in _SUFFIXES:
            return False
        return len(part) >= _MIN_PART + 1 and (part in self.vocabulary or part in _BASE_VOCABULARY)


# A function word or a derivational suffix is no part of a compound. The vocabulary holds both: "före",
# "under", "till" as words, "ning", "ningen", "heter" as what PDF hyphenation leaves ("ersätt-\nningen"),
# and split by them "företagen" became "före" + "tagen" (terms "för", "tag"), "underlag" "under" + "lag",
# "ersättningen" "ersätt" + "ningen", "möjligheter" "möjlig" + "heter": 526 of the 5,789 split words of
# corpus + library. The answering side's compound_parts already keeps function words out.
_SUFFIXES = frozenset(
    """
    ning ningen ningar ningarna ningens ering eringen eringar eringarna erat erade erad erande
    het heten heter heterna ande andet ende endet else elsen elser skap skapet skapen lighet ligheten
    ligheter ighet igheten igheter isk iska iskt ism ist ister itet iteten
    """.split()
)


# Domain words that must always be recognised as compound parts, whatever the corpus.
_BASE_VOCABULARY = frozenset(
    """
    sanktion sanktioner trappa uppföljning plan program förfrågning underlag konkurrens
    neutralitet valfrihet system avtal kontrakt ersättning nivå nivåer utförare beställare
    kvalitet krav villkor insyn vite regi omsorg vård äldre hemtjänst tjänst boende stöd
    ledning ledare politik politiker ansvar fördelning styrning kommun region landsting
    nämnd fullmäktige social lag rätt tillsyn kontroll rapport rapportering avvikelse
    klagomål personal kompetens utbildning upphandling myndighet brukare medborgare
    """.split()
)


# Particles that a Swedish verb takes after it and its noun puts in front: "lämna ut" / "utlämnande", "säga
# upp" / "uppsägning", "lämna över" / "överlämna", "räkna ut" / "uträkning", "läggas ut" / "utläggning",
# "flytta in" / "inflyttning", "kräva av" / "avkräva". Not "till", "på", "om", "med": those are far more often
# prepositions ("flytta till", "beslut om"), and their compounds ("tillgång") would match the wrong words.
_PARTICLES = frozenset("ut upp in av över bort fram ner ned undan tillbaka".split())
_PARTICLE_VERB = re.compile(r"\b([a-zåäöé]{4,})\s+(" + "|".join(sorted(_PARTICLES)) + r")\b", re.IGNORECASE)


def particle_compounds(text: str) -> dict[str, str]:
    """The particle verbs of `text`, each verb -> its particle-first form ("lämna ut": "lämna" -> "utlämna"),
    which the documents' nouns start with ("utlämnandet av handlingar"). A noun before a preposition gives a
    form no document has ("banken in" -> "inbanken"), which matches nothing."""
    out: dict[str, str] = {}
    for verb, particle in _PARTICLE_VERB.findall(text):
        verb = verb.lower()
        if verb not in STOPWORDS:
            out.setdefault(verb, particle.lower() + verb)
    return out


# Swedish verbs whose forms the stemmer does not bring together: a vowel change ("bryter" / "bröt" / "brutit"),
# a changed stem ("väljer" / "valde" / "valt"), a participle ("antagen", "utsedd"). One verb a line,
# infinitive first. Auxiliaries and verbs too general to search by (vara, ha, göra, få, kunna) are left out, and
# so is a form that is also a common other word ("var", "låg" low, "lag" law, "steg" step, "drog" drug, "bad"
# bath, "band", "gången" the time, "åt", "far", "la", "sa").
_IRREGULAR_VERBS = """
    bryta bryter bröt brutit bruten brutet brutna
    skriva skriver skrev skrivit skriven skrivet skrivna
    ta tar tog tagit tagen taget tagna
    ge ger gav gett givit given givet givna
    välja väljer valde valt vald valda
    sälja säljer sålde sålt såld sålda
    säga säger sade sagt sagd sagda
    lägga lägger lade lagt lagd lagda
    sätta sätter satte satt satta
    dra drar dragit dragen draget dragna
    slå slår slog slagit slagen slaget slagna
    stå står stod stått
    gå går gick gått
    komma kommer kom kommit kommen kommet komna
    finna finner fann funnit funnen funnet funna
    hinna hinner hann hunnit
    vinna vinner vann vunnit vunnen vunnet vunna
    binda binder bundit bunden bundet bundna
    försvinna försvinner försvann försvunnit försvunnen
    driva driver drev drivit driven drivet drivna
    riva river rev rivit riven rivet rivna
    gripa griper grep gripit gripen
    slita sliter slet slitit sliten slitet slitna
    stiga stiger stigit
    vika viker vek vikit viken viket vikna
    skjuta skjuter sköt skjutit skjuten skjutet skjutna
    bjuda bjuder bjöd bjudit bjuden bjudet bjudna
    frysa fryser frös frusit frusen fruset frusna
    dricka dricker drack druckit drucken
    hålla håller höll hållit hållen hållet hållna
    falla faller föll fallit fallen fallet fallna
    låta låter lät låtit
    bära bär bar burit buren buret burna
    stjäla stjäl stal stulit stulen stulet stulna
    se ser såg sett sedd sedda
    dö dör dog dött död
    veta vet visste vetat
    sova sover sov sovit
    sitta sitter satt suttit
    be ber bett
    dölja döljer dolde dolt dold dolda
    heta heter hette hetat
    träda träder trädde trätt trädd
    flyga flyger flög flugit
    ljuga ljuger ljög ljugit
    förstå förstår förstod förstått
    besluta beslutar beslöt beslutat beslutad beslutade
"""


def _verb_rows(table: str) -> dict[str, tuple[str, ...]]:
    """Each form of the table -> all the forms of its verb (a form of two verbs, "satt", belongs to the first)."""
    rows: dict[str, tuple[str, ...]] = {}
    for line in table.strip().splitlines():
        row = tuple(dict.fromkeys(line.split()))
        for form in row:
            rows.setdefault(form, row)
    return rows


_VERB_ROWS = _verb_rows(_IRREGULAR_VERBS)
# The prefixes of compound verbs, longest first: "avbröt" is "av" + "bröt", "utsedd" "ut" + "sedd".
_VERB_PREFIXES = sorted(
    "över under upp till fram efter åter bort mot ned ner sam för av an be er in ut om".split(), key=len, reverse=True
)


def verb_forms(word: str) -> tuple[str, ...]:
    """The other forms, of three letters or more, of an irregular verb: "bryter" -> ("bryta", "bröt", "brutit",
    ...), "antogs" -> ("anta", "antar", "antagit", "antagen", ...), "utsedd" -> ("utse", "utser", "utsåg", ...);
    () for any other word."""
    w = word.lower()
    for candidate in (w, w[:-1] if w.endswith("s") and len(w) > 4 else None):  # the passive: "antogs", "valdes"
        if not candidate:
            continue
        row = _VERB_ROWS.get(candidate)
        if row and len(candidate) >= 3:
            return tuple(f for f in row if f != candidate and len(f) >= 3)
        for prefix in _VERB_PREFIXES:
            rest = candidate[len(prefix) :]
            if candidate.startswith(prefix) and len(rest) >= 2 and rest in _VERB_ROWS:
                return tuple(prefix + f for f in _VERB_ROWS[rest] if prefix + f != candidate)
    return ()


def other_forms(text: str) -> dict[str, tuple[str, ...]]:
    """Each word of `text` that has forms the stemmer does not bring to it -> those forms: the particle-first form
    of a particle verb ("lämna ut": "lämna" -> "utlämna") and the other forms of an irregular verb ("bryter" ->
    "brutit", ...). Search adds them to the query; answering counts a passage's word as the question's word."""
    out: dict[str, tuple[str, ...]] = {}
    particles = particle_compounds(text)
    for word in _WORD.findall(text.lower()):
        forms = ((particles[word],) if word in particles else ()) + verb_forms(word)
        if forms:
            out[word] = tuple(dict.fromkeys(forms))
    return out
