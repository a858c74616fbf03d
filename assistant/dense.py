"""Exact dense search over every passage vector held as one matrix.

Chroma's HNSW graph is approximate and built differently in each process: on the full shared
corpus it returned 83-93% of the true top 60 and sometimes missed the nearest passage, so one
question ranked differently after a restart. Up to `search.exact_dense_max` passages the
library searches this matrix instead.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np


def unit_vector(vector: Sequence[float]) -> np.ndarray:
    """The vector as float32 at unit length (a new array: the caller's vector is left as it is)."""
    v = np.asarray(vector, dtype=np.float32)
    return v / max(float(np.linalg.norm(v)), 1e-12)


class DenseRows:
    """Every passage vector as one unit-length float32 matrix, for exact dense search.

    Saved in the index folder as `dense-<generation>.npy` (+ `.json` with ids, documents and
    `seq`, the catalog's vector log position it includes) and memory-mapped on load, so a new
    process need not fetch every vector from Chroma again. Vectors written later are appended
    (`extended`); rows of passages the catalog no longer has are masked at search time.
    """

    PREFIX = "dense-"

    def __init__(self, ids: list[str], matrix: np.ndarray, docs: list[str], seq: int = 0):
        self.ids = ids
        self.matrix = matrix
        self.docs = np.array(docs, dtype=object)
        self.seq = seq
        self.id_set = set(ids)
        self.id_rank = np.argsort(np.argsort(np.array(ids, dtype=object), kind="stable"), kind="stable")
        self._positions: dict[str, int] | None = None

    def cosines(self, vector: Sequence[float], ids: Sequence[str]) -> dict[str, float]:
        """The cosine of `vector` to each of these passages that has a row (a later row of one id wins)."""
        if self._positions is None:
            self._positions = {cid: i for i, cid in enumerate(self.ids)}
        rows = [(cid, self._positions[cid]) for cid in ids if cid in self._positions]
        if not rows:
            return {}
        scores = np.asarray(self.matrix[[i for _, i in rows]]) @ unit_vector(vector)
        return {cid: float(score) for (cid, _), score in zip(rows, scores, strict=True)}

    def extended(self, ids: list[str], vectors: np.ndarray, docs: list[str], seq: int) -> DenseRows:
        """A copy with these rows appended (unit-normalised); the old object stays valid for running searches."""
        rows = np.asarray(vectors, dtype=np.float32).reshape(len(ids), -1)
        rows = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
        matrix = np.concatenate([np.asarray(self.matrix), rows]) if len(self.ids) else rows
        return DenseRows([*self.ids, *ids], matrix, [*self.docs.tolist(), *docs], seq)

    @classmethod
    def load(cls, folder: Path, generation: int | None = None) -> DenseRows | None:
        """The copy saved for `generation`, or with None the newest copy of any generation."""
        if generation is None:
            saved = sorted(
                (int(p.stem[len(cls.PREFIX) :]), p)
                for p in folder.glob(f"{cls.PREFIX}*.json")
                if p.stem[len(cls.PREFIX) :].isdigit()
            )
            if not saved:
                return None
            generation = saved[-1][0]
        base = folder / f"{cls.PREFIX}{generation}"
        try:
            info = json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))
            matrix = np.load(base.with_suffix(".npy"), mmap_mode="r")
        except (OSError, ValueError):
            return None
        if matrix.shape[0] != len(info["ids"]):
            return None
        return cls(info["ids"], matrix, info["docs"], int(info.get("seq", 0)))

    def save(self, folder: Path, generation: int) -> None:
        """Write atomically (temp file, then rename), then drop copies of older generations."""
        base = folder / f"{self.PREFIX}{generation}"
        try:
            for suffix, write in (
                (".npy", lambda f: np.save(f, np.ascontiguousarray(self.matrix))),
                (
                    ".json",
                    lambda f: f.write(
                        json.dumps({"ids": self.ids, "docs": self.docs.tolist(), "seq": self.seq}).encode()
                    ),
                ),
            ):
                tmp = base.with_name(f".{base.name}{suffix}.tmp")
                with open(tmp, "wb") as handle:
                    write(handle)
                os.replace(tmp, base.with_suffix(suffix))  # .npy first: without its .json it is never used
            for old in folder.glob(f"{self.PREFIX}*"):
                if old.stem != base.name:
                    old.unlink(missing_ok=True)
        except OSError:
            pass  # a read-only or full disk: the vectors still serve from memory

    def nearest(
        self,
        vector: Sequence[float],
        n: int,
        allowed_docs: set[str] | None = None,
        alive: np.ndarray | None = None,
    ) -> list[tuple[str, float]]:
        """(id, cosine) of the n rows nearest to `vector`, exactly; only rows of `allowed_docs` if given,
        and only rows where `alive` is true (passages the catalog still has)."""
        scores = self.matrix @ unit_vector(vector)
        if alive is not None:
            scores = np.where(alive, scores, -np.inf)
        if allowed_docs is not None:
            scores = np.where(np.isin(self.docs, list(allowed_docs)), scores, -np.inf)
        n = min(n, int(np.isfinite(scores).sum()))
        if n <= 0:
            return []
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.lexsort((self.id_rank[top], -scores[top]))]  # ties in id order: the same every time
        return [(self.ids[i], float(scores[i])) for i in top]
