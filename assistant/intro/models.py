"""Types of the introduction: role statements, glossary entries, starter questions."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from assistant.models import Citation


class SourceType(StrEnum):
    """Weight of a statement's source: law binds, policy is the municipality's own, guidance advises."""

    law = "law"
    policy = "policy"
    guidance = "guidance"


SOURCE_TYPE_LABELS_SV: dict[SourceType, str] = {
    SourceType.law: "lag",
    SourceType.policy: "policy",
    SourceType.guidance: "vägledning",
}

# Lower sorts first: laws before policies before guidance.
SOURCE_PRIORITY: dict[SourceType, int] = {SourceType.law: 0, SourceType.policy: 1, SourceType.guidance: 2}


class RoleStatement(BaseModel):
    """One responsibility of one actor, merged over all documents that state it."""

    actor: str = Field(description="Actor id, e.g. 'fullmaktige'.")
    actor_label: str
    level: str | None = Field(default=None, description="strategisk, taktisk or operativ.")
    level_basis: str | None = Field(default=None, description="'corpus' if a document places it there, else 'roll'.")
    modality: str = Field(description="skyldighet, befogenhet, rekommendation or val.")
    text: str = Field(description="The statement as shown: the best source's sentence, whitespace tidied.")
    source_type: SourceType
    sources: list[Citation]

    def public(self) -> dict:
        """JSON shape of `styrdok roles --json`."""
        return {
            "actor": self.actor,
            "actor_label": self.actor_label,
            "level": self.level,
            "level_basis": self.level_basis,
            "modality": self.modality,
            "source_type": self.source_type.value,
            "title": self.sources[0].title if self.sources else None,
            "text": self.text,
            "sources": [s.public() for s in self.sources],
        }


class GlossaryEntry(BaseModel):
    """A term with its definition (or best explanatory passage) from the corpus."""

    term: str
    text: str
    definition: bool = Field(description="True if the passage defines the term ('Med X avses ...'), else explains it.")
    source_type: SourceType
    sources: list[Citation]
    related: list[str] = Field(default_factory=list)
    forms: list[str] = Field(default_factory=list, description="Surface forms searched for, e.g. 'vite' for sanktion.")

    def public(self) -> dict:
        """JSON shape of `styrdok glossary --json`."""
        return {
            "term": self.term,
            "text": self.text,
            "definition": self.definition,
            "source_type": self.source_type.value,
            "title": self.sources[0].title if self.sources else None,
            "sources": [s.public() for s in self.sources],
            "related": self.related,
        }


class StarterQuestion(BaseModel):
    """A question a new politician can ask, verified to be answerable with citations."""

    actor: str
    question: str
    sources: list[Citation] = Field(default_factory=list)

    def public(self) -> dict:
        return {"actor": self.actor, "question": self.question, "sources": [s.public() for s in self.sources]}


class IntroData(BaseModel):
    """Everything the Introduktion tab shows, as cached in the index folder."""

    key: str = Field(description="Cache key: extractor version, data file and document hashes.")
    roles: list[RoleStatement] = Field(default_factory=list)
    glossary: list[GlossaryEntry] = Field(default_factory=list)
    starters: list[StarterQuestion] | None = Field(default=None, description="None until verified.")
