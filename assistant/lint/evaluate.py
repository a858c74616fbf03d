"""Precision and recall of lint per rule against labelled drafts (see shared/eval/README.md)."""

from __future__ import annotations

import json
import re
from difflib import SequenceMatcher
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.errors import StyrdokError
from assistant.lint.draft import SUFFIXES, read_draft
from assistant.lint.engine import lint_draft
from assistant.lint.rules import KindTable, Rule
from assistant.models import Finding
from assistant.text import normalize

SCORED_RULES = (
    "konkurrensneutralitet",
    "uppfoljningsbarhet",
    "modalitet",
    "sanktioner",
    "insyn",
    "uppfoljning",
    "ersattning",
    "framforhallning",
    "hanvisning",
)


class Label(BaseModel):
    draft: str
    rule: str
    quote: str | None = None
    missing: bool = False


class RuleScore(BaseModel):
    rule: str
    findings: int = 0
    matched_findings: int = 0
    defects: int = 0
    matched_defects: int = 0

    @property
    def precision(self) -> float | None:
        return self.matched_findings / self.findings if self.findings else None

    @property
    def recall(self) -> float | None:
        return self.matched_defects / self.defects if self.defects else None


class EvalReport(BaseModel):
    rules: list[RuleScore]
    overall: RuleScore
    clean_false_positives: dict[str, int] = Field(
        default_factory=dict, description="Scored findings on unlabelled drafts."
    )
    missed: list[Label] = Field(default_factory=list)
    false_positives: list[dict] = Field(default_factory=list)
    drafts: list[str] = Field(default_factory=list)

    def to_dict(self) -> dict:
        def row(score: RuleScore) -> dict:
            return {**score.model_dump(), "precision": score.precision, "recall": score.recall}

        return {
            "rules": [row(r) for r in self.rules],
            "overall": row(self.overall),
            "clean_false_positives": self.clean_false_positives,
            "missed": [m.model_dump() for m in self.missed],
            "false_positives": self.false_positives,
            "drafts": self.drafts,
        }


def scored_rule_ids(labels_path: Path) -> tuple[str, ...]:
    """Rule ids of LINT_RULES.md next to the labels when present, else the documented set."""
    table = labels_path.parent / "LINT_RULES.md"
    if table.exists():
        ids = re.findall(r"^\|\s*([a-z_]+)\s*\|", table.read_text(encoding="utf-8"), flags=re.MULTILINE)
        ids = [i for i in ids if i != "id"]
        if ids:
            return tuple(ids)
    return SCORED_RULES


def read_labels(path: Path) -> list[Label]:
    labels = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                labels.append(Label.model_validate(json.loads(line)))
            except ValueError as exc:
                raise StyrdokError(f"{path.name}, rad {number}: ogiltig etikett ({exc}).") from exc
    return labels


def quotes_overlap(a: str, b: str) -> bool:
    """True when two quotes point at the same text after normalisation."""
    x, y = (normalize(t).strip(' .;:,”"') for t in (a, b))
    if not x or not y:
        return False
    if x in y or y in x:
        return True
    match = SequenceMatcher(None, x, y, autojunk=False).find_longest_match(0, len(x), 0, len(y))
    return match.size >= max(15, 0.5 * min(len(x), len(y)))


def matches(finding: Finding, label: Label) -> bool:
    if finding.rule != label.rule:
        return False
    if label.missing:
        return finding.missing
    return bool(finding.quote and label.quote and quotes_overlap(finding.quote, label.quote))


def evaluate(
    labels_path: Path,
    drafts_dir: Path,
    rules: list[Rule],
    scored: tuple[str, ...] | None = None,
    kinds: KindTable | None = None,
) -> EvalReport:
    """Lint every draft in `drafts_dir` and score the findings against the labels (matched by file stem)."""
    scored = scored or scored_rule_ids(labels_path)
    labels = read_labels(labels_path)
    files = sorted(p for p in drafts_dir.iterdir() if p.suffix.lower() in SUFFIXES)
    if not files:
        raise StyrdokError(f"Inga utkast (PDF, DOCX, Markdown, text) i {drafts_dir}.")
    scores = {rule: RuleScore(rule=rule) for rule in scored}
    report = EvalReport(rules=[], overall=RuleScore(rule="totalt"), drafts=[f.name for f in files])
    for file in files:
        draft_labels = [lab for lab in labels if Path(lab.draft).stem == file.stem and lab.rule in scores]
        findings = [f for f in lint_draft(read_draft(file), rules, kinds=kinds) if f.rule in scores]
        if not any(Path(lab.draft).stem == file.stem for lab in labels):
            report.clean_false_positives[file.name] = len(findings)
        for finding in findings:
            score = scores[finding.rule]
            score.findings += 1
            if any(matches(finding, lab) for lab in draft_labels):
                score.matched_findings += 1
            else:
                report.false_positives.append({"draft": file.name, **finding.public()})
        for label in draft_labels:
            score = scores[label.rule]
            score.defects += 1
            if any(matches(f, label) for f in findings):
                score.matched_defects += 1
            else:
                report.missed.append(label)
    report.rules = [s for s in scores.values() if s.findings or s.defects]
    for field in ("findings", "matched_findings", "defects", "matched_defects"):
        setattr(report.overall, field, sum(getattr(s, field) for s in scores.values()))
    return report


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def render_eval(report: EvalReport) -> str:
    """Swedish table: precision and recall per rule and overall."""
    lines = [f"{'regel':24} {'fynd':>5} {'rätt':>5} {'defekter':>8} {'hittade':>7} {'precision':>9} {'recall':>6}"]
    for s in [*report.rules, report.overall]:
        lines.append(
            f"{s.rule:24} {s.findings:>5} {s.matched_findings:>5} {s.defects:>8} {s.matched_defects:>7} "
            f"{_pct(s.precision):>9} {_pct(s.recall):>6}"
        )
    for name, count in report.clean_false_positives.items():
        lines.append(f"Felaktiga fynd på det rena utkastet {name}: {count}")
    for label in report.missed:
        what = "saknas" if label.missing else f"”{label.quote}”"
        lines.append(f"Missad defekt: {label.draft} [{label.rule}] {what}")
    for fp in report.false_positives:
        what = "saknas" if fp["missing"] else f"”{fp['quote']}”"
        lines.append(f"Felaktigt fynd: {fp['draft']} [{fp['rule']}] {what}")
    return "\n".join(lines) + "\n"
