"""The data file (actors, verbs, terms, starter questions) as validated pydantic models."""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from assistant.errors import RuleFileError

DATA_FILE = Path(__file__).parent / "data" / "intro.yaml"


class ActorSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    label: str
    level: str | None = None
    patterns: list[str]
    verbs: list[str] | None = Field(default=None, description="Replaces the generic verbs for this actor.")
    extra_verbs: list[str] = Field(default_factory=list)
    law_patterns: list[str] = Field(default_factory=list, description="Only in statutes, e.g. 'leverantören' in LOV.")


class TermSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    term: str
    forms: list[str]


class IntroConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role_laws: list[str]
    role_laws_whole: list[str]
    law_topics: list[str]
    definition_laws: list[str]
    levels: dict[str, str]
    guidance_issuers: list[str]
    verbs: dict[str, list[str]]
    inverted_verbs: list[str]
    passive_verbs: list[str]
    role_phrases: dict[str, str]
    egen_regi_titles: list[str]
    egen_regi_subjects: list[str]
    actors: list[ActorSpec]
    terms: list[TermSpec]
    starters: dict[str, list[str]] = Field(default_factory=dict)
    digest: str = ""

    def actor(self, actor_id: str) -> ActorSpec:
        return next(a for a in self.actors if a.id == actor_id)


def load_config(path: Path = DATA_FILE) -> IntroConfig:
    """Read and validate the data file; every regex is compiled once to fail early with the file name."""
    raw_bytes = path.read_bytes()
    try:
        raw = yaml.safe_load(raw_bytes)
        config = IntroConfig(**raw, digest=hashlib.sha256(raw_bytes).hexdigest()[:12])
    except (yaml.YAMLError, TypeError, ValueError) as exc:
        raise RuleFileError(path, f"kunde inte läsas: {exc}") from exc
    patterns = [p for a in config.actors for p in a.patterns] + [f for t in config.terms for f in t.forms]
    patterns += list(config.role_phrases.values()) + config.egen_regi_subjects + config.law_topics
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise RuleFileError(path, f"ogiltigt mönster {pattern!r}: {exc}") from exc
    return config


@cache
def default_config() -> IntroConfig:
    return load_config()
