"""A killed ingest or removal leaves an index that answers and that the next run completes.

A child process ingests (or removes) a batch and is killed with SIGKILL, either by the test
at a random file of the batch or by itself at a named point between two writes (the windows
where a crash is most harmful). After each kill the index is checked in this process; at the
end a full run must give exactly the index a single clean run builds.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.chunking import chunk_document
from assistant.embedding import HashingEmbedder
from assistant.errors import StyrdokError
from assistant.ingest import ingest
from assistant.lexical import LexicalIndex
from assistant.library import open_library
from assistant.loading import load_document

ROOT = Path(__file__).resolve().parent.parent

# The child: checkpoints print their name and, when KILL_AT="name:n", SIGKILL the process the
# n-th time that point is reached. The test reads each printed line to kill at random files.
CHILD = r"""
import json, os, signal, sys
from pathlib import Path
import assistant.lexical as lexical
from assistant.catalog import Catalog
from assistant.embedding import HashingEmbedder
from assistant.errors import StyrdokError
from assistant.ingest import ingest, remove
import assistant.ingest as ingest_module
from assistant.library import Library, open_library
from assistant.store import VectorStore

name_at, _, count_at = os.environ.get("KILL_AT", "").partition(":")
seen = {}

def checkpoint(name):
    print(name, flush=True)
    seen[name] = seen.get(name, 0) + 1
    if name == name_at and seen[name] == int(count_at):
        os.kill(os.getpid(), signal.SIGKILL)

def after(owner, attr, name):
    real = getattr(owner, attr)
    def wrapped(*args, **kwargs):
        result = real(*args, **kwargs)
        checkpoint(name)
        return result
    setattr(owner, attr, wrapped)

def before(owner, attr, name):
    real = getattr(owner, attr)
    def wrapped(*args, **kwargs):
        checkpoint(name)
        return real(*args, **kwargs)
    setattr(owner, attr, wrapped)

after(VectorStore, "add", "vectors-added")            # stored, not yet logged in the catalog
after(Catalog, "put_document", "catalog-written")     # inside the transaction, before COMMIT
before(VectorStore, "delete", "vectors-deleting")     # after a removal's catalog commit
before(ingest_module, "mark_duplicates", "duplicates")
before(Library, "rebuild_lexical", "bm25")
before(lexical.os, "replace", "bm25-swap")            # between the two renames of a save

library = open_library(Path(sys.argv[1]), embedder=HashingEmbedder())
if sys.argv[2] == "ingest":
    ingest(library, [Path(sys.argv[3])], progress=lambda name, i, n: checkpoint("file " + name))
else:
    before(Catalog, "delete_document", "file")
    remove(library, json.loads(sys.argv[3]))
print("done", flush=True)
"""

_WORDS = (
    "nämnden ansvarar för att verksamheten följs upp och att brister åtgärdas inom rimlig tid "
    "kommunen ska säkerställa god kvalitet i hemtjänst skola omsorg och upphandling av tjänster "
    "avtal uppföljning utförare valfrihetssystem bistånd beslut delegation tillsyn avvikelse "
    "rapportering budget investering personal kompetens dokumentation sekretess arkivering"
).split()


def _make_corpus(folder: Path, n: int, seed: int = 8) -> None:
    """n small Markdown documents of a few chunks each; some are copies, to exercise duplicate marks."""
    rng = random.Random(seed)
    folder.mkdir()
    texts = []
    for i in range(n):
        if i % 40 == 39:
            text = texts[i - 20]  # a copy of an earlier document under another name
        else:
            parts = [f"# Riktlinje {i} för {rng.choice(_WORDS)}\n"]
            for section in range(rng.randint(2, 4)):
                parts.append(f"\n## Avsnitt {section + 1}\n")
                for _ in range(rng.randint(2, 5)):
                    sentence = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(30, 70)))
                    parts.append(sentence.capitalize() + ".\n\n")
            text = "".join(parts)
        texts.append(text)
        (folder / f"dok_{i:03d}.md").write_text(text, encoding="utf-8")


def _run_child(index: Path, mode: str, arg: str, kill_at: str = "", kill_on_file: int | None = None) -> str:
    """Run the child until it finishes or is killed; returns 'done' or 'killed'."""
    env = {**os.environ, "KILL_AT": kill_at, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(index), mode, arg],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
        env=env,
    )
    files = 0
    for line in child.stdout:
        if line.startswith("file"):
            files += 1
            if files == kill_on_file:
                child.send_signal(signal.SIGKILL)
    child.wait(timeout=120)
    child.stdout.close()
    if child.returncode == 0:
        return "done"
    assert child.returncode == -signal.SIGKILL, f"the child failed on its own (exit {child.returncode})"
    return "killed"


def _open(index: Path):
    return open_library(index, embedder=HashingEmbedder())


def _close(library) -> None:
    """Let go of the files so the next child (and a reopened client) see the current state."""
    library.store.client.close()
    library.catalog.close()


def _check_consistent(index: Path, source: Path) -> set[str]:
    """The index answers, every document is complete or absent and searchable by its words, and
    every chunk the catalog says has a vector has one."""
    library = _open(index)
    try:
        docs = {m.doc for m in library.documents()}
        catalog_ids = set(library.catalog.chunk_ids())
        for doc in docs:
            fresh = chunk_document(load_document(source / doc), **library.settings.chunking.model_dump())
            stored = list(library.chunks(doc))
            assert [(c.id, c.text) for c in stored] == [(c.id, c.text) for c in fresh], doc
        assert library.catalog.embedded_ids() <= library.store.all_ids(), "a logged vector is missing"
        assert library.searchable_ids() == catalog_ids, "lexical search does not cover the catalog"
        hits = library.search("uppföljning av utförare i hemtjänst", k=5)
        assert all(h.chunk.doc in docs for h in hits)
        assert bool(hits) == bool(docs)
        return docs
    finally:
        _close(library)


def _snapshot(index: Path) -> dict:
    library = _open(index)
    try:
        return {
            "docs": {m.doc: (m.sha256, m.duplicate_of) for m in library.documents()},
            "chunks": library.catalog.chunk_ids(),
            "vectors": sorted(library.store.all_ids()),
            "bm25": sorted(LexicalIndex.load(index / "bm25").ids),
        }
    finally:
        _close(library)


@pytest.mark.slow
@pytest.mark.integration
def test_killed_ingest_leaves_whole_documents_and_a_rerun_completes_it(tmp_path):
    source = tmp_path / "docs"
    _make_corpus(source, 150)

    index = tmp_path / "index"
    rng = random.Random(20261123)
    plan = [
        {"kill_on_file": rng.randint(5, 40)},
        {"kill_at": f"catalog-written:{rng.randint(5, 30)}"},  # inside the document's transaction
        {"kill_at": "bm25:1"},  # every document committed, BM25 files not rebuilt
        {"kill_at": "bm25-swap:2"},  # between the two renames of the BM25 save
        {"kill_at": f"vectors-added:{rng.randint(2, 6)}"},  # some vectors stored, the last batch not logged
    ]
    seen_docs: list[int] = []
    for step in plan:
        assert _run_child(index, "ingest", str(source), **step) == "killed", step
        seen_docs.append(len(_check_consistent(index, source)))
    assert seen_docs == sorted(seen_docs) and 0 < seen_docs[0] < 150  # the kills did land mid-batch
    library = _open(index)
    done, total = library.catalog.vector_progress()
    assert 0 < done < total  # the last kill landed while the vectors were being written
    _close(library)
    # Killed before the duplicate marks: the next run finds every file unchanged and must still mark.
    document_change = source / "dok_001.md"
    document_change.write_text(document_change.read_text(encoding="utf-8") + "\nEtt nytt stycke.\n", "utf-8")
    assert _run_child(index, "ingest", str(source), kill_at="duplicates:1") == "killed"
    _check_consistent(index, source)
    # The killed writers' file locks died with them: the last run is not refused.
    assert _run_child(index, "ingest", str(source)) == "done"

    # The same as one clean run (without vectors, which the catalog's chunk ids stand for).
    clean = open_library(tmp_path / "clean", use_embedder=False)
    ingest(clean, [source])
    expected = {m.doc: (m.sha256, m.duplicate_of) for m in clean.documents()}
    assert any(dup for _, dup in expected.values())  # the corpus does exercise duplicate marks
    got = _snapshot(index)
    assert got["docs"] == expected
    assert got["chunks"] == clean.catalog.chunk_ids()
    assert got["vectors"] == sorted(got["chunks"]) == got["bm25"]  # stray vectors were repaired


@pytest.mark.slow
@pytest.mark.integration
def test_killed_removal_leaves_whole_documents_and_a_rerun_completes_it(tmp_path):
    source = tmp_path / "docs"
    _make_corpus(source, 40)
    index = tmp_path / "index"
    library = _open(index)
    ingest(library, [source])
    _close(library)
    doomed = sorted(p.name for p in source.iterdir())[::2]
    rng = random.Random(7)
    plan = [
        {"kill_at": f"vectors-deleting:{rng.randint(2, 8)}"},  # catalog row gone, vectors not yet
        {"kill_on_file": rng.randint(2, 8)},
        {"kill_at": "bm25:1"},
    ]
    gone: list[int] = []
    for step in plan:
        assert _run_child(index, "remove", json.dumps(doomed), **step) == "killed", step
        gone.append(len(set(doomed) - _check_consistent(index, source)))
    assert gone == sorted(gone) and 0 < gone[0] < len(doomed) == gone[-1]  # mid-batch, then at the end
    assert _run_child(index, "remove", json.dumps(doomed)) == "done"
    after = _snapshot(index)
    assert set(after["docs"]) == {p.name for p in source.iterdir()} - set(doomed)
    assert after["vectors"] == sorted(after["chunks"]) == after["bm25"]  # stray vectors were repaired


def test_a_replacement_with_as_many_chunks_is_not_hidden_by_old_bm25_files(make_library, tmp_path):
    """A process killed after a document's commit but before the BM25 rebuild: same row count, other rows."""
    source = tmp_path / "docs"
    _make_corpus(source, 3)
    library = make_library()
    ingest(library, [source])
    old_ids = set(library.lexical().ids)
    doc = "dok_000.md"
    loaded = load_document(source / doc)
    chunks = chunk_document(loaded, **library.settings.chunking.model_dump())
    changed = loaded.text.replace("Avsnitt", "Kapitel")
    renamed = [c.model_copy(update={"id": c.id[::-1], "text": c.text.replace("Avsnitt", "Kapitel")}) for c in chunks]
    with library.catalog.transaction() as conn:  # what _write commits; the run dies right after
        library.catalog.put_document(conn, loaded.meta, changed, loaded.page_starts, renamed)
    assert library.catalog.chunk_count() == len(old_ids)

    reopened = make_library()
    assert reopened.searchable_ids() == set(reopened.catalog.chunk_ids()) != old_ids
    hits = reopened.search("Kapitel", mode="lexical")
    assert hits and all("Kapitel" in h.chunk.text for h in hits)


def test_a_second_writer_is_refused_with_a_swedish_message_naming_the_index(make_library, tmp_path):
    library = make_library()
    other = make_library()
    source = tmp_path / "docs"
    _make_corpus(source, 2)
    with library.writing():
        with pytest.raises(StyrdokError, match="uppdateras just nu av en annan process") as error:
            ingest(other, [source])
        assert str(library.folder) in str(error.value)
    assert ingest(other, [source]).added  # the lock is free again afterwards
