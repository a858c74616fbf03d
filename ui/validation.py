"""Upload checks: the type by content (not only by name) and the size, with Swedish messages
that name the file. Run before a file is copied into the library or reviewed as a draft."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path

from assistant.errors import DocumentError
from assistant.loading import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, decode_text

TYPE_NAMES = "PDF (.pdf), Word (.docx), Markdown (.md) eller text (.txt)"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old binary Office files (.doc, .xls)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".replace(".", ",") + " MB"


def validate_upload(path: Path | str, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Check one uploaded file. Returns the display name; raises DocumentError naming the file.

    `name` is the file's original name (the browser's), `path` where the server stored it.
    """
    path = Path(path)
    shown = Path(name or path.name)
    suffix = Path(safe_name(str(shown))).suffix  # the type the file will be stored and read as
    if suffix not in SUPPORTED_SUFFIXES:
        hint = f"Ladda upp {TYPE_NAMES}."
        if suffix in (".doc", ".rtf", ".odt"):
            hint = f"Spara om filen som .docx eller .pdf. {hint}"
        raise DocumentError(shown, f"filtypen {suffix or '(ingen filändelse)'} stöds inte.", hint)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(shown, "filen kunde inte tas emot.", "Försök ladda upp den igen.") from exc
    if size == 0:
        raise DocumentError(shown, "filen är tom.", "Kontrollera att rätt fil valts.")
    if size > max_bytes:
        raise DocumentError(shown, f"filen är för stor ({_mb(size)}); gränsen är {_mb(max_bytes)}.")
    with path.open("rb") as handle:
        head = handle.read(4096)
    if suffix == ".pdf":
        if b"%PDF-" not in head[:1024]:
            raise DocumentError(
                shown,
                "innehållet är inte en PDF (filen börjar inte med %PDF).",
                "Filen kan vara skadad eller ha fel filändelse.",
            )
    elif suffix == ".docx":
        _check_docx(path, shown, head)
    else:
        if head.startswith((b"%PDF-", b"PK\x03\x04", _OLE)):
            raise DocumentError(
                shown, "innehållet är inte text utan en binär fil (PDF eller Office).", "Kontrollera filändelsen."
            )
        decode_text(shown, path.read_bytes())  # raises DocumentError for binary data and mojibake
    return shown.name


def _check_docx(path: Path, shown: Path, head: bytes) -> None:
    if head.startswith(_OLE):
        raise DocumentError(shown, "är ett äldre Word-dokument (.doc), inte .docx.", "Spara om filen som .docx.")
    if not head.startswith(b"PK\x03\x04"):
        raise DocumentError(shown, "innehållet är inte ett Word-dokument (.docx).", "Filen kan vara skadad.")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise DocumentError(shown, "Word-filen är skadad (zip-arkivet kan inte läsas).") from exc
    if "word/document.xml" not in names:
        raise DocumentError(shown, "är en zip-fil men inte ett Word-dokument (word/document.xml saknas).")


# Characters kept in a stored name besides letters, digits and combining marks: nothing that is a
# path separator, a control or format character (bidi overrides), or markup.
_NAME_PUNCTUATION = set(" ._-()+,&'")
MAX_STEM_BYTES = 120  # the stored name stays far below the 255-byte limit of common file systems
HASH_CHARS = 8


def safe_name(name: str) -> str:
    """A plain file name made from an uploaded file's name: no folders, no leading dots, no control,
    format or markup characters, at most MAX_STEM_BYTES of stem; "dokument" if nothing is left.

    NFKC first, so look-alikes such as a fullwidth solidus become the separator they imitate and
    are cut away with the folders; both / and \\ count as separators (browsers on Windows send \\).
    """
    text = unicodedata.normalize("NFKC", name or "").replace("\\", "/")
    base = text.rsplit("/", 1)[-1]
    kept = "".join(ch for ch in base if ch in _NAME_PUNCTUATION or unicodedata.category(ch)[0] in "LNM")
    kept = " ".join(kept.split()).strip(" .-")
    suffix = Path(kept).suffix.lower() if Path(kept).suffix[1:].isalnum() else ""
    stem = kept[: len(kept) - len(suffix)] if suffix else kept
    stem = stem.encode("utf-8")[:MAX_STEM_BYTES].decode("utf-8", "ignore").strip(" .-")
    return (stem or "dokument") + suffix


def inside(folder: Path, name: str) -> Path:
    """`folder / name`, or a DocumentError if that path (symlinks resolved) is not inside `folder`."""
    root = folder.resolve()
    target = (root / name).resolve()
    if target == root or not target.is_relative_to(root):
        raise DocumentError(Path(name), "filnamnet pekar utanför mappen för uppladdade filer.", "Byt namn på filen.")
    return target


def stored_name(path: Path, name: str, collection: str | None = None) -> str:
    """The name an upload is kept under: its cleaned stem, a short hash of the content, its type.

    Generated, so the user's name never chooses the place; the stem keeps the document id that
    citations show recognisable, and the hash keeps two different files with one name apart. A
    collection other than the default goes into the hash: the same file in two collections is two
    documents, so an upload never meets (or reveals) a document in a collection its uploader cannot see.
    """
    from assistant.models import DEFAULT_COLLECTION

    digest = hashlib.sha256()
    if collection and collection != DEFAULT_COLLECTION:
        digest.update(collection.encode("utf-8") + b"\0")
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    clean = Path(safe_name(name))
    return f"{clean.stem}-{digest.hexdigest()[:HASH_CHARS]}{clean.suffix}"


def store_upload(path: Path | str, name: str, folder: Path, collection: str | None = None) -> Path:
    """Copy a validated upload into `folder` under a generated name (see stored_name), with a sidecar
    `<stored name>.meta.json` keeping the name it was uploaded with (shown beside the stored id) and
    its collection (so that indexing the folder again keeps it there)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = inside(folder, stored_name(Path(path), name, collection))
    shutil.copyfile(path, target)
    sidecar = target.with_name(target.name + ".meta.json")
    original = Path(name.replace("\\", "/")).name.strip() or safe_name(name)
    meta = {"original_name": original, **({"collection": collection} if collection else {})}
    sidecar.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return target


def remove_upload(stored: Path) -> None:
    """Delete a stored upload and its sidecar (after its document was removed from the index)."""
    stored.unlink(missing_ok=True)
    stored.with_name(stored.name + ".meta.json").unlink(missing_ok=True)


def same_name_uploads(stored: Path) -> list[Path]:
    """Other uploads in the folder that came with the same original name (a different content hash).

    Usually an earlier version of the same document; both stay indexed until the user removes one.
    """
    stem, _, digest = stored.stem.rpartition("-")
    if not stem or len(digest) != HASH_CHARS:
        return []
    pattern = re.compile(rf"{re.escape(stem)}-[0-9a-f]{{{HASH_CHARS}}}{re.escape(stored.suffix)}")
    return sorted(p for p in stored.parent.iterdir() if p != stored and pattern.fullmatch(p.name))
