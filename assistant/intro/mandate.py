""" "Det här måste fullmäktige besluta": the mandate-period checklist, cited from the indexed acts.

Each item of mandate.yaml names its legal basis ("5 kap. 3 § kommunallagen (2017:725)"). The
section is found in the indexed act by its chapter and paragraph headings in any of the statute
renderings of the corpus ("#### 3 §", "**2 §**", "1 § Text …") and must contain the item's
`match` words, so a renumbered act is noticed instead of cited wrongly. The municipality's own
documents that say the same are added, and where documents still cite an older provision of a
repealed act (kommunallagen 1991:900, socialtjänstlagen 2001:453) that is flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.intro.corpus import chunk_at, cite_span, matches_law
from assistant.intro.mapdata import MandateConfig, MandateSpec, default_mandate_config
from assistant.intro.models import MandateBasis, MandateItem, OlderReference
from assistant.models import Citation, DocumentKind, DocumentMeta
from assistant.protocols import Library

MAX_SUPPORT = 3
MAX_OLDER = 3
MAX_QUOTE = 900
_CHAPTER = re.compile(r"^#{1,6}[ \t]*(\d+[ \t]?[a-z]?)[ \t]*kap\.", re.MULTILINE | re.IGNORECASE)
_PARAGRAPH = re.compile(r"^(?:#{1,6}[ \t]*|\*\*)?(\d+[ \t]?[a-z]?)[ \t]?§", re.MULTILINE)
_HEADING = re.compile(r"^#{1,6}[ \t]", re.MULTILINE)
_REF = re.compile(r"^(?:(\d+\s?[a-z]?)\s*kap\.\s*)?(\d+\s?[a-z]?)\s*§$")
# Documents that state municipal decisions; routines, forms and noise are not searched.
_OWN_KINDS = frozenset(
    [
        DocumentKind.policy,
        DocumentKind.uppfoljningsprogram,
        DocumentKind.riktlinje,
        DocumentKind.vagledning,
        DocumentKind.avtal,
        DocumentKind.other,
        DocumentKind.plan,
    ]
)
_SOURCE_ORDER = {DocumentKind.uppfoljningsprogram: 0, DocumentKind.policy: 1, DocumentKind.riktlinje: 2}


def _norm(number: str) -> str:
    return re.sub(r"\s+", "", number).lower()


def locate_section(text: str, ref: str) -> tuple[int, int] | None:
    """Offsets of a section ("5 kap. 3 §", or "3 §" in an act without chapters) in a statute's text."""
    parsed = _REF.match(ref.strip())
    if not parsed:
        return None
    chapter, paragraph = parsed.groups()
    lo, hi = 0, len(text)
    if chapter:
        heads = list(_CHAPTER.finditer(text))
        for i, head in enumerate(heads):
            if _norm(head.group(1)) == _norm(chapter):
                lo, hi = head.start(), heads[i + 1].start() if i + 1 < len(heads) else len(text)
                break
        else:
            return None
    marks = list(_PARAGRAPH.finditer(text, lo, hi))
    for i, mark in enumerate(marks):
        if _norm(mark.group(1)) != _norm(paragraph):
            continue
        end = marks[i + 1].start() if i + 1 < len(marks) else hi
        heading = _HEADING.search(text, mark.end(), end)  # a sub-heading before the next paragraph
        end = heading.start() if heading else end
        return mark.start(), len(text[:end].rstrip())
    return None


# A full stop that ends a sentence: not after "kap", "bl.a", a section number or a single letter.
_STOP = re.compile(r"(?<!\bkap)(?<!\bbl\.a)(?<!\bt\.ex)(?<!\d)(?<!\b\w)\.(?=\s+[A-ZÅÄÖ\-•]|\s*$)")


def _sentence_at(text: str, pos: int) -> tuple[int, int]:
    """The sentence or list line around `pos`; a lead-in ("Kommunfullmäktige beslutar om") with its next line."""
    line_start = text.rfind("\n", 0, pos) + 1
    stops = [m.end() for m in _STOP.finditer(text, line_start, pos)]
    start = stops[-1] if stops else line_start
    while start < pos and text[start] in " \t":
        start += 1
    line_end = text.find("\n", pos)
    line_end = len(text) if line_end < 0 else line_end
    stop = _STOP.search(text, pos, line_end)
    end = stop.end() if stop else line_end
    if re.search(r"(?:\bom|:)\s*$", text[start:end]):  # a lead-in: the item it introduces belongs to it
        item = re.compile(r"\s*\n[ \t]*(?:[-•*]\s*)?\S[^\n]*").match(text, end)
        end = item.end() if item else end
    return start, min(end, start + MAX_QUOTE)


def _is_heading_or_title(text: str, start: int, end: int) -> bool:
    """A heading or a title line: no sentence of its own (a list item is one)."""
    line = text[start:end].strip()
    return line.startswith("#") or len(line.split()) < 6 or not re.search(r"[.:;!?]$|^[-•*]\s|\n\s*[-•*]\s", line)


class _Docs:
    """The library's documents, texts and chunks, read once for all items."""

    def __init__(self, library: Library):
        self.library = library
        self.metas = sorted(library.documents(), key=lambda m: m.doc)
        self._texts: dict[str, str] = {}
        self._chunks: dict[str, list] = {}

    def text(self, doc: str) -> str:
        if doc not in self._texts:
            self._texts[doc] = self.library.document_text(doc)
        return self._texts[doc]

    def cite(self, meta: DocumentMeta, start: int, end: int) -> Citation:
        if meta.doc not in self._chunks:
            self._chunks[meta.doc] = sorted(self.library.chunks(meta.doc), key=lambda c: c.start)
        return cite_span(meta, self.text(meta.doc), chunk_at(self._chunks[meta.doc], start), start, end)

    def acts(self, number: str) -> list[DocumentMeta]:
        """Indexed texts of the act, current before repealed, originals before copies."""
        found = [m for m in self.metas if m.kind == DocumentKind.lag and matches_law(m, [number])]
        return sorted(found, key=lambda m: (m.repealed, bool(m.duplicate_of), m.doc))

    def own(self) -> Iterable[DocumentMeta]:
        """Documents of the municipality and guidance, by weight: programmes, policies, guidelines first."""
        own = [m for m in self.metas if m.kind in _OWN_KINDS and not m.duplicate_of]
        return sorted(own, key=lambda m: (_SOURCE_ORDER.get(m.kind, 9), m.doc))

    def section(self, number: str, ref: str, match: str) -> Citation | None:
        for meta in self.acts(number):
            text = self.text(meta.doc)
            span = locate_section(text, ref)
            # Words of `match` may be split over lines in the act's text.
            if span and re.search(match.replace(" ", r"\s+"), text[span[0] : span[1]], re.IGNORECASE):
                start, end = span
                return self.cite(meta, start, min(end, start + MAX_QUOTE))
        return None

    def mentions(self, pattern: str, limit: int, sentences: bool = True) -> list[Citation]:
        """The first place in each document (programmes and policies first) that matches; with `sentences`,
        only a sentence or list item (a title or heading says nothing of its own)."""
        found: list[Citation] = []
        compiled = re.compile(pattern, re.IGNORECASE)
        for meta in self.own():
            text = self.text(meta.doc)
            for match in compiled.finditer(text):
                span = _sentence_at(text, match.start())
                if not sentences or not _is_heading_or_title(text, *span):
                    found.append(self.cite(meta, *span))
                    break
            if len(found) == limit:
                break
        return found


def _item(spec: MandateSpec, docs: _Docs) -> MandateItem:
    basis = [
        MandateBasis(label=f"{b.ref} {b.act_label} ({b.act})", citation=docs.section(b.act, b.ref, b.match))
        for b in spec.basis
    ]
    support = docs.mentions(spec.support, MAX_SUPPORT) if spec.support else []
    older = []
    for provision in spec.older:
        citations = []
        if provision.act and provision.ref:
            repealed = docs.section(provision.act, provision.ref, provision.match or ".")
            if repealed is not None and repealed.repealed:
                citations.append(repealed)
        citations += docs.mentions(provision.pattern, MAX_OLDER, sentences=False)
        if citations:
            older.append(OlderReference(label=provision.label, citations=citations))
    return MandateItem(
        id=spec.id,
        title=spec.title,
        what=spec.what,
        when=spec.when,
        basis=basis,
        support=support,
        older=older,
        terms=spec.terms,
    )


def build_mandate(library: Library, config: MandateConfig | None = None) -> list[MandateItem]:
    """The checklist with legal bases cited where the acts are indexed; items whose act is absent keep
    their legal basis as a label (the checklist is the law's, not the index's)."""
    config = config or default_mandate_config()
    docs = _Docs(library)
    return [_item(spec, docs) for spec in config.items]
