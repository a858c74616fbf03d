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


@pytest.fixture
def acts(make_library, tmp_path):
    """Two acts whose many paragraphs read alike, so that search cannot tell one numbered paragraph by its words."""
    from assistant.ingest import ingest

    folder = tmp_path / "docs" / "lag"
    folder.mkdir(parents=True)
    (folder / "sfs-2099-1-provningslag.md").write_text(
        f"# Provningslag (2099:1)\n\n## 1 kap. Inledande bestämmelser\n\n{_paragraphs('provning', 20)}\n\n"
        f"## 2 kap. Tillsyn\n\n{_paragraphs('tillsyn', 12)}\n",
        encoding="utf-8",
    )
    (folder / "sfs-2099-2-registerlag.md").write_text(
        f"# Registerlag (2099:2)\n\n{_paragraphs('register', 20)}\n", encoding="utf-8"
    )
    library = make_library()
    ingest(library, [tmp_path / "docs"])
    return library


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
