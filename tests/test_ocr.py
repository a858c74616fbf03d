"""OCR of scanned PDFs: Swedish pages rendered to image-only PDFs here, read with Tesseract, indexed,
searched, answered, linted; and the same files without Tesseract (PATH emptied), skipped with a message.

Tests that run Tesseract are marked slow and skip when it (or its Swedish model) is not installed.
They share one OCR cache, so each rendered page is read once per test session.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))

from scanned_pages import PAGES, Page, mixed_pdf, scanned_pdf, word_error_rate  # noqa: E402

from assistant import ocr, ocr_text  # noqa: E402
from assistant.api import Linter, Styrdok  # noqa: E402
from assistant.catalog import Catalog  # noqa: E402
from assistant.embedding import HashingEmbedder  # noqa: E402
from assistant.errors import DocumentError  # noqa: E402
from assistant.ingest import ingest  # noqa: E402
from assistant.loading import load_document  # noqa: E402
from assistant.models import Answer, Chunk, Citation, DocumentMeta, LayoutLine  # noqa: E402
from assistant.settings import OcrSettings  # noqa: E402
from ui.render import render_answer  # noqa: E402

DATA = Path(__file__).parent / "data"
GOOD_TEXT = "# Riktlinje för hemtjänst\n\nKvalitetsuppföljning av utförare sker varje år enligt nämndens plan.\n"

needs_tesseract = pytest.mark.skipif(
    ocr.tesseract_problem(OcrSettings().languages) is not None,
    reason="Tesseract with its Swedish model is not installed (apt-get install tesseract-ocr tesseract-ocr-swe)",
)


@pytest.fixture(scope="session")
def scans(tmp_path_factory) -> dict[str, Path]:
    """The rendered documents, written once: the three pages scanned, and a text page plus a scanned page."""
    folder = tmp_path_factory.mktemp("scans")
    files = {
        "skannad-policy.pdf": scanned_pdf(),
        "blandad.pdf": mixed_pdf(PAGES[2], PAGES[1]),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in files}


@pytest.fixture(scope="session")
def reader(tmp_path_factory) -> ocr.OcrReader:
    """One OCR reader with one cache for the session: every rendered page is read by Tesseract once."""
    return ocr.OcrReader(OcrSettings(), cache_path=tmp_path_factory.mktemp("ocr") / "ocr-cache.sqlite")


@pytest.fixture
def no_tesseract(monkeypatch, tmp_path):
    """A PATH without the tesseract program, as on a machine where it was never installed."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def _error(path: Path, **kwargs) -> str:
    with pytest.raises(DocumentError) as info:
        load_document(path, **kwargs)
    message = str(info.value)
    assert message.startswith(f"{path.name}: "), message
    return message


# --- pure parts: "§", Tesseract's TSV, line positions -------------------------------------------


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("enligt 5 kap. 3 $ kommunallagen", "enligt 5 kap. 3 § kommunallagen"),
        ("enligt 5 kap. 3 $& kommunallagen", "enligt 5 kap. 3 § kommunallagen"),
        ("10 kap. 9 &$ kommunallagen", "10 kap. 9 § kommunallagen"),
        ("4 kap. 1 8, 16 kap. 1 8 och", "4 kap. 1 §, 16 kap. 1 § och"),
        ("3 kap. 19 8 KL.", "3 kap. 19 § KL."),
        ("och 9 8 LOV", "och 9 § LOV"),
        ("18c till och med 19b 88 KL", "18c till och med 19b §§ KL"),
        ("2 kap. 5 &\nsocialtjänstlagen", "2 kap. 5 §\nsocialtjänstlagen"),
        ("$ 45 Beslut om förfrågningsunderlag", "§ 45 Beslut om förfrågningsunderlag"),
        ("& 45 Beslut om förfrågningsunderlag", "§ 45 Beslut om förfrågningsunderlag"),
        ("den 12 mars 2024, 8 45, att anta", "den 12 mars 2024, § 45, att anta"),
        ("Protokoll 2024-03-12 (8 45—52)", "Protokoll 2024-03-12 (§ 45—52)"),
        # No law reference: numbers, ampersands and prices stay as they are.
        ("Ersättningen är 8 kronor per 8 timmar.", "Ersättningen är 8 kronor per 8 timmar."),
        ("Svensson & Co, 3 8 dagar", "Svensson & Co, 3 8 dagar"),
        ("8 timmar per vecka, 8 veckor", "8 timmar per vecka, 8 veckor"),
        ("(8 dagar)", "(8 dagar)"),
        ("3 kap. 19 § KL", "3 kap. 19 § KL"),
    ],
)
def test_section_signs_misread_by_tesseract_are_repaired_in_law_references(read, expected):
    assert ocr_text.fix_section_signs(read) == expected


def _tsv(rows: list[tuple]) -> str:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    lines = [header]
    for block, par, line, word, left, top, text, conf in rows:
        lines.append(f"5\t1\t{block}\t{par}\t{line}\t{word}\t{left}\t{top}\t{len(text) * 10}\t20\t{conf}\t{text}")
    return "\n".join(lines) + "\n"


def test_tsv_becomes_lines_and_paragraphs_with_boxes_and_confidence():
    tsv = _tsv(
        [
            (1, 1, 1, 1, 100, 100, "Uppföljning", 96),
            (1, 2, 1, 1, 100, 200, "Nämnden", 90),
            (1, 2, 1, 2, 200, 200, "följer", 80),
            (1, 2, 2, 1, 100, 230, "upp", 70),
            (1, 2, 2, 2, 150, 230, "=", 0),  # a speck read with no confidence
            # Tesseract opened a new paragraph at the sentence's last line: it stays in the paragraph.
            (1, 3, 1, 1, 100, 260, "utförare", 90),
            (1, 3, 1, 2, 200, 260, "enligt", 90),
            (1, 3, 1, 3, 300, 260, "3", 90),
            (1, 3, 1, 4, 320, 260, "$&", 40),
            (1, 3, 1, 5, 350, 260, "KL.", 90),
            (2, 1, 1, 1, 100, 400, "Beslut", 95),
            # "§ 45" glued into "845." by an unsure Tesseract; a sure "845" is a number.
            (3, 1, 1, 1, 100, 500, "2024,", 95),
            (3, 1, 1, 2, 160, 500, "845.", 44),
            (4, 1, 1, 1, 100, 600, "Summa:", 95),
            (4, 1, 1, 2, 170, 600, "845", 96),
        ]
    )
    page = ocr.parse_tsv(tsv, width=1000, height=2000, number=4)
    assert page.number == 4
    assert page.text == (
        "Uppföljning\n\nNämnden följer\nupp\nutförare enligt 3 § KL.\n\nBeslut\n\n2024, § 45.\n\nSumma: 845"
    )
    assert [line.text for line in page.lines] == [
        "Uppföljning",
        "Nämnden följer",
        "upp",
        "utförare enligt 3 § KL.",
        "Beslut",
        "2024, § 45.",
        "Summa: 845",
    ]
    assert page.lines[1].bbox == (0.1, 0.1, 0.26, 0.11)
    assert page.lines[1].confidence == pytest.approx(0.85)
    assert page.words == 14  # the speck is not a word
    assert page.confidence == pytest.approx((96 + 90 + 80 + 70 + 90 * 4 + 40 + 95 + 95 + 44 + 95 + 96) / 1400, abs=1e-4)


def test_lines_are_placed_in_the_cleaned_text_after_hyphen_joins_and_dropped_lines():
    box = (0.1, 0.1, 0.9, 0.12)
    lines = [
        ocr.OcrLine(text=text, bbox=box, confidence=0.9)
        for text in ("BOTKYRKA KOMMUN", "Socialnämnden ansvarar för in-", "förande av valfrihetssystem.", "Sida 1")
    ]
    cleaned = "Socialnämnden ansvarar för införande\nav valfrihetssystem."
    placed = ocr_text.place_lines(lines, cleaned, offset=100, page=3)
    assert [(p.page, p.start - 100, p.end - 100) for p in placed] == [(3, 0, 36), (3, 27, 57)]
    assert cleaned[0:36] == "Socialnämnden ansvarar för införande"
    assert all(p.bbox == box for p in placed)


# --- the catalog keeps the line positions -------------------------------------------------------


def test_catalog_layout_is_written_with_the_document_and_deleted_with_it(tmp_path):
    catalog = Catalog(tmp_path / "catalog.sqlite")
    meta = DocumentMeta(doc="skannad.pdf", title="Skannad", ocr_pages=[1], ocr_confidence=0.93)
    chunk = Chunk(id="c1", doc="skannad.pdf", text="Nämnden följer upp.", start=0, end=19, page_start=1, page_end=1)
    layout = [LayoutLine(page=1, start=0, end=19, bbox=(0.12, 0.1, 0.87, 0.12), confidence=0.93)]
    with catalog.transaction() as conn:
        catalog.put_document(conn, meta, chunk.text, [0], [chunk], layout)
    assert catalog.layout("skannad.pdf") == layout
    assert catalog.document("skannad.pdf").ocr_pages == [1]
    with catalog.transaction() as conn:  # a new version read from a text layer has no OCR lines
        catalog.put_document(conn, meta.model_copy(update={"ocr_pages": []}), chunk.text, [0], [chunk])
    assert catalog.layout("skannad.pdf") == []
    with catalog.transaction() as conn:
        catalog.put_document(conn, meta, chunk.text, [0], [chunk], layout)
    with catalog.transaction() as conn:
        catalog.delete_document(conn, "skannad.pdf")
    assert catalog.layout("skannad.pdf") == [] and catalog.document("skannad.pdf") is None
    catalog.close()


# --- citations and the UI caveat ----------------------------------------------------------------


def test_citations_of_ocr_pages_carry_the_caveat_and_the_cli_contract_keeps_its_shape():
    from assistant.answering.service import citation_for
    from assistant.models import SearchHit

    meta = DocumentMeta(doc="blandad.pdf", title="Blandad", ocr_pages=[2])
    hits = [
        SearchHit(
            chunk=Chunk(id=f"c{p}", doc="blandad.pdf", text="Text.", start=0, end=5, page_start=p, page_end=p),
            meta=meta,
            score=1.0,
        )
        for p in (1, 2)
    ]
    text_page, scanned_page = (citation_for(hit, 0, 5) for hit in hits)
    assert (text_page.ocr, scanned_page.ocr) == (False, True)
    assert set(scanned_page.public()) == {"doc", "title", "page", "section", "quote"}
    answer = Answer(question="Q", text="Svar [1] och [2].", abstained=False, citations=[text_page, scanned_page])
    html = render_answer(answer, 0)
    assert html.count("Inläst med OCR – kontrollera mot originalet") == 1
    plain = render_answer(answer.model_copy(update={"citations": [Citation(doc="a", title="A", quote="q")]}), 0)
    assert "Inläst med OCR" not in plain


# --- without Tesseract ----------------------------------------------------------------------------

HOW_TO_ENABLE = "apt-get install tesseract-ocr tesseract-ocr-swe"


def test_without_tesseract_a_scanned_pdf_is_refused_naming_it_and_how_to_enable_ocr(scans, no_tesseract):
    message = _error(scans["skannad-policy.pdf"])
    assert "inskannade sidor utan text (sidorna 1–3)" in message
    assert "programmet tesseract saknas" in message
    assert HOW_TO_ENABLE in message and "make install" in message


def test_without_tesseract_a_mixed_pdf_is_refused_whole_naming_the_scanned_page(scans, no_tesseract):
    message = _error(scans["blandad.pdf"])
    assert "(sida 2)" in message and HOW_TO_ENABLE in message
    assert "STYRDOK_OCR__ENABLED=false" in message  # the way to index only the text page


def test_a_missing_swedish_model_is_named(scans, monkeypatch, tmp_path):
    fake = tmp_path / "bin" / "tesseract"
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\necho "List of available languages in /x (2):"\necho eng\necho osd\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent))
    message = _error(scans["skannad-policy.pdf"])
    assert "Tesseracts språkmodell swe saknas" in message and HOW_TO_ENABLE in message


def test_a_hanging_tesseract_is_stopped_and_the_page_named(scans, monkeypatch, tmp_path):
    fake = tmp_path / "bin" / "tesseract"
    fake.parent.mkdir()
    fake.write_text(
        '#!/bin/sh\ncase "$1" in\n  --list-langs) echo "List of available languages in /x (1):"; echo swe ;;\n'
        '  --version) echo "tesseract 0.0-fake" ;;\n  *) exec sleep 30 ;;\nesac\n'
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:/usr/bin:/bin")
    message = _error(scans["skannad-policy.pdf"], ocr=ocr.OcrReader(OcrSettings(page_timeout=1)))
    assert "kan inte läsas med OCR: sida 1: Tesseract svarade inte inom 1 s." in message


def test_with_ocr_switched_off_pdfs_are_read_as_before(scans, monkeypatch):
    monkeypatch.setenv("STYRDOK_OCR__ENABLED", "false")
    message = _error(scans["skannad-policy.pdf"])
    assert "ingen textbaserad text (skannad bild?) och OCR är avstängt" in message
    assert "STYRDOK_OCR__ENABLED=true" in message
    mixed = load_document(scans["blandad.pdf"])  # the text page only, as before OCR existed
    assert mixed.meta.pages == 2 and mixed.meta.ocr_pages == [] and mixed.layout == []
    assert "Styrning i valfrihetssystem" in mixed.text and "sanktioner" not in mixed.text


def test_a_pdf_without_text_or_images_gets_a_clear_message_with_or_without_tesseract(monkeypatch, tmp_path):
    """tests/data/image_only.pdf draws a grey rectangle: no text layer and no scanned image to read."""
    expected = "innehåller ingen text: sidorna har varken ett textlager eller inskannade bilder"
    assert expected in _error(DATA / "image_only.pdf")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert expected in _error(DATA / "image_only.pdf")


def test_without_tesseract_ingest_skips_the_scan_and_indexes_the_rest(make_library, scans, no_tesseract, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "skannad-policy.pdf").write_bytes(scans["skannad-policy.pdf"].read_bytes())
    (folder / "riktlinje.md").write_text(GOOD_TEXT, encoding="utf-8")
    library = make_library()
    report = ingest(library, [folder])
    assert report.added == ["riktlinje.md"]
    [skipped] = report.skipped
    assert skipped.file == "skannad-policy.pdf"
    assert (
        skipped.reason.startswith("skannad-policy.pdf: innehåller inskannade sidor") and HOW_TO_ENABLE in skipped.reason
    )
    assert {m.doc for m in library.documents()} == {"riktlinje.md"}
    assert library.search("kvalitetsuppföljning av utförare")[0].meta.doc == "riktlinje.md"


# --- with Tesseract -------------------------------------------------------------------------------


@pytest.mark.slow
@needs_tesseract
def test_word_error_rate_on_the_rendered_swedish_pages_is_at_most_3_percent(scans, reader):
    raw = scans["skannad-policy.pdf"].read_bytes()
    pages = reader.read(raw, "wer", [0, 1, 2])
    errors = sum(word_error_rate(p.words(), o.text.split()) * len(p.words()) for p, o in zip(PAGES, pages, strict=True))
    total = sum(len(p.words()) for p in PAGES)
    assert errors / total <= 0.03, [o.text for o in pages]
    text = "\n".join(o.text for o in pages)
    phrases = ("5 kap. 3 § kommunallagen", "10 kap. 9 § kommunallagen", "2024, § 45.", "Åtgärdsplan 30 dagar")
    for phrase in phrases:
        assert phrase in text
    assert all(o.confidence and o.confidence > 0.8 for o in pages)


@pytest.mark.slow
@needs_tesseract
def test_scanned_pdf_is_loaded_with_pages_positions_confidence_and_progress(scans, reader):
    seen: list[tuple[int, int]] = []
    doc = load_document(
        scans["skannad-policy.pdf"], ocr=reader, progress=lambda done, total: seen.append((done, total))
    )
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert doc.meta.pages == 3 and doc.meta.ocr_pages == [1, 2, 3]
    assert 0.8 < doc.meta.ocr_confidence <= 1
    assert doc.meta.title == "Policy för socialnämndens valfrihetssystem"
    assert doc.page_at(doc.text.index("Åtgärdsplan 30 dagar")) == 2
    assert [line.page for line in doc.layout] == sorted(line.page for line in doc.layout)
    assert {line.page for line in doc.layout} == {1, 2, 3}
    for line in doc.layout:
        assert 0 <= line.bbox[0] < line.bbox[2] <= 1 and 0 <= line.bbox[1] < line.bbox[3] <= 1
        assert doc.page_at(line.start) == line.page
    table_row = next(line for line in doc.layout if doc.text[line.start : line.end].startswith("Dokumentation saknas"))
    assert doc.text[table_row.start : table_row.end] == "Dokumentation saknas Åtgärdsplan 30 dagar"
    assert table_row.page == 2 and 0.25 < table_row.bbox[1] < 0.4  # below the two paragraphs, in the upper half


@pytest.mark.slow
@needs_tesseract
def test_scanned_corpus_page_is_ingested_found_cited_with_its_page_and_answered(scans, reader, tmp_path):
    styrdok = Styrdok.open(tmp_path / "index", embedder=HashingEmbedder())
    styrdok.library.ocr = reader
    steps: list[str] = []
    report = styrdok.ingest([scans["skannad-policy.pdf"]], progress=lambda name, done, total: steps.append(name))
    assert report.added == ["skannad-policy.pdf"] and not report.skipped
    assert [s for s in steps if "OCR" in s] == [f"skannad-policy.pdf – OCR {n}/3 sidor" for n in range(4)]
    assert styrdok.library.catalog.layout("skannad-policy.pdf")

    hits = styrdok.search("Vem fastställer ersättningsnivåer för utförare?", k=3)
    assert hits[0].meta.doc == "skannad-policy.pdf" and hits[0].chunk.page_start == 1

    answer = styrdok.ask("Inom hur många dagar ska utföraren lämna en åtgärdsplan?")
    assert not answer.abstained, answer
    cited = [c for c in answer.citations if "åtgärdsplan" in c.quote.lower()]
    assert cited and cited[0].doc == "skannad-policy.pdf" and cited[0].page == 2 and cited[0].ocr
    assert "30 dagar" in cited[0].quote


@pytest.mark.slow
@needs_tesseract
def test_mixed_pdf_reads_only_the_scanned_page_with_ocr(scans, reader, tmp_path):
    styrdok = Styrdok.open(tmp_path / "index", embedder=HashingEmbedder())
    styrdok.library.ocr = reader
    assert styrdok.ingest([scans["blandad.pdf"]]).added == ["blandad.pdf"]
    meta = styrdok.document("blandad.pdf")
    assert meta.pages == 2 and meta.ocr_pages == [2]
    assert {line.page for line in styrdok.library.catalog.layout("blandad.pdf")} == {2}
    [top] = styrdok.search("sanktioner vid upprepade brister vite", k=1)
    assert top.chunk.page_start == 2
    [first] = styrdok.search("mandatperiod program med mål och riktlinjer", k=1)
    assert first.chunk.page_start == 1


DRAFT = Page(
    heading="Förfrågningsunderlag – ledsagarservice enligt LOV",
    paragraphs=(
        "2 Krav för godkännande",
        "2.1 Sökanden ska vara registrerad för F-skatt.",
        "2.2 Leverantören bör ha minst tre års erfarenhet av ledsagarservice.",
        "3 Krav på tjänsten",
        "3.1 Utföraren ska vid behov samverka med hälso- och sjukvården.",
    ),
)


@pytest.mark.slow
@needs_tesseract
def test_lint_of_a_scanned_draft_finds_the_same_weaknesses(tmp_path):
    path = tmp_path / "skannat-utkast.pdf"
    path.write_bytes(scanned_pdf((DRAFT,)))
    findings = Linter().review(path).findings
    quotes = {(f.rule, f.quote) for f in findings if f.quote}
    assert any(rule == "modalitet" and "bör ha minst tre års erfarenhet" in quote for rule, quote in quotes), quotes
    assert any(rule == "uppfoljningsbarhet" and "vid behov" in quote for rule, quote in quotes), quotes


@pytest.mark.slow
@needs_tesseract
def test_ui_reads_a_scan_before_taking_the_write_lock_so_questions_go_on(scans, tmp_path, monkeypatch):
    """While the scan is being read, another session's search runs; ingest then takes the pages from the cache."""
    from ui.services import Services

    styrdok = Styrdok.open(tmp_path / "index", embedder=HashingEmbedder())
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "riktlinje.md").write_text(GOOD_TEXT, encoding="utf-8")
    styrdok.ingest([tmp_path / "docs"])
    services = Services(styrdok.library)
    reading, finish = threading.Event(), threading.Event()
    calls: list[list[str]] = []
    real_run = ocr._run

    def slow_tesseract(args, timeout, data=None):
        if "stdin" in args:
            calls.append(args)
            reading.set()
            assert finish.wait(60)
        return real_run(args, timeout, data)

    monkeypatch.setattr(ocr, "_run", slow_tesseract)
    result: dict = {}
    worker = threading.Thread(target=lambda: result.update(report=services.ingest([scans["blandad.pdf"]])))
    worker.start()
    assert reading.wait(60)
    # Under the write lock this search would wait until the OCR ends, which waits for `finish`.
    searcher = threading.Thread(target=lambda: result.update(hits=services.search("kvalitetsuppföljning av utförare")))
    searcher.start()
    searcher.join(60)
    searched_during_ocr = not searcher.is_alive()
    finish.set()
    worker.join(120)
    searcher.join(60)
    assert searched_during_ocr
    assert result["hits"][0].meta.doc == "riktlinje.md"
    assert result["report"].added == ["blandad.pdf"]
    assert len(calls) == 1  # read once, before the lock; ingest found it in the cache
    assert (tmp_path / "index" / "ocr-cache.sqlite").exists()
