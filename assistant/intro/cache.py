"""The introduction cached in the index folder, rebuilt when the index or the extractor changes."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

from pydantic import ValidationError

from assistant.intro.config import IntroConfig, default_config
from assistant.intro.decisions import build_decisions
from assistant.intro.glossary import build_glossary
from assistant.intro.mandate import build_mandate
from assistant.intro.mapdata import default_mandate_config, default_map_config
from assistant.intro.models import IntroData
from assistant.intro.relations import build_map
from assistant.intro.roles import build_role_map
from assistant.intro.starters import Asker, make_answerer, verify_starters
from assistant.protocols import Library

log = logging.getLogger(__name__)

# Bump when extraction changes in a way that old caches must not survive.
EXTRACTOR_VERSION = "2"
CACHE_NAME = "intro_cache.json"


def library_token(library: Library) -> str:
    """The index's state: its own token if it has one, else a hash of the documents' content hashes."""
    token = getattr(library, "state_token", None)
    if callable(token):
        # Chunking settings decide the sections cited; a re-chunked index keeps its document hashes.
        chunking = getattr(getattr(library, "settings", None), "chunking", None)
        return f"{token()}|{chunking.model_dump_json() if chunking is not None else ''}"
    digest = hashlib.sha256()
    for meta in sorted(library.documents(), key=lambda m: m.doc):
        content = meta.sha256 or hashlib.sha256(library.document_text(meta.doc).encode()).hexdigest()
        digest.update(f"{meta.doc}\x00{content}\x00{meta.repealed}\x00{meta.duplicate_of}\n".encode())
    return digest.hexdigest()


def cache_key(library: Library, config: IntroConfig | None = None) -> str:
    config = config or default_config()
    digests = f"{config.digest}|{default_map_config().digest}|{default_mandate_config().digest}"
    raw = f"{EXTRACTOR_VERSION}|{digests}|{library_token(library)}"
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


def cache_folder(library: Library) -> Path | None:
    """Where the index lives (Library.folder), if the library has one on disk."""
    for name in ("folder", "index_dir"):
        folder = getattr(library, name, None)
        if folder:
            return Path(folder)
    return None


def load_intro(
    library: Library,
    folder: Path | None = None,
    config: IntroConfig | None = None,
    with_starters: bool = False,
    answerer: Asker | None = None,
) -> IntroData:
    """Roles and glossary (and verified starter questions if asked), from cache when still valid."""
    config = config or default_config()
    folder = folder or cache_folder(library)
    path = folder / CACHE_NAME if folder else None
    key = cache_key(library, config)
    data = _read(path, key)
    changed = False
    if data is None:
        data = build_intro(library, key, config)
        changed = True
    if with_starters and data.starters is None:
        data.starters = verify_starters(answerer or make_answerer(library), config)
        changed = True
    if changed and path is not None:
        _write(path, data)
    return data


def build_intro(library: Library, key: str, config: IntroConfig | None = None) -> IntroData:
    """Roles, glossary, the map built from the roles and decision lines, and the mandate checklist."""
    config = config or default_config()
    roles = build_role_map(library, config)
    decisions = build_decisions(library)
    return IntroData(
        key=key,
        roles=roles,
        glossary=build_glossary(library, config),
        map=build_map(roles, decisions),
        mandate=build_mandate(library),
        decisions=decisions,
    )


def _read(path: Path | None, key: str) -> IntroData | None:
    if path is None or not path.exists():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("key") != key:
            return None
        return IntroData.model_validate(raw)
    except (OSError, ValueError, ValidationError) as error:
        log.warning("%s: cachen kunde inte läsas och byggs om (%s).", path.name, error)
        return None


def _write(path: Path, data: IntroData) -> None:
    """Atomic replace, so a UI reading concurrently never sees half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(data.model_dump_json(), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as error:  # a read-only index still gets its introduction, just uncached
        log.warning("%s: cachen kunde inte sparas (%s).", path, error)
