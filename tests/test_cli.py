"""The CLI contract: commands and JSON shapes that other tools depend on."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import main

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("STYRDOK_EMBEDDER", "hashing")
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("003_c73df01d320b46e8.txt", "000_4d8f7f9054d40a3f.txt", "sfs-2008-962-lov-lag-om-valfrihetssystem.md"):
        shutil.copy(ROOT / "corpus" / name, docs / name)
    shutil.copy(DATA / "empty.txt", docs / "empty.txt")
    return {"index": str(tmp_path / "index"), "docs": docs, "tmp": tmp_path}


def _run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result


def test_ingest_prints_summary_and_names_bad_files(env):
    result = _run("ingest", env["docs"], "--index", env["index"], "--quiet")
    assert result.exit_code == 0, result.output
    assert "3 nya" in result.output
    assert "empty.txt" in result.output


def test_search_json_and_batch_shapes(env):
    _run("ingest", env["docs"], "--index", env["index"], "--quiet")
    result = _run("search", "Vem fattar beslut på operativ nivå?", "--index", env["index"], "--json", "--k", "3")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert len(payload["results"]) == 3
    first = payload["results"][0]
    assert set(first) == {"doc", "title", "page", "section", "text", "score"}
    assert first["doc"] == "003_c73df01d320b46e8.txt" and "operativ" in first["text"].lower()

    questions = env["tmp"] / "q.jsonl"
    questions.write_text(
        json.dumps({"id": "a", "question": "Vad ska känneteckna valfrihetssystemet?"}, ensure_ascii=False)
        + "\n"
        + json.dumps(
            {"id": 7, "question": "Vilka omständigheter får medföra uteslutning av sökande?"}, ensure_ascii=False
        )
        + "\n"
    )
    result = _run("search", "--batch", questions, "--k", "10", "--json", "--index", env["index"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.strip().splitlines()]
    assert [line["id"] for line in lines] == ["a", 7]
    assert all(len(line["results"]) == 10 for line in lines)
    assert lines[1]["results"][0]["doc"] == "sfs-2008-962-lov-lag-om-valfrihetssystem.md"
    assert isinstance(lines[1]["results"][0]["score"], float)


def test_docs_json_lists_what_is_indexed(env):
    _run("ingest", env["docs"], "--index", env["index"], "--quiet")
    result = _run("docs", "--json", "--index", env["index"])
    entries = json.loads(result.output)
    assert {e["doc"] for e in entries} == {
        "003_c73df01d320b46e8.txt",
        "000_4d8f7f9054d40a3f.txt",
        "sfs-2008-962-lov-lag-om-valfrihetssystem.md",
    }
    for e in entries:
        assert {"doc", "title", "kind", "pages", "chunks", "status"} <= set(e)
        assert e["chunks"] > 0 and e["status"] == "current"
    lov = next(e for e in entries if e["doc"].startswith("sfs"))
    assert lov["kind"] == "lag"


def test_remove_command(env):
    _run("ingest", env["docs"], "--index", env["index"], "--quiet")
    result = _run("remove", "000_4d8f7f9054d40a3f.txt", "--index", env["index"])
    assert result.exit_code == 0 and "Borttaget" in result.output
    result = _run("remove", "finns-inte.txt", "--index", env["index"])
    assert result.exit_code == 1 and "Finns inte" in result.output


def test_unknown_kind_gives_swedish_error(env):
    result = _run("search", "avtal", "--kind", "recept", "--index", env["index"])
    assert result.exit_code == 2
    assert "Okänd dokumenttyp" in result.output
