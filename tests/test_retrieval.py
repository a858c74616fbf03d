"""Pure retrieval functions: fusion, duplicate collapsing, sentence coverage, Swedish analysis, the learned ranking's
reading of the kind of answer asked for."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.analysis import Analyzer, tokenize
from assistant.answering.shape import Shape, passage_types
from assistant.dense import DenseRows
from assistant.models import DocumentKind, DocumentMeta
from assistant.ranking import FEATURES, Pool, default_model, features, rank
from assistant.retrieval import (
    best_sentence_coverage,
    collapse_duplicates,
    expansions,
    mentioned_documents,
    named_laws,
    rrf,
    sentence_terms,
)


@pytest.mark.parametrize(
    ("rankings", "weights", "expected_order"),
    [
        ([["a", "b", "c"], ["c", "b", "a"]], [1.0, 1.0], ["a", "c", "b"]),  # a and c tie; ties by id
        ([["a", "b"], ["b", "a"]], [1.0, 0.1], ["a", "b"]),  # the heavier ranking wins
        ([["a"], []], [1.0, 1.0], ["a"]),
        ([["x", "y"], ["z"]], [1.0, 1.0], ["x", "z", "y"]),
    ],
)
def test_rrf_table(rankings, weights, expected_order):
    assert [item for item, _ in rrf(rankings, weights, k=60)] == expected_order


def test_rrf_score_formula():
    fused = dict(rrf([["a", "b"], ["b"]], [1.0, 0.5], k=10))
    assert fused["a"] == pytest.approx(1 / 11)
    assert fused["b"] == pytest.approx(1 / 12 + 0.5 / 11)


def test_collapse_keeps_first_and_lists_duplicate_docs():
    same = "Beställare bestämmer värdet på tjänsten, godkänner utförare samt följer upp och utvärderar resultatet"
    items = [
        ("c1", "002.txt", same),
        ("c2", "004.txt", same.replace(",", "")),
        ("c3", "003.txt", "helt annan text om avtal och vite i kommunen nu"),
    ]
    related = lambda a, b: {a, b} == {"002.txt", "004.txt"}  # noqa: E731
    assert collapse_duplicates(items, 0.6, related) == [("c1", ["004.txt"]), ("c3", [])]


def test_collapse_keeps_two_laws_with_similar_wording_apart():
    lou = "En upphandlande myndighet får inte ställa upp villkor om att en grupp ska ha en bestämd juridisk form"
    lov = (
        "Den upphandlande myndigheten får inte ställa upp villkor om att en grupp ska ha "
        "en bestämd juridisk form för att få lämna en ansökan"
    )
    assert [c for c, _ in collapse_duplicates([("a", "lou.md", lou), ("b", "lov.md", lov)], 0.6)] == ["a", "b"]


def test_collapse_never_merges_within_one_document():
    text = "samma mening upprepas här i dokumentet om uppföljning av privata utförare varje år"
    assert [c for c, _ in collapse_duplicates([("a", "d", text), ("b", "d", text)], 0.6)] == ["a", "b"]


def test_compounds_split_into_known_parts():
    analyzer = Analyzer(["sanktion", "trappa", "uppföljning", "plan", "konkurrens"])
    assert analyzer.split_compound("sanktionstrappa") == ("sanktion", "trappa")
    assert analyzer.split_compound("uppföljningsplan") == ("uppföljning", "plan")
    assert analyzer.split_compound("konkurrensneutralitet") == ("konkurrens", "neutralitet")
    assert analyzer.split_compound("avtal") == ()
    # The compound's parts share stems with the simple words.
    assert set(analyzer.terms("sanktionstrappa")) & set(analyzer.terms("sanktioner"))
    assert set(analyzer.terms("uppföljningsplan")) & set(analyzer.terms("uppföljning"))


def test_a_function_word_or_a_suffix_is_no_compound_part():
    """The corpus vocabulary holds "före", "under" and hyphenation residue such as "ningen" and "heter"."""
    analyzer = Analyzer(["före", "tagen", "under", "lagen", "ersätt", "ningen", "möjlig", "heter", "uppföljning"])
    assert analyzer.split_compound("företagen") == ()  # not "före" + "tagen": no terms "för", "tag"
    assert analyzer.split_compound("underlagen") == ()  # not "under" + "lagen": no term "lag" (law)
    assert analyzer.split_compound("ersättningen") == ()
    assert analyzer.split_compound("möjligheter") == ()
    assert analyzer.split_compound("uppföljningslagen") == ("uppföljning", "lagen")


def test_a_noun_in_an_and_its_verb_share_a_term_when_the_corpus_has_both():
    """ "överklagan" / "överklaga", "ansökan" / "ansöka": the stemmer alone gives two terms."""
    analyzer = Analyzer(["överklaga", "ansöka", "åtgärd", "plan"])
    assert analyzer.terms("överklagan") == analyzer.terms("överklaga")
    assert analyzer.terms("ansökan") == analyzer.terms("ansöka")
    # A word that only ends in "an" keeps its own term: no "åtgärdspla" in the corpus.
    assert analyzer.terms("åtgärdsplan")[0] != analyzer.terms("åtgärdspla")[0]
    assert Analyzer().terms("överklagan") != Analyzer().terms("överklaga")


def test_an_agent_noun_is_not_its_verb():
    """ "utförare" (the provider) and "utföra" / "utförs" / "utförande" (carrying out) are two words; the stemmer
    gives all of them "utför"."""
    analyzer = Analyzer(["utförare", "utförarna", "hemtjänst"])
    provider = analyzer.terms("utförare")
    assert provider == analyzer.terms("utföraren") == analyzer.terms("utförarens") == analyzer.terms("utförarna")
    assert not set(provider) & {t for w in ("utföra", "utförs", "utförande", "utförandet") for t in analyzer.terms(w)}
    # A compound with an agent noun as its head shares the noun's term.
    assert set(provider) <= set(analyzer.terms("hemtjänstutförarna"))
    # The plural of a noun in "-ar" stays that noun: the corpus has no "dagare".
    assert analyzer.terms("dagarna") == analyzer.terms("dagar")
    # A comparative in "-are" is no longer cut to another word: "tidigare" is not "tid".
    assert analyzer.terms("tidigare") != analyzer.terms("tid")
    # A noun in "-ar" is no agent noun in its definite form: "sommaren" is the summer ("innan sommar").
    assert analyzer.terms("sommaren") == analyzer.terms("sommar") == analyzer.terms("sommarens")


def test_the_forms_of_a_word_in_el_share_a_term():
    """ "cykel", "cykeln", "cyklar", "cyklarna": the stemmer gives "cykel", "cykeln" and "cykl"."""
    analyzer = Analyzer(["jobb", "cykeln", "läkemedel"])
    for family in (
        ("cykel", "cykeln", "cyklar", "cyklarna"),
        ("nyckel", "nyckeln", "nycklar", "nycklarna"),
        ("läkemedel", "läkemedlet", "läkemedlen", "läkemedlets"),
        ("regel", "regeln", "regler", "reglerna"),
        ("enkel", "enkla"),
    ):
        assert len({analyzer.terms(w)[0] for w in family}) == 1, family
    # A compound's head shares it too ("jobbcykeln" is asked, "Cyklar utan vinterdäck" is written).
    assert analyzer.terms("cyklar")[0] in analyzer.terms("jobbcykeln")
    # A short word, a double "l" and "-let" after a vowel keep the stemmer's stem.
    assert analyzer.terms("spel") == ["spel"] and analyzer.terms("fel") == ["fel"]
    assert analyzer.terms("modell") == ["modell"] and analyzer.terms("toalett") == ["toalet"]


def test_tokenize_keeps_sfs_numbers_and_splits_hyphens():
    tokens = tokenize("Lag (2017:725) om LSS-boende och e-post")
    assert "2017:725" in tokens and "lss" in tokens and "boende" in tokens


def test_stopwords_and_question_words_are_not_terms():
    assert Analyzer().terms("Vem är det som ska göra vad?") == [Analyzer().terms("göra")[0]]


def test_thesaurus_expands_user_words_to_document_words():
    assert "valfrihetssystem" in expansions("Hur fungerar kundval?")
    assert "utförare" in expansions("Vilka krav ställs på företag?")
    # Every form of a verb people use: "har dött" finds the routines' "dödsfall".
    assert "dödsfall" in expansions("Måste läkaren komma när någon har dött?")
    # ... and the verb for the routines' noun: "klagar" finds "Synpunkter och klagomål".
    assert "klagomål" in expansions("Hur klagar jag på hemtjänsten?")
    # A vårdcentral is what the health-care act calls a provider in the primärvård's vårdvalssystem.
    assert {"primärvård", "vårdvalssystem"} <= set(expansions("Hur ofta får man byta vårdcentral?"))
    assert expansions("helt orelaterad fråga om väder") == []


def test_a_hyphenated_word_of_the_thesaurus_is_the_two_words_a_query_splits_it_into():
    # "id-brickan" is searched as "id" and "brickan"; the thesaurus's "id-bricka" is the same two words.
    assert "behörighetskort" in expansions("Måste jag ha id-brickan synlig hos brukaren?")
    assert "hlr" in expansions("Ska vi göra hjärt-lungräddning?")


def test_a_hyphenated_word_of_the_question_gets_the_thesaurus_words_of_its_two_parts():
    from assistant.answering.terms import QueryTerms, stems

    terms = QueryTerms("Måste jag ha id-brickan synlig?")
    (i,) = [i for i, t in enumerate(terms.terms) if t.word == "brickan"]
    assert terms.level(i, stems("Behörighetskortet ska alltid kunna visas upp."), aliases="thesaurus") > 0.5


def test_a_word_listed_exactly_is_not_taken_for_another_word_of_its_stem():
    # "kostar" (costs) and "kost" (diet) share a stem: the price question gets fees, not food.
    costs = expansions("Vad kostar hemtjänsten?")
    assert "avgift" in costs and "mat" not in costs
    assert "mat" in expansions("Får de boende välja kost?")


def test_a_particle_verb_is_searched_as_the_noun_it_makes():
    # "lämna ut" is written "utlämnande" in the guidelines, "säga upp" "uppsägning".
    assert "utlämna" in expansions("Hur snabbt ska kommunen lämna ut en handling?")
    assert "uppsäga" in expansions("Kan vi säga upp avtalet?")
    # A preposition is no particle: "flytta till" is not "tillflytta".
    assert not any(e.startswith("till") for e in expansions("Får jag flytta till ett äldreboende?"))


def test_an_irregular_verb_is_searched_in_all_its_forms():
    # "bryter" is written "har brutit mot" in the law; the stemmer keeps the two apart.
    assert "brutit" in expansions("Vad händer om kommunen bryter mot LOU?")
    # A compound verb and the passive: "antogs" finds "antagen", "utser" finds "utsedd".
    assert "antagen" in expansions("När antogs policyn?")
    assert "utsedd" in expansions("Vem utser uppdragstagare?")
    # A form that is another common word is not one: "lag" (law) is no form of "ligga".
    assert expansions("Vilken lag gäller?") == []


def test_best_sentence_coverage_prefers_terms_together():
    analyzer = Analyzer()
    terms = analyzer.terms("Vem godkänner utförare?")
    together = "Inledning. Beställare godkänner utförare och följer upp."
    scattered = "Här godkänner man saker. Sedan nämns utförare i en annan mening."
    score = lambda text: best_sentence_coverage(terms, sentence_terms(text, analyzer.terms), lambda t: 1.0)  # noqa: E731
    assert score(together) == pytest.approx(1.0)
    assert score(scattered) == pytest.approx(0.5)
    assert score("inget relevant alls") == 0.0


def test_two_versions_of_a_passage_are_not_called_the_same_text():
    """Copies of a routine in two folders, one version's amount and year changed: one passage (the one ranked
    first), and the other file is not named as holding the same text."""
    old = "Restaurangbesök inklusive dryck (inte alkohol). För restaurangbesök beviljas kostnader upp till 145 kr inklusive moms för 2024. Kostnader utöver det får medarbetaren själv stå för."  # noqa: E501
    new = old.replace("145", "149").replace("2024", "2025")
    items = [("a", "Korttids/Rutin för ADL.md", new), ("b", "Gruppbostad/Rutin för ADL.md", old)]
    assert collapse_duplicates(items, 0.6, lambda a, b: True) == [("a", [])]
    # A page number left by a PDF, on a line of its own or inside the text, is no figure of the passage.
    paged = [("a", "Korttids/ADL.md", new), ("c", "Serviceboende/ADL.md", "14 " + new + "\n\n2/3\n")]
    assert collapse_duplicates(paged, 0.6) == [("a", ["Serviceboende/ADL.md"])]


def test_figures_of_a_passage():
    from assistant.retrieval import figures

    text = "Beslutad 2025-02-10.\n\n3\n\nUpp till 149 kr, 08.00-17.00, 15 timmar per år 2025, enligt 5 kap. 3 §."
    assert figures(text) == {"2025-02-10", "149", "08.00-17.00", "15", "2025"}


@pytest.mark.parametrize(
    ("question", "passage", "expected"),
    [
        # (answer_type, sanction_type, obligation_type)
        ("Vem ansvarar för tillsynen?", "Inspektionen för vård och omsorg ansvarar för tillsynen.", (1.0, 0.0, 0.0)),
        ("Vem ansvarar för tillsynen?", "Tillsynen ska vara regelbunden och dokumenteras.", (0.0, 0.0, 0.0)),
        ("Vad händer om utföraren inte följer avtalet?", "Kommunen får häva avtalet.", (0.0, 1.0, 0.0)),
        ("Vad händer om utföraren inte följer avtalet?", "Avtalet gäller i två år.", (0.0, 0.0, 0.0)),
        ("Hur mycket kostar hemtjänsten?", "Avgiften är 300 kronor per timme.", (1.0, 0.0, 0.0)),
        ("Hur mycket kostar hemtjänsten?", "Avgiften bestäms av nämnden.", (0.0, 0.0, 0.0)),
        ("Måste kommunen ha ett valfrihetssystem?", "Kommunen ska ha ett valfrihetssystem.", (0.0, 0.0, 1.0)),
        ("Måste kommunen ha ett valfrihetssystem?", "Kommunen har ett valfrihetssystem.", (0.0, 0.0, 0.0)),
        # What a term means: a passage that defines it, in any of its sentences.
        (
            "Vad är ett förfrågningsunderlag?",
            "Lagen gäller kommuner. Med förfrågningsunderlag avses det underlag som myndigheten tillhandahåller.",
            (1.0, 0.0, 0.0),
        ),
        ("Vad är ett förfrågningsunderlag?", "Förfrågningsunderlaget kompletteras via TendSign.", (0.0, 0.0, 0.0)),
        # A question that asks for no particular kind of answer reads nothing in the passage.
        ("Hur fungerar LOV i Botkyrka?", "Nämnden ska häva avtalet och betala 300 kronor.", (0.0, 0.0, 0.0)),
    ],
)
def test_search_reads_whether_a_passage_holds_the_kind_of_answer_asked_for(question, passage, expected):
    assert passage_types(Shape.of(question), passage) == pytest.approx(expected)


def test_the_shipped_ranking_puts_the_passage_with_the_asked_kind_of_answer_first():
    """Two passages alike in every other signal: for "Vem ...?" the one that names who acts ranks first (the
    weights are fitted, eval/train_ranker.py; this fails if the fit stops valuing the answer's kind)."""
    model = default_model()
    assert model is not None
    question = "Vem ansvarar för tillsynen av privata äldreboenden?"
    texts = {
        "utan": "Tillsynen av privata äldreboenden ska vara regelbunden och dokumenteras.",
        "med": "Inspektionen för vård och omsorg ansvarar för tillsynen av privata äldreboenden.",
    }
    shape = Shape.of(question)
    pool = Pool(
        ids=list(texts),
        docs={cid: f"{cid}.md" for cid in texts},
        ordinals=dict.fromkeys(texts, 0),
        lengths=dict.fromkeys(texts, 80),
        kinds=dict.fromkeys(texts, DocumentKind.lag),
        lex={cid: (1, 10.0) for cid in texts},
        dense={cid: (1, 0.85) for cid in texts},
        types={cid: passage_types(shape, text) for cid, text in texts.items()},
    )
    assert [cid for cid, _ in rank(pool.ids, features(pool, 60), model)] == ["med", "utan"]


def test_dense_rows_give_the_cosine_of_any_passage_they_hold():
    """Search asks the vectors of the passages BM25 found too, not only of the dense top list."""
    rows = DenseRows(["a", "b", "c"], np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]], dtype=np.float32), ["x"] * 3)
    cos = rows.cosines([2.0, 0.0], ["c", "a", "okänd"])
    assert set(cos) == {"a", "c"}
    assert cos["a"] == pytest.approx(1.0) and cos["c"] == pytest.approx(0.6)
    question = np.array([2.0, 0.0], dtype=np.float32)
    rows.cosines(question, ["a"])
    assert question.tolist() == [2.0, 0.0]  # the question's vector (search caches it) is not normalised in place
    newer = rows.extended(["a"], np.array([[0.0, 3.0]]), ["x"], seq=1)
    assert newer.cosines([1.0, 0.0], ["a"])["a"] == pytest.approx(0.0)  # a passage embedded again: its newest vector


def test_a_candidate_only_bm25_found_is_ranked_by_its_own_cosine():
    """Two passages BM25 found alike, outside the dense top list: the one nearer the question in meaning ranks first,
    whichever comes first in the lists (before, both got the same made-up cosine)."""
    model = default_model()
    assert model is not None
    ids = ["fjärran", "nära", "topp"]
    pool = Pool(
        ids=ids,
        docs={cid: f"{cid}.md" for cid in ids},
        ordinals=dict.fromkeys(ids, 0),
        lengths=dict.fromkeys(ids, 300),
        kinds=dict.fromkeys(ids, DocumentKind.rutin),
        lex={"fjärran": (2, 8.0), "nära": (3, 8.0), "topp": (1, 9.0)},
        dense={"topp": (1, 0.86)},
        cosine={"fjärran": 0.70, "nära": 0.85, "topp": 0.86},
    )
    order = [cid for cid, _ in rank(pool.ids, features(pool, 60), model)]
    assert order.index("nära") < order.index("fjärran")
    rows = features(pool, 60)
    cos = FEATURES.index("dense_cos")
    assert rows[ids.index("nära"), cos] == pytest.approx(0.85)
    without = features(Pool(**{**pool.__dict__, "cosine": {}}), 60)
    assert without[0, cos] == without[1, cos]  # what search did without the vectors: no difference to rank by


_ACTS = [
    DocumentMeta(doc="hsl.md", title="Hälso- och sjukvårdslag (2017:30)", kind=DocumentKind.lag),
    DocumentMeta(doc="kl.md", title="Kommunallag (2017:725)", kind=DocumentKind.lag),
    DocumentMeta(doc="lou.md", title="Lag (2016:1145) om offentlig upphandling", kind=DocumentKind.lag),
]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Vad säger hälso- och sjukvårdslagen om journaler?", {"hsl.md"}),  # the hyphen is no obstacle
        ("Vad säger HSL om journaler?", {"hsl.md"}),
        ("Gäller LOU eller kommunallagen här?", {"lou.md", "kl.md"}),
        ("Vad säger lagen om journaler?", set()),  # no act named
        ("Vad är en lovande utförare?", set()),  # "lov" only as a whole word
    ],
)
def test_named_laws_by_name_or_abbreviation(question, expected):
    assert named_laws(question, _ACTS) == expected


def test_mentioned_documents_includes_the_named_act():
    assert "hsl.md" in mentioned_documents("Enligt hälso- och sjukvårdslagen, vem ansvarar?", _ACTS)
