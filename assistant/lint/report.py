"""Render lint results: a terminal report grouped by section, JSON, Markdown and HTML."""

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


class DraftResult(BaseModel):
    """Findings for one draft, with the section heading each finding belongs to."""

    draft: str = Field(description="File name of the draft.")
    path: str = ""
    findings: list[Finding] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list, description="Section heading per finding.")
    error: str | None = Field(None, description="Why the draft could not be read.")

    @classmethod
    def build(cls, draft: Draft, findings: list[Finding]) -> DraftResult:
        return cls(draft=draft.name, path=draft.path, findings=findings, groups=[_group(draft, f) for f in findings])

    def grouped(self) -> list[tuple[str, list[Finding]]]:
        """Findings by section heading, in document order; whole-document findings last."""
        order: dict[str, list[Finding]] = {}
        for group, finding in zip(self.groups or [WHOLE_DOCUMENT] * len(self.findings), self.findings, strict=True):
            order.setdefault(group, []).append(finding)
        tail = order.pop(WHOLE_DOCUMENT, None)
        items = list(order.items())
        return items + ([(WHOLE_DOCUMENT, tail)] if tail else [])

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
        if result.error:
            item["error"] = result.error
        drafts.append(item)
    return json.dumps({"drafts": drafts}, ensure_ascii=False, indent=2)


def render_text(results: list[DraftResult], color: bool = False) -> str:
    """Readable terminal report, grouped by section."""

    def style(text: str, **kwargs) -> str:
        return click.style(text, **kwargs) if color else text

    out: list[str] = []
    for result in results:
        out.append(
            style(f"{result.draft}: ", bold=True)
            + (f"kunde inte läsas: {result.error}" if result.error else result.summary())
        )
        for group, findings in result.grouped():
            out.append("")
            out.append("  " + style(group, bold=True, underline=True))
            for f in findings:
                label = style(SEVERITY_SV[f.severity], fg=SEVERITY_COLOR[f.severity], bold=True)
                out.append(f"  {label} [{f.rule}] {_where(f)}")
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
    """Markdown report: one heading per draft and per section.

    Draft and document text is escaped (`md`): a viewer must not run HTML or follow links from it.
    """
    out = ["# Granskning av förfrågningsunderlag", ""]
    for result in results:
        out += [f"## {md(result.draft)}", ""]
        if result.error:
            out += [f"Kunde inte läsas: {md(result.error)}", ""]
            continue
        out += [f"{result.summary().capitalize()}.", ""]
        for group, findings in result.grouped():
            out += [f"### {md(group)}", ""]
            for f in findings:
                out.append(f"- **{SEVERITY_SV[f.severity]}** `{f.rule}` ({md(_where(f))})")
                if f.quote:
                    out.append(f"  > {md(f.quote)}")
                    out.append("")
                out.append(f"  {md(f.message)}")
                out.append(f"  *Förslag:* {md(f.suggestion)}")
                for source in f.sources:
                    page = f", s. {source.page}" if source.page else ""
                    out.append(f"  *Källa:* {md(source.title)} ({md(source.doc)}{page}): ”{md(source.quote)}”")
                out.append("")
    return "\n".join(out).rstrip() + "\n"


_CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
.f{border-left:4px solid #999;padding:.4rem .8rem;margin:.8rem 0;background:#fafafa}
.error{border-color:#c0392b}.warning{border-color:#e67e22}.info{border-color:#2980b9}
.sev{font-weight:bold}.error .sev{color:#c0392b}.warning .sev{color:#b9650f}.info .sev{color:#2980b9}
blockquote{margin:.3rem 0;padding-left:.6rem;border-left:2px solid #ccc;color:#444}
.src{font-size:.9em;color:#555}code{background:#eee;padding:0 .2rem}"""


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
        for group, findings in result.grouped():
            out.append(f"<h3>{e(group)}</h3>")
            for f in findings:
                sev = f.severity.value
                out.append(
                    f'<div class="f {sev}"><span class="sev">{SEVERITY_SV[f.severity]}</span> '
                    f"<code>{e(f.rule)}</code> <small>{e(_where(f))}</small>"
                )
                if f.quote:
                    out.append(f"<blockquote>{e(f.quote)}</blockquote>")
                out.append(f"<p>{e(f.message)}</p><p><em>Förslag:</em> {e(f.suggestion)}</p>")
                for source in f.sources:
                    page = f", s. {source.page}" if source.page else ""
                    out.append(
                        f'<p class="src">Källa: {e(source.title)} ({e(source.doc)}{page}): ”{e(source.quote)}”</p>'
                    )
                out.append("</div>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
