"""The passages an answer is chosen from, beyond search's own list (assistant/answering/finding.py)."""

from __future__ import annotations

import pytest

from assistant.answering.finding import PassageFinder


def _paragraphs(topic: str, count: int) -> str:
    return "\n\n".join(
        f"#### {n} §\n\nNämnden ska i ärenden om {topic} pröva ansökan och föra register över beslut som rör "
        f"verksamheten. Beslutet ska motiveras."
        for n in range(1, count + 1)
    )


def _library_of_acts(make_library, tmp_path, acts: dict[str, str]):
    """A library of these acts (file name -> Markdown text), filed under lag/ as the corpus files its laws."""
    from assistant.ingest import ingest

    folder = tmp_path / "docs" / "lag"
    folder.mkdir(parents=True)
    for name, text in acts.items():
        (folder / name).write_text(text, encoding="utf-8")
    library = make_library()
    ingest(library, [tmp_path / "docs"])
    return library


@pytest.fixture
def acts(make_library, tmp_path):
    """Two acts whose many paragraphs read alike, so that search cannot tell one numbered paragraph by its words."""
    return _library_of_acts(
        make_library,
        tmp_path,
        {
            "sfs-2099-1-provningslag.md": (
                f"# Provningslag (2099:1)\n\n## 1 kap. Inledande bestämmelser\n\n{_paragraphs('provning', 20)}\n\n"
                f"## 2 kap. Tillsyn\n\n{_paragraphs('tillsyn', 12)}\n"
            ),
            "sfs-2099-2-registerlag.md": f"# Registerlag (2099:2)\n\n{_paragraphs('register', 20)}\n",
        },
    )


@pytest.mark.parametrize(
    ("question", "doc", "section"),
    [
        ("Vad ska nämnden göra enligt 2 kap. 7 § provningslagen (2099:1)?", "provningslag", "2 kap. Tillsyn > 7 §"),
        (
            "Vad ska nämnden göra enligt 1 kap. 7 § lagen (2099:1)?",
            "provningslag",
            "1 kap. Inledande bestämmelser > 7 §",
        ),
        ("Vad gäller enligt 13 § registerlagen (2099:2) för nämnden?", "registerlag", "13 §"),
    ],
)
def test_the_paragraph_a_question_names_is_read_first(acts, question, doc, section):
    hits = PassageFinder(acts).find(question, k=3)
    assert doc in hits[0].chunk.doc
    assert hits[0].chunk.section == section


def test_a_paragraph_without_a_named_act_adds_nothing(acts):
    """ "enligt 7 §" of which act? Search's own order stands."""
    question = "Vad ska nämnden göra enligt 7 §?"
    assert [h.chunk.id for h in PassageFinder(acts).find(question, k=3)][:3] == [
        h.chunk.id for h in acts.search(question, k=3)
    ]


@pytest.fixture
def register_act(make_library, tmp_path):
    """An act whose rule on transfers shares the words of a question about its penal paragraph and names a
    consequence too, and a paragraph on a value limit that never says "värdegräns"."""
    return _library_of_acts(
        make_library,
        tmp_path,
        {
            "sfs-2099-5-lag-om-registrering-av-foreningar.md": (
                "# Lag (2099:5) om registrering av föreningar\n\n"
                "## Värdeöverföringar\n\n### 8 §\n\nEn registrerad förening får inte göra några värdeöverföringar "
                "annat än till andra registrerade föreningar. Förbudet gäller även otillåtna värdeöverföringar genom "
                "ombud, och en förening som bryter mot det avregistreras.\n\n"
                "## Direktupphandling\n\n### 9 §\n\nDirektupphandling av varor får användas om värdet av "
                "upphandlingen beräknas understiga 300 000 kronor.\n\n"
                "## Straff\n\n### 14 §\n\nTill böter döms den som uppsåtligen eller av oaktsamhet bryter mot 8 §.\n"
            )
        },
    )


def test_the_paragraph_a_question_names_answers_before_one_that_shares_its_words(register_act):
    from assistant.answering import Answerer

    answer = Answerer(register_act).ask(
        "Vilken påföljd föreskrivs i 14 § lagen (2099:5) om registrering av föreningar för otillåtna värdeöverföringar?"
    )
    assert not answer.abstained
    assert answer.citations[0].section.endswith("14 §")
    assert "Till böter döms" in answer.text


def test_the_paragraph_a_question_names_need_not_use_the_questions_word(register_act):
    """ "Vilken värdegräns ...": the paragraph says "understiga 300 000 kronor", never "värdegräns"; the asker has
    said where the answer stands. Without the § the word is still required (an honest abstention)."""
    from assistant.answering import Answerer

    named = Answerer(register_act).ask(
        "Vilken värdegräns anges i 9 § lagen (2099:5) för när direktupphandling av varor får användas?"
    )
    assert not named.abstained
    assert named.citations[0].section.endswith("9 §")
    assert "300 000 kronor" in named.text
    unnamed = "Vilken värdegräns gäller enligt lagen (2099:5) för när direktupphandling av varor får användas?"
    assert Answerer(register_act).ask(unnamed).abstained


@pytest.fixture
def fee_act(make_library, tmp_path):
    """An act whose fee paragraph gives its limits without the word a question asks them by ("beloppsgränser")."""
    return _library_of_acts(
        make_library,
        tmp_path,
        {
            "sfs-2099-7-lag-om-tillsynsavgift.md": (
                "# Lag (2099:7) om tillsynsavgift\n\n"
                "## Tillsyn\n\n### 1 §\n\nTillsynsmyndigheten utövar tillsyn över att denna lag följs.\n\n"
                "## Avgiftens storlek\n\n### 9 §\n\nTillsynsavgiften ska uppgå till lägst 5 000 kronor och högst "
                "400 000 kronor. Vid fastställande av avgiftens storlek ska särskild hänsyn tas till hur allvarlig "
                "överträdelsen är.\n"
            )
        },
    )


def test_the_paragraph_a_question_names_gives_the_figure_it_asks_for(fee_act):
    """A question for an amount is answered by a sentence that names what the figure is of (shape.
    figure_about_subject), but in the paragraph the question names, the asker has said what it is of."""
    from assistant.answering import Answerer

    answer = Answerer(fee_act).ask(
        "Inom vilka beloppsgränser ska tillsynsavgiften fastställas enligt 9 § lagen (2099:7) om tillsynsavgift?"
    )
    assert not answer.abstained
    assert answer.citations[0].section.endswith("9 §")
    assert "lägst 5 000 kronor" in answer.text
