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


class DecidedDocument(BaseModel):
    """A document that says who decided it ("Dokumentet är beslutat av: …"), cited at that line."""

    doc: str
    title: str
    kind: str
    decided_by: str = Field(description="As the document states it.")
    decided_on: str | None = None
    node: str | None = Field(default=None, description="The box of the map the decider belongs to, if any.")
    citation: Citation

    def public(self) -> dict:
        return {
            "doc": self.doc,
            "title": self.title,
            "kind": self.kind,
            "decided_by": self.decided_by,
            "decided_on": self.decided_on,
            "node": self.node,
            "source": self.citation.public(),
        }


class MapNode(BaseModel):
    """One box of the map: an actor, its statements (indexes into IntroData.roles), best first."""

    id: str
    label: str
    level: str | None
    statements: list[int] = Field(default_factory=list, description="All statements, summary order.")
    summary: list[int] = Field(default_factory=list, description="The few shown first: different, cited, central.")
    themes: list[tuple[str, int]] = Field(default_factory=list, description="(theme, statements), most first.")
    topics: list[tuple[str, int]] = Field(default_factory=list, description="What it decides on, most first.")
    decided: int = Field(default=0, description="Documents whose decision line names this box's role.")
    terms: list[str] = Field(default_factory=list)


class MapEdge(BaseModel):
    """A relation the documents state between two boxes, with the statements that state it."""

    source: str
    target: str
    relation: str
    label: str
    statements: list[int]


class RoleMap(BaseModel):
    nodes: list[MapNode] = Field(default_factory=list)
    edges: list[MapEdge] = Field(default_factory=list)

    def node(self, node_id: str) -> MapNode | None:
        return next((n for n in self.nodes if n.id == node_id), None)


class MandateBasis(BaseModel):
    """A legal basis of a checklist item: '5 kap. 3 § kommunallagen (2017:725)' and its text, if indexed."""

    label: str
    citation: Citation | None = Field(default=None, description="The section in the indexed act; None if absent.")


class OlderReference(BaseModel):
    """An earlier provision (of a repealed act) and where the indexed documents still cite it."""

    label: str
    citations: list[Citation] = Field(default_factory=list)


class MandateItem(BaseModel):
    """One thing fullmäktige itself must decide in the mandate period, with legal basis and citations."""

    id: str
    title: str
    what: str
    when: str
    basis: list[MandateBasis]
    support: list[Citation] = Field(default_factory=list, description="Municipal documents saying the same.")
    older: list[OlderReference] = Field(default_factory=list)
    terms: list[str] = Field(default_factory=list)

    def public(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "what": self.what,
            "when": self.when,
            "basis": [{"label": b.label, "source": b.citation.public() if b.citation else None} for b in self.basis],
            "support": [c.public() for c in self.support],
            "older": [{"label": o.label, "sources": [c.public() for c in o.citations]} for o in self.older],
        }


class IntroData(BaseModel):
    """Everything the Introduktion tab shows, as cached in the index folder."""

    key: str = Field(description="Cache key: extractor version, data file and document hashes.")
    roles: list[RoleStatement] = Field(default_factory=list)
    glossary: list[GlossaryEntry] = Field(default_factory=list)
    starters: list[StarterQuestion] | None = Field(default=None, description="None until verified.")
    map: RoleMap = Field(default_factory=RoleMap)
    mandate: list[MandateItem] = Field(default_factory=list)
    decisions: list[DecidedDocument] = Field(default_factory=list)
