"""`styrdok roles` and `styrdok glossary`: the JSON contract and the Swedish listing."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from test_intro_fakes import FakeLibrary, make_doc

import assistant.intro.cli as intro_cli
from assistant.models import DocumentKind

DOCS = [
    make_doc(
        "lov.md",
        "Med förfrågningsunderlag avses sådant underlag för ansökan om att delta i ett valfrihetssystem.\n\n"
        "Med valfrihetssystem avses ett förfarande där den enskilde har rätt att välja leverantör.\n\n"
        "För den enskilde som inte väljer leverantör ska den upphandlande myndigheten "
        "tillhandahålla ett ickevalsalternativ.",
        DocumentKind.lag,
        title="Lag (2008:962) om valfrihetssystem",
    ),
    make_doc("policy.txt", "Socialnämnden ska följa upp alla avtal med utförare.", DocumentKind.policy, title="Policy"),
]


@pytest.fixture
def library(monkeypatch, tmp_path):
    lib = FakeLibrary(DOCS)
    lib.folder = tmp_path  # the cache goes to the index folder
    opened = []
    monkeypatch.setattr(intro_cli, "open_library", lambda index_dir: opened.append(index_dir) or lib)
    lib.opened = opened
    return lib


def test_roles_json_shape(library, tmp_path):
    result = CliRunner().invoke(intro_cli.roles_command, ["--json", "--index", str(tmp_path)])
    assert result.exit_code == 0, result.output
    entries = json.loads(result.output)
    assert library.opened == [tmp_path]
    assert {e["actor"] for e in entries} >= {"bestallare", "namnd"}
    for entry in entries:
        assert {"actor", "text", "sources", "level", "source_type"} <= set(entry)
        for source in entry["sources"]:
            assert set(source) >= {"doc", "page", "section", "quote"}


def test_glossary_json_shape(library):
    result = CliRunner().invoke(intro_cli.glossary_command, ["--json"])
    assert result.exit_code == 0, result.output
    entries = {e["term"]: e for e in json.loads(result.output)}
    entry = entries["förfrågningsunderlag"]
    assert {"term", "text", "sources", "related"} <= set(entry)
    assert entry["sources"][0]["doc"] == "lov.md" and "valfrihetssystem" in entry["related"]


def test_readable_listings_are_swedish(library):
    roles = CliRunner().invoke(intro_cli.roles_command, [])
    assert roles.exit_code == 0 and "Nämnden" in roles.output and "Källa:" in roles.output
    glossary = CliRunner().invoke(intro_cli.glossary_command, [])
    assert "förfrågningsunderlag (definition, lag)" in glossary.output


def test_injected_library_wins_over_open_library():
    lib = FakeLibrary(DOCS)
    result = CliRunner().invoke(intro_cli.roles_command, ["--json"], obj={"library": lib})
    assert result.exit_code == 0 and json.loads(result.output)


def test_empty_index_says_so():
    result = CliRunner().invoke(intro_cli.roles_command, [], obj={"library": FakeLibrary([])})
    assert result.exit_code == 0 and "styrdok ingest" in result.output
    as_json = CliRunner().invoke(intro_cli.glossary_command, ["--json"], obj={"library": FakeLibrary([])})
    assert json.loads(as_json.output) == []
