"""assistant.api: the one path. Behaviour of the Styrdok object, and proof that the CLI and the UI use it."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.api import Linter, Styrdok
from assistant.errors import StyrdokError
from assistant.intro.models import GlossaryEntry, RoleStatement
from assistant.models import Answer, DocumentMeta, Finding, SearchHit

ROOT = Path(__file__).resolve().parent.parent
DRAFT = ROOT / "tests" / "data" / "lint" / "ff_syntetisk_brister.md"
DOCS = {
    "policy.md": (
        "# Policy för valfrihetssystem\n\n## 4. Uppföljning\n\nSocialnämnden ska följa upp alla avtal med privata "
        "utförare minst en gång per år.\n\n## 5. Konkurrensneutralitet\n\nKommunens egen regi och privata utförare "
        "ska behandlas lika och ha samma villkor och samma ersättning.\n"
    ),
    "lov.md": (
        "# Lag om valfrihetssystem\n\nMed förfrågningsunderlag avses sådant underlag för ansökan om att delta i ett "
        "valfrihetssystem.\n\nMed valfrihetssystem avses ett förfarande där den enskilde har rätt att välja "
        "leverantör.\n"
    ),
}
# What a caller of each operation must not import directly: the API is the only way in.
BYPASSES = {
    "assistant.library": "open_library / Library",
    "assistant.ingest": "ingest / remove",
    "assistant.answering.service": "Answerer",
    "assistant.answering.Answerer": "Answerer",
    "assistant.answering.config": "the language model",
    "assistant.lint.engine": "lint_draft / SourceFinder",
    "assistant.lint.draft": "read_draft",
    "assistant.lint.rules": "load_rules",
    "assistant.intro.cache": "load_intro",
    "assistant.intro.roles": "roles",
    "assistant.intro.glossary": "glossary",
    "assistant.intro.starters": "starters",
}
CALLERS = [
    "assistant/cli.py",
    "assistant/answering/cli.py",
    "assistant/lint/cli.py",
    "assistant/intro/cli.py",
    "ui/services.py",
    "ui/server.py",
    "ui/intro_tab.py",
]


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    from assistant.embedding import HashingEmbedder

    folder = tmp_path_factory.mktemp("api")
    (folder / "docs").mkdir()
    for name, text in DOCS.items():
        (folder / "docs" / name).write_text(text, encoding="utf-8")
    styrdok = Styrdok.open(folder / "index", embedder=HashingEmbedder())
    report = styrdok.ingest([folder / "docs"])
    assert sorted(report.added) == sorted(DOCS) and not report.skipped
    return styrdok


def _imports(path: Path) -> list[tuple[str, str | None]]:
    """(module, name) for every import in the file, also those inside functions."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found += [(node.module, alias.name) for alias in node.names]
            found += [(f"{node.module}.{alias.name}", None) for alias in node.names]
    return found


@pytest.mark.parametrize("caller", CALLERS)
def test_cli_and_ui_reach_the_index_only_through_the_api(caller):
    bypasses = [f"{module} ({BYPASSES[module]})" for module, _ in _imports(ROOT / caller) if module in BYPASSES]
    assert not bypasses, f"{caller} går förbi assistant.api: {bypasses}"
    assert any(module == "assistant.api" for module, _ in _imports(ROOT / caller))


def test_the_import_check_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "def f():\n    from assistant.ingest import ingest\n    from assistant import library\n"
        "    from assistant.answering import Answerer\n"
    )
    modules = {m for m, _ in _imports(bad)}
    assert {"assistant.ingest", "assistant.library", "assistant.answering.Answerer"} <= modules


def test_cli_commands_run_through_the_api(monkeypatch, tmp_path):
    """Replace the API's methods: the CLI output must change accordingly."""
    from assistant.cli import main

    asked, searched = [], []
    canned = Answer(question="q", text="Svar från API:t.", abstained=False)
    monkeypatch.setattr(Styrdok, "ask", lambda self, q, **kw: asked.append(q) or canned)
    monkeypatch.setattr(Styrdok, "search", lambda self, q, **kw: searched.append(q) or [])
    index = ["--index", str(tmp_path / "index")]
    env = {"STYRDOK_EMBEDDER": "hashing"}
    ask = CliRunner().invoke(main, ["ask", "Vem beslutar?", "--json", *index], env=env)
    assert ask.exit_code == 0, ask.output
    assert json.loads(ask.output)["answer"] == "Svar från API:t." and asked == ["Vem beslutar?"]
    search = CliRunner().invoke(main, ["search", "utförare", "--json", *index], env=env)
    assert json.loads(search.output) == {"query": "utförare", "results": []} and searched == ["utförare"]


def test_documents_search_and_filters(api):
    assert all(isinstance(m, DocumentMeta) for m in api.documents())
    assert {e["doc"]: e["chunks"] > 0 for e in api.describe()} == {"policy.md": True, "lov.md": True}
    hits = api.search("Vem följer upp avtalen med privata utförare?", k=3)
    assert hits and all(isinstance(h, SearchHit) for h in hits) and len(hits) <= 3
    assert hits[0].chunk.doc == "policy.md" and "följa upp" in hits[0].chunk.text
    only = api.search("utförare", k=5, docs=["lov.md"])
    assert only and {h.chunk.doc for h in only} == {"lov.md"}
    text, page_starts = api.source("policy.md")
    assert "Socialnämnden ska följa upp" in text and isinstance(page_starts, list)


def test_ask_cites_the_documents_and_follows_up(api):
    conversation = api.conversation()
    answer = api.ask("Vem ska följa upp avtalen med privata utförare?", conversation=conversation)
    assert isinstance(answer, Answer) and not answer.abstained
    cited = answer.citations[0]
    assert cited.doc == "policy.md" and cited.quote in DOCS["policy.md"]
    unanswerable = api.ask("Vilka öppettider har simhallen?")
    assert unanswerable.abstained and not unanswerable.citations


def test_lint_finds_breaches_with_sources_from_the_index(api):
    findings = api.lint(DRAFT)
    assert findings and all(isinstance(f, Finding) for f in findings)
    neutrality = [f for f in findings if f.rule == "konkurrensneutralitet"]
    assert neutrality and any(s.doc in DOCS for f in neutrality for s in f.sources)
    without_index = Linter().review(DRAFT)
    assert [f.rule for f in without_index.findings] == [f.rule for f in findings]
    assert not any(f.sources for f in without_index.findings)
    from_text = api.linter().review_text(DRAFT.read_text(encoding="utf-8"), DRAFT.name)
    assert [f.rule for f in from_text.findings] == [f.rule for f in findings]
    with pytest.raises(StyrdokError, match="tomt.md"):
        api.linter().review_text("  ", "tomt.md")


def test_roles_and_glossary_are_cached_per_index_state(api, tmp_path):
    assert api.cached_intro() is None, "nothing is built before it is asked for"
    roles, glossary = api.roles(), api.glossary()
    assert any(isinstance(r, RoleStatement) and r.actor == "namnd" for r in roles)
    terms = {g.term: g for g in glossary}
    assert all(isinstance(g, GlossaryEntry) for g in glossary)
    assert terms["förfrågningsunderlag"].sources[0].doc == "lov.md"
    assert api.cached_intro() is not None
    extra = tmp_path / "extra.md"
    extra.write_text("# Riktlinje\n\nNämnden ska besluta om riktlinjer.\n", encoding="utf-8")
    api.ingest([extra])
    try:
        assert api.cached_intro() is None, "a changed index invalidates the cached introduction"
    finally:
        assert api.remove(["extra.md", "saknas.md"]) == ["extra.md"]


def test_open_with_rebuild_empties_the_index(tmp_path):
    from assistant.embedding import HashingEmbedder

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "policy.md").write_text(DOCS["policy.md"], encoding="utf-8")
    first = Styrdok.open(tmp_path / "index", embedder=HashingEmbedder())
    first.ingest([tmp_path / "docs"])
    assert [m.doc for m in first.documents()] == ["policy.md"]
    first.library.store.client.close()
    again = Styrdok.open(tmp_path / "index", embedder=HashingEmbedder(), rebuild=True)
    assert again.documents() == []
    assert Styrdok.wrap(again) is again and Styrdok.wrap(again.library).library is again.library
