"""Chroma server mode when the server stops: a clear Swedish error everywhere, and recovery.

One real `chroma run` on a loopback port for the module, stopped and restarted on the same port
and data folder by the tests; an index built through it with the hashing embedder.
"""

from __future__ import annotations

import os
import signal
import socket
from concurrent.futures import ThreadPoolExecutor

import pytest
from click.testing import CliRunner

from assistant.embedding import HashingEmbedder
from assistant.errors import IndexMismatchError
from assistant.ingest import ingest
from assistant.library import open_library
from assistant.local_servers import ChromaServer, chroma_command, free_port
from assistant.settings import Settings
from assistant.store import StoreUnavailableError, VectorStore

pytestmark = [pytest.mark.integration, pytest.mark.slow]

DOCS = {
    "uppfoljning.txt": "Socialnämnden följer upp privata utförare varje år. Uppföljningen avser kvalitet och avtal.",
    "vite.txt": "Vid brister i utförandet kan nämnden besluta om vite. Upprepade brister kan leda till hävning.",
    "insyn.txt": "Fullmäktige ska ge allmänheten insyn i verksamhet som lämnats över till privata utförare.",
}
QUESTION = "Vem följer upp privata utförare?"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if chroma_command() is None:
        pytest.skip("the chroma command is not installed")
    chroma = ChromaServer(tmp_path_factory.mktemp("chroma-data"), timeout=30)
    chroma.start()
    yield chroma
    chroma.stop()


@pytest.fixture
def running(server):
    """The server, started again if an earlier test left it stopped."""
    server.start()
    return server


@pytest.fixture(scope="module")
def built(server, tmp_path_factory):
    """An index folder whose vectors live on the server, and the settings that open it."""
    folder = tmp_path_factory.mktemp("outage")
    docs = folder / "docs"
    docs.mkdir()
    for name, text in DOCS.items():
        (docs / name).write_text(text, encoding="utf-8")
    settings = Settings(
        index=folder / "index",
        embedder="hashing",
        chroma_host="127.0.0.1",
        chroma_port=server.port,
        collection="outage",
    )
    server.start()
    report = ingest(open_library(settings=settings, embedder=HashingEmbedder()), [docs])
    assert sorted(report.added) == sorted(DOCS)
    return settings


def _open(settings: Settings):
    return open_library(settings=settings, embedder=HashingEmbedder())


def _dense_hits(library) -> list:
    return [h for h in library.search(QUESTION, k=3) if h.dense_rank is not None]


def _expect_message(text: str, port: int) -> None:
    assert f"Kan inte nå Chroma-servern på 127.0.0.1:{port}" in text
    assert "STYRDOK_CHROMA_HOST" in text


# -- CLI ---------------------------------------------------------------------------------------


@pytest.fixture
def cli_env(running, built, monkeypatch):
    monkeypatch.setenv("STYRDOK_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("STYRDOK_CHROMA_PORT", str(running.port))
    monkeypatch.setenv("STYRDOK_EMBEDDER", "hashing")
    monkeypatch.setenv("STYRDOK_COLLECTION", built.collection)
    return ["--index", str(built.index)]


@pytest.mark.parametrize("command", [["search", QUESTION], ["ask", QUESTION]])
def test_cli_with_server_stopped_prints_one_swedish_line(running, cli_env, command):
    from assistant.cli import main

    assert CliRunner().invoke(main, [*command, *cli_env]).exit_code == 0  # the same command works while it runs
    running.stop()
    result = CliRunner().invoke(main, [*command, *cli_env])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)  # handled, not an uncaught exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Fel: ")
    _expect_message(lines[0], running.port)
    assert "Traceback" not in result.output


def test_cli_docs_needs_no_server(running, cli_env):
    """Listing what is indexed reads only the catalog, so it still works while the server is down."""
    from assistant.cli import main

    running.stop()
    result = CliRunner().invoke(main, ["docs", "--json", *cli_env])
    assert result.exit_code == 0 and "uppfoljning.txt" in result.output


def test_opening_while_server_is_down_is_a_clear_error(running, built):
    running.stop()
    with pytest.raises(StoreUnavailableError) as caught:
        _open(built)
    _expect_message(str(caught.value), running.port)


# -- the long-running app: one open Library ------------------------------------------------------


def test_the_same_library_answers_again_after_restart(running, built):
    library = _open(built)
    assert _dense_hits(library)
    running.stop()
    # The vectors it already holds in memory still answer: the results are complete, not degraded.
    assert _dense_hits(library)
    library.invalidate()  # as after a change to the index: the vectors must be read from the server again
    with pytest.raises(StoreUnavailableError) as caught:
        library.search(QUESTION)
    _expect_message(str(caught.value), running.port)
    with pytest.raises(StoreUnavailableError):
        library.search(QUESTION)  # still down: the same clear error, not a stale-connection traceback
    running.start()
    hits = _dense_hits(library)
    assert hits and hits[0].chunk.doc == "uppfoljning.txt"


def test_ingest_while_down_records_no_document_and_works_after_restart(running, built, tmp_path):
    library = _open(built)
    new = tmp_path / "new"
    new.mkdir()
    (new / "avtal.txt").write_text("Avtalet gäller i fyra år och kan förlängas med två år.", encoding="utf-8")
    before = {m.doc for m in library.documents()}
    running.stop()
    with pytest.raises(StoreUnavailableError):
        ingest(library, [new])
    assert library.catalog.document("avtal.txt") is None
    assert {m.doc for m in library.catalog.documents()} == before
    running.start()
    assert ingest(library, [new]).added == ["avtal.txt"]
    assert any(h.chunk.doc == "avtal.txt" and h.dense_rank for h in library.search("Hur länge gäller avtalet?", k=3))


def test_a_server_restarted_on_another_folder_is_not_an_empty_index(running, built, tmp_path):
    """Reconnecting to a server without the index's collection must not quietly search nothing."""
    library = _open(built)
    running.stop()
    stranger = ChromaServer(tmp_path / "other-data", port=running.port)
    stranger.start()
    try:
        with pytest.raises(IndexMismatchError, match="samma mapp"):
            library.search(QUESTION)
    finally:
        stranger.stop()
    running.start()
    assert _dense_hits(library)


def test_a_hung_server_fails_within_the_timeout_and_recovers(running, built):
    """A server that accepts connections but never answers (SIGSTOP) must not hang a search."""
    embedder = HashingEmbedder()
    store = VectorStore(embedder, "hung-check", host="127.0.0.1", port=running.port, timeout=1.0)
    store.add(["x"], embedder.embed_documents(["vite vid brister"]), [{"doc": "x.txt", "kind": "policy"}])
    os.kill(running.proc.pid, signal.SIGSTOP)
    try:
        with ThreadPoolExecutor(1) as pool:
            outcome = pool.submit(store.query, embedder.embed_query("vite"), 1)
            with pytest.raises(StoreUnavailableError):
                outcome.result(timeout=60)  # a guard against hanging the suite, not a speed check
    finally:
        os.kill(running.proc.pid, signal.SIGCONT)
    assert store.query(embedder.embed_query("vite"), 1)[0][0] == "x"


def test_a_silent_port_at_start_up_is_a_clear_error():
    """Something listens but never speaks HTTP: opening gives up instead of waiting forever."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        with ThreadPoolExecutor(1) as pool:
            opening = pool.submit(VectorStore, HashingEmbedder(), "silent", host="127.0.0.1", port=port, timeout=0.5)
            with pytest.raises(StoreUnavailableError) as caught:
                opening.result(timeout=60)
    _expect_message(str(caught.value), port)


# -- the Fråga tab ------------------------------------------------------------------------------


def test_ask_tab_shows_the_message_and_the_next_question_works(running, built):
    from gradio_client import Client

    from ui.server import start

    library = _open(built)
    port = free_port()
    demo = start(library, port=port, block=False, warm=False, chat_model=None)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        running.stop()
        down = client.predict(QUESTION, [], api_name="/fraga")
        _expect_message(down[0], running.port)
        assert 'role="alert"' in down[0] and "Inget säkert svar" not in down[0]
        running.start()
        up = client.predict(QUESTION, [], api_name="/fraga")
        assert "Kan inte nå Chroma-servern" not in up[0] and "uppfoljning" in up[0]
    finally:
        demo.close()
