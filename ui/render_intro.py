"""HTML of the Introduktion tab: the map, its boxes and arrows as a list, the mandate checklist, who
decided which document, and the glossary with links into the map. Everything from documents is
escaped (quotes through the safe Markdown renderer)."""

from __future__ import annotations

import base64

from assistant.intro.diagram import edge_sentence, render_svg, standalone_svg
from assistant.intro.models import IntroData, MapEdge, RoleMap
from ui.markdown import render_inline
from ui.render import esc, kind_label, where

LEVELS_SV = {"strategisk": "strategisk nivå", "taktisk": "taktisk nivå", "operativ": "operativ nivå"}
MODALITY_SV = {"skyldighet": "ska", "befogenhet": "får", "rekommendation": "bör", "val": "kan"}
SOURCE_TYPE_SV = {"law": "lag", "policy": "policy", "guidance": "vägledning"}
MORE = 40  # statements listed per box beyond its summary
DECIDED_SHOWN = 50
QUOTE_CHARS = 320


def _source_type(value) -> str:
    return SOURCE_TYPE_SV.get(str(getattr(value, "value", value)), "")


def sources_html(sources, label: str | None = None) -> str:
    """The collapsible list of a statement's sources, each with its quote rendered (no raw Markdown)."""
    items = []
    for c in sources:
        meta = " · ".join(x for x in (kind_label(c.kind), where(c)) if x)
        repealed = ' <span class="badge badge-repealed">Upphävd</span>' if c.repealed else ""
        items.append(
            f'<li><span class="src-title">{esc(c.title)}</span>{repealed}'
            + (f' <span class="src-meta">{esc(meta)}</span>' if meta else "")
            + f"<blockquote>{render_inline(c.quote)}</blockquote></li>"
        )
    n = len(sources)
    label = label or ("Källa" if n == 1 else f"Källor ({n})")
    return f'<details class="intro-sources"><summary>{esc(label)}</summary><ul>{"".join(items)}</ul></details>'


def _statement(role) -> str:
    tag = _source_type(role.source_type)
    modal = MODALITY_SV.get(role.modality, role.modality)
    return (
        f'<li><p>{esc(role.text)} <span class="badge">{esc(tag)}</span> '
        f'<span class="badge badge-modal">{esc(modal)}</span></p>{sources_html(role.sources)}</li>'
    )


# --- the map -----------------------------------------------------------------------------------


def render_map(data: IntroData) -> str:
    """The diagram, a download of it as a file, and how to read it."""
    if not data.map.nodes:
        return "<p>Inga ansvarsuppgifter hittades i dokumenten, så det finns ingen karta att rita.</p>"
    svg = render_svg(data.map)
    file = base64.b64encode(standalone_svg(data.map).encode("utf-8")).decode("ascii")
    docs = len({s.doc for r in data.roles for s in r.sources})
    arrows = len({(e.source, e.target) for e in data.map.edges})
    return (
        '<div class="intro-map">'
        f'<div class="map-figure">{svg}</div>'
        f'<p class="map-help">Kartan är ritad ur {len(data.roles)} ansvarsuppgifter med källa i {docs} dokument: '
        f"{len(data.map.nodes)} aktörer och {arrows} pilar. Klicka på en ruta eller pil (eller gå dit med "
        "tabb-tangenten) för att se uppgifterna och deras källor. Samma innehåll finns som lista under "
        '<a href="#role-map-list" class="map-link">Aktörerna och deras uppgifter</a>.</p>'
        f'<p class="map-actions"><a class="map-download" download="styrdok-karta.svg" '
        f'href="data:image/svg+xml;base64,{file}">Ladda ner kartan som bild (SVG, för utskrift)</a></p>'
        "</div>"
    )


def _relations_of(node_id: str, role_map: RoleMap) -> list[tuple[str, str, list[MapEdge]]]:
    pairs: dict[tuple[str, str], list[MapEdge]] = {}
    for edge in role_map.edges:
        if node_id in (edge.source, edge.target):
            pairs.setdefault((edge.source, edge.target), []).append(edge)
    return [(s, t, edges) for (s, t), edges in pairs.items()]


def render_actors(data: IntroData) -> str:
    """Every box of the map as an expandable entry: summary, relations, decided documents, statements."""
    role_map = data.map
    if not role_map.nodes:
        return "<p>Inga ansvarsuppgifter hittades i dokumenten.</p>"
    parts = ['<div class="role-map" id="role-map-list">']
    for node in role_map.nodes:
        level = LEVELS_SV.get(node.level or "", "utanför kommunens organisation")
        n = len(node.statements)
        facts = []
        if node.themes:
            facts.append("Mest om: " + ", ".join(f"{esc(t)} ({c})" for t, c in node.themes[:4]))
        if node.topics:
            facts.append("Beslutar om: " + ", ".join(f"{esc(t)} ({c})" for t, c in node.topics[:5]))
        relations = [
            f'<a class="map-link" href="#map-edge-{esc(s)}-{esc(t)}">{esc(edge_sentence(s, t, edges, role_map))}</a>'
            for s, t, edges in _relations_of(node.id, role_map)
        ]
        if relations:
            facts.append("I kartan: " + "; ".join(relations))
        if node.decided:
            facts.append(
                f'Har enligt dokumentens beslutsrader beslutat <a class="map-link" href="#decided-{esc(node.id)}">'
                f"{node.decided} dokument</a>"
            )
        summary = [data.roles[i] for i in node.summary]
        rest = [data.roles[i] for i in node.statements if i not in set(node.summary)]
        more = ""
        if rest:
            shown = rest[:MORE]
            tail = (
                f'<p class="muted">… och {len(rest) - MORE} till (alla med <code>styrdok roles --actor</code>).</p>'
                if len(rest) > MORE
                else ""
            )
            more = (
                f'<details class="more-statements"><summary>Fler uppgifter ({len(rest)})</summary>'
                f"<ul>{''.join(_statement(r) for r in shown)}</ul>{tail}</details>"
            )
        parts.append(
            f'<details class="map-node role" id="map-node-{esc(node.id)}" data-node="{esc(node.id)}">'
            f'<summary><span class="actor">{esc(node.label)}</span> <span class="level">({esc(level)})</span> – '
            f"{n} uppgift{'er' if n != 1 else ''}</summary>"
            + "".join(f'<p class="actor-fact">{f}</p>' for f in facts)
            + (f'<ul class="statements">{"".join(_statement(r) for r in summary)}</ul>' if summary else "")
            + more
            + "</details>"
        )
    if role_map.edges:
        parts.append('<h3 class="map-edges-heading">Pilarna i kartan</h3>')
        seen: dict[tuple[str, str], list[MapEdge]] = {}
        for edge in role_map.edges:
            seen.setdefault((edge.source, edge.target), []).append(edge)
        for (s, t), edges in seen.items():
            count = len({i for e in edges for i in e.statements})
            body = "".join(
                f'<p class="edge-relation"><strong>{esc(e.label)}</strong></p>'
                f"<ul>{''.join(_statement(data.roles[i]) for i in e.statements[:MORE])}</ul>"
                for e in edges
            )
            parts.append(
                f'<details class="map-edge" id="map-edge-{esc(s)}-{esc(t)}">'
                f"<summary>{esc(edge_sentence(s, t, edges, role_map))} ({count})</summary>{body}</details>"
            )
    parts.append("</div>")
    return "".join(parts)


# --- what fullmäktige must decide --------------------------------------------------------------


def _short(text: str, limit: int = QUOTE_CHARS) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def render_mandate(data: IntroData) -> str:
    if not data.mandate:
        return "<p>Ingen checklista finns.</p>"
    items = []
    for item in data.mandate:
        basis = []
        for b in item.basis:
            if b.citation is None:
                basis.append(
                    f'<li><span class="basis-label">{esc(b.label)}</span> '
                    '<span class="muted">(lagtexten finns inte i biblioteket)</span></li>'
                )
            else:
                c = b.citation
                basis.append(
                    f'<li><span class="basis-label">{esc(b.label)}</span>'
                    f'<blockquote class="basis-quote">{render_inline(_short(c.quote))}</blockquote>'
                    f"{sources_html([c], 'Källa: ' + c.title + (', ' + where(c) if where(c) else ''))}</li>"
                )
        support = (
            '<div class="mandate-support">Så står det i kommunens och andras dokument: '
            f"{sources_html(item.support)}</div>"
            if item.support
            else ""
        )
        older = "".join(
            f'<div class="mandate-older"><span class="badge badge-repealed">Upphävd lag</span> '
            f"Hänvisning till {esc(o.label)}, som inte längre gäller, finns i "
            f"{esc(', '.join(dict.fromkeys(c.title for c in o.citations)))}. {sources_html(o.citations)}</div>"
            for o in item.older
        )
        items.append(
            f'<li class="mandate-item" id="mandate-{esc(item.id)}">'
            f'<div class="mandate-title"><strong>{esc(item.title)}</strong> '
            f'<span class="badge badge-when">{esc(item.when)}</span></div>'
            f'<div class="mandate-what">{esc(item.what)}</div>'
            f'<div class="mandate-basis-heading">Lagstöd:</div><ul class="mandate-basis">{"".join(basis)}</ul>'
            f"{support}{older}</li>"
        )
    return (
        '<div class="mandate"><p class="muted">Det fullmäktige själv beslutar under mandatperioden enligt lagarna i '
        "biblioteket, med lagrum och källa. Äldre hänvisningar till upphävda lagar i dokumenten markeras.</p>"
        f'<ol class="mandate-list">{"".join(items)}</ol></div>'
    )


# --- who decided which document ----------------------------------------------------------------


def render_decisions(data: IntroData) -> str:
    if not data.decisions:
        return (
            '<p class="muted">Inga dokument i biblioteket säger vem som har beslutat dem '
            "(raden ”Dokumentet är beslutat av …”).</p>"
        )
    groups: dict[str | None, list] = {}
    for d in data.decisions:
        groups.setdefault(d.node, []).append(d)
    labels = {n.id: n.label for n in data.map.nodes}
    order = [n.id for n in data.map.nodes if n.id in groups] + ([None] if None in groups else [])
    parts = [
        f'<p class="muted">{len(data.decisions)} dokument säger själva vem som har beslutat dem. '
        "Fråga till exempel <em>Vad har nämnden beslutat om?</em> under fliken Fråga.</p>"
    ]
    for node in order:
        docs = groups[node]
        label = labels.get(node, "Andra beslutsfattare") if node else "Andra beslutsfattare"
        rows = []
        for d in docs[:DECIDED_SHOWN]:
            when = f", {d.decided_on}" if d.decided_on else ""
            folder = f" · {d.citation.folder}" if d.citation.folder else ""
            rows.append(
                f'<li><span class="src-title">{esc(d.title)}</span> <span class="src-meta">'
                f"{esc(kind_label(d.kind))} · beslutat av {esc(d.decided_by)}{esc(when)}{esc(folder)}</span>"
                f"{sources_html([d.citation], 'Beslutsraden')}</li>"
            )
        tail = f'<p class="muted">… och {len(docs) - DECIDED_SHOWN} till.</p>' if len(docs) > DECIDED_SHOWN else ""
        ident = f' id="decided-{esc(node)}"' if node else ""
        parts.append(
            f'<details class="decided"{ident}><summary>{esc(label)} – {len(docs)} dokument</summary>'
            f"<ul>{''.join(rows)}</ul>{tail}</details>"
        )
    return f'<div class="decisions">{"".join(parts)}</div>'


# --- glossary ----------------------------------------------------------------------------------


def _map_links(term: str, data: IntroData) -> str:
    links = [
        f'<a class="map-link" href="#map-node-{esc(n.id)}">{esc(n.label)}</a>'
        for n in data.map.nodes
        if term.lower() in (t.lower() for t in n.terms)
    ]
    links += [
        f'<a class="map-link" href="#mandate-{esc(m.id)}">{esc(m.title)}</a>'
        for m in data.mandate
        if term.lower() in (t.lower() for t in m.terms)
    ]
    return f'<p class="map-links">I kartan: {", ".join(links)}</p>' if links else ""


def render_glossary(data: IntroData) -> str:
    if not data.glossary:
        return "<p>Inga begrepp hittades i dokumenten.</p>"
    rows = []
    for e in data.glossary:
        kind = "definition" if e.definition else "förklaring"
        tag = _source_type(e.source_type)
        related = f'<p class="muted">Se även: {esc(", ".join(e.related))}</p>' if e.related else ""
        rows.append(
            f'<div class="term"><dt>{esc(e.term)} <span class="badge">{esc(kind)}, {esc(tag)}</span></dt>'
            f"<dd><p>{esc(e.text)}</p>{_map_links(e.term, data)}{related}{sources_html(e.sources)}</dd></div>"
        )
    return f'<dl class="glossary">{"".join(rows)}</dl>'
