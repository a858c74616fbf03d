"""Offline extractive answers over real sentences of the seed documents (002 booklet, 003 Täby policy)."""

from __future__ import annotations

import pytest
from test_answering_fakes import BOOKLET, POLICY, FakeSearcher, excerpt, seed_searcher, seed_text

from assistant.answering import ABSTAIN_TEXT, Answerer
from assistant.models import DocumentKind
from assistant.text import normalize


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(seed_searcher(), k=8)


def _check_citations(answer, searcher: FakeSearcher) -> None:
    """Every citation quotes its document verbatim at the offsets it gives, and markers match citations."""
    for n, c in enumerate(answer.citations, start=1):
        assert searcher.texts[c.doc][c.start : c.end] == c.quote
        assert f"[{n}]" in answer.text
    assert f"[{len(answer.citations) + 1}]" not in answer.text


def test_who_question_names_the_actor(answerer):
    answer = answerer.ask("Vem godkänner utförare i ett valfrihetssystem?")
    assert not answer.abstained
    assert "Beställare bestämmer värdet på tjänsten, godkänner utförare" in answer.text
    assert answer.citations[0].doc == BOOKLET
    assert answer.citations[0].chunk_id
    _check_citations(answer, answerer.searcher)


def test_obligation_list_keeps_its_items(answerer):
    answer = answerer.ask("Vad ska känneteckna socialnämndens valfrihetssystem enligt policyn?")
    text = normalize(answer.text)
    for key in ("långsiktighet", "öppenhet", "affärsmässighet", "mångfald", "seriositet"):
        assert key in text
    assert "**" not in answer.text  # markdown is not shown, but the quote is verbatim
    assert "**Långsiktighet:**" in answer.citations[0].quote
    _check_citations(answer, answerer.searcher)


def test_sanction_question_gives_the_steps_in_order(answerer):
    answer = answerer.ask("Hur brukar en sanktionstrappa se ut?")
    text = answer.text
    assert text.index("varningar") < text.index("ekonomiska sanktioner") < text.index("mister sitt uppdrag")
    assert len(answer.citations) == 1  # one passage, cited after each of its sentences
    assert text.count("[1]") == 3
    _check_citations(answer, answerer.searcher)


def test_anaphor_brings_its_antecedent(answerer):
    answer = answerer.ask("Vem fattar beslut på operativ nivå och vad gäller de besluten?")
    assert "ansvarig chef" in answer.text
    assert "rutiner och arbetsmetoder" in answer.text


def test_interview_quote_is_labelled(answerer):
    answer = answerer.ask(
        "Varför upphandlade en kommun ickevalsalternativet när valfrihet infördes för funktionshindrade?"
    )
    assert "egenregin vägrade" in answer.text
    assert answer.citations[0].is_quote_of_person
    assert "citat" in answer.text.lower()
    assert any("citat" in n for n in answer.notes)


def test_footnote_marker_brings_the_footnote():
    # The raw seed text keeps "ansvarsområde¹"; the footnote, which lists the areas, sits further down
    # the policy. The question names the word the footnote explains, so the rules alone choose the
    # sentence with the marker; the footnote comes along with whichever cited unit carries a marker.
    answerer = Answerer(seed_searcher(), k=8, unit_model=None)
    answer = answerer.ask("Vilka ansvarsområden omfattas av socialnämndens policy för valfrihetssystem?")
    assert "Äldreomsorg, omsorg om personer med funktionsnedsättning" in answer.text
    _check_citations(answer, answerer.searcher)


@pytest.mark.parametrize(
    "question",
    [
        "Vilka öppettider har Täby kommuns kontaktcenter?",
        "Vad kostar en parkeringsplats vid Täby kommunhus?",
        "Hur många anställda har Täby kommun?",
        "Vilka krav ställer Täby på utförarnas miljöbilar?",
    ],
)
def test_unanswerable_questions_abstain_with_nearest_passages(answerer, question):
    answer = answerer.ask(question)
    assert answer.abstained
    assert answer.text.startswith(ABSTAIN_TEXT)  # possibly followed by what came nearest ("Närmast i dokumenten …")
    assert answer.citations == []
    assert 1 <= len(answer.nearest) <= 3
    for c in answer.nearest:
        assert c.quote in answerer.searcher.texts[c.doc]


def test_a_passage_about_another_municipality_is_no_answer():
    header = "Post Botkyrka kommun, 147 85 Tumba · Besök Munkhättevägen 45 · Kontaktcenter 08-530 610 00\n\n"
    searcher = seed_searcher().add("botkyrka.md", header + "Kontaktcenter har öppet vardagar 8-17.\n", title="Botkyrka")
    answer = Answerer(searcher).ask("Vilka öppettider har Täby kommuns kontaktcenter?")
    assert answer.abstained
    assert not Answerer(searcher).ask("Vilka öppettider har Botkyrkas kontaktcenter?").abstained


def test_an_abstention_never_names_a_letterhead_as_the_nearest_passage():
    """A routine whose only words of the question are in its letterhead ("Botkyrka"): the abstention names
    what its text says nearest, not the sender's address."""
    footer = "| Botkyrka kommun, 147 85 TUMBA | Munkhättevägen 45 | Org.nr 212000-2882 | Bankgiro 624-1061 |"
    routine = f"Matlådan levereras av kost- och måltidsenheten varje vardag.\n\n{footer}\n"
    searcher = FakeSearcher().add("matlada.md", routine, title="Rutin för matlådor")
    answer = Answerer(searcher).ask("Vad kostar en portion glass i Botkyrka kommun?")
    assert answer.abstained and answer.nearest
    assert all("Org.nr" not in c.quote and "TUMBA" not in c.quote for c in answer.nearest)
    # Asked for the contact details, the letterhead is what says them: it may come nearest.
    asked = Answerer(searcher).ask("Vilket organisationsnummer och bankgiro har Botkyrka kommun?")
    assert any("Org.nr 212000-2882" in c.quote for c in [*asked.citations, *asked.nearest])


def test_a_law_answers_for_every_municipality_a_local_rule_only_for_its_own():
    law = "7 § Ett överklagande ska ha kommit in inom tre veckor från den dag då klaganden fick del av beslutet.\n"
    rule = "Botkyrka kommun tar ut en avgift för hemtjänst. Avgiften betalas i efterskott varje månad.\n"
    searcher = (
        FakeSearcher()
        .add("fl.md", law, title="Förvaltningslag (2017:900)", kind=DocumentKind.lag)
        .add("avgift.md", rule, title="Avgifter i Botkyrka", kind=DocumentKind.riktlinje)
    )
    answer = Answerer(searcher).ask("Hur lång tid har man på sig att överklaga ett beslut om hemtjänst i Lund?")
    assert not answer.abstained and "tre veckor" in answer.text
    # Botkyrka's rule is no answer for Lund ("Lund kommun", written as a place either way).
    assert Answerer(searcher).ask("När betalas avgiften för hemtjänst i Lund?").abstained
    assert Answerer(searcher).ask("När betalas avgiften för hemtjänst i Lunds kommun?").abstained
    # A name written as no place (an organisation) is still one the law must name.
    assert Answerer(searcher).ask("Hur lång tid har man på sig att överklaga ett beslut från Adda?").abstained


def test_an_acts_transitional_provisions_answer_only_when_it_applies_from():
    law = (
        "Övergångsbestämmelser\n\n"
        "2018:1155: Denna lag träder i kraft den 1 januari 2019. Den som före ikraftträdandet påbörjat sådan "
        "verksamhet ska senast den 1 mars 2019 ansöka om tillstånd enligt denna lag.\n"
    )
    searcher = FakeSearcher().add("lss.md", law, title="Lag (1993:387) om stöd och service", kind=DocumentKind.lag)
    # Its words by chance ("ansöka", "senast"): no answer.
    assert Answerer(searcher).ask("Senast när måste jag ansöka om assistans?").abstained
    # Asked from when the rule applies, it answers.
    answer = Answerer(searcher).ask("När trädde kravet på tillstånd i kraft?")
    assert not answer.abstained and "1 januari 2019" in answer.text


def test_a_law_answers_for_its_abbreviation_though_its_text_never_uses_it():
    law = (
        "34 kap. Socialnämnden ska rapportera beslut som inte har verkställts\n\n"
        "1 § Om ett gynnande beslut inte har verkställts inom tre månader från dagen för beslutet, ska "
        "socialnämnden rapportera det till Inspektionen för vård och omsorg. "
        "Rapportering ska ske en gång per kvartal.\n"
    )
    question = "Ej verkställda beslut enligt SoL: till vem ska nämnden rapportera?"
    as_law = FakeSearcher().add("sol.md", law, title="Socialtjänstlag (2025:400)", kind=DocumentKind.lag)
    answer = Answerer(as_law).ask(question)
    assert not answer.abstained and "Inspektionen för vård och omsorg" in answer.text
    # The same text under a title that does not name the law does not answer for SoL.
    elsewhere = FakeSearcher().add("pm.md", law, title="PM om rapportering", kind=DocumentKind.lag)
    assert Answerer(elsewhere).ask(question).abstained


def test_a_question_for_a_meaning_is_answered_by_the_definition():
    text = (
        "# Avgifter\n\n"
        "Avgiften för trygghetslarm ingår i maxtaxan och debiteras inte separat för den som har hemtjänst.\n\n"
        "Maxtaxan är den högsta avgift som kommunen får ta ut för hemtjänst per månad.\n"
    )
    searcher = FakeSearcher().add("avgifter.md", text, title="Riktlinje för avgifter", kind=DocumentKind.riktlinje)
    answer = Answerer(searcher).ask("Vad är maxtaxan?")
    assert answer.text.startswith("Maxtaxan är den högsta avgift")


def test_amount_question_needs_a_figure():
    text = seed_text(POLICY)
    searcher = FakeSearcher().add(
        POLICY, text, title="Policy för socialnämndens valfrihetssystem", kind=DocumentKind.policy
    )
    # The policy describes the compensation model but names no amount.
    answer = Answerer(searcher).ask(
        "Hur mycket ersättning får utförare per timme inom socialnämndens valfrihetssystem?"
    )
    assert answer.abstained


def test_a_question_of_two_parts_is_answered_part_by_part():
    """ "Vem ..., och hur många dygn ...?": no sentence says both who and how long. Each part is answered by the
    sentence that holds what it asks (shape.question_parts), not abstained on because no unit holds both."""
    routine = (
        "# Förberedelse inför BPSD-registrering\n\n"
        "BPSD-administratören (undersköterskan) på enheten ansvarar för att plocka fram underlagen till "
        "registreringen.\n\nDet här ska registreras före mötet:\n\n"
        "- Mat- och vätskeregistrering, tre dygn\n- Beteendeschema, tre dygn\n"
    )
    searcher = FakeSearcher().add(
        "bpsd.md", routine, title="Förberedelse inför BPSD-registrering", kind=DocumentKind.rutin
    )
    answer = Answerer(searcher).ask(
        "Vem på enheten ska ta fram underlagen inför BPSD-registreringen, och hur många dygn ska mat- och "
        "vätskeregistreringen pågå?"
    )
    assert not answer.abstained
    assert "BPSD-administratören" in answer.text
    assert "tre dygn" in answer.text
    _check_citations(answer, searcher)


def test_repealed_source_is_flagged_and_the_current_one_preferred():
    same = "Socialnämnden får sluta avtal med någon annan om att utföra nämndens uppgifter.\n"
    searcher = (
        FakeSearcher()
        .add(
            "sol-2001.md",
            same,
            title="Socialtjänstlag (2001:453)",
            kind=DocumentKind.lag,
            repealed=True,
            superseded_by="SFS 2025:400",
        )
        .add(
            "sol-2025.md",
            same.replace("Socialnämnden", "Socialnämnden också"),
            title="Socialtjänstlag (2025:400)",
            kind=DocumentKind.lag,
        )
    )
    answer = Answerer(searcher).ask("Får socialnämnden sluta avtal med någon annan om att utföra nämndens uppgifter?")
    assert answer.citations[0].doc == "sol-2025.md"
    assert not answer.citations[0].repealed

    only_old = FakeSearcher().add(
        "sol-2001.md",
        same,
        title="Socialtjänstlag (2001:453)",
        kind=DocumentKind.lag,
        repealed=True,
        superseded_by="SFS 2025:400",
    )
    answer = Answerer(only_old).ask("Får socialnämnden sluta avtal med någon annan om att utföra nämndens uppgifter?")
    assert answer.citations[0].repealed
    assert any("upphävd" in n and "2025:400" in n for n in answer.notes)


def test_citing_an_older_act_adds_a_note(answerer):
    answer = answerer.ask("Vad anger 3 kap. 16 § kommunallagen om att lämna över vården av en kommunal angelägenhet?")
    assert not answer.abstained
    assert any("1991:900" in n and "2017:725" in n for n in answer.notes)


def test_disagreeing_sources_are_both_shown():
    searcher = (
        FakeSearcher()
        .add(
            "a.md",
            "Utföraren ska rapportera avvikelser till nämnden inom 14 dagar.\n",
            title="Avtal A",
            kind=DocumentKind.avtal,
        )
        .add(
            "b.md",
            "Utföraren ska rapportera avvikelser till nämnden inom 30 dagar.\n",
            title="Avtal B",
            kind=DocumentKind.avtal,
        )
    )
    answer = Answerer(searcher).ask("Inom hur lång tid ska utföraren rapportera avvikelser till nämnden?")
    assert {c.doc for c in answer.citations} == {"a.md", "b.md"}
    assert "14 dagar" in answer.text and "30 dagar" in answer.text
    assert any("olika" in n for n in answer.notes)


def test_same_passage_in_two_files_is_cited_once():
    text = seed_text(BOOKLET)
    passage = excerpt(text, "Det finns tre parter i ett valfrihetssystem", "utvärderar.")
    searcher = (
        FakeSearcher().add("web.txt", passage + "\n", title="Webbtext").add("pdf.txt", passage + "\n", title="PDF")
    )
    answer = Answerer(searcher).ask("Vem godkänner utförare i ett valfrihetssystem?")
    assert len(answer.citations) == 1
    assert set(answer.citations[0].also_in) | {answer.citations[0].doc} == {"web.txt", "pdf.txt"}


def test_a_citation_gives_the_page_its_quote_is_on(make_library, tmp_path):
    """A chunk that runs over a page break is cited at the page where the quoted sentence stands."""
    from fpdf import FPDF

    from assistant.ingest import ingest

    pdf = FPDF(format=(148, 210))
    pdf.set_font("Helvetica", size=10)
    pdf.set_auto_page_break(False)
    pages = [
        [
            "Program för uppföljning av privata utförare",
            "Programmet antogs av kommunfullmäktige i mars 2023 och",
            "gäller till och med år 2026.",
        ],
        [
            "Uppföljning",
            "Nämnden genomför ett uppföljningsbesök hos varje utförare",
            "minst en gång per år. Vid uppföljningsbesöket granskas",
            "utförarens egenkontroll och avvikelsehantering.",
        ],
    ]
    for lines in pages:
        pdf.add_page()
        for i, line in enumerate(lines):
            pdf.set_xy(12, 20 + 6 * i)
            pdf.cell(0, 5, line)
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "uppfoljningsprogram.pdf").write_bytes(bytes(pdf.output()))
    library = make_library()
    ingest(library, [folder])
    chunk = next(iter(library.chunks()))
    assert (chunk.page_start, chunk.page_end) == (1, 2)  # one chunk holds both pages
    answer = Answerer(library, k=4).ask("Hur ofta genomför nämnden uppföljningsbesök hos utförarna?")
    assert not answer.abstained
    c = answer.citations[0]
    assert "uppföljningsbesök" in c.quote and c.page == 2


def test_an_acts_amendment_note_does_not_ride_along():
    """An act's note of the amendment that worded a paragraph ("Lag (2022:273).") and a repealed paragraph beside it
    ("4 § Har upphävts genom lag (2017:616).") state nothing: the answer is the paragraph's sentences without them
    (the hälso- och sjukvårdslag's 3 b § was answered "... medge fler byten [1]. Lag (2022:273) [1].")."""
    law = (
        "# Lag om vårdval\n\n"
        "3 b § Byte av sådana utförare som avses i 3 a § första stycket får göras högst två gånger under en period om "
        "ett år. Om det finns särskilda skäl får regionen dock medge fler byten. Lag (2022:273).\n\n"
        "4 § Har upphävts genom lag (2017:616).\n\n"
        "5 § Regionen ska informera om möjligheten att välja utförare.\n"
    )
    searcher = FakeSearcher().add("lag.md", law, title="Lag om vårdval", kind=DocumentKind.lag)
    answer = Answerer(searcher, k=8).ask("Hur många gånger per år får man byta utförare?")
    assert not answer.abstained
    assert "högst två gånger" in answer.text
    assert "Lag (2022:273)" not in answer.text
    assert "Har upphävts" not in answer.text
    # Nor does one end a list's last item ("... inte utbildar sig. Lag (2010:480).").
    from assistant.answering.passages import clean

    assert clean("- daglig verksamhet för personer som inte utbildar sig. Lag (2010:480).") == (
        "daglig verksamhet för personer som inte utbildar sig."
    )
    assert clean("Lag (2010:480).") == "Lag (2010:480)."
    # Nor does a note open an answer with the paragraph after it ("4 § Har upphävts ... 5 § Avgiften tas ut ...").
    answer = Answerer(searcher, k=8).ask("Måste regionen informera om att man kan välja utförare?")
    assert "Regionen ska informera" in answer.text
    assert "Har upphävts" not in answer.text
