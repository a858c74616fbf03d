"""Ingestion: files -> load, clean, chunk -> one atomic catalog write per document -> vectors.

A document is identified by its path relative to the folder it was ingested from
("Hemtjänst/Dagsrutiner.md"), or by its file name when the file itself was named. Two files
with the same name in different folders are two documents.

Two phases. Words first: each document is parsed, chunked and written to the catalog in one
transaction, and is searchable by its words from then on. Vectors second: every chunk that
has no vector yet is embedded in batches (with progress), so search turns hybrid as they
arrive. Unchanged files (same content hash) are skipped; a changed file replaces its chunks;
a bad file is reported with a Swedish message and the batch goes on.

A killed run leaves every document fully indexed or absent; the next run repairs the rest
(stray vectors, duplicate marks, BM25 files) and embeds what still has no vector.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.chunking import chunk_document, index_text
from assistant.errors import DocumentError, StyrdokError, os_problem, printable_name
from assistant.library import Library
from assistant.loading import SUPPORTED_SUFFIXES, check_file, check_name, load_document
from assistant.metadata import manifest_entry, read_sidecar
from assistant.models import DEFAULT_COLLECTION, DocumentMeta

# A corpus folder may ship precomputed vectors for its documents (same format as the cache).
VECTOR_SEED = ".styrdok-vectors.sqlite"
_SKIP_NAMES = re.compile(r"^(readme(\..*)?|manifest\.jsonl|.*\.meta\.(json|ya?ml))$", re.IGNORECASE)
VECTOR_BATCH = 32  # chunks embedded and written together: the unit of vector progress
# Bump when loading, cleaning, metadata or chunking give other results for the same file: documents
# indexed by an older version are read again (their vectors come from the cache where the text stayed).
PIPELINE_VERSION = "2026-12-07"

FileProgress = Callable[[str, int, int], None]
VectorProgress = Callable[[int, int], None]


class Skipped(BaseModel):
    file: str
    reason: str


class IngestReport(BaseModel):
    added: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    skipped: list[Skipped] = Field(default_factory=list)
    pages: int = 0
    chunks: int = 0
    characters: int = 0
    vectors: int = Field(default=0, description="Chunks that got their vector in this run.")
    pending_vectors: int = Field(default=0, description="Chunks still without a vector (searchable by words only).")
    seconds: float = 0.0
    lexical_seconds: float = Field(default=0.0, description="Until every document was searchable by its words.")
    stage_seconds: dict[str, float] = Field(default_factory=dict)

    def summary_sv(self) -> str:
        lines = [
            f"Dokument: {len(self.added)} nya, {len(self.updated)} uppdaterade, "
            f"{len(self.unchanged)} oförändrade, {len(self.removed)} borttagna.",
            f"Sidor: {self.pages}, textavsnitt: {self.chunks}, tecken: {self.characters}, tid: {self.seconds:.1f} s.",
        ]
        if self.pending_vectors:
            lines.append(
                f"Semantisk sökning: {self.pending_vectors} textavsnitt väntar på vektorer; "
                "de går redan att hitta med sina ord."
            )
        if self.skipped:
            lines.append(f"Hoppade över {len(self.skipped)} fil(er):")
            lines.extend(f"  - {s.reason}" for s in self.skipped)
        return "\n".join(lines)


@dataclass(frozen=True)
class Source:
    """A file to ingest and the folder it was found in (its own folder when it was named directly)."""

    path: Path
    root: Path

    @property
    def relative(self) -> str:
        """The document's id when nothing else has it: the path below the root, with '/'."""
        return self.path.relative_to(self.root).as_posix()


def collect_files(paths: Iterable[Path]) -> tuple[list[Source], list[Skipped]]:
    """Expand folders recursively; keep files with a supported suffix, report the rest."""
    files: list[Source] = []
    skipped: list[Skipped] = []
    for path in paths:
        path = Path(path)
        problem = _unusable_path(path)
        if problem:
            skipped.append(Skipped(file=printable_name(str(path)), reason=f"{printable_name(str(path))}: {problem}"))
            continue
        if not path.is_dir():
            try:
                check_name(path)
            except DocumentError as error:
                skipped.append(Skipped(file=printable_name(path.name), reason=str(error)))
                continue
            files.append(Source(path, path.parent))
            continue
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            relative = file.relative_to(path)
            if any(part.startswith(".") for part in relative.parts):
                continue
            if _SKIP_NAMES.match(file.name) or file.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue  # inside folders, silently ignore what is not a document
            try:
                check_name(file)  # before the catalog is asked about it by name
                check_name(relative)
            except DocumentError as error:
                skipped.append(Skipped(file=printable_name(file.name), reason=str(error)))
                continue
            files.append(Source(file, path))
    return files, skipped


def _unusable_path(path: Path) -> str | None:
    """Why a path given by the user cannot be ingested, or None; a FIFO or device would block the reader."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return "filen eller mappen finns inte."
    except OSError as error:  # a name too long for the file system, a symlink loop, ...
        return os_problem(error)
    if not (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
        return "är varken en vanlig fil eller en mapp."
    return None


def ingest(
    library: Library,
    paths: Iterable[Path],
    sync: bool = False,
    progress: FileProgress | None = None,
    vector_progress: VectorProgress | None = None,
    wait_for_vectors: bool = True,
    collection: str | None = None,
    collections_file: Path | None = None,
    forced: bool = False,
    may_change: Callable[[DocumentMeta], bool] | None = None,
) -> IngestReport:
    """Index the given files and folders. With `sync`, documents gone from those folders are removed.

    Each document gets a collection: its manifest line or sidecar, else the folder's mapping
    (collections.yaml or `collections_file`), else `collection`, else the mapping's default, else
    Styrdokument; with `forced`, `collection` whatever the file says. A file whose id is taken by
    a document that `may_change(meta)` refuses is skipped.

    Every document is searchable by its words as soon as it is written; vectors follow in the
    same call, or, with `wait_for_vectors=False`, are left for `complete_vectors` (the web app
    runs that in the background). Holds the index's write lock: a second ingest in another
    process gets a Swedish error.
    """
    with library.writing():
        library.repair()
        placing = _Placing(collection, collections_file, forced, may_change)
        report = _ingest(library, paths, sync, progress, placing)
        started = time.perf_counter()
        if wait_for_vectors:
            report.vectors = complete_vectors(library, vector_progress)
        report.pending_vectors = len(library.catalog.pending_vectors()) if library.store is not None else 0
        if report.vectors or report.removed or report.added or report.updated:
            library.save_dense()  # the first query after an ingest need not fetch every vector
        report.stage_seconds["embed"] = round(time.perf_counter() - started, 3)
        report.seconds = round(report.seconds + report.stage_seconds["embed"], 3)
        return report


@dataclass
class _Placing:
    """Where the documents of one ingest go, and which existing ones it may change."""

    collection: str | None = None
    collections_file: Path | None = None
    forced: bool = False
    may_change: Callable[[DocumentMeta], bool] | None = None

    def __post_init__(self) -> None:
        from assistant.access.models import check_collection

        if self.collection is not None:
            self.collection = check_collection(self.collection)
        self._maps: dict[Path, object] = {}

    def collection_for(self, source: Source, override: dict | None) -> str:
        from assistant.access.collections import map_for

        if self.forced and self.collection:
            return self.collection
        own = (override or {}).get("collection") or read_sidecar(source.path).get("collection")
        if own:
            from assistant.access.models import check_collection

            return check_collection(own)
        if source.root not in self._maps:
            self._maps[source.root] = map_for(source.root, self.collections_file)
        mapping = self._maps[source.root]
        by_folder = mapping.folders and mapping.collection_for(source.relative)
        if by_folder and by_folder != mapping.default:
            return by_folder
        return self.collection or mapping.default or DEFAULT_COLLECTION

    def allowed(self, existing: DocumentMeta | None) -> bool:
        return existing is None or self.may_change is None or self.may_change(existing)


def _ingest(
    library: Library,
    paths: Iterable[Path],
    sync: bool,
    progress: FileProgress | None,
    placing: _Placing | None = None,
) -> IngestReport:
    placing = placing or _Placing()
    started = time.perf_counter()
    report = IngestReport()
    paths = [Path(p) for p in paths]
    files, report.skipped = collect_files(paths)
    if library.embedder is not None:
        for root in paths:
            seed = root / VECTOR_SEED if os.path.isdir(root) else None  # no OSError for an over-long path
            if seed is not None and seed.exists():
                library.embedder.add_fallback(seed)
    manifests: dict[Path, dict[str, dict]] = {}
    stages = {"parse+clean": 0.0, "chunk": 0.0, "write": 0.0}
    seen: set[str] = set()  # resolved paths of the files found, also unreadable ones: --sync keeps them
    taken: dict[str, str] = {}  # doc id -> resolved path, in this run
    max_bytes = int(library.settings.max_file_mb * 1024 * 1024)
    for i, source in enumerate(files):
        file = source.path
        if progress:
            progress(source.relative, i, len(files))
        try:
            resolved = str(file.resolve())
            seen.add(resolved)  # before any check: an unreadable file is skipped, not removed by --sync
            check_file(file, max_bytes)  # size and type before reading a byte (a 200 MB file is never hashed)
            raw_hash = _sha256(file)
            doc = _document_id(library, source, resolved, taken)
            taken[doc] = resolved
            existing = library.catalog.document(doc)
            if not placing.allowed(existing):
                report.skipped.append(
                    Skipped(
                        file=source.relative,
                        reason=f"{printable_name(source.relative)}: ett dokument med samma sökväg finns i en samling "
                        "du inte får ändra. Byt namn på filen.",
                    )
                )
                continue
            override = manifest_entry(manifests, file)
            collection = placing.collection_for(source, override)
            if existing is not None and existing.sha256 == raw_hash and existing.pipeline == PIPELINE_VERSION:
                moved = {"path": resolved} if existing.path != resolved else {}  # for --sync and "Indexera om"
                placed = {"collection": collection} if existing.collection != collection else {}
                if moved or placed:
                    library.catalog.update_meta([existing.model_copy(update={**moved, **placed})])
                (report.updated if placed else report.unchanged).append(doc)
                continue
            t0 = time.perf_counter()
            loaded = load_document(
                file,
                override,
                max_bytes=max_bytes,
                doc=doc,
                progress=_page_progress(progress, source.relative, i, len(files)),
                ocr=library.ocr,
            )
            loaded.meta.pipeline = PIPELINE_VERSION
            loaded.meta.collection = collection
            t1 = time.perf_counter()
            chunks = chunk_document(loaded, **library.settings.chunking.model_dump())
            t2 = time.perf_counter()
            _write(library, loaded.meta, loaded.text, loaded.page_starts, chunks, loaded.layout)
            stages["parse+clean"] += t1 - t0
            stages["chunk"] += t2 - t1
            stages["write"] += time.perf_counter() - t2
        except DocumentError as error:
            report.skipped.append(Skipped(file=source.relative, reason=str(error)))
            continue
        except OSError as error:
            report.skipped.append(
                Skipped(file=source.relative, reason=f"{printable_name(source.relative)}: {os_problem(error)}")
            )
            continue
        except StyrdokError:
            raise  # the index itself is unusable (e.g. the Chroma server is down): stop, nothing half-written
        except Exception as error:  # a bug must not stop the batch either; name the file and the error type
            report.skipped.append(
                Skipped(
                    file=source.relative,
                    reason=f"{printable_name(source.relative)}: oväntat fel vid indexeringen "
                    f"({type(error).__name__}). Filen hoppades över; rapportera gärna felet.",
                )
            )
            continue
        (report.updated if existing is not None else report.added).append(doc)
        report.pages += loaded.meta.pages or 0
        report.chunks += len(chunks)
        report.characters += len(loaded.text)
    if sync:
        report.removed = _sync(library, paths, seen)
    t4 = time.perf_counter()
    _settle(library)
    stages["lexical"] = time.perf_counter() - t4
    if progress:
        progress("", len(files), len(files))
    report.stage_seconds = {k: round(v, 3) for k, v in stages.items()}
    report.seconds = report.lexical_seconds = round(time.perf_counter() - started, 3)
    return report


def _document_id(library: Library, source: Source, resolved: str, taken: dict[str, str]) -> str:
    """The relative path, unless another existing file has it: then the root folder's name goes in front.

    A document whose file is gone (moved) gives up its id to the file found now.
    """
    parts = [*source.root.resolve().parts[1:], *Path(source.relative).parts]
    depth = len(Path(source.relative).parts)
    while True:
        candidate = "/".join(parts[-depth:])
        owner = taken.get(candidate)
        if owner is None:
            existing = library.catalog.document(candidate)
            owner = existing.path if existing is not None else None
            if owner and owner != resolved and not os.path.exists(owner):
                owner = None  # moved or deleted since: the id is free
        if owner is None or owner == resolved or depth >= len(parts):
            return candidate
        depth += 1


def complete_vectors(library: Library, progress: VectorProgress | None = None, batch: int = VECTOR_BATCH) -> int:
    """Embed every chunk that has no vector yet, `batch` at a time; returns how many got one.

    Embedding runs outside the write lock, writing each batch inside it, so a caller that does
    not hold the lock (the web app's background thread) lets other writers in between batches.
    Chunks removed meanwhile are skipped. Safe to kill: the next call goes on where it stopped.
    """
    if library.store is None or library.embedder is None or not library.dense_enabled:
        return 0
    pending = library.catalog.pending_vectors()
    done = 0
    if progress:
        progress(0, len(pending))
    for start in range(0, len(pending), batch):
        chunks = library.catalog.get_chunks(pending[start : start + batch])
        if chunks:
            metas = {doc: library.document(doc) for doc in {c.doc for c in chunks.values()}}
            ordered = [c for c in chunks.values() if metas.get(c.doc) is not None]
            vectors = library.embedder.embed_documents([index_text(c, metas[c.doc].title) for c in ordered])
            with library.writing():
                still = library.catalog.get_chunks([c.id for c in ordered])
                keep = [(c, v) for c, v in zip(ordered, vectors, strict=True) if c.id in still]
                if keep:
                    library.store.add(
                        [c.id for c, _ in keep],
                        [v for _, v in keep],
                        [{"doc": c.doc, "kind": metas[c.doc].kind.value, "ordinal": c.ordinal} for c, _ in keep],
                    )
                    library.catalog.mark_embedded([c.id for c, _ in keep])
                    done += len(keep)
        if progress:
            progress(min(start + batch, len(pending)), len(pending))
    return done


def remove(library: Library, docs: Iterable[str]) -> list[str]:
    """Remove documents by id; returns those that were indexed."""
    removed = []
    with library.writing():
        library.repair()
        for doc in docs:
            if library.catalog.document(doc) is None:
                continue
            ids = library.catalog.chunk_ids(doc)
            with library.catalog.transaction() as conn:
                library.catalog.delete_document(conn, doc)
            if library.store is not None:
                library.store.delete(ids)
            removed.append(doc)
        _settle(library)
        if removed:
            library.save_dense()
    return removed


# Raised when what _settle computes changes meaning (2: the newest version of a routine is the original of
# its copies): the next ingest settles an index again even when no file changed.
SETTLE_RULES = 2


def _settle(library: Library) -> None:
    """After documents changed: duplicate marks, then the BM25 files; skipped when nothing changed.

    Keyed on the catalog generation, not on what this run did, so a run killed before or during
    this step is completed by the next one even if that finds every file unchanged.
    """
    settled = f"{library.catalog.generation()}/{SETTLE_RULES}"
    if library.catalog.get_info("settled") == settled:
        return
    mark_duplicates(library)
    library.invalidate()
    library.rebuild_lexical()
    library.invalidate()
    library.catalog.set_info("settled", settled)


def _page_progress(progress: Callable[[str, int, int], None] | None, name: str, done: int, total: int):
    """Per-page OCR progress as the per-file progress, the page in the name: "skannad.pdf – OCR 3/20 sidor"."""
    if progress is None:
        return None
    return lambda page, pages: progress(f"{name} – OCR {page}/{pages} sidor", done, total)


def _write(library: Library, meta: DocumentMeta, text: str, page_starts, chunks, layout=()) -> None:
    """The catalog in one transaction (searchable by words from here on); then drop replaced vectors."""
    old_ids = set(library.catalog.chunk_ids(meta.doc))
    with library.catalog.transaction() as conn:
        library.catalog.put_document(conn, meta, text, page_starts, chunks, layout)
    stale = sorted(old_ids - {c.id for c in chunks})
    if stale and library.store is not None:
        library.store.delete(stale)


def _sync(library: Library, roots: list[Path], seen: set[str]) -> list[str]:
    folders = [p.resolve() for p in roots if os.path.isdir(p)]
    gone = []
    for meta in library.catalog.documents():
        if not meta.path or meta.path in seen:
            continue
        path = Path(meta.path)
        if any(path.is_relative_to(f) for f in folders):
            gone.append(meta.doc)
    return remove(library, gone)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _shingles(text: str) -> set[int]:
    words = re.findall(r"\w+", text.lower())
    out = set()
    for i in range(len(words) - 7):
        h = zlib.crc32(" ".join(words[i : i + 8]).encode())
        if h % 8 == 0:  # a sample is enough to recognise the same text
            out.add(h)
    return out


def mark_duplicates(library: Library) -> None:
    """Mark a document whose text mostly repeats another as `duplicate_of` it.

    Same text at similar length: a copy, not a document that quotes or embeds another (a tender
    that includes the contract terms, uppdragsbeskrivningar sharing boilerplate). Of a group of
    copies the original is the most recently decided or dated one, else the first by id: a routine
    kept in several folders, "beslutad 2023-11-29" in one and "beslutad 2025-02-10" in three, is the
    2025 version with older copies, not the other way round. Pairs are found through shared
    shingles, so a thousand documents compare in well under a second.
    """
    metas = sorted(library.catalog.documents(), key=lambda m: (_newest_first(m.version_date), m.doc))
    order = {m.doc: i for i, m in enumerate(metas)}
    collection_of = {m.doc: m.collection for m in metas}  # a copy in another collection is its own document
    signatures = {m.doc: _shingles(library.catalog.document_text(m.doc) or "") for m in metas}
    holders: dict[int, list[str]] = defaultdict(list)
    for meta in metas:
        for shingle in signatures[meta.doc]:
            holders[shingle].append(meta.doc)
    changed = []
    for meta in metas:
        mine = signatures[meta.doc]
        duplicate_of = None
        if len(mine) >= 20:
            shared: dict[str, int] = defaultdict(int)
            for shingle in mine:
                for other in holders[shingle]:
                    if order[other] < order[meta.doc] and collection_of[other] == meta.collection:
                        shared[other] += 1
            for other in sorted(shared, key=order.__getitem__):
                theirs = signatures[other]
                similar_size = min(len(mine), len(theirs)) >= 0.8 * max(len(mine), len(theirs))
                if similar_size and shared[other] / min(len(mine), len(theirs)) >= 0.8:
                    duplicate_of = other
                    break
        if duplicate_of != meta.duplicate_of:
            changed.append(meta.model_copy(update={"duplicate_of": duplicate_of}))
    if changed:
        library.catalog.update_meta(changed)


def _newest_first(date: str | None) -> str:
    """Sort key putting later ISO dates first and undated documents last."""
    if not date:
        return "~"
    return "".join(chr(ord("9") - int(c) + ord("0")) if c.isdigit() else c for c in date)
