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


def test_roles_and_glossary_keep_exactly_their_keys(library):
    """The contract: keys may be added, never renamed; today's keys are exactly these."""
    roles = json.loads(CliRunner().invoke(intro_cli.roles_command, ["--json"]).output)
    assert set(roles[0]) == {"actor", "actor_label", "level", "level_basis", "modality", "source_type", "title"} | {
        "text",
        "sources",
    }
    glossary = json.loads(CliRunner().invoke(intro_cli.glossary_command, ["--json"]).output)
    assert set(glossary[0]) == {"term", "text", "definition", "source_type", "title", "sources", "related"}


def test_map_json_and_svg(library, tmp_path):
    svg = tmp_path / "karta.svg"
    result = CliRunner().invoke(intro_cli.map_command, ["--json", "--svg", str(svg)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"nodes", "edges", "mandate", "decisions"}
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["namnd"]["statements"] == 1 and nodes["namnd"]["summary"][0]["sources"][0]["doc"] == "policy.txt"
    edge = next(e for e in data["edges"] if (e["source"], e["target"]) == ("namnd", "utforare"))
    assert edge["relation"] == "foljer_upp" and edge["statements"][0]["sources"]
    assert [m["id"] for m in data["mandate"]][0] == "uppfoljningsprogram"
    assert svg.read_text(encoding="utf-8").startswith("<?xml")
    text = CliRunner().invoke(intro_cli.map_command, []).output
    assert "Nämnden följer upp privata utförare" in text and "Det här måste fullmäktige besluta" in text
