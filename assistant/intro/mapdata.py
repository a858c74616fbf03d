"""The map's and the checklist's data files (map.yaml, mandate.yaml) as validated pydantic models."""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from assistant.errors import RuleFileError

DATA = Path(__file__).parent / "data"
MAP_FILE = DATA / "map.yaml"
MANDATE_FILE = DATA / "mandate.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NodeSpec(_Strict):
    id: str
    label: str
    level: str | None = Field(description="Band of the diagram; None for the column outside the municipality.")
    col: float = 0
    row: int = 0
    actors: list[str]
    terms: list[str] = Field(default_factory=list, description="Glossary terms that link to this box.")
    targets: list[str] = Field(default_factory=list, description="How a statement names this box as acted upon.")
    operations: list[str] | None = Field(default=None, description="What 'verksamheten' means for this box.")


class RelationSpec(_Strict):
    id: str
    label: str
    verbs: list[str]
    suppresses: list[str] = Field(default_factory=list)
    look_back: bool = Field(default=False, description="Also the nearest box named before the verb.")
    subjects: list[str] | None = Field(default=None, description="Only these boxes hold the relation.")
    not_targets: list[str] = Field(default_factory=list, description="Boxes never acted upon in this relation.")


class Operations(_Strict):
    pattern: str
    relations: list[str]
    nodes: list[str]


class Labelled(_Strict):
    label: str
    pattern: str


class Decider(_Strict):
    node: str
    pattern: str


class MapConfig(_Strict):
    levels: dict[str, str]
    outside_label: str
    nodes: list[NodeSpec]
    operations: Operations
    relations: list[RelationSpec]
    topics: list[Labelled]
    themes: list[Labelled]
    deciders: list[Decider]
    decider_junk: str
    digest: str = ""

    def node(self, node_id: str) -> NodeSpec:
        return next(n for n in self.nodes if n.id == node_id)

    def node_of_actor(self, actor: str) -> str | None:
        return next((n.id for n in self.nodes if actor in n.actors), None)

    def relation(self, relation_id: str) -> RelationSpec:
        return next(r for r in self.relations if r.id == relation_id)


class LegalBasis(_Strict):
    act: str = Field(description="SFS number of the act, e.g. '2017:725'.")
    act_label: str
    ref: str = Field(description="'5 kap. 3 §', or '3 §' for an act without chapters.")
    match: str = Field(description="Words that must occur in the cited section.")


class OlderProvision(_Strict):
    label: str
    pattern: str = Field(description="How documents cite the older provision.")
    act: str | None = Field(default=None, description="Its act, if the act itself may be indexed (repealed).")
    ref: str | None = None
    match: str | None = None


class MandateSpec(_Strict):
    id: str
    title: str
    what: str
    when: str
    basis: list[LegalBasis]
    support: str | None = Field(default=None, description="How the municipality's own documents state it.")
    older: list[OlderProvision] = Field(default_factory=list)
    terms: list[str] = Field(default_factory=list)


class MandateConfig(_Strict):
    items: list[MandateSpec]
    digest: str = ""


def _load(path: Path, model: type[BaseModel]):
    raw_bytes = path.read_bytes()
    try:
        raw = yaml.safe_load(raw_bytes)
        config = model(**raw, digest=hashlib.sha256(raw_bytes).hexdigest()[:12])
    except (yaml.YAMLError, TypeError, ValueError) as exc:
        raise RuleFileError(path, f"kunde inte läsas: {exc}") from exc
    return config


def _check_patterns(path: Path, patterns: list[str]) -> None:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise RuleFileError(path, f"ogiltigt mönster {pattern!r}: {exc}") from exc


def load_map_config(path: Path = MAP_FILE) -> MapConfig:
    """Read and validate map.yaml; every pattern is compiled once so a bad one names the file."""
    config: MapConfig = _load(path, MapConfig)
    patterns = [p for n in config.nodes for p in n.targets] + [v for r in config.relations for v in r.verbs]
    patterns += [t.pattern for t in config.topics + config.themes] + [d.pattern for d in config.deciders]
    _check_patterns(path, [*patterns, config.operations.pattern, config.decider_junk])
    ids = {n.id for n in config.nodes}
    named = [d.node for d in config.deciders] + config.operations.nodes
    named += [o for n in config.nodes for o in n.operations or []]
    unknown = [n for n in named if n not in ids]
    if unknown:
        raise RuleFileError(path, f"okända rutor: {', '.join(unknown)}")
    return config


def load_mandate_config(path: Path = MANDATE_FILE) -> MandateConfig:
    config: MandateConfig = _load(path, MandateConfig)
    patterns = [i.support for i in config.items if i.support] + [o.pattern for i in config.items for o in i.older]
    _check_patterns(path, patterns + [b.match for i in config.items for b in i.basis])
    return config


@cache
def default_map_config() -> MapConfig:
    return load_map_config()


@cache
def default_mandate_config() -> MandateConfig:
    return load_mandate_config()
