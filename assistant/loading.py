"""Load a document file (PDF, DOCX, Markdown, text) into a cleaned LoadedDocument with metadata."""

from __future__ import annotations

import codecs
import hashlib
import io
import logging
import os
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn

from assistant.cleaning import clean_pages, clean_text
from assistant.docinfo import decision_meta, front_matter_meta, split_front_matter
from assistant.errors import DocumentError, os_problem, printable_name
from assistant.metadata import build_meta, guess_meta, normalize_override, read_sidecar
from assistant.models import LayoutLine, LoadedDocument
from assistant.ocr import INSTALL_HINT, OcrError, OcrPage, OcrReader, scanned_pages
from assistant.ocr_text import place_lines
from assistant.settings import Settings

log = logging.getLogger(__name__)
# pypdf logs each repair of a broken PDF as an English warning on stderr ("EOF marker not found");
# the Swedish DocumentError already tells the user what matters.
logging.getLogger("pypdf").setLevel(logging.CRITICAL)

SUPPORTED_SUFFIXES: tuple[str, ...] = (".pdf", ".docx", ".md", ".txt")
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# Below this many letters in the whole PDF there is no usable text layer.
MIN_PDF_LETTERS = 20


def load_document(
    path: Path,
    overrides: dict | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    doc: str | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    ocr: OcrReader | None = None,
) -> LoadedDocument:
    """Read, clean and describe one document; `doc` is its id in the index (default: the file name).

    Metadata is guessed from the text, then front matter and decision lines in the text apply,
    then a sidecar `<name>.meta.json|yaml` next to the file, then `overrides` from the caller
    (e.g. a manifest line from read_manifest) win.
    Scanned PDF pages are read with `ocr` (default: an OcrReader from the STYRDOK_OCR__ settings, no
    cache), calling `progress(pages_done, pages_total)` per page.
    Raises DocumentError with a Swedish message naming the file.
    """
    path = Path(path)
    raw = _read_bytes(path, max_bytes)
    sha256 = hashlib.sha256(raw).hexdigest()
    suffix = path.suffix.lower()
    stats: Counter[str] = Counter()
    pdf_title: str | None = None
    page_starts: list[int] = []
    headings: list[tuple[int, int, str]] = []
    pages: int | None = None
    front: dict[str, Any] = {}
    scans: list[OcrPage] = []
    layout: list[LayoutLine] = []
    if suffix == ".pdf":
        page_texts, pdf_title = _pdf_pages(path, raw)
        reader = ocr if ocr is not None else OcrReader(Settings().ocr)
        scanned, scans = _read_scans(path, raw, sha256, page_texts, reader, progress)
        for scan in scans:
            page_texts[scan.number - 1] = scan.text
        _check_pdf_letters(path, page_texts, scanned, reader)
        cleaned_pages = clean_pages(page_texts, stats)
        text, page_starts = _join_pages(cleaned_pages)
        pages = len(page_texts)
        for scan in scans:
            index = scan.number - 1
            layout += place_lines(scan.lines, cleaned_pages[index], page_starts[index], scan.number)
    elif suffix == ".docx":
        text, headings = _docx_text(path, raw, stats, max_bytes)
    else:
        fields, body = split_front_matter(decode_text(path, raw))
        front = front_matter_meta(fields)
        text = clean_text(body, repeated_lines=True, stats=stats)
        if suffix == ".md":
            headings = markdown_headings(text)
    if not text.strip():
        raise DocumentError(path, "innehåller ingen text.", "Kontrollera att rätt fil valts.")

    log.debug("%s: cleaning %s", path.name, dict(stats))
    guessed = {**guess_meta(path, text, headings, pdf_title, front.get("title")), **decision_meta(text)}
    merged = {**front, **read_sidecar(path), **normalize_override(overrides or {}, path)}
    measured: dict[str, Any] = {
        "doc": doc or path.name,
        "path": str(path.resolve()),
        "sha256": sha256,
        "chars": len(text),
        "format": suffix.lstrip("."),
        "pages": pages,
        "ocr_pages": [scan.number for scan in scans],
        "ocr_confidence": _mean_confidence(scans),
    }
    meta = build_meta(guessed, merged, measured)
    return LoadedDocument(meta=meta, text=text, page_starts=page_starts, headings=headings, layout=layout)


def check_name(path: Path) -> None:
    """Refuse a file name that is not valid UTF-8: it cannot be a document id in the index.

    Linux stores names as bytes; an old zip archive or a Windows share may leave "café" in latin-1,
    which Python reads with surrogate escapes that SQLite and JSON refuse.
    """
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise DocumentError(
            path, "filnamnet är inte giltig UTF-8 (t.ex. från ett gammalt zip-arkiv).", "Byt namn på filen."
        ) from exc


def check_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> os.stat_result:
    """Name, type and size checks that need no reading; raises DocumentError. Call before hashing a file."""
    check_name(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        hint = f"Filtyper som stöds: {supported}."
        if suffix in (".doc", ".rtf", ".odt"):
            hint = f"Spara om filen som .docx eller .pdf. {hint}"
        raise DocumentError(path, f"filtypen {suffix or '(ingen filändelse)'} stöds inte.", hint)
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise DocumentError(path, "filen finns inte.", f"Sökväg: {printable_name(str(path))}") from exc
    except OSError as exc:  # e.g. a name longer than the file system allows
        raise DocumentError(path, os_problem(exc)) from exc
    if not stat.S_ISREG(info.st_mode):
        # A FIFO or device would block or never end when read.
        raise DocumentError(path, "är ingen vanlig fil.")
    if info.st_size == 0:
        raise DocumentError(path, "är tom (0 byte).")
    if info.st_size > max_bytes:
        raise DocumentError(
            path,
            f"är för stor ({_mb(info.st_size)}); gränsen är {_mb(max_bytes)}.",
            "Dela upp dokumentet eller höj gränsen (STYRDOK_MAX_FILE_MB).",
        )
    return info


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    info = check_file(path, max_bytes)
    try:
        with path.open("rb") as handle:
            # One byte past the size stat() saw shows a file still being written; read(n) allocates n bytes.
            raw = handle.read(info.st_size + 1)
    except OSError as exc:
        raise DocumentError(path, os_problem(exc)) from exc
    if len(raw) != info.st_size:
        raise DocumentError(path, "ändrades medan den lästes.", "Vänta tills filen är färdigsparad och försök igen.")
    return raw


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


# --- plain text and Markdown -----------------------------------------------------------------

# UTF-8 read as cp1252/latin-1 and saved again: "Ã¤" for "ä", "â€“" for "–".
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2013-\u203a\u20ac\u2122]|â€")


def decode_text(path: Path, raw: bytes) -> str:
    """Decode text bytes as UTF-8 (BOM allowed), bytes that are not UTF-8 as cp1252; reject binary and mojibake.

    Files pasted together from several sources mix UTF-8 and cp1252 ("ä" as C3 A4 on one line,
    E4 on the next); decoding each invalid byte on its own keeps both kinds of "ä" right.
    Notepad's "Unicode" is UTF-16 with a byte order mark; without the mark, NUL bytes mean binary data.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DocumentError(path, "kan inte avkodas: trasig UTF-16-text.", _TEXT_HINT) from exc
    elif b"\x00" in raw:
        raise DocumentError(path, "kan inte avkodas: filen innehåller binära data (NUL-tecken).", _TEXT_HINT)
    else:
        text = raw.decode("utf-8-sig", errors=_CP1252_FALLBACK)
    # Private-use glyphs (Co) are PDF bullets, and a few control characters are conversion residue
    # (both are cleaned away); binary data has many control characters and few letters.
    controls = sum(1 for c in text if unicodedata.category(c) in ("Cc", "Cn") and c not in "\n\r\t\f")
    visible = sum(1 for c in text if not c.isspace()) or 1
    letters = sum(1 for c in text if c.isalpha())
    if controls > max(2, len(text) // 200) and letters < 0.6 * visible:
        raise DocumentError(path, "kan inte avkodas: filen ser ut att innehålla binära data, inte text.", _TEXT_HINT)
    bad = len(_MOJIBAKE.findall(text)) + text.count("\ufffd")
    if bad > max(3, len(text) // 500):
        problem = 'kan inte avkodas: texten ser felkodad ut (t.ex. "Ã¤" i stället för "ä").'
        raise DocumentError(path, problem, _TEXT_HINT)
    return text


_TEXT_HINT = "Spara filen som UTF-8-text och försök igen."


def _cp1252_bytes(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: decode the bytes UTF-8 rejected as cp1252 (latin-1 for its five holes)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad), error.end


_CP1252_FALLBACK = "styrdok-cp1252"
codecs.register_error(_CP1252_FALLBACK, _cp1252_bytes)

_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")


def markdown_headings(text: str) -> list[tuple[int, int, str]]:
    """ATX headings ("## Title") as (offset, level, title), skipping fenced code blocks."""
    headings: list[tuple[int, int, str]] = []
    offset, in_fence = 0, False
    for line in text.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            match = _MD_HEADING.match(line)
            if match and match.group(2).strip("# "):
                headings.append((offset, len(match.group(1)), match.group(2).strip()))
        offset += len(line) + 1
    return headings


# --- PDF -----------------------------------------------------------------------------------


def _pdf_pages(path: Path, raw: bytes) -> tuple[list[str], str | None]:
    """Text of every PDF page and the metadata title; raises on encrypted, corrupt or image-only files."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            _decrypt(path, reader)
        texts = [page.extract_text() or "" for page in reader.pages]
        title = None
        try:
            title = reader.metadata.title if reader.metadata else None
        except Exception:  # noqa: BLE001 - broken info dictionaries should not stop loading
            title = None
    except DocumentError:
        raise
    except FileNotDecryptedError as exc:
        raise DocumentError(path, "är krypterad (lösenordsskyddad).", _PDF_PASSWORD_HINT) from exc
    except (PyPdfError, *_PARSER_ERRORS) as exc:
        # pypdf's own text is English and technical; keep it in the log, not in the message.
        log.debug("%s: pypdf failed: %r", printable_name(path.name), exc)
        raise DocumentError(
            path, "är skadad eller ingen giltig PDF-fil.", "Öppna och spara om filen, eller exportera den på nytt."
        ) from exc
    if not texts:
        raise DocumentError(path, "är skadad eller ingen giltig PDF-fil (inga sidor).")
    return texts, title if isinstance(title, str) else None


def _letters(text: str) -> int:
    return sum(1 for c in text if c.isalpha())


def _read_scans(
    path: Path, raw: bytes, sha256: str, texts: list[str], reader: OcrReader, progress: Callable | None
) -> tuple[list[int], list[OcrPage]]:
    """OCR the pages with (almost) no text layer that hold a scanned image; raise when OCR is needed but missing.

    A PDF with scanned pages is read whole or not at all: without Tesseract it is skipped, so the next
    ingest after installing it reads it (a half-read document would be taken as complete).
    With OCR switched off, only the text layer is read, as before OCR existed.
    """
    settings = reader.settings
    low = [i for i, text in enumerate(texts) if _letters(text) < settings.min_letters]
    if not low or not settings.enabled:
        return [], []
    scanned = scanned_pages(raw, low)
    if not scanned:
        return [], []
    problem = reader.problem()
    if problem:
        raise DocumentError(
            path,
            f"innehåller inskannade sidor utan text ({_pages_sv(scanned)}) som måste läsas med OCR, men {problem}.",
            f"{INSTALL_HINT} Vill du bara indexera sidorna med text, stäng av OCR med STYRDOK_OCR__ENABLED=false.",
        )
    try:
        scans = reader.read(raw, sha256, scanned, progress)
    except OcrError as error:
        raise DocumentError(path, f"kan inte läsas med OCR: {error}.", "Försök igen, eller kontrollera filen.") from (
            error
        )
    # A page whose text layer holds more than OCR found (a stamp on a blank page) keeps its text layer.
    return scanned, [scan for scan in scans if _letters(scan.text) > _letters(texts[scan.number - 1])]


def _check_pdf_letters(path: Path, texts: list[str], scanned: list[int], reader: OcrReader) -> None:
    """Refuse a PDF with (almost) no text, saying whether OCR was off, found nothing, or had nothing to read."""
    if sum(_letters(text) for text in texts) >= MIN_PDF_LETTERS:
        return
    if not reader.settings.enabled:
        raise DocumentError(
            path,
            "innehåller ingen textbaserad text (skannad bild?) och OCR är avstängt.",
            "Slå på OCR med STYRDOK_OCR__ENABLED=true, eller kör OCR på filen först.",
        )
    if scanned:
        raise DocumentError(path, "innehåller ingen text som gick att läsa, inte heller med OCR.", _SCAN_HINT)
    raise DocumentError(
        path,
        "innehåller ingen text: sidorna har varken ett textlager eller inskannade bilder att läsa med OCR.",
        "Kontrollera att rätt fil valts.",
    )


_SCAN_HINT = "Kontrollera att sidorna inte är tomma och skanna gärna om med högre upplösning (300 dpi)."


def _pages_sv(pages: list[int]) -> str:
    """0-based page indexes as Swedish text: "sida 3", "sidorna 1–4, 7"."""
    numbers = [i + 1 for i in sorted(pages)]
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [f"{run[0]}–{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs]
    return ("sida " if len(numbers) == 1 else "sidorna ") + ", ".join(parts)


def _mean_confidence(scans: list[OcrPage]) -> float | None:
    words = sum(scan.words for scan in scans)
    if not words:
        return None
    return round(sum((scan.confidence or 0.0) * scan.words for scan in scans) / words, 4)


_PDF_PASSWORD_HINT = "Ta bort lösenordet och spara om filen."
# Besides its own PyPdfError, pypdf lets these through from broken files; tests/test_fuzz_loading.py
# found NotImplementedError (a garbled /Filter name) and LimitReachedError (a self-referencing object).
_PARSER_ERRORS = (
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    NotImplementedError,
    ZeroDivisionError,
    OSError,
    RecursionError,
    struct.error,
    zlib.error,
)


def _decrypt(path: Path, reader: Any) -> None:
    """Open a PDF "encrypted" only with an owner password (an empty user password), else refuse it."""
    from pypdf.errors import DependencyError

    try:
        opened = reader.decrypt("")
    except (DependencyError, NotImplementedError) as exc:
        raise DocumentError(
            path, "är krypterad med en metod som inte kan öppnas här.", f"{_PDF_PASSWORD_HINT[:-1]} utan kryptering."
        ) from exc
    if not opened:
        raise DocumentError(path, "är krypterad (lösenordsskyddad).", _PDF_PASSWORD_HINT)


def _join_pages(pages: list[str]) -> tuple[str, list[int]]:
    starts, offset = [], 0
    for page in pages:
        starts.append(offset)
        offset += len(page) + 2
    return "\n\n".join(pages), starts


# --- DOCX ----------------------------------------------------------------------------------

# Sentences and template placeholders ("[namn, adress]") in heading styles.
_NOT_A_HEADING = re.compile(r"[.:;,]$|^\[")
_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*(\d)$", re.I)


def _docx_text(
    path: Path, raw: bytes, stats: Counter[str], max_unpacked: int
) -> tuple[str, list[tuple[int, int, str]]]:
    """Body paragraphs and tables in document order; heading styles become headings."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_zip(path, raw, max_unpacked)
    try:
        document = docx.Document(io.BytesIO(raw))
        blocks: list[tuple[str, int | None]] = []  # (text, heading level or None)
        for item in document.iter_inner_content():
            if isinstance(item, Paragraph):
                blocks.append((item.text, _heading_level(item)))
            elif isinstance(item, Table):
                blocks.append((_table_text(item), None))
    except KeyError as exc:  # zipfile: "There is no item named 'word/document.xml' in the archive"
        missing = re.search(r"named '([^']+)'", str(exc))
        part = f"delen {printable_name(missing.group(1))}" if missing else "en del av dokumentet"
        raise DocumentError(path, f"är ingen giltig DOCX-fil: {part} saknas.", _DOCX_HINT) from exc
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types for broken zips/XML
        log.debug("%s: python-docx failed: %r", printable_name(path.name), exc)
        raise DocumentError(path, "är skadad eller ingen giltig DOCX-fil.", _DOCX_HINT) from exc
    parts: list[str] = []
    headings: list[tuple[int, int, str]] = []
    offset = 0
    for block, level in blocks:
        cleaned = clean_text(block, stats=stats).strip()
        if not cleaned:
            continue
        if parts:
            offset += 2
        # Templates style numbered contract clauses as headings; a sentence is not a heading.
        if level is not None and len(cleaned) <= 150 and not _NOT_A_HEADING.search(cleaned):
            headings.append((offset, level, " ".join(cleaned.split())))
        parts.append(cleaned)
        offset += len(cleaned)
    return "\n\n".join(parts), headings


_DOCX_HINT = "Öppna och spara om filen i Word."


def _check_zip(path: Path, raw: bytes, max_unpacked: int) -> None:
    """Refuse a DOCX that is no zip, or would unpack to more than `max_unpacked` bytes (a zip bomb).

    Only the sizes in the zip directory are read here. zipfile never returns more than an
    entry's declared size (a lying entry fails its CRC check), so the declared sum bounds memory.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError, EOFError) as exc:
        raise DocumentError(path, "är skadad eller ingen giltig DOCX-fil (inget zip-arkiv).", _DOCX_HINT) from exc
    if unpacked > max_unpacked:
        raise DocumentError(
            path,
            f"packas upp till {_mb(unpacked)}, mer än gränsen {_mb(max_unpacked)} (en zip-bomb?).",
            "Kontrollera filens ursprung, eller dela upp dokumentet.",
        )


def _heading_level(paragraph: Any) -> int | None:
    """Heading level from an outline level or a Title/Heading style, also via the style's base styles.

    Templates often define their own heading styles ("1.1 Rubrik 2") based on the built-in ones.
    """
    level = _outline_level(paragraph._p.pPr)
    if level is not None:
        return level or None
    style, depth = paragraph.style, 0
    while style is not None and depth < 10:
        level = _outline_level(style.element.pPr)
        if level is not None:
            return level or None
        name = (style.name or "").strip()
        if name.lower() in ("title", "rubrik"):
            return 1
        match = _HEADING_STYLE.match(name)
        if match:
            return int(match.group(1))
        style, depth = style.base_style, depth + 1
    return None


def _outline_level(ppr: Any) -> int | None:
    """1-based level of a w:outlineLvl, 0 for "body text" (9), None when absent."""
    if ppr is None:
        return None
    node = ppr.find(qn("w:outlineLvl"))
    if node is None:
        return None
    value = int(node.get(qn("w:val"), "9"))
    return value + 1 if value < 9 else 0


def _table_text(table: Any) -> str:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            # A horizontally merged cell is returned once per grid column; keep it once.
            if cell._tc is previous:
                continue
            previous = cell._tc
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            rows.append(" | ".join(cells))
    return "\n".join(rows)
