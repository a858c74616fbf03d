"""`styrdok roles`, `styrdok glossary` and `styrdok starters`: the introduction on the command line.

The lead registers the commands on the main group: main.add_command(roles_command) etc.
A test (or the UI) can inject a library (or a Styrdok) with `ctx.obj = {"library": lib}`.
Everything goes through assistant.api.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from assistant.api import Styrdok
from assistant.cli_options import index_option
from assistant.errors import StyrdokError
from assistant.intro.config import default_config
from assistant.intro.models import SOURCE_TYPE_LABELS_SV, GlossaryEntry, RoleStatement
from assistant.models import Citation

_INDEX = index_option("index_dir")
_JSON = click.option("--json", "as_json", is_flag=True, help="Skriv resultatet som JSON.")
_LEVEL_SV = {"strategisk": "strategisk nivå", "taktisk": "taktisk nivå", "operativ": "operativ nivå"}


def open_library(index_dir: Path | None):
    """The index without an embedder (roles and glossary need no vectors). Patched in tests."""
    return Styrdok.open(index_dir, use_embedder=False)


def _api(ctx: click.Context, index_dir: Path | None) -> Styrdok:
    injected = (ctx.obj or {}).get("library") if isinstance(ctx.obj, dict) else None
    return Styrdok.wrap(injected if injected is not None else open_library(index_dir))


def _fail(error: StyrdokError) -> None:
    raise click.ClickException(str(error)) from error


@click.command("roles")
@_JSON
@_INDEX
@click.option("--actor", "actors", multiple=True, help="Visa bara denna aktör (id, t.ex. fullmaktige). Kan upprepas.")
@click.option("--all", "show_all", is_flag=True, help="Visa alla påståenden, inte bara de första per aktör.")
@click.pass_context
def roles_command(
    ctx: click.Context, as_json: bool, index_dir: Path | None, actors: tuple[str, ...], show_all: bool
) -> None:
    """Vem ansvarar för vad: påståenden ur dokumenten, grupperade per aktör och beslutsnivå."""
    try:
        roles = _api(ctx, index_dir).roles()
    except StyrdokError as error:
        _fail(error)
    if actors:
        roles = [r for r in roles if r.actor in actors]
    if as_json:
        click.echo(json.dumps([r.public() for r in roles], ensure_ascii=False, indent=2))
        return
    if not roles:
        click.echo("Inga ansvarspåståenden hittades. Finns det dokument i indexet? Kör 'styrdok ingest' först.")
        return
    click.echo(render_roles(roles, limit=None if show_all else 8))


@click.command("glossary")
@_JSON
@_INDEX
@click.option("--term", "terms", multiple=True, help="Visa bara detta begrepp. Kan upprepas.")
@click.pass_context
def glossary_command(ctx: click.Context, as_json: bool, index_dir: Path | None, terms: tuple[str, ...]) -> None:
    """Begrepp med definition eller förklaring ur dokumenten, med källor och närliggande begrepp."""
    try:
        glossary = _api(ctx, index_dir).glossary()
    except StyrdokError as error:
        _fail(error)
    if terms:
        wanted = {t.lower() for t in terms}
        glossary = [g for g in glossary if g.term.lower() in wanted]
    if as_json:
        click.echo(json.dumps([g.public() for g in glossary], ensure_ascii=False, indent=2))
        return
    if not glossary:
        click.echo("Inga begrepp hittades. Finns det dokument i indexet? Kör 'styrdok ingest' först.")
        return
    click.echo(render_glossary(glossary))


@click.command("map")
@_JSON
@_INDEX
@click.option("--svg", "svg_path", type=click.Path(dir_okay=False, path_type=Path), help="Spara kartan som SVG-bild.")
@click.pass_context
def map_command(ctx: click.Context, as_json: bool, index_dir: Path | None, svg_path: Path | None) -> None:
    """Kartan: aktörer per beslutsnivå, relationerna mellan dem, vad fullmäktige måste besluta och vem som har
    beslutat vilka dokument – allt med källor."""
    try:
        data = _api(ctx, index_dir).intro()
    except StyrdokError as error:
        _fail(error)
    if svg_path is not None:
        from assistant.intro.diagram import standalone_svg

        svg_path.write_text(standalone_svg(data.map), encoding="utf-8")
    if as_json:
        click.echo(json.dumps(map_public(data), ensure_ascii=False, indent=2))
        return
    click.echo(render_map(data))
    if svg_path is not None:
        click.echo(f"\nKartan är sparad som {svg_path}.")


def map_public(data) -> dict:
    """JSON shape of `styrdok map --json`."""
    roles = data.roles

    def statement(i: int) -> dict:
        return {"actor": roles[i].actor, "text": roles[i].text, "sources": [s.public() for s in roles[i].sources]}

    return {
        "nodes": [
            {
                "id": n.id,
                "label": n.label,
                "level": n.level,
                "statements": len(n.statements),
                "summary": [statement(i) for i in n.summary],
                "themes": [{"theme": t, "statements": c} for t, c in n.themes],
                "decides_on": [{"topic": t, "statements": c} for t, c in n.topics],
                "decided_documents": n.decided,
            }
            for n in data.map.nodes
        ],
        "edges": [
            {
                "source": e.source,
                "target": e.target,
                "relation": e.relation,
                "label": e.label,
                "statements": [statement(i) for i in e.statements],
            }
            for e in data.map.edges
        ],
        "mandate": [m.public() for m in data.mandate],
        "decisions": [d.public() for d in data.decisions],
    }


@click.command("starters")
@_JSON
@_INDEX
@click.pass_context
def starters_command(ctx: click.Context, as_json: bool, index_dir: Path | None) -> None:
    """Startfrågor per roll som dokumenten faktiskt kan besvara (kontrollerade med källor)."""
    try:
        obj = ctx.obj if isinstance(ctx.obj, dict) else {}
        injected = obj.get("library")
        api = Styrdok.wrap(injected) if injected is not None else Styrdok.open(index_dir)  # search wants vectors
        starters = api.starters(answerer=obj.get("answerer"))
    except StyrdokError as error:
        _fail(error)
    if as_json:
        click.echo(json.dumps([s.public() for s in starters], ensure_ascii=False, indent=2))
        return
    labels = {a.id: a.label for a in default_config().actors}
    current = None
    for starter in starters:
        if starter.actor != current:
            current = starter.actor
            click.echo(f"\n{labels.get(current, current)}")
        click.echo(f"  • {starter.question}")


# -- readable Swedish listings ------------------------------------------------------------------


def _where(source: Citation) -> str:
    parts = [source.title]
    if source.section:
        parts.append(source.section)
    if source.page:
        parts.append(f"s. {source.page}")
    return ", ".join(parts)


def render_roles(roles: list[RoleStatement], limit: int | None = 8) -> str:
    """Grouped by actor, then by level; laws before policies before guidance within each."""
    lines: list[str] = []
    by_actor: dict[str, list[RoleStatement]] = {}
    for role in roles:
        by_actor.setdefault(role.actor, []).append(role)
    for statements in by_actor.values():
        first = statements[0]
        level = f" ({_LEVEL_SV[first.level]})" if first.level in _LEVEL_SV else ""
        lines.append(f"{first.actor_label}{level} – {len(statements)} påståenden")
        for role in statements[:limit] if limit else statements:
            marker = f"[{SOURCE_TYPE_LABELS_SV[role.source_type]}]"
            lines.append(f"  • {role.text} {marker}")
            for source in role.sources:
                lines.append(f"      Källa: {_where(source)}")
        if limit and len(statements) > limit:
            lines.append(f"  … och {len(statements) - limit} till (visa alla med --all).")
        lines.append("")
    return "\n".join(lines).rstrip()


def render_map(data) -> str:
    """The map as text: boxes with counts, arrows with their first source, the checklist, decisions per box."""
    labels = {n.id: n.label for n in data.map.nodes}
    lines = ["Aktörer"]
    for n in data.map.nodes:
        level = _LEVEL_SV.get(n.level or "", "utanför kommunen")
        decided = f", har beslutat {n.decided} dokument" if n.decided else ""
        lines.append(f"  {n.label} ({level}): {len(n.statements)} uppgifter{decided}")
        if n.topics:
            lines.append("    beslutar om: " + ", ".join(f"{t} ({c})" for t, c in n.topics[:5]))
    lines.append("\nRelationer")
    for e in data.map.edges:
        first = data.roles[e.statements[0]]
        lines.append(f"  {labels[e.source]} {e.label} {labels[e.target].lower()} ({len(e.statements)})")
        lines.append(f"    ”{first.text[:160]}” – {_where(first.sources[0])}")
    lines.append("\nDet här måste fullmäktige besluta")
    for item in data.mandate:
        basis = "; ".join(b.label + ("" if b.citation else " (lagtexten saknas i indexet)") for b in item.basis)
        lines.append(f"  • {item.title} – {item.when.lower()}: {basis}")
        for older in item.older:
            titles = ", ".join(dict.fromkeys(c.title for c in older.citations))
            lines.append(f"    Upphävd: {older.label}, citerad i {titles}")
    return "\n".join(lines)


def render_glossary(glossary: list[GlossaryEntry]) -> str:
    """Alphabetical; each term with its passage, sources and related terms."""
    lines: list[str] = []
    for entry in glossary:
        kind = "definition" if entry.definition else "förklaring"
        lines.append(f"{entry.term} ({kind}, {SOURCE_TYPE_LABELS_SV[entry.source_type]})")
        lines.append(f"  {entry.text}")
        for source in entry.sources:
            lines.append(f"  Källa: {_where(source)}")
        if entry.related:
            lines.append(f"  Se även: {', '.join(entry.related)}")
        lines.append("")
    return "\n".join(lines).rstrip()
