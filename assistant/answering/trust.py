"""Trust cues: interview quotes, repealed or superseded sources, sources that disagree."""

from __future__ import annotations

import re

from assistant.answering import lexicon
from assistant.answering.terms import content_stems
from assistant.models import Citation, DocumentMeta
from assistant.text import normalize

QUOTE_PREFIX = "Citat ur en intervju i källan (en åsikt, inte en regel):"

_NUMBER = re.compile(r"\b\d+(?:[.,:]\d+)?\b")
_MODAL = re.compile(r"\b(ska|skall|får|kan|måste|bör)\s+(inte|ej|icke|aldrig)?", re.IGNORECASE)
_ACT_REF = re.compile(r"\((\d{4}:\d+)\)|\b(\d{4}:\d+)\b")


def quote_note(n: int) -> str:
    return f"[{n}] är ett citat av en intervjuad person i en publikation: en åsikt, inte en regel."


def uncertain_note() -> str:
    return (
        "Osäkert svar: [1] är det som kommer närmast frågan i dokumenten, men det svarar kanske inte på just det "
        "du frågar. Läs i källan innan du går vidare."
    )


def alternative_note(n: int) -> str:
    return f"Osäkert vilket av ställena som svarar: [{n}] ligger nästan lika nära frågan som [1]. Läs båda."


def repealed_note(n: int, citation: Citation, superseded_by: str | None) -> str:
    after = f"; den har ersatts av {superseded_by}" if superseded_by else ""
    return f"[{n}] kommer från {citation.title}, som är upphävd{after}. Kontrollera gällande lydelse."


def older_version_note(n: int, meta: DocumentMeta, newest: DocumentMeta | None) -> str | None:
    """A note when the cited document is an older version of one indexed in a newer version (a routine kept
    in several folders, decided 2023 in one and 2025 in the others: ingest.mark_duplicates makes the newest
    the original of the copies). None when there is no newer dated version."""
    mine, theirs = meta.version_date, newest.version_date if newest else None
    if newest is None or not mine or not theirs or theirs <= mine:
        return None
    return (
        f"[{n}] kommer från en äldre version ({mine}) av {newest.title}; en nyare version ({theirs}) finns i "
        f"{newest.doc}. Kontrollera att det som sägs gäller enligt den."
    )


def successor(meta: DocumentMeta, documents: list[DocumentMeta]) -> str | None:
    """The indexed act that replaced a repealed one: `superseded_by` names it ("SFS 2025:400"), its title or
    issuer carries the number ("Socialtjänstlag (2025:400)"). None when the act is not repealed or its
    successor is not indexed."""
    number = _ACT_REF.search(meta.superseded_by or "") if meta.repealed else None
    if number is None:
        return None
    sfs = number.group(1) or number.group(2)
    for other in documents:
        if not other.repealed and other.doc != meta.doc and other.is_act(sfs):
            return other.doc
    return None


def superseded_act_notes(n: int, quote: str) -> list[str]:
    """Notes for acts the quoted text cites that have since been repealed (older texts cite KL 1991:900)."""
    notes = []
    for m in _ACT_REF.finditer(quote):
        sfs = m.group(1) or m.group(2)
        if sfs in lexicon.SUPERSEDED_ACTS:
            notes.append(f"[{n}] hänvisar till SFS {sfs}: {lexicon.SUPERSEDED_ACTS[sfs]}.")
    return list(dict.fromkeys(notes))


def disagree(a: str, b: str) -> bool:
    """Two passages about the same thing that state different figures or opposite polarity."""
    na_, nb_ = normalize(a), normalize(b)
    if na_ in nb_ or nb_ in na_:
        return False  # one passage is part of the other
    sa, sb = content_stems(a), content_stems(b)
    if not sa or not sb:
        return False
    shared = len(sa & sb) / min(len(sa), len(sb))
    if shared < 0.5:
        return False
    # Figures, not references: "3 kap. 16 §" or "(2001:453)" differ between versions of the same rule.
    na = set(_NUMBER.findall(lexicon.NOT_AMOUNT.sub(" ", a)))
    nb = set(_NUMBER.findall(lexicon.NOT_AMOUNT.sub(" ", b)))
    if na and nb and not (na & nb):
        return True
    # Opposite polarity of the same modal: "får inte" in one, "får" in the other.
    ma = {(m.group(1).lower(), bool(m.group(2))) for m in _MODAL.finditer(a)}
    mb = {(m.group(1).lower(), bool(m.group(2))) for m in _MODAL.finditer(b)}
    opposite = any((modal, not neg) in mb and (modal, neg) not in mb for modal, neg in ma)
    return opposite and shared >= 0.7


def conflict_note(i: int, j: int) -> str:
    return f"Källorna [{i}] och [{j}] säger olika saker; båda visas. Kontrollera vilken som gäller."
