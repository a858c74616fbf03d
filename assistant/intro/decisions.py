"""Who decided which document, from the documents' own decision lines (DocumentMeta.decided_by).

A routine in a municipal library says "Dokumentet är beslutat av: verksamhetschef …" and
"Dokumentet beslutades den: …". That is the delegation in practice: `build_decisions` lists every
such document with a citation of the line, placed in the map's box of its decider, and
`answer_decisions` answers "Vad har nämnden beslutat om?" with that list instead of a search.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.docinfo import decision_span
from assistant.intro.corpus import chunk_at, cite_span
from assistant.intro.mapdata import MapConfig, default_map_config
from assistant.intro.models import DecidedDocument
from assistant.metadata import fold
from assistant.models import Answer, Citation, DocumentKind, DocumentMeta
from assistant.protocols import Library

SHOWN = 10
_WORDS = r"(?P<what>dokument|rutiner|riktlinjer|beslut|styrdokument|policyer|planer|checklistor|blanketter)"
# "Vilka rutiner har …" asks for routines only.
_KIND_WORDS = {
    "rutiner": DocumentKind.rutin,
    "riktlinjer": DocumentKind.riktlinje,
    "policyer": DocumentKind.policy,
    "planer": DocumentKind.plan,
    "checklistor": DocumentKind.checklista,
    "blanketter": DocumentKind.blankett,
}
_BODY = r"(?P<body>[\w\s\-åäöÅÄÖ]{2,80}?)"
_VERB = r"(?:beslutat|fastställt|antagit)"
# The question must ask for the list as such: "Vad har nämnden beslutat om?" is routed,
# "Vad har fullmäktige beslutat om valfrihetssystemet?" (a topic after "om") is left to answering.
_QUESTIONS = [
    re.compile(rf"^(?:vad|vilka(?:\s+{_WORDS})?)\s+har\s+{_BODY}\s+{_VERB}(?:\s+om)?\s*\??$", re.IGNORECASE),
    re.compile(
        rf"^vilka\s+{_WORDS}\s+(?:är|har\s+blivit)\s+(?:beslutade|fastställda|antagna)\s+av\s+{_BODY}\s*\??$",
        re.IGNORECASE,
    ),
    re.compile(rf"^vad\s+(?:är|har)\s+(?:beslutats?|fastställts?)\s+av\s+{_BODY}\s*\??$", re.IGNORECASE),
]
# Words of the asked body that never narrow the list ("verksamhetschef för hemtjänst": 'för').
_STOP = frozenset("för i inom på och den det de vår våra vårt kommunens av om vid".split())


def node_of(decided_by: str, config: MapConfig | None = None) -> str | None:
    """The map box of a decider ('Verksamhetschef Hemtjänst' → chef), or None."""
    config = config or default_map_config()
    return next((d.node for d in config.deciders if re.search(d.pattern, decided_by, re.IGNORECASE)), None)


def is_junk(decided_by: str, config: MapConfig | None = None) -> bool:
    """Template residue in the decision line ("skriv namn på …", ":")."""
    config = config or default_map_config()
    return bool(re.match(config.decider_junk, decided_by.strip(), re.IGNORECASE))


def decided_documents(library: Library, metas: Sequence[DocumentMeta], config: MapConfig | None = None):
    """A DecidedDocument per document, newest decision first, each citing its decision line."""
    config = config or default_map_config()
    out = []
    for meta in metas:
        text = library.document_text(meta.doc)
        span = decision_span(text)
        start, end = span if span else (0, 0)
        out.append(
            DecidedDocument(
                doc=meta.doc,
                title=meta.title,
                kind=meta.kind.value,
                decided_by=meta.decided_by or "",
                decided_on=meta.decided_on,
                node=node_of(meta.decided_by or "", config),
                citation=_citation(library, meta, text, start, end),
            )
        )
    return out


def _decided(library: Library, config: MapConfig) -> list[DocumentMeta]:
    metas = [
        m
        for m in library.documents()
        if m.decided_by and not m.repealed and not m.duplicate_of and not is_junk(m.decided_by, config)
    ]
    return sorted(metas, key=lambda m: (m.decided_on is None, _negated(m.decided_on), m.title.lower(), m.doc))


def _negated(date: str | None) -> str:
    """Sort key putting later ISO dates first."""
    return "".join(chr(255 - ord(ch)) for ch in date) if date else ""


def build_decisions(library: Library, config: MapConfig | None = None) -> list[DecidedDocument]:
    """Every document that states who decided it (template residue left out), newest first."""
    config = config or default_map_config()
    return decided_documents(library, _decided(library, config), config)


def _citation(library: Library, meta: DocumentMeta, text: str, start: int, end: int) -> Citation:
    chunks = sorted(library.chunks(meta.doc), key=lambda c: c.start)
    if end <= start:  # the line was not found in the text (metadata from a sidecar): cite the fact itself
        return Citation(
            doc=meta.doc,
            title=meta.title,
            quote=f"Dokumentet är beslutat av: {meta.decided_by}",
            kind=meta.kind,
            date=meta.date,
            decided_by=meta.decided_by,
            decided_on=meta.decided_on,
        )
    citation = cite_span(meta, text, chunk_at(chunks, start), start, end)
    citation.quote = citation.quote.replace("**", "")
    return citation


# --- "Vad har nämnden beslutat om?" ----------------------------------------------------------


def asked_body(question: str) -> tuple[str, DocumentKind | None] | None:
    """The body or role a question asks the decisions of ("nämnden"), and the kind of document it asks
    for ("vilka rutiner …"), or None for other questions."""
    text = " ".join(question.strip().split())
    for pattern in _QUESTIONS:
        match = pattern.match(text)
        if match:
            what = (match.groupdict().get("what") or "").lower()
            return match.group("body").strip(), _KIND_WORDS.get(what)
    return None


def _stem(word: str) -> str:
    for suffix in ("erna", "arna", "er", "en", "et", "na", "n"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def matching(body: str, metas: Sequence[DocumentMeta], config: MapConfig | None = None) -> list[DocumentMeta]:
    """The documents decided by the asked body: its box ("nämnden" → every nämnd), narrowed by each
    other word of it ("verksamhetschef hemtjänst"); none if a word matches no decision line (the
    documents do not say that "socialnämnden" decided anything, even if a nämnd did)."""
    config = config or default_map_config()
    node = node_of(body, config)
    folded = fold(body)
    if node is not None:
        found = [m for m in metas if node_of(m.decided_by or "", config) == node]
    else:  # a name or unit the map has no box for: the words themselves
        found = [m for m in metas if folded and folded in fold(m.decided_by or "")]
    for word in re.findall(r"[\w-]+", body.lower()):
        if word in _STOP or len(word) < 3:
            continue
        stem = fold(_stem(word))
        found = [m for m in found if stem in fold(m.decided_by or "")]
    return found


def answer_decisions(
    library: Library, question: str, kinds: Sequence[DocumentKind | str] | None = None, shown: int = SHOWN
) -> Answer | None:
    """The list of documents the asked body decided, each cited at its decision line; None when the
    question is not such a question or no document names that body (then answering takes over)."""
    asked = asked_body(question)
    if asked is None:
        return None
    body, kind = asked
    config = default_map_config()
    metas = _decided(library, config)
    if kinds:
        wanted = {DocumentKind(k) for k in kinds}
        metas = [m for m in metas if m.kind in wanted]
    if kind is not None:
        metas = [m for m in metas if m.kind == kind]
    found = matching(body, metas, config)
    if not found:
        return None
    listed = decided_documents(library, found[:shown], config)
    names = {(m.decided_by or "").strip(" []()").lower() for m in found}
    who = found[0].decided_by.strip(" []()") if len(names) == 1 else body
    items = []
    for n, d in enumerate(listed, start=1):
        facts = ", ".join(x for x in (d.citation.folder, f"beslutad {d.decided_on}" if d.decided_on else "") if x)
        items.append(f"{d.title}" + (f" ({facts})" if facts else "") + f" [{n}]")
    count = f"{len(found)} dokument" if len(found) != 1 else "ett dokument"
    text = f"Enligt dokumentens beslutsrader har {who} beslutat {count}: " + "; ".join(items)
    text += f"; och {len(found) - len(listed)} till." if len(found) > len(listed) else "."
    notes = [
        "Listan bygger på raden ”Dokumentet är beslutat av” i dokumenten; dokument utan en sådan rad finns inte med."
    ]
    if len(found) > len(listed):
        notes.append(f"De {len(listed)} senast beslutade visas; fliken Dokument visar alla, med filter på mapp.")
    citations = [d.citation for d in listed]
    return Answer(question=question, text=text, abstained=False, citations=citations, notes=notes, mode="beslut")
