"""A document is its path below the folder ingested: same-named files in two folders are two documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.api import Styrdok
from assistant.cli import main
from assistant.errors import IndexMismatchError
from assistant.ingest import ingest, remove
from assistant.library import open_library


def _library(root: Path) -> Path:
    """Two units with a routine of the same name and different content, and one unique routine."""
    for unit, word in (("Hemtjänst", "nyckelgömma"), ("Gruppbostad", "måltidsschema")):
        (root / unit).mkdir(parents=True)
        (root / unit / "Dagsrutiner.md").write_text(
            f"# Dagsrutiner {unit}\n\nPersonalen i {unit.lower()} kontrollerar {word} varje morgon.\n", "utf-8"
        )
    (root / "Hemtjänst" / "Nyckelrutin.md").write_text(
        "# Nyckelrutin\n\nNycklar kvitteras ut av samordnaren och lämnas tillbaka samma dag.\n", "utf-8"
    )
    return root


def test_same_file_name_in_two_folders_is_two_documents(make_library, tmp_path):
    library = make_library()
    report = ingest(library, [_library(tmp_path / "bibliotek")])
    assert sorted(report.added) == [
        "Gruppbostad/Dagsrutiner.md",
        "Hemtjänst/Dagsrutiner.md",
        "Hemtjänst/Nyckelrutin.md",
    ]
    assert not report.updated
    metas = {m.doc: m for m in library.documents()}
    assert metas["Hemtjänst/Dagsrutiner.md"].folder == "Hemtjänst"
    assert metas["Gruppbostad/Dagsrutiner.md"].file_name == "Dagsrutiner.md"

    for word, unit in (("nyckelgömma", "Hemtjänst"), ("måltidsschema", "Gruppbostad")):
        hits = library.search(word, k=3, mode="lexical")
        assert hits[0].chunk.doc == f"{unit}/Dagsrutiner.md"
        hits = library.search(word, k=3)
        assert hits[0].chunk.doc == f"{unit}/Dagsrutiner.md"

    assert remove(library, ["Gruppbostad/Dagsrutiner.md"]) == ["Gruppbostad/Dagsrutiner.md"]
    assert sorted(m.doc for m in library.documents()) == ["Hemtjänst/Dagsrutiner.md", "Hemtjänst/Nyckelrutin.md"]
    assert library.search("måltidsschema", k=3, mode="lexical") == []
    assert library.search("nyckelgömma", k=3, mode="lexical")[0].chunk.doc == "Hemtjänst/Dagsrutiner.md"
    assert set(library.store.all_ids()) == set(library.catalog.chunk_ids())


def test_remove_by_file_name_needs_the_path_when_two_documents_have_it(tmp_path):
    index = tmp_path / "index"
    runner = CliRunner()
    env = {"STYRDOK_EMBEDDER": "hashing"}
    assert (
        runner.invoke(
            main, ["ingest", "--index", str(index), "--quiet", str(_library(tmp_path / "b"))], env=env
        ).exit_code
        == 0
    )

    ambiguous = runner.invoke(main, ["remove", "--index", str(index), "Dagsrutiner.md"], env=env)
    assert ambiguous.exit_code == 1
    assert "Flera dokument heter Dagsrutiner.md" in ambiguous.output
    assert "Gruppbostad/Dagsrutiner.md" in ambiguous.output and "Hemtjänst/Dagsrutiner.md" in ambiguous.output

    unique = runner.invoke(main, ["remove", "--index", str(index), "Nyckelrutin.md"], env=env)
    assert unique.exit_code == 0 and "Borttaget: Hemtjänst/Nyckelrutin.md" in unique.output
    exact = runner.invoke(main, ["remove", "--index", str(index), "Gruppbostad/Dagsrutiner.md"], env=env)
    assert exact.exit_code == 0

    listed = json.loads(runner.invoke(main, ["docs", "--index", str(index), "--json"], env=env).output)
    assert [(e["doc"], e["folder"]) for e in listed] == [("Hemtjänst/Dagsrutiner.md", "Hemtjänst")]


def test_search_json_and_citations_name_the_folder(tmp_path):
    index = tmp_path / "index"
    api = Styrdok.open(index, embedder=__import__("assistant.embedding").embedding.HashingEmbedder())
    api.ingest([_library(tmp_path / "b")])
    hits = api.search("Vem kontrollerar måltidsschema?", k=2)
    assert hits[0].chunk.doc == "Gruppbostad/Dagsrutiner.md"
    answer = api.ask("Vem kontrollerar måltidsschemat varje morgon?")
    assert not answer.abstained
    assert answer.citations[0].doc == "Gruppbostad/Dagsrutiner.md"


def test_two_folders_ingested_with_the_same_relative_path_stay_apart(make_library, tmp_path):
    library = make_library()
    first = _library(tmp_path / "forvaltning_a")
    second = _library(tmp_path / "forvaltning_b")
    ingest(library, [first])
    report = ingest(library, [second])
    assert sorted(report.added) == [
        "forvaltning_b/Gruppbostad/Dagsrutiner.md",
        "forvaltning_b/Hemtjänst/Dagsrutiner.md",
        "forvaltning_b/Hemtjänst/Nyckelrutin.md",
    ]
    assert len(library.documents()) == 6
    # Ingesting both again changes nothing: each file keeps the id it was given.
    again = ingest(library, [first, second])
    assert len(again.unchanged) == 6 and not again.added and not again.updated


def test_a_moved_file_keeps_its_id_and_sync_removes_only_what_is_gone(make_library, tmp_path):
    library = make_library()
    root = _library(tmp_path / "b")
    ingest(library, [root])
    moved = tmp_path / "c"
    root.rename(moved)
    report = ingest(library, [moved])
    assert sorted(report.updated) == [] and len(report.unchanged) == 3  # same content, same ids, new place
    assert {Path(m.path).parent.parent for m in library.documents()} == {moved.resolve()}

    (moved / "Gruppbostad" / "Dagsrutiner.md").unlink()
    synced = ingest(library, [moved], sync=True)
    assert synced.removed == ["Gruppbostad/Dagsrutiner.md"]
    assert sorted(m.doc for m in library.documents()) == ["Hemtjänst/Dagsrutiner.md", "Hemtjänst/Nyckelrutin.md"]


def test_an_index_of_the_old_format_asks_for_a_rebuild(make_library, tmp_path):
    library = make_library()
    ingest(library, [_library(tmp_path / "b")])
    library.catalog.set_info("format", "1")
    with pytest.raises(IndexMismatchError, match="äldre format.*--rebuild"):
        make_library()


def test_docs_filters_by_folder_kind_and_text(tmp_path):
    index = tmp_path / "index"
    root = _library(tmp_path / "b")
    (root / "Hemtjänst" / "Checklista nyanställd.md").write_text(
        "# Checklista för nyanställd\n\n- Nycklar\n- Larm\n", "utf-8"
    )
    runner = CliRunner()
    env = {"STYRDOK_EMBEDDER": "hashing"}
    runner.invoke(main, ["ingest", "--index", str(index), "--quiet", str(root)], env=env)

    def docs(*args):
        out = runner.invoke(main, ["docs", "--index", str(index), "--json", *args], env=env)
        return sorted(e["doc"] for e in json.loads(out.output))

    assert docs("--folder", "Gruppbostad") == ["Gruppbostad/Dagsrutiner.md"]
    assert docs("--kind", "checklista") == ["Hemtjänst/Checklista nyanställd.md"]
    assert docs("--text", "nyckel") == ["Hemtjänst/Nyckelrutin.md"]
    counts = json.loads(runner.invoke(main, ["docs", "--index", str(index), "--folders", "--json"], env=env).output)
    assert counts == {"Gruppbostad": 1, "Hemtjänst": 3}


def test_reopened_index_keeps_path_ids(tmp_path):
    from assistant.embedding import HashingEmbedder

    index = tmp_path / "index"
    library = open_library(index, embedder=HashingEmbedder())
    ingest(library, [_library(tmp_path / "b")])
    reopened = open_library(index, embedder=HashingEmbedder())
    assert {m.doc for m in reopened.documents()} == {m.doc for m in library.documents()}


def test_search_and_ask_keep_to_one_folder(tmp_path):
    """Care staff ask about their own unit: --folder keeps search and answers to its documents."""
    index = tmp_path / "index"
    runner = CliRunner()
    env = {"STYRDOK_EMBEDDER": "hashing"}
    runner.invoke(main, ["ingest", "--index", str(index), "--quiet", str(_library(tmp_path / "b"))], env=env)
    question = "Vad kontrollerar personalen varje morgon?"
    everywhere = json.loads(runner.invoke(main, ["search", question, "--index", str(index), "--json"], env=env).output)
    assert {r["doc"] for r in everywhere["results"]} >= {"Hemtjänst/Dagsrutiner.md", "Gruppbostad/Dagsrutiner.md"}
    unit = json.loads(
        runner.invoke(
            main, ["search", question, "--index", str(index), "--json", "--folder", "Gruppbostad"], env=env
        ).output
    )
    assert [r["doc"] for r in unit["results"]] == ["Gruppbostad/Dagsrutiner.md"]
    answer = json.loads(
        runner.invoke(main, ["ask", question, "--index", str(index), "--json", "--folder", "Hemtjänst"], env=env).output
    )
    assert answer["citations"] and {c["doc"] for c in answer["citations"]} <= {
        "Hemtjänst/Dagsrutiner.md",
        "Hemtjänst/Nyckelrutin.md",
    }


def test_docs_text_filter_finds_who_decided(tmp_path):
    root = tmp_path / "b"
    (root / "Hemtjänst").mkdir(parents=True)
    (root / "Hemtjänst" / "Larm.md").write_text(
        "Dokumentet är beslutat av: Verksamhetschef hemtjänst\n\n# RUTIN\n\nLarmet testas varje månad.\n", "utf-8"
    )
    (root / "Hemtjänst" / "Kost.md").write_text("# RUTIN\n\nMaten beställs på måndagar.\n", "utf-8")
    index = tmp_path / "index"
    runner = CliRunner()
    env = {"STYRDOK_EMBEDDER": "hashing"}
    runner.invoke(main, ["ingest", "--index", str(index), "--quiet", str(root)], env=env)
    out = runner.invoke(main, ["docs", "--index", str(index), "--json", "--text", "verksamhetschef"], env=env)
    listed = json.loads(out.output)
    assert [(e["doc"], e["decided_by"]) for e in listed] == [("Hemtjänst/Larm.md", "Verksamhetschef hemtjänst")]
