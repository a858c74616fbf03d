"""OCR of scanned PDF pages: pypdfium2 renders a page, the Tesseract program reads it (Swedish model).

The binding was chosen by measuring on this 2-core machine, 9 rendered Swedish A4 scans, the same
Tesseract model, so the same word error rate (0.34 %); CPU seconds per page, steadier than wall time here
(eval/reports/ocr-engines/, `eval/bench_ocr.py --engines ...`):
- tesseract CLI per page via subprocess, pages rendered by pypdfium2 at 300 dpi: 1.3 s (~43 pages/min).
- tesserocr 2.13 (in-process C++ API; its wheel bundles Tesseract 5.5.4): 0.8 s. Faster, but a crash or
  a hang in the engine takes the whole server with it, a page cannot be killed after a timeout, and it is
  a second copy of Tesseract beside the Debian package.
- pytesseract: 2.1 s (a PNG file on disk per page, then the same CLI).
- ocrmypdf 17: 1.5 s plus start-up; it writes a new PDF, so line boxes and confidences are lost.
The subprocess leaves the GIL free while Tesseract works (the web UI keeps serving), a hung page is
killed after `page_timeout`, its memory (~70 MB) is returned after each page, and "is it installed" is a
PATH check. pypdfium2 renders a page in ~0.1 s and is what the UI will use to show PDF pages too.

Two measured settings (eval/reports/ocr-*.md): OMP_THREADS=1, and the language swe alone. Debian's swe
model has no "§" in its character set and reads it as "$", "8" or "&"; ocr_text.fix_section_signs turns those
back into "§" in law references and protokoll paragraphs (9 of 9 in the benchmark). Adding eng
("swe+eng") reads "§" itself, but on a poor copy the English model wins the uncertain words and strips
their å, ä, ö ("Atgardsplan", "maste"): word error rate 2.2 % instead of 0.5 %.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.ocr_text import fix_section_signs, glued_sign
from assistant.settings import OcrSettings

log = logging.getLogger(__name__)

# PDFium is not thread-safe, not even across documents: every pypdfium2 call in the process goes through
# this lock (the UI may render a page while an upload is read). Rendering is ~0.1 s; Tesseract runs outside it.
PDFIUM_LOCK = threading.RLock()
# A page counts as scanned when images cover at least this share of it (a scan covers ~100 %; the
# corpus's logos and header bands cover 1-15 %). Pages with text drawn as vector outlines are not read.
MIN_IMAGE_SHARE = 0.3
# Tesseract's OpenMP threads per page. On this shared 2-core machine two threads made a page take 15 s
# instead of 1.4 s (they spin while waiting for each other): eval/reports/ocr-omp2/.
OMP_THREADS = 1
# A rendered page larger than this many pixels (an A0 drawing at 300 dpi) is rendered at a lower resolution.
MAX_PIXELS = 40_000_000
INSTALL_HINT = (
    "Aktivera OCR genom att installera Tesseract med svensk språkmodell: "
    "'apt-get install tesseract-ocr tesseract-ocr-swe' (eller kör 'make install')."
)

Progress = Callable[[int, int], None]


class OcrError(Exception):
    """OCR could not run or failed; `str()` is a Swedish problem text without the file name."""


class OcrLine(BaseModel):
    """One line as Tesseract read it."""

    text: str
    bbox: tuple[float, float, float, float] = Field(description="Left, top, right, bottom as page fractions.")
    confidence: float = Field(description="Mean word confidence, 0-1.")


class OcrPage(BaseModel):
    """One page read with OCR: text (paragraphs separated by a blank line), lines and word confidence."""

    number: int = Field(description="1-based page number.")
    text: str
    lines: list[OcrLine] = Field(default_factory=list)
    words: int = 0
    confidence: float | None = Field(default=None, description="Mean word confidence, 0-1; None without words.")


# --- is Tesseract there ----------------------------------------------------------------------


def tesseract_problem(languages: str) -> str | None:
    """Why OCR cannot run with these languages (Swedish, no file name), or None when it can."""
    binary = shutil.which("tesseract")
    if binary is None:
        return "programmet tesseract saknas"
    try:
        listed = _run([binary, "--list-langs"], timeout=30)
    except OcrError as error:
        return str(error)
    installed = set(listed.split()[1:])  # the first line is "List of available languages in ..."
    missing = [lang for lang in languages.split("+") if lang not in installed]
    if missing:
        return f"Tesseracts språkmodell {', '.join(missing)} saknas"
    return None


def tesseract_version() -> str:
    binary = shutil.which("tesseract")
    return _run([binary, "--version"], timeout=30).split("\n", 1)[0].strip() if binary else ""


def _run(args: list[str], timeout: float, data: bytes | None = None) -> str:
    env = {**os.environ, "OMP_THREAD_LIMIT": str(OMP_THREADS)}
    try:
        done = subprocess.run(args, input=data, capture_output=True, timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired as exc:
        raise OcrError(f"Tesseract svarade inte inom {timeout:.0f} s") from exc
    except OSError as exc:
        raise OcrError(f"programmet tesseract kunde inte startas ({exc.strerror or exc})") from exc
    if done.returncode != 0:
        log.warning("tesseract %s failed: %s", args[1:], done.stderr.decode(errors="replace")[-500:])
        raise OcrError(f"Tesseract avbröt med felkod {done.returncode}")
    # --list-langs and --version print on stdout in Tesseract 5, on stderr in some older builds.
    return done.stdout.decode("utf-8", errors="replace") or done.stderr.decode("utf-8", errors="replace")


# --- which pages are scans ---------------------------------------------------------------------


def scanned_pages(raw: bytes, candidates: Sequence[int]) -> list[int]:
    """Those of the 0-based `candidates` pages that images cover to at least MIN_IMAGE_SHARE."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    found = []
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(raw)
        except pdfium.PdfiumError as exc:
            log.debug("pdfium cannot open the PDF: %r", exc)
            return []
        try:
            for index in candidates:
                page = document[index]
                width, height = page.get_size()
                covered = 0.0
                for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=4):
                    left, bottom, right, top = image.get_bounds()
                    visible_width = max(0.0, min(right, width) - max(left, 0.0))
                    covered += visible_width * max(0.0, min(top, height) - max(bottom, 0.0))
                if width > 0 and height > 0 and covered / (width * height) >= MIN_IMAGE_SHARE:
                    found.append(index)
        except (pdfium.PdfiumError, IndexError) as exc:
            log.debug("pdfium cannot inspect the PDF's pages: %r", exc)
        finally:
            document.close()
    return found


# --- reading ------------------------------------------------------------------------------------


class OcrReader:
    """Reads scanned pages with Tesseract; with `cache_path`, each page is read once per file content."""

    def __init__(self, settings: OcrSettings | None = None, cache_path: Path | None = None):
        self.settings = settings or OcrSettings()
        self.cache = OcrCache(cache_path) if cache_path is not None else None

    def problem(self) -> str | None:
        """Why OCR cannot run now (Swedish), or None."""
        return tesseract_problem(self.settings.languages)

    def read(self, raw: bytes, sha256: str, pages: Sequence[int], progress: Progress | None = None) -> list[OcrPage]:
        """OCR the 0-based `pages` of a PDF; raises OcrError. Calls `progress(done, total)` per page."""
        problem = self.problem()
        if problem:
            raise OcrError(problem)
        settings = self.settings
        prefix = f"{sha256}:{settings.languages}:{settings.dpi}:{tesseract_version()}"
        cached = self.cache.get([f"{prefix}:{i}" for i in pages]) if self.cache else {}
        out: list[OcrPage] = []
        if progress:
            progress(0, len(pages))
        for done, index in enumerate(pages, start=1):
            key = f"{prefix}:{index}"
            page = cached.get(key)
            if page is None:
                page = self._read_page(raw, index)
                if self.cache:
                    self.cache.put(key, page)
            out.append(page)
            if progress:
                progress(done, len(pages))
        return out

    def _read_page(self, raw: bytes, index: int) -> OcrPage:
        settings = self.settings
        try:
            image, width, height = render_page(raw, index, settings.dpi)
            tsv = _run(
                [
                    "tesseract",
                    "stdin",
                    "stdout",
                    "-l",
                    settings.languages,
                    "--psm",
                    "3",
                    "--dpi",
                    str(settings.dpi),
                    "tsv",
                ],
                timeout=settings.page_timeout,
                data=image,
            )
        except OcrError as error:
            raise OcrError(f"sida {index + 1}: {error}") from error
        return parse_tsv(tsv, width, height, index + 1)

    def prefetch(self, raw: bytes, progress: Progress | None = None) -> int:
        """Read a PDF's scanned pages into the cache, as load_document will ask for them; returns pages read.

        Lets a caller read a long scan before it takes the index's write lock. Does nothing without
        a cache or when OCR is off or missing (load_document then reports it).
        """
        if self.cache is None or not self.settings.enabled:
            return 0
        scanned = scanned_pages(raw, range(page_count(raw)))
        scanned = [i for i, n in zip(scanned, text_letters(raw, scanned), strict=True) if n < self.settings.min_letters]
        if not scanned or self.problem():
            return 0
        self.read(raw, hashlib.sha256(raw).hexdigest(), scanned, progress)
        return len(scanned)


def page_count(raw: bytes) -> int:
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(raw)
        except pdfium.PdfiumError:
            return 0
        try:
            return len(document)
        finally:
            document.close()


def text_letters(raw: bytes, pages: Sequence[int]) -> list[int]:
    """Letters in the text layer of each 0-based page (PDFium's count; pypdf's may differ slightly)."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(raw)
        try:
            counts = []
            for index in pages:
                textpage = document[index].get_textpage()
                counts.append(sum(1 for c in textpage.get_text_range() if c.isalpha()))
                textpage.close()
            return counts
        finally:
            document.close()


def render_page(raw: bytes, index: int, dpi: int) -> tuple[bytes, int, int]:
    """The 0-based page as an 8-bit grey PGM image (what Tesseract reads from stdin), with its size."""
    import numpy as np
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(raw)
        except pdfium.PdfiumError as exc:
            raise OcrError("sidan kunde inte ritas upp för OCR") from exc
        try:
            page = document[index]
            width, height = page.get_size()
            scale = min(dpi / 72, math.sqrt(MAX_PIXELS / max(1.0, width * height)))
            bitmap = page.render(scale=scale, grayscale=True)
            pixels = np.ascontiguousarray(bitmap.to_numpy().reshape(bitmap.height, bitmap.width))
        except pdfium.PdfiumError as exc:
            raise OcrError("sidan kunde inte ritas upp för OCR") from exc
        finally:
            document.close()
    rows, cols = pixels.shape
    return b"P5\n%d %d\n255\n" % (cols, rows) + pixels.tobytes(), cols, rows


def parse_tsv(tsv: str, width: int, height: int, number: int) -> OcrPage:
    """Tesseract's TSV output as a page: words grouped into lines and paragraphs, boxes as page fractions."""
    grouped: dict[tuple[int, int, int], list[tuple[str, float, int, int, int, int]]] = {}
    for row in tsv.split("\n")[1:]:
        cols = row.split("\t")
        if len(cols) != 12 or cols[0] != "5" or not cols[11].strip():
            continue
        word, confidence = cols[11].strip(), float(cols[10])
        if confidence < 50 and _SPECK.match(word):
            continue  # specks and rules read as "=", "|", "—" (not a misread "§": "$&")
        block, par, line = int(cols[2]), int(cols[3]), int(cols[4])
        left, top, w, h = (int(c) for c in cols[6:10])
        grouped.setdefault((block, par, line), []).append((word, confidence, left, top, w, h))
    lines: list[tuple[tuple[int, int], OcrLine]] = []
    confidences: list[float] = []
    for (block, par, _), words in grouped.items():
        if not any(ch.isalnum() for word, *_ in words for ch in word):
            continue
        word_conf = [max(0.0, conf) / 100 for _, conf, *_ in words]
        confidences.extend(word_conf)
        box = (
            min(left for *_, left, _, _, _ in words) / width,
            min(top for *_, top, _, _ in words) / height,
            max(left + w for *_, left, _, w, _ in words) / width,
            max(top + h for *_, top, _, h in words) / height,
        )
        text = " ".join(
            glued_sign(word, conf, i == 0 or words[i - 1][0].endswith((",", "(")))
            for i, (word, conf, *_) in enumerate(words)
        )
        lines.append(
            ((block, par), OcrLine(text=text, bbox=tuple(round(x, 4) for x in box), confidence=_mean(word_conf)))
        )
    text = fix_section_signs(_paragraphs(lines))
    for (_, line), fixed in zip(lines, [t for t in text.split("\n") if t], strict=True):
        line.text = fixed
    return OcrPage(
        number=number,
        text=text,
        lines=[line for _, line in lines],
        words=len(confidences),
        confidence=_mean(confidences) if confidences else None,
    )


def _paragraphs(lines: list[tuple[tuple[int, int], OcrLine]]) -> str:
    """Lines joined by "\n", paragraphs by a blank line.

    Tesseract sometimes starts a new paragraph (or block) at a sentence's last line; a line that reaches
    the right margin without ending a sentence, or a next line that starts in lower case, continues it.
    """
    margin = max((line.bbox[2] for _, line in lines), default=1.0)
    paragraphs: list[list[str]] = []
    previous: tuple[tuple[int, int], OcrLine] | None = None
    for key, line in lines:
        continues = (
            previous is not None
            and not _SENTENCE_END.search(previous[1].text)
            and (line.text[:1].islower() or previous[1].bbox[2] >= 0.95 * margin)
        )
        if previous is None or (key != previous[0] and not continues):
            paragraphs.append([])
        paragraphs[-1].append(line.text)
        previous = (key, line)
    return "\n\n".join("\n".join(p) for p in paragraphs)


_SENTENCE_END = re.compile(r"[.!?:;]$")
_SPECK = re.compile(r"^[^\w$&§]+$")


def _mean(values: Sequence[float]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


# --- cache ----------------------------------------------------------------------------------------


class OcrCache:
    """Pages already read, by file content, languages, resolution and Tesseract version (SQLite).

    Kept beside the index and, like the embedding cache, kept by `--rebuild`: a re-index or a killed
    run does not read a page twice. One connection per call, so any thread may use it.
    """

    def __init__(self, path: Path):
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, page TEXT NOT NULL)")
        return conn

    def get(self, keys: Sequence[str]) -> dict[str, OcrPage]:
        if not keys or not self.path.exists():
            return {}
        with closing(self._connect()) as conn:
            rows = conn.execute(f"SELECT key, page FROM pages WHERE key IN ({','.join('?' * len(keys))})", list(keys))
            return {key: OcrPage.model_validate_json(page) for key, page in rows}

    def put(self, key: str, page: OcrPage) -> None:
        with closing(self._connect()) as conn:
            conn.execute("INSERT OR REPLACE INTO pages VALUES (?, ?)", (key, page.model_dump_json()))
