"""BM25 over Swedish-analysed chunk text (bm25s), persisted beside the vector index."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np

from assistant.analysis import Analyzer

_VOCAB_FILE = "analyzer_vocabulary.json"
_IDS_FILE = "chunk_ids.json"


class LexicalIndex:
    """A BM25 index whose rows are chunk ids. Rebuilt as a whole; reads are cheap."""

    def __init__(self, analyzer: Analyzer, retriever: bm25s.BM25 | None, ids: list[str]):
        self.analyzer = analyzer
        self._retriever = retriever
        self.ids = ids
        self._row = {chunk_id: i for i, chunk_id in enumerate(ids)}

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str], k1: float = 1.2, b: float = 0.75) -> LexicalIndex:
        analyzer = Analyzer.from_corpus(texts)
        if not ids:
            return cls(analyzer, None, [])
        retriever = bm25s.BM25(k1=k1, b=b)
        # bm25s needs at least one token per document; an empty chunk gets a placeholder.
        retriever.index([analyzer.terms(t) or ["\u2205"] for t in texts], show_progress=False)
        return cls(analyzer, retriever, list(ids))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / _VOCAB_FILE).write_text(json.dumps(sorted(self.analyzer.vocabulary), ensure_ascii=False))
        (folder / _IDS_FILE).write_text(json.dumps(self.ids))
        if self._retriever is not None:
            self._retriever.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex | None:
        if not (folder / _IDS_FILE).exists():
            return None
        ids = json.loads((folder / _IDS_FILE).read_text())
        analyzer = Analyzer(json.loads((folder / _VOCAB_FILE).read_text()))
        retriever = bm25s.BM25.load(str(folder), show_progress=False) if ids else None
        return cls(analyzer, retriever, ids)

    def __len__(self) -> int:
        return len(self.ids)

    def scores(self, query: str, expansions: Sequence[str] = (), expansion_weight: float = 0.4) -> np.ndarray:
        """BM25 score of every row for the query; expansion terms count with a lower weight."""
        if self._retriever is None:
            return np.zeros(0, dtype=np.float32)
        scores = self._score_terms(self.analyzer.terms(query))
        extra = [t for e in expansions for t in self.analyzer.terms(e)]
        if extra:
            scores = scores + expansion_weight * self._score_terms(extra)
        return scores

    def _score_terms(self, terms: list[str]) -> np.ndarray:
        known = [t for t in terms if t in self._retriever.vocab_dict]
        if not known:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self._retriever.get_scores(known), dtype=np.float32)

    def top(self, scores: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[str, float]]:
        """The k best (chunk id, score) pairs with a positive score, optionally masked."""
        if scores.size == 0:
            return []
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        k = min(k, scores.size)
        idx = np.argpartition(-scores, k - 1)[:k]
        idx = idx[np.argsort(-scores[idx], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in idx if scores[i] > 0]

    def row(self, chunk_id: str) -> int | None:
        return self._row.get(chunk_id)
