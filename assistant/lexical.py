"""BM25 over Swedish-analysed chunk text (bm25s), persisted beside the vector index.

Two fields: the chunk body, and its header (document title and section path). The header
counts with a lower weight, so a document's title does not outrank what its text says.

The files record the catalog generation they were built from, and are replaced as a whole
(written beside, then renamed into place): a process killed while saving leaves either the old
complete index or none, never a half-written one that loads.

Rebuilding takes seconds at library scale, so a document written since the last build is
scored by `Delta` with the same formula and the built index's statistics: it is searchable
as soon as its catalog transaction commits, and the next build takes it in.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import bm25s
import numpy as np

from assistant.analysis import ANALYSIS_VERSION, Analyzer

_VOCAB_FILE = "analyzer_vocabulary.json"
_IDS_FILE = "chunk_ids.json"
_FIELDS = ("body", "header")
K1, B = 1.2, 0.5  # BM25 parameters (bm25s' Lucene variant), shared by the built index and the delta


class LexicalIndex:
    """A two-field BM25 index whose rows are chunk ids. Rebuilt as a whole; reads are cheap."""

    def __init__(
        self,
        analyzer: Analyzer,
        fields: dict[str, bm25s.BM25],
        ids: list[str],
        header_weight: float,
        doc_freq: dict[str, int] | None = None,
        generation: int | None = None,
        stats: dict | None = None,
    ):
        self.analyzer = analyzer
        self._fields = fields
        self.ids = ids
        self.header_weight = header_weight
        self.doc_freq = doc_freq or {}
        self.generation = generation  # the catalog generation these rows were built from
        # Per field: average length and document frequencies, to score rows added since (Delta).
        self.stats = stats or {name: {"avgdl": 1.0, "df": {}} for name in _FIELDS}

    def idf(self, term: str) -> float:
        """Inverse document frequency of an analysed term over the chunk bodies."""
        n = max(len(self.ids), 1)
        df = self.doc_freq.get(term, 0)
        return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))

    @classmethod
    def build(
        cls,
        ids: Sequence[str],
        bodies: Sequence[str],
        headers: Sequence[str],
        header_weight: float = 0.3,
    ) -> LexicalIndex:
        analyzer = Analyzer.from_corpus(bodies)
        fields: dict[str, bm25s.BM25] = {}
        stats: dict[str, dict] = {}
        if ids:
            for name, texts in (("body", bodies), ("header", headers)):
                retriever = bm25s.BM25(k1=K1, b=B)
                # bm25s needs at least one token per row; an empty text gets a placeholder.
                tokenized = [analyzer.terms(t) or ["\u2205"] for t in texts]
                df: Counter[str] = Counter()
                for terms in tokenized:
                    df.update(set(terms))
                stats[name] = {"avgdl": sum(map(len, tokenized)) / len(tokenized), "df": dict(df)}
                retriever.index(tokenized, show_progress=False)
                fields[name] = retriever
        return cls(analyzer, fields, list(ids), header_weight, stats.get("body", {}).get("df"), stats=stats or None)

    def save(self, folder: Path) -> None:
        """Write into a fresh folder beside `folder`, then swap it into place."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        fresh = folder.parent / f".{folder.name}.new-{uuid.uuid4().hex}"
        fresh.mkdir()
        (fresh / _VOCAB_FILE).write_text(json.dumps(sorted(self.analyzer.vocabulary), ensure_ascii=False))
        for name, retriever in self._fields.items():
            retriever.save(str(fresh / name), show_progress=False)
        info = {"ids": self.ids, "header_weight": self.header_weight, "doc_freq": self.doc_freq, "stats": self.stats}
        info |= {"generation": self.generation, "analysis": ANALYSIS_VERSION}
        (fresh / _IDS_FILE).write_text(json.dumps(info))
        old = folder.parent / f".{folder.name}.old-{uuid.uuid4().hex}"
        # Two renames (a folder cannot replace a non-empty one), with no saver or loader in between.
        with _swap_lock(folder, fcntl.LOCK_EX):
            try:
                os.replace(folder, old)
            except FileNotFoundError:
                pass
            os.replace(fresh, folder)
        shutil.rmtree(old, ignore_errors=True)

    @staticmethod
    def discard_leftovers(folder: Path) -> None:
        """Remove half-written or replaced copies left by a killed save (call only while no one saves)."""
        for leftover in folder.parent.glob(f".{folder.name}.*-*"):
            shutil.rmtree(leftover, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex | None:
        """The saved index, or None if there is none, it vanished while another process swapped it, or it was
        analysed by another version of assistant.analysis (its terms would not meet the queries' terms)."""
        try:
            with _swap_lock(folder, fcntl.LOCK_SH):  # all files from one save
                info = json.loads((folder / _IDS_FILE).read_text())
                if info.get("analysis") != ANALYSIS_VERSION:
                    return None
                analyzer = Analyzer(json.loads((folder / _VOCAB_FILE).read_text()))
                fields = {}
                if info["ids"]:
                    fields = {name: bm25s.BM25.load(str(folder / name), show_progress=False) for name in _FIELDS}
        except (OSError, ValueError, KeyError):
            return None
        return cls(
            analyzer,
            fields,
            info["ids"],
            info["header_weight"],
            info.get("doc_freq"),
            info.get("generation"),
            info.get("stats"),
        )

    def __len__(self) -> int:
        return len(self.ids)

    def query_terms(self, query: str, expansions: Sequence[str] = ()) -> tuple[list[str], list[str]]:
        """The query's analysed terms, and those of its thesaurus expansions that it does not have."""
        terms = self.analyzer.terms(query)
        return terms, [t for e in expansions for t in self.analyzer.terms(e) if t not in terms]

    def scores(self, query: str, expansions: Sequence[str] = (), expansion_weight: float = 0.4) -> np.ndarray:
        """BM25 score of every row for the query; expansion terms count with a lower weight."""
        if not self._fields:
            return np.zeros(0, dtype=np.float32)
        terms, extra = self.query_terms(query, expansions)
        scores = self._score(terms)
        if extra:
            scores = scores + expansion_weight * self._score(extra)
        return scores

    def field_idf(self, field: str, term: str) -> float:
        n = max(len(self.ids), 1)
        df = self.stats.get(field, {}).get("df", {}).get(term, 0)
        return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))

    def _score(self, terms: list[str]) -> np.ndarray:
        total = np.zeros(len(self.ids), dtype=np.float32)
        for name, weight in (("body", 1.0), ("header", self.header_weight)):
            retriever = self._fields[name]
            known = [t for t in terms if t in retriever.vocab_dict]
            if known:
                total += weight * np.asarray(retriever.get_scores(known), dtype=np.float32)
        return total

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


class Delta:
    """Rows written since `base` was built, scored like its rows (its statistics, the same BM25).

    Keeps a small inverted index per field; adding rows analyses only the new ones.
    """

    def __init__(self, base: LexicalIndex):
        self.base = base
        self.ids: list[str] = []
        self.docs: list[str] = []
        self._postings: dict[str, dict[str, list[tuple[int, int]]]] = {name: {} for name in _FIELDS}
        self._lengths: dict[str, list[int]] = {name: [] for name in _FIELDS}

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, chunk_id: str, doc: str, body: str, header: str) -> None:
        row = len(self.ids)
        self.ids.append(chunk_id)
        self.docs.append(doc)
        for name, text in (("body", body), ("header", header)):
            terms = self.base.analyzer.terms(text) or ["\u2205"]
            self._lengths[name].append(len(terms))
            for term, tf in Counter(terms).items():
                self._postings[name].setdefault(term, []).append((row, tf))

    def scores(
        self, query: str, expansions: Sequence[str] = (), expansion_weight: float = 0.4, rows: int | None = None
    ) -> np.ndarray:
        """Scores of the first `rows` rows (all by default): a reader scores the rows of its own snapshot
        while a later snapshot may already be adding more (rows are only ever appended)."""
        terms, extra = self.base.query_terms(query, expansions)
        n = len(self.ids) if rows is None else rows
        out = np.zeros(n, dtype=np.float32)
        for group_weight, group in ((1.0, terms), (expansion_weight, extra)):
            for name, field_weight in (("body", 1.0), ("header", self.base.header_weight)):
                avgdl = self.base.stats.get(name, {}).get("avgdl") or 1.0
                lengths = self._lengths[name]
                for term in group:
                    postings = self._postings[name].get(term)
                    if not postings:
                        continue
                    idf = self.base.field_idf(name, term)
                    for row, tf in postings:
                        if row >= n:
                            break  # postings are in row order
                        norm = K1 * ((1 - B) + B * lengths[row] / avgdl)
                        out[row] += group_weight * field_weight * idf * tf / (norm + tf)
        return out


@contextmanager
def _swap_lock(folder: Path, kind: int) -> Iterator[None]:
    """A file lock beside the index folder: shared to read it, exclusive to swap in a new one."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / f".{folder.name}.lock", "a") as lock:
        fcntl.flock(lock, kind)
        yield
