"""Write the vectors of a corpus folder's chunks into `<folder>/.styrdok-vectors.sqlite`,
so that the first `make run` on a fresh machine need not embed the bundled corpus again.

    .venv/bin/python eval/build_vector_seed.py --index .styrdok/index --corpus corpus/

Take the vectors from an index built from that folder with the default embedder.
"""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

from assistant.chunking import index_text
from assistant.embedding import cache_key
from assistant.ingest import VECTOR_SEED
from assistant.library import open_library


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    args = parser.parse_args()
    library = open_library(args.index)
    model_id = library.embedder.model_id
    names = {p.name for p in args.corpus.iterdir() if p.is_file()}
    source = sqlite3.connect(str(args.index / "embeddings.sqlite"))
    target_path = args.corpus / VECTOR_SEED
    target_path.unlink(missing_ok=True)
    target = sqlite3.connect(str(target_path))
    target.execute("CREATE TABLE vectors (key TEXT PRIMARY KEY, vector BLOB)")
    written = missing = 0
    for meta in library.documents():
        if meta.doc not in names:
            continue
        for chunk in library.chunks(meta.doc):
            key = cache_key(model_id, index_text(chunk, meta.title))
            row = source.execute("SELECT vector FROM vectors WHERE key = ?", (key,)).fetchone()
            if row is None:
                missing += 1
                continue
            target.execute("INSERT OR REPLACE INTO vectors VALUES (?, ?)", (key, row[0]))
            written += 1
    target.commit()
    target.execute("VACUUM")
    print(f"{written} vektorer skrivna till {target_path} ({missing} saknades i indexets cache).")


if __name__ == "__main__":
    main()
