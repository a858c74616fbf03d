"""Upload checks: the type by content (not only by name) and the size, with Swedish messages
that name the file. Run before a file is copied into the library or reviewed as a draft."""

from __future__ import annotations

import shutil
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
    suffix = shown.suffix.lower()
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


def safe_name(name: str) -> str:
    """A file name without folders or characters that cannot be in a file name."""
    base = Path(name.replace("\\", "/")).name.strip().lstrip(".")
    cleaned = "".join(ch for ch in base if ch not in '<>:"|?*' and ord(ch) >= 32)
    return cleaned or "dokument"


def store_upload(path: Path | str, name: str, folder: Path) -> Path:
    """Copy a validated upload into `folder` under its original (sanitised) name."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / safe_name(name)
    shutil.copyfile(path, target)
    return target
