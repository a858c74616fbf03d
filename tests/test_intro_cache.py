"""The introduction is cached in the index folder and rebuilt when the index changes."""

from __future__ import annotations

from test_intro_fakes import FakeLibrary, make_doc

import assistant.intro.cache as cache_module
from assistant.intro.cache import CACHE_NAME, cache_key, load_intro
from assistant.intro.config import default_config
from assistant.models import DocumentKind

TEXT = "Fullmäktige ska anta ett program för uppföljning av privata utförare."


def _library(text: str = TEXT) -> FakeLibrary:
    return FakeLibrary([make_doc("a.txt", text, DocumentKind.policy)])


def _counting(monkeypatch) -> list[int]:
    calls = [0]
    real = cache_module.build_role_map

    def counted(library, config=None):
        calls[0] += 1
        return real(library, config)

    monkeypatch.setattr(cache_module, "build_role_map", counted)
    return calls


def test_second_load_comes_from_the_cache(tmp_path, monkeypatch):
    calls = _counting(monkeypatch)
    first = load_intro(_library(), tmp_path)
    second = load_intro(_library(), tmp_path)
    assert calls[0] == 1 and (tmp_path / CACHE_NAME).exists()
    assert [r.text for r in second.roles] == [r.text for r in first.roles] == [TEXT]


def test_changed_document_rebuilds(tmp_path, monkeypatch):
    calls = _counting(monkeypatch)
    load_intro(_library(), tmp_path)
    changed = load_intro(_library("Nämnden ska följa upp alla avtal med utförare."), tmp_path)
    assert calls[0] == 2 and changed.roles[0].actor == "namnd"


def test_key_covers_extractor_version_and_data_file(monkeypatch):
    library = _library()
    key = cache_key(library)
    monkeypatch.setattr(cache_module, "EXTRACTOR_VERSION", "test")
    assert cache_key(library) != key
    monkeypatch.undo()
    other = default_config().model_copy(update={"digest": "changed"})
    assert cache_key(library, other) != key


def test_key_without_state_token_hashes_documents():
    class Plain(FakeLibrary):
        state_token = None

    a = Plain([make_doc("a.txt", TEXT)])
    b = Plain([make_doc("a.txt", TEXT + " Nämnden ska följa upp.")])
    assert cache_key(a) != cache_key(b)


def test_corrupt_cache_is_rebuilt(tmp_path, monkeypatch):
    calls = _counting(monkeypatch)
    (tmp_path / CACHE_NAME).write_text("{not json", encoding="utf-8")
    data = load_intro(_library(), tmp_path)
    assert calls[0] == 1 and data.roles


def test_starters_are_verified_once_and_cached(tmp_path):
    from assistant.models import Answer, Citation

    asked: list[str] = []

    class FakeAnswerer:
        def ask(self, question):
            asked.append(question)
            cited = "program" in question
            citations = [Citation(doc="a.txt", title="a", quote=TEXT)] if cited else []
            return Answer(question=question, text="svar", abstained=not cited, citations=citations)

    data = load_intro(_library(), tmp_path, with_starters=True, answerer=FakeAnswerer())
    assert data.starters and all("program" in s.question for s in data.starters)
    count = len(asked)
    again = load_intro(_library(), tmp_path, with_starters=True, answerer=FakeAnswerer())
    assert len(asked) == count and again.starters == data.starters
