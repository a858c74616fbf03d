"""The running app driven through gradio_client: concurrent sessions, review, document management.

One server for the module, over a small temporary index (hashing embedder) and the real Answerer.
"""

from __future__ import annotations

import hashlib
import html
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assistant.local_servers import free_port

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FILES = [
    "003_c73df01d320b46e8.txt",  # Täby policy
    "000_4d8f7f9054d40a3f.txt",  # SKR: styrning i valfrihetssystem
    "001_139590e039441331.txt",  # SKR: privata utförare
    "sfs-2008-962-lov-lag-om-valfrihetssystem.md",
]
DRAFT = ROOT / "tests" / "data" / "ui" / "utkast_hemtjanst.md"

QUESTIONS = [
    "Vad ska känneteckna socialnämndens valfrihetssystem?",
    "Vem fattar beslut på operativ nivå?",
    "Vilka tjänsteområden omfattas av socialnämndens policy?",
    "Vem godkänner utförare i ett valfrihetssystem?",
    "Hur ska allmänheten få insyn i privata utförares verksamhet?",
    "Vad är ett valfrihetssystem enligt lagen?",
    "Vem beslutar om förfrågningsunderlag?",
    "Hur ska uppföljningen av avtal gå till?",
    "Vad gäller om en leverantör inte fullgör sina skyldigheter?",
    "Vad kostar en kopp kaffe på Mars?",
]
FOLLOW_UP = "Och vem följer upp dem?"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from assistant.embedding import HashingEmbedder
    from assistant.ingest import ingest
    from assistant.library import open_library
    from ui.server import start

    folder = tmp_path_factory.mktemp("ui_client")
    docs = folder / "docs"
    docs.mkdir()
    for name in [*FILES, "manifest.jsonl"]:
        shutil.copy(CORPUS / name, docs / name)
    lib = open_library(folder / "index", embedder=HashingEmbedder())
    report = ingest(lib, [docs])
    assert not report.skipped
    port = free_port()
    demo = start(lib, port=port, block=False, warm=False, chat_model=None)
    yield {"url": f"http://127.0.0.1:{port}/", "library": lib, "folder": folder}
    demo.close()


def client(url: str):
    from gradio_client import Client

    return Client(url, verbose=False)


def answer_texts(transcript: str) -> list[tuple[str, str]]:
    """(question, answer text) of each turn in a rendered conversation."""
    turns = re.findall(
        r'<p class="question"><span class="sr-only">Fråga: </span>(.*?)</p>.*?<p class="answer-text">(.*?)</p>',
        transcript,
        flags=re.S,
    )
    strip = lambda s: html.unescape(re.sub(r"<[^>]+>", "", s)).strip()  # noqa: E731
    return [(strip(q), strip(a)) for q, a in turns]


def expected(library, question: str, follow_up: str):
    """What the Answerer says to the question and its follow-up, asked alone and in order."""
    from assistant.answering import Answerer, Conversation

    conversation = Conversation()
    first = Answerer(library, embedder=library.embedder).ask(question, conversation)
    second = Answerer(library, embedder=library.embedder).ask(follow_up, conversation)
    return first.text, second.text


def plain(text: str) -> str:
    return re.sub(r"\s*\[\d+\]", "", text).strip()


def test_ten_concurrent_sessions_each_get_their_own_answers(server):
    truth = {q: expected(server["library"], q, FOLLOW_UP) for q in QUESTIONS}

    def session(question: str):
        c = client(server["url"])
        first = c.predict(question, [], api_name="/fraga")
        second = c.predict(FOLLOW_UP, [], api_name="/fraga")
        return first[0], second[0]

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = dict(zip(QUESTIONS, pool.map(session, QUESTIONS), strict=True))

    for question, (after_first, after_second) in results.items():
        turns = answer_texts(after_second)
        assert [q for q, _ in turns] == [question, FOLLOW_UP], "a session shows only its own questions"
        assert answer_texts(after_first) == turns[:1]
        want_first, want_second = truth[question]
        assert plain(turns[0][1]) == plain(want_first)
        assert plain(turns[1][1]) == plain(want_second)
    # The unanswerable question abstains; the others are answered with citations.
    assert 'class="answer abstained"' in results[QUESTIONS[-1]][0]
    answered = [q for q in QUESTIONS[:-1] if 'class="cite-chip"' in results[q][0]]
    assert len(answered) >= 6


def test_review_of_a_draft_finds_the_competitive_neutrality_breach(server):
    from gradio_client import handle_file

    summary, findings, draft, files = client(server["url"]).predict(
        handle_file(str(DRAFT)), "rule", api_name="/granska"
    )
    assert "utkast_hemtjanst.md" in summary and "fynd" in summary
    assert "konkurrensneutralitet" in findings and 'class="sev sev-error"' in findings
    assert '<mark id="utkast-f' in draft and "egen regi omfattas inte" in draft
    names = sorted(Path(f).suffix for f in files)
    assert names == [".html", ".md"]


def test_bad_upload_gets_a_swedish_message_naming_the_file(server, tmp_path):
    from gradio_client import handle_file

    fake = tmp_path / "protokoll.pdf"
    fake.write_text("det här är ingen pdf", encoding="utf-8")
    status, table, *_ = client(server["url"]).predict([handle_file(str(fake))], api_name="/lagg_till")
    assert "protokoll.pdf" in status and "inte en PDF" in status and 'role="alert"' in status


def test_upload_search_and_remove_a_document(server, tmp_path):
    from gradio_client import handle_file

    doc = tmp_path / "riktlinje_matlador.md"
    doc.write_text(
        "# Riktlinje för matlådor i hemtjänsten\n\nUtföraren ska leverera matlådor med kylkedja "
        "obruten och kontrollerad temperatur vid varje leverans.\n",
        encoding="utf-8",
    )
    # Stored under a generated name: the original stem and a short hash of the content.
    stored = f"{doc.stem}-{hashlib.sha256(doc.read_bytes()).hexdigest()[:8]}.md"
    c = client(server["url"])
    status, table, *_ = c.predict([handle_file(str(doc))], api_name="/lagg_till")
    assert "1 nya" in status
    assert any(row[-1] == stored for row in table["data"])
    hits = c.predict("kylkedja matlådor", api_name="/sok")
    assert stored in hits and "Riktlinje för matlådor" in hits
    status, table, *_ = c.predict(stored, api_name="/ta_bort")
    assert "borttaget" in status
    assert all(row[-1] != stored for row in table["data"])
    assert stored not in c.predict("kylkedja matlådor", api_name="/sok")


def test_a_new_version_under_the_same_name_is_pointed_out(server, tmp_path):
    """Both versions are kept (the names differ by content hash), and the user is told."""
    from gradio_client import handle_file

    c = client(server["url"])
    names = []
    for version in ("minst en gång per år", "minst två gånger per år"):
        folder = tmp_path / version.split()[1]
        folder.mkdir()
        doc = folder / "rutin_avvikelser.md"
        doc.write_text(f"# Rutin för avvikelser\n\nUtföraren ska rapportera avvikelser {version}.\n", encoding="utf-8")
        names.append(f"{doc.stem}-{hashlib.sha256(doc.read_bytes()).hexdigest()[:8]}.md")
        status, table, *_ = c.predict([handle_file(str(doc))], api_name="/lagg_till")
    assert "1 nya" in status and "samma namn som" in status and names[0] in status
    assert {names[0], names[1]} <= {row[-1] for row in table["data"]}
    for name in names:
        c.predict(name, api_name="/ta_bort")


def test_docx_draft_gets_a_word_copy_with_comments(server, tmp_path):
    import zipfile

    from gradio_client import handle_file

    from assistant.lint.convert import markdown_to_docx

    docx = markdown_to_docx(DRAFT.read_text(encoding="utf-8"), tmp_path / "utkast_hemtjanst.docx")
    summary, findings, draft, files = client(server["url"]).predict(
        handle_file(str(docx)), "section", api_name="/granska"
    )
    assert "konkurrensneutralitet" in findings and "Avsnitt" in findings
    commented = [f for f in files if f.endswith(".docx")]
    assert len(commented) == 1
    with zipfile.ZipFile(commented[0]) as archive:
        assert "word/comments.xml" in archive.namelist()
        assert "konkurrensneutralitet" in archive.read("word/comments.xml").decode("utf-8")


def test_kind_filter_limits_the_sources(server):
    transcript = client(server["url"]).predict("Vad är ett valfrihetssystem?", ["lag"], api_name="/fraga")[0]
    titles = re.findall(r'<span class="src-meta">([^<]*)</span>', transcript)
    assert titles and all(meta.startswith("Lag") for meta in titles)


def test_reindex_ingests_the_source_folders_again_and_skips_unchanged_files(server):
    status, table, *_ = client(server["url"]).predict(api_name="/indexera_om")
    assert "Omindexering klar" in status and "0 nya" in status and 'role="status"' in status
    assert len(table["data"]) == len(FILES)
