"""Role map: responsibility statements, actors, levels, merging and verbatim quotes."""

from __future__ import annotations

import pytest
from test_intro_fakes import CORPUS, FakeLibrary, corpus_library, corpus_roles, make_doc

from assistant.intro.config import default_config
from assistant.intro.corpus import DocView
from assistant.intro.roles import RoleExtractor, build_role_map
from assistant.models import DocumentKind
from assistant.text import normalize

needs_corpus = pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not present")


@pytest.fixture(scope="module")
def extractor():
    return RoleExtractor()


@pytest.mark.parametrize(
    ("sentence", "actor"),
    [
        ("Fullmäktige ska för varje mandatperiod anta ett program med mål och riktlinjer.", "fullmaktige"),
        (
            "Nämnderna har ansvar för att se till att verksamheten bedrivs enligt mål, riktlinjer och föreskrifter.",
            "namnd",
        ),
        ("Kommunfullmäktige beslutar om att inrätta ett valfrihetssystem.", "fullmaktige"),
        ("Beställare bestämmer värdet på tjänsten, godkänner utförare samt följer upp och utvärderar.", "bestallare"),
        ("Vård- och omsorgsnämnden har det övergripande ansvaret för att följa upp alla verksamheter.", "namnd"),
        (
            "Om angelägenheter utförs av privata utförare, ska fullmäktige för varje mandatperiod anta ett program.",
            "fullmaktige",
        ),
        ("I egenskap av beställare fastställer socialnämnden krav för att bli godkänd som utförare.", "namnd"),
        ("Beslut på denna nivå fattas av socialchef eller avdelningschef.", "socialchef"),
        ("Huvudmannen (kommunen eller regionen) ska som beställare ge uppdrag till verksamheterna.", "huvudman"),
        ("Medborgare väljer utförare och ibland även tjänstens innehåll.", "medborgare"),
        ("Inspektionen för vård och omsorg, IVO, har tillsynsansvar för denna verksamhet.", "ivo"),
        ("Ansvarig chef ansvarar för att all personal är informerad om förbud mot att ta emot gåva.", "ansvarig_chef"),
    ],
)
def test_responsibility_statements_are_found(extractor, sentence, actor):
    matches = extractor._match(sentence, egen_regi_doc=False, law=False)
    assert matches and matches[0][0] == actor


def test_statute_aliases_count_only_in_statutes(extractor):
    # In LOV the "upphandlande myndighet" orders and the "leverantör" provides; in IT tenders they do not.
    orderer = "Den upphandlande myndigheten ska behandla leverantörer på ett likvärdigt sätt."
    provider = "Leverantören ska på begäran komplettera ansökan."
    assert extractor._match(orderer, egen_regi_doc=False, law=True)[0][0] == "bestallare"
    assert extractor._match(provider, egen_regi_doc=False, law=True)[0][0] == "utforare"
    assert extractor._match(orderer, egen_regi_doc=False, law=False) == []
    assert extractor._match(provider, egen_regi_doc=False, law=False) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Det är en utmaning för både politiker och tjänstemän att hålla isär rollerna som beställare och utförare.",
        "Socialnämnden verkar tillsammans med privata utförare på en lokal marknad.",
        # genitive: the policy is the subject
        "Fullmäktiges policy bör ange mål och riktlinjer för beställarens uppdrag.",
        # passive: not what fullmäktige does
        "Fullmäktige ska tillförsäkras en möjlighet att följa upp angelägenheten.",
        "Ansvarig chef ska ha minst 24 månaders erfarenhet av arbetsledning.",  # a qualification, not a duty
        "Brukaren betalar avgifter enligt vård- och omsorgsnämndens fastställda taxor.",
        "De privata aktörerna är ibland rädda att kommunen favoriserar egenregin.",
        "Utförare med dåliga resultat får komma till nämnden och beskriva hur de ska åtgärda detta.",
    ],
)
def test_mentions_are_not_statements(extractor, sentence):
    assert extractor._match(sentence, egen_regi_doc=False, law=False) == []


def test_quotes_and_questions_are_skipped(extractor):
    text = (
        "Inledning\n\n”Som ledamot i fullmäktige ska jag ansvara för helheten.”\n\n"
        "Hur ska nämnden hantera egenregin?\n\nNämnden ska följa upp alla avtal."
    )
    meta, body, chunks = make_doc("a.txt", text)
    found = extractor.extract(DocView(meta, body, chunks, default_config()))
    assert [shown for _, _, shown in found] == ["Nämnden ska följa upp alla avtal."]


def test_lead_in_takes_its_list_and_anaphor_its_paragraph(extractor):
    text = (
        "Kommunfullmäktige beslutar om\n\n- Att inrätta och utveckla ett valfrihetssystem\n\n"
        "Beslut på taktisk nivå\n\nPå taktisk nivå beslutas om uppföljningsplaner. "
        "Beslut på denna nivå fattas av socialchef eller avdelningschef.\n\nDelegationsordning\n\nText."
    )
    meta, body, chunks = make_doc("b.txt", text)
    view = DocView(meta, body, chunks, default_config())
    found = {m.actor: (m, shown) for m, _, shown in extractor.extract(view)}
    assert found["fullmaktige"][1] == "Kommunfullmäktige beslutar om - Att inrätta och utveckla ett valfrihetssystem"
    match, shown = found["socialchef"]
    assert shown.startswith("På taktisk nivå") and match.level == "taktisk"


def test_egen_regi_documents_make_their_generic_subject_egen_regi():
    meta, body, chunks = make_doc(
        "u.md",
        "Verksamheten ska dokumentera alla synpunkter.",
        DocumentKind.other,
        title="Uppdragsbeskrivning hemtjänst",
    )
    roles = build_role_map(FakeLibrary([(meta, body, chunks)]))
    assert [(r.actor, r.source_type.value) for r in roles] == [("egen_regi", "policy")]


def test_repealed_and_unlisted_laws_give_no_statements():
    old = make_doc(
        "sol-old.md",
        "Socialnämnden ska följa upp avtal med privata utförare.",
        DocumentKind.lag,
        title="Socialtjänstlag (2001:453)",
        repealed=True,
    )
    lou = make_doc(
        "lou.md",
        "Den upphandlande myndigheten ska följa upp avtal med leverantören.",
        DocumentKind.lag,
        title="Lag om offentlig upphandling (2016:1145)",
    )
    assert build_role_map(FakeLibrary([old, lou])) == []


@needs_corpus
def test_required_actors_are_present():
    actors = {r.actor for r in corpus_roles()}
    assert {"fullmaktige", "namnd", "bestallare", "utforare", "egen_regi"} <= actors


@needs_corpus
def test_required_statements_with_their_sources():
    roles = corpus_roles()

    def docs_of(actor: str, *needles: str) -> set[str]:
        return {
            s.doc for r in roles if r.actor == actor and all(n in normalize(r.text) for n in needles) for s in r.sources
        }

    program = docs_of("fullmaktige", "mandatperiod", "program")
    assert {"sfs-2017-725-kommunallag.md", "000_4d8f7f9054d40a3f.txt", "001_139590e039441331.txt"} <= program
    kl = next(
        r
        for r in roles
        if r.actor == "fullmaktige"
        and any(s.doc.startswith("sfs-2017-725") and "5 kap" in (s.section or "") for s in r.sources)
    )
    assert kl.source_type.value == "law"
    assert docs_of("namnd", "mål", "riktlinjer", "verksamheten")
    contracts = [r for r in roles if r.actor == "socialchef" and "säga upp avtal" in normalize(r.text)]
    assert contracts and contracts[0].level == "taktisk" and contracts[0].sources[0].doc.startswith("003_")


@needs_corpus
def test_every_quote_is_verbatim_in_its_document():
    library = corpus_library()
    texts = {m.doc: normalize(library.document_text(m.doc)) for m in library.documents()}
    for role in corpus_roles():
        for source in role.sources:
            assert normalize(source.quote) in texts[source.doc], (role.actor, source.doc, source.quote)


@needs_corpus
def test_booklet_copies_are_merged_not_repeated():
    roles = [r for r in corpus_roles() if r.actor == "bestallare" and "värdet på tjänsten" in r.text]
    assert len(roles) == 1
    docs = [s.doc for s in roles[0].sources]
    assert {"002_b8511d1d7f6ea031.txt", "004_e520ef90205998ba.txt"} <= set(docs) and len(docs) == len(set(docs))


@needs_corpus
def test_sources_are_typed_and_repealed_sol_is_absent():
    roles = corpus_roles()
    assert all(not s.doc.startswith("sfs-2001-453") for r in roles for s in r.sources)
    kinds = {r.source_type.value for r in roles}
    assert kinds == {"law", "policy", "guidance"}
