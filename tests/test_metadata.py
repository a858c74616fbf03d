"""Tests for assistant.metadata: guesses of title, kind, issuer, date, repealed; manifest and sidecars."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.errors import DocumentError
from assistant.metadata import (
    guess_date,
    guess_issuer,
    guess_kind,
    guess_repealed,
    guess_title,
    parse_kind,
    read_manifest,
    read_sidecar,
)
from assistant.models import DocumentKind, DocumentMeta

K = DocumentKind


@pytest.mark.parametrize(
    ("name", "title", "text", "expected"),
    [
        ("sfs-2008-962-lov.md", "Lag (2008:962) om valfrihetssystem", "", K.lag),
        ("x.md", "Upphandlingsförordning (2016:1162)", "", K.lag),
        ("x.md", "Förordning (2015:527) med instruktion för Upphandlingsmyndigheten", "", K.lag),
        ("ljungby-fku-extern-webbplats.pdf", "Anbud", "", K.forfragningsunderlag),
        ("x.pdf", "Upphandlingsdokument", "", K.forfragningsunderlag),
        ("adda-allmanna-kontraktsvillkor-fku.docx", "Kontraktshandlingar", "", K.avtal),
        ("botkyrka-samverkansoverenskommelse.md", "Lokal samverkansöverenskommelse", "", K.avtal),
        ("x.md", "Program för uppföljning av privata utförare", "", K.uppfoljningsprogram),
        ("hudiksvall-program-uppfoljning-privata-utforare.md", "x", "", K.uppfoljningsprogram),
        ("vaxjo-upphandlings-och-inkopspolicy.md", "x", "", K.policy),
        ("x.txt", "Policy för socialnämndens valfrihetssystem", "", K.policy),
        ("x.txt", "Policy enligt lag (2008:962) om valfrihetssystem", "", K.policy),
        ("botkyrka-riktlinje-sip.md", "Riktlinje för SIP", "", K.riktlinje),
        ("adda-avropsvagledning.pdf", "Ramavtal", "", K.vagledning),
        ("002.txt", "Utmaningar", "© Sveriges Kommuner och Landsting, 2011", K.vagledning),
        # Mission descriptions talk about contracts but are not contracts.
        ("botkyrka-uppdragsbeskrivning-hemtjanst.md", "Uppdragsbeskrivning hemtjänst", "avtal avtal", K.other),
        ("sou-2025-96-kap15.md", "15 Offentlig upphandling", "förfrågningsunderlag", K.other),
        ("grastorp-lov-lagen-om-valfrihetssystem-webbsida.md", "LOV – Lagen om valfrihetssystem", "", K.other),
        ("noise.md", "Nu börjar läslovet!", "Att elever kan läsa.", K.other),
    ],
)
def test_guess_kind(name: str, title: str, text: str, expected: DocumentKind) -> None:
    assert guess_kind(name, title, text) is expected


def test_guess_kind_ignores_mere_mentions_in_the_body() -> None:
    text = "Nu börjar läslovet\n\nSkolan har ett avtal med biblioteket enligt kommunens policy."
    assert guess_kind("a.md", "Nu börjar läslovet", text) is K.other


def test_guess_kind_uses_a_line_that_starts_with_a_kind_word() -> None:
    text = "KOMMUNEN\n\nFörfrågningsunderlag för hemtjänst enligt LOV\n\nText."
    assert guess_kind("a.txt", "KOMMUNEN", text) is K.forfragningsunderlag


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("riktlinje", K.riktlinje),
        ("Riktlinjer", K.riktlinje),
        ("Förfrågningsunderlag", K.forfragningsunderlag),
        ("Vägledning", K.vagledning),
        ("kontrakt", K.avtal),
        ("Övrigt", K.other),
        (K.lag, K.lag),
    ],
)
def test_parse_kind(value: object, expected: DocumentKind) -> None:
    assert parse_kind(value, "m.jsonl") is expected


def test_parse_kind_rejects_unknown() -> None:
    with pytest.raises(DocumentError, match="okänd dokumenttyp 'roman'.*Giltiga typer: policy"):
        parse_kind("roman", "a.meta.yaml")


def test_guess_title_prefers_headings_then_pdf_title_then_lines() -> None:
    assert guess_title("x", [(0, 2, "Förord"), (5, 1, "Inledning"), (9, 1, "Kostpolicy")]) == "Kostpolicy"
    assert guess_title("Första raden här", pdf_title="Avtal om hemtjänst") == "Avtal om hemtjänst"
    assert guess_title("Första raden här", pdf_title="Microsoft Word - dok.docx") == "Första raden här"
    text = "\n\nKOMMUNLEDNINGSKONTORET\nMarie Björkman\n\nPolicy för socialnämndens valfrihetsystem\n\nInledning\n"
    assert guess_title(text) == "Policy för socialnämndens valfrihetsystem"
    assert (
        guess_title("Publicerad 11 juni 2024\n\nStyrning i valfrihetssystem\n\nEtt införande ...")
        == "Styrning i valfrihetssystem"
    )


def test_guess_issuer() -> None:
    assert guess_issuer("sfs-x.md", "", K.lag) == "Riksdagen"
    assert guess_issuer("a.txt", "© Sveriges Kommuner och Landsting, 2011", K.vagledning) == "SKL"
    assert guess_issuer("a.txt", "Kontaktformulär SKR", K.vagledning) == "SKR"
    assert guess_issuer("a.md", "# BOTKYRKA KOMMUN\nText", K.other) == "Botkyrka kommun"
    assert guess_issuer("a.md", "Varje kommun ska ... i Täby kommun", K.policy) == "Täby kommun"
    # The file name's first word picks the municipality among several, with Swedish letters restored.
    text = "Ramavtal från Adda. Region Västra Götaland och Vänersborgs kommun avropar."
    assert guess_issuer("vanersborg-it-konsulter.pdf", text, K.forfragningsunderlag) == "Vänersborgs kommun"
    assert guess_issuer("x.pdf", "Ramavtal från Adda Inköpscentral.", K.avtal) == "Adda Inköpscentral AB"
    assert guess_issuer("x.md", "Nothing here.", K.other) is None


def test_guess_date() -> None:
    assert guess_date("Dnr 2023:53\nBeslutad 2024-05-24, reviderad 2025-01-01") == "2024-05-24"
    assert guess_date("Publicerad 11 juni 2024\n\nText 2025-01-01") == "2024-06-11"
    assert guess_date("Inget datum, bara år 2024.") is None
    assert guess_date("x" * 3000 + " 2024-05-24") is None  # too far from the top


def test_guess_repealed() -> None:
    assert guess_repealed("sfs-2001-453-socialtjanstlag-upphavd.md", "# Socialtjänstlag")
    assert guess_repealed("a.md", "# Lag (1999:1)\n\nUpphävd 2025-07-01\n\n1 § ...")
    assert guess_repealed("a.md", "# Lag\n- Författningen har upphävts genom SFS 2025:400")
    # The new act repealing the old one is not itself repealed.
    assert not guess_repealed(
        "sfs-2025-400.md", "# Socialtjänstlag (2025:400)\n\nGenom lagen upphävs socialtjänstlagen (2001:453)."
    )
    assert not guess_repealed("a.md", "# Lag\n" + "rad\n" * 40 + "Upphävd 2020-01-01")


def test_read_manifest_from_parent_folder(tmp_path: Path) -> None:
    lines = [
        {"file": "seeds/002_abc.txt", "title": "Webbtext", "kind": "vagledning", "issuer": "SKL", "date": "2011-10"},
        {
            "file": "seeds/004_def.txt",
            "title": "PDF-text",
            "kind": "vagledning",
            "date": "",
            "note": "Same publication as 002, extracted.",
        },
        {
            "file": "lag/sfs-2001-453.md",
            "title": "Socialtjänstlag (2001:453)",
            "kind": "lag",
            "date": None,
            "note": "Upphävd 2025-07-01, ersatt av SFS 2025:400; cache.",
            "sha256": "abc",
            "chars": 3,
        },
    ]
    (tmp_path / "manifest.jsonl").write_text("\n".join(json.dumps(line) for line in lines) + "\n\n", encoding="utf-8")
    (tmp_path / "seeds").mkdir()
    manifest = read_manifest(tmp_path / "seeds")
    assert set(manifest) == {"002_abc.txt", "004_def.txt", "sfs-2001-453.md"}
    assert manifest["002_abc.txt"] == {"title": "Webbtext", "kind": K.vagledning, "issuer": "SKL", "date": "2011-10"}
    assert manifest["004_def.txt"]["duplicate_of"] == "002_abc.txt"
    assert "date" not in manifest["004_def.txt"]  # empty values do not override guesses
    repealed = manifest["sfs-2001-453.md"]
    assert repealed["repealed"] is True and repealed["superseded_by"] == "SFS 2025:400"
    assert "sha256" not in repealed and "chars" not in repealed  # measured, never overridden


def test_read_manifest_missing_and_malformed(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b"
    folder.mkdir(parents=True)
    if not any((parent / "manifest.jsonl").exists() for parent in tmp_path.parents):
        assert read_manifest(folder) == {}
    (tmp_path / "a" / "manifest.jsonl").write_text('{"file": "x.md"}\n{trasig\n', encoding="utf-8")
    with pytest.raises(DocumentError, match="manifest.jsonl: rad 2"):
        read_manifest(folder)


def test_read_sidecar(tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    assert read_sidecar(path) == {}
    (tmp_path / "doc.pdf.meta.yaml").write_text("title: Avtal X\nkind: Avtal\nnote: Upphävd\n", encoding="utf-8")
    assert read_sidecar(path) == {"title": "Avtal X", "kind": K.avtal, "repealed": True}
    (tmp_path / "doc.pdf.meta.yaml").write_text("- en lista\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="doc.pdf.meta.yaml"):
        read_sidecar(path)


def test_an_act_is_known_by_its_whole_sfs_number() -> None:
    hsl = DocumentMeta(doc="lag/sfs-2017-30-halso-och-sjukvardslag.md", title="Hälso- och sjukvårdslag")
    assert hsl.is_act("2017:30")
    assert not hsl.is_act("2017:3") and not hsl.is_act("2017:300") and not hsl.is_act("2017:725")
    assert not DocumentMeta(doc="lag/sfs-2017-300-x.md", title="Lag (2017:300) om x").is_act("2017:30")
    assert DocumentMeta(doc="kl.pdf", title="Kommunallag (2017:725)").is_act("2017:725")
    assert DocumentMeta(doc="x.md", title="Lag", issuer="SFS 2008:962").is_act("2008:962")
    assert not DocumentMeta(doc="Hemtjänst/Rutin 2018-04-18.md", title="Rutin").is_act("2018:4")
