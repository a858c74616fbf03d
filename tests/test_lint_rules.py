"""Lint rule files: validation errors name the file and line; user rules add to and override built-ins."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import RuleFileError
from assistant.lint.rules import load_rule_file, load_rules

SCORED = {
    "konkurrensneutralitet",
    "uppfoljningsbarhet",
    "modalitet",
    "sanktioner",
    "insyn",
    "uppfoljning",
    "ersattning",
    "framforhallning",
    "hanvisning",
}

VALID = """\
id: egen_regel
title: Ingen tolk
severity: warning
principle: Tolk ska erbjudas.
detector:
  type: phrases
  items:
    - pattern: '\\butan tolk\\b'
      reason: tolk saknas
message: 'Problem: {reason}.'
fix: Erbjud tolk.
"""


def _error(tmp_path: Path, text: str) -> RuleFileError:
    path = tmp_path / "regel.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_rule_file(path)
    return info.value


def test_builtin_rules_cover_every_scored_id_and_lov_contents():
    ids = {rule.id for rule in load_rules()}
    assert SCORED <= ids
    assert {"lov_innehall", "ickevalsalternativ"} <= ids


def test_builtin_rules_have_sources_and_swedish_texts():
    for rule in load_rules():
        assert rule.sources, rule.id
        assert all(spec.query for spec in rule.sources)
        assert any(c in rule.principle + rule.message + rule.fix for c in "åäö"), rule.id


def test_valid_file_loads(tmp_path):
    path = tmp_path / "regel.yaml"
    path.write_text(VALID, encoding="utf-8")
    [rule] = load_rule_file(path)
    assert rule.id == "egen_regel" and rule.detectors[0].type == "phrases"


def test_missing_field_names_file_and_line(tmp_path):
    error = _error(tmp_path, VALID.replace("fix: Erbjud tolk.\n", ""))
    assert error.line == 1
    assert "regel.yaml, rad 1" in str(error) and "fix" in str(error)


def test_unknown_field_points_at_its_line(tmp_path):
    error = _error(tmp_path, VALID.replace("severity: warning\n", "severity: warning\nseverty: error\n"))
    assert error.line == 4
    assert "severty" in str(error) and "okänt fält" in str(error)


def test_bad_regex_points_at_pattern_line(tmp_path):
    error = _error(tmp_path, VALID.replace("'\\butan tolk\\b'", "'(utan tolk'"))
    assert error.line == 8
    assert "reguljärt uttryck" in str(error)


def test_unknown_placeholder_is_rejected(tmp_path):
    error = _error(tmp_path, VALID.replace("{reason}", "{orsak}"))
    assert error.line == 10 and "orsak" in str(error)


def test_bad_severity_and_detector_type(tmp_path):
    error = _error(tmp_path, VALID.replace("severity: warning", "severity: kritisk"))
    assert error.line == 3 and "severity" in str(error)
    error = _error(tmp_path, VALID.replace("type: phrases", "type: nyckelord"))
    assert error.line == 6 and "detektortyp" in str(error)


def test_yaml_syntax_error_has_line(tmp_path):
    error = _error(tmp_path, VALID.replace("title: Ingen tolk", "title: [Ingen tolk"))
    assert error.line is not None and error.line >= 2
    assert "ogiltig YAML" in str(error)


def test_empty_file_is_an_error(tmp_path):
    error = _error(tmp_path, "")
    assert "tom" in str(error)


def test_user_rules_add_and_override(tmp_path):
    (tmp_path / "tolk.yaml").write_text(VALID, encoding="utf-8")
    override = VALID.replace("id: egen_regel", "id: modalitet").replace("severity: warning", "severity: error")
    (tmp_path / "modalitet.yaml").write_text(override, encoding="utf-8")
    rules = {rule.id: rule for rule in load_rules(tmp_path)}
    assert "egen_regel" in rules and "konkurrensneutralitet" in rules
    assert rules["modalitet"].severity == "error" and rules["modalitet"].detectors[0].type == "phrases"


def test_duplicate_ids_in_user_folder(tmp_path):
    (tmp_path / "a.yaml").write_text(VALID, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(VALID, encoding="utf-8")
    with pytest.raises(RuleFileError, match="finns redan"):
        load_rules(tmp_path)


def test_list_of_rules_in_one_file(tmp_path):
    second = VALID.replace("id: egen_regel", "id: annan_regel")
    text = "rules:\n" + "".join("  - " + block.replace("\n", "\n    ").rstrip() + "\n" for block in (VALID, second))
    path = tmp_path / "flera.yaml"
    path.write_text(text, encoding="utf-8")
    assert [r.id for r in load_rule_file(path)] == ["egen_regel", "annan_regel"]
