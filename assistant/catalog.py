"""SQLite catalog: documents, their cleaned text, chunks and OCR line positions. The source of truth of the index.

Each document is written in one transaction, so a failure (or a killed process) leaves the
catalog as it was. A document is searchable by its words once its transaction commits; its
vectors follow, and `embedded` records which chunks have one in the vector store (in the order
they got it, so readers can fetch just the new ones).

Every write transaction bumps a generation counter: the BM25 files and other processes' caches
compare it to notice that the catalog moved on. Reads from other threads use
their own connection, so they never see a transaction another thread has not committed yet.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from assistant.models import Chunk, DocumentMeta, LayoutLine

_SCHEMA = """
CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc TEXT PRIMARY KEY, meta TEXT NOT NULL, text TEXT NOT NULL, page_starts TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS layout (doc TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, doc TEXT NOT NULL, ordinal INTEGER NOT NULL, start INTEGER NOT NULL,
    "end" INTEGER NOT NULL, page_start INTEGER, page_end INTEGER, section TEXT, text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks (doc, ordinal);
CREATE TABLE IF NOT EXISTS embedded (id TEXT PRIMARY KEY, seq INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS embedded_seq ON embedded (seq);
"""


class Catalog:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = _connect(path)
        self._db.executescript(_SCHEMA)
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._write_lock = threading.RLock()

    def close(self) -> None:
        with self._readers_lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()
        self._db.close()

    @property
    def _conn(self) -> sqlite3.Connection:
        """The writer connection inside this thread's transaction, else this thread's own reader."""
        if getattr(self._local, "writing", False):
            return self._db
        conn = getattr(self._local, "reader", None)
        if conn is None:
            conn = _connect(self.path)
            with self._readers_lock:
                self._readers.append(conn)
            self._local.reader = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write; it bumps the generation so readers and the BM25 files notice it."""
        with self._write_lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._local.writing = True
            try:
                yield self._db
                self._db.execute(
                    "INSERT INTO info VALUES ('generation', '1') "
                    "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            finally:
                self._local.writing = False
            self._db.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads in this block on this thread all see one committed state (nested blocks join it)."""
        if getattr(self._local, "writing", False) or getattr(self._local, "snapshot", False):
            yield
            return
        conn = self._conn
        conn.execute("BEGIN")
        self._local.snapshot = True
        try:
            yield
        finally:
            self._local.snapshot = False
            conn.execute("COMMIT")

    def generation(self) -> int:
        """How many write transactions the catalog has committed; changes on every write."""
        return int(self.get_info("generation") or 0)

    # -- info ---------------------------------------------------------------
    def get_info(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM info WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_info(self, key: str, value: str) -> None:
        if self.get_info(key) != value:  # a reading process should not need the write lock
            with self._write_lock:
                self._db.execute("INSERT OR REPLACE INTO info VALUES (?, ?)", (key, value))

    # -- documents ----------------------------------------------------------
    def put_document(
        self,
        conn: sqlite3.Connection,
        meta: DocumentMeta,
        text: str,
        page_starts: list[int],
        chunks: list[Chunk],
        layout: Sequence[LayoutLine] = (),
    ) -> None:
        keep = {c.id for c in chunks}
        conn.executemany("DELETE FROM embedded WHERE id = ?", [(i,) for i in self.chunk_ids(meta.doc) if i not in keep])
        conn.execute("DELETE FROM chunks WHERE doc = ?", (meta.doc,))
        conn.execute("DELETE FROM layout WHERE doc = ?", (meta.doc,))
        if layout:
            # Compact rows, not model JSON: a 100-page scan has some 4,000 lines.
            rows = [[line.page, line.start, line.end, *line.bbox, line.confidence] for line in layout]
            conn.execute("INSERT INTO layout VALUES (?, ?)", (meta.doc, json.dumps(rows, separators=(",", ":"))))
        conn.execute(
            "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?)",
            (meta.doc, meta.model_dump_json(), text, json.dumps(page_starts)),
        )
        conn.executemany(
            "INSERT OR REPLACE INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(c.id, c.doc, c.ordinal, c.start, c.end, c.page_start, c.page_end, c.section, c.text) for c in chunks],
        )

    def delete_document(self, conn: sqlite3.Connection, doc: str) -> None:
        conn.execute("DELETE FROM embedded WHERE id IN (SELECT id FROM chunks WHERE doc = ?)", (doc,))
        conn.execute("DELETE FROM chunks WHERE doc = ?", (doc,))
        conn.execute("DELETE FROM layout WHERE doc = ?", (doc,))
        conn.execute("DELETE FROM documents WHERE doc = ?", (doc,))

    def update_meta(self, metas: Iterable[DocumentMeta]) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE documents SET meta = ? WHERE doc = ?", [(m.model_dump_json(), m.doc) for m in metas]
            )

    def documents(self) -> list[DocumentMeta]:
        rows = self._conn.execute("SELECT meta FROM documents ORDER BY doc").fetchall()
        return [DocumentMeta.model_validate_json(r[0]) for r in rows]

    def document(self, doc: str) -> DocumentMeta | None:
        row = self._conn.execute("SELECT meta FROM documents WHERE doc = ?", (doc,)).fetchone()
        return DocumentMeta.model_validate_json(row[0]) if row else None

    def document_text(self, doc: str) -> str | None:
        row = self._conn.execute("SELECT text FROM documents WHERE doc = ?", (doc,)).fetchone()
        return row[0] if row else None

    def page_starts(self, doc: str) -> list[int]:
        row = self._conn.execute("SELECT page_starts FROM documents WHERE doc = ?", (doc,)).fetchone()
        return json.loads(row[0]) if row else []

    def layout(self, doc: str) -> list[LayoutLine]:
        """Where the document's OCR lines sit on their pages; empty for documents read without OCR."""
        row = self._conn.execute("SELECT data FROM layout WHERE doc = ?", (doc,)).fetchone()
        if not row:
            return []
        return [
            LayoutLine(page=page, start=start, end=end, bbox=(x0, y0, x1, y1), confidence=confidence)
            for page, start, end, x0, y0, x1, y1, confidence in json.loads(row[0])
        ]

    # -- chunks -------------------------------------------------------------
    def chunk_ids(self, doc: str | None = None) -> list[str]:
        if doc is None:
            return [r[0] for r in self._conn.execute("SELECT id FROM chunks ORDER BY doc, ordinal")]
        return [r[0] for r in self._conn.execute("SELECT id FROM chunks WHERE doc = ? ORDER BY ordinal", (doc,))]

    def chunks(self, doc: str | None = None) -> Iterator[Chunk]:
        query = 'SELECT id, doc, ordinal, start, "end", page_start, page_end, section, text FROM chunks'
        rows = (
            self._conn.execute(query + " ORDER BY doc, ordinal")
            if doc is None
            else self._conn.execute(query + " WHERE doc = ? ORDER BY ordinal", (doc,))
        )
        for row in rows:
            yield _chunk(row)

    def get_chunks(self, ids: list[str]) -> dict[str, Chunk]:
        out: dict[str, Chunk] = {}
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            rows = self._conn.execute(
                'SELECT id, doc, ordinal, start, "end", page_start, page_end, section, text FROM chunks '
                f"WHERE id IN ({','.join('?' * len(part))})",
                part,
            )
            out.update({row[0]: _chunk(row) for row in rows})
        return out

    def chunk_counts(self) -> dict[str, int]:
        return dict(self._conn.execute("SELECT doc, COUNT(*) FROM chunks GROUP BY doc"))

    def chunk_docs(self) -> dict[str, str]:
        return dict(self._conn.execute("SELECT id, doc FROM chunks"))

    def chunk_docs_of(self, ids: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            out.update(
                self._conn.execute(f"SELECT id, doc FROM chunks WHERE id IN ({','.join('?' * len(part))})", part)
            )
        return out

    def chunk_count(self) -> int:
        return self._conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]

    # -- which chunks have vectors ---------------------------------------------
    def mark_embedded(self, ids: Iterable[str]) -> None:
        """Record that these chunks now have a vector in the store (ids no longer in the catalog are ignored).

        Not a catalog change: the generation stays, so readers' lexical caches stay valid.
        """
        with self._write_lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                # A counter that only grows (deleting rows never hands out a position again), so a
                # reader that has seen position n needs exactly the rows after n.
                row = self._db.execute("SELECT value FROM info WHERE key = 'vector_seq'").fetchone()
                start = int(row[0]) if row else 0
                rows = [(cid, start + n) for n, cid in enumerate(ids, start=1)]
                self._db.executemany(
                    "INSERT INTO embedded SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM chunks WHERE id = ?1) "
                    "ON CONFLICT(id) DO NOTHING",
                    rows,
                )
                self._db.execute("INSERT OR REPLACE INTO info VALUES ('vector_seq', ?)", (str(start + len(rows)),))
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def unmark_embedded(self, ids: Iterable[str]) -> None:
        """Forget vectors that turned out to be missing from the store (they are embedded again)."""
        with self._write_lock:
            self._db.executemany("DELETE FROM embedded WHERE id = ?", [(i,) for i in ids])

    def pending_vectors(self) -> list[str]:
        """Chunk ids with no vector yet, in document order."""
        rows = self._conn.execute(
            "SELECT c.id FROM chunks c LEFT JOIN embedded e ON e.id = c.id WHERE e.id IS NULL ORDER BY c.doc, c.ordinal"
        )
        return [r[0] for r in rows]

    def embedded_since(self, seq: int) -> list[tuple[str, int]]:
        """(chunk id, seq) of the chunks that got their vector after `seq`, in that order."""
        return list(self._conn.execute("SELECT id, seq FROM embedded WHERE seq > ? ORDER BY seq", (seq,)))

    def vector_seq(self) -> int:
        """Position of the vector log: grows whenever chunks get vectors."""
        return int(self.get_info("vector_seq") or 0)

    def embedded_ids(self) -> set[str]:
        return {r[0] for r in self._conn.execute("SELECT id FROM embedded")}

    def vector_progress(self, docs: Iterable[str] | None = None) -> tuple[int, int]:
        """(chunks with a vector, all chunks), of the given documents only if `docs` is given."""
        if docs is None:
            done = self._conn.execute("SELECT COUNT(*) FROM embedded").fetchone()[0]
            return done, self.chunk_count()
        done = total = 0
        wanted = sorted(docs)
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            row = self._conn.execute(
                "SELECT COUNT(c.id), COUNT(e.id) FROM chunks c LEFT JOIN embedded e ON e.id = c.id "
                f"WHERE c.doc IN ({','.join('?' * len(part))})",
                part,
            ).fetchone()
            total, done = total + row[0], done + row[1]
        return done, total


def _connect(path: Path) -> sqlite3.Connection:
    # Autocommit (isolation_level=None): transactions are explicit; a 30 s busy timeout lets a
    # reading process wait out another process's commit instead of failing.
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    return conn


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
