"""Lint rules as data: YAML files validated with pydantic; errors name the file and the line.

A file holds one rule (a mapping with `id`), a list of rules, or `{rules: [...]}`. Built-in
rules ship in `assistant/rules/`; files in a user folder add rules or replace built-ins by id.
A file with a top-level `kinds:` list is the table of document kinds (`dokumentslag.yaml`): how a
draft is recognised as a LOV förfrågningsunderlag, an avrop, a mission description ...; a rule's
`applies_to` names the kinds it is checked on.
Patterns are Python regular expressions matched case-insensitively against lowercased text.
"""

from __future__ import annotations

import re
import string
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from assistant.errors import RuleFileError
from assistant.models import DocumentKind, Severity

PLACEHOLDERS = {"reason", "quote", "section", "element", "missing", "rewrite", "title"}
ActorName = Literal["provider", "municipality", "citizen"]
Scope = Literal["any", "normative", "provider"]
# What a sentence does (assistant.lint.roles): a requirement on the provider, an instruction to
# bidders, evaluation text, the buyer's own right or duty, the citizen's, contract boilerplate
# (force majeure, disputes), an answer field of a tender system, or a plain description.
RoleName = Literal["requirement", "bidder", "evaluation", "buyer", "citizen", "boilerplate", "form", "description"]
KIND_ID = r"^[a-z0-9][a-z0-9_]*$"


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


def _known_kinds(value: list[str], info: ValidationInfo) -> list[str]:
    """Kind ids must exist in the table of document kinds (built-in, or the user's own)."""
    known = (info.context or {}).get("kinds") or builtin_kind_ids()
    for kind in value:
        if kind not in known:
            raise ValueError(f"okänt dokumentslag {kind!r}; tillåtna: {', '.join(sorted(known))}")
    return list(dict.fromkeys(value))


Regex = Annotated[str, AfterValidator(_regex)]
Template = Annotated[str, AfterValidator(_template)]
KindIds = Annotated[list[str], AfterValidator(_known_kinds)]


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
    followable: bool = Field(
        True,
        description="false: the detector's `followable` wordings do not excuse this wording (a statute named in the "
        "sentence does not give the frequency that 'regelbundet' lacks); only its own `unless` does.",
    )


class PhrasesDetector(_Strict):
    """Flags sentences containing a wording, in context (see PhraseItem)."""

    type: Literal["phrases"]
    scope: Scope = Field("normative", description="any | normative (obligations) | provider (binds the provider).")
    skip_actors: list[ActorName] = Field(
        default_factory=list, description="Sentences whose subject is this party are skipped."
    )
    skip_sections: list[Regex] = Field(default_factory=list, description="Section titles to skip.")
    unless: list[Regex] = Field(default_factory=list, description="Sentences matching one of these are skipped.")
    roles: list[RoleName] | None = Field(
        None, description="Only sentences with one of these roles (who the sentence binds); default: all."
    )
    followable: list[Regex] = Field(
        default_factory=list,
        description="A sentence (or its section titles) matching one of these states a level, a deadline, a "
        "frequency, a standard or a statute, so the requirement can be followed up: it is not flagged.",
    )
    followable_headings: list[Regex] = Field(
        default_factory=list,
        description="Followable when a heading above the sentence names the statute or standard it restates.",
    )
    measured_nearby: list[Regex] = Field(
        default_factory=list,
        description="Followable when the next sentence of the same section says how it is measured.",
    )
    applies_to: KindIds = Field(default_factory=list, description="Kinds of document (empty: the rule's).")
    items: list[PhraseItem] = Field(min_length=1)


class WeakModal(_Strict):
    """A modal verb that is too weak for a requirement on the provider."""

    word: Regex = Field(description="The modal, e.g. 'bör'.")
    reason: str
    allowed_after: list[Regex] = Field(
        default_factory=list, description="Verbs after the modal that make it a right or advice."
    )
    skip_sections: list[Regex] = Field(default_factory=list)
    unless: list[Regex] = Field(default_factory=list, description="Sentences matching one of these are not flagged.")
    rewrite: str = "ska"
    unnamed_subject: bool = Field(
        False,
        description="Also flag the modal when no party is named ('Webbplatsen bör …', 'Det bör finnas …') "
        "in a section of requirements (kravspecifikation, avtalsvillkor, a TendSign section answered 'Ja krävs').",
    )


class ModalityDetector(_Strict):
    """Flags requirements on the provider stated with a weak modal ('bör', 'kan') instead of 'ska'."""

    type: Literal["modality"]
    actors: list[ActorName] = Field(default_factory=lambda: ["provider"])
    weak: list[WeakModal] = Field(min_length=1)
    skip_sections: list[Regex] = Field(default_factory=list)
    roles: list[RoleName] | None = Field(None, description="Only sentences with one of these roles.")
    applies_to: KindIds = Field(default_factory=list)


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
    """Checks that elements are present and complete.

    Evaluation text, instructions to bidders and answer fields are never evidence of an element:
    a "prisavdrag" in an evaluation model is not a sanction.
    """

    type: Literal["required"]
    elements: list[Element] = Field(min_length=1)
    applies_to: KindIds = Field(default_factory=list)


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
    elsewhere: list[Regex] = Field(
        default_factory=list,
        description="A sentence matching one of these refers to a document published elsewhere (the framework "
        "agreement, its website): its annex references are not checked against this draft.",
    )
    wrong_section: bool = Field(
        True,
        description="Report a reference to a section that exists when the words before it name another "
        "section's heading ('konsulttjänstens kvalitet (enligt punkt 1.7.2)' where 1.8.2 is that heading).",
    )
    applies_to: KindIds = Field(default_factory=list)


class Consequence(_Strict):
    """What a placeholder breaks when it sits in a date, a price, a sanction or a period."""

    when: list[Regex] = Field(min_length=1, description="Matched against the placeholder, its sentence and headings.")
    consequence: str = Field(description="Swedish, inserted in the message as {reason}.")
    severity: Severity = Severity.error


class PlaceholderPattern(_Strict):
    """A placeholder wording other than square brackets."""

    pattern: str = Field(description="Regular expression, matched in the sentence.")
    reason: str = Field(description="Swedish: what the placeholder is.")
    case_sensitive: bool = Field(False, description="Match with case ('X timmar', 'XX kr').")
    only_in_sections: list[Regex] = Field(
        default_factory=list, description="Only in sections with one of these headings (e.g. the buyer's own data)."
    )

    @field_validator("pattern", mode="after")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"ogiltigt reguljärt uttryck {value!r}: {exc}") from None
        return value


class PlaceholdersDetector(_Strict):
    """Template text left in a draft: bracketed instructions ('[Ange …]', 'Bilaga [Y]'), 'XX', broken fields.

    A short placeholder for the supplier's own data (its name, organisation number, contact person)
    is filled in when the contract is signed and is not reported.
    """

    type: Literal["placeholders"]
    brackets: bool = Field(True, description="Text in square brackets is a placeholder or a template instruction.")
    bracket_reason: str = "malltext i hakparentes"
    bracket_ignore: list[Regex] = Field(
        default_factory=list, description="Bracket contents that are not placeholders (page numbers, citations)."
    )
    patterns: list[PlaceholderPattern] = Field(default_factory=list)
    fill_in: list[Regex] = Field(
        default_factory=list,
        description="The supplier's own data: a short placeholder naming it, or standing right after it, is filled "
        "in at signing.",
    )
    buyer: list[Regex] = Field(
        default_factory=list, description="The buyer's own data: a placeholder after these words is residue."
    )
    skip_sentences: list[Regex] = Field(
        default_factory=list,
        description="A signature block: its placeholders are filled in at signing. Matched against the "
        "sentence, the two after it in the same section and its heading.",
    )
    consequences: list[Consequence] = Field(default_factory=list)
    applies_to: KindIds = Field(default_factory=list)


Detector = Annotated[
    PhrasesDetector | ModalityDetector | RequiredDetector | ReferencesDetector | PlaceholdersDetector,
    Field(discriminator="type"),
]


class Rule(_Strict):
    """A policy principle, how to detect breaches of it, where it comes from, how to fix it."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str
    severity: Severity
    principle: str
    only_if: list[Regex] = Field(default_factory=list, description="The rule applies only when one matches the draft.")
    applies_to: KindIds = Field(
        default_factory=list,
        description="Kinds of document the rule is checked on (ids in dokumentslag.yaml); empty: every kind. "
        "A draft of unknown kind is checked with every rule.",
    )
    welfare_only: bool = Field(
        False, description="Only when the service is a welfare service (omsorg, SoL, LSS) or the kind is unknown."
    )
    defer_to: list[str] = Field(
        default_factory=list,
        description="Rule ids: a sentence one of these rules already reports is not reported again by this rule.",
    )
    group: bool = Field(
        False,
        description="Report the rule's findings with the same reason as one finding that lists the other places.",
    )
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


# --- document kinds --------------------------------------------------------------------------


class KindSignal(_Strict):
    """Wording that shows what kind of document a draft is."""

    pattern: Regex
    weight: int = Field(1, ge=1, le=20, description="How strongly the wording points at the kind.")
    where: Literal["opening", "anywhere"] = Field(
        "anywhere", description="opening: only in the title and the first part of the draft."
    )
    reason: str = Field(description="Swedish, shown as the reason for the classification.")


class Kind(_Strict):
    """A kind of document and how to recognise it."""

    id: str = Field(pattern=KIND_ID)
    label: str = Field(description="Swedish name shown to the user.")
    welfare: bool | None = Field(
        None, description="true: only a welfare service (omsorg, SoL, LSS); false: only other services."
    )
    implies_welfare: bool = Field(False, description="The kind is always a welfare service (a LOV choice system).")
    signals: list[KindSignal] = Field(min_length=1)


class KindTable(_Strict):
    """The table of document kinds (dokumentslag.yaml)."""

    kinds: list[Kind] = Field(min_length=1)
    welfare: list[Regex] = Field(default_factory=list, description="Wording that shows a welfare service.")
    welfare_min: int = Field(3, ge=1, description="How many welfare wordings make the service a welfare service.")
    opening: int = Field(2500, ge=200, description="Characters counted as the draft's opening.")
    min_score: int = Field(4, ge=1, description="Below this score the kind is unknown and every rule is checked.")
    unknown_label: str = "Okänt slag av dokument"

    @field_validator("kinds", mode="after")
    @classmethod
    def _unique(cls, value: list[Kind]) -> list[Kind]:
        seen = set()
        for kind in value:
            if kind.id in seen:
                raise ValueError(f"dokumentslaget {kind.id!r} finns två gånger")
            seen.add(kind.id)
        return value

    @property
    def ids(self) -> set[str]:
        return {kind.id for kind in self.kinds}

    def merged(self, other: KindTable) -> KindTable:
        """This table with `other`'s kinds added (same id replaces) and its welfare wordings appended."""
        kinds = {kind.id: kind for kind in self.kinds}
        kinds.update({kind.id: kind for kind in other.kinds})
        welfare = list(dict.fromkeys(self.welfare + other.welfare))
        return self.model_copy(update={"kinds": list(kinds.values()), "welfare": welfare})


KINDS_FILE = "dokumentslag.yaml"


def _is_kind_table(data: Any) -> bool:
    return isinstance(data, dict) and "kinds" in data and "id" not in data


def load_kind_file(path: Path | str, text: str | None = None) -> KindTable:
    """Parse and validate a table of document kinds. Raises RuleFileError with the file and line."""
    path = Path(path)
    data, node = _parse_yaml(path, text)
    if not _is_kind_table(data):
        raise RuleFileError(path, "en tabell över dokumentslag ska ha nyckeln 'kinds' med en lista.", _line(node))
    try:
        return KindTable.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"]) or "tabellen"
        raise RuleFileError(path, f"{where}: {_problem(error)}", _line(_node_at(node, error["loc"]))) from None


_BUILTIN_KINDS: KindTable | None = None


def builtin_kinds() -> KindTable:
    """The table of document kinds shipped with the package (read once)."""
    global _BUILTIN_KINDS
    if _BUILTIN_KINDS is None:
        text = (resources.files("assistant") / "rules" / KINDS_FILE).read_text(encoding="utf-8")
        _BUILTIN_KINDS = load_kind_file(Path(KINDS_FILE), text)
    return _BUILTIN_KINDS


def builtin_kind_ids() -> set[str]:
    return builtin_kinds().ids


def load_kinds(user_dir: Path | str | None = None) -> KindTable:
    """The built-in kinds, with the kinds of a table in `user_dir` added or replacing by id."""
    table = builtin_kinds()
    if user_dir is None or not Path(user_dir).is_dir():
        return table
    for file in sorted(p for p in Path(user_dir).iterdir() if p.suffix.lower() in (".yaml", ".yml")):
        data, _ = _parse_yaml(file, None)
        if _is_kind_table(data):
            table = table.merged(load_kind_file(file))
    return table


# --- loading ---------------------------------------------------------------------------------


def _parse_yaml(path: Path, text: str | None) -> tuple[Any, yaml.Node | None]:
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
    return data, node


def load_rule_file(path: Path | str, text: str | None = None, kinds: set[str] | None = None) -> list[Rule]:
    """Parse and validate one rule file. Raises RuleFileError with the file and line.

    A table of document kinds (a file with `kinds:`) holds no rules: it yields an empty list.
    `kinds` are the known kind ids for `applies_to` (default: the built-in ones).
    """
    path = Path(path)
    data, node = _parse_yaml(path, text)
    if data is None:
        raise RuleFileError(
            path, "filen är tom; en regel behöver minst id, title, severity, principle, detector, message och fix."
        )
    if _is_kind_table(data):
        return []
    items, nodes = _rule_items(path, data, node)
    context = {"kinds": kinds} if kinds else None
    rules = []
    for item, item_node in zip(items, nodes, strict=True):
        if not isinstance(item, dict):
            raise RuleFileError(path, "varje regel ska vara en mappning (nyckel: värde).", _line(item_node))
        try:
            rules.append(Rule.model_validate(item, context=context))
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
        and part in ("phrases", "modality", "required", "references", "placeholders")
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
    "union_tag_invalid": "okänd detektortyp; välj phrases, modality, required, references eller placeholders",
    "union_tag_not_found": "detektorn saknar 'type' (phrases, modality, required, references eller placeholders)",
    "bool_type": "ska vara true eller false",
    "greater_than_equal": "är för litet",
    "less_than_equal": "är för stort",
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
    folder = Path(user_dir) if user_dir is not None else None
    if folder is not None and not folder.is_dir():
        raise RuleFileError(folder, "regelmappen finns inte.")
    kinds = load_kinds(folder).ids
    if builtin:
        for name, text in builtin_rule_files():
            for rule in load_rule_file(Path(name), text, kinds):
                by_id[rule.id] = rule
    if folder is not None:
        seen: dict[str, Path] = {}
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml"))
        for file in files:
            for rule in load_rule_file(file, kinds=kinds):
                if rule.id in seen:
                    raise RuleFileError(file, f"regel-id '{rule.id}' finns redan i {seen[rule.id].name}.")
                seen[rule.id] = file
                by_id[rule.id] = rule
    return list(by_id.values())
