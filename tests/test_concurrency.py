"""Searching while the index changes: readers see each document complete (old or new) or absent.

Every document's title carries its version, and each version's chunks are known in advance, so
a reader can tell a torn document (chunks of two versions, or some missing) from a whole one.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant.chunking import chunk_document
from assistant.embedding import HashingEmbedder
from assistant.errors import StyrdokError
from assistant.ingest import ingest, remove
from assistant.library import open_library
from assistant.loading import load_document

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["uppföljning av avtal", "tillsyn och delegation", "budget för personal", "version"]
_WORDS = "avtal uppföljning tillsyn delegation budget personal kompetens bistånd beslut avvikelse".split()


def _write_version(folder: Path, n: int, version: int, expected: dict) -> None:
    """n documents at `version`; records each one's chunk texts in `expected[(doc, version)]`."""
    folder.mkdir(exist_ok=True)
    for i in range(n):
        words = [_WORDS[(i + version + j) % len(_WORDS)] for j in range(60)]
        sections = [f"## Del {s}\n\n" + " ".join(words[s:] + words[:s]).capitalize() + ".\n" for s in range(3)]
        path = folder / f"dok_{i:02d}.md"
        path.write_text(f"# Riktlinje {i} version {version}\n\n" + "\n".join(sections), encoding="utf-8")
        chunks = chunk_document(load_document(path))
        expected[(path.name, version)] = [c.text for c in chunks]


def _version(title: str) -> int:
    return int(re.search(r"version (\d+)", title).group(1))


def _check_whole(library, expected: dict) -> int:
    """Search and read in one catalog snapshot: every hit's document is complete in one version."""
    with library.catalog.snapshot():
        hits = [hit for q in QUERIES for hit in library.search(q, k=5)]
        docs = {m.doc: m for m in library.documents()}
        for hit in hits:
            assert hit.chunk.doc in docs
            version = _version(docs[hit.chunk.doc].title)
            texts = [c.text for c in library.chunks(hit.chunk.doc)]
            assert texts == expected[(hit.chunk.doc, version)], f"{hit.chunk.doc} is torn"
            assert hit.chunk.text in texts and _version(hit.meta.title) == version
    return len(hits)


def test_searches_during_ingest_and_removal_in_another_thread_see_whole_documents(make_library, tmp_path):
    library = make_library()
    source = tmp_path / "docs"
    expected: dict = {}
    _write_version(source, 12, 0, expected)
    assert _version(load_document(source / "dok_00.md").meta.title) == 0
    ingest(library, [source])
    writing = threading.Event()
    writing.set()
    errors: list[BaseException] = []
    searches = [0, 0, 0]

    def reader(slot: int) -> None:
        try:
            while writing.is_set():
                _check_whole(library, expected)
                searches[slot] += 1
        except BaseException as error:  # reported in the main thread
            errors.append(error)
            writing.clear()

    readers = [threading.Thread(target=reader, args=(slot,)) for slot in range(3)]
    for thread in readers:
        thread.start()
    try:
        for version in range(1, 7):
            if errors:
                break
            _write_version(source, 12, version, expected)
            ingest(library, [source])
            remove(library, [f"dok_{i:02d}.md" for i in range(version, 12, 4)])
    finally:
        writing.clear()
        for thread in readers:
            thread.join()
    assert not errors, errors[0]
    assert all(searches)
    assert _check_whole(library, expected) > 0


# A second process: it ingests a folder (or holds the write lock until told to go on).
WRITER = r"""
import sys
from pathlib import Path
from assistant.embedding import HashingEmbedder
from assistant.ingest import ingest, remove
from assistant.library import open_library

library = open_library(Path(sys.argv[1]), embedder=HashingEmbedder())
if sys.argv[2] == "hold":
    with library.writing():
        print("locked", flush=True)
        sys.stdin.readline()
else:
    ingest(library, [Path(sys.argv[2])])
    remove(library, ["dok_00.md"])
print("done", flush=True)
"""


def _start_writer(index: Path, arg: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(index), arg],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


@pytest.mark.slow
@pytest.mark.integration
def test_an_open_reader_sees_another_process_ingest_after_it_finishes(tmp_path):
    """The UI keeps the index open while 'styrdok ingest' runs in a terminal."""
    index = tmp_path / "index"
    folder = tmp_path / "docs"
    expected: dict = {}
    _write_version(folder, 4, 0, expected)
    reader = open_library(index, embedder=HashingEmbedder())
    ingest(reader, [folder])
    assert _check_whole(reader, expected)

    _write_version(folder, 6, 1, expected)  # dok_00..03 changed in place, dok_04..05 new, then dok_00 removed
    (folder / "dok_05.md").write_text("# Riktlinje 5 version 1\n\nOrdet kvastfenomen finns bara här.\n", "utf-8")
    expected[("dok_05.md", 1)] = [c.text for c in chunk_document(load_document(folder / "dok_05.md"))]
    writer = _start_writer(index, str(folder))
    while writer.poll() is None:  # searching while the other process writes never fails or tears
        _check_whole(reader, expected)
    assert writer.communicate()[0].strip() == "done" and writer.returncode == 0

    assert sorted(m.doc for m in reader.documents()) == [f"dok_{i:02d}.md" for i in range(1, 6)]
    assert all(_version(m.title) == 1 for m in reader.documents())
    for mode in ("lexical", "dense"):  # both halves picked up the new state without reopening the index
        hits = reader.search("kvastfenomen", k=3, mode=mode)
        assert hits and hits[0].chunk.doc == "dok_05.md", mode
        assert all(h.chunk.doc != "dok_00.md" for h in reader.search("version", k=20, mode=mode))
    assert set(reader.store.all_ids()) == set(reader.catalog.chunk_ids())


@pytest.mark.slow
@pytest.mark.integration
def test_an_ingest_while_another_process_writes_is_refused_in_swedish(tmp_path):
    index = tmp_path / "index"
    source = tmp_path / "docs"
    _write_version(source, 2, 0, {})
    library = open_library(index, embedder=HashingEmbedder())
    holder = _start_writer(index, "hold")
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(StyrdokError, match="uppdateras just nu av en annan process") as error:
            ingest(library, [source])
        assert str(index) in str(error.value) and "försök igen" in str(error.value)
        assert library.search("avtal") == []  # reading is never refused
    finally:
        holder.communicate("go\n", timeout=60)
    assert ingest(library, [source]).added == ["dok_00.md", "dok_01.md"]
