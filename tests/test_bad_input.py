"""Bad files through ingest(): each one is skipped with a Swedish message naming it, the batch goes on,
and the index holds exactly the good documents (catalog, chunks and vectors agree).

Names: Linux allows any byte but "/" and NUL in a file name, at most 255 bytes, so "../" can only
appear in a path (test_cli_path_with_dotdot) and a 300-character name cannot exist on disk; it is
refused when stat() fails (test_name_longer_than_the_file_system_allows). A browser upload can carry
such a name; sanitising it is the UI upload path's job, not the loader's.
"""

from __future__ import annotations

import io
import os
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

from assistant.errors import printable_name
from assistant.ingest import IngestReport, ingest
from assistant.library import Library

DATA = Path(__file__).parent / "data"
GOOD = "riktlinje-hemtjanst.md"
GOOD_TEXT = "# Riktlinje för hemtjänst\n\nKvalitetsuppföljning av utförare sker varje år enligt nämndens plan.\n"
MB = 1024 * 1024


def _good(folder: Path) -> Path:
    path = folder / GOOD
    path.write_text(GOOD_TEXT, encoding="utf-8")
    return path


def run_batch(library: Library, folder: Path, bad: Path) -> IngestReport:
    """Ingest the good document and `bad` as one batch, the bad one first so the batch must go on."""
    return ingest(library, [bad, _good(folder)])


def assert_index_holds_only(library: Library, docs: set[str]) -> None:
    """Catalog documents, catalog chunks and vectors all cover exactly `docs`: nothing half-written."""
    assert {meta.doc for meta in library.catalog.documents()} == docs
    chunk_docs = library.catalog.chunk_docs()
    assert set(chunk_docs.values()) == docs
    assert library.store.all_ids() == set(chunk_docs)


def assert_good_is_searchable(library: Library) -> None:
    hits = library.search("kvalitetsuppföljning av utförare")
    assert hits and hits[0].meta.doc == GOOD


def skipped_reason(report: IngestReport, name: str) -> str:
    """The one skip message for `name`; it names the file printably and is one printable line."""
    reasons = [item.reason for item in report.skipped if item.file == name]
    assert len(reasons) == 1, report.skipped
    reason = reasons[0]
    assert reason.startswith(f"{printable_name(name)}: "), reason
    assert reason.isprintable(), reason
    return reason


def assert_skipped_alone(library: Library, report: IngestReport, name: str, *phrases: str) -> str:
    """`name` was skipped with a message holding `phrases`; the good document is indexed and found."""
    reason = skipped_reason(report, name)
    for phrase in phrases:
        assert phrase in reason, reason
    assert report.added == [GOOD]
    assert_index_holds_only(library, {GOOD})
    assert_good_is_searchable(library)
    return reason


# --- the bad files ----------------------------------------------------------------------------


def _pdf(name: str) -> bytes:
    return (DATA / name).read_bytes()


def _encrypt(user_password: str, algorithm: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(DATA / "two_pages.pdf"))
    writer.encrypt(user_password=user_password, owner_password="ägarens-lösen", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _docx_without(part: str) -> bytes:
    source = zipfile.ZipFile(DATA / "headings.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name != part:
                target.writestr(name, source.read(name))
    return out.getvalue()


def _write_docx_bomb(path: Path, unpacked: int) -> None:
    """A DOCX whose document.xml unpacks to `unpacked` bytes, written in blocks (a few hundred KB on disk)."""
    source = zipfile.ZipFile(DATA / "headings.docx")
    block = b"<w:p/>" * (MB // 6)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name != "word/document.xml":
                target.writestr(name, source.read(name))
        with target.open("word/document.xml", "w", force_zip64=True) as entry:
            for _ in range(unpacked // len(block)):
                entry.write(block)


def _lie_about_size(data: bytes, part: str, size: int) -> bytes:
    """Make the zip directory claim `part` unpacks to `size` bytes (a bomb that hides its size)."""
    name = part.encode()
    local = data.index(name) - 30  # the name follows the 30-byte local header ...
    central = data.rindex(name) - 46  # ... and the 46-byte central directory entry
    assert data[local : local + 4] == b"PK\x03\x04" and data[central : central + 4] == b"PK\x01\x02"
    patched = bytearray(data)
    patched[local + 22 : local + 26] = size.to_bytes(4, "little")
    patched[central + 24 : central + 28] = size.to_bytes(4, "little")
    return bytes(patched)


# (file name, how to make its bytes, phrases the skip message must hold)
SKIPPED: list[tuple[str, Callable[[], bytes], tuple[str, ...]]] = [
    ("avklippt.pdf", lambda: _pdf("two_pages.pdf")[:900], ("är skadad", "giltig PDF")),
    ("lösenord.pdf", lambda: _pdf("encrypted.pdf"), ("lösenordsskyddad", "Ta bort lösenordet")),
    # A drawing without text or scanned image; real scans are read with OCR (tests/test_ocr.py).
    ("ritad.pdf", lambda: _pdf("image_only.pdf"), ("varken ett textlager eller inskannade bilder", "OCR")),
    ("utan-dokument.docx", lambda: _docx_without("word/document.xml"), ("word/document.xml saknas",)),
    ("bara-zip-huvud.docx", lambda: b"PK\x03\x04" + bytes(200), ("ingen giltig DOCX",)),
    ("skräp.txt", lambda: _pdf("binary.txt"), ("kan inte avkodas",)),
    ("pdf-som-text.txt", lambda: _pdf("two_pages.pdf"), ("kan inte avkodas",)),
    ("tom.md", lambda: b"", ("är tom",)),
    ("bara-blanktecken.txt", lambda: b" \n\t\r\n", ("ingen text",)),
    ("a\x07b.txt", lambda: b"", ("a\\x07b.txt: är tom",)),
    ("rad\nbrytning.md", lambda: b"\x00\x01\x02", ("rad\\nbrytning.md: kan inte avkodas",)),
    ("\u00e5" * 100 + "x" * 46 + ".txt", lambda: b"", ("är tom",)),  # 250 bytes in UTF-8
]


@pytest.mark.parametrize(("name", "make", "phrases"), SKIPPED, ids=[printable_name(c[0]) for c in SKIPPED])
def test_bad_file_is_skipped_and_the_batch_goes_on(make_library, tmp_path, name, make, phrases) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    bad = folder / name
    bad.write_bytes(make())
    library = make_library()
    report = run_batch(library, folder, bad)
    assert_skipped_alone(library, report, name, *phrases)


def test_broken_xref_is_rebuilt_and_indexed(make_library, tmp_path) -> None:
    """pypdf rebuilds a garbled cross-reference table from the objects: the document is not lost."""
    data = _pdf("two_pages.pdf")
    table, trailer = data.rindex(b"\nxref") + 1, data.rindex(b"trailer")
    broken = data[:table] + b"xref\n0 9\ngarbage here\n" + data[trailer:].replace(b"startxref\n", b"startxref\n9")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "trasig-xref.pdf").write_bytes(broken)
    library = make_library()
    report = run_batch(library, folder, folder / "trasig-xref.pdf")
    assert report.skipped == [] and sorted(report.added) == sorted([GOOD, "trasig-xref.pdf"])
    assert_index_holds_only(library, {GOOD, "trasig-xref.pdf"})
    assert "Nämnden ska följa upp alla utförare varje år." in library.catalog.document_text("trasig-xref.pdf")


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128"])
def test_pdf_with_empty_user_password_opens(make_library, tmp_path, algorithm) -> None:
    """Owner-password-only PDFs ("skydda mot ändringar") are readable by anyone, so they are indexed."""
    if algorithm.startswith("AES"):
        pytest.importorskip("cryptography")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "skyddad.pdf").write_bytes(_encrypt("", algorithm))
    library = make_library()
    report = run_batch(library, folder, folder / "skyddad.pdf")
    assert report.skipped == []
    assert_index_holds_only(library, {GOOD, "skyddad.pdf"})
    assert library.search("Resultaten publiceras på kommunens webbplats")[0].meta.doc == "skyddad.pdf"


def test_text_mixing_utf8_and_cp1252_keeps_swedish_letters(make_library, tmp_path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    mixed = folder / "blandad.txt"
    mixed.write_bytes(
        "Riktlinje för äldreomsorg\n\n".encode()
        + "Brukaren får välja utförare. Även Åsa i Öckerö.\n".encode("cp1252")
        + "Nämnden följer upp.\n".encode()
    )
    library = make_library()
    report = run_batch(library, folder, mixed)
    assert report.skipped == []
    text = library.catalog.document_text("blandad.txt")
    assert text == "Riktlinje för äldreomsorg\n\nBrukaren får välja utförare. Även Åsa i Öckerö.\nNämnden följer upp."


def test_notepad_unicode_text_is_utf16(make_library, tmp_path) -> None:
    """Windows Notepad saves "Unicode" as UTF-16 with a byte order mark: text, not binary data."""
    folder = tmp_path / "docs"
    folder.mkdir()
    notepad = folder / "anteckningar.txt"
    notepad.write_bytes("Riktlinje för äldreomsorg\r\n\r\nBrukaren får välja.\r\n".encode("utf-16"))
    library = make_library()
    report = run_batch(library, folder, notepad)
    assert report.skipped == []
    assert library.catalog.document_text("anteckningar.txt") == "Riktlinje för äldreomsorg\n\nBrukaren får välja."


def test_valid_files_with_odd_names_are_indexed(make_library, tmp_path) -> None:
    """A newline, a bell or 245 bytes in a name is legal on disk; the document itself is fine."""
    folder = tmp_path / "docs"
    folder.mkdir()
    names = ["rad\nbrytning.md", "klocka\x07.txt", "ö" * 120 + "x.md"]
    for number, name in enumerate(names):
        (folder / name).write_text(f"Riktlinje nummer {number}\n\nText om tillsyn av utförare {number}.\n")
    library = make_library()
    report = ingest(library, [folder])
    assert report.skipped == [] and sorted(report.added) == sorted(names)
    assert_index_holds_only(library, set(names))


@pytest.mark.parametrize("given_as", ["folder", "file"])
def test_name_that_is_not_utf8_is_skipped(make_library, tmp_path, given_as) -> None:
    """A latin-1 "café" from an old zip archive: it used to crash the whole batch in the catalog lookup."""
    folder = tmp_path / "docs"
    folder.mkdir()
    good = _good(folder)
    bad = Path(os.fsdecode(os.fsencode(folder) + b"/caf\xe9.txt"))
    bad.write_text("Riktlinje för café\n\nText om tillsyn.\n", encoding="utf-8")
    library = make_library()
    report = ingest(library, [folder] if given_as == "folder" else [bad, good])
    reason = assert_skipped_alone(library, report, "caf\\udce9.txt", "filnamnet är inte giltig UTF-8")
    assert reason.encode("utf-8")  # printable and storable, unlike the name itself


def test_valid_file_with_a_250_byte_name_is_indexed(make_library, tmp_path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    name = "ö" * 123 + ".txt"  # 250 bytes: legal, but its sidecar name would not be
    (folder / name).write_text("Riktlinje om tillsyn\n\nText om tillsyn av utförare.\n", encoding="utf-8")
    library = make_library()
    report = ingest(library, [folder])
    assert report.skipped == [] and report.added == [name]


# --- size: refused before reading -------------------------------------------------------------


def test_200_mb_file_is_refused_by_size(make_library, tmp_path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    big = folder / "enorm.pdf"
    with big.open("wb") as handle:
        handle.truncate(200 * MB)  # sparse: no disk space used
    library = make_library()
    report = run_batch(library, folder, big)
    assert_skipped_alone(library, report, "enorm.pdf", "för stor (200,0 MB)", "gränsen är 50,0 MB")


def test_oversized_file_is_never_opened(make_library, tmp_path, monkeypatch) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    big = folder / "enorm.txt"
    with big.open("wb") as handle:
        handle.truncate(200 * MB)
    opened: list[Path] = []
    real_open = Path.open

    def spy(self, *args, **kwargs):
        opened.append(self)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy)
    library = make_library()
    report = run_batch(library, folder, big)
    assert "för stor" in skipped_reason(report, "enorm.txt")
    assert big not in opened


def test_docx_zip_bomb_is_refused_without_unpacking(make_library, tmp_path) -> None:
    """document.xml unpacks to 200 MB (limit 50 MB): refused from the zip directory, never allocated."""
    folder = tmp_path / "docs"
    folder.mkdir()
    bomb = folder / "bomb.docx"
    _write_docx_bomb(bomb, 200 * MB)
    assert bomb.stat().st_size < MB
    library = make_library()
    tracemalloc.start()
    try:
        report = run_batch(library, folder, bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert_skipped_alone(library, report, "bomb.docx", "packas upp till 200,0 MB", "zip-bomb")
    assert peak < 20 * MB, f"peak {peak / MB:.0f} MB"


def test_docx_bomb_that_hides_its_size_fails_its_checksum(make_library, tmp_path) -> None:
    """A zip directory that understates a part's size: zipfile stops at the stated size and the CRC fails."""
    folder = tmp_path / "docs"
    folder.mkdir()
    source = zipfile.ZipFile(DATA / "headings.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "word/document.xml":
                content = content.replace(b"</w:body>", b"<w:p/>" * 2_000_000 + b"</w:body>")
            target.writestr(name, content)
    liar = folder / "lögnare.docx"
    liar.write_bytes(_lie_about_size(out.getvalue(), "word/document.xml", 4000))
    library = make_library()
    report = run_batch(library, folder, liar)
    assert_skipped_alone(library, report, "lögnare.docx", "ingen giltig DOCX")


# --- paths --------------------------------------------------------------------------------------


def test_fifo_is_refused_without_blocking(make_library, tmp_path) -> None:
    """Opening a named pipe for reading waits for a writer forever; it is refused from stat()."""
    folder = tmp_path / "docs"
    folder.mkdir()
    pipe = folder / "rör.txt"
    os.mkfifo(pipe)
    library = make_library()
    report = ingest(library, [pipe, _good(folder)])
    reason = [item.reason for item in report.skipped if item.file == str(pipe)]
    assert reason and "är varken en vanlig fil eller en mapp" in reason[0]
    assert report.added == [GOOD]
    report = ingest(library, [folder])  # inside a folder, a pipe is not a document: ignored
    assert report.skipped == [] and report.unchanged == [GOOD]


def test_name_longer_than_the_file_system_allows(make_library, tmp_path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    too_long = folder / ("å" * 300 + ".txt")
    library = make_library()
    report = ingest(library, [too_long, _good(folder)])
    reason = [item.reason for item in report.skipped if item.file == str(too_long)]
    assert reason and "filnamnet eller sökvägen är för lång" in reason[0]
    assert report.added == [GOOD]
    assert_index_holds_only(library, {GOOD})


def _tree(root: Path, skip: Path) -> set[Path]:
    return {p for p in root.rglob("*") if skip not in p.parents and p != skip}


def test_cli_path_with_dotdot(tmp_path, monkeypatch) -> None:
    """`styrdok ingest docs/../docs/x.md`: the document id is the base name, and only the index folder changes."""
    from assistant.cli import main
    from assistant.library import open_library

    monkeypatch.setenv("STYRDOK_EMBEDDER", "hashing")
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    _good(folder)
    index = tmp_path / "index"
    before = _tree(tmp_path, index)
    path = Path("docs") / "sub" / ".." / ".." / "docs" / GOOD
    result = CliRunner().invoke(main, ["ingest", str(path), "--index", str(index), "--quiet"])
    assert result.exit_code == 0, result.output
    assert _tree(tmp_path, index) == before  # nothing written beside or above the index
    library = open_library(index)
    assert [meta.doc for meta in library.catalog.documents()] == [GOOD]
    assert Path(library.catalog.document(GOOD).path).resolve() == (folder / GOOD).resolve()
