"""Lint for draft förfrågningsunderlag: rules as data, detectors, findings that cite their principle."""

from assistant.lint.draft import Draft, parse_draft, read_draft
from assistant.lint.engine import SourceFinder, lint_draft
from assistant.lint.rules import Rule, load_rule_file, load_rules

__all__ = ["Draft", "Rule", "SourceFinder", "lint_draft", "load_rule_file", "load_rules", "parse_draft", "read_draft"]
