"""Ingestion: files -> load, clean, chunk, embed -> one atomic write per document.

Unchanged files (same content hash) are skipped; a changed file replaces its chunks; a bad
file is reported with a Swedish message and the batch goes on.

A killed run leaves every document fully indexed or absent; the next run repairs the rest
(stray vectors, duplicate marks, BM25 files) and goes on where it stopped.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import time
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.chunking import chunk_document, index_text
from assistant.errors import DocumentError, StyrdokError, os_problem, printable_name
from assistant.library import Library
from assistant.loading import SUPPORTED_SUFFIXES, check_file, check_name, load_document
from assistant.metadata import read_manifest
from assistant.models import DocumentMeta

# A corpus folder may ship precomputed vectors for its documents (same format as the cache).
VECTOR_SEED = ".styrdok-vectors.sqlite"
_SKIP_NAMES = re.compile(r"^(readme(\..*)?|manifest\.jsonl|.*\.meta\.(json|ya?ml))$", re.IGNORECASE)


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
    seconds: float = 0.0
    stage_seconds: dict[str, float] = Field(default_factory=dict)

    def summary_sv(self) -> str:
        lines = [
            f"Dokument: {len(self.added)} nya, {len(self.updated)} uppdaterade, "
            f"{len(self.unchanged)} oförändrade, {len(self.removed)} borttagna.",
            f"Sidor: {self.pages}, textavsnitt: {self.chunks}, tecken: {self.characters}, tid: {self.seconds:.1f} s.",
        ]
        if self.skipped:
            lines.append(f"Hoppade över {len(self.skipped)} fil(er):")
            lines.extend(f"  - {s.reason}" for s in self.skipped)
        return "\n".join(lines)


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[Skipped]]:
    """Expand folders recursively; keep files with a supported suffix, report the rest."""
    files: list[Path] = []
    skipped: list[Skipped] = []
    for path in paths:
        path = Path(path)
        problem = _unusable_path(path)
        if problem:
            skipped.append(Skipped(file=printable_name(str(path)), reason=f"{printable_name(str(path))}: {problem}"))
            continue
        candidates = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in candidates:
            if any(part.startswith(".") for part in file.relative_to(path).parts) if path.is_dir() else False:
                continue
            if path.is_dir() and (_SKIP_NAMES.match(file.name) or file.suffix.lower() not in SUPPORTED_SUFFIXES):
                continue  # inside folders, silently ignore what is not a document
            try:
                check_name(file)  # before the catalog is asked about it by name
            except DocumentError as error:
                skipped.append(Skipped(file=printable_name(file.name), reason=str(error)))
                continue
            files.append(file)
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
    progress: Callable[[str, int, int], None] | None = None,
) -> IngestReport:
    """Index the given files and folders. With `sync`, documents gone from those folders are removed.

    Holds the index's write lock: a second ingest in another process gets a Swedish error.
    """
    with library.writing():
        library.repair()
        return _ingest(library, paths, sync, progress)


def _ingest(
    library: Library,
    paths: Iterable[Path],
    sync: bool,
    progress: Callable[[str, int, int], None] | None,
) -> IngestReport:
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
    stages = {"parse+clean": 0.0, "chunk": 0.0, "embed": 0.0, "write": 0.0}
    seen: set[str] = set()
    max_bytes = int(library.settings.max_file_mb * 1024 * 1024)
    for i, file in enumerate(files):
        if progress:
            progress(file.name, i, len(files))
        try:
            seen.add(file.name)  # before any check: an unreadable file is skipped, not removed by --sync
            check_file(file, max_bytes)  # size and type before reading a byte (a 200 MB file is never hashed)
            raw_hash = _sha256(file)
            existing = library.catalog.document(file.name)
            if existing is not None and existing.sha256 == raw_hash:
                report.unchanged.append(file.name)
                continue
            folder = file.parent
            if folder not in manifests:
                manifests[folder] = read_manifest(folder)
            t0 = time.perf_counter()
            loaded = load_document(
                file,
                manifests[folder].get(file.name),
                max_bytes=max_bytes,
                progress=_page_progress(progress, file.name, i, len(files)),
                ocr=library.ocr,
            )
            t1 = time.perf_counter()
            chunks = chunk_document(loaded, **library.settings.chunking.model_dump())
            t2 = time.perf_counter()
            vectors = (
                library.embedder.embed_documents([index_text(c, loaded.meta.title) for c in chunks])
                if library.store is not None
                else []
            )
            t3 = time.perf_counter()
            _write(library, loaded.meta, loaded.text, loaded.page_starts, chunks, vectors, loaded.layout)
            stages["parse+clean"] += t1 - t0
            stages["chunk"] += t2 - t1
            stages["embed"] += t3 - t2
            stages["write"] += time.perf_counter() - t3
        except DocumentError as error:
            report.skipped.append(Skipped(file=file.name, reason=str(error)))
            continue
        except OSError as error:
            report.skipped.append(Skipped(file=file.name, reason=f"{printable_name(file.name)}: {os_problem(error)}"))
            continue
        except StyrdokError:
            raise  # the index itself is unusable (e.g. the Chroma server is down): stop, nothing half-written
        except Exception as error:  # a bug must not stop the batch either; name the file and the error type
            report.skipped.append(
                Skipped(
                    file=file.name,
                    reason=f"{printable_name(file.name)}: oväntat fel vid indexeringen ({type(error).__name__}). "
                    "Filen hoppades över; rapportera gärna felet.",
                )
            )
            continue
        (report.updated if existing is not None else report.added).append(file.name)
        report.pages += loaded.meta.pages or 0
        report.chunks += len(chunks)
        report.characters += len(loaded.text)
    if sync:
        report.removed = _sync(library, paths, seen)
    t4 = time.perf_counter()
    _settle(library)
    stages["write"] += time.perf_counter() - t4
    if progress:
        progress("", len(files), len(files))
    report.stage_seconds = {k: round(v, 3) for k, v in stages.items()}
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def remove(library: Library, docs: Iterable[str]) -> list[str]:
    """Remove documents by file name; returns those that were indexed."""
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
    return removed


def _settle(library: Library) -> None:
    """After documents changed: duplicate marks, then the BM25 files; skipped when nothing changed.

    Keyed on the catalog generation, not on what this run did, so a run killed before or during
    this step is completed by the next one even if that finds every file unchanged.
    """
    if library.catalog.get_info("settled") == str(library.catalog.generation()):
        return
    mark_duplicates(library)
    library.invalidate()
    library.rebuild_lexical()
    library.invalidate()
    library.save_dense()  # the first query after an ingest need not fetch every vector
    library.catalog.set_info("settled", str(library.catalog.generation()))


def _page_progress(progress: Callable[[str, int, int], None] | None, name: str, done: int, total: int):
    """Per-page OCR progress as the per-file progress, the page in the name: "skannad.pdf – OCR 3/20 sidor"."""
    if progress is None:
        return None
    return lambda page, pages: progress(f"{name} – OCR {page}/{pages} sidor", done, total)


def _write(library: Library, meta: DocumentMeta, text: str, page_starts, chunks, vectors, layout=()) -> None:
    """Vectors first, then the catalog in one transaction; undo the vectors if the catalog fails."""
    old_ids = set(library.catalog.chunk_ids(meta.doc))
    new_ids = [c.id for c in chunks]
    if library.store is not None:
        metadatas = [{"doc": c.doc, "kind": meta.kind.value, "ordinal": c.ordinal} for c in chunks]
        library.store.add(new_ids, vectors, metadatas)
    try:
        with library.catalog.transaction() as conn:
            library.catalog.put_document(conn, meta, text, page_starts, chunks, layout)
    except BaseException:
        if library.store is not None:
            library.store.delete([i for i in new_ids if i not in old_ids])
        raise
    stale = sorted(old_ids - set(new_ids))
    if stale and library.store is not None:
        library.store.delete(stale)


def _sync(library: Library, roots: list[Path], seen: set[str]) -> list[str]:
    folders = [p.resolve() for p in roots if os.path.isdir(p)]
    gone = []
    for meta in library.catalog.documents():
        if meta.doc in seen or not meta.path:
            continue
        path = Path(meta.path).resolve()
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
    """Mark a document whose text mostly repeats an earlier one as `duplicate_of` it."""
    metas = sorted(library.catalog.documents(), key=lambda m: m.doc)
    signatures = {m.doc: _shingles(library.catalog.document_text(m.doc) or "") for m in metas}
    changed = []
    for i, meta in enumerate(metas):
        mine = signatures[meta.doc]
        duplicate_of = None
        if len(mine) >= 20:
            for other in metas[:i]:
                theirs = signatures[other.doc]
                # Same text at similar length: a copy, not a document that quotes or embeds another
                # (a tender that includes the contract terms, uppdragsbeskrivningar sharing boilerplate).
                similar_size = min(len(mine), len(theirs)) >= 0.8 * max(len(mine), len(theirs))
                if theirs and similar_size and len(mine & theirs) / min(len(mine), len(theirs)) >= 0.8:
                    duplicate_of = other.doc
                    break
        if duplicate_of != meta.duplicate_of:
            changed.append(meta.model_copy(update={"duplicate_of": duplicate_of}))
    if changed:
        library.catalog.update_meta(changed)
