"""Fakes for the answering tests (a word-overlap searcher, a scripted chat model); holds no tests itself."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from assistant.answering.terms import content_stems
from assistant.answering.unit_model import FEATURES, UnitModel
from assistant.models import Chunk, DocumentKind, DocumentMeta, SearchHit

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "seeds"
BOOKLET = "002_b8511d1d7f6ea031.txt"
POLICY = "003_c73df01d320b46e8.txt"


def seed_text(name: str) -> str:
    path = SEEDS / name
    if not path.is_file():
        pytest.skip("../shared/corpus is not beside this checkout")
    return path.read_text(encoding="utf-8")


def excerpt(text: str, start_marker: str, end_marker: str) -> str:
    """A verbatim slice of a real document, from one phrase to the end of another."""
    start = text.index(start_marker)
    end = text.index(end_marker, start) + len(end_marker)
    return text[start:end]


def chunk_text(doc: str, text: str, size: int = 700) -> list[Chunk]:
    """Paragraph-aligned chunks of about `size` characters with their offsets."""
    chunks: list[Chunk] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n\n", start + size // 3, end + size // 2)
            end = cut + 2 if cut != -1 else end
        body = text[start:end]
        if body.strip():
            cid = hashlib.sha1(f"{doc}:{start}".encode()).hexdigest()[:16]
            chunks.append(Chunk(id=cid, doc=doc, text=body, start=start, end=end, ordinal=len(chunks)))
        start = end
    return chunks


class FakeSearcher:
    """A searcher and library over in-memory documents: ranks chunks by shared content stems."""

    def __init__(self):
        self.metas: dict[str, DocumentMeta] = {}
        self.texts: dict[str, str] = {}
        self._chunks: list[Chunk] = []
        self.queries: list[str] = []

    def add(
        self, doc: str, text: str, title: str | None = None, kind: DocumentKind = DocumentKind.vagledning, **meta: Any
    ):
        self.metas[doc] = DocumentMeta(doc=doc, title=title or doc, kind=kind, **meta)
        self.texts[doc] = text
        self._chunks += chunk_text(doc, text)
        return self

    def search(
        self, query: str, k: int = 10, kinds=None, docs: Sequence[str] | None = None, **_: Any
    ) -> list[SearchHit]:
        self.queries.append(query)
        q = content_stems(query)
        scored = []
        for c in self._chunks:
            if docs is not None and c.doc not in docs:
                continue
            if kinds and self.metas[c.doc].kind not in kinds:
                continue
            overlap = len(q & content_stems(c.text + " " + self.metas[c.doc].title))
            if overlap:
                scored.append((overlap, -c.start, c))
        scored.sort(key=lambda x: (x[0], x[1]), reverse=True)
        return [SearchHit(chunk=c, meta=self.metas[c.doc], score=float(s)) for s, _, c in scored[:k]]

    def chunks(self, doc: str | None = None) -> Iterator[Chunk]:
        return iter([c for c in self._chunks if doc is None or c.doc == doc])

    def document(self, doc: str) -> DocumentMeta | None:
        return self.metas.get(doc)

    def documents(self) -> list[DocumentMeta]:
        return list(self.metas.values())

    def document_text(self, doc: str) -> str:
        return self.texts[doc]


class ScriptedChat(BaseChatModel):
    """Replies with scripted texts in turn (or echoes the passages) and records every prompt it saw."""

    replies: list[str] = []
    seen: list[list[BaseMessage]] = []

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _generate(self, messages: list[BaseMessage], stop=None, run_manager=None, **kwargs) -> ChatResult:
        self.seen.append(list(messages))
        reply = self.replies[min(len(self.seen), len(self.replies)) - 1] if self.replies else str(messages[-1].content)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=reply))])


def seed_searcher() -> FakeSearcher:
    """The booklet (web text) and the Täby policy, as they are in the shared corpus."""
    return (
        FakeSearcher()
        .add(
            BOOKLET,
            seed_text(BOOKLET),
            title="Utmaningar för det politiska ledarskapet vid införande av valfrihetssystem",
        )
        .add(
            POLICY,
            seed_text(POLICY),
            title="Policy för socialnämndens valfrihetssystem",
            kind=DocumentKind.policy,
            issuer="Täby kommun, socialnämnden",
        )
    )


def constant_unit_model(probability: float):
    """A unit model that gives every unit the same probability (its threshold as shipped): what the rules and the
    hard gates decide, whatever the fitted model's calibration."""
    import math

    from assistant.answering.unit_model import FEATURES, UnitModel, default_model

    zeros = (0.0,) * len(FEATURES)
    shipped = default_model()
    return UnitModel(
        weights=zeros,
        intercept=math.log(probability / (1 - probability)),
        mean=zeros,
        scale=(1.0,) * len(FEATURES),
        threshold=shipped.threshold,
        near=shipped.near,
        second_source=shipped.second_source,
    )


def coverage_model() -> UnitModel:
    """A unit model that looks at the coverage of the question's words alone."""
    n = len(FEATURES)
    weights = [0.0] * n
    weights[FEATURES.index("cov")] = 4.0
    return UnitModel(
        weights=tuple(weights),
        intercept=-2.0,
        mean=(0.0,) * n,
        scale=(1.0,) * n,
        threshold=0.5,
        near=0.5,
        second_source=2.0,
    )
