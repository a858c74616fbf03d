"""In-memory libraries for the intro tests (no index, no embedder); holds no tests itself."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from assistant.models import Chunk, DocumentKind, DocumentMeta

# The shared corpus lives beside the repository (as in CI: a clone of main with shared/ beside it).
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


class FakeLibrary:
    """A Library over given (meta, text, chunks); search is a naive word-overlap ranking."""

    def __init__(self, docs: list[tuple[DocumentMeta, str, list[Chunk]]]):
        self._docs = {meta.doc: (meta, text, chunks) for meta, text, chunks in docs}

    def documents(self) -> list[DocumentMeta]:
        return [meta for meta, _, _ in self._docs.values()]

    def chunks(self, doc: str | None = None) -> Iterator[Chunk]:
        for name, (_, _, chunks) in self._docs.items():
            if doc is None or doc == name:
                yield from chunks

    def document_text(self, doc: str) -> str:
        return self._docs[doc][1]

    def search(self, query, k=10, kinds=None, docs=None):
        return []

    def state_token(self) -> str:
        digest = hashlib.sha1()
        for meta in sorted(self.documents(), key=lambda m: m.doc):
            digest.update(f"{meta.doc}\x00{meta.sha256}\n".encode())
        return digest.hexdigest()[:16]


def paragraph_chunks(doc: str, text: str, section: str | None = None) -> list[Chunk]:
    """Paragraph chunks with offsets, as a stand-in for the real chunker."""
    chunks, pos = [], 0
    for i, part in enumerate(re.split(r"(\n\s*\n)", text)):
        if part.strip() and not re.fullmatch(r"\n\s*\n", part):
            chunks.append(
                Chunk(id=f"{doc}-{i}", doc=doc, text=part, start=pos, end=pos + len(part), section=section, ordinal=i)
            )
        pos += len(part)
    return chunks


def make_doc(doc: str, text: str, kind: DocumentKind = DocumentKind.policy, title: str | None = None, **meta) -> tuple:
    sha = hashlib.sha256(text.encode()).hexdigest()
    m = DocumentMeta(doc=doc, title=title or doc, kind=kind, sha256=sha, chars=len(text), **meta)
    return m, text, paragraph_chunks(doc, text)


def _load_real(path: Path, manifest: dict):
    """The real loader and chunker when present (they clean the text as the index does)."""
    from assistant.chunking import chunk_document
    from assistant.loading import load_document

    loaded = load_document(path, manifest.get(path.name))
    return loaded.meta, loaded.text, chunk_document(loaded)


def _load_plain(path: Path, manifest: dict):
    line = manifest.get(path.name, {})
    text = path.read_text(encoding="utf-8")
    note = line.get("note", "")
    meta = make_doc(
        path.name,
        text,
        kind=DocumentKind(line.get("kind", "other")),
        title=line.get("title", path.stem),
        issuer=line.get("issuer"),
        repealed="upphävd" in note.lower(),
    )[0]
    return meta, text, paragraph_chunks(path.name, text)


@cache
def corpus_library(suffixes: tuple[str, ...] = (".md", ".txt")) -> FakeLibrary:
    """The shared corpus's text documents (PDF/DOCX left out to keep tests fast)."""
    try:
        from assistant.metadata import read_manifest

        manifest = read_manifest(CORPUS)
        loader = _load_real
    except ImportError:
        manifest = {}
        for line in (CORPUS / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                manifest[Path(entry["file"]).name] = entry
        loader = _load_plain
    docs = []
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix.lower() in suffixes and path.name.lower() != "readme.md":
            docs.append(loader(path, manifest))
    return FakeLibrary(docs)


@cache
def corpus_roles():
    from assistant.intro.roles import build_role_map

    return build_role_map(corpus_library())


@cache
def corpus_glossary():
    from assistant.intro.glossary import build_glossary

    return build_glossary(corpus_library())
