"""Render lint results: a terminal report, JSON, Markdown and HTML.

Every report says what kind of document the draft was read as (and why), then lists the findings
most important first: errors, then warnings, then information; a finding that recurs lists its
other places instead of being repeated.
"""

from __future__ import annotations

import html
import json
from collections import Counter

import click
from pydantic import BaseModel, Field

from assistant.lint.draft import Draft
from assistant.models import Finding, Severity
from assistant.text import md_literal as md

SEVERITY_SV = {Severity.error: "FEL", Severity.warning: "VARNING", Severity.info: "INFO"}
SEVERITY_COLOR = {Severity.error: "red", Severity.warning: "yellow", Severity.info: "cyan"}
WHOLE_DOCUMENT = "Hela dokumentet"
TOP = 10  # the findings a drafter sees first


class DraftResult(BaseModel):
    """Findings for one draft, with the section heading each finding belongs to."""

    draft: str = Field(description="File name of the draft.")
    path: str = ""
    findings: list[Finding] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list, description="Section heading per finding.")
    error: str | None = Field(None, description="Why the draft could not be read.")
    classification: dict | None = Field(None, description="Kind of document: kind, label, reason, welfare.")

    @classmethod
    def build(cls, draft: Draft, findings: list[Finding]) -> DraftResult:
        classification = draft.classification.public() if draft.classification is not None else None
        return cls(
            draft=draft.name,
            path=draft.path,
            findings=findings,
            groups=[_group(draft, f) for f in findings],
            classification=classification,
        )

    def kind_line(self) -> str:
        """'Dokumentslag: … (reason)' in Swedish, or '' when the draft was not classified."""
        c = self.classification
        return f"Dokumentslag: {c['label']} – {c['reason']}" if c else ""

    def ranked(self) -> list[tuple[str, Finding]]:
        """(section heading, finding), most important first (lint returns findings ranked)."""
        return list(zip(self.groups or [WHOLE_DOCUMENT] * len(self.findings), self.findings, strict=True))

    def summary(self) -> str:
        counts = Counter(f.severity for f in self.findings)
        if not self.findings:
            return "inga fynd"
        parts = [
            f"{counts[s]} {name}"
            for s, name in ((Severity.error, "fel"), (Severity.warning, "varningar"), (Severity.info, "info"))
            if counts[s]
        ]
        return f"{len(self.findings)} fynd: " + ", ".join(parts)


def _group(draft: Draft, finding: Finding) -> str:
    if finding.missing or finding.quote is None:
        return WHOLE_DOCUMENT
    sentence = next((s for s in draft.sentences if s.text == finding.quote and s.line == finding.line), None)
    if sentence is None:
        return WHOLE_DOCUMENT
    chain = draft.scope_sections(sentence)
    return chain[-1].label if chain else "Före första rubriken"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _place(group: str, finding: Finding) -> str:
    """Where the finding is, with the heading it stands under."""
    where = _where(finding)
    return where if group == WHOLE_DOCUMENT or finding.missing else f"{where} – {group}"


def _where(finding: Finding) -> str:
    parts = []
    if finding.section:
        parts.append(f"punkt {finding.section}")
    if finding.page is not None:
        parts.append(f"sida {finding.page}")
    if finding.line is not None:
        parts.append(f"rad {finding.line}")
    return ", ".join(parts) if parts else "saknas i dokumentet"


def render_json(results: list[DraftResult]) -> str:
    """The JSON shape of the CLI contract."""
    drafts = []
    for result in results:
        item: dict = {"draft": result.draft, "findings": [f.public() for f in result.findings]}
        if result.classification is not None:
            item["classification"] = result.classification
        if result.error:
            item["error"] = result.error
        drafts.append(item)
    return json.dumps({"drafts": drafts}, ensure_ascii=False, indent=2)


def render_text(results: list[DraftResult], color: bool = False) -> str:
    """Readable terminal report: the kind of document, then the findings most important first."""

    def style(text: str, **kwargs) -> str:
        return click.style(text, **kwargs) if color else text

    out: list[str] = []
    for result in results:
        out.append(
            style(f"{result.draft}: ", bold=True)
            + (f"kunde inte läsas: {result.error}" if result.error else result.summary())
        )
        if result.kind_line():
            out.append("  " + result.kind_line())
        for number, (group, f) in enumerate(result.ranked(), start=1):
            if number == TOP + 1:
                out += ["", "  " + style("Övriga fynd", bold=True, underline=True)]
            out.append("")
            label = style(SEVERITY_SV[f.severity], fg=SEVERITY_COLOR[f.severity], bold=True)
            out.append(f"  {number}. {label} [{f.rule}] {_place(group, f)}")
            if f.quote:
                out.append(f"    ”{f.quote}”")
            out.append(f"    {f.message}")
            out.append(f"    Förslag: {f.suggestion}")
            for source in f.sources:
                page = f", s. {source.page}" if source.page else ""
                line = f"    Källa: {source.title} ({source.doc}{page}): ”{_flat(source.quote)}”"
                out.append(style(line, dim=True))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def render_markdown(results: list[DraftResult]) -> str:
    """Markdown report: one heading per draft, its kind of document, the findings most important first.

    Draft and document text is escaped (`md`): a viewer must not run HTML or follow links from it.
    """
    out = ["# Granskning av förfrågningsunderlag", ""]
    for result in results:
        out += [f"## {md(result.draft)}", ""]
        if result.error:
            out += [f"Kunde inte läsas: {md(result.error)}", ""]
            continue
        out += [f"{result.summary().capitalize()}.", ""]
        if result.kind_line():
            out += [md(result.kind_line()), ""]
        for number, (group, f) in enumerate(result.ranked(), start=1):
            if number == 1:
                out += ["### Viktigast först", ""]
            if number == TOP + 1:
                out += ["### Övriga fynd", ""]
            out.append(f"{number}. **{SEVERITY_SV[f.severity]}** `{f.rule}` ({md(_place(group, f))})")
            if f.quote:
                out.append(f"   > {md(f.quote)}")
                out.append("")
            out.append(f"   {md(f.message)}")
            out.append(f"   *Förslag:* {md(f.suggestion)}")
            for source in f.sources:
                page = f", s. {source.page}" if source.page else ""
                out.append(f"   *Källa:* {md(source.title)} ({md(source.doc)}{page}): ”{md(source.quote)}”")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


_CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
.f{border-left:4px solid #999;padding:.4rem .8rem;margin:.8rem 0;background:#fafafa}
.error{border-color:#c0392b}.warning{border-color:#e67e22}.info{border-color:#2980b9}
.sev{font-weight:bold}.error .sev{color:#c0392b}.warning .sev{color:#b9650f}.info .sev{color:#2980b9}
blockquote{margin:.3rem 0;padding-left:.6rem;border-left:2px solid #ccc;color:#444}
.src{font-size:.9em;color:#555}code{background:#eee;padding:0 .2rem}.kind{color:#333;font-style:italic}"""


def render_html(results: list[DraftResult]) -> str:
    """Self-contained HTML report."""
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="sv"><head><meta charset="utf-8">',
        "<title>Granskning av förfrågningsunderlag</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Granskning av förfrågningsunderlag</h1>",
    ]
    for result in results:
        out.append(f"<h2>{e(result.draft)}</h2>")
        if result.error:
            out.append(f"<p>Kunde inte läsas: {e(result.error)}</p>")
            continue
        out.append(f"<p>{e(result.summary().capitalize())}.</p>")
        if result.kind_line():
            out.append(f'<p class="kind">{e(result.kind_line())}</p>')
        for number, (group, f) in enumerate(result.ranked(), start=1):
            if number == 1:
                out.append("<h3>Viktigast först</h3>")
            if number == TOP + 1:
                out.append("<h3>Övriga fynd</h3>")
            sev = f.severity.value
            out.append(
                f'<div class="f {sev}"><span class="sev">{number}. {SEVERITY_SV[f.severity]}</span> '
                f"<code>{e(f.rule)}</code> <small>{e(_place(group, f))}</small>"
            )
            if f.quote:
                out.append(f"<blockquote>{e(f.quote)}</blockquote>")
            out.append(f"<p>{e(f.message)}</p><p><em>Förslag:</em> {e(f.suggestion)}</p>")
            for source in f.sources:
                page = f", s. {source.page}" if source.page else ""
                out.append(f'<p class="src">Källa: {e(source.title)} ({e(source.doc)}{page}): ”{e(source.quote)}”</p>')
            out.append("</div>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
