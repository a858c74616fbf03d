"""SQLite catalog: documents, their cleaned text and chunks. The source of truth of the index.

Each document is written in one transaction, so a failure leaves the catalog as it was.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from assistant.models import Chunk, DocumentMeta

_SCHEMA = """
CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc TEXT PRIMARY KEY, meta TEXT NOT NULL, text TEXT NOT NULL, page_starts TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, doc TEXT NOT NULL, ordinal INTEGER NOT NULL, start INTEGER NOT NULL,
    "end" INTEGER NOT NULL, page_start INTEGER, page_end INTEGER, section TEXT, text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks (doc, ordinal);
"""


class Catalog:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- info ---------------------------------------------------------------
    def get_info(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM info WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_info(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO info VALUES (?, ?)", (key, value))

    # -- documents ----------------------------------------------------------
    def put_document(
        self, conn: sqlite3.Connection, meta: DocumentMeta, text: str, page_starts: list[int], chunks: list[Chunk]
    ) -> None:
        conn.execute("DELETE FROM chunks WHERE doc = ?", (meta.doc,))
        conn.execute(
            "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?)",
            (meta.doc, meta.model_dump_json(), text, json.dumps(page_starts)),
        )
        conn.executemany(
            "INSERT OR REPLACE INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(c.id, c.doc, c.ordinal, c.start, c.end, c.page_start, c.page_end, c.section, c.text) for c in chunks],
        )

    def delete_document(self, conn: sqlite3.Connection, doc: str) -> None:
        conn.execute("DELETE FROM chunks WHERE doc = ?", (doc,))
        conn.execute("DELETE FROM documents WHERE doc = ?", (doc,))

    def update_meta(self, metas: Iterable[DocumentMeta]) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE documents SET meta = ? WHERE doc = ?", [(m.model_dump_json(), m.doc) for m in metas]
            )

    def documents(self) -> list[DocumentMeta]:
        rows = self._db.execute("SELECT meta FROM documents ORDER BY doc").fetchall()
        return [DocumentMeta.model_validate_json(r[0]) for r in rows]

    def document(self, doc: str) -> DocumentMeta | None:
        row = self._db.execute("SELECT meta FROM documents WHERE doc = ?", (doc,)).fetchone()
        return DocumentMeta.model_validate_json(row[0]) if row else None

    def document_text(self, doc: str) -> str | None:
        row = self._db.execute("SELECT text FROM documents WHERE doc = ?", (doc,)).fetchone()
        return row[0] if row else None

    def page_starts(self, doc: str) -> list[int]:
        row = self._db.execute("SELECT page_starts FROM documents WHERE doc = ?", (doc,)).fetchone()
        return json.loads(row[0]) if row else []

    # -- chunks -------------------------------------------------------------
    def chunk_ids(self, doc: str | None = None) -> list[str]:
        if doc is None:
            return [r[0] for r in self._db.execute("SELECT id FROM chunks ORDER BY doc, ordinal")]
        return [r[0] for r in self._db.execute("SELECT id FROM chunks WHERE doc = ? ORDER BY ordinal", (doc,))]

    def chunks(self, doc: str | None = None) -> Iterator[Chunk]:
        query = 'SELECT id, doc, ordinal, start, "end", page_start, page_end, section, text FROM chunks'
        rows = (
            self._db.execute(query + " ORDER BY doc, ordinal")
            if doc is None
            else self._db.execute(query + " WHERE doc = ? ORDER BY ordinal", (doc,))
        )
        for row in rows:
            yield _chunk(row)

    def get_chunks(self, ids: list[str]) -> dict[str, Chunk]:
        out: dict[str, Chunk] = {}
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            rows = self._db.execute(
                'SELECT id, doc, ordinal, start, "end", page_start, page_end, section, text FROM chunks '
                f"WHERE id IN ({','.join('?' * len(part))})",
                part,
            )
            out.update({row[0]: _chunk(row) for row in rows})
        return out

    def chunk_counts(self) -> dict[str, int]:
        return dict(self._db.execute("SELECT doc, COUNT(*) FROM chunks GROUP BY doc"))

    def chunk_docs(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT id, doc FROM chunks"))

    def chunk_count(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]


def _chunk(row: tuple) -> Chunk:
    cid, doc, ordinal, start, end, page_start, page_end, section, text = row
    return Chunk(
        id=cid,
        doc=doc,
        ordinal=ordinal,
        start=start,
        end=end,
        page_start=page_start,
        page_end=page_end,
        section=section,
        text=text,
    )
