"""HTML for the review of a draft: findings grouped by rule or by section, and the draft text
with each offending clause highlighted. All draft and finding text is escaped."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.models import Finding, Severity
from assistant.text import md_literal as md
from ui.render import esc, kind_label, where

SEVERITY_SV = {Severity.error: "Fel", Severity.warning: "Varning", Severity.info: "Information"}
SEVERITY_ORDER = {Severity.error: 0, Severity.warning: 1, Severity.info: 2}
NO_SECTION = "Hela dokumentet (något saknas)"


def finding_span(finding: Finding, text: str, sentences: Sequence = ()) -> tuple[int, int] | None:
    """Where a finding's quote is in the draft text: a parsed sentence with the same text, else a
    whitespace- and markup-tolerant search for its words."""
    quote = (finding.quote or "").strip()
    if not quote:
        return None
    for s in sentences:
        if getattr(s, "text", None) == quote and (finding.line is None or getattr(s, "line", None) == finding.line):
            return s.start, s.end
    for s in sentences:
        if getattr(s, "text", None) == quote:
            return s.start, s.end
    found = text.find(quote)
    if found >= 0:
        return found, found + len(quote)
    words = re.findall(r"\w+", quote)[:60]
    if words:
        match = re.search(r"\W+".join(re.escape(w) for w in words), text)
        if match:
            return match.start(), match.end()
    return None


def _severity_badge(sev: Severity) -> str:
    return f'<span class="sev sev-{sev.value}">{esc(SEVERITY_SV.get(sev, sev.value))}</span>'


def render_kind(classification) -> str:
    """What kind of document the draft was read as, and why (empty when it was not classified)."""
    if classification is None:
        return ""
    label, reason = getattr(classification, "label", ""), getattr(classification, "reason", "")
    return (
        f'<p class="lint-kind">Dokumentslag: <strong>{esc(label)}</strong> – {esc(reason)}. '
        "Bara de regler som hör till slaget körs.</p>"
    )


def render_summary(findings: Sequence[Finding], name: str, classification=None) -> str:
    kind = render_kind(classification)
    if not findings:
        return (
            f'<div class="lint-summary status-ok" role="status"><p>Inga fynd i <strong>{esc(name)}</strong> '
            f"med de regler som finns. Granska ändå texten själv: reglerna täcker inte allt.</p>{kind}</div>"
        )
    counts = {sev: sum(1 for f in findings if f.severity == sev) for sev in SEVERITY_ORDER}
    parts = ", ".join(f"{n} {SEVERITY_SV[sev].lower()}" for sev, n in counts.items() if n)
    return (
        f'<div class="lint-summary" role="status"><p><strong>{esc(name)}</strong>: '
        f"{len(findings)} fynd ({esc(parts)}). "
        f"Klicka på ”Visa i utkastet” för att se klausulen markerad.</p>{kind}</div>"
    )


def _sources(finding: Finding) -> str:
    if not finding.sources:
        return ""
    items = []
    for c in finding.sources:
        meta = " · ".join(x for x in (kind_label(c.kind), c.date, where(c)) if x)
        items.append(
            f'<li><span class="src-title">{esc(c.title)}</span>'
            + (f' <span class="src-meta">{esc(meta)}</span>' if meta else "")
            + f"<blockquote>{esc(c.quote)}</blockquote></li>"
        )
    return f'<div class="principle"><p class="label">Princip och källa:</p><ul>{"".join(items)}</ul></div>'


def render_finding(index: int, finding: Finding, rule_titles: dict[str, str], located: bool) -> str:
    title = rule_titles.get(finding.rule, finding.rule)
    place = ", ".join(
        x
        for x in (
            f"avsnitt {finding.section}" if finding.section else None,
            f"s. {finding.page}" if finding.page else None,
            f"rad {finding.line}" if finding.line else None,
        )
        if x
    )
    if finding.missing:
        clause = '<p class="clause missing">Saknas i utkastet.</p>'
    elif finding.quote:
        link = f' <a class="jump" href="#utkast-f{index}">Visa i utkastet</a>' if located else ""
        clause = f'<p class="clause"><span class="label">Klausul:</span> <q>{esc(finding.quote)}</q>{link}</p>'
    else:
        clause = ""
    return (
        f'<article class="finding sev-border-{finding.severity.value}" id="fynd-{index}" '
        f'aria-label="{esc(SEVERITY_SV.get(finding.severity, ""))}: {esc(title)}">'
        f'<p class="finding-head">{_severity_badge(finding.severity)} <strong>{esc(title)}</strong> '
        f'<code class="rule-id">{esc(finding.rule)}</code>'
        + (f' <span class="place">{esc(place)}</span>' if place else "")
        + "</p>"
        + clause
        + f'<p class="message">{esc(finding.message)}</p>'
        + _sources(finding)
        + f'<p class="fix"><span class="label">Förslag:</span> {esc(finding.suggestion)}</p></article>'
    )


def render_findings(
    findings: Sequence[Finding],
    group_by: str = "rule",
    rule_titles: dict[str, str] | None = None,
    located: Sequence[bool] | None = None,
) -> str:
    """Findings in groups (by rule or by section), errors first within a group."""
    rule_titles = rule_titles or {}
    located = located or [False] * len(findings)
    if not findings:
        return ""
    groups: dict[str, list[int]] = {}
    for i, f in enumerate(findings):
        if group_by == "section":
            key = f"Avsnitt {f.section}" if f.section else NO_SECTION
        else:
            key = rule_titles.get(f.rule, f.rule)
        groups.setdefault(key, []).append(i)

    def group_rank(item: tuple[str, list[int]]) -> tuple:
        key, idx = item
        worst = min(SEVERITY_ORDER[findings[i].severity] for i in idx)
        if group_by == "section":
            return (key == NO_SECTION, min(idx))
        return (worst, min(idx))

    parts = []
    for key, idx in sorted(groups.items(), key=group_rank):
        idx = sorted(idx, key=lambda i: (SEVERITY_ORDER[findings[i].severity], i))
        cards = "".join(render_finding(i, findings[i], rule_titles, located[i]) for i in idx)
        parts.append(
            f'<section class="finding-group"><h3>{esc(key)} <span class="count">({len(idx)})</span></h3>'
            f"{cards}</section>"
        )
    return f'<div class="findings">{"".join(parts)}</div>'


def render_draft(text: str, spans: Sequence[tuple[int, int, int, Severity]]) -> str:
    """The draft text with each located finding's clause marked; overlapping marks are merged into the first."""
    out, pos = [], 0
    for start, end, index, sev in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < pos:
            continue
        out.append(esc(text[pos:start]))
        out.append(
            f'<mark id="utkast-f{index}" class="hl-{sev.value}" title="{esc(SEVERITY_SV.get(sev, ""))}">'
            f"{esc(text[start:end])}</mark>"
        )
        pos = end
    out.append(esc(text[pos:]))
    return (
        '<div class="draft-text" tabindex="0" role="document" aria-label="Utkastets text med markerade klausuler">'
        f"{''.join(out)}</div>"
    )


def report_markdown(name: str, findings: Sequence[Finding], rule_titles: dict[str, str]) -> str:
    """A plain Markdown report (used when the lint package has no renderer of its own)."""
    lines = [f"# Granskning av {md(name)}", "", f"{len(findings)} fynd.", ""]
    for i, f in enumerate(findings, start=1):
        title = rule_titles.get(f.rule, f.rule)
        lines.append(f"## {i}. {SEVERITY_SV.get(f.severity, f.severity.value)}: {md(title)} ({md(f.rule)})")
        place = ", ".join(
            x for x in (f"avsnitt {f.section}" if f.section else "", f"rad {f.line}" if f.line else "") if x
        )
        if place:
            lines.append(f"*{md(place)}*")
        lines.append("")
        lines.append("Saknas i utkastet." if f.missing else f"> {md(f.quote)}")
        lines.append("")
        lines.append(md(f.message))
        lines.append("")
        for c in f.sources:
            lines.append(f"- Källa: {md(c.title)}{', ' + md(where(c)) if where(c) else ''}: ”{md(c.quote)}”")
        lines.append(f"\n**Förslag:** {md(f.suggestion)}\n")
    return "\n".join(lines)


def report_html(name: str, findings: Sequence[Finding], rule_titles: dict[str, str], css: str = "") -> str:
    body = render_summary(findings, name) + render_findings(findings, "rule", rule_titles)
    return (
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">'
        f"<title>Granskning av {esc(name)}</title><style>{css}</style></head>"
        f"<body><h1>Granskning av {esc(name)}</h1>{body}</body></html>"
    )
