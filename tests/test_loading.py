"""Tests for assistant.loading: every format, page offsets, headings, sidecars and bad input."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from assistant.errors import DocumentError
from assistant.loading import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, load_document
from assistant.metadata import guess_meta, read_manifest
from assistant.models import DocumentKind

DATA = Path(__file__).parent / "data"
CORPUS = Path("/work/shared/corpus")


def _error(path: Path, **kwargs) -> str:
    with pytest.raises(DocumentError) as info:
        load_document(path, **kwargs)
    message = str(info.value)
    assert message.startswith(f"{path.name}: "), message  # every message names the file
    return message


# --- formats --------------------------------------------------------------------------------


def test_markdown_headings_offsets_and_meta(tmp_path: Path) -> None:
    path = tmp_path / "botkyrka-riktlinje-test.md"
    path.write_text(
        "# Riktlinje för hemtjänst\n\nBeslutad 2023-01-01 av Botkyrka kommun.\n\n## Krav\n\nUtföraren ska ...\n"
        "```\n# not a heading\n```\n",
        encoding="utf-8",
    )
    doc = load_document(path)
    assert doc.meta.doc == "botkyrka-riktlinje-test.md"
    assert doc.meta.path == str(path)
    assert doc.meta.format == "md"
    assert doc.meta.title == "Riktlinje för hemtjänst"
    assert doc.meta.kind is DocumentKind.riktlinje
    assert doc.meta.issuer == "Botkyrka kommun"
    assert doc.meta.date == "2023-01-01"
    assert doc.meta.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.meta.chars == len(doc.text)
    assert doc.page_starts == [] and doc.meta.pages is None
    assert [(level, title) for _, level, title in doc.headings] == [(1, "Riktlinje för hemtjänst"), (2, "Krav")]
    for offset, _, title in doc.headings:
        assert doc.text[offset:].lstrip("# ").startswith(title)


def test_txt_utf8_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffPolicy för valfrihet\n\nText om äldreomsorg.\n".encode("utf-8"))
    doc = load_document(path)
    assert doc.text == "Policy för valfrihet\n\nText om äldreomsorg."
    assert doc.meta.kind is DocumentKind.policy


def test_txt_cp1252_is_decoded() -> None:
    doc = load_document(DATA / "cp1252.txt")
    assert doc.text.startswith("Riktlinje för äldreomsorg\n\nBrukaren får välja")
    assert doc.meta.title == "Riktlinje för äldreomsorg"


def test_pdf_pages_headers_hyphenation_and_toc() -> None:
    doc = load_document(DATA / "two_pages.pdf")
    assert doc.meta.pages == 2 and doc.meta.format == "pdf"
    assert len(doc.page_starts) == 2 and doc.page_starts[0] == 0
    second = doc.page_starts[1]
    assert doc.text[second - 2 : second] == "\n\n"
    assert doc.text[second:].startswith("Uppföljning")
    assert doc.page_at(doc.text.index("införande")) == 1
    assert doc.page_at(doc.text.index("varje år")) == 2
    assert "införande av valfrihetssystem" in doc.text
    for artefact in ("BOTKYRKA KOMMUN", "Vård- och omsorgsförvaltningen", "Sida 1 av 2", "Sida 2", "....", "in-\n"):
        assert artefact not in doc.text
    assert doc.meta.title == "Policy för valfrihetssystem"  # from the PDF metadata
    assert doc.meta.kind is DocumentKind.policy


def test_docx_body_order_headings_and_table() -> None:
    doc = load_document(DATA / "headings.docx")
    assert doc.meta.format == "docx"
    assert doc.meta.title == "Riktlinje för uppföljning"
    assert [(level, title) for _, level, title in doc.headings] == [
        (1, "Riktlinje för uppföljning"),
        (1, "Syfte"),
        (2, "Sanktioner"),
        (2, "Uppföljning av egen regi"),  # custom style based on Heading 2
    ]
    for offset, _, title in doc.headings:
        assert doc.text[offset:].startswith(title)
    assert "Brist | Åtgärd | Frist\nDokumentation | Åtgärdsplan | 30 dagar" in doc.text
    assert "- Vite vid upprepade brister." in doc.text  # bullet glyph normalised
    order = [doc.text.index(s) for s in ("Syfte", "Nämnden ska", "Sanktioner", "Brist |", "Beslutad")]
    assert order == sorted(order)
    assert doc.meta.date == "2024-05-24"


# --- bad input --------------------------------------------------------------------------------


def test_empty_file() -> None:
    assert "är tom" in _error(DATA / "empty.txt")


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.md"
    path.write_text("\n  \n\t\n", encoding="utf-8")
    assert "ingen text" in _error(path)


def test_unknown_extension_names_supported_ones() -> None:
    message = _error(DATA / "unknown.xyz")
    assert ".xyz stöds inte" in message
    for suffix in SUPPORTED_SUFFIXES:
        assert suffix in message


def test_old_word_format_suggests_docx(tmp_path: Path) -> None:
    path = tmp_path / "gammal.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    assert "Spara om filen som .docx" in _error(path)


def test_missing_file(tmp_path: Path) -> None:
    assert "finns inte" in _error(tmp_path / "saknas.pdf")


def test_binary_junk_txt() -> None:
    assert "kan inte avkodas" in _error(DATA / "binary.txt")


def test_nul_bytes_txt(tmp_path: Path) -> None:
    path = tmp_path / "nul.txt"
    path.write_bytes(b"Text\x00med\x00nollor")
    assert "kan inte avkodas" in _error(path)


def test_mojibake_txt() -> None:
    assert "felkodad" in _error(DATA / "mojibake.txt")


def test_corrupt_pdf() -> None:
    assert "skadad" in _error(DATA / "corrupt.pdf")


def test_not_a_pdf_at_all(tmp_path: Path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_text("Det här är text, inte PDF.", encoding="utf-8")
    assert "skadad" in _error(path)


def test_encrypted_pdf() -> None:
    assert "är krypterad" in _error(DATA / "encrypted.pdf")


def test_pdf_with_only_a_drawing_has_nothing_to_read() -> None:
    """image_only.pdf draws a grey rectangle: no text layer, and no scanned image for OCR (tests/test_ocr.py)."""
    message = _error(DATA / "image_only.pdf")
    assert "innehåller ingen text: sidorna har varken ett textlager eller inskannade bilder att läsa med OCR" in message


def test_corrupt_docx(tmp_path: Path) -> None:
    path = tmp_path / "trasig.docx"
    path.write_bytes((DATA / "headings.docx").read_bytes()[:500])
    assert "ingen giltig DOCX" in _error(path)


def test_size_limit_names_size_and_limit(tmp_path: Path) -> None:
    path = tmp_path / "stor.txt"
    path.write_bytes(b"a" * 3 * 1024 * 1024)
    message = _error(path, max_bytes=2 * 1024 * 1024)
    assert "för stor (3,0 MB)" in message and "gränsen är 2,0 MB" in message
    assert DEFAULT_MAX_BYTES == 50 * 1024 * 1024


# --- overrides ---------------------------------------------------------------------------------


def test_caller_overrides_win(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("Policy för något\n\nText.\n", encoding="utf-8")
    doc = load_document(path, overrides={"title": "Rätt titel", "kind": "avtal", "note": "Upphävd 2025-07-01", "x": 1})
    assert doc.meta.title == "Rätt titel"
    assert doc.meta.kind is DocumentKind.avtal
    assert doc.meta.repealed is True


def test_sidecar_json_and_yaml(tmp_path: Path) -> None:
    path = tmp_path / "y.md"
    path.write_text("# Något\n\nText.\n", encoding="utf-8")
    (tmp_path / "y.md.meta.json").write_text(json.dumps({"kind": "Vägledning", "issuer": "SKR"}), encoding="utf-8")
    doc = load_document(path)
    assert doc.meta.kind is DocumentKind.vagledning and doc.meta.issuer == "SKR"
    # The caller's overrides beat the sidecar.
    assert load_document(path, overrides={"issuer": "SKL"}).meta.issuer == "SKL"

    other = tmp_path / "z.txt"
    other.write_text("Text om riktlinjer.\n", encoding="utf-8")
    (tmp_path / "z.txt.meta.yaml").write_text(
        "title: Riktlinje Z\nkind: riktlinjer\nrepealed: true\n", encoding="utf-8"
    )
    meta = load_document(other).meta
    assert (meta.title, meta.kind, meta.repealed) == ("Riktlinje Z", DocumentKind.riktlinje, True)


def test_broken_sidecar_and_bad_kind(tmp_path: Path) -> None:
    path = tmp_path / "w.txt"
    path.write_text("Text.\n", encoding="utf-8")
    sidecar = tmp_path / "w.txt.meta.json"
    sidecar.write_text("{inte json", encoding="utf-8")
    assert "w.txt.meta.json" in _error_any(path)
    sidecar.write_text(json.dumps({"kind": "roman"}), encoding="utf-8")
    assert "okänd dokumenttyp" in _error_any(path)


def _error_any(path: Path) -> str:
    with pytest.raises(DocumentError) as info:
        load_document(path)
    return str(info.value)


# --- the real corpus ----------------------------------------------------------------------------


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
def test_whole_corpus_loads_with_manifest_kinds() -> None:
    manifest = read_manifest(CORPUS)
    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in SUPPORTED_SUFFIXES and p.name in manifest)
    assert len(files) == len(manifest) == 56
    agree = 0
    started = time.perf_counter()
    for path in files:
        doc = load_document(path, overrides=manifest[path.name])
        assert doc.meta.kind == manifest[path.name]["kind"], path.name
        assert doc.meta.title == manifest[path.name]["title"]
        assert doc.text.strip() and doc.meta.chars == len(doc.text)
        assert (doc.meta.pages is not None) == (path.suffix == ".pdf")
        assert doc.meta.ocr_pages == [], path.name  # every corpus PDF has a text layer on every page
        # Guess again from the loaded text, as load_document does without overrides; re-extracting
        # the PDFs would double the test's time, and their metadata title is cheap to read.
        info = PdfReader(path).metadata if path.suffix == ".pdf" else None
        pdf_title = info.title if info else None
        agree += guess_meta(path, doc.text, doc.headings, pdf_title)["kind"] == doc.meta.kind
    elapsed = time.perf_counter() - started
    print(f"kind agreement {agree}/{len(files)}; loaded in {elapsed:.1f} s")
    assert agree >= 0.9 * len(files)
    assert manifest["sfs-2001-453-socialtjanstlag-upphavd.md"]["repealed"] is True
    assert manifest["004_e520ef90205998ba.txt"]["duplicate_of"] == "002_b8511d1d7f6ea031.txt"
