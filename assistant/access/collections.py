"""Which collection a file goes to: a `collections.yaml` in the folder ingested maps subfolders.

    # collections.yaml
    default: Styrdokument            # documents in folders not named below
    folders:
      Hemtjänst: Rutiner hemtjänst
      Upphandling/Pågående: Upphandling pågående

The most specific folder wins. A file's own manifest line or sidecar (`"collection": ...`) goes
before the mapping; `styrdok ingest --collection NAME` is the default when the file names none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assistant.access.models import check_collection
from assistant.errors import StyrdokError

MAPPING_NAME = "collections.yaml"


@dataclass
class CollectionMap:
    default: str | None = None
    folders: dict[str, str] = field(default_factory=dict)

    def collection_for(self, relative: str) -> str | None:
        """The collection of the file at `relative` (path below the mapped folder), or the default."""
        parts = relative.split("/")[:-1]
        for depth in range(len(parts), 0, -1):
            found = self.folders.get("/".join(parts[:depth]))
            if found:
                return found
        return self.default


def read_map(path: Path) -> CollectionMap:
    """A collections.yaml; a mistake in it is a Swedish error naming the file (nothing is ingested)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as error:
        raise StyrdokError(f"{path}: samlingsfilen kan inte läsas ({error}).") from error
    if not isinstance(raw, dict) or set(raw) - {"default", "folders"}:
        raise StyrdokError(f"{path}: samlingsfilen ska ha nycklarna 'default' och 'folders' (mapp: samling).")
    folders = raw.get("folders") or {}
    if not isinstance(folders, dict):
        raise StyrdokError(f"{path}: 'folders' ska vara par av mapp och samling, t.ex. 'Hemtjänst: Rutiner'.")
    try:
        return CollectionMap(
            default=check_collection(raw["default"]) if raw.get("default") else None,
            folders={str(k).strip("/"): check_collection(v) for k, v in folders.items()},
        )
    except StyrdokError as error:
        raise StyrdokError(f"{path}: {error}") from error


def map_for(root: Path, explicit: Path | None = None) -> CollectionMap:
    """The mapping given explicitly, else the collections.yaml in the folder ingested, else an empty one."""
    if explicit is not None:
        return read_map(explicit)
    candidate = root / MAPPING_NAME
    return read_map(candidate) if root.is_dir() and candidate.is_file() else CollectionMap()
