"""The map: role statements become boxes (actors by decision level) and edges (relations they state).

Nothing is drawn by hand. A statement's actor gives its box (map.yaml `nodes.actors`); the verbs
in it give relations ("följa upp" → följer upp), and the box acted upon is the one the statement
names after the verb ("... följa upp verksamhet som utförs av privata utförare"). Every edge keeps
the statements that state it, so each line on the map opens its sources.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from assistant.intro.corpus import content_tokens
from assistant.intro.mapdata import MapConfig, default_map_config
from assistant.intro.models import SOURCE_PRIORITY, DecidedDocument, MapEdge, MapNode, RoleMap, RoleStatement

SUMMARY = 5
_MAX_GAP = 40
_PASSIVE = re.compile(r"(?:s|s upp|s över)$", re.IGNORECASE)
# After a passive verb, an agent: "fattas (även) av socialchef" names who decides, not what is decided on.
_AGENT = re.compile(r"\s+(?:\w+\s+){0,2}?av\b", re.IGNORECASE)
# Looser than the merging of duplicates: two summary lines this alike say the same thing to a reader.
_SUMMARY_JACCARD = 0.5
_WINDOW = 200


@dataclass(frozen=True)
class Relation:
    relation: str
    target: str | None
    topics: tuple[str, ...] = ()


def _alts(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


class RelationReader:
    """Compiled patterns of one map configuration; `read(text, subjects)` gives a statement's relations."""

    def __init__(self, config: MapConfig | None = None):
        self.config = config or default_map_config()
        self.verbs = [(r, re.compile(rf"\b(?:{_alts(r.verbs)})\b", re.IGNORECASE)) for r in self.config.relations]
        self.targets = [
            (n.id, re.compile(rf"\b(?:{_alts(n.targets)})\b", re.IGNORECASE)) for n in self.config.nodes if n.targets
        ]
        self.operations = re.compile(rf"\b(?:{self.config.operations.pattern})\b", re.IGNORECASE)
        self.topics = [(t.label, re.compile(t.pattern, re.IGNORECASE)) for t in self.config.topics]
        self.themes = [(t.label, re.compile(t.pattern, re.IGNORECASE)) for t in self.config.themes]

    def _operations_for(self, subject: str) -> list[str]:
        own = self.config.node(subject).operations
        return list(self.config.operations.nodes if own is None else own)

    def _mentions(self, text: str, lo: int, hi: int, exclude: set[str]) -> list[tuple[int, int, str]]:
        found = []
        for node, pattern in self.targets:
            if node in exclude:
                continue
            for match in pattern.finditer(text, lo, hi):
                found.append((match.start(), match.end(), node))
        return sorted(found)

    @staticmethod
    def _listed(text: str, mentions: list[tuple[int, int, str]]) -> list[str]:
        """The first box named, and those listed with it ("... utförare (extern eller egen regi)")."""
        if not mentions:
            return []
        out, end = [mentions[0][2]], mentions[0][1]
        for start, stop, node in mentions[1:]:
            gap = text[end:start]
            if start < end:
                continue
            if len(gap) > _MAX_GAP or not re.search(r"\b(?:och|eller|samt)\b|[,/(]", gap):
                break
            out.append(node)
            end = stop
        return list(dict.fromkeys(out))

    def read(self, text: str, subjects: set[str]) -> list[Relation]:
        """Relations of one statement whose grammatical subjects are the boxes `subjects`.

        A box the statement makes its subject is never its own target ("nämnden ... nämndens uppgifter").
        """
        verbs = sorted((m.start(), m.end(), spec) for spec, pattern in self.verbs for m in pattern.finditer(text))
        out: list[Relation] = []
        subject = next(iter(sorted(subjects)))
        for i, (start, end, spec) in enumerate(verbs):
            if spec.subjects is not None and not subjects & set(spec.subjects):
                continue
            stop = verbs[i + 1][0] if i + 1 < len(verbs) else len(text)
            stop = min(stop, end + _WINDOW, _sentence_end(text, end))
            topics = tuple(label for label, p in self.topics if p.search(text, end, stop))
            topics = topics if spec.id == "beslutar_om" else ()
            exclude = subjects | set(spec.not_targets)
            targets: list[str] = []
            if not (_PASSIVE.search(text[start:end]) and _AGENT.match(text, end)):
                targets = self._listed(text, self._mentions(text, end, stop, exclude))
            if not targets and spec.look_back:
                before = self._mentions(text, max(0, start - _WINDOW), start, exclude)
                targets = [before[-1][2]] if before else []
            if not targets and spec.id in self.config.operations.relations and self.operations.search(text, end, stop):
                targets = [n for n in self._operations_for(subject) if n not in exclude]
            if targets:
                out += [Relation(spec.id, t, topics) for t in targets]
            elif topics:
                out.append(Relation(spec.id, None, topics))
        return _suppress(out, self.config)

    def theme(self, text: str) -> str | None:
        return next((label for label, p in self.themes if p.search(text)), None)


def _sentence_end(text: str, pos: int) -> int:
    match = re.compile(r"[.;!?](?:\s|$)").search(text, pos)
    return match.end() if match else len(text)


def _suppress(relations: list[Relation], config: MapConfig) -> list[Relation]:
    present = {(r.relation, r.target) for r in relations}
    dropped = {
        (other, r.target)
        for r in relations
        for other in config.relation(r.relation).suppresses
        if (other, r.target) in present
    }
    return list(dict.fromkeys(r for r in relations if (r.relation, r.target) not in dropped))


def build_map(
    roles: list[RoleStatement], decisions: list[DecidedDocument] = (), config: MapConfig | None = None
) -> RoleMap:
    """Boxes with their statements summarised, and edges with the statements that state them."""
    reader = RelationReader(config)
    config = reader.config
    # One statement text may sit under several actors ("I egenskap av beställare fastställer socialnämnden"):
    # all their boxes are its subjects.
    subjects_of: dict[str, set[str]] = {}
    for role in roles:
        node = config.node_of_actor(role.actor)
        if node:
            subjects_of.setdefault(role.text, set()).add(node)
    by_node: dict[str, list[int]] = {}
    edges: dict[tuple[str, str, str], list[int]] = {}
    topics: dict[str, Counter] = {}
    related: set[int] = set()
    read_cache: dict[str, list[Relation]] = {}
    for index, role in enumerate(roles):
        node = config.node_of_actor(role.actor)
        if node is None:
            continue
        by_node.setdefault(node, []).append(index)
        subjects = subjects_of[role.text]
        if role.text not in read_cache:
            read_cache[role.text] = reader.read(role.text, subjects)
        for relation in read_cache[role.text]:
            related.add(index)
            for topic in relation.topics:
                topics.setdefault(node, Counter())[topic] += 1
            if relation.target:
                bucket = edges.setdefault((node, relation.target, relation.relation), [])
                if index not in bucket:
                    bucket.append(index)
    decided = Counter(d.node for d in decisions if d.node)
    nodes = []
    for spec in config.nodes:
        indexes = by_node.get(spec.id, [])
        if not indexes and not decided.get(spec.id) and not any(spec.id in k[:2] for k in edges):
            continue
        ordered = _summary_order(roles, indexes, related)
        themes = Counter(reader.theme(roles[i].text) or "övrigt" for i in _distinct(roles, ordered))
        nodes.append(
            MapNode(
                id=spec.id,
                label=spec.label,
                level=spec.level,
                statements=ordered,
                summary=_summary(roles, ordered),
                themes=themes.most_common(),
                topics=(topics.get(spec.id) or Counter()).most_common(),
                decided=decided.get(spec.id, 0),
                terms=spec.terms,
            )
        )
    shown = {n.id for n in nodes}
    order = {r.id: i for i, r in enumerate(config.relations)}
    edge_list = [
        MapEdge(
            source=s,
            target=t,
            relation=rel,
            label=config.relation(rel).label,
            statements=_summary_order(roles, indexes, related),
        )
        for (s, t, rel), indexes in sorted(edges.items(), key=lambda kv: (order[kv[0][2]], kv[0][0], kv[0][1]))
        if s in shown and t in shown
    ]
    return RoleMap(nodes=nodes, edges=edge_list)


def _distinct(roles: list[RoleStatement], indexes: list[int]) -> list[int]:
    """One index per statement text (a text under two actors of one box counts once)."""
    seen: set[str] = set()
    out = []
    for i in indexes:
        if roles[i].text not in seen:
            seen.add(roles[i].text)
            out.append(i)
    return out


def _summary_order(roles: list[RoleStatement], indexes: list[int], related: set[int]) -> list[int]:
    """Statements that draw the map first, then laws before policies before guidance, widely stated first."""
    ranked = sorted(
        _distinct(roles, indexes),
        key=lambda i: (i not in related, SOURCE_PRIORITY[roles[i].source_type], -len(roles[i].sources), i),
    )
    return ranked


def _summary(roles: list[RoleStatement], ordered: list[int], size: int = SUMMARY) -> list[int]:
    """The first `size` statements that do not repeat one already picked in other words."""
    picked: list[tuple[int, frozenset[str]]] = []
    for i in ordered:
        tokens = content_tokens(roles[i].text)
        if any(_alike(tokens, other) for _, other in picked):
            continue
        picked.append((i, tokens))
        if len(picked) == size:
            break
    return [i for i, _ in picked]


def _alike(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a and b) and len(a & b) / len(a | b) >= _SUMMARY_JACCARD
