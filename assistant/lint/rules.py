"""Lint rules as data: YAML files validated with pydantic; errors name the file and the line.

A file holds one rule (a mapping with `id`), a list of rules, or `{rules: [...]}`. Built-in
rules ship in `assistant/rules/`; files in a user folder add rules or replace built-ins by id.
Patterns are Python regular expressions matched case-insensitively against lowercased text.
"""

from __future__ import annotations

import re
import string
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.errors import RuleFileError
from assistant.models import DocumentKind, Severity

PLACEHOLDERS = {"reason", "quote", "section", "element", "missing", "rewrite", "title"}
ActorName = Literal["provider", "municipality", "citizen"]
Scope = Literal["any", "normative", "provider"]


def _regex(value: str) -> str:
    try:
        re.compile(value, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"ogiltigt reguljärt uttryck {value!r}: {exc}") from None
    return value


def _template(value: str) -> str:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError as exc:
        raise ValueError(f"ogiltig mall {value!r}: {exc}") from None
    unknown = sorted(n for n in names if n not in PLACEHOLDERS)
    if unknown:
        raise ValueError(f"okänd platshållare {{{unknown[0]}}}; tillåtna: {', '.join(sorted(PLACEHOLDERS))}")
    return value


Regex = Annotated[str, AfterValidator(_regex)]
Template = Annotated[str, AfterValidator(_template)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PhraseItem(_Strict):
    """One wording to flag in a sentence, with the context that makes it a defect."""

    pattern: Regex = Field(description="Wording that may be a defect.")
    reason: str = Field(description="Swedish explanation, inserted as {reason}.")
    requires: list[Regex] = Field(default_factory=list, description="All must also match the sentence.")
    unless: list[Regex] = Field(default_factory=list, description="None may match the sentence.")
    unless_clause: list[Regex] = Field(default_factory=list, description="None may match the whole clause.")
    scope: Scope | None = Field(None, description="Overrides the detector's scope.")
    skip_actors: list[ActorName] | None = Field(None, description="Overrides the detector's skip_actors.")
    rewrite: str | None = Field(None, description="Replacement for the matched words, used in {rewrite}.")
    fix: Template | None = Field(None, description="Overrides the rule's fix for this wording.")


class PhrasesDetector(_Strict):
    """Flags sentences containing a wording, in context (see PhraseItem)."""

    type: Literal["phrases"]
    scope: Scope = Field("normative", description="any | normative (obligations) | provider (binds the provider).")
    skip_actors: list[ActorName] = Field(
        default_factory=list, description="Sentences whose subject is this party are skipped."
    )
    skip_sections: list[Regex] = Field(default_factory=list, description="Section titles to skip.")
    items: list[PhraseItem] = Field(min_length=1)


class WeakModal(_Strict):
    """A modal verb that is too weak for a requirement on the provider."""

    word: Regex = Field(description="The modal, e.g. 'bör'.")
    reason: str
    allowed_after: list[Regex] = Field(
        default_factory=list, description="Verbs after the modal that make it a right or advice."
    )
    skip_sections: list[Regex] = Field(default_factory=list)
    rewrite: str = "ska"


class ModalityDetector(_Strict):
    """Flags requirements on the provider stated with a weak modal ('bör', 'kan') instead of 'ska'."""

    type: Literal["modality"]
    actors: list[ActorName] = Field(default_factory=lambda: ["provider"])
    weak: list[WeakModal] = Field(min_length=1)
    skip_sections: list[Regex] = Field(default_factory=list)


class SourceSpec(_Strict):
    """How to find the passage the principle comes from in the user's index."""

    query: str
    anchors: list[str] = Field(default_factory=list, description="Phrases that mark the right passage.")
    kinds: list[DocumentKind] = Field(default_factory=list, description="Preferred document kinds.")


class Check(_Strict):
    """Something the text of a present element must contain."""

    label: str = Field(description="Swedish name of what is checked, listed in {missing}.")
    any: list[Regex] = Field(min_length=1)
    min: int = Field(1, ge=1, description="How many of the patterns must match.")
    when: list[Regex] = Field(default_factory=list, description="Only checked when one of these occurs.")
    scope: Literal["element", "draft"] = Field("element", description="Search the element's text or the whole draft.")


class Element(_Strict):
    """A part of the draft that must be present (a section or a clause)."""

    name: str
    headings: list[Regex] = Field(default_factory=list, description="Section titles that hold the element.")
    evidence: list[Regex] = Field(default_factory=list, description="Sentences anywhere that show it is present.")
    checks: list[Check] = Field(default_factory=list)
    on_fail: Literal["missing", "quote"] = Field("missing", description="How a failed check is reported.")
    quote_prefer: list[Regex] = Field(default_factory=list, description="Sentence to point at when a check fails.")
    severity: Severity | None = None
    message: Template | None = Field(None, description="When the element is absent (default: the rule's message).")
    incomplete: Template | None = Field(None, description="When a check fails; {missing} lists what is lacking.")
    fix: Template | None = None
    source: SourceSpec | list[SourceSpec] | None = Field(None, description="Overrides the rule's source.")

    @property
    def sources(self) -> list[SourceSpec] | None:
        if self.source is None:
            return None
        return self.source if isinstance(self.source, list) else [self.source]


class RequiredDetector(_Strict):
    """Checks that elements are present and complete."""

    type: Literal["required"]
    elements: list[Element] = Field(min_length=1)


class ReferencesDetector(_Strict):
    """Flags references to annexes or sections that the draft does not contain."""

    type: Literal["references"]
    annex: Regex = (
        r"\bbilag(?:a|an|orna)\s+(\d{1,3}|[a-h])(?![\w-])((?:\s*(?:,|och|samt|–|-)\s*(?:\d{1,3}|[a-h])(?![\w-]))*)"
    )
    section: Regex = r"\b(?:avsnitt(?:en|et)?|punkt(?:en|erna)?)\s+(\d{1,2}(?:\.\d{1,3})*)(?![\d.]\d)"
    external: list[Regex] = Field(
        default_factory=lambda: [r"^\s*(?:till|i|enligt)\s+(?!detta\b|förfrågningsunderlaget\b|underlaget\b)\w+"],
        description="Text right after a reference that shows it points into another document.",
    )


Detector = Annotated[
    PhrasesDetector | ModalityDetector | RequiredDetector | ReferencesDetector, Field(discriminator="type")
]


class Rule(_Strict):
    """A policy principle, how to detect breaches of it, where it comes from, how to fix it."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str
    severity: Severity
    principle: str
    only_if: list[Regex] = Field(default_factory=list, description="The rule applies only when one matches the draft.")
    detector: Detector | list[Detector]
    source: SourceSpec | list[SourceSpec] | None = None
    message: Template
    fix: Template

    @field_validator("detector", mode="after")
    @classmethod
    def _non_empty(cls, value):
        if isinstance(value, list) and not value:
            raise ValueError("minst en detektor krävs")
        return value

    @property
    def detectors(self) -> list:
        return self.detector if isinstance(self.detector, list) else [self.detector]

    @property
    def sources(self) -> list[SourceSpec]:
        if self.source is None:
            return []
        return self.source if isinstance(self.source, list) else [self.source]


# --- loading ---------------------------------------------------------------------------------


def load_rule_file(path: Path | str, text: str | None = None) -> list[Rule]:
    """Parse and validate one rule file. Raises RuleFileError with the file and line."""
    path = Path(path)
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise RuleFileError(path, f"kan inte läsas ({exc}).") from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "ogiltig YAML").strip()
        raise RuleFileError(path, f"ogiltig YAML: {problem}.", mark.line + 1 if mark else None) from exc
    except yaml.YAMLError as exc:
        raise RuleFileError(path, f"ogiltig YAML: {exc}.") from exc
    if data is None:
        raise RuleFileError(
            path, "filen är tom; en regel behöver minst id, title, severity, principle, detector, message och fix."
        )
    items, nodes = _rule_items(path, data, node)
    rules = []
    for item, item_node in zip(items, nodes, strict=True):
        if not isinstance(item, dict):
            raise RuleFileError(path, "varje regel ska vara en mappning (nyckel: värde).", _line(item_node))
        try:
            rules.append(Rule.model_validate(item))
        except ValidationError as exc:
            error = exc.errors()[0]
            target = _node_at(item_node, error["loc"])
            where = ".".join(str(p) for p in error["loc"] if not _is_tag(p)) or "regeln"
            raise RuleFileError(path, f"{where}: {_problem(error)}", _line(target)) from None
    return rules


def _rule_items(path: Path, data: Any, node: yaml.Node) -> tuple[list, list]:
    if isinstance(data, list):
        return data, list(node.value)
    if isinstance(data, dict) and "rules" in data and "id" not in data:
        rules_node = next(v for k, v in node.value if k.value == "rules")
        if not isinstance(data["rules"], list):
            raise RuleFileError(path, "'rules' ska vara en lista.", _line(rules_node))
        return data["rules"], list(rules_node.value)
    return [data], [node]


def _is_tag(part: Any) -> bool:
    return (
        isinstance(part, str)
        and part in ("phrases", "modality", "required", "references")
        or (isinstance(part, str) and ("[" in part or part.startswith("function-")))
    )


def _node_at(node: yaml.Node | None, loc: tuple) -> yaml.Node | None:
    """The YAML node a pydantic error location points at (union tags skipped)."""
    for part in loc:
        if node is None:
            return None
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == part), None)
            if match is None:
                continue  # a union tag or a missing key: stay on the enclosing mapping
            key, value = match
            node = value if not isinstance(value, yaml.ScalarNode) or value.value != "" else key
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if part < len(node.value) else node
    return node


def _line(node: yaml.Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


_PROBLEMS = {
    "missing": "saknas (obligatoriskt fält)",
    "extra_forbidden": "okänt fält (stavfel?)",
    "string_type": "ska vara text",
    "list_type": "ska vara en lista",
    "int_type": "ska vara ett heltal",
    "literal_error": "ogiltigt värde",
    "enum": "ogiltigt värde",
    "string_pattern_mismatch": "får bara innehålla små bokstäver a-z, siffror, _ och -",
    "too_short": "får inte vara tom",
    "union_tag_invalid": "okänd detektortyp; välj phrases, modality, required eller references",
    "union_tag_not_found": "detektorn saknar 'type' (phrases, modality, required eller references)",
}


def _problem(error: dict) -> str:
    kind = error["type"]
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    text = _PROBLEMS.get(kind, error["msg"])
    expected = error.get("ctx", {}).get("expected")
    if expected and kind in ("literal_error", "enum"):
        text += f" (tillåtna: {expected})"
    return text + "."


def builtin_rule_files() -> list[tuple[str, str]]:
    """(name, text) of the rule files shipped with the package."""
    folder = resources.files("assistant") / "rules"
    return sorted(
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith((".yaml", ".yml"))
    )


def load_rules(user_dir: Path | str | None = None, builtin: bool = True) -> list[Rule]:
    """Built-in rules, then the rules in `user_dir`; a user rule replaces a built-in with the same id."""
    by_id: dict[str, Rule] = {}
    if builtin:
        for name, text in builtin_rule_files():
            for rule in load_rule_file(Path(name), text):
                by_id[rule.id] = rule
    if user_dir is not None:
        folder = Path(user_dir)
        if not folder.is_dir():
            raise RuleFileError(folder, "regelmappen finns inte.")
        seen: dict[str, Path] = {}
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml"))
        for file in files:
            for rule in load_rule_file(file):
                if rule.id in seen:
                    raise RuleFileError(file, f"regel-id '{rule.id}' finns redan i {seen[rule.id].name}.")
                seen[rule.id] = file
                by_id[rule.id] = rule
    return list(by_id.values())
