"""Which passages an answer is chosen from, and what it cites when the unit model cannot tell two apart."""

from __future__ import annotations

import dataclasses
from importlib import resources

import numpy as np
import pytest
import yaml
from test_answering_fakes import FakeSearcher, coverage_model

from assistant.answering import Answerer, citing, extractive
from assistant.answering.unit_model import FEATURES, UnitModel, default_model, model_from
from assistant.models import DocumentKind


def _filler(n: int) -> str:
    return "".join(f"Avsnitt {i} handlar om lokaler, parkering och öppettider för besökare.\n\n" for i in range(n))


def test_the_answer_is_chosen_from_further_passages_of_the_top_documents():
    """Search found the routine but not the passage that answers: the best passages of the document are
    looked at too."""
    routine = (
        "Här kan du läsa om vem som ska bekosta låsbyte när en nyckel tappas bort.\n\n"
        + _filler(12)
        + "Hemtjänsten bekostar låsbyte när personalen har tappat brukarens nyckel.\n"
    )
    other = "Om en nyckel tappas bort ska låsbyte beställas av enhetschefen samma dag.\n"
    searcher = (
        FakeSearcher()
        .add("rutin.md", routine, title="Rutin för nycklar")
        .add("anmalan.md", other, title="Anmälan när en nyckel tappas bort")
    )
    question = "Vem ska bekosta låsbyte när en nyckel tappas bort?"
    # The introduction and the other routine match more of the question's words than the answer does.
    assert not any("Hemtjänsten bekostar" in h.chunk.text for h in searcher.search(question, k=2))

    answerer = Answerer(searcher, k=1, unit_model=None)
    answer = answerer.ask(question)
    assert any("Hemtjänsten bekostar" in h.chunk.text for h in answerer.last_hits)
    assert not answer.abstained
    assert "Hemtjänsten bekostar låsbyte" in answer.text


QUESTION = "Vem beställer timvikarier via bemanningsenheten?"


def _two_routines(
    second: str, first_kind: DocumentKind = DocumentKind.vagledning, second_kind: DocumentKind = DocumentKind.vagledning
) -> FakeSearcher:
    return (
        FakeSearcher()
        .add("a.md", "Timvikarier beställs av enhetschefen via bemanningsenheten.\n", title="Rutin A", kind=first_kind)
        .add("b.md", second, title="Rutin B", kind=second_kind)
    )


def test_when_the_model_cannot_tell_two_passages_apart_both_are_cited(monkeypatch):
    monkeypatch.setattr(citing, "ALTERNATIVE", 0.9)
    searcher = _two_routines("Timvikarier beställs av samordnaren via bemanningsenheten.\n")
    answer = Answerer(searcher, k=4, unit_model=coverage_model()).ask(
        "Vem beställer timvikarier via bemanningsenheten?"
    )
    assert {c.doc for c in answer.citations} == {"a.md", "b.md"}
    assert "[2]" in answer.text
    assert any("Osäkert" in n and "[2]" in n for n in answer.notes)


def test_a_clearly_weaker_passage_is_not_cited_beside_the_answer(monkeypatch):
    monkeypatch.setattr(citing, "ALTERNATIVE", 0.9)
    searcher = _two_routines("Bemanningsenheten har öppet vardagar.\n")
    answer = Answerer(searcher, k=4, unit_model=coverage_model()).ask(
        "Vem beställer timvikarier via bemanningsenheten?"
    )
    assert [c.doc for c in answer.citations] == ["a.md"]
    assert not any("Osäkert" in n for n in answer.notes)


def test_without_the_setting_one_passage_is_cited(monkeypatch):
    monkeypatch.setattr(citing, "ALTERNATIVE", 0.0)
    searcher = _two_routines("Timvikarier beställs av samordnaren via bemanningsenheten.\n")
    answer = Answerer(searcher, k=4, unit_model=coverage_model()).ask(
        "Vem beställer timvikarier via bemanningsenheten?"
    )
    assert len(answer.citations) == 1


def test_the_same_words_in_another_file_are_no_alternative(monkeypatch):
    """A routine copied into another folder, there inside a list, is the same answer, not a second one."""
    monkeypatch.setattr(citing, "ALTERNATIVE", 0.9)
    searcher = _two_routines(
        "Bemanning gäller följande:\n\n"
        "- Timvikarier beställs av enhetschefen via bemanningsenheten.\n"
        "- Bemanningsenheten har öppet vardagar.\n"
    )
    answer = Answerer(searcher, k=4, unit_model=coverage_model()).ask(QUESTION)
    assert len(answer.citations) == 1
    assert not any("Osäkert" in n for n in answer.notes)


SICK_LEAVE = (
    "Frånvaro gällande dagpass meddelas till gruppens telefon senast klockan sju.\n\n"
    "Bilarna tankas på fredagar.\n\n"
    "Frånvaro gällande kvällspass meddelas till koordinatorn senast klockan nio.\n"
)


@pytest.mark.parametrize(("share", "both"), [(0.9, True), (0.0, False)])
def test_two_readings_of_one_passage_are_both_shown_under_its_citation(monkeypatch, share, both):
    """A routine's cases share their words: the model cannot tell which one the question asks about, so both
    are shown under the one citation, the one it chose first; what lies between them is not."""
    monkeypatch.setattr(citing, "ALTERNATIVE", 0.0)
    monkeypatch.setattr(citing, "SAME_PASSAGE", share)
    searcher = FakeSearcher().add("sjuk.md", SICK_LEAVE, title="Rutin frånvaro")
    answer = Answerer(searcher, k=4, unit_model=coverage_model()).ask(
        "Till vem meddelas frånvaro från dagpass eller kvällspass?"
    )
    assert [c.doc for c in answer.citations] == ["sjuk.md"]
    assert "[2]" not in answer.text
    assert ("dagpass" in answer.text and "kvällspass" in answer.text) is both
    assert "tankas" not in answer.text


def test_a_sentence_that_adds_none_of_the_questions_words_is_no_second_reading(monkeypatch):
    """Both cases are as likely an answer to a question that names neither, but the second names nothing the first
    does not: in a short passage every sentence is nearly as likely."""
    monkeypatch.setattr(citing, "ALTERNATIVE", 0.0)
    monkeypatch.setattr(citing, "SAME_PASSAGE", 0.9)
    searcher = FakeSearcher().add("sjuk.md", SICK_LEAVE, title="Rutin frånvaro")
    answer = Answerer(searcher, k=4, unit_model=coverage_model()).ask("Till vem meddelas frånvaro?")
    assert ("dagpass" in answer.text) != ("kvällspass" in answer.text)


def test_a_clearly_weaker_sentence_of_the_passage_is_not_added(monkeypatch):
    monkeypatch.setattr(citing, "ALTERNATIVE", 0.0)
    monkeypatch.setattr(citing, "SAME_PASSAGE", 0.9)
    searcher = FakeSearcher().add("sjuk.md", SICK_LEAVE, title="Rutin frånvaro")
    answer = Answerer(searcher, k=4, unit_model=coverage_model()).ask("Till vem meddelas frånvaro från kvällspass?")
    assert "kvällspass" in answer.text
    assert "dagpass" not in answer.text


def _ranked_by(feature: str, weight: float) -> UnitModel:
    """The coverage model, with a ranking that looks at one feature alone."""
    ranking = [0.0] * len(FEATURES)
    ranking[FEATURES.index(feature)] = weight
    return dataclasses.replace(coverage_model(), ranking=tuple(ranking))


LONGER = "Timvikarier beställs av samordnaren via bemanningsenheten, som har öppet vardagar mellan åtta och fem.\n"


@pytest.mark.parametrize(("weight", "cited"), [(5.0, "b.md"), (-5.0, "a.md")])
def test_the_ranking_chooses_which_unit_answers(monkeypatch, weight, cited):
    """Both routines hold every word of the question, so the probability cannot tell them apart; the ranking
    (here by length alone) chooses."""
    monkeypatch.setattr(citing, "ALTERNATIVE", 0.0)
    answer = Answerer(_two_routines(LONGER), k=4, unit_model=_ranked_by("log_len", weight)).ask(QUESTION)
    assert [c.doc for c in answer.citations] == [cited]


def test_the_ranking_never_makes_an_improbable_unit_answer():
    model = dataclasses.replace(_ranked_by("log_len", 5.0), intercept=-20.0)
    answer = Answerer(_two_routines(LONGER), k=4, unit_model=model).ask(QUESTION)
    assert answer.abstained
    assert not answer.citations


def test_the_ranking_is_read_with_the_model(tmp_path):
    shipped = default_model()
    assert shipped is not None and shipped.ranking is not None  # the shipped model ranks by its ranking
    data = yaml.safe_load(resources.files("assistant.data").joinpath("answering.yaml").read_text("utf-8"))
    x = np.zeros((1, len(FEATURES)))
    assert model_from({**data, "ranking": None}).ranking_probabilities(x) == pytest.approx(shipped.probabilities(x))
    assert shipped.ranking_probabilities(x) != pytest.approx(shipped.probabilities(x))


@pytest.mark.parametrize(
    ("first_kind", "cited"),
    [
        (DocumentKind.lag, 2),  # the law and the local rule that applies it: both
        (DocumentKind.vagledning, 1),  # guidance beside a local rule is no second kind of source
    ],
)
def test_a_second_source_is_a_law_beside_a_local_rule(monkeypatch, first_kind, cited):
    monkeypatch.setattr(citing, "ALTERNATIVE", 0.0)
    model = dataclasses.replace(coverage_model(), second_source=0.9)
    searcher = _two_routines(
        "Timvikarier beställs av samordnaren via bemanningsenheten.\n", first_kind, second_kind=DocumentKind.rutin
    )
    answer = Answerer(searcher, k=4, unit_model=model).ask(QUESTION)
    assert len(answer.citations) == cited


def test_a_citation_names_the_section_its_quote_stands_in():
    from assistant.answering.service import citation_for
    from assistant.models import Chunk, DocumentMeta, SearchHit

    text = (
        "Fullmäktige får anta ett reglemente.\n\n## 13 kap. Laglighetsprövning\n\n#### 1 §\n\n"
        "Varje medlem får överklaga.\n"
    )
    chunk = Chunk(id="c", doc="kl.md", text=text, start=100, end=100 + len(text), section="12 kap. Revision > 18 §")
    hit = SearchHit(chunk=chunk, meta=DocumentMeta(doc="kl.md", title="Kommunallag", kind=DocumentKind.lag), score=1.0)
    start = text.index("Varje")
    citation = citation_for(hit, start, start + len("Varje medlem får överklaga."))
    assert citation.section == "13 kap. Laglighetsprövning > 1 §"
    assert citation_for(hit, 0, 10).section == "12 kap. Revision > 18 §"


ANNOUNCED = (
    "Målgrupp\n\n"
    "Lagen om stöd och service vänder sig till personer som omfattas av någon av nedan beskrivna "
    "personkretsar enligt 1 § LSS.\n\n"
)
ENUMERATED = (
    "Personkrets 1\n\nPersoner med utvecklingsstörning, autism eller autismliknande tillstånd.\n\n"
    "Personkrets 2\n\nPersoner med betydande och bestående begåvningsmässigt funktionshinder efter hjärnskada.\n\n"
)


def _split_at_heading(searcher: FakeSearcher, doc: str) -> FakeSearcher:
    """Chunk the document as the chunker does at headings: the lead-in ends one chunk, its list starts the next."""
    from assistant.models import Chunk

    text = searcher.texts[doc]
    cut = text.index("Personkrets 1")
    searcher._chunks = [c for c in searcher._chunks if c.doc != doc] + [
        Chunk(id=f"{doc}-{i}", doc=doc, text=text[a:b], start=a, end=b, ordinal=i)
        for i, (a, b) in enumerate([(0, cut), (cut, len(text))])
    ]
    return searcher


def test_a_lead_in_cut_from_its_list_by_the_chunking_answers_with_the_list():
    """'... nedan beskrivna personkretsar.' ends one chunk and the list is in the next: the answer is the
    lead-in with the list it announces, cited as one passage, not the lead-in alone."""
    searcher = _split_at_heading(
        FakeSearcher().add("lss.md", ANNOUNCED + ENUMERATED, title="Uppdragsbeskrivning LSS"), "lss.md"
    )
    assert searcher.search("Vem omfattas av LSS?", k=1)[0].chunk.text.rstrip().endswith("enligt 1 § LSS.")

    answer = Answerer(searcher, k=1, unit_model=None).ask("Vem omfattas av LSS?")
    assert not answer.abstained
    assert "Personkrets 1: Personer med utvecklingsstörning" in answer.text
    assert "Personkrets 2: Personer med betydande" in answer.text
    (citation,) = answer.citations
    assert "nedan beskrivna personkretsar" in citation.quote and "hjärnskada" in citation.quote


def test_a_passage_that_announces_nothing_is_not_lengthened():
    searcher = _split_at_heading(
        FakeSearcher().add(
            "lss.md",
            ANNOUNCED.replace("någon av nedan beskrivna personkretsar", "personkretsarna") + ENUMERATED,
            title="Uppdragsbeskrivning LSS",
        ),
        "lss.md",
    )
    answerer = Answerer(searcher, k=1, unit_model=None)
    answerer.ask("Vem omfattas av LSS?")
    assert all("Personkrets 1" not in h.chunk.text for h in answerer.last_hits if h.chunk.start == 0)


@pytest.mark.parametrize(
    ("text", "announces"),
    [
        (
            "Inledning.\n\nLSS vänder sig till personer i någon av nedan beskrivna personkretsar enligt 1 § LSS.\n\n",
            True,
        ),
        ("Avtalet kan hävas i följande fall:\n", True),
        ("Uppdraget omfattar följande insatser.", True),
        # ... also when a sentence about the law follows the lead-in in its paragraph
        (
            "En person som omfattas av någon av nedan beskrivna personkretsar kan ansöka om insatser. "
            "Det är en rättighetslag som vänder sig till personer med en omfattande funktionsnedsättning.\n\n",
            True,
        ),
        ("Följande gäller vid avtalsbrott.\n\nAvtalet kan hävas vid väsentliga avtalsbrott.\n\n", False),
        ("Avtalet kan hävas vid väsentliga avtalsbrott.\n\n", False),
        ("Vilka av följande gäller?", False),  # a question, not a lead-in
        ("Avtalet kan hävas i följande fall:\n\n- vid konkurs\n- vid avtalsbrott\n", False),  # the list is there
        ("Följande gäller\n\n## Hävning\n", False),  # ends with a heading
        ("", False),
    ],
)
def test_announces_beyond(text, announces):
    from assistant.answering.passages import announces_beyond

    assert announces_beyond(text) is announces


def test_a_repealed_act_is_no_alternative_to_the_current_one(monkeypatch):
    """The old act says the same with other amounts: the answer gives the current act's, not both."""
    monkeypatch.setattr(citing, "ALTERNATIVE", 0.9)
    searcher = (
        FakeSearcher()
        .add(
            "ny.md",
            "Timvikarier beställs av enhetschefen via bemanningsenheten.\n",
            title="Ny lag",
            kind=DocumentKind.lag,
        )
        .add(
            "gammal.md",
            "Timvikarier beställs av samordnaren via bemanningsenheten.\n",
            title="Gammal lag",
            kind=DocumentKind.lag,
            repealed=True,
        )
    )
    answer = Answerer(searcher, k=4, unit_model=coverage_model()).ask(QUESTION)
    assert [c.doc for c in answer.citations] == ["ny.md"]
    assert not any("Osäkert" in n for n in answer.notes)


def test_a_repealed_acts_rule_is_answered_from_the_act_that_replaced_it():
    """Search finds the old act's paragraph; the same rule in the act that replaced it answers instead."""
    old = (
        "Avgifter\n\n"
        "5 § Den enskildes avgift för hemtjänst per månad får vara högst en tolftedel av 0,5392 prisbasbelopp.\n\n"
        "6 § Kommunen ska bestämma avgifter.\n"
    )
    new = (
        "Bostäder\n\n"
        "1 § Kommunen ska verka för goda bostäder.\n\n"
        "Högsta avgift\n\n"
        "6 § Den enskildes avgift för hemtjänst får per månad uppgå till högst en tolftedel av 0,5392 prisbasbelopp.\n"
    )
    searcher = (
        FakeSearcher()
        .add(
            "gammal.md",
            old,
            title="Socialtjänstlag (2001:453)",
            kind=DocumentKind.lag,
            repealed=True,
            superseded_by="SFS 2025:400",
        )
        .add("ny.md", new, title="Socialtjänstlag (2025:400)", kind=DocumentKind.lag)
    )
    question = "Hur mycket får den enskildes avgift för hemtjänst vara per månad?"
    assert searcher.search(question, k=1)[0].chunk.doc == "gammal.md"
    answer = Answerer(searcher, k=1, unit_model=None).ask(question)
    assert not answer.abstained
    assert answer.citations[0].doc == "ny.md"
    assert "0,5392 prisbasbelopp" in answer.citations[0].quote


def test_near_a_tie_a_document_states_before_an_interview_quote(monkeypatch):
    """An opinion in an interview a little more probable than a rule (by less than QUOTE_BEHIND): the rule
    answers; without the setting, the quote would."""
    monkeypatch.setattr(citing, "ALTERNATIVE", 0.0)
    coverage = coverage_model()
    weights = list(coverage.weights)
    weights[FEATURES.index("person_quote")] = 0.2  # the quote 0.02 more probable than the rule
    model = dataclasses.replace(coverage, weights=tuple(weights))
    searcher = (
        FakeSearcher()
        .add("rapport.md", "”Jag tycker att timvikarier beställs av enhetschefen via bemanningsenheten.”\n")
        .add("rutin.md", "Timvikarier beställs av samordnaren via bemanningsenheten.\n")
    )
    answer = Answerer(searcher, k=4, unit_model=model).ask(QUESTION)
    assert [c.doc for c in answer.citations] == ["rutin.md"]
    monkeypatch.setattr(extractive, "QUOTE_BEHIND", 0.0)
    assert [c.doc for c in Answerer(searcher, k=4, unit_model=model).ask(QUESTION).citations] == ["rapport.md"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Vem har beslutat om kostpolicyn?", "Antagen av kommunfullmäktige"),
        ("När antogs kostpolicyn?", "Antagen av kommunfullmäktige"),
        # A question about what the policy says is not answered by who adopted it.
        ("Vem ansvarar för att kostpolicyn följs?", "Varje enhet ansvarar"),
    ],
)
def test_who_decided_a_document_is_answered_by_its_decision_line(question, expected):
    """The decision line sits among addresses at the top of the first page, where search does not look; it is
    neither a heading nor a section, and it answers before a sentence of the text that names an actor."""
    text = (
        "Kostpolicy för Botkyrka kommun\n\n"
        "Utbildningsförvaltningen\nAdministrativa enheten\nPost Botkyrka kommun, 147 85 TUMBA\n\n"
        "Antagen av kommunfullmäktige § 117, 2011-06-16\n\n"
        + "Vision\n\nAlla matgäster ska känna en trygghet i att det serveras god och näringsriktig mat.\n\n" * 6
        + "Bakgrund\n\nVarje enhet ansvarar för att kostpolicyn följs. Policyn är ett vägledande dokument.\n"
    )
    searcher = FakeSearcher().add(
        "kostpolicy.md",
        text,
        title="Kostpolicy för Botkyrka kommun",
        kind=DocumentKind.policy,
        decided_by="kommunfullmäktige",
        decided_on="2011-06-16",
    )
    answer = Answerer(searcher, k=2, unit_model=None).ask(question)
    assert not answer.abstained
    assert answer.citations[0].quote.startswith(expected)
    assert all((c.section or "").startswith("Antagen") is False for c in answer.citations)


@pytest.mark.parametrize(("sure", "warned"), [(0.95, True), (0.8, False), (None, False)])
def test_an_answer_less_probable_than_the_model_is_sure_of_says_it_is_uncertain(sure, warned):
    """The coverage model gives the answering unit (every question word found) 0.88: below `sure` the answer
    stays, with a first note saying it may not answer the question; at or above it, or without `sure`, none."""
    model = dataclasses.replace(coverage_model(), sure=sure)
    answer = Answerer(_two_routines("Bemanningsenheten har öppet vardagar.\n"), k=4, unit_model=model).ask(QUESTION)
    assert not answer.abstained and answer.citations[0].doc == "a.md"
    assert (bool(answer.notes) and answer.notes[0].startswith("Osäkert svar")) is warned


ACT = (
    "# Lag om stöd och service\n\n## Inledande bestämmelser\n\n### 1 §\n\n"
    "Denna lag innehåller bestämmelser om insatser för särskilt stöd åt personer\n"
    "1. med utvecklingsstörning, autism eller autismliknande tillstånd,\n"
    "2. med betydande funktionshinder efter hjärnskada i vuxen ålder.\n\n"
    + "".join(f"### {n} §\n\nNämnden ska samverka med andra myndigheter om lokaler ({n}).\n\n" for n in (2, 3))
    + "## Rätten till insatser\n\n### 7 §\n\n"
    "Personer som anges i {ref} har rätt till insatser i form av särskilt stöd och särskild service.\n"
)


def _act(text: str) -> FakeSearcher:
    """The act with one chunk per §, its section path "Rubrik > N §" as ingest gives an act's."""
    import re

    from assistant.models import Chunk

    searcher = FakeSearcher().add("lss.md", text, title="LSS", kind=DocumentKind.lag)
    searcher._chunks = [
        Chunk(
            id=f"p{n}",
            doc="lss.md",
            text=m.group(0),
            start=m.start(),
            end=m.end(),
            ordinal=n,
            section=f"{re.findall(r'^## (.+)$', text[: m.start()], re.M)[-1]} > {m.group(1)}",
        )
        for n, m in enumerate(re.finditer(r"### (\d+ §)\n\n.*?(?=\n#|\Z)", text, re.S))
    ]
    return searcher


@pytest.mark.parametrize(
    ("ref", "followed"),
    [
        ("1 §", True),
        # The § of another act is not this act's 1 §.
        ("1 § lagen (2008:962) om valfrihetssystem", False),
    ],
)
def test_an_act_that_names_whom_by_another_paragraph_is_cited_with_that_paragraph(ref, followed):
    """ "Personer som anges i 1 § har rätt till insatser" answers whom only with 1 §'s list: it is cited after it."""
    searcher = _act(ACT.replace("{ref}", ref))
    answer = Answerer(searcher, k=4, unit_model=None).ask("Vem har rätt till insatser i form av särskilt stöd?")
    assert not answer.abstained and "Personer som anges i" in answer.text
    assert ("autismliknande tillstånd" in answer.text) is followed
    assert any((c.section or "").endswith("1 §") for c in answer.citations) is followed


def test_a_word_every_candidate_shares_weighs_nothing_in_rare_coverage():
    """Over a kitchen's routines that all say "diskmaskin", the unit that also says "filter" covers what sets the
    question apart; one that says only "diskmaskin" covers nothing of it."""
    from types import SimpleNamespace

    from assistant.answering.unit_model import rare_coverage

    terms = SimpleNamespace(terms=[SimpleNamespace(weight=1.0), SimpleNamespace(weight=1.0)])  # diskmaskin, filter
    both, common, common_too = (SimpleNamespace(levels=lv) for lv in ([1.0, 1.0], [1.0, 0.0], [1.0, 0.0]))
    scores = rare_coverage([both, common, common_too], terms)
    assert scores[0] == pytest.approx(1.0)
    assert scores[1] == scores[2] == pytest.approx(0.0)
    # A candidate without levels (none computed) counts as covering nothing.
    assert rare_coverage([both, SimpleNamespace(levels=[])], terms)[1] == 0.0


def test_restating_needs_a_whole_sentence_in_the_other_passage():
    """The same text in another file, wrapped otherwise: the answer's last sentence is there the lead-in of a list
    (d16 of the dev set, "Hur brukar en sanktionstrappa se ut?"). Its next line is no second place that may
    answer. A passage that only shares words is."""
    from types import SimpleNamespace

    from assistant.answering.citing import _restates
    from assistant.answering.passages import segment
    from assistant.models import Chunk, DocumentMeta, SearchHit

    def units(text: str) -> list:
        hit = SearchHit(
            chunk=Chunk(id=text[:9], doc="d.md", text=text, start=0, end=len(text)),
            meta=DocumentMeta(doc="d.md", title="D"),
            score=1.0,
        )
        return [u for u in segment(hit)[0] if u.kind == "sentence"]

    answer = units("Det vanliga är varningar först. Ytterst kan utföraren mista sitt uppdrag helt.")
    copy = units("Ytterst kan utföraren mista sitt uppdrag helt. En utmaning är egenregin.")
    other = units("Ytterst kan nämnden häva avtalet med utföraren helt. En utmaning är egenregin.")
    assert _restates(copy, answer)
    assert not _restates(other, answer)
    # An item shown after its lead-in (citing._with_lead) stands without it in the other file's list unit (one
    # policy in two folders): the same words, not a second reading.
    item = SimpleNamespace(text="Skolan: Nötter inklusive jordnötter, mandel och sesamfrö får inte serveras.")
    listed = SimpleNamespace(
        text="Skolan: Lunchen ska vara god; Nötter inklusive jordnötter, mandel och sesamfrö får inte serveras"
    )
    assert _restates([listed], [item])


def test_a_task_under_a_shifts_heading_is_answered_with_the_shift():
    """Korttids' day routine lists each shift's tasks under its heading ("## KVÄLLSPERSONAL:___"); the tasks
    themselves name no one. Asked who does one, the answer is the task shown after its shift, as search's section
    path has it."""
    from assistant.models import Chunk

    day = "## DAGPERSONAL:___\n- Städa hygienlådor\n- Bädda rent sängarna för de barn som åkt hem.\n\n"
    evening = "## KVÄLLSPERSONAL:___\n- Vattna blommorna ute\n- Packa barnens väskor kvällen innan hemgång.\n"
    searcher = FakeSearcher().add("dag.md", day + evening, title="Dagsrutiner", kind=DocumentKind.rutin)
    searcher._chunks = [
        Chunk(id=f"c{n}", doc="dag.md", text=text, start=start, end=start + len(text), ordinal=n, section=section)
        for n, (text, start, section) in enumerate(
            [(day, 0, "RUTIN > DAGPERSONAL:"), (evening, len(day), "RUTIN > KVÄLLSPERSONAL:")]
        )
    ]
    answer = Answerer(searcher, k=4, unit_model=coverage_model()).ask("Vem packar barnens väskor inför hemgång?")
    assert not answer.abstained
    assert answer.text.startswith("Kvällspersonal: Packa barnens väskor kvällen innan hemgång")
    assert answer.citations[0].quote.strip().endswith("Packa barnens väskor kvällen innan hemgång.")
