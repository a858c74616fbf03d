"""A new document is searchable by its words as soon as it is written; its vectors follow."""

from __future__ import annotations

import threading

from assistant.chunking import chunk_document
from assistant.ingest import _write, complete_vectors, ingest
from assistant.loading import load_document


def _doc(folder, name: str, body: str):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"# {name[:-3].capitalize()}\n\n{body}\n", encoding="utf-8")
    return path


def test_words_first_then_vectors(make_library, tmp_path):
    library = make_library()
    ingest(library, [_doc(tmp_path / "a", "kost.md", "Måltider serveras tre gånger om dagen på boendet.")])
    assert library.search("måltider", k=3, mode="dense")  # the first document has its vectors

    new = _doc(tmp_path / "b", "larm.md", "Trygghetslarmet testas av larmoperatören en gång i månaden.")
    report = ingest(library, [new], wait_for_vectors=False)
    assert report.added == ["larm.md"] and report.vectors == 0 and report.pending_vectors == report.chunks > 0
    done, total = library.catalog.vector_progress()
    assert total - done == report.chunks

    lexical = library.search("trygghetslarmet", k=3, mode="lexical")
    assert lexical and lexical[0].chunk.doc == "larm.md"
    assert all(h.chunk.doc != "larm.md" for h in library.search("trygghetslarmet larmoperatören", k=5, mode="dense"))
    hybrid = library.search("trygghetslarmet", k=3)
    assert hybrid[0].chunk.doc == "larm.md" and hybrid[0].dense_rank is None

    seen: list[tuple[int, int]] = []
    assert complete_vectors(library, lambda d, t: seen.append((d, t))) == report.chunks
    assert seen[0] == (0, report.chunks) and seen[-1] == (report.chunks, report.chunks)
    assert library.catalog.pending_vectors() == []
    dense = library.search("trygghetslarmet larmoperatören", k=3, mode="dense")
    assert dense[0].chunk.doc == "larm.md"  # the vectors already loaded were extended, not thrown away
    assert library.search("trygghetslarmet", k=3)[0].dense_rank == 1


def test_a_document_written_after_the_bm25_build_ranks_as_if_built_in(make_library, tmp_path):
    library = make_library()
    folder = tmp_path / "docs"
    for i, body in enumerate(
        [
            "Utföraren ska rapportera avvikelser till nämnden varje månad.",
            "Sanktionstrappa: anmärkning, vite och hävning av avtal.",
            "Kommunfullmäktige beslutar om program för uppföljning av privata utförare.",
        ]
    ):
        _doc(folder, f"dok{i}.md", body)
    ingest(library, [folder])
    late = _doc(tmp_path / "late", "brukare.md", "Om brukaren inte öppnar dörren ringer personalen samordnaren.")
    loaded = load_document(late)
    _write(library, loaded.meta, loaded.text, loaded.page_starts, chunk_document(loaded))  # committed, not settled

    query = "Vad gör personalen om brukaren inte öppnar dörren?"
    before = library.search(query, k=4, mode="lexical")
    assert before[0].chunk.doc == "brukare.md"
    library.rebuild_lexical()
    after = library.search(query, k=4, mode="lexical")
    # The statistics move a little with the rebuild (one more row), the order does not.
    assert [h.chunk.id for h in after] == [h.chunk.id for h in before]


def test_searches_in_other_threads_find_documents_while_the_batch_is_still_running(make_library, tmp_path):
    """A reader does not wait for the end of a long batch: each document counts from its own commit."""
    library = make_library()
    folder = tmp_path / "docs"
    for i in range(30):
        _doc(folder, f"rutin_{i:02d}.md", f"Rutin nummer {i} om ordet unikord{i:02d} och städning av kylskåp.")
    found_early = threading.Event()

    def progress(name: str, done: int, total: int) -> None:
        # Called before file `done` is read: the ones before it are committed and must be searchable now.
        if done == 15:
            result: list = []
            reader = threading.Thread(target=lambda: result.extend(library.search("unikord05", k=1, mode="lexical")))
            reader.start()
            reader.join(timeout=30)
            if result and result[0].chunk.doc == "rutin_05.md":
                found_early.set()

    ingest(library, [folder], progress=progress, wait_for_vectors=False)
    assert found_early.is_set()
