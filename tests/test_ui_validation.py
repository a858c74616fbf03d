"""Upload validation: type by content, size limit, Swedish messages naming the file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from assistant.errors import DocumentError
from ui.validation import safe_name, store_upload, validate_upload

DATA = Path(__file__).resolve().parent / "data"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_real_files_of_each_type_pass(tmp_path):
    assert validate_upload(DATA / "two_pages.pdf") == "two_pages.pdf"
    assert validate_upload(DATA / "headings.docx") == "headings.docx"
    assert validate_upload(DATA / "cp1252.txt") == "cp1252.txt"
    md = _write(tmp_path, "x.md", "# Rubrik\n\nUtföraren ska rapportera.".encode())
    assert validate_upload(md, "Förfrågningsunderlag.md") == "Förfrågningsunderlag.md"


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("rapport.pdf", b"Hej, det har ar text", "inte en PDF"),
        ("avtal.docx", b"%PDF-1.7\n...", "inte ett Word-dokument"),
        ("avtal.docx", _zip({"content.xml": b"<x/>"}), "word/document.xml saknas"),
        ("gammal.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "äldre Word-dokument"),
        ("anteckning.txt", b"%PDF-1.4 binary", "inte text"),
        ("anteckning.md", b"abc\x00\x01\x02def", "binära data"),
        ("tom.txt", b"", "tom"),
        ("program.exe", b"MZ\x90\x00", "filtypen .exe stöds inte"),
        ("brev.doc", b"\xd0\xcf\x11\xe0", "Spara om filen som .docx"),
    ],
)
def test_bad_files_get_a_swedish_message_naming_the_file(tmp_path, name, data, expected):
    path = _write(tmp_path, "upload.bin", data)
    with pytest.raises(DocumentError) as info:
        validate_upload(path, name)
    message = str(info.value)
    assert message.startswith(f"{name}:"), message
    assert expected in message


def test_size_limit(tmp_path):
    path = _write(tmp_path, "stor.txt", b"a" * 2048)
    with pytest.raises(DocumentError, match=r"stor\.txt: filen är för stor"):
        validate_upload(path, max_bytes=1024)


def test_stored_name_cannot_escape_the_folder(tmp_path):
    src = _write(tmp_path, "src.txt", b"text")
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("..\\..\\win.txt") == "win.txt"
    assert safe_name("...") == "dokument"
    target = store_upload(src, "../../ut.txt", tmp_path / "uploads")
    assert target.parent == tmp_path / "uploads" and target.read_bytes() == b"text"
