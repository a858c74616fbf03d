"""What the tabs call: one shared Styrdok API object (assistant.api) for answering, review, documents, intro.

Heavy things (the embedding model, the BM25 index, the lint rules, the intro) are made once
and shared by every browser session; per-session state lives in gr.State in the tabs.
Searches run in parallel under a read lock; indexing and removal take the write lock.

Every method that reads or changes the index takes the Principal the event acts for (see
`principal(request)`) and works through the API as that principal sees it (assistant.api,
Styrdok.for_principal): their collections only, and changes only where they may edit.
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

from assistant.access.models import Principal, Role
from assistant.api import Styrdok
from assistant.errors import StyrdokError
from assistant.models import Answer, Citation, DocumentKind, Finding

log = logging.getLogger(__name__)

UPLOAD_FOLDER = "uploads"
PAGE_SIZE = 50  # rows of the library table per page


@dataclass
class DocumentsPage:
    rows: list[list]
    page: int  # 0-based
    pages: int
    matching: int  # documents that pass the filters


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


# Who a page is built for before anyone has been identified (login on): nothing to read or change.
NOBODY = Principal(name="", role=Role.lasare, read=frozenset(), edit=frozenset(), via="none")
NOT_LOGGED_IN = "Du är inte inloggad, eller så har inloggningen gått ut. Ladda om sidan och logga in igen."


class Services:
    def __init__(self, library, chat_model=None, answerer_factory: Callable | None = None, access=None):
        """`access` (assistant.access.control.AccessControl) switches login on; None: one user, no login."""
        self.api = Styrdok(library, chat_model=chat_model, answerer_factory=answerer_factory)
        self.library = library  # settings (upload limits) for the tabs; every operation goes through self.api
        self.access = access
        self.lock = ReadWriteLock()
        self._rules = None
        self._rules_lock = threading.Lock()
        self._intro_lock = threading.Lock()
        self._intro: dict[str, tuple[str, object]] = {}  # per set of readable collections
        self._vector_lock = threading.Lock()
        self._vector_thread: threading.Thread | None = None
        self._vector_again = False
        self.work_dir = Path(tempfile.mkdtemp(prefix="styrdok-ui-"))  # drafts under review and their reports
        atexit.register(shutil.rmtree, self.work_dir, ignore_errors=True)

    # -- who ---------------------------------------------------------------------------------
    @property
    def login_required(self) -> bool:
        return self.access is not None

    @property
    def initial_principal(self) -> Principal:
        """Whom the page is built for: the single user without login, else nobody (each user's view is loaded)."""
        return Principal.open() if self.access is None else NOBODY

    def principal(self, request) -> Principal:
        """The principal behind a Gradio event or HTTP request; StyrdokError when there is none (login on)."""
        if self.access is None:
            return Principal.open()
        from assistant.access.control import Caller

        found = self.access.identify(Caller.of(request)) if request is not None else None
        if found is None:
            raise StyrdokError(NOT_LOGGED_IN)
        return found

    def api_for(self, principal: Principal) -> Styrdok:
        return self.api.for_principal(principal)

    # -- start-up ----------------------------------------------------------------------------
    def warm_up(self) -> None:
        """Load the BM25 index, run the embedding model and answer once, so the first question is fast."""
        try:
            done, total = self.api.vector_progress()
            if done < total:
                self.start_vectors()  # a killed or --no-wait ingest left passages without vectors
            with self.lock.read():
                self.api.warm_up()
                if self.api.documents():
                    # One whole answer: imports answering and fills its caches before the first visitor asks.
                    self.api.ask("Vem följer upp privata utförare?")
        except Exception:  # a broken index is reported when someone asks, not at start-up
            log.exception("Uppvärmningen misslyckades")

    # -- asking ------------------------------------------------------------------------------
    def ask(
        self,
        question: str,
        session: ChatSession,
        kinds: Sequence[str] | None = None,
        principal: Principal | None = None,
    ) -> Answer:
        api = self.api_for(principal or Principal.open())
        with self.lock.read():
            if not api.documents():
                raise StyrdokError("Biblioteket är tomt. Lägg till dokument under fliken Dokument först.")
            return api.ask(question, conversation=session.conversation, kinds=kinds)

    def source(self, citation: Citation, principal: Principal | None = None) -> tuple[str | None, list[int], object]:
        """Document text, page starts and metadata behind a citation (None text if it is gone or not readable)."""
        api = self.api_for(principal or Principal.open())
        with self.lock.read():
            try:
                text, page_starts = api.source(citation.doc)
            except StyrdokError:
                return None, [], None
            return text, page_starts, api.document(citation.doc)

    def cited_page(self, citation: Citation, principal: Principal | None = None):
        """The cited PDF page as an image with the passage's boxes, or None (not a PDF, file gone, unreadable)."""
        api = self.api_for(principal or Principal.open())
        with self.lock.read():
            try:
                return api.cited_page(citation)
            except StyrdokError:
                return None
            except Exception:  # a page that cannot be drawn must not take the text view with it
                log.exception("Sidan kunde inte ritas: %s", citation.doc)
                return None

    def kinds_present(self, principal: Principal | None = None) -> list[DocumentKind]:
        api = self.api_for(principal or Principal.open())
        with self.lock.read():
            present = {m.kind for m in api.documents()}
        return [k for k in DocumentKind if k in present]

    # -- documents ---------------------------------------------------------------------------
    @property
    def upload_folder(self) -> Path:
        return self.api.folder / UPLOAD_FOLDER

    def documents_page(
        self,
        folder: str = "",
        kind: str = "",
        text: str = "",
        page: int = 0,
        size: int = PAGE_SIZE,
        principal: Principal | None = None,
    ) -> DocumentsPage:
        """One page of the library table, filtered by folder, kind and text (title, file name)."""
        from ui.render import kind_label, status_label

        api = self.api_for(principal or Principal.open())
        with self.lock.read():
            counts = api.chunk_counts()
            metas = api.find_documents(folder or None, kind or None, text or None)
        metas.sort(key=lambda m: (m.folder.lower(), m.title.lower(), m.doc))
        pages = max(1, -(-len(metas) // size))
        page = min(max(0, page), pages - 1)
        rows = [
            [
                m.title,
                kind_label(m.kind),
                m.folder,
                m.decided_by or m.issuer or "",
                m.decided_on or m.date or "",
                m.pages if m.pages else "",
                counts.get(m.doc, 0),
                *([m.collection] if self.login_required else []),  # a column only where users have collections
                status_label(m.status),
                m.doc,
            ]
            for m in metas[page * size : (page + 1) * size]
        ]
        return DocumentsPage(rows=rows, page=page, pages=pages, matching=len(metas))

    def folder_choices(self, principal: Principal | None = None) -> list[tuple[str, str]]:
        """("Hemtjänst (122)", "Hemtjänst") for every folder, after "Alla mappar (n)"."""
        api = self.api_for(principal or Principal.open())
        with self.lock.read():
            counts = api.folder_counts()
        total = sum(counts.values())
        named = [(f"{name} ({n})", name) for name, n in counts.items() if name]
        top = [("Översta mappen" + f" ({counts['']})", "/")] if "" in counts and named else []
        return [(f"Alla mappar ({total})", ""), *top, *named]

    def kind_choices(self, principal: Principal | None = None) -> list[tuple[str, str]]:
        from ui.render import kind_label

        api = self.api_for(principal or Principal.open())
        with self.lock.read():
            present: dict[str, int] = {}
            for meta in api.documents():
                present[meta.kind.value] = present.get(meta.kind.value, 0) + 1
        kinds = [k for k in DocumentKind if k.value in present]
        return [("Alla typer", ""), *[(f"{kind_label(k)} ({present[k.value]})", k.value) for k in kinds]]

    def doc_names(self, principal: Principal | None = None) -> list[str]:
        api = self.api_for(principal or Principal.open())
        with self.lock.read():
            return sorted(m.doc for m in api.documents())

    def collections(self, principal: Principal | None = None) -> list[str]:
        """The collections with documents this principal reads."""
        api = self.api_for(principal or Principal.open())
        with self.lock.read():
            return api.collections()

    def editable_collections(self, principal: Principal | None = None) -> list[str]:
        """Collections this principal may add documents to (granted ones, and for administrators all known)."""
        known = self.access.users.collections() if self.access is not None else ()
        return self.api_for(principal or Principal.open()).editable_collections(known)

    def check_may_edit(self, principal: Principal, collection: str | None = None) -> None:
        """A StyrdokError unless `principal` may change documents (in `collection`): before any file is stored."""
        self.api_for(principal)._require_editor(collection)

    def resolve(self, name: str, principal: Principal | None = None) -> list[str]:
        return self.api_for(principal or Principal.open()).resolve(name)

    def ingest(
        self,
        paths: Sequence[Path],
        progress: Callable[[str, int, int], None] | None = None,
        principal: Principal | None = None,
        collection: str | None = None,
    ):
        """Index the files: searchable by their words when this returns; vectors follow in the background."""
        api = self.api_for(principal or Principal.open())
        api._require_editor(collection)  # before the (slow) OCR: refused is refused at once
        # OCR before the write lock: a 20-page scan takes about half a minute, and every question in
        # other sessions would wait for the lock; ingest then takes the pages from the OCR cache.
        api.read_scans(paths, progress=progress)
        with self.lock.write():
            report = api.ingest(paths, progress=progress, wait_for_vectors=False, collection=collection)
        self.start_vectors()
        return report

    def reindex(self, progress: Callable[[str, int, int], None] | None = None, principal: Principal | None = None):
        """Ingest the source folders again (administrators: it touches every collection)."""
        principal = principal or Principal.open()
        if not principal.is_admin:
            raise StyrdokError(f"{principal.shown_name} får inte indexera om hela biblioteket (bara administratörer).")
        folders = self.reindex_folders()
        if not folders:
            return None
        return self.ingest(folders, progress=progress, principal=principal)

    def replace(
        self,
        old: str,
        new: Path,
        progress: Callable[[str, int, int], None] | None = None,
        principal: Principal | None = None,
    ):
        """Index `new` as the next version of document `old` (same collection) and remove `old`."""
        api = self.api_for(principal or Principal.open())
        meta = api.document(old)
        if meta is None:
            raise StyrdokError(f"{old} finns inte i biblioteket.")
        api._require_editor(meta.collection)
        api.read_scans([new], progress=progress)  # OCR outside the write lock, as in ingest
        with self.lock.write():
            report = api.replace(old, new, progress=progress, wait_for_vectors=False)
        self.start_vectors()
        return report

    def remove(self, docs: Sequence[str], principal: Principal | None = None) -> list[str]:
        api = self.api_for(principal or Principal.open())
        with self.lock.write():
            return api.remove(docs)

    # -- vectors in the background ------------------------------------------------------------
    def start_vectors(self) -> None:
        """Embed the passages that have no vector yet in a background thread (one at a time).

        Searching works meanwhile (by words for the new passages); each batch is written under
        the index's write lock, so an upload can slip in between batches.
        """
        with self._vector_lock:
            if self._vector_thread is not None and self._vector_thread.is_alive():
                self._vector_again = True
                return
            self._vector_thread = threading.Thread(target=self._vectors, name="styrdok-vectors", daemon=True)
            self._vector_thread.start()

    def _vectors(self) -> None:
        while True:
            try:
                self.api.complete_vectors()
            except StyrdokError as error:  # another process writes (it completes them) or the server is down
                log.warning("Semantisk indexering avbröts: %s", error)
            except Exception:  # noqa: BLE001 - a background thread must not die silently
                log.exception("Semantisk indexering misslyckades")
            with self._vector_lock:
                if not self._vector_again:
                    self._vector_thread = None
                    return
                self._vector_again = False

    def vector_status(self, principal: Principal | None = None) -> tuple[int, int, bool]:
        """(passages with a vector, all passages, whether embedding runs now), of the readable documents."""
        done, total = self.api_for(principal or Principal.open()).vector_progress()
        with self._vector_lock:
            running = self._vector_thread is not None
        return done, total, running

    def wait_for_vectors(self, timeout: float = 600) -> None:
        """Block until the background embedding is done (tests, benchmarks)."""
        thread = self._vector_thread
        if thread is not None:
            thread.join(timeout)

    def reindex_folders(self) -> list[Path]:
        """Folders the indexed documents came from that still exist, and the upload folder."""
        with self.lock.read():
            folders = {Path(m.path).parent for m in self.api.documents() if m.path}
        if self.upload_folder.is_dir():
            folders.add(self.upload_folder)
        return sorted(f for f in folders if f.is_dir())

    def search(self, query: str, k: int = 10, principal: Principal | None = None):
        api = self.api_for(principal or Principal.open())
        with self.lock.read():
            return api.search(query, k=k)

    # -- review ------------------------------------------------------------------------------
    def rules(self):
        """The built-in rules, loaded once and shared by every session."""
        with self._rules_lock:
            if self._rules is None:
                from assistant.api import load_rules

                self._rules = load_rules()
            return self._rules

    def review(self, path: Path, principal: Principal | None = None) -> Review:
        """Lint a draft file (already validated; its name is the original file name), citing readable documents."""
        # A fresh Linter per review: its source lookups must see the index as it is now.
        linter = self.api_for(principal or Principal.open()).linter(rules=self.rules())
        with self.lock.read():
            result = linter.review(path)
        draft = result.draft
        return Review(
            name=draft.name, path=Path(path), draft=draft, findings=result.findings, rule_titles=linter.rule_titles()
        )

    # -- introduction ------------------------------------------------------------------------
    def intro(self, principal: Principal | None = None):
        """The IntroData (roles, glossary) for the Introduktion tab, built once per library state and per set
        of readable collections (from its documents only)."""
        principal = principal or Principal.open()
        api = self.api_for(principal)
        key = principal.scope_key()
        with self._intro_lock:
            token = api.state_token()
            cached = self._intro.get(key)
            if cached is None or cached[0] != token:
                with self.lock.read():
                    cached = self._intro[key] = (token, api.intro())
                if len(self._intro) > 64:  # many different sets of collections: keep the newest
                    self._intro.pop(next(iter(self._intro)))
            return cached[1]
