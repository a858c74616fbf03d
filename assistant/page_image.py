"""A cited PDF page as an image, with where the cited passage sits on it.

The page is drawn with PDFium (pypdfium2, under `ocr.PDFIUM_LOCK`: PDFium is not thread-safe)
and the passage located in one of two ways: on a page with a text layer by PDFium's character
boxes, matching the passage's letters and digits to the page's (hyphens, line breaks and the
cleaning of the text do not matter); on a page read with OCR by the line boxes Tesseract gave
(`LayoutLine`, already offsets into the cleaned text). Boxes are fractions of the page, so the
UI can lay them over the image at any size. Rendered pages are kept in a small cache.
"""

from __future__ import annotations

import base64
import bisect
import io
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

from assistant.models import LayoutLine
from assistant.ocr import PDFIUM_LOCK

log = logging.getLogger(__name__)

TARGET_WIDTH = 900  # pixels: sharp in a source pane, a data URI of ~100-250 kB
MIN_BLOCK = 8  # letters in a row that must agree when the passage is not found whole
Fraction = tuple[float, float, float, float]  # left, top, right, bottom as page fractions


@dataclass
class PageImage:
    """One rendered page and the boxes of the passage on it."""

    page: int = field(metadata={"doc": "1-based"})
    pages: int
    png: bytes
    width: int
    height: int
    boxes: list[Fraction]
    located_by: str = field(metadata={"doc": "'text' (character boxes), 'ocr' (line boxes) or '' (not found)"})

    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass(frozen=True)
class _Rendered:
    png: bytes
    width: int
    height: int
    pages: int
    text: str
    chars: tuple[tuple[float, float, float, float] | None, ...]  # per character of `text`, page fractions


@lru_cache(maxsize=24)
def _render(path: str, mtime_ns: int, size: int, index: int) -> _Rendered:
    """The page as PNG plus its text layer and character boxes (cached by file identity and page)."""
    import pypdfium2 as pdfium
    from PIL import Image

    del mtime_ns, size  # part of the cache key only: a changed file is drawn again
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(path)
        try:
            pages = len(document)
            page = document[index]
            width_pt, height_pt = page.get_size()
            bitmap = page.render(scale=TARGET_WIDTH / max(width_pt, 1.0))
            image = bitmap.to_pil().convert("RGB")
            textpage = page.get_textpage()
            count = textpage.count_chars()
            text_chars: list[str] = []
            boxes: list[tuple[float, float, float, float] | None] = []
            for i in range(count):
                text_chars.append(textpage.get_text_range(i, 1) or " ")
                left, bottom, right, top = textpage.get_charbox(i)
                if right - left <= 0 or top - bottom <= 0:
                    boxes.append(None)
                else:
                    boxes.append((left / width_pt, 1 - top / height_pt, right / width_pt, 1 - bottom / height_pt))
        finally:
            document.close()
    buffer = io.BytesIO()
    # A palette of 128 colours keeps text sharp and the image small.
    image.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(buffer, format="PNG", optimize=True)
    return _Rendered(
        buffer.getvalue(), image.width, image.height, pages, "".join(t[:1] for t in text_chars), tuple(boxes)
    )


def _normalised(text: str) -> tuple[str, list[int]]:
    """Letters and digits only, lower case, with the index each came from."""
    chars, where = [], []
    for i, ch in enumerate(text):
        if ch.isalnum():
            chars.append(ch.lower())
            where.append(i)
    return "".join(chars), where


def match_chars(page_text: str, quote: str) -> list[int]:
    """Indexes of the page text's characters that make up `quote` (empty if it is not on the page)."""
    page_norm, where = _normalised(page_text)
    quote_norm, _ = _normalised(quote)
    if not quote_norm or not page_norm:
        return []
    found = page_norm.find(quote_norm)
    if found >= 0:
        return where[found : found + len(quote_norm)]
    # Not whole (a running header inside, a word read differently): the agreeing stretches around the
    # longest one, within the passage's length of it.
    matcher = SequenceMatcher(None, page_norm, quote_norm, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size >= MIN_BLOCK]
    if not blocks:
        return []
    anchor = max(blocks, key=lambda b: b.size)
    reach = len(quote_norm) * 1.3
    kept = [b for b in blocks if abs(b.a - anchor.a) <= reach]
    if sum(b.size for b in kept) < min(len(quote_norm), 40) * 0.5:
        return []
    lo, hi = min(b.a for b in kept), max(b.a + b.size for b in kept)
    return where[lo:hi]


def line_boxes(boxes: Sequence[Fraction]) -> list[Fraction]:
    """Character boxes (in reading order) joined into one box per line."""
    lines: list[list[float]] = []
    for left, top, right, bottom in boxes:
        if lines:
            cur = lines[-1]
            height = max(cur[3] - cur[1], bottom - top)
            same_line = abs((top + bottom) / 2 - (cur[1] + cur[3]) / 2) < height * 0.6 and left >= cur[0] - 0.01
            if same_line:
                cur[0], cur[1], cur[2], cur[3] = (
                    min(cur[0], left),
                    min(cur[1], top),
                    max(cur[2], right),
                    max(cur[3], bottom),
                )
                continue
        lines.append([left, top, right, bottom])
    pad = 0.002
    return [(max(0, a - pad), max(0, b - pad), min(1, c + pad), min(1, d + pad)) for a, b, c, d in lines]


def ocr_boxes(layout: Sequence[LayoutLine], page: int, start: int, end: int) -> list[Fraction]:
    """The OCR lines of `page` that hold any of the cleaned text's [start, end)."""
    return [line.bbox for line in layout if line.page == page and line.start < end and line.end > start]


def locate_passage(text: str, start: int | None, end: int | None, quote: str) -> tuple[int, int] | None:
    """The cited span in the cleaned text: the offsets if they hold, else where the quote's words stand."""
    if start is not None and end is not None and 0 <= start < end <= len(text):
        return start, end
    quote = (quote or "").strip()
    if not quote:
        return None
    found = text.find(quote)
    if found >= 0:
        return found, found + len(quote)
    words = re.findall(r"\w+", quote)[:40]
    if len(words) >= 3:
        match = re.search(r"\W+".join(re.escape(w) for w in words), text)
        if match:
            return match.start(), match.end()
    return None


def page_of(page_starts: Sequence[int], offset: int) -> int:
    """1-based page holding `offset`."""
    return max(1, bisect.bisect_right(list(page_starts), offset))


def cited_page(
    path: Path | str,
    page: int,
    quote: str,
    layout: Sequence[LayoutLine] = (),
    span: tuple[int, int] | None = None,
) -> PageImage | None:
    """Page `page` (1-based) of the PDF at `path` with the boxes of `quote` on it, or None if the file is
    gone or unreadable. `layout` and `span` (offsets in the cleaned text) place passages on OCR pages."""
    import pypdfium2 as pdfium

    file = Path(path)
    try:
        stat = file.stat()
        rendered = _render(str(file), stat.st_mtime_ns, stat.st_size, page - 1)
    except (OSError, IndexError, pdfium.PdfiumError) as error:
        log.info("%s, sida %s kunde inte ritas: %s", file.name, page, error)
        return None
    boxes: list[Fraction] = []
    located_by = ""
    if span is not None and layout:
        boxes = ocr_boxes(layout, page, *span)
        located_by = "ocr" if boxes else ""
    if not boxes:
        chars = [rendered.chars[i] for i in match_chars(rendered.text, quote) if rendered.chars[i] is not None]
        boxes = line_boxes(chars)
        located_by = "text" if boxes else ""
    return PageImage(
        page=page,
        pages=rendered.pages,
        png=rendered.png,
        width=rendered.width,
        height=rendered.height,
        boxes=boxes,
        located_by=located_by,
    )
