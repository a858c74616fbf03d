"""What the tabs call: one shared Library, answering, review, document management, intro.

Heavy things (the embedding model, the BM25 index, the lint rules, the intro) are made once
and shared by every browser session; per-session state lives in gr.State in the tabs.
Searches run in parallel under a read lock; indexing and removal take the write lock.
"""

from __future__ import annotations

import atexit
import logging
import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import StyrdokError
from assistant.library import Library
from assistant.models import Answer, Citation, DocumentKind, Finding

log = logging.getLogger(__name__)

UPLOAD_FOLDER = "uploads"


class ReadWriteLock:
    """Many readers or one writer; writers wait for running readers and block new ones."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._waiting_writers = 0

    @contextmanager
    def read(self):
        with self._cond:
            while self._writer or self._waiting_writers:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def write(self):
        with self._cond:
            self._waiting_writers += 1
            while self._writer or self._readers:
                self._cond.wait()
            self._waiting_writers -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


@dataclass
class ChatSession:
    """One browser session's conversation: the answering Conversation plus the answers shown."""

    conversation: object = None
    answers: list[Answer] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.conversation is None:
            from assistant.answering import Conversation

            self.conversation = Conversation()


@dataclass
class Review:
    """The result of reviewing one draft, kept per session for regrouping and downloads."""

    name: str
    path: Path
    draft: object
    findings: list[Finding]
    rule_titles: dict[str, str]


class Services:
    def __init__(self, library: Library, chat_model=None, answerer_factory: Callable | None = None):
        self.library = library
        self.chat_model = chat_model
        self.lock = ReadWriteLock()
        self._answerer_factory = answerer_factory
        self._rules = None
        self._rules_lock = threading.Lock()
        self._intro_lock = threading.Lock()
        self._intro: tuple[str, object] | None = None
        self.work_dir = Path(tempfile.mkdtemp(prefix="styrdok-ui-"))  # drafts under review and their reports
        atexit.register(shutil.rmtree, self.work_dir, ignore_errors=True)

    # -- start-up ----------------------------------------------------------------------------
    def warm_up(self) -> None:
        """Load the BM25 index, run the embedding model and answer once, so the first question is fast."""
        try:
            with self.lock.read():
                self.library.lexical()
                if self.library.embedder is not None:
                    self.library.embedder.embed_query("uppvärmning")
                if self.library.documents():
                    # One whole answer: imports answering and fills its caches before the first visitor asks.
                    self.answerer().ask("Vem följer upp privata utförare?")
        except Exception:  # a broken index is reported when someone asks, not at start-up
            log.exception("Uppvärmningen misslyckades")

    # -- asking ------------------------------------------------------------------------------
    def answerer(self):
        if self._answerer_factory is not None:
            return self._answerer_factory(self.library)
        from assistant.answering import Answerer

        return Answerer(self.library, embedder=self.library.embedder, chat_model=self.chat_model)

    def ask(self, question: str, session: ChatSession, kinds: Sequence[str] | None = None) -> Answer:
        kinds_enum = [DocumentKind(k) for k in kinds] if kinds else None
        with self.lock.read():
            if not self.library.documents():
                raise StyrdokError("Biblioteket är tomt. Lägg till dokument under fliken Dokument först.")
            # A fresh Answerer per question: it keeps per-call state (last_hits) that must not be shared.
            return self.answerer().ask(question, conversation=session.conversation, kinds=kinds_enum)

    def source(self, citation: Citation) -> tuple[str | None, list[int], object]:
        """Document text, page starts and metadata behind a citation (None text if it is gone)."""
        with self.lock.read():
            try:
                text = self.library.document_text(citation.doc)
            except StyrdokError:
                return None, [], None
            return text, self.library.catalog.page_starts(citation.doc), self.library.document(citation.doc)

    def kinds_present(self) -> list[DocumentKind]:
        with self.lock.read():
            present = {m.kind for m in self.library.documents()}
        return [k for k in DocumentKind if k in present]

    # -- documents ---------------------------------------------------------------------------
    @property
    def upload_folder(self) -> Path:
        return Path(self.library.folder) / UPLOAD_FOLDER

    def documents_table(self) -> list[list]:
        from ui.render import kind_label, status_label

        with self.lock.read():
            counts = self.library.catalog.chunk_counts()
            metas = sorted(self.library.documents(), key=lambda m: (m.title.lower(), m.doc))
        return [
            [
                m.title,
                kind_label(m.kind),
                m.issuer or "",
                m.date or "",
                m.pages if m.pages else "",
                counts.get(m.doc, 0),
                status_label(m.status),
                m.doc,
            ]
            for m in metas
        ]

    def doc_names(self) -> list[str]:
        with self.lock.read():
            return sorted(m.doc for m in self.library.documents())

    def ingest(self, paths: Sequence[Path], progress: Callable[[str, int, int], None] | None = None):
        from assistant.ingest import ingest

        with self.lock.write():
            return ingest(self.library, list(paths), progress=progress)

    def remove(self, docs: Sequence[str]) -> list[str]:
        from assistant.ingest import remove

        with self.lock.write():
            return remove(self.library, list(docs))

    def reindex_folders(self) -> list[Path]:
        """Folders the indexed documents came from that still exist, and the upload folder."""
        with self.lock.read():
            folders = {Path(m.path).parent for m in self.library.documents() if m.path}
        if self.upload_folder.is_dir():
            folders.add(self.upload_folder)
        return sorted(f for f in folders if f.is_dir())

    def search(self, query: str, k: int = 10):
        with self.lock.read():
            return self.library.search(query, k=k)

    # -- review ------------------------------------------------------------------------------
    def rules(self):
        with self._rules_lock:
            if self._rules is None:
                from assistant.lint.rules import load_rules

                self._rules = load_rules()
            return self._rules

    def review(self, path: Path) -> Review:
        """Lint a draft file (already validated; its name is the original file name)."""
        from assistant.lint.draft import read_draft
        from assistant.lint.engine import SourceFinder, lint_draft

        draft = read_draft(path)
        rules = self.rules()
        with self.lock.read():
            findings = lint_draft(draft, rules, SourceFinder(self.library))
        titles = {r.id: r.title for r in rules}
        return Review(name=draft.name, path=Path(path), draft=draft, findings=findings, rule_titles=titles)

    # -- introduction ------------------------------------------------------------------------
    def intro(self):
        """(roles, glossary) for the Introduktion tab, built once per library state; None if unavailable."""
        from ui import intro_tab

        with self._intro_lock:
            token = self.library.state_token()
            if self._intro is None or self._intro[0] != token:
                with self.lock.read():
                    self._intro = (token, intro_tab.build_intro(self.library))
            return self._intro[1]
