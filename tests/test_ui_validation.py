"""Upload validation: type by content, size limit, Swedish messages naming the file."""

from __future__ import annotations

import io
import json
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


HOSTILE_NAMES = [
    "../../etc/x.txt",
    "/etc/passwd.txt",
    "..\\..\\windows\\system32\\x.txt",
    "a\x00b\x1f\x7f.txt",
    "x" * 300 + ".txt",
    "",
    "...",
    "..",
    ".txt",
    "..／..／etc／x.txt",  # fullwidth solidus: NFKC makes it a separator, which is cut away
    "fil\u202etxt.md",  # right-to-left override: shown reversed in a file list
    "<img src=x onerror=alert(1)>.md",
    "C:\\Users\\anna\\Förfrågningsunderlag.txt",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_safe_name_is_one_plain_name(name):
    cleaned = safe_name(name)
    assert cleaned and cleaned not in (".", "..") and not cleaned.startswith(".")
    assert "/" not in cleaned and "\\" not in cleaned
    assert all(ch.isprintable() for ch in cleaned) and "\u202e" not in cleaned
    assert not set('<>="') & set(cleaned)
    assert len(cleaned.encode("utf-8")) <= 130


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_upload_is_stored_under_a_generated_name_inside_the_folder(tmp_path, name):
    src = _write(tmp_path, "upload.bin", b"Utforaren ska rapportera.")
    folder = tmp_path / "data" / "uploads"
    target = store_upload(src, name, folder)
    assert target.parent == folder.resolve() and target.read_bytes() == src.read_bytes()
    stored = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    assert stored == sorted(["upload.bin", target.name, target.name + ".meta.json"])  # the file and its sidecar
    assert json.loads((folder / (target.name + ".meta.json")).read_text("utf-8"))["original_name"]
    assert target.name.endswith(("-" + _sha8(src) + ".txt", "-" + _sha8(src) + ".md", "-" + _sha8(src)))


def _sha8(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()[:8]


def test_stored_name_keeps_the_readable_stem_and_separates_different_content(tmp_path):
    a, b = _write(tmp_path, "a", b"Version ett."), _write(tmp_path, "b", b"Version tva.")
    first = store_upload(a, "Policy för hemtjänst.md", tmp_path / "uploads")
    again = store_upload(a, "Policy för hemtjänst.md", tmp_path / "uploads")
    other = store_upload(b, "Policy för hemtjänst.md", tmp_path / "uploads")
    assert first == again and first.name == f"Policy för hemtjänst-{_sha8(a)}.md"
    assert other != first and first.read_bytes() == b"Version ett."


def test_a_symlink_in_the_folder_cannot_redirect_the_copy(tmp_path):
    """A name that resolves outside (here through a planted symlink) is refused, not followed."""
    from ui.validation import inside

    folder = tmp_path / "uploads"
    folder.mkdir()
    (folder / "ut").symlink_to(tmp_path)
    with pytest.raises(DocumentError, match="utanför mappen"):
        inside(folder, "ut/x.txt")
    with pytest.raises(DocumentError):
        inside(folder, "..")


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 200
ZIP = _zip({"mimetype": b"application/epub+zip", "OEBPS/x.html": b"<p/>"})


@pytest.mark.parametrize("data", [ELF, EXE, PNG, ZIP], ids=["elf", "exe", "png", "zip"])
@pytest.mark.parametrize("name", ["rapport.pdf", "avtal.docx", "policy.txt", "policy.md"])
def test_binary_content_renamed_to_a_supported_type_is_refused(tmp_path, data, name):
    path = _write(tmp_path, "upload.bin", data)
    with pytest.raises(DocumentError) as info:
        validate_upload(path, name)
    assert str(info.value).startswith(f"{name}:")


@pytest.mark.parametrize("name", ["x.exe", "x.pdf.exe", "x.html", "x.svg", "x", "fil\u202etxt.exe"])
def test_other_types_are_refused_by_name_before_content(tmp_path, name):
    path = _write(tmp_path, "upload.bin", b"# Rubrik\n\nText.")
    with pytest.raises(DocumentError, match="stöds inte"):
        validate_upload(path, name)


def test_a_reviewed_draft_is_not_kept_only_its_reports(tmp_path):
    """Granska reads a draft from a temporary copy; afterwards only the downloadable reports remain."""
    from types import SimpleNamespace

    from ui.lint_tab import review_copy
    from ui.services import Review

    seen = []

    def review(path: Path, principal=None) -> Review:
        seen.append((path, path.is_file(), path.resolve().is_relative_to(tmp_path.resolve())))
        draft = SimpleNamespace(text="Utföraren ska rapportera.", name=path.name, sentences=[])
        return Review(name=path.name, path=path, draft=draft, findings=[], rule_titles={})

    services = SimpleNamespace(work_dir=tmp_path, review=review)
    upload = _write(tmp_path, "gradio-upload.bin", "# Utkast\n\nUtföraren ska rapportera.".encode())
    reports = tmp_path / "reports"
    reports.mkdir()
    result, files = review_copy(services, upload, "..\\..\\<utkast>.md", reports, "", lambda *a, **k: None)
    ((copy, existed, inside_work_dir),) = seen
    assert existed and inside_work_dir and copy.name == "utkast.md" and result.name == copy.name
    assert not copy.exists() and not copy.parent.exists()
    assert sorted(Path(f).name for f in files) == ["granskning_utkast.html", "granskning_utkast.md"]
    assert {p.name for p in tmp_path.iterdir()} == {"gradio-upload.bin", "reports"}


def test_same_name_uploads_finds_only_other_versions_of_that_name(tmp_path):
    from ui.validation import same_name_uploads, store_upload

    folder = tmp_path / "uppladdat"
    stored = []
    for i, (name, text) in enumerate(
        [("policy.md", "a"), ("policy.md", "b"), ("policy-x.md", "c"), ("policy.txt", "d")]
    ):
        source = tmp_path / f"src{i}"
        source.write_text(text, encoding="utf-8")
        stored.append(store_upload(source, name, folder))
    assert same_name_uploads(stored[1]) == [stored[0]]
    assert same_name_uploads(stored[0]) == [stored[1]]
    assert same_name_uploads(stored[2]) == [] and same_name_uploads(stored[3]) == []
