"""`StyrdokRetriever`: Styrdok's hybrid search as a LangChain retriever.

    from assistant.api import Styrdok
    from assistant.integrations.langchain import StyrdokRetriever

    retriever = StyrdokRetriever(styrdok=Styrdok.open(".styrdok/index"), k=5)
    docs = retriever.invoke("Vem godkänner utförare?")      # or .invoke(..., k=3)

Each Document is one passage: its text, `id` the passage id, and in `metadata` the document file
name (`doc`), `title`, `page`, `section`, `score`, `kind` and `also_in` (the same text in other files),
so a chain can cite the exact place. There is no VectorStore adapter on purpose: Styrdok's index is
a catalog, a BM25 index and vectors kept in step; writing raw vectors past the catalog would break it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

from assistant.api import Styrdok
from assistant.models import SearchHit


class StyrdokRetriever(BaseRetriever):
    """Passages from a Styrdok index, best first (BM25 + vectors + sentence coverage, duplicates merged)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    styrdok: Styrdok = Field(description="The open index (assistant.api.Styrdok).")
    k: int = Field(default=4, ge=1, description="Number of passages to return; can be overridden per call.")
    kinds: list[str] | None = Field(default=None, description="Only these document kinds (policy, lag, avtal, ...).")
    docs: list[str] | None = Field(default=None, description="Only these documents (file names).")

    @classmethod
    def from_index(cls, index: Path | str | None = None, **kwargs: Any) -> StyrdokRetriever:
        """Open the index folder (None: STYRDOK_INDEX or .styrdok/index) and retrieve from it."""
        return cls(styrdok=Styrdok.open(index), **kwargs)

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun,
        k: int | None = None,
        kinds: list[str] | None = None,
        docs: list[str] | None = None,
    ) -> list[Document]:
        hits = self.styrdok.search(query, k=k or self.k, kinds=kinds or self.kinds, docs=docs or self.docs)
        return [to_document(hit) for hit in hits]


def to_document(hit: SearchHit) -> Document:
    """One search hit as a LangChain Document carrying where it comes from."""
    return Document(
        id=hit.chunk.id,
        page_content=hit.chunk.text,
        metadata={
            "doc": hit.chunk.doc,
            "title": hit.meta.title,
            "page": hit.chunk.page_start,
            "section": hit.chunk.section,
            "score": hit.score,
            "kind": hit.meta.kind.value,
            "also_in": list(hit.also_in),
        },
    )
