"""Per-session state, the shared services and their locking, without a server."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

from assistant.answering import Conversation
from assistant.ingest import ingest
from assistant.models import Answer, Citation
from ui.services import ChatSession, ReadWriteLock, Services

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "corpus" / "003_c73df01d320b46e8.txt"
SKR = ROOT / "corpus" / "000_4d8f7f9054d40a3f.txt"


class FakeAnswerer:
    """Answers 'Svar på: <question>' citing one passage, and records the turn like the real one."""

    made = 0

    def __init__(self, library):
        FakeAnswerer.made += 1
        self.library = library

    def ask(self, question, conversation=None, kinds=None):
        answer = Answer(
            question=question,
            text=f"Svar på: {question} [1]",
            abstained=False,
            citations=[Citation(doc="d.txt", title="D", quote="q")],
        )
        if conversation is not None:
            conversation.add(answer)
        return answer


def test_sessions_do_not_share_conversations(make_library):
    lib = make_library()
    ingest(lib, [SKR])
    services = Services(lib, answerer_factory=FakeAnswerer)
    a, b = ChatSession(), ChatSession()
    assert a.conversation is not b.conversation and isinstance(a.conversation, Conversation)
    before = FakeAnswerer.made
    services.ask("Fråga från A", a)
    services.ask("Fråga från B", b)
    services.ask("Följdfråga från A", a)
    assert [t.question for t in a.conversation.turns] == ["Fråga från A", "Följdfråga från A"]
    assert [t.question for t in b.conversation.turns] == ["Fråga från B"]
    assert FakeAnswerer.made - before == 3  # a fresh answerer per question: no shared per-call state


def test_empty_library_gives_a_swedish_message(make_library):
    from ui.ask_tab import answer_question

    services = Services(make_library(), answerer_factory=FakeAnswerer)
    answer = answer_question(services, "Vem beslutar?", None, ChatSession())
    assert answer.abstained and "Biblioteket är tomt" in answer.text


def test_read_write_lock_lets_readers_share_and_writers_wait():
    lock = ReadWriteLock()
    events: list[str] = []
    with lock.read():
        with lock.read():  # a second reader is not blocked
            events.append("two readers")

        def writer():
            with lock.write():
                events.append("writer")

        thread = threading.Thread(target=writer)
        thread.start()
        time.sleep(0.05)
        events.append("reader done")
    thread.join(2)
    assert events == ["two readers", "reader done", "writer"]


def test_documents_table_remove_and_reindex(make_library, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for src in (POLICY, SKR):
        shutil.copy(src, folder / src.name)
    lib = make_library()
    ingest(lib, [folder])
    services = Services(lib)
    page = services.documents_page()
    rows = page.rows
    assert page.matching == 2 and page.pages == 1
    assert len(rows) == 2 and all(len(r) == 9 for r in rows)
    assert {r[8] for r in rows} == {POLICY.name, SKR.name}
    assert all(r[6] > 0 and r[7] == "gällande" for r in rows)
    assert services.documents_page(text="socialnämnd").matching == 1  # filtered on title or file name
    assert services.documents_page(size=1, page=1).rows[0][8] != services.documents_page(size=1).rows[0][8]
    assert services.remove([SKR.name]) == [SKR.name]
    assert services.doc_names() == [POLICY.name]
    # Re-index ingests the folders the documents came from: the removed file comes back, the other is unchanged.
    report = services.ingest(services.reindex_folders())
    assert report.added == [SKR.name] and report.unchanged == [POLICY.name]
    services.wait_for_vectors()
    done, total, _ = services.vector_status()
    assert done == total > 0  # the background thread embedded the re-added document


def test_serve_command_options_are_in_swedish():
    from click.testing import CliRunner

    from ui.server import serve_command

    result = CliRunner().invoke(serve_command, ["--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output and "--index" in result.output
    assert "Starta webbgränssnittet" in result.output
