"""The map as an SVG image, made on the server: boxes in bands by decision level, arrows for relations.

Box places come from map.yaml (band and column); arrows are routed here: straight where that
crosses no other box, else bent just enough to pass beside them. Each box and arrow is a link to
its statements (`interactive`), or plain shapes for the printable file. Everything shown comes
from the RoleMap, so a different library draws a different map.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

from assistant.intro.mapdata import MapConfig, default_map_config
from assistant.intro.models import MapEdge, RoleMap

WIDTH, HEIGHT = 1200, 690
BOX_W, BOX_H = 204, 112
COL_STEP, LEFT = 226, 24
BAND_TOP, BAND_H, BAND_GAP = 14, 206, 12
OUTSIDE_X = 972
LINE_H = 15
CHARS_PER_LINE = 29
TITLE_CHARS = 20
LABEL_CHAR_W = 6.4
RELATION_COLOURS = {
    "beslutar_om": "#1d4ed8",
    "ger_uppdrag": "#6d28d9",
    "foljer_upp": "#047857",
    "tillsyn": "#b91c1c",
    "valjer": "#92400e",
}
LEVEL_STYLE = {
    "strategisk": ("#dbeafe", "#1d4ed8"),
    "taktisk": ("#e0e7ff", "#4338ca"),
    "operativ": ("#dcfce7", "#15803d"),
}
OUTSIDE_STYLE = ("#fef3c7", "#b45309")
STYLE = """
.smap-band { fill: #f9fafb; stroke: #e5e7eb; }
.smap-outside { fill: #fffbeb; stroke: #fde68a; }
.smap-band-label { font: 700 13px system-ui, sans-serif; fill: #374151; }
.smap-title { font: 700 14px system-ui, sans-serif; fill: #111827; }
.smap-text { font: 12px system-ui, sans-serif; fill: #1f2937; }
.smap-edge-label { font: 600 12px system-ui, sans-serif; }
.smap-label-bg { fill: #ffffff; fill-opacity: .92; }
.smap-link { cursor: pointer; text-decoration: none; }
.smap-link text { text-decoration: none; }
.smap-link:hover .smap-box, .smap-link:focus .smap-box { stroke-width: 4; }
.smap-link:hover .smap-line, .smap-link:focus .smap-line { stroke-width: 4; }
.smap-link:focus { outline: 3px solid #f59e0b; outline-offset: 2px; }
"""


@dataclass
class Box:
    x: float
    y: float
    w: float = BOX_W
    h: float = BOX_H

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def contains(self, x: float, y: float, pad: float = 0) -> bool:
        return self.x - pad <= x <= self.x + self.w + pad and self.y - pad <= y <= self.y + self.h + pad

    def overlaps(self, other: Box) -> bool:
        return not (
            self.x + self.w < other.x
            or other.x + other.w < self.x
            or self.y + self.h < other.y
            or other.y + other.h < self.y
        )


@dataclass
class Arrow:
    source: str
    target: str
    edges: list[MapEdge]
    start: tuple[float, float]
    control: tuple[float, float]
    end: tuple[float, float]
    label: tuple[float, float]
    label_box: Box


def _band(level: str, config: MapConfig) -> int:
    return list(config.levels).index(level)


def place_boxes(role_map: RoleMap, config: MapConfig | None = None) -> dict[str, Box]:
    """Where each box of the map sits: its band (level) and column, from map.yaml."""
    config = config or default_map_config()
    boxes = {}
    for node in role_map.nodes:
        spec = config.node(node.id)
        if spec.level is None:
            x, band = OUTSIDE_X, spec.row
        else:
            x, band = LEFT + spec.col * COL_STEP, _band(spec.level, config)
        y = BAND_TOP + band * (BAND_H + BAND_GAP) + (34 if spec.level else 46)  # room for the column's 2-line label
        boxes[node.id] = Box(x, y)
    return boxes


def _bezier(p0, c, p1, t: float) -> tuple[float, float]:
    u = 1 - t
    return (u * u * p0[0] + 2 * u * t * c[0] + t * t * p1[0], u * u * p0[1] + 2 * u * t * c[1] + t * t * p1[1])


def _clip(box: Box, inside: tuple[float, float], toward: tuple[float, float]) -> tuple[float, float]:
    """The point where the line from the box's centre toward `toward` leaves the box (plus a small gap)."""
    dx, dy = toward[0] - inside[0], toward[1] - inside[1]
    if dx == dy == 0:
        return inside
    scale = min(
        (box.w / 2 + 3) / abs(dx) if dx else math.inf,
        (box.h / 2 + 3) / abs(dy) if dy else math.inf,
    )
    return inside[0] + dx * scale, inside[1] + dy * scale


def _crossings(p0, c, p1, boxes: list[Box]) -> int:
    points = [_bezier(p0, c, p1, i / 40) for i in range(3, 38)]
    return sum(1 for box in boxes if any(box.contains(x, y, pad=6) for x, y in points))


def _place_label(start, control, end, w: float, h: float, taken: list[Box]) -> tuple[Box, bool]:
    """A place on the curve for a label of w x h that covers no box and no other label, if there is one."""
    first = None
    for t in (0.5, 0.4, 0.6, 0.32, 0.68, 0.25, 0.75):
        x, y = _bezier(start, control, end, t)
        box = Box(x - w / 2, y - h / 2, w, h)
        first = first or box
        if not any(box.overlaps(other) for other in taken):
            return box, True
    return first, False


def _label_size(lines: list[str]) -> tuple[float, float]:
    return max(len(s) for s in lines) * LABEL_CHAR_W + 10, len(lines) * LINE_H + 4


def route(role_map: RoleMap, boxes: dict[str, Box]) -> list[Arrow]:
    """One arrow per pair of boxes (all relations of the pair on its label), bent around other boxes."""
    pairs: dict[tuple[str, str], list[MapEdge]] = {}
    for edge in role_map.edges:
        if edge.source in boxes and edge.target in boxes:
            pairs.setdefault((edge.source, edge.target), []).append(edge)
    arrows: list[Arrow] = []
    taken: list[Box] = list(boxes.values())
    for (source, target), edges in pairs.items():
        a, b = boxes[source], boxes[target]
        others = [box for key, box in boxes.items() if key not in (source, target)]
        mid = ((a.cx + b.cx) / 2, (a.cy + b.cy) / 2)
        length = math.hypot(b.cx - a.cx, b.cy - a.cy) or 1
        normal = (-(b.cy - a.cy) / length, (b.cx - a.cx) / length)
        reverse = (target, source) in pairs
        offsets = [0, 40, -40, 80, -80, 130, -130, 190, -190, 260, -260]
        if reverse:  # two arrows between the same boxes bend apart
            offsets = [o for o in offsets if o > 0] if source < target else [o for o in offsets if o < 0]
        w, h = _label_size([e.label for e in edges])
        best = None
        for offset in offsets:
            control = (mid[0] + normal[0] * 2 * offset, mid[1] + normal[1] * 2 * offset)
            crossings = _crossings((a.cx, a.cy), control, (b.cx, b.cy), others)
            start, end = _clip(a, (a.cx, a.cy), control), _clip(b, (b.cx, b.cy), control)
            label_box, fits = _place_label(start, control, end, w, h, taken)
            score = (crossings, not fits)
            if best is None or score < best[0]:
                best = (score, control, start, end, label_box)
            if score == (0, False):
                break
        _, control, start, end, label_box = best
        taken.append(label_box)
        arrows.append(Arrow(source, target, edges, start, control, end, (label_box.cx, label_box.cy), label_box))
    return arrows


def _wrap(text: str, width: int = CHARS_PER_LINE, lines: int = 2) -> list[str]:
    out: list[str] = []
    for word in text.split():
        if out and len(out[-1]) + 1 + len(word) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1].rstrip(" ,") + "…"
    return out


def box_lines(node, lines: int = 3) -> list[str]:
    """The small print of a box (at most `lines`): statements, documents decided, what it decides or is about."""
    n = len(node.statements)
    out = [f"{n} uppgift" + ("er" if n != 1 else "") if n else "Inga egna uppgifter i dokumenten"]
    if node.decided:
        out.append(f"Har beslutat {node.decided} dokument")
    themes = [t for t, _ in node.themes if t != "övrigt"]
    if node.topics:
        detail = "Beslutar om " + ", ".join(t for t, _ in node.topics[:2])
    elif themes:
        detail = "Mest om " + themes[0]
    else:
        detail = ""
    room = lines - len(out)
    if detail and room > 0:
        out += _wrap(detail, lines=room)
    return out


def node_name(node_id: str, role_map: RoleMap) -> str:
    node = role_map.node(node_id)
    return node.label if node else node_id


def edge_sentence(source: str, target: str, edges: list[MapEdge], role_map: RoleMap) -> str:
    """'Fullmäktige beslutar om och följer upp Privata utförare'."""
    verbs = [e.label for e in edges]
    joined = verbs[0] if len(verbs) == 1 else ", ".join(verbs[:-1]) + " och " + verbs[-1]
    return f"{node_name(source, role_map)} {joined} {node_name(target, role_map).lower()}"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _link(interactive: bool, href: str, data: str, label: str, body: str) -> str:
    if not interactive:
        return f"<g>{body}</g>"
    return f'<a class="smap-link" href="#{_e(href)}" {data} aria-label="{_e(label)}">{body}</a>'


def render_svg(role_map: RoleMap, config: MapConfig | None = None, interactive: bool = True) -> str:
    """The map as SVG markup; `interactive` makes boxes and arrows links to '#map-node-…'/'#map-edge-…'."""
    config = config or default_map_config()
    boxes = place_boxes(role_map, config)
    parts = [f"<style>{STYLE}</style>", f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>']
    parts.append(
        "<defs>"
        + "".join(
            f'<marker id="smap-arrow-{rid}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
            f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
            for rid, colour in RELATION_COLOURS.items()
        )
        + "</defs>"
    )
    for i, (level, label) in enumerate(config.levels.items()):
        y = BAND_TOP + i * (BAND_H + BAND_GAP)
        parts.append(f'<rect class="smap-band" x="8" y="{y}" width="{OUTSIDE_X - 28}" height="{BAND_H}" rx="8"/>')
        parts.append(f'<text class="smap-band-label" x="20" y="{y + 20}">{_e(label)}</text>')
        del level
    total = len(config.levels) * (BAND_H + BAND_GAP) - BAND_GAP
    parts.append(
        f'<rect class="smap-outside" x="{OUTSIDE_X - 12}" y="{BAND_TOP}" width="{BOX_W + 24}" height="{total}" rx="8"/>'
    )
    for i, line in enumerate(_wrap(config.outside_label, 24, 2)):
        parts.append(
            f'<text class="smap-band-label" x="{OUTSIDE_X - 2}" y="{BAND_TOP + 18 + i * 15}">{_e(line)}</text>'
        )
    labels: list[str] = []
    for arrow in route(role_map, boxes):
        colour = RELATION_COLOURS.get(arrow.edges[0].relation, "#374151")
        (x0, y0), (cx, cy), (x1, y1) = arrow.start, arrow.control, arrow.end
        path = (
            f'<path class="smap-line" d="M{x0:.1f},{y0:.1f} Q{cx:.1f},{cy:.1f} {x1:.1f},{y1:.1f}" fill="none" '
            f'stroke="{colour}" stroke-width="2.2" marker-end="url(#smap-arrow-{arrow.edges[0].relation})"/>'
        )
        lb = arrow.label_box
        # The label is drawn above the link and lets clicks through to a transparent area of the link beneath
        # it: the link's name (its aria-label) is then the whole sentence, not the label's words run together.
        label = (
            f'<g class="smap-label" aria-hidden="true" pointer-events="none"><rect class="smap-label-bg" '
            f'x="{lb.x:.1f}" y="{lb.y:.1f}" width="{lb.w:.1f}" height="{lb.h:.1f}" rx="4"/>'
        )
        for i, edge in enumerate(arrow.edges):
            fill = RELATION_COLOURS.get(edge.relation, "#374151")
            ty = lb.y + 2 + LINE_H * (i + 1) - 3
            label += f'<text class="smap-edge-label" x="{lb.cx:.1f}" y="{ty:.1f}" text-anchor="middle" fill="{fill}">'
            label += f"{_e(edge.label)}</text>"
        label += "</g>"
        hit = (
            f'<rect x="{lb.x:.1f}" y="{lb.y:.1f}" width="{lb.w:.1f}" height="{lb.h:.1f}" fill="#ffffff" '
            'fill-opacity="0"/>'
        )
        count = len({i for e in arrow.edges for i in e.statements})
        sentence = edge_sentence(arrow.source, arrow.target, arrow.edges, role_map)
        edge_id = f"map-edge-{arrow.source}-{arrow.target}"
        parts.append(
            _link(
                interactive,
                edge_id,
                f'data-edge="{_e(arrow.source)}-{_e(arrow.target)}"',
                f"{sentence}: {count} källhänvisade uppgifter. Visa dem.",
                path + hit,
            )
        )
        labels.append(label)
    parts += labels
    for node in role_map.nodes:
        box = boxes[node.id]
        spec = config.node(node.id)
        fill, stroke = LEVEL_STYLE.get(spec.level or "", OUTSIDE_STYLE)
        shape = (
            f'<rect class="smap-box" x="{box.x}" y="{box.y}" width="{box.w}" height="{box.h}" rx="10" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="2"/>'
        )
        # As for the arrows: the words lie above the link and let clicks through, the link is named by aria-label.
        words = '<g class="smap-words" aria-hidden="true" pointer-events="none">'
        title = _wrap(node.label, TITLE_CHARS, 2)
        for i, line in enumerate(title):
            words += f'<text class="smap-title" x="{box.x + 12}" y="{box.y + 22 + i * 17}">{_e(line)}</text>'
        top = box.y + 22 + 17 * len(title) + 3
        for i, line in enumerate(box_lines(node, 5 - len(title))):
            words += f'<text class="smap-text" x="{box.x + 12}" y="{top + i * LINE_H}">{_e(line)}</text>'
        words += "</g>"
        info = ", ".join(box_lines(node))
        parts.append(
            _link(
                interactive,
                f"map-node-{node.id}",
                f'data-node="{_e(node.id)}"',
                f"{node.label}: {info}. Visa uppgifterna med källor.",
                shape,
            )
        )
        parts.append(words)
    title = "Karta över vem som gör vad: aktörer efter beslutsnivå och relationerna mellan dem, ur dokumenten"
    role = 'role="group"' if interactive else 'role="img"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" class="smap" {role} '
        f'aria-labelledby="smap-title"><title id="smap-title">{_e(title)}</title>{"".join(parts)}</svg>'
    )


def standalone_svg(role_map: RoleMap, config: MapConfig | None = None) -> str:
    """The printable file: the same drawing without links, with an XML declaration."""
    svg = render_svg(role_map, config, interactive=False).replace('width="100%"', f'width="{WIDTH}" height="{HEIGHT}"')
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg
