"""What the tabs call: one shared Styrdok API object (assistant.api) for answering, review, documents, intro.

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

from assistant.api import Styrdok
from assistant.errors import StyrdokError
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
            self.conversation = Styrdok.conversation()


@dataclass
class Review:
    """The result of reviewing one draft, kept per session for regrouping and downloads."""

    name: str
    path: Path
    draft: object
    findings: list[Finding]
    rule_titles: dict[str, str]


class Services:
    def __init__(self, library, chat_model=None, answerer_factory: Callable | None = None):
        self.api = Styrdok(library, chat_model=chat_model, answerer_factory=answerer_factory)
        self.library = library  # settings (upload limits) for the tabs; every operation goes through self.api
        self.lock = ReadWriteLock()
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
                self.api.warm_up()
                if self.api.documents():
                    # One whole answer: imports answering and fills its caches before the first visitor asks.
                    self.api.ask("Vem följer upp privata utförare?")
        except Exception:  # a broken index is reported when someone asks, not at start-up
            log.exception("Uppvärmningen misslyckades")

    # -- asking ------------------------------------------------------------------------------
    def ask(self, question: str, session: ChatSession, kinds: Sequence[str] | None = None) -> Answer:
        with self.lock.read():
            if not self.api.documents():
                raise StyrdokError("Biblioteket är tomt. Lägg till dokument under fliken Dokument först.")
            return self.api.ask(question, conversation=session.conversation, kinds=kinds)

    def source(self, citation: Citation) -> tuple[str | None, list[int], object]:
        """Document text, page starts and metadata behind a citation (None text if it is gone)."""
        with self.lock.read():
            try:
                text, page_starts = self.api.source(citation.doc)
            except StyrdokError:
                return None, [], None
            return text, page_starts, self.api.document(citation.doc)

    def kinds_present(self) -> list[DocumentKind]:
        with self.lock.read():
            present = {m.kind for m in self.api.documents()}
        return [k for k in DocumentKind if k in present]

    # -- documents ---------------------------------------------------------------------------
    @property
    def upload_folder(self) -> Path:
        return self.api.folder / UPLOAD_FOLDER

    def documents_table(self) -> list[list]:
        from ui.render import kind_label, status_label

        with self.lock.read():
            counts = self.api.chunk_counts()
            metas = sorted(self.api.documents(), key=lambda m: (m.title.lower(), m.doc))
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
            return sorted(m.doc for m in self.api.documents())

    def ingest(self, paths: Sequence[Path], progress: Callable[[str, int, int], None] | None = None):
        # OCR before the write lock: a 20-page scan takes about half a minute, and every question in
        # other sessions would wait for the lock; ingest then takes the pages from the OCR cache.
        self.api.read_scans(paths, progress=progress)
        with self.lock.write():
            return self.api.ingest(paths, progress=progress)

    def remove(self, docs: Sequence[str]) -> list[str]:
        with self.lock.write():
            return self.api.remove(docs)

    def reindex_folders(self) -> list[Path]:
        """Folders the indexed documents came from that still exist, and the upload folder."""
        with self.lock.read():
            folders = {Path(m.path).parent for m in self.api.documents() if m.path}
        if self.upload_folder.is_dir():
            folders.add(self.upload_folder)
        return sorted(f for f in folders if f.is_dir())

    def search(self, query: str, k: int = 10):
        with self.lock.read():
            return self.api.search(query, k=k)

    # -- review ------------------------------------------------------------------------------
    def rules(self):
        """The built-in rules, loaded once and shared by every session."""
        with self._rules_lock:
            if self._rules is None:
                from assistant.api import load_rules

                self._rules = load_rules()
            return self._rules

    def review(self, path: Path) -> Review:
        """Lint a draft file (already validated; its name is the original file name)."""
        # A fresh Linter per review: its source lookups must see the index as it is now.
        linter = self.api.linter(rules=self.rules())
        with self.lock.read():
            result = linter.review(path)
        draft = result.draft
        return Review(
            name=draft.name, path=Path(path), draft=draft, findings=result.findings, rule_titles=linter.rule_titles()
        )

    # -- introduction ------------------------------------------------------------------------
    def intro(self):
        """The IntroData (roles, glossary) for the Introduktion tab, built once per library state."""
        with self._intro_lock:
            token = self.api.state_token()
            if self._intro is None or self._intro[0] != token:
                with self.lock.read():
                    self._intro = (token, self.api.intro())
            return self._intro[1]
