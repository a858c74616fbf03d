"""Property tests: whatever bytes a file holds, load_document returns a document or a Swedish DocumentError.

Inputs are random bytes under every supported suffix and mutations of real PDFs and DOCX files
(truncated, bytes flipped, xref damaged, zip entries dropped or garbled). Runs derandomized, so a
failure reproduces in CI; the deadline catches a parser that hangs on a malformed file.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from assistant.cleaning import clean_text
from assistant.errors import DocumentError, printable_name
from assistant.loading import SUPPORTED_SUFFIXES, load_document
from assistant.models import LoadedDocument

DATA = Path(__file__).parent / "data"
FUZZ = settings(
    max_examples=200,
    deadline=timedelta(seconds=5),
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# Every problem text starts like the loader's Swedish sentences ("x.pdf: är skadad ...").
SWEDISH_PROBLEM = re.compile(r"^(är|kan inte|innehåller|filtypen|filen|filnamnet|packas upp|ändrades)\b")


def _empty_password_pdf() -> bytes:
    """The two-page PDF encrypted with an owner password only, as many exported PDFs are."""
    writer = PdfWriter(clone_from=PdfReader(DATA / "two_pages.pdf"))
    writer.encrypt(user_password="", owner_password="ägare", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDFS = {
    "two_pages": (DATA / "two_pages.pdf").read_bytes(),
    "image_only": (DATA / "image_only.pdf").read_bytes(),
    "encrypted": (DATA / "encrypted.pdf").read_bytes(),
    "empty_password": _empty_password_pdf(),
}
DOCX = (DATA / "headings.docx").read_bytes()
DOCX_PARTS = zipfile.ZipFile(io.BytesIO(DOCX)).namelist()


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def check_load(folder: Path, name: str, data: bytes) -> LoadedDocument | None:
    """The property: a document, or a DocumentError with a printable Swedish message naming the file."""
    path = folder / name
    path.write_bytes(data)
    try:
        return load_document(path)
    except DocumentError as error:
        message = str(error)
        assert message.startswith(f"{printable_name(name)}: "), message
        assert SWEDISH_PROBLEM.match(error.problem), message
        assert message.isprintable(), message
        assert "Error" not in message and "Traceback" not in message, message  # no raw library text
        return None


# --- random bytes ---------------------------------------------------------------------------

MAGIC = st.sampled_from([b"", b"%PDF-1.7\n", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe"])


@FUZZ
@given(suffix=st.sampled_from(SUPPORTED_SUFFIXES), magic=MAGIC, body=st.binary(max_size=3000))
def test_random_bytes(folder: Path, suffix: str, magic: bytes, body: bytes) -> None:
    check_load(folder, f"slump{suffix}", magic + body)


# --- what fuzzing found -----------------------------------------------------------------------


def _with(data: bytes, *replacements: tuple[bytes, bytes]) -> bytes:
    for old, new in replacements:
        assert old in data
        data = data.replace(old, new, 1)
    return data


def _zip_version_needed(data: bytes, version: int) -> bytes:
    """Set the "version needed to extract" of the first central directory entry."""
    at = data.index(b"PK\x01\x02") + 6
    return data[:at] + version.to_bytes(2, "little") + data[at + 2 :]


FOUND = {
    # pypdf raised NotImplementedError for an unknown filter name.
    "filter.pdf": _with(PDFS["two_pages"], (b"/FlateDecode", b"/FlateDecodr")),
    # pypdf raised LimitReachedError (not a PdfReadError) after rebuilding a broken object table.
    "loop.pdf": _with(PDFS["two_pages"], (b"/Type /Catalog", b"/Type \xcdCatalog"), (b"8 0 obj\n", b"8 0 obj:")),
    # zipfile raised NotImplementedError ("zip file version 12.9") while listing the archive.
    "version.docx": _zip_version_needed(DOCX, 129),
}


@pytest.mark.parametrize("name", sorted(FOUND))
def test_inputs_that_crashed_the_loader(folder: Path, name: str) -> None:
    assert check_load(folder, name, FOUND[name]) is None


# --- mutated PDFs ---------------------------------------------------------------------------


def hotspots(data: bytes) -> list[int]:
    """Where a single wrong byte reaches deep into a parser: PDF names, references, object and
    stream headers, xref; zip central directory and end records."""
    marks = rb"/[A-Z]|\d+ \d+ R|\bobj\b|stream|xref|PK\x01\x02|PK\x05\x06"
    return sorted({match.start() for match in re.finditer(marks, data)})


@st.composite
def damaged(draw, data: bytes) -> bytes:
    """Truncate, overwrite bytes (anywhere or near a hotspot) or splice random bytes into `data`."""
    kind = draw(st.sampled_from(["truncate", "flip", "splice"]))
    if kind == "truncate":
        return data[: draw(st.integers(1, len(data) - 1))]
    offsets = st.integers(0, len(data) - 1)
    if spots := hotspots(data):
        near = st.sampled_from(spots).flatmap(lambda spot: st.integers(spot, min(spot + 45, len(data) - 1)))
        offsets = st.one_of(near, offsets)
    if kind == "flip":
        mutable = bytearray(data)
        for offset, value in draw(st.lists(st.tuples(offsets, st.integers(0, 255)), min_size=1, max_size=8)):
            mutable[offset] = value
        return bytes(mutable)
    start = draw(offsets)
    end = draw(st.integers(start, min(len(data), start + 200)))
    return data[:start] + draw(st.binary(max_size=60)) + data[end:]


@st.composite
def retargeted(draw, data: bytes) -> bytes:
    """Point one object reference ("4 0 R") at another or a missing object: loops and dangling refs."""
    refs = list(re.finditer(rb"(\d+) 0 R", data))
    ref = draw(st.sampled_from(refs))
    number = draw(st.integers(0, 20))
    return data[: ref.start()] + b"%d 0 R" % number + data[ref.end() :]


@st.composite
def renamed(draw, data: bytes) -> bytes:
    """Replace every use of one PDF name (/FlateDecode, /Pages, /Encrypt ...) with another name."""
    name = draw(st.sampled_from(sorted(set(re.findall(rb"/[A-Za-z]+", data)))))
    other = draw(st.from_regex(rb"\A/[A-Za-z0-9]{1,14}\Z"))
    return data.replace(name, other)


@st.composite
def broken_xref(draw, data: bytes) -> bytes:
    """Replace or drop the xref table, or point startxref somewhere else."""
    table = data.rindex(b"\nxref") + 1
    trailer = data.rindex(b"trailer")
    kind = draw(st.sampled_from(["garble", "drop", "pointer"]))
    if kind == "garble":
        return data[:table] + b"xref\n" + draw(st.binary(max_size=trailer - table)) + data[trailer:]
    if kind == "drop":
        return data[:table] + data[trailer:]
    start = data.rindex(b"startxref") + len(b"startxref\n")
    end = data.index(b"\n", start)
    return data[:start] + str(draw(st.integers(0, 10 * len(data)))).encode() + data[end:]


@FUZZ
@given(source=st.sampled_from(sorted(PDFS)), data=st.data())
def test_damaged_pdf(folder: Path, source: str, data: st.DataObject) -> None:
    pdf = PDFS[source]
    check_load(folder, f"{source}.pdf", data.draw(st.one_of(damaged(pdf), retargeted(pdf), renamed(pdf))))


@FUZZ
@given(source=st.sampled_from(["two_pages", "empty_password"]), data=st.data())
def test_broken_xref_pdf(folder: Path, source: str, data: st.DataObject) -> None:
    doc = check_load(folder, f"{source}.pdf", data.draw(broken_xref(PDFS[source])))
    if doc is not None:  # pypdf rebuilt the cross-reference table: the text must be the real one
        assert "Uppföljning" in doc.text


# --- mutated DOCX ---------------------------------------------------------------------------


def _rezip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


@st.composite
def damaged_entry(draw) -> bytes:
    """A valid zip whose one part is dropped, truncated or garbled."""
    source = zipfile.ZipFile(io.BytesIO(DOCX))
    entries = {name: source.read(name) for name in DOCX_PARTS}
    victim = draw(st.sampled_from(DOCX_PARTS))
    kind = draw(st.sampled_from(["drop", "truncate", "garble"]))
    if kind == "drop":
        del entries[victim]
    elif kind == "truncate":
        entries[victim] = entries[victim][: draw(st.integers(0, len(entries[victim])))]
    else:
        entries[victim] = draw(damaged(entries[victim]))
    return _rezip(entries)


@FUZZ
@given(data=st.one_of(damaged(DOCX), damaged_entry()))
def test_damaged_docx(folder: Path, data: bytes) -> None:
    check_load(folder, "trasig.docx", data)


# --- text in mixed encodings ------------------------------------------------------------------

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöéÅÄÖ", min_size=1, max_size=12)


@FUZZ
@given(
    lines=st.lists(
        st.tuples(st.lists(WORDS, min_size=1, max_size=8), st.sampled_from(["utf-8", "cp1252"])),
        min_size=1,
        max_size=12,
    ),
    suffix=st.sampled_from([".txt", ".md"]),
)
def test_lines_in_mixed_encodings_decode_to_the_original(
    folder: Path, lines: list[tuple[list[str], str]], suffix: str
) -> None:
    """Each line saved as UTF-8 or cp1252: every å, ä and ö comes back right."""
    original = "\n".join(" ".join(words) for words, _ in lines) + "\n"
    raw = b"".join((" ".join(words) + "\n").encode(codec) for words, codec in lines)
    doc = check_load(folder, f"blandad{suffix}", raw)
    assert doc is not None
    assert doc.text == clean_text(original, repeated_lines=True).strip()


@FUZZ
@given(text=st.text(max_size=400), codec=st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]))
def test_any_text_in_any_encoding(folder: Path, text: str, codec: str) -> None:
    doc = check_load(folder, "text.txt", text.encode(codec, errors="replace"))
    if doc is not None and codec.startswith("utf"):  # lossless encodings: loaded means decoded right
        assert doc.text == clean_text(text, repeated_lines=True)


# --- file names -----------------------------------------------------------------------------

NAME_BYTES = st.binary(min_size=1, max_size=80).filter(
    lambda b: b"/" not in b and b"\x00" not in b and b not in (b".", b"..")
)


@FUZZ
@given(stem=NAME_BYTES, suffix=st.sampled_from([".txt", ".md"]), empty=st.booleans())
def test_any_file_name(folder: Path, stem: bytes, suffix: str, empty: bool) -> None:
    """Any bytes Linux allows in a name: a document with that id, or a message with the name escaped."""
    name = os.fsdecode(stem + suffix.encode())
    doc = check_load(folder, name, b"" if empty else b"Riktlinje om tillsyn.\n")
    assert doc is None or doc.meta.doc == name
    assert (doc is None) == (empty or not _is_utf8(stem))


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
