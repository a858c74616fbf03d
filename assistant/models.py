"""Styrdok's domain types: the pipeline passes these between its stages.

LangChain and Chroma never appear here; adapters at the edge convert to and from them.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, Field


class DocumentKind(StrEnum):
    """What kind of governance document a file is (ASCII ids, as in the corpus manifest)."""

    policy = "policy"
    forfragningsunderlag = "forfragningsunderlag"
    avtal = "avtal"
    uppfoljningsprogram = "uppfoljningsprogram"
    lag = "lag"
    riktlinje = "riktlinje"
    rutin = "rutin"
    checklista = "checklista"
    blankett = "blankett"
    plan = "plan"
    vagledning = "vagledning"
    other = "other"


KIND_LABELS_SV: dict[DocumentKind, str] = {
    DocumentKind.policy: "Policy",
    DocumentKind.forfragningsunderlag: "Förfrågningsunderlag",
    DocumentKind.avtal: "Avtal",
    DocumentKind.uppfoljningsprogram: "Uppföljningsprogram",
    DocumentKind.lag: "Lag",
    DocumentKind.riktlinje: "Riktlinje",
    DocumentKind.rutin: "Rutin",
    DocumentKind.checklista: "Checklista",
    DocumentKind.blankett: "Blankett",
    DocumentKind.plan: "Plan",
    DocumentKind.vagledning: "Vägledning",
    DocumentKind.other: "Övrigt",
}


# The collection a document belongs to when nothing names another (`styrdok ingest --collection`, collections.yaml).
DEFAULT_COLLECTION = "Styrdokument"


class DocumentMeta(BaseModel):
    """Metadata of one source document; guessed from the text, overridable by manifest or sidecar."""

    doc: str = Field(
        description="The document's id in the index and in citations: its path relative to the folder it was "
        "ingested from ('Hemtjänst/Dagsrutiner.md'), or the file name for a file given on its own."
    )
    path: str = Field(default="", description="Absolute path the document was read from.")
    title: str
    kind: DocumentKind = DocumentKind.other
    issuer: str | None = None
    date: str | None = None
    repealed: bool = Field(default=False, description="Upphävd or superseded by a newer act.")
    superseded_by: str | None = None
    duplicate_of: str | None = Field(default=None, description="Doc id whose text this one repeats.")
    pages: int | None = Field(default=None, description="Page count for paged formats (PDF).")
    ocr_pages: list[int] = Field(default_factory=list, description="1-based pages whose text was read with OCR.")
    ocr_confidence: float | None = Field(
        default=None, description="Mean OCR word confidence (0-1) over `ocr_pages`; None without OCR."
    )
    sha256: str = ""
    chars: int = 0
    format: str = ""
    source: str | None = None
    original_name: str | None = Field(default=None, description="File name as uploaded (uploads are stored renamed).")
    decided_by: str | None = Field(
        default=None, description="Body or role that decided it ('Dokumentet är beslutat av')."
    )
    decided_on: str | None = Field(default=None, description="When it was decided, ISO date where the text gives one.")
    owner: str | None = Field(default=None, description="Who owns the document ('Dokumentansvarig').")
    valid: str | None = Field(default=None, description="How long it applies ('tillsvidare', a date).")
    replaces: str | None = Field(default=None, description="What it replaces ('Ersätter …').")
    pipeline: str = Field(default="", description="Version of the reading, cleaning and chunking that made it.")
    collection: str = Field(
        default=DEFAULT_COLLECTION,
        description="The collection it belongs to ('Styrdokument', 'Upphandling pågående'): who may read it.",
    )

    @property
    def folder(self) -> str:
        """The folder part of the document id ('Hemtjänst' for 'Hemtjänst/Dagsrutiner.md'), '' at the top."""
        return self.doc.rsplit("/", 1)[0] if "/" in self.doc else ""

    @property
    def file_name(self) -> str:
        return self.doc.rsplit("/", 1)[-1]

    @property
    def version_date(self) -> str | None:
        """When this version was decided, else the document's date: what orders copies of one routine."""
        return self.decided_on or self.date

    @property
    def status(self) -> str:
        if self.repealed:
            return "repealed"
        if self.duplicate_of:
            return f"duplicate of {self.duplicate_of}"
        return "current"

    def is_act(self, number: str) -> bool:
        """Whether this is the act with SFS number `number` ("2017:30"): its title or issuer carries the number
        ("Hälso- och sjukvårdslag (2017:30)"), or its id does ("sfs-2017-30-halso-och-sjukvardslag.md"). The
        whole number only: "2017:300" is another act."""
        year, _, serial = number.partition(":")
        whole = re.compile(rf"(?<!\d){re.escape(year)}[:-]{re.escape(serial)}(?!\d)")
        return any(whole.search(text) for text in (self.title, self.issuer or "", self.doc))

    def read_with_ocr(self, first: int | None, last: int | None = None) -> bool:
        """Whether any page from `first` to `last` (inclusive) was read with OCR."""
        if not self.ocr_pages or first is None:
            return False
        return any(first <= page <= (last or first) for page in self.ocr_pages)


class Page(BaseModel):
    """Text of one page (or the whole file for unpaged formats) after cleaning."""

    number: int | None = Field(description="1-based page number; None for unpaged formats.")
    text: str


class LayoutLine(BaseModel):
    """Where one line of OCR text sits: its page, its span in the cleaned text and its box on the page."""

    page: int = Field(description="1-based page number.")
    start: int = Field(description="Offset of the line in the cleaned document text.")
    end: int
    bbox: tuple[float, float, float, float] = Field(
        description="Left, top, right, bottom as fractions of the page's width and height (origin top left)."
    )
    confidence: float = Field(description="Mean Tesseract word confidence of the line, 0-1.")


class LoadedDocument(BaseModel):
    """A parsed and cleaned document: its text as one string plus where each page starts."""

    meta: DocumentMeta
    text: str = Field(description="Cleaned text of the whole document.")
    page_starts: list[int] = Field(
        default_factory=list,
        description="Character offset in `text` where each page begins (PDF only; empty otherwise).",
    )
    headings: list[tuple[int, int, str]] = Field(
        default_factory=list,
        description="Known headings from the source format: (offset, level, title). DOCX styles, Markdown #.",
    )
    layout: list[LayoutLine] = Field(default_factory=list, description="Lines read with OCR, in text order.")

    def page_at(self, offset: int) -> int | None:
        """1-based page number of a character offset, or None for unpaged documents."""
        if not self.page_starts:
            return None
        page = 1
        for i, start in enumerate(self.page_starts):
            if start <= offset:
                page = i + 1
            else:
                break
        return page


class Chunk(BaseModel):
    """A retrievable passage with full provenance."""

    id: str = Field(description="Content-derived id: hash of doc id, offsets and text.")
    doc: str
    text: str
    start: int = Field(description="Character offset of the chunk in the cleaned document text.")
    end: int
    page_start: int | None = None
    page_end: int | None = None
    section: str | None = Field(default=None, description="Section path, e.g. '10 kap. > 9 §'.")
    ordinal: int = Field(default=0, description="Position of the chunk in its document.")


class SearchHit(BaseModel):
    """One search result: a chunk, its document metadata and the fused score."""

    chunk: Chunk
    meta: DocumentMeta
    score: float
    also_in: list[str] = Field(default_factory=list, description="Near-duplicate docs with the same passage.")
    lexical_rank: int | None = None
    dense_rank: int | None = None


class Citation(BaseModel):
    """A pointer into a document: enough for a UI to open it at the place and highlight the quote."""

    doc: str
    title: str
    page: int | None = None
    section: str | None = None
    quote: str
    kind: DocumentKind | None = None
    date: str | None = None
    chunk_id: str | None = None
    start: int | None = Field(default=None, description="Offset of the quote in the cleaned document text.")
    end: int | None = None
    key_start: int | None = Field(
        default=None, description="Offsets of the sentence that answers, inside the quote (the rest is its context)."
    )
    key_end: int | None = None
    is_quote_of_person: bool = Field(default=False, description="The passage quotes an interviewee: opinion, not rule.")
    repealed: bool = False
    also_in: list[str] = Field(default_factory=list)
    decided_by: str | None = Field(default=None, description="Who decided the cited document, where it says.")
    decided_on: str | None = None

    @property
    def folder(self) -> str:
        """The folder (a unit of the förvaltning) of the cited document, '' at the top."""
        return self.doc.rsplit("/", 1)[0] if "/" in self.doc else ""

    ocr: bool = Field(default=False, description="The cited page was read with OCR: check against the original.")

    def public(self) -> dict:
        """The JSON shape of the CLI contract."""
        return {"doc": self.doc, "title": self.title, "page": self.page, "section": self.section, "quote": self.quote}


class Answer(BaseModel):
    question: str
    text: str
    abstained: bool
    citations: list[Citation] = Field(default_factory=list)
    nearest: list[Citation] = Field(default_factory=list, description="Shown on abstention: nearest passages.")
    notes: list[str] = Field(default_factory=list, description="Trust cues: quotes, repealed sources, conflicts.")
    resolved_question: str | None = Field(
        default=None,
        description="How the question was read, when not as typed: a follow-up made self-contained, a greeting or "
        "signature taken off, a word typed without å, ä, ö or with a typing error read as the documents write it.",
    )
    mode: str = "extractive"


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


class Finding(BaseModel):
    rule: str
    severity: Severity
    quote: str | None = None
    missing: bool = False
    section: str | None = None
    page: int | None = None
    line: int | None = None
    message: str
    suggestion: str
    sources: list[Citation] = Field(default_factory=list)

    def public(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "quote": self.quote,
            "missing": self.missing,
            "section": self.section,
            "page": self.page,
            "line": self.line,
            "message": self.message,
            "suggestion": self.suggestion,
            "sources": [
                {"doc": s.doc, "title": s.title, "page": s.page, "section": s.section, "quote": s.quote}
                for s in self.sources
            ],
        }
