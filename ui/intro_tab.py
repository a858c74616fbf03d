"""The Introduktion tab for new politicians: who does what (role map) and a glossary, each with sources."""

from __future__ import annotations

import logging

import gradio as gr

from assistant.api import Styrdok
from ui.render import esc, kind_label, where

log = logging.getLogger(__name__)

PLACEHOLDER = (
    '<div class="intro-placeholder" role="status"><p>Introduktionen tas fram ur dokumenten i biblioteket: '
    "vem som gör vad (fullmäktige, nämnd, beställare, utförare …) och en ordlista, med källa för varje uppgift. "
    "Det tar en stund första gången.</p></div>"
)
LEVELS_SV = {"strategisk": "strategisk nivå", "taktisk": "taktisk nivå", "operativ": "operativ nivå"}
MODALITY_SV = {"skyldighet": "ska", "befogenhet": "får", "rekommendation": "bör", "val": "kan"}
SOURCE_TYPE_SV = {"law": "lag", "policy": "policy", "guidance": "vägledning"}


def cached_starters(library, limit: int = 6) -> list[str] | None:
    """Verified starter questions from the intro cache, without building anything."""
    try:
        data = Styrdok.wrap(library).cached_intro()
    except Exception:  # an unreadable or old cache: use the defaults
        return None
    if data is None or not data.starters:
        return None
    by_actor: dict[str, list[str]] = {}
    for s in data.starters:
        by_actor.setdefault(s.actor, []).append(s.question)
    # One per role first, so the suggestions cover different roles.
    picked = [qs[0] for qs in by_actor.values()] + [q for qs in by_actor.values() for q in qs[1:]]
    return picked[:limit] or None


def _source_type(value) -> str:
    return SOURCE_TYPE_SV.get(str(getattr(value, "value", value)), "")


def _sources(sources) -> str:
    items = []
    for c in sources:
        meta = " · ".join(x for x in (kind_label(c.kind), where(c)) if x)
        items.append(
            f'<li><span class="src-title">{esc(c.title)}</span>'
            + (f' <span class="src-meta">{esc(meta)}</span>' if meta else "")
            + f"<blockquote>{esc(c.quote)}</blockquote></li>"
        )
    n = len(sources)
    label = "Källa" if n == 1 else f"Källor ({n})"
    return f'<details class="intro-sources"><summary>{label}</summary><ul>{"".join(items)}</ul></details>'


def render_roles(roles, per_actor: int = 8) -> str:
    if not roles:
        return "<p>Inga ansvarsuppgifter hittades i dokumenten.</p>"
    by_actor: dict[str, list] = {}
    for r in roles:
        by_actor.setdefault(r.actor, []).append(r)
    parts = []
    for statements in by_actor.values():
        first = statements[0]
        level = LEVELS_SV.get(first.level or "", "")
        items = []
        for r in statements[:per_actor]:
            tag = _source_type(r.source_type)
            modal = MODALITY_SV.get(r.modality, r.modality)
            items.append(
                f'<li><p>{esc(r.text)} <span class="badge">{esc(tag)}</span> '
                f'<span class="badge badge-modal">{esc(modal)}</span></p>{_sources(r.sources)}</li>'
            )
        more = len(statements) - per_actor
        rest = f'<p class="muted">… och {more} uppgifter till.</p>' if more > 0 else ""
        parts.append(
            f'<section class="role"><h3>{esc(first.actor_label)}'
            + (f' <span class="level">({esc(level)})</span>' if level else "")
            + f"</h3><ul>{''.join(items)}</ul>{rest}</section>"
        )
    return f'<div class="role-map">{"".join(parts)}</div>'


def render_glossary(entries) -> str:
    if not entries:
        return "<p>Inga begrepp hittades i dokumenten.</p>"
    rows = []
    for e in entries:
        kind = "definition" if e.definition else "förklaring"
        tag = _source_type(e.source_type)
        related = f'<p class="muted">Se även: {esc(", ".join(e.related))}</p>' if e.related else ""
        rows.append(
            f'<div class="term"><dt>{esc(e.term)} <span class="badge">{esc(kind)}, {esc(tag)}</span></dt>'
            f"<dd><p>{esc(e.text)}</p>{related}{_sources(e.sources)}</dd></div>"
        )
    return f'<dl class="glossary">{"".join(rows)}</dl>'


def build(services):
    gr.Markdown(
        "För dig som är ny i en nämnd eller i fullmäktige: vem gör vad när kommunen anlitar privata utförare, "
        "och vad betyder orden. Allt är hämtat ur dokumenten i biblioteket, med källa."
    )
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=360):
            gr.Markdown("## Vem gör vad")
            roles_html = gr.HTML(PLACEHOLDER, elem_id="role-map", padding=True)
        with gr.Column(scale=2, min_width=320):
            gr.Markdown("## Ordlista")
            glossary_html = gr.HTML(PLACEHOLDER, elem_id="glossary", padding=True)

    def load(request: gr.Request, progress=gr.Progress()):  # noqa: B008 (Gradio injects it)
        from ui.auth import who

        user = who(services, request)
        progress(0.1, desc="Tar fram introduktionen ur dokumenten")
        try:
            data = services.intro(user)
        except Exception:
            log.exception("Introduktionen kunde inte tas fram")
            message = '<div class="error-box" role="alert">Introduktionen kunde inte tas fram. Se serverns logg.</div>'
            return message, message
        return render_roles(data.roles), render_glossary(data.glossary)

    return load, [roles_html, glossary_html]
