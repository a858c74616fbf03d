"""LangChain's own standard retriever tests (package langchain-tests) against StyrdokRetriever.

The suite is written by LangChain, not by us: it checks the contract LangChain users rely on
(k in the constructor and at invoke time, Documents back, sync and async). Our own tests below
check what the standard suite cannot know: the metadata that lets a chain cite the source.
"""

from __future__ import annotations

import pytest
from langchain_core.documents import Document
from langchain_tests.integration_tests import RetrieversIntegrationTests

from assistant.api import Styrdok
from assistant.integrations.langchain import StyrdokRetriever

DOCS = {
    "policy.md": (
        "# Policy för valfrihetssystem\n\n## 1. Uppföljning\n\nSocialnämnden ska följa upp alla avtal med "
        "utförare minst en gång per år.\n\n## 2. Godkännande\n\nNämnden godkänner utförare som uppfyller kraven "
        "i förfrågningsunderlaget.\n\n## 3. Sanktioner\n\nVid brister ska nämnden i första hand begära rättelse "
        "och därefter tillämpa vite enligt sanktionstrappan.\n"
    ),
    "program.md": (
        "# Program för uppföljning av privata utförare\n\n## Ansvar\n\nFullmäktige fastställer programmet. "
        "Varje nämnd ansvarar för att avtal med privata utförare följs upp.\n\n## Insyn\n\nAllmänheten ska ges "
        "insyn i verksamhet som utförs av privata utförare.\n"
    ),
    "lov.md": (
        "# Vägledning om valfrihetssystem\n\n## Förfrågningsunderlag\n\nFörfrågningsunderlaget ska ange de krav "
        "som en utförare ska uppfylla för att bli godkänd.\n\n## Ersättning\n\nErsättningen till utförare ska "
        "vara densamma oavsett om utföraren är privat eller kommunens egen regi.\n"
    ),
}
QUERY = "Vem följer upp avtal med privata utförare?"


@pytest.fixture(scope="module")
def styrdok(tmp_path_factory):
    from assistant.embedding import HashingEmbedder

    folder = tmp_path_factory.mktemp("langchain")
    (folder / "docs").mkdir()
    for name, text in DOCS.items():
        (folder / "docs" / name).write_text(text, encoding="utf-8")
    api = Styrdok.open(folder / "index", embedder=HashingEmbedder())
    report = api.ingest([folder / "docs"])
    assert not report.skipped and len(api.documents()) == len(DOCS)
    return api


@pytest.mark.anyio  # runs the suite's async test (ainvoke) on asyncio; sync tests are left alone
class TestStyrdokRetrieverStandard(RetrieversIntegrationTests):
    @pytest.fixture(autouse=True)
    def _index(self, styrdok):
        self.styrdok = styrdok

    @property
    def retriever_constructor(self) -> type[StyrdokRetriever]:
        return StyrdokRetriever

    @property
    def retriever_constructor_params(self) -> dict:
        return {"styrdok": self.styrdok}

    @property
    def retriever_query_example(self) -> str:
        return QUERY


def test_documents_carry_their_source(styrdok):
    docs = StyrdokRetriever(styrdok=styrdok, k=3).invoke(QUERY)
    hits = styrdok.search(QUERY, k=3)
    assert [d.id for d in docs] == [h.chunk.id for h in hits]
    first = docs[0]
    assert isinstance(first, Document) and first.page_content == hits[0].chunk.text
    assert first.metadata["doc"] in DOCS and first.metadata["title"] == hits[0].meta.title
    assert first.metadata["section"] == hits[0].chunk.section and first.metadata["score"] == hits[0].score
    assert set(first.metadata) >= {"doc", "title", "page", "section", "score", "kind"}


def test_filters_reach_the_search(styrdok):
    only = StyrdokRetriever(styrdok=styrdok, k=5, docs=["lov.md"]).invoke(QUERY)
    assert only and {d.metadata["doc"] for d in only} == {"lov.md"}
    overridden = StyrdokRetriever(styrdok=styrdok, k=5).invoke(QUERY, docs=["program.md"])
    assert {d.metadata["doc"] for d in overridden} == {"program.md"}
