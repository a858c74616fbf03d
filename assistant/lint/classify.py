"""Know the document: what kind of draft this is (LOV, LOU, avrop, contract, mission description).

Which rules make sense depends on what is procured and how: insyn and the contents LOV requires
belong in a choice system for a welfare service, not in a call-off for IT consultants. The kind
is read from the draft's own text with the signals in `dokumentslag.yaml` (data a civil servant
can extend), shown with its reason, and can be overridden (`styrdok lint --kind`).
"""

from __future__ import annotations

import re

from assistant.errors import StyrdokError
from assistant.lint.draft import Classification, Draft
from assistant.lint.rules import KindTable, builtin_kinds, load_kinds

UNKNOWN = "okand"


def kinds_for(rules_dir=None) -> KindTable:
    """The table of document kinds: built-in, plus a table in the user's rule folder (--rules)."""
    return load_kinds(rules_dir)


def _search(pattern: str, text: str) -> re.Match | None:
    return re.search(pattern, text, re.IGNORECASE)


def is_welfare(draft: Draft, table: KindTable) -> bool:
    """The service is a welfare service: enough of the table's welfare wordings occur in the title and
    opening, where a tender says what it buys (a website tender may mention hemtjänst as an example)."""
    opening = _opening(draft, table.opening)
    return sum(1 for pattern in table.welfare if _search(pattern, opening)) >= table.welfare_min


def classify(draft: Draft, table: KindTable | None = None) -> Classification:
    """The kind of the draft with the highest signal score, with the wordings that decided it."""
    table = table or builtin_kinds()
    welfare = is_welfare(draft, table)
    opening = _opening(draft, table.opening)
    scored: list[tuple[int, int, object, list[str]]] = []
    for order, kind in enumerate(table.kinds):
        if kind.welfare is not None and kind.welfare != welfare:
            continue
        score, weighed = 0, []
        for signal in kind.signals:
            match = _search(signal.pattern, opening if signal.where == "opening" else draft.norm)
            if match is None:
                continue
            score += signal.weight
            if all(signal.reason != reason for _, reason, _ in weighed):
                weighed.append((signal.weight, signal.reason, match.group(0).strip()))
        # The strongest wordings first: they are the reason.
        reasons = [f"{reason} (”{text}”)" for _, reason, text in sorted(weighed, key=lambda w: -w[0])]
        scored.append((score, -order, kind, reasons))
    scores = {kind.id: score for score, _, kind, _ in scored}
    best = max(scored, key=lambda item: (item[0], item[1]), default=None)
    if best is None or best[0] < table.min_score:
        return Classification(
            kind=UNKNOWN,
            label=table.unknown_label,
            reason="texten visar inte tydligt vilket slag av dokument det är",
            welfare=welfare,
            scores=scores,
        )
    score, _, kind, reasons = best
    return Classification(
        kind=kind.id,
        label=kind.label,
        reason="; ".join(reasons[:3]),
        welfare=True if kind.implies_welfare else welfare if kind.welfare is None else kind.welfare,
        scores=scores,
    )


def check_kind(kind_id: str, table: KindTable | None = None) -> None:
    """Raise StyrdokError (Swedish, listing the kinds) unless `kind_id` is a known kind or 'okand'."""
    table = table or builtin_kinds()
    if kind_id != UNKNOWN and kind_id not in table.ids:
        allowed = ", ".join([*(kind.id for kind in table.kinds), UNKNOWN])
        raise StyrdokError(f"Okänt dokumentslag '{kind_id}'. Välj något av: {allowed}.")


def forced(kind_id: str, draft: Draft, table: KindTable | None = None) -> Classification:
    """The classification the user chose with --kind. Raises StyrdokError for an unknown kind."""
    table = table or builtin_kinds()
    check_kind(kind_id, table)
    if kind_id == UNKNOWN:
        return Classification(
            kind=UNKNOWN, label=table.unknown_label, reason="angivet med --kind", welfare=is_welfare(draft, table)
        )
    kind = next(kind for kind in table.kinds if kind.id == kind_id)
    welfare = True if kind.implies_welfare else is_welfare(draft, table) if kind.welfare is None else kind.welfare
    return Classification(kind=kind.id, label=kind.label, reason="angivet med --kind", welfare=welfare, forced=True)


def kind_choices(table: KindTable | None = None) -> list[tuple[str, str]]:
    """(id, Swedish label) of every kind, for help texts and the UI."""
    table = table or builtin_kinds()
    return [(kind.id, kind.label) for kind in table.kinds] + [(UNKNOWN, table.unknown_label)]


def _opening(draft: Draft, size: int) -> str:
    """The title and the first `size` characters of the text, lowercased, whitespace collapsed.

    The symbol legend of tender-system exports is skipped: it is the same in every export.
    """
    text = draft.norm
    legend = text.find("frågan är markerad för särskild uppföljning")
    if 0 <= legend < size:
        text = text[legend:]
    return text[:size]
