"""Real library text goes in: PDF residue is cleaned, front matter and decision lines become metadata."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.docinfo import decision_meta, split_front_matter
from assistant.errors import DocumentError
from assistant.loading import load_document
from assistant.metadata import guess_kind, guess_title
from assistant.models import DocumentKind

ROUTINE = """---
title: "Brukare öppnar inte dörren, saknas eller avvikit från insats"
source_file: "Hemtj%C3%A4nst/Brukare.pdf"
source_url: "https://botwebb.botkyrka.se/download/18.1/Brukare.pdf"
---

Vård- och omsorgsförvaltningen
Dokumentet är beslutat av: [Verksamhetschef hemtjänst]
Dokumentet beslutades den: [2024-03-01], uppdaterad 2025-01-10

---

Dokumentet gäller tillsvidare
Dokumentet ersätter: [Nytt dokument]
Dokumentansvarig är: Verksamhetsutvecklare hemtjänst

1/3
# RUTIN
Brukaren öppnar inte
\uf09f Ring på dörren två gånger och vänta.
\uf09f Ring brukaren\x07 på telefon.
Namn: ______________________ Datum: ______
__________________________________________
2/3
Kontakta samordnaren om brukaren inte svarar.
"""


def test_a_routine_with_glyphs_front_matter_and_decision_lines(tmp_path):
    path = tmp_path / "Hemtjänst" / "Brukare öppnar inte.md"
    path.parent.mkdir()
    path.write_text(ROUTINE, encoding="utf-8")
    doc = load_document(path, doc="Hemtjänst/Brukare öppnar inte.md")
    meta = doc.meta
    assert meta.title == "Brukare öppnar inte dörren, saknas eller avvikit från insats"
    assert meta.source == "https://botwebb.botkyrka.se/download/18.1/Brukare.pdf"
    assert meta.kind is DocumentKind.rutin
    assert meta.decided_by == "Verksamhetschef hemtjänst"
    assert meta.decided_on == "2024-03-01"
    assert meta.owner == "Verksamhetsutvecklare hemtjänst"
    assert meta.valid == "tillsvidare"
    assert meta.replaces is None  # "[Nytt dokument]": nothing is replaced
    assert meta.doc == "Hemtjänst/Brukare öppnar inte.md" and meta.folder == "Hemtjänst"
    text = doc.text
    assert "source_url" not in text and not text.startswith("---")
    assert "- Ring på dörren två gånger och vänta." in text
    assert "- Ring brukaren på telefon." in text
    assert "Dokumentet är beslutat av" in text  # people ask about it: the line stays in the text
    assert "____" not in text and "Namn: ___ Datum: ___" in text
    assert "1/3" not in text and "2/3" not in text
    assert not [c for c in text if unicodedata.category(c) in ("Co", "Cc") and c not in "\n\t"]


@pytest.mark.parametrize(
    "name",
    [
        "Hälso- och sjukvård/Blodtransfusion.md",
        "Korttidsvistelse för unga (LSS)/Dagsrutiner.md",
        "Personlig assistans/Checklista för chefer pers ass.md",
    ],
)
def test_the_library_files_with_bullet_glyphs_are_read(shared, name):
    """These three were refused as binary data (private-use bullet glyphs U+F09F, U+F0A0, U+F08D)."""
    path = shared / "library" / "botkyrka-vof" / name
    doc = load_document(path, doc=name)
    assert len(doc.text) > 1000
    assert doc.text.count("\n- ") >= 5
    assert not any(unicodedata.category(c) == "Co" for c in doc.text)
    assert doc.meta.title and not doc.meta.title.startswith(("(", "[", "/", "+"))


_WORD = st.sampled_from("Brukaren ska få hjälp med måltider och hygien enligt genomförandeplanen § 4".split())
_NOISE = st.sampled_from(["\uf09f ", "\uf0a0", "\uf0b7", "\x07", "\x1b", "\x0b", "\x85", "____", "\t"])


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.one_of(_WORD, _NOISE, st.just("\n")), min_size=5, max_size=200))
def test_text_with_private_use_and_control_characters_is_indexed_clean(tmp_path_factory, parts):
    words = [p for p in parts if p.strip() and p.isalpha()]
    path = tmp_path_factory.mktemp("glyph") / "rutin.md"
    path.write_text(" ".join(parts) + "\nBrukaren ska få hjälp.\n", encoding="utf-8")
    doc = load_document(path)  # never refused as binary
    assert not [c for c in doc.text if unicodedata.category(c) in ("Co", "Cc") and c not in "\n\t"]
    for word in words:
        assert word in doc.text


def test_binary_content_is_still_refused(tmp_path):
    path = tmp_path / "data.txt"
    path.write_bytes(bytes(range(1, 32)) * 40 + b"text")
    with pytest.raises(DocumentError, match="binära data"):
        load_document(path)


def test_front_matter_that_is_no_mapping_stays_text():
    fields, body = split_front_matter("---\nBara en linje\n---\nText.")
    assert fields == {} and body.startswith("---")


def test_statute_front_matter_gives_the_title_with_its_number(tmp_path):
    path = tmp_path / "lag.md"
    path.write_text("---\nbeteckning: 2017:725\nrubrik: Kommunallag\n---\n\n# Kommunallag\n\n1 § Text.\n", "utf-8")
    meta = load_document(path).meta
    assert meta.title == "Kommunallag (2017:725)" and meta.kind is DocumentKind.lag


def test_decision_lines_in_other_wordings():
    info = decision_meta(
        "Riktlinje\nBeslutat av: Kommunfullmäktige 2019-02-28 § 22\nDokumentet gäller till den: 2025-09-01\n"
        "Dokumentet ersätter: Boendegenomgång - rutin för VoB\nDokumentansvarig: Elisabet H\n"
    )
    assert info == {
        "decided_by": "Kommunfullmäktige",
        "decided_on": "2019-02-28",  # the date of the minutes, as no line of its own gives one
        "valid": "2025-09-01",
        "replaces": "Boendegenomgång - rutin för VoB",
        "owner": "Elisabet H",
    }
    assert decision_meta("Nämnden har beslutat av flera skäl att ...\n") == {}
    # A policy is "antagen" (common gender); a line of its own gives the date when there is one.
    assert decision_meta("Kostpolicy\n\nAntagen av kommunfullmäktige § 117, 2011-06-16\n") == {
        "decided_by": "kommunfullmäktige",
        "decided_on": "2011-06-16",
    }
    assert (
        decision_meta("Beslutat av: Nämnden 2020-01-01\nDokumentet beslutades den: 2023-01-10\n")["decided_on"]
        == "2023-01-10"
    )


@pytest.mark.parametrize(
    ("name", "title", "text", "kind"),
    [
        ("Rutin för avtal.md", "Rutin för hantering av avtal", "", DocumentKind.rutin),
        ("x.md", "Checklista – arbetsmiljörisker i enskild brukares hem", "", DocumentKind.checklista),
        ("x.md", "Blankett vårdavvikelse", "", DocumentKind.blankett),
        ("x.md", "Handlingsplan vid värmebölja", "", DocumentKind.plan),
        ("x.md", "Aptitlöshet", "Vård- och omsorgsförvaltningen\n# RUTIN\nText", DocumentKind.rutin),
        ("x.md", "Lathund för schemat", "", DocumentKind.rutin),
        ("botkyrka-kostpolicy.md", "Kostpolicy", "", DocumentKind.policy),
        ("sfs-2017-725-kommunallag.md", "Kommunallag (2017:725)", "", DocumentKind.lag),
    ],
)
def test_kinds_a_forvaltning_has(name, title, text, kind):
    assert guess_kind(name, title, text) is kind


@pytest.mark.parametrize("stray", ["(SRHR)", "+100°C", "/Vård- och omsorgsförvaltningen/", "121212-TF03", "[image]"])
def test_a_title_is_never_a_stray_line(stray):
    text = f"# {stray}\n\nRutin för städning av kylskåp\n\nText om städning."
    title = guess_title(text, [(0, 1, stray)])
    assert title != stray and title == "Rutin för städning av kylskåp"


def test_library_sample_has_its_own_titles_and_kinds(shared):
    root = shared / "library" / "botkyrka-vof"
    files = sorted(root.rglob("*.md"))[::25]
    kinds = []
    for path in files:
        doc = load_document(path, doc=path.relative_to(root).as_posix())
        head = path.read_text(encoding="utf-8").split("\n")[1]
        assert head.startswith("title:") and doc.meta.title == head.split(":", 1)[1].strip().strip('"').strip()
        kinds.append(doc.meta.kind)
    assert sum(k is DocumentKind.rutin for k in kinds) >= len(kinds) / 3
    assert sum(k is DocumentKind.other for k in kinds) <= len(kinds) / 3


def test_kind_labels_are_swedish():
    from assistant.models import KIND_LABELS_SV

    assert {KIND_LABELS_SV[k] for k in (DocumentKind.rutin, DocumentKind.checklista, DocumentKind.blankett)} == {
        "Rutin",
        "Checklista",
        "Blankett",
    }
