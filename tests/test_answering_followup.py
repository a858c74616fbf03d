"""Follow-up questions are resolved against the conversation before retrieval."""

from __future__ import annotations

import pytest
from test_answering_fakes import seed_searcher

from assistant.answering import Answerer, Conversation
from assistant.answering.followup import Turn, is_followup, resolve


def _conv(question: str) -> Conversation:
    return Conversation(turns=[Turn(question=question, resolved=question, answer="…", docs=["003.txt"])])


def test_pronoun_is_replaced_by_the_earlier_topic():
    res = resolve("Och vem följer upp dem?", _conv("Vilka krav ställer socialnämnden på privata utförare?"))
    assert res.is_followup
    assert res.question == "Vem följer upp privata utförare?"
    assert "socialnämnden" in res.context
    assert res.prior_docs == ["003.txt"]


def test_a_pronoun_points_to_the_topic_the_follow_up_names_first():
    """"Och matrester då, ...": the follow-up's own topic, before the comma, is what its "det" stands for."""
    conv = _conv("Var slänger vi kartonger i köket?")
    res = resolve("och matrester där då, finns det nåt eget kärl för det?", conv)
    assert res.question == "Finns det nåt eget kärl för matrester?"
    assert "kartonger" in res.context
    # A clause before the comma names no topic: the earlier question's stands.
    res = resolve("och om jag är sjuk då, vem meddelar jag det?", _conv("Vem meddelar jag ledighet på kortis?"))
    assert res.question.lower().startswith("om jag är sjuk då,")


def test_a_phrase_without_its_noun_is_no_topic_to_swap_in():
    """"Kan jag byta till ett annat?" names no thing that a later "det" could stand for: the follow-up keeps its
    own words and leans on the earlier question."""
    res = resolve(
        "och om jag vill att de klipper gräset också, ingår det?",
        _conv("Jag är inte nöjd med företaget som kommer. Kan jag byta till ett annat?"),
    )
    assert "ett annat" not in res.core
    assert res.core.endswith("ingår det?")
    assert "byta" in res.context


def test_place_swap_keeps_the_question():
    res = resolve("Och i Botkyrka?", _conv("Vem ansvarar för uppföljningen av hemtjänsten i Täby?"))
    assert res.question == "Vem ansvarar för uppföljningen av hemtjänsten i Botkyrka?"
    assert res.prior_docs == []  # another municipality: the earlier documents are not the place to look


def test_bare_follow_up_leans_on_the_earlier_question():
    res = resolve("Hur ofta?", _conv("Hur följer socialnämnden upp avtalen?"))
    assert res.core == "Hur ofta?"
    assert "följer socialnämnden upp avtalen" in res.question


def test_self_contained_questions_pass_unchanged():
    conv = _conv("Vilka krav ställer socialnämnden på privata utförare?")
    assert not is_followup("Vem godkänner utförare i ett valfrihetssystem?")
    res = resolve("Vem godkänner utförare i ett valfrihetssystem?", conv)
    assert not res.is_followup and res.question == "Vem godkänner utförare i ett valfrihetssystem?"
    assert not resolve("Och vem följer upp dem?", None).is_followup


def test_answerer_resolves_and_records_turns():
    answerer = Answerer(seed_searcher())
    conv = Conversation()
    first = answerer.ask("Vilka krav och villkor fastställer socialnämnden som beställare?", conv)
    assert not first.abstained and first.resolved_question is None
    second = answerer.ask("Och vem följer upp dem?", conv)
    assert second.resolved_question and "socialnämnden" in second.resolved_question
    assert "socialnämnden" in answerer.searcher.queries[-1] or any(
        "socialnämnden" in q for q in answerer.searcher.queries
    )
    assert not second.abstained
    assert "följa upp" in second.text or "följas upp" in second.text
    assert [t.question for t in conv.turns] == [
        "Vilka krav och villkor fastställer socialnämnden som beställare?",
        "Och vem följer upp dem?",
    ]
    assert conv.turns[0].docs == ["003_c73df01d320b46e8.txt"]


@pytest.mark.parametrize(
    "question",
    [
        "Kan vi då också stänga ute dem från kommande avrop?",  # "då", "dem"
        "Gäller samma sak på kortis?",
        "Vem på kommunen fattar i så fall det beslutet?",
        "Om jag får rätt, kan domstolen då bestämma något annat i stället?",
        "Gäller det fortfarande för all hjälp, även omvårdnaden?",
        "Vem ska sedan kontrollera att utförarna gör det de ska?",
        "Hur stor kan den avgiften bli?",
        "Hur gör jag om jag vill ge henne lov, måste det vara skriftligt?",  # "henne": whom the turn before named
    ],
)
def test_words_that_point_back_make_a_follow_up(question):
    assert is_followup(question)


@pytest.mark.parametrize(
    "question",
    [
        "Får de boende röka inne på sina rum?",  # "de boende" is no pronoun
        "Finns det krav på språkkunskaper hos personalen?",
        "Vilka har rätt till insatser enligt LSS sedan 2010?",  # "sedan" with a year is no pointer
        "Vem godkänner utförare i ett valfrihetssystem?",
        # A person's pronoun after the question names the person itself.
        "Min vuxna son har autism. Kan han ha rätt till stöd enligt LSS?",
        "Jag tar hand om min man och kan aldrig lämna honom ensam. Vem kan avlösa mig?",
        "En besökare berättade att hennes man slår henne. Måste jag anmäla det?",
        "Brukaren vill ge mig 500 kr som tack. Får jag ta emot pengarna av hen?",
    ],
)
def test_self_contained_questions_are_no_follow_ups(question):
    assert not is_followup(question)


def test_same_thing_elsewhere_swaps_the_last_place():
    res = resolve(
        "Gäller samma sak på kortis?", _conv("Får de boende röka inne på sina rum på vård- och omsorgsboendet?")
    )
    assert res.question == "Får de boende röka inne på sina rum på kortis?"
    assert res.prior_docs == ["003.txt"]


def test_a_clause_is_no_ellipsis():
    """ "Och vart ska jag skicka den?" asks something new: not the earlier question again."""
    res = resolve("Och vart ska jag skicka den?", _conv("Hur lång tid har jag på mig att överklaga?"))
    assert res.core == "Vart ska jag skicka den?"  # "mig att överklaga" is no antecedent for "den"
    assert "överklaga" in res.context
    res = resolve(
        "Och om de inte lyckas bemanna passen, hur snabbt ska de återkoppla?",
        _conv("Hur tidigt beställer vi vikarier?"),
    )
    assert res.core.startswith("Om de inte lyckas bemanna passen")


def test_a_fragment_is_the_earlier_question_with_the_new_detail():
    res = resolve("Och för personalen?", _conv("Får man röka på vård- och omsorgsboendet?"))
    assert res.question == "Får man röka på vård- och omsorgsboendet (för personalen)?"


def _hit(doc: str, text: str):
    from assistant.models import Chunk, DocumentMeta, SearchHit

    return SearchHit(
        chunk=Chunk(id=doc, doc=doc, text=text, start=0, end=len(text)),
        meta=DocumentMeta(doc=doc, title="Rökning på vob och kortis"),
        score=1.0,
    )


def test_what_a_follow_up_swaps_in_must_be_named_by_the_answer():
    from assistant.answering import extractive
    from assistant.answering.terms import QueryTerms

    res = resolve("Gäller samma sak på kortis?", _conv("Får de boende röka på sina rum på vård- och omsorgsboendet?"))
    assert res.emphasis == "kortis"
    terms = QueryTerms(res.core, extra_context=res.context, emphasis=res.emphasis)
    kortis = next(t for t in terms.terms if t.word == "kortis")
    assert kortis.emphasis and kortis.weight > max(t.weight for t in terms.terms if t is not kortis)
    hits = [
        _hit("a.md", "Rökning är tillåtet på eget rum för de boende på vård- och omsorgsboende."),
        _hit("b.md", "Rökning är inte tillåtet för de boende på eget rum på kortis."),
    ]
    analysis = extractive.analyze(terms, res.core, hits)
    verdict = {c.unit.hit.chunk.doc: c for c in analysis.candidates if c.unit.kind == "sentence"}
    assert not verdict["a.md"].supported and "kortis" in verdict["a.md"].why_not
    assert verdict["b.md"].supported


def test_a_word_no_document_has_does_not_silence_the_passage_that_answers():
    """ "Får man röka inne på sitt rum?" where no document says "inne": the rule on smoking in one's room answers.
    Such a word used to count triple as what the documents lack; on questions written by people who had not seen
    the documents ("vintern", "80-åring", "sparpengar") it silenced passages that answered, far more often than it
    kept an unanswerable question from being answered (extractive, 2026-12-05)."""
    from assistant.answering import extractive
    from assistant.answering.terms import QueryTerms

    hits = [_hit("a.md", "Rökning är inte tillåtet i den egna lägenheten eller på eget rum.")]
    terms = QueryTerms("Får man röka inne på sitt rum?")
    analysis = extractive.analyze(terms, terms.question, hits)
    assert {t.word: t.weight for t in terms.terms}["inne"] == 1.0
    assert analysis.candidates[0].supported


def test_what_a_follow_up_asks_weighs_more_than_the_long_question_it_leans_on():
    """ "Och vart ska jag skicka den?" after a long question about fees: where to send it answers, not
    another sentence about fees that says nothing of sending."""
    from assistant.answering import extractive
    from assistant.answering.terms import QueryTerms

    earlier = "Jag tycker att avgiften jag fått för hemtjänsten är fel. Hur lång tid har jag på mig att överklaga?"
    res = resolve("Och vart ska jag skicka den?", _conv(earlier))
    terms = QueryTerms(res.core, extra_context=res.context)
    own = sum(t.weight for t in terms.terms[: len(QueryTerms(res.core).terms)])
    assert sum(t.weight for t in terms.terms) <= 2 * own
    hits = [
        _hit("a.md", "Avdrag på hemtjänstavgiften görs inte om hemtjänsten inte fått veta om frånvaron i tid."),
        _hit("b.md", "Överklagan ska ställas till förvaltningsrätten, men skickas till förvaltningen."),
    ]
    analysis = extractive.analyze(terms, res.core, hits)
    best = {c.unit.hit.chunk.doc: c.cov for c in analysis.candidates}
    assert best["b.md"] > best["a.md"]


def test_a_follow_up_is_answered_from_the_document_just_cited_when_both_answer():
    """Two guidelines say where an appeal is sent; "Och vart ska jag skicka den?" after an answer from the
    fee guideline asks about the fee appeal, so the fee guideline answers, also when the other ranks first."""
    from assistant.answering import extractive
    from assistant.answering.terms import QueryTerms

    conv = Conversation(
        turns=[
            Turn(
                question="Hur överklagar jag avgiften?",
                resolved="Hur överklagar jag avgiften?",
                answer="…",
                docs=["avgift.md"],
            )
        ]
    )
    res = resolve("Och vart ska jag skicka den?", conv)
    assert res.prior_docs == ["avgift.md"]
    hits = [
        _hit("handling.md", "Överklagan skickas till Kammarrätten i Stockholm om beslutet inte ändras."),
        _hit("avgift.md", "Överklagan skickas till vård- och omsorgsförvaltningen."),
    ]
    terms = QueryTerms(res.core, extra_context=res.context)

    def answering_doc(prior_docs) -> str:
        return extractive.analyze(terms, res.core, hits, prior_docs=prior_docs).candidates[0].unit.hit.chunk.doc

    assert answering_doc(()) == "handling.md"  # without the conversation the first hit answers ...
    assert answering_doc(res.prior_docs) == "avgift.md"  # ... in it, the document just cited


@pytest.mark.parametrize(
    ("written", "asked"),
    [
        ("Hej! Jag undrar vem som beställer timvikarier? Tack på förhand!", "Vem som beställer timvikarier?"),
        ("Hej, Vad gör jag om brukaren inte öppnar? Mvh Anna", "Vad gör jag om brukaren inte öppnar?"),
        (
            "Jag har en fråga. Hur ofta får man byta vårdcentral? Med vänliga hälsningar, Karin",
            "Hur ofta får man byta vårdcentral?",
        ),
        ("Vad kostar hemtjänst? Tack för svar! /Lars", "Vad kostar hemtjänst?"),
        ("God morgon! Vem ansvarar för läkemedel? Vänliga hälsningar Per", "Vem ansvarar för läkemedel?"),
        # What is said before the framing is kept, after the question, as its context.
        (
            "Hej, min mamma har hemtjänst och jag undrar vad det kostar som mest per månad?",
            "Vad det kostar som mest per månad? Min mamma har hemtjänst.",
        ),
        ("Hejsan, hur gör man för att byta utförare? tacksam för svar", "Hur gör man för att byta utförare?"),
        ("Hej hej! Vad kostar trygghetslarm? Tusen tack!", "Vad kostar trygghetslarm?"),
        (
            "Hej. Vi har en fråga om jäv. Får en ledamot delta när hennes bror söker bygglov? Tack så mycket, Nils",
            "Får en ledamot delta när hennes bror söker bygglov? Jäv.",
        ),
        # Typed without å, ä, ö: the wrapping is read before the words are respelled.
        ("Hej, kan hon byta utforare? Vanliga halsningar Per", "Kan hon byta utforare?"),
        ("Hallå! Vem betalar? Tack pa forhand!", "Vem betalar?"),
        # Not wrapping: "tacka nej", "tack vare", a question that is only a greeting.
        ("Hur gör jag för att tacka nej till hemtjänst?", "Hur gör jag för att tacka nej till hemtjänst?"),
        ("Vem tackar nej till brukare som tilldelats?", "Vem tackar nej till brukare som tilldelats?"),
        ("Hej!", "Hej!"),
    ],
)
def test_the_wrapping_of_a_question_is_taken_off(written, asked):
    from assistant.answering.followup import unwrap

    assert unwrap(written) == asked


def test_a_wrapped_question_gets_the_plain_questions_answer():
    """A greeting, a signature's name and "jag undrar" are no words the answer must cover."""
    plain = Answerer(seed_searcher()).ask("Vem godkänner utförare i ett valfrihetssystem?")
    wrapped = Answerer(seed_searcher()).ask(
        "Hej! Jag undrar vem som godkänner utförare i ett valfrihetssystem? Tack på förhand! Mvh Anna"
    )
    assert not plain.abstained
    assert wrapped.text == plain.text
    assert [c.quote for c in wrapped.citations] == [c.quote for c in plain.citations]
    assert wrapped.question.startswith("Hej!")  # the user's own words are what the answer shows as asked


def test_a_follow_up_leans_on_the_unwrapped_earlier_question():
    """The signature of the first message is no topic of the second."""
    answerer = Answerer(seed_searcher())
    conv = Conversation()
    answerer.ask("Hej! Vilka krav och villkor fastställer socialnämnden som beställare? Mvh Anna", conv)
    second = answerer.ask("Och vem följer upp dem?", conv)
    assert "socialnämnden" in second.resolved_question
    assert "Anna" not in second.resolved_question and "Hej" not in second.resolved_question
    assert not second.abstained


@pytest.mark.parametrize(
    ("question", "situation", "asked"),
    [
        (
            "Min pappa talar bara arabiska. Har han rätt till tolk när han ska träffa biståndshandläggaren?",
            "Min pappa talar bara arabiska.",
            "Har han rätt till tolk när han ska träffa biståndshandläggaren?",
        ),
        ("Jag är 78 år. Kan jag få städhjälp?", "Jag är 78 år.", "Kan jag få städhjälp?"),
        ("jag är 78 år. kan jag få städhjälp?", "jag är 78 år.", "kan jag få städhjälp?"),  # typed in lower case
        (
            "Det gäller resp. enhet som har avtal. Vem beslutar?",
            "Det gäller resp. enhet som har avtal.",
            "Vem beslutar?",
        ),
        ("Vem ringer jag?", "", "Vem ringer jag?"),  # it opens by asking
        ("Hej. Vem ringer jag?", "", "Hej. Vem ringer jag?"),  # a greeting tells no situation
        ("Måste jag välja? Vad händer om jag inte vill?", "", "Måste jag välja? Vad händer om jag inte vill?"),
        ("Jag undrar vem som beställer vikarier.", "", "Jag undrar vem som beställer vikarier."),  # never asks
        # An abbreviation or a section reference ends no sentence.
        ("Enligt bl.a. Botkyrka gäller detta. Vem beslutar?", "Enligt bl.a. Botkyrka gäller detta.", "Vem beslutar?"),
        ("Enligt 10 kap. 2 § gäller det här. Vem beslutar?", "Enligt 10 kap. 2 § gäller det här.", "Vem beslutar?"),
    ],
)
def test_what_the_asker_tells_before_asking_is_the_situation(question, situation, asked):
    from assistant.answering.followup import split_situation

    assert split_situation(question) == (situation, asked)
    if situation:
        res = resolve(question, None)
        read = (res.situation, res.core, res.question)
        assert [r.casefold() for r in read] == [situation.casefold(), asked.casefold(), question.casefold()]


def test_the_situations_words_weigh_less_and_are_not_what_the_question_is_about():
    """ "Min pappa talar bara arabiska. Har han rätt till tolk ...?": the law on interpreters answers, though no
    document says "arabiska"."""
    from assistant.answering import extractive

    hits = [
        _hit(
            "a.md", "En myndighet ska använda tolk om det behövs för att den enskilde ska kunna ta till vara sin rätt."
        )
    ]
    told = resolve("Min pappa talar bara arabiska. Har han rätt till tolk?", None).terms()
    analysis = extractive.analyze(told, told.question, hits)
    weight = {t.word: t.weight for t in told.terms}
    assert weight["arabiska"] < 1.0 and weight["tolk"] == 1.0
    assert analysis.candidates[0].supported
