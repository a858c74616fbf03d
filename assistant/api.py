"""The Python API: one object over one index, and the only way the CLI, the web app and the integrations
(LangChain, MCP) reach indexing, search, answering, review and the introduction.

    from assistant.api import Styrdok

    s = Styrdok.open(".styrdok/index")
    s.ingest(["corpus/"])
    hits = s.search("Vem godkänner utförare?", k=5)      # list[SearchHit]
    answer = s.ask("Vem följer upp privata utförare?")   # Answer with citations, or an abstention
    findings = s.lint("utkast.docx")                     # list[Finding]
    s.roles(), s.glossary()                              # list[RoleStatement], list[GlossaryEntry]

Everything returns the project's own pydantic types (assistant.models, assistant.intro.models).
Heavy modules are imported when first used, so opening the CLI stays fast.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel

from assistant.access.models import Principal
from assistant.errors import StyrdokError
from assistant.lint.draft import Draft
from assistant.models import Answer, Citation, DocumentKind, DocumentMeta, Finding, SearchHit

if TYPE_CHECKING:
    from assistant.access.audit import AuditLog
    from assistant.answering import Answerer, Conversation
    from assistant.ingest import IngestReport
    from assistant.intro.models import GlossaryEntry, IntroData, RoleStatement, StarterQuestion
    from assistant.lint.rules import Rule
    from assistant.page_image import PageImage
    from assistant.protocols import Searcher

Progress = Callable[[str, int, int], None]
# What `--rebuild` deletes: the catalog, the vectors and the BM25 index (not the embedding cache).
INDEX_FILES = ("catalog.sqlite", "catalog.sqlite-wal", "catalog.sqlite-shm", "chroma", "bm25")


class DraftReview(BaseModel):
    """One reviewed draft: the parsed draft (sections, sentences) and its findings in document order."""

    draft: Draft
    findings: list[Finding]


class Linter:
    """Reviews drafts against a rule set, citing the principles from an index when one is given.

    Keeps one source lookup per run, so the same principle is searched once for many drafts;
    `source_errors` tells when the index failed (findings then lack sources, lint still runs).
    """

    def __init__(
        self, searcher: Searcher | None = None, rules_dir: Path | None = None, rules: list[Rule] | None = None
    ):
        from assistant.lint.engine import SourceFinder

        self.rules = rules if rules is not None else load_rules(rules_dir)
        self._sources = SourceFinder(searcher)

    @property
    def source_errors(self) -> list[str]:
        return self._sources.errors

    def rule_titles(self) -> dict[str, str]:
        return {rule.id: rule.title for rule in self.rules}

    def review(self, path: Path | str) -> DraftReview:
        """Read a draft file (PDF, DOCX, Markdown, text) and lint it. A broken file raises StyrdokError."""
        from assistant.lint.draft import read_draft

        return self.review_draft(read_draft(path))

    def review_text(self, text: str, name: str = "utkast.md") -> DraftReview:
        """Lint draft text given directly (Markdown or plain text, by `name`), e.g. from an MCP client."""
        from assistant.lint.draft import parse_draft

        if not text.strip():
            raise StyrdokError(f"{name}: utkastet innehåller ingen text. Skicka med utkastets text.")
        fmt = "txt" if name.lower().endswith(".txt") else "md"
        return self.review_draft(parse_draft(text, name, fmt))

    def review_draft(self, draft: Draft) -> DraftReview:
        from assistant.lint.engine import lint_draft

        return DraftReview(draft=draft, findings=lint_draft(draft, self.rules, self._sources))


class Styrdok:
    """One index: documents in, passages, answers, findings and an introduction out.

    Safe to share between threads for reading; writes (ingest, remove) take the index's write lock.
    `for_principal(p)` gives the same index as a user sees it: only the collections they read, and
    writes only where they may edit (checked here, whatever the caller shows or hides).
    """

    def __init__(
        self,
        library,
        *,
        chat_model=None,
        answerer_factory: Callable | None = None,
        k: int | None = None,
        principal: Principal | None = None,
        base=None,
    ):
        """Wrap an open Library (or any object with its search interface, e.g. a test fake).

        `chat_model` phrases answers with a language model (verified against the sources);
        `answerer_factory(library)` replaces the Answerer (tests); `k` is the passages an answer uses
        (None: the answerer's default, answering.service.PASSAGES).
        `principal` is who acts (default: the single user of an assistant without login, who may
        do everything); `base` is the whole Library when `library` is a principal's view of it.
        """
        self.library = library
        self.chat_model = chat_model
        self.k = k
        self._answerer_factory = answerer_factory
        self.principal = principal or Principal.open()
        self._base = base if base is not None else library

    def for_principal(self, principal: Principal) -> Styrdok:
        """This index as `principal` may use it: reading limited to their collections, writes checked."""
        from assistant.access.scope import ScopedLibrary

        library = self._base if principal.unrestricted else ScopedLibrary(self._base, principal.read)
        return Styrdok(
            library,
            chat_model=self.chat_model,
            answerer_factory=self._answerer_factory,
            k=self.k,
            principal=principal,
            base=self._base,
        )

    @property
    def audit(self) -> AuditLog | None:
        """The index's audit log (None for a library without a folder, e.g. a test fake)."""
        from assistant.access.audit import AuditLog

        folder = getattr(self._base, "folder", None)
        return AuditLog(folder) if folder else None

    def _require_editor(self, collection: str | None = None) -> None:
        if not self.principal.may_edit_documents:
            raise StyrdokError(
                f"{self.principal.shown_name} är {self.principal.role.label} och får inte lägga till, ersätta "
                "eller ta bort dokument."
            )
        if collection is not None and not self.principal.can_edit(collection):
            raise StyrdokError(f"{self.principal.shown_name} får inte ändra dokument i samlingen {collection}.")

    @classmethod
    def open(
        cls,
        index: Path | str | None = None,
        *,
        embedder=None,
        use_embedder: bool = True,
        rebuild: bool = False,
        chat_model=None,
        k: int | None = None,
    ) -> Styrdok:
        """Open (or create) the index folder; None means STYRDOK_INDEX or .styrdok/index.

        `use_embedder=False` skips the embedding model (listing, roles, glossary need no vectors);
        `rebuild=True` empties the index first.
        """
        from assistant import library as library_module  # looked up on call: tests replace open_library

        if rebuild:
            wipe_index(index)
        kwargs = {"use_embedder": False} if not use_embedder else {}
        if embedder is not None:
            kwargs["embedder"] = embedder
        return cls(library_module.open_library(index, **kwargs), chat_model=chat_model, k=k)

    @classmethod
    def wrap(cls, library_or_api) -> Styrdok:
        """The object itself if it already is a Styrdok, else a Styrdok over the given library."""
        return library_or_api if isinstance(library_or_api, Styrdok) else cls(library_or_api)

    # -- the index ----------------------------------------------------------------------------
    @property
    def folder(self) -> Path:
        return Path(self.library.folder)

    @property
    def dense_enabled(self) -> bool:
        return bool(getattr(self.library, "dense_enabled", False))

    def collections(self) -> list[str]:
        """The collections of the documents this principal reads, by name."""
        return sorted({m.collection for m in self.documents()})

    def editable_collections(self, known: Iterable[str] = ()) -> list[str]:
        """Collections this principal may add documents to: those with documents or `known`, and the default."""
        from assistant.models import DEFAULT_COLLECTION

        if not self.principal.may_edit_documents:
            return []
        if self.principal.edit is not None:
            return sorted(self.principal.edit)
        return sorted({DEFAULT_COLLECTION, *known, *(m.collection for m in self._base.documents())})

    def documents(self) -> list[DocumentMeta]:
        return self.library.documents()

    def document(self, doc: str) -> DocumentMeta | None:
        return self.library.document(doc)

    def chunk_counts(self) -> dict[str, int]:
        """Number of passages per document."""
        return self.library.chunk_counts()

    def describe(
        self,
        folder: str | None = None,
        kind: str | None = None,
        text: str | None = None,
        collection: str | None = None,
    ) -> list[dict]:
        """One `styrdok docs --json` entry per document, optionally only those in a folder, of a kind, in a
        collection, or whose title or path contains `text` (case and accents ignored)."""
        from assistant.library import describe

        counts = self.chunk_counts()
        found = self.find_documents(folder, kind, text, collection)
        return [describe(meta, counts.get(meta.doc, 0)) for meta in found]

    def find_documents(
        self,
        folder: str | None = None,
        kind: str | None = None,
        text: str | None = None,
        collection: str | None = None,
    ) -> list[DocumentMeta]:
        """Documents in `folder` (or below it; "/" for those at the top), of `kind`, in `collection`, whose
        title or id contains `text`; by id."""
        from assistant.metadata import fold

        wanted = fold(text).strip() if text else ""
        out = []
        for meta in sorted(self.documents(), key=lambda m: m.doc):
            if collection and meta.collection != collection:
                continue
            if folder == "/" and meta.folder:
                continue
            if folder and folder != "/" and not (meta.folder == folder or meta.folder.startswith(folder + "/")):
                continue
            if kind and meta.kind.value != kind:
                continue
            if wanted and wanted not in fold(
                " ".join(filter(None, (meta.title, meta.doc, meta.original_name, meta.decided_by, meta.owner)))
            ):
                continue
            out.append(meta)
        return out

    def folder_counts(self) -> dict[str, int]:
        """Number of documents per folder ('' for documents at the top), folders in order."""
        counts: dict[str, int] = {}
        for meta in self.documents():
            counts[meta.folder] = counts.get(meta.folder, 0) + 1
        return dict(sorted(counts.items()))

    def source(self, doc: str) -> tuple[str, list[int]]:
        """A document's whole text and where its pages start. Raises StyrdokError if it is not indexed."""
        text = self.library.document_text(doc)
        return text, self.library.page_starts(doc)

    def cited_page(self, citation: Citation) -> PageImage | None:
        """The cited page of a PDF drawn as an image, with the boxes of the passage on it (page fractions);
        None for other formats, or when the original file is gone. Scanned pages are marked by their OCR lines."""
        from assistant.page_image import cited_page, locate_passage, page_of

        meta = self.document(citation.doc)
        if meta is None or meta.format.lower() != "pdf" or not meta.path:
            return None
        text, page_starts = self.source(citation.doc)
        span = locate_passage(text, citation.start, citation.end, citation.quote)
        page = citation.page or 1
        quote = citation.quote
        if span is not None and page_starts:
            page = page_of(page_starts, span[0])
            page_end = page_starts[page] if page < len(page_starts) else len(text)
            quote = text[span[0] : min(span[1], page_end)]  # the part of the passage on this page
        layout = self.library.catalog.layout(citation.doc) if page in meta.ocr_pages else []
        return cited_page(meta.path, page, quote, layout, span)

    def state_token(self) -> str:
        """Changes whenever the indexed documents change (for caches)."""
        return self.library.state_token()

    def ingest(
        self,
        paths: Iterable[Path | str],
        sync: bool = False,
        progress: Progress | None = None,
        vector_progress: Callable[[int, int], None] | None = None,
        wait_for_vectors: bool = True,
        collection: str | None = None,
        collections_file: Path | str | None = None,
    ) -> IngestReport:
        """Index files and folders incrementally; `sync` removes documents gone from those folders.

        A document is searchable by its words as soon as it is written; its vectors follow in the
        same call (`vector_progress(done, total)`), or later with `wait_for_vectors=False`
        (then call `complete_vectors`). A broken file is reported in `IngestReport.skipped` and
        never stops the others. Documents are identified by their path below the folder given.

        `collection` is the collection of documents nothing else places (default Styrdokument); a
        `collections.yaml` in a folder (or `collections_file`) maps its subfolders to collections.
        Someone who may not edit every collection must name one they edit, and gets only that.
        """
        from assistant.ingest import ingest

        restricted = self.principal.edit is not None
        self._require_editor()
        if restricted:
            if collection is None or sync or collections_file is not None:
                raise StyrdokError(
                    f"{self.principal.shown_name} får bara lägga till enskilda filer i en namngiven samling."
                )
            self._require_editor(collection)
        report = ingest(
            self._base,
            [Path(p) for p in paths],
            sync=sync,
            progress=progress,
            vector_progress=vector_progress,
            wait_for_vectors=wait_for_vectors,
            collection=collection,
            collections_file=Path(collections_file) if collections_file else None,
            forced=restricted,
            may_change=(lambda meta: self.principal.can_edit(meta.collection)),
        )
        self._audit_report(report)
        return report

    def _audit_report(self, report: IngestReport, action_prefix: str = "document") -> None:
        audit = self.audit
        if audit is None:
            return
        metas = {m.doc: m for m in self._base.documents()}
        entries = [
            (f"{action_prefix}.{action}", doc, {"collection": metas[doc].collection} if doc in metas else {})
            for action, docs in (("add", report.added), ("update", report.updated), ("remove", report.removed))
            for doc in docs
        ]
        if entries:
            audit.record_many(self.principal.audit_name, entries)

    def complete_vectors(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Embed the chunks that have no vector yet (written batch by batch); returns how many."""
        from assistant.ingest import complete_vectors

        return complete_vectors(self._base, progress)

    def vector_progress(self) -> tuple[int, int]:
        """(passages with a vector, all passages) of the readable documents: how far semantic search has come."""
        return self.library.vector_progress()

    def resolve(self, name: str) -> list[str]:
        """Document ids a user may mean by `name`: the id itself, else every document with that file name."""
        docs = [m.doc for m in self.documents()]
        if name in docs:
            return [name]
        return sorted(d for d in docs if d.rsplit("/", 1)[-1] == name)

    def read_scans(self, paths: Iterable[Path | str], progress: Progress | None = None) -> int:
        """Read the scanned pages of the PDFs among `paths` with OCR into the index's cache; returns pages read.

        Takes no lock: call it before ingest() so that a long scan is read while others keep searching;
        ingest() then finds the pages read. Problems are left for ingest() to report.
        """
        from assistant.loading import check_file

        reader = getattr(self._base, "ocr", None)
        if reader is None:
            return 0
        pdfs = _pdf_files(Path(p) for p in paths)
        max_bytes = int(self._base.settings.max_file_mb * 1024 * 1024)
        pages = 0
        for i, file in enumerate(pdfs):

            def step(page: int, total: int, name: str = file.name, done: int = i) -> None:
                if progress:
                    progress(f"{name} – OCR {page}/{total} sidor", done, len(pdfs))

            try:
                check_file(file, max_bytes)
                pages += reader.prefetch(file.read_bytes(), progress=step)
            except Exception:  # noqa: BLE001 - ingest() reads the file again and reports what is wrong
                continue
        return pages

    def remove(self, docs: Iterable[str]) -> list[str]:
        """Remove documents (ids, or file names that only one document has); returns the ids removed.

        Only documents this principal reads count as found; one in a collection they read but may not
        edit is a StyrdokError naming the collection (nothing is removed then).
        """
        from assistant.ingest import remove

        self._require_editor()
        ids = []
        for name in docs:
            found = self.resolve(name)
            doc = found[0] if len(found) == 1 else name
            meta = self.library.document(doc)
            if meta is None:
                continue  # not indexed, or not readable: the same "not there" to the caller
            self._require_editor(meta.collection)
            ids.append(doc)
        removed = remove(self._base, ids)
        if removed and self.audit is not None:
            self.audit.record_many(self.principal.audit_name, [("document.remove", doc, {}) for doc in removed])
        return removed

    def replace(self, old: str, new: Path | str, progress: Progress | None = None, **kwargs) -> IngestReport:
        """Index `new` as the next version of document `old` (in the same collection), then remove `old`
        (nothing is removed if the new file cannot be read)."""
        meta = self.library.document(old)
        if meta is None:
            raise StyrdokError(f"{old} finns inte i biblioteket.")
        self._require_editor(meta.collection)
        kwargs.setdefault("collection", meta.collection)
        report = self.ingest([new], progress=progress, **kwargs)
        written = report.added + report.updated + report.unchanged
        if written and old not in written:
            report.removed = self.remove([old])
            if self.audit is not None:
                self.audit.record(self.principal.audit_name, "document.replace", old, by=written[0])
        return report

    def warm_up(self) -> None:
        """Load the BM25 index and run the embedding model once, so the first search is fast."""
        self._base.lexical()
        if self._base.embedder is not None:
            self._base.embedder.embed_query("uppvärmning")

    # -- search and answers -------------------------------------------------------------------
    def search(
        self,
        query: str,
        k: int = 10,
        kinds: Sequence[DocumentKind | str] | None = None,
        docs: Sequence[str] | None = None,
        mode: str = "hybrid",
        folder: str | None = None,
    ) -> list[SearchHit]:
        """Hybrid search (BM25 + vectors), best first; `mode` lexical or dense is for evaluation.
        `folder` keeps to the documents in that folder and below (one unit's routines).

        Also makes a Styrdok usable wherever a Searcher is expected (lint sources, answering).
        """
        if folder:
            in_folder = [m.doc for m in self.find_documents(folder=folder)]
            docs = [d for d in docs if d in set(in_folder)] if docs else in_folder
            if not docs:
                return []
        if mode == "hybrid":  # the Searcher protocol has no mode; simple searchers (fakes, adapters) need none
            return self.library.search(query, k=k, kinds=kinds or None, docs=docs or None)
        return self.library.search(query, k=k, kinds=kinds or None, docs=docs or None, mode=mode)

    def answerer(self, k: int | None = None) -> Answerer:
        """A fresh Answerer over this index (it keeps per-question state, so one per caller)."""
        if self._answerer_factory is not None:
            return self._answerer_factory(self.library)
        from assistant.answering import Answerer

        return Answerer(
            self.library, embedder=getattr(self.library, "embedder", None), chat_model=self.chat_model, k=k or self.k
        )

    @staticmethod
    def conversation() -> Conversation:
        """A new conversation: pass it to every `ask` of one dialogue so follow-up questions are understood."""
        from assistant.answering import Conversation

        return Conversation()

    def ask(
        self,
        question: str,
        *,
        conversation: Conversation | None = None,
        kinds: Sequence[DocumentKind | str] | None = None,
        folder: str | None = None,
    ) -> Answer:
        """An answer with verified citations, or an abstention with the nearest passages.

        A `conversation` (assistant.answering.Conversation) resolves follow-up questions and records the turn.
        `folder` answers from the documents in that folder and below only (one unit's routines).
        """
        kind_list = [DocumentKind(k) for k in kinds] if kinds else None
        if folder:
            docs = [m.doc for m in self.find_documents(folder=folder)]
            return self.answerer().ask(question, conversation=conversation, kinds=kind_list, docs=docs)
        listed = self._decisions(question, kind_list)
        if listed is not None:
            if conversation is not None:
                conversation.add(listed)
            return listed
        return self.answerer().ask(question, conversation=conversation, kinds=kind_list)

    def _decisions(self, question: str, kinds: Sequence[DocumentKind] | None) -> Answer | None:
        """Questions like "Vad har nämnden beslutat om?": answered from the decision lines, not by search."""
        if not callable(getattr(self.library, "documents", None)):
            return None  # a bare searcher (tests, adapters) has no metadata to list
        from assistant.intro.decisions import answer_decisions

        return answer_decisions(self.library, question, kinds=kinds)

    # -- review -------------------------------------------------------------------------------
    def linter(self, rules_dir: Path | None = None, rules: list[Rule] | None = None) -> Linter:
        """A Linter citing this index; `rules_dir` adds or replaces rules by id."""
        return Linter(self, rules_dir=rules_dir, rules=rules)

    def lint(self, draft: Path | str, rules_dir: Path | None = None) -> list[Finding]:
        """Findings for a draft file, each with rule, quote, principle, sources and a suggested rewrite."""
        return self.linter(rules_dir).review(draft).findings

    # -- introduction -------------------------------------------------------------------------
    def intro(self, with_starters: bool = False, answerer=None) -> IntroData:
        """Roles and glossary (and verified starter questions if asked), cached in the index folder
        (one cache per set of readable collections)."""
        from assistant.intro.cache import load_intro

        return load_intro(self.library, folder=self._intro_folder(), with_starters=with_starters, answerer=answerer)

    def _intro_folder(self) -> Path | None:
        """The index folder for everyone who reads everything, else a folder per set of collections."""
        import hashlib

        from assistant.intro.cache import cache_folder

        folder = cache_folder(self.library)
        if folder is None or self.principal.unrestricted:
            return folder
        return folder / "intro" / hashlib.sha256(self.principal.scope_key().encode()).hexdigest()[:16]

    def cached_intro(self) -> IntroData | None:
        """The cached introduction if it is still valid for this index, without building anything."""
        import json

        from assistant.intro.cache import CACHE_NAME, cache_key
        from assistant.intro.models import IntroData

        folder = self._intro_folder()
        path = folder / CACHE_NAME if folder else None
        if path is None or not path.exists():
            return None
        data = IntroData.model_validate(json.loads(path.read_text(encoding="utf-8")))
        return data if data.key == cache_key(self.library) else None

    def roles(self) -> list[RoleStatement]:
        """Who is responsible for what, from the documents, grouped by actor."""
        return self.intro().roles

    def glossary(self) -> list[GlossaryEntry]:
        """Terms with a definition or explanation from the documents, alphabetical."""
        return self.intro().glossary

    def starters(self, answerer=None) -> list[StarterQuestion]:
        """Starter questions per role that the documents answer (each verified with sources)."""
        return self.intro(with_starters=True, answerer=answerer).starters or []


def _pdf_files(paths: Iterable[Path]) -> list[Path]:
    """The PDF files named or inside the folders (not in hidden folders), as ingest would find them."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                f
                for f in path.rglob("*")
                if f.suffix.lower() == ".pdf"
                and f.is_file()
                and not any(p.startswith(".") for p in f.relative_to(path).parts)
            )
        elif path.suffix.lower() == ".pdf" and path.is_file():
            found.append(path)
    return found


def load_rules(rules_dir: Path | None = None) -> list[Rule]:
    """The built-in review rules plus those in `rules_dir` (same id replaces). Errors name file and line."""
    from assistant.lint.rules import load_rules as _load

    return _load(rules_dir)


def configured_chat_model(required: bool = False):
    """The language model set in STYRDOK_LLM_*, or None for extractive answers.

    With `required`, no configured model is an error (e.g. `styrdok ask --llm`).
    """
    from assistant.answering.config import LLMSettings, build_chat_model

    settings = LLMSettings()
    if required and settings.backend == "none":
        raise StyrdokError("--llm kräver en språkmodell: sätt STYRDOK_LLM_BACKEND till ollama, openai eller llamacpp.")
    return build_chat_model(settings)


def wipe_index(index: Path | str | None = None) -> None:
    """Delete the catalog, vectors and BM25 index in the folder (None: the configured one)."""
    from assistant.library import take_write_lock
    from assistant.settings import Settings

    folder = Path(index) if index else Settings().index
    if not folder.is_dir():
        return
    fd = take_write_lock(folder)  # never pull files out from under a running ingest
    try:
        leftovers = [p.name for p in folder.glob(".bm25.*") if p.is_dir()]  # from a killed bm25 save
        leftovers += [p.name for p in folder.glob("dense-*")]  # the vectors' on-disk copy
        for name in (*INDEX_FILES, *leftovers):
            target = folder / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
    finally:
        os.close(fd)
