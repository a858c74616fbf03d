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
    target_path = args.corpus / VECTOR_SEED
    # The index's cache first, then the current seed (an ingest that used the seed did not copy
    # its vectors into the cache): a rebuild after a chunking change embeds only what changed.
    sources = [sqlite3.connect(str(args.index / "embeddings.sqlite"))]
    if target_path.exists():
        sources.append(sqlite3.connect(str(target_path)))
    vectors: dict[str, bytes] = {}
    missing = 0
    for meta in library.documents():
        if meta.doc not in names:
            continue
        for chunk in library.chunks(meta.doc):
            key = cache_key(model_id, index_text(chunk, meta.title))
            row = next(
                (
                    r
                    for db in sources
                    if (r := db.execute("SELECT vector FROM vectors WHERE key = ?", (key,)).fetchone())
                ),
                None,
            )
            if row is None:
                missing += 1
            else:
                vectors[key] = row[0]
    if missing:
        raise SystemExit(
            f"{missing} textavsnitt saknar vektor i {args.index}/embeddings.sqlite och i {target_path}; "
            "seed-filen lämnas orörd. Bygg indexet med standardembeddern först."
        )
    fresh = target_path.with_suffix(".tmp")
    fresh.unlink(missing_ok=True)
    target = sqlite3.connect(str(fresh))
    target.execute("CREATE TABLE vectors (key TEXT PRIMARY KEY, vector BLOB)")
    target.executemany("INSERT INTO vectors VALUES (?, ?)", sorted(vectors.items()))
    target.commit()
    target.execute("VACUUM")
    target.close()
    fresh.replace(target_path)
    print(f"{len(vectors)} vektorer skrivna till {target_path}.")


if __name__ == "__main__":
    main()
