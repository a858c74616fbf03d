"""End to end in headless Chromium: ask and open a citation, review a draft, add/search/remove a
document, the introduction; screenshots of each tab go to eval/screenshots/; axe-core if installed."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
# Screenshots and the axe report are refreshed in eval/screenshots/ only when asked
# (STYRDOK_SCREENSHOTS=1, as eval/run_all.py does); otherwise they go to a temporary folder,
# so a test run leaves the working tree clean.
SCREENSHOTS = (
    ROOT / "eval" / "screenshots"
    if os.environ.get("STYRDOK_SCREENSHOTS")
    else Path(tempfile.gettempdir()) / f"styrdok-screenshots-{os.getuid()}"
)
CHROMIUM = Path(os.environ.get("STYRDOK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FILES = [
    "003_c73df01d320b46e8.txt",
    "000_4d8f7f9054d40a3f.txt",
    "001_139590e039441331.txt",
    "sfs-2008-962-lov-lag-om-valfrihetssystem.md",
    "sfs-2017-725-kommunallag.md",  # the checklist cites 5 kap. 3 §
]
# A two-page PDF (a follow-up programme "antaget av kommunfullmäktige"): its citations open the page itself.
PDF = ROOT / "tests" / "data" / "ui" / "uppfoljningsprogram_lindvik.pdf"

# Markup that would run or fetch something if a document's text reached the page as HTML.
PAYLOADS = (
    '<script>window.__xss=2;alert(2)</script> <img src=x onerror="window.__xss=1;alert(1)"> '
    '<svg onload="window.__xss=3"></svg> <iframe src="javascript:alert(4)"></iframe> '
    '<a href="javascript:alert(5)">länk</a> [klicka](javascript:alert(6)) ![bild](http://evil.example/x.png)'
)
HOSTILE_NAME = '<img src=x onerror="window.__xss=1">.md'
HOSTILE_DOC = (
    f"# Riktlinje för kaffeautomater {PAYLOADS}\n\n"
    f"Kaffeautomaterna i hemtjänstens lokaler ska rengöras varje vecka av utföraren {PAYLOADS}.\n\n"
    f"Avkalkning av kaffeautomaterna ska dokumenteras i en logg. {PAYLOADS}\n"
)


def axe_script() -> Path | None:
    """axe-core's browser build if `npm install axe-core` has been run (repo root or STYRDOK_AXE)."""
    candidates = [os.environ.get("STYRDOK_AXE", ""), ROOT / "node_modules" / "axe-core" / "axe.min.js"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    from assistant.embedding import HashingEmbedder
    from assistant.ingest import ingest
    from assistant.library import open_library
    from ui.server import start

    folder = tmp_path_factory.mktemp("ui_browser")
    docs = folder / "docs"
    docs.mkdir()
    for name in FILES + ["manifest.jsonl"]:
        shutil.copy(CORPUS / name, docs / name)
    shutil.copy(PDF, docs / PDF.name)
    # Indexed directly, so its document id is the hostile file name itself (legal on Linux).
    (docs / HOSTILE_NAME).write_text(HOSTILE_DOC, encoding="utf-8")
    lib = open_library(folder / "index", embedder=HashingEmbedder())
    ingest(lib, [docs])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo = start(lib, port=port, block=False, warm=True, chat_model=None)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} saknas: installera Debians chromium (apt-get install chromium chromium-driver)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (Python) är inte installerat")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def external_requests():
    """Every request the pages made that did not go to this machine (must stay empty)."""
    return []


@pytest.fixture
def page(browser, app_server, external_requests):
    context = browser.new_context(locale="sv-SE", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)

    def record(request):
        if not request.url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:")):
            external_requests.append(request.url)

    page.on("request", record)
    page.goto(app_server)
    page.wait_for_selector("#question textarea")
    yield page
    context.close()


def _shot_path(name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


def screenshot(page, name: str) -> Path:
    path = _shot_path(name)
    page.screenshot(path=str(path), full_page=True)
    return path


SHARED_DRAFT = ROOT.parent / "shared" / "eval" / "drafts" / "ff_hemtjanst_lindvik.md"
FIXTURE_DRAFT = ROOT / "tests" / "data" / "ui" / "utkast_hemtjanst.md"


@pytest.fixture(scope="module")
def axe_results():
    """Violations per page state, filled by run_axe() in the tests and checked by the last test."""
    return {}


def run_axe(page, results: dict, name: str) -> None:
    script = axe_script()
    if script is None:
        return
    page.add_script_tag(path=str(script))
    found = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    results[name] = [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:10]}
        for v in found["violations"]
    ]


def open_tab(page, label: str) -> None:
    page.get_by_role("tab", name=label).click()


def test_ask_a_question_and_open_a_citation(page, axe_results):
    page.fill("#question textarea", "Vad ska känneteckna socialnämndens valfrihetssystem?")
    page.click("#ask-button")
    chip = page.locator("#conversation .answer-text .cite-chip").first
    chip.wait_for()
    assert "Policy för socialnämndens valfrihetssystem" in page.inner_text("#conversation")
    # Keyboard: the chip is a real button; Enter opens the source and focus moves to the source pane.
    chip.focus()
    assert page.evaluate("document.activeElement.classList.contains('cite-chip')")
    page.keyboard.press("Enter")
    mark = page.locator("#source-pane #cited-passage")
    mark.wait_for()
    assert "kännetecknas" in mark.inner_text()
    facts = page.inner_text("#source-pane .source-facts")
    assert "Policy" in facts and "003_c73df01d320b46e8.txt" in facts
    page.wait_for_function("() => document.activeElement.classList.contains('source-pane')")
    # The document reads as it is written: Markdown rendered ("**Långsiktighet:**" is bold), nothing raw.
    text_box = page.locator("#source-pane .source-text")
    assert "**" not in text_box.inner_text() and text_box.locator("strong").count() >= 1
    assert text_box.get_attribute("data-view") == "section"
    # "Visa hela dokumentet" opens the whole text, scrolled to the same passage, and back again.
    page.click("#source-whole")
    page.locator('#source-pane .source-text[data-view="whole"]').wait_for()
    page.wait_for_function(
        """() => { const m = document.querySelector('#source-pane #cited-passage');
                  const box = m && m.closest('.source-text'); if (!box) return false;
                  const a = m.getBoundingClientRect(), b = box.getBoundingClientRect();
                  return box.scrollTop > 0 && a.top >= b.top - 2 && a.top <= b.bottom; }"""
    )
    assert "kännetecknas" in mark.inner_text()
    whole_text = page.inner_text("#source-pane .source-text")
    assert "KOMMUNLEDNINGSKONTORET" in whole_text and "Patientsäkerhetslag" in whole_text  # first and last line
    assert page.locator("#source-whole").inner_text() == "Visa bara avsnittet"
    page.click("#source-whole")
    page.locator('#source-pane .source-text[data-view="section"]').wait_for()
    # The mouse works too: the chip in the source list opens the same passage.
    page.locator("#conversation .sources .cite-chip").first.click()
    mark.wait_for()
    page.wait_for_function("() => document.activeElement.classList.contains('source-pane')")
    # Who goes on typing while a source opens keeps the focus: it is not pulled to the source pane.
    page.click("#source-whole")
    page.focus("#question textarea")
    page.locator('#source-pane .source-text[data-view="whole"]').wait_for()
    page.wait_for_timeout(400)  # the pane's focus script runs 80 ms after the source has arrived
    assert page.evaluate("document.activeElement.closest('#question') !== null")
    # An unanswerable question is shown as an abstention, not as an answer.
    page.fill("#question textarea", "Vad kostar en kopp kaffe på Mars?")
    page.keyboard.press("Enter")
    page.locator("#conversation .answer.abstained").wait_for()
    # A suggested starter question is asked with one click.
    from ui.ask_tab import DEFAULT_STARTERS

    page.get_by_role("button", name=DEFAULT_STARTERS[1]).click()
    page.locator("#conversation .turn").nth(2).locator(".answer:not(.pending)").wait_for()
    assert DEFAULT_STARTERS[1] in page.inner_text("#conversation")
    page.locator("#conversation .answer-text .cite-chip").first.click()
    mark.wait_for()
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "fraga")
    run_axe(page, axe_results, "Fråga (svar och källa öppen)")


def test_review_a_draft_shows_a_competitive_neutrality_finding(page, axe_results):
    draft = SHARED_DRAFT if SHARED_DRAFT.is_file() else FIXTURE_DRAFT
    open_tab(page, "Granska förfrågningsunderlag")
    page.set_input_files("#draft-upload input[type=file]", str(draft))
    page.locator("#draft-upload").get_by_text(draft.stem).first.wait_for()
    page.click("#review-button")
    finding = page.locator("#findings .finding", has_text="konkurrensneutralitet").first
    finding.wait_for(timeout=30_000)
    assert "egen regi" in finding.inner_text().lower()
    assert page.locator("#draft-text mark").count() >= 1
    # "Visa i utkastet" brings the marked clause into view in the draft pane.
    target = finding.locator("a.jump").get_attribute("href")
    finding.locator("a.jump").click()
    page.wait_for_function(
        """(id) => { const m = document.getElementById(id); const box = m && m.closest('#draft-text');
                    if (!m || !box) return false; const a = m.getBoundingClientRect(), b = box.getBoundingClientRect();
                    return a.top >= b.top - 2 && a.bottom <= b.bottom + 2; }""",
        arg=target.lstrip("#"),
    )
    assert page.locator("#report-files").get_by_text(".md").count() >= 1
    page.get_by_label("Avsnitt i utkastet").check()
    page.locator("#findings h3", has_text="Avsnitt").first.wait_for()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / "granska.png"))  # the viewport: findings beside the draft
    run_axe(page, axe_results, "Granska (fynd visade)")


def test_upload_a_document_find_it_and_remove_it(page, tmp_path, axe_results):
    doc = tmp_path / "riktlinje_matlador.md"
    doc.write_text(
        "# Riktlinje för matlådor i hemtjänsten\n\nUtföraren ska leverera matlådor med obruten kylkedja "
        "och kontrollerad temperatur vid varje leverans.\n",
        encoding="utf-8",
    )
    bad = tmp_path / "skannat_protokoll.pdf"
    bad.write_text("inte en pdf", encoding="utf-8")
    open_tab(page, "Dokument")
    page.locator("#doc-table").get_by_text("Policy för socialnämndens valfrihetssystem").wait_for()
    page.set_input_files("#doc-upload input[type=file]", [str(doc), str(bad)])
    page.locator("#doc-upload").get_by_text(doc.stem).first.wait_for()
    page.click("#add-docs")
    status = page.locator("#doc-status")
    status.get_by_text("1 nya").wait_for(timeout=30_000)
    assert "skannat_protokoll.pdf" in status.inner_text() and "inte en PDF" in status.inner_text()
    page.locator("#doc-table").get_by_text("Riktlinje för matlådor i hemtjänsten").wait_for()
    page.fill("#doc-search textarea, #doc-search input", "kylkedja matlådor")
    page.click("#doc-search-button")
    # Stored under a generated name: the original stem and a short hash of the content.
    stored = f"{doc.stem}-{hashlib.sha256(doc.read_bytes()).hexdigest()[:8]}.md"
    page.locator("#doc-hits").get_by_text(stored).wait_for()
    screenshot(page, "dokument")
    run_axe(page, axe_results, "Dokument (uppladdat och sökt)")
    # A click on the document's row marks it; then it is removed.
    page.locator("#doc-table").get_by_role("gridcell", name="Riktlinje för matlådor i hemtjänsten").first.click()
    page.wait_for_function(
        "(name) => document.querySelector('#selected-doc input, #selected-doc textarea').value === name", arg=stored
    )
    page.click("#remove-doc")
    status.get_by_text("borttaget").wait_for()
    assert page.locator("#doc-table").get_by_text("Riktlinje för matlådor i hemtjänsten").count() == 0


def test_a_pdf_citation_opens_its_page_with_the_passage_marked(page, axe_results):
    page.fill("#question textarea", "Hur ofta görs uppföljningsbesök hos utförarna?")
    page.click("#ask-button")
    page.locator("#conversation .answer-text .cite-chip").first.wait_for()
    assert "minst en gång per år" in page.inner_text("#conversation")
    page.locator("#conversation .sources .cite-chip").first.click()
    figure = page.locator("#source-pane figure.pdf-page")
    figure.wait_for()
    # The passage starts on page 2 of the original: that page is drawn, with the passage boxed on it.
    assert figure.get_attribute("data-page") == "2" and int(figure.get_attribute("data-marks")) >= 1
    page.wait_for_function(
        "() => { const img = document.querySelector('#source-pane figure.pdf-page img');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    box = figure.locator(".pdf-mark").first.bounding_box()
    frame = figure.locator("img").bounding_box()
    assert box["width"] > 50 and box["height"] > 4
    assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
    assert "Sida 2 av 2" in figure.inner_text() and "<dt>Sida</dt>" not in figure.inner_text()
    assert "uppföljningsbesök" in page.inner_text("#source-pane #cited-passage")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "kalla-pdf")
    run_axe(page, axe_results, "Fråga (PDF-sida öppen)")
    # "Vad har fullmäktige beslutat?" is answered from the documents' decision lines, cited at the line.
    page.fill("#question textarea", "Vad har fullmäktige beslutat?")
    page.click("#ask-button")
    page.locator("#conversation .turn").nth(1).locator(".answer:not(.pending)").wait_for()
    answer = page.locator("#conversation .turn").nth(1).inner_text()
    assert "beslutsrader" in answer and "Program för uppföljning av privata utförare, Lindviks kommun" in answer


def test_introduction_tab_shows_the_map_the_checklist_and_the_glossary(page, axe_results):
    open_tab(page, "Introduktion")
    page.locator("#intro-map svg.smap").wait_for(timeout=60_000)
    links = page.locator("#intro-map svg a[data-node]")
    assert links.count() >= 6 and page.locator("#intro-map svg a[data-edge]").count() >= 4
    # A click on the box "Fullmäktige" opens its cited statements.
    page.locator('#intro-map svg a[data-node="fullmaktige"]').click()
    entry = page.locator("#map-node-fullmaktige")
    page.wait_for_function("() => document.getElementById('map-node-fullmaktige').open")
    assert entry.locator("details.intro-sources").count() > 0
    assert "för varje mandatperiod anta ett program" in entry.inner_text()
    page.wait_for_function("() => document.activeElement.closest('#map-node-fullmaktige') !== null")
    # The keyboard reaches the boxes and arrows: Enter on an arrow opens the statements behind it.
    arrow = page.locator('#intro-map svg a[data-edge="kommunstyrelse-namnd"], #intro-map svg a[data-edge]').first
    edge = arrow.get_attribute("data-edge")
    arrow.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("(id) => document.getElementById('map-edge-' + id).open", arg=edge)
    assert page.locator(f"#map-edge-{edge} details.intro-sources").count() > 0
    # The checklist: the programme for following up private providers, cited at KL 5 kap. 3 §.
    item = page.locator("#mandate-uppfoljningsprogram")
    assert "Program för uppföljning av privata utförare" in item.inner_text()
    assert "5 kap. 3 § kommunallagen (2017:725)" in item.inner_text()
    assert "för varje mandatperiod anta ett program" in item.locator(".basis-quote").first.inner_text()
    assert "Upphävd lag" in item.inner_text()  # the Täby policy still cites 3 kap. 19 § of the 1991 act
    # Who decided what: the PDF says "Antaget av kommunfullmäktige".
    assert "Fullmäktige – 1 dokument" in page.inner_text("#decisions")
    # The glossary links its terms to the map.
    page.locator("#glossary a.map-link").first.wait_for()
    assert page.locator("#role-map details.intro-sources").count() > 0
    page.evaluate("window.scrollTo(0, 0)")
    page.locator("#intro-map").screenshot(path=str(_shot_path("karta")))
    screenshot(page, "introduktion")
    run_axe(page, axe_results, "Introduktion")


def test_document_markup_never_runs_in_the_page(page, tmp_path, external_requests):
    """Payloads in a document's text, title and file name and in a draft stay text in every view."""
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    uploaded = tmp_path / '<svg onload="window.__xss=4">städrutiner.md'
    uploaded.write_text(
        f"# Städrutiner för personalrum {PAYLOADS}\n\nPersonalrummen ska städas dagligen. {PAYLOADS}\n",
        encoding="utf-8",
    )
    draft = tmp_path / '<img src=x onerror="window.__xss=5">utkast.md'
    draft.write_text(FIXTURE_DRAFT.read_text(encoding="utf-8") + f"\n\n## Bilaga {PAYLOADS}\n\n{PAYLOADS}\n")

    def nothing_ran(view: str) -> None:
        page.wait_for_timeout(300)  # an onerror or onload handler would have fired by now
        assert dialogs == [], view
        assert page.evaluate("typeof window.__xss") == "undefined", view
        assert page.locator("img[src='x'], iframe, svg[onload], a[href^='javascript']").count() == 0, view

    # Fråga: an answer from the hostile document, then its source pane.
    page.fill("#question textarea", "Hur ofta ska kaffeautomaterna i hemtjänstens lokaler rengöras?")
    page.click("#ask-button")
    chip = page.locator("#conversation .answer-text .cite-chip").first
    chip.wait_for()
    nothing_ran("svaret")
    assert "Riktlinje för kaffeautomater <script>" in page.inner_text("#conversation")
    chip.click()
    page.locator("#source-pane #cited-passage").wait_for()
    nothing_ran("källan")
    source = page.inner_text("#source-pane")
    assert HOSTILE_NAME in source and '<img src=x onerror="window.__xss=1;alert(1)">' in source

    # Dokument: the table, an upload whose name and title carry markup, and a search.
    open_tab(page, "Dokument")
    page.locator("#doc-table").get_by_text(HOSTILE_NAME).first.wait_for()
    page.set_input_files("#doc-upload input[type=file]", [str(uploaded)])
    page.locator("#doc-upload").get_by_text("städrutiner").first.wait_for()
    page.click("#add-docs")
    page.locator("#doc-status").get_by_text("1 nya").wait_for(timeout=30_000)
    page.locator("#doc-table").get_by_text("Städrutiner för personalrum <script>", exact=False).first.wait_for()
    nothing_ran("dokumenttabellen")
    page.fill("#doc-search textarea, #doc-search input", "kaffeautomater avkalkning")
    page.click("#doc-search-button")
    page.locator("#doc-hits .search-hits li").first.wait_for()
    nothing_ran("sökträffarna")
    hits = page.inner_text("#doc-hits")
    assert HOSTILE_NAME in hits and "![bild](http://evil.example/x.png)" in hits

    # Granska: a draft whose name and text carry markup.
    open_tab(page, "Granska förfrågningsunderlag")
    page.set_input_files("#draft-upload input[type=file]", str(draft))
    page.locator("#draft-upload").get_by_text("utkast").first.wait_for()
    page.click("#review-button")
    page.locator("#findings .finding").first.wait_for(timeout=30_000)
    nothing_ran("granskningen")
    assert "[klicka](javascript:alert(6))" in page.inner_text("#draft-text")

    # Introduktion: roles and terms are extracted from the documents' text, the hostile ones included.
    open_tab(page, "Introduktion")
    page.wait_for_function(
        "() => !document.querySelector('#role-map .intro-placeholder') || "
        "document.querySelector('#role-map').innerText.includes('inte tillgänglig')",
        timeout=60_000,
    )
    nothing_ran("introduktionen")
    assert external_requests == []


# Words Gradio shows in English when its own translation is not used; none may be on a Swedish page.
ENGLISH = re.compile(
    r"\b(?:Drop|Upload|Click|Search|Loading|Clear|Submit|Previous|Next|Page|rows?|Error|Copy|Fullscreen|"
    r"Download|Select|Remove|Cancel|Sort|Filter|No results|Empty)\b"
)


@pytest.fixture(scope="module")
def library_server(tmp_path_factory, shared_library):
    """The app over the real library (1,143 documents) and the corpus's policies, searched by words."""
    from assistant.ingest import ingest
    from assistant.library import open_library
    from ui.server import start

    lib = open_library(tmp_path_factory.mktemp("library_ui") / "index", use_embedder=False)
    ingest(lib, [shared_library])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo = start(lib, port=port, block=False, warm=False, chat_model=None)
    yield f"http://127.0.0.1:{port}/", len(lib.documents())
    demo.close()


@pytest.fixture(scope="module")
def shared_library():
    folder = ROOT.parent / "shared" / "library" / "botkyrka-vof"
    if not folder.is_dir():
        pytest.skip("../shared/library saknas bredvid repot")
    return folder


def test_the_documents_tab_lists_filters_and_pages_a_real_library(browser, library_server, axe_results):
    url, count = library_server
    assert count >= 1140  # every real file of the library is a document, none replaced by a namesake
    context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})  # an English browser
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(url)
    open_tab(page, "Dokument")
    info = page.locator("#doc-page")
    info.get_by_text(f"Sida 1 av {-(-count // 50)} · {count} dokument").wait_for()
    # The library's own titles and kinds, and the unit each one comes from.
    table = page.locator("#doc-table")
    table.get_by_role("gridcell", name="Rutin", exact=True).first.wait_for()
    page.click("#doc-next")
    info.get_by_text(f"Sida 2 av {-(-count // 50)}").wait_for()

    page.locator("#doc-folder input").click()
    page.get_by_role("option", name=re.compile(r"^Hemtjänst \(\d+\)$")).click()
    info.get_by_text(re.compile(r"Sida 1 av \d+ · 12\d dokument")).wait_for()
    page.locator("#doc-kind input").click()
    page.get_by_role("option", name=re.compile(r"^Rutin \(\d+\)$")).click()
    page.fill("#doc-filter textarea, #doc-filter input", "öppnar inte dörren")
    page.keyboard.press("Enter")
    table.get_by_role("gridcell", name="Brukare öppnar inte dörren, saknas eller avvikit från insats").first.wait_for()
    info.get_by_text("· 1 dokument").wait_for()
    table.get_by_role("gridcell", name="Brukare öppnar inte dörren, saknas eller avvikit från insats").first.click()
    page.wait_for_function(
        "() => document.querySelector('#selected-doc input, #selected-doc textarea').value.startsWith('Hemtjänst/')"
    )
    text = page.inner_text("body")
    assert "Släpp fil här" in text
    assert ENGLISH.findall(text) == [], ENGLISH.findall(text)[:10]
    screenshot(page, "dokument-bibliotek")
    run_axe(page, axe_results, "Dokument (biblioteket filtrerat)")
    context.close()


def test_no_request_leaves_the_machine(external_requests):
    assert external_requests == []


def test_accessibility_with_axe_core(page, axe_results):
    """axe-core on each tab as first opened and after the tests above; only our own markup must be clean."""
    if axe_script() is None:
        pytest.skip("axe-core saknas (kör 'npm install axe-core' i repots rot eller sätt STYRDOK_AXE)")
    for tab in ["Fråga", "Granska förfrågningsunderlag", "Dokument", "Introduktion"]:
        open_tab(page, tab)
        page.wait_for_timeout(300)
        run_axe(page, axe_results, f"{tab} (tom)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "axe.json").write_text(json.dumps(axe_results, ensure_ascii=False, indent=2), encoding="utf-8")
    ours = (
        "#conversation",
        "#source-pane",
        "#source-whole",
        "#intro-map",
        "a[data-edge",
        "a[data-node",
        "figure",
        "#mandate",
        "#decisions",
        "#findings",
        "#draft-text",
        "#doc-hits",
        "#role-map",
        "#glossary",
        "#doc-status",
    )
    serious = [
        (state, v["id"], node)
        for state, violations in axe_results.items()
        for v in violations
        if v["impact"] in ("serious", "critical")
        for node in v["nodes"]
        if any(sel in " ".join(map(str, node)) for sel in ours)
    ]
    assert serious == [], serious
