"""Document metadata: guesses from file name and text, and overrides from manifest or sidecar."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import DocumentError
from assistant.models import KIND_LABELS_SV, DocumentKind, DocumentMeta
from assistant.text import BULLETS

MANIFEST_NAME = "manifest.jsonl"
SIDECAR_SUFFIXES = (".meta.json", ".meta.yaml", ".meta.yml")
HEAD_CHARS = 2000

# Fields an override may set; the rest of DocumentMeta (sha256, chars, pages, ...) is measured.
OVERRIDABLE = (
    "title",
    "kind",
    "issuer",
    "date",
    "repealed",
    "superseded_by",
    "duplicate_of",
    "source",
    "original_name",
    "decided_by",
    "decided_on",
    "owner",
    "collection",
)


def fold(text: str) -> str:
    """Lowercase and strip diacritics, so "Förfrågningsunderlag" and file names compare alike."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --- kind -------------------------------------------------------------------------------

# Checked on folded text. In a file name or title the kind word nearest the start wins ("Rutin för
# avtal" is a routine); on a tie, the rule listed first (the more specific) wins.
_KIND_RULES: list[tuple[DocumentKind, re.Pattern[str]]] = [
    # An act's title starts with its type and carries its SFS number: "Hälso- och sjukvårdslag (2017:30)".
    (
        DocumentKind.lag,
        re.compile(r"\bsfs\b|^(?:[\w-]+ och )?\w*(?:lag|forordning|balk)\b[^\n]{0,120}\((?:1[89]|20)\d\d:\d+\)"),
    ),
    # Mission descriptions for egen regi, government inquiries and Q&A are "other" even when
    # they talk about contracts and tenders at length.
    (DocumentKind.other, re.compile(r"uppdragsbeskrivning|\bsou\b|fragor och svar|handlingsprogram|anvisningar")),
    (DocumentKind.uppfoljningsprogram, re.compile(r"program (?:for )?uppfoljning|uppfoljningsprogram")),
    (DocumentKind.vagledning, re.compile(r"vagledning")),
    # Contract terms mention the call-off ("fku") they belong to; they are still contracts.
    (DocumentKind.avtal, re.compile(r"kontraktsvillkor|avtalsvillkor|mall for (?:kontrakt|avtal)")),
    (
        DocumentKind.forfragningsunderlag,
        re.compile(r"forfragningsunderlag|upphandlingsdokument|avropsforfragan|\bfku\b|anbudsforfragan|\bavrop\b"),
    ),
    (DocumentKind.checklista, re.compile(r"checklist")),
    (DocumentKind.blankett, re.compile(r"blankett|\bmall\b|\bformular\b")),
    (DocumentKind.rutin, re.compile(r"\w*rutin(?:en|er|erna)?\b|\blathund|\binstruktion")),
    (DocumentKind.avtal, re.compile(r"avtal|kontrakt|overenskommelse")),
    (DocumentKind.policy, re.compile(r"policy")),
    (DocumentKind.riktlinje, re.compile(r"riktlinje")),
    (DocumentKind.plan, re.compile(r"^plan\b|\bplan (?:for|mot)\b|\w+plan\b(?! for)|\bplan$")),
]

# Issuers of guidance publications: a text from them is a vägledning unless a rule above says otherwise.
_GUIDANCE_ISSUER = re.compile(r"sveriges kommuner och (?:regioner|landsting)|\bskr\b(?!:s)|\bskl\b(?!:s)|@skl\.se")


def _earliest_kind(text: str) -> DocumentKind | None:
    """The kind whose word stands first in `text` (a file name or title); None if no kind word is there."""
    found = [(m.start(), i) for i, (_, pattern) in enumerate(_KIND_RULES) for m in [pattern.search(text)] if m]
    return _KIND_RULES[min(found)[1]][0] if found else None


def guess_kind(name: str, title: str, text: str) -> DocumentKind:
    """Guess the document kind from file name, then title, then the first ~2000 characters."""
    name_text = fold(re.sub(r"[-_.]+", " ", Path(name).stem))
    for source in (name_text, fold(title)):
        kind = _earliest_kind(source)
        if kind is not None:
            return kind
    head = fold(text[:HEAD_CHARS])
    # Publications name their publisher in the colophon, at the very start or end.
    if _GUIDANCE_ISSUER.search(head) or _GUIDANCE_ISSUER.search(fold(text[-HEAD_CHARS:])):
        return DocumentKind.vagledning
    # In the body a kind word can be a mere mention ("enligt policyn"); demand a line that starts with it
    # ("# RUTIN", "Riktlinje för ..."): the first such line decides.
    for line in head.split("\n")[:25]:
        line = line.strip(" #*-")
        if len(line) > 120:
            continue
        for kind, pattern in _KIND_RULES:
            if kind is not DocumentKind.other and pattern.match(line):
                return kind
    return DocumentKind.other


_KIND_ALIASES = {
    "kontrakt": DocumentKind.avtal,
    "overenskommelse": DocumentKind.avtal,
    "program for uppfoljning": DocumentKind.uppfoljningsprogram,
    "forordning": DocumentKind.lag,
    "publikation": DocumentKind.vagledning,
    "annat": DocumentKind.other,
}


def parse_kind(value: Any, source: Path | str) -> DocumentKind:
    """A DocumentKind from an override value: ASCII id ("riktlinje") or Swedish label ("Riktlinjer")."""
    if isinstance(value, DocumentKind):
        return value
    key = fold(str(value)).strip()
    if key in _KIND_ALIASES:
        return _KIND_ALIASES[key]
    for kind in DocumentKind:
        if key in (kind.value, fold(KIND_LABELS_SV[kind]), kind.value + "r", kind.value + "er", kind.value + "ar"):
            return kind
    valid = ", ".join(kind.value for kind in DocumentKind)
    raise DocumentError(source, f"okänd dokumenttyp {value!r}.", f"Giltiga typer: {valid}.")


# --- title, issuer, date, repealed ---------------------------------------------------------

_BOILERPLATE_LINE = re.compile(
    r"^(?:- )?(?:källa|publicerad|obs|sida|dnr|diarienummer|datum|beslutad|antagen)\b|^\d|^\W+$|@|www\.|https?://", re.I
)
# Section names that open many documents but say nothing about which document it is.
_GENERIC_HEADINGS = {"förord", "inledning", "innehåll", "innehållsförteckning", "sammanfattning", "bakgrund", "syfte"}
# Titles that authoring tools fill in by themselves.
_USELESS_PDF_TITLE = re.compile(r"\.(?:docx?|pdf)$|^microsoft|^untitled|^dokument\d*$", re.I)
# A line that starts by naming a document type is very likely the title ("Policy för ...").
_TITLE_START = re.compile(
    r"^(?:allmanna |sarskilda )?\w*(?:policy|riktlinje|riktlinjer|program|forfragningsunderlag|upphandlingsdokument"
    r"|avtal|kontrakt|villkor|mall|overenskommelse|vagledning|uppdragsbeskrivning|lag|forordning|handbok|rutin|plan"
    r"|reglemente)\b"
)


def guess_title(text: str, headings: list[tuple[int, int, str]] | None = None, pdf_title: str | None = None) -> str:
    """First top-level heading, else a useful PDF metadata title, else a short line near the top.

    A line naming a document type ("Policy för ...", "Mall för kontrakt") wins over the others:
    above the first heading (titles typed as plain bold paragraphs) and among the first lines.
    """
    if headings:
        for line in _title_candidates(text[: headings[0][0]]):
            if _TITLE_START.search(fold(line)):
                return line
        top = min(level for _, level, _ in headings)
        for _, level, heading in headings:
            if level == top and _looks_like_title(heading.strip()) and heading.strip().lower() not in _GENERIC_HEADINGS:
                return heading.strip()
    if pdf_title and len(pdf_title.strip()) >= 4 and not _USELESS_PDF_TITLE.search(pdf_title.strip()):
        return " ".join(pdf_title.split())
    candidates = _title_candidates(text)
    for line in candidates:
        if _TITLE_START.search(fold(line)):
            return line
    return candidates[0] if candidates else ""


def _looks_like_title(line: str) -> bool:
    """Words, not a stray fragment: "(SRHR)", "+100°C", "/Vård- och omsorgsförvaltningen/", "121212-TF03", "[image]"."""
    letters = sum(c.isalpha() for c in line)
    visible = sum(not c.isspace() for c in line)
    if letters < 4 or letters < 0.45 * visible or line[:1] in "([{/\\+<|=_~^" or line[-1:] in "/\\|=":
        return False
    return any(len(word) >= 3 and word.isalpha() for word in re.findall(r"\w+", line))


def title_from_name(name: str) -> str:
    """A readable title from a file name: "Byte av personal_rutin .md" -> "Byte av personal rutin"."""
    stem = Path(name).stem if Path(name).suffix else name
    return " ".join(re.sub(r"[_]+", " ", stem).split()) or name


def _title_candidates(text: str, limit: int = 8) -> list[str]:
    candidates: list[str] = []
    for line in text.split("\n")[:60]:
        line = " ".join(line.split()).strip(" #*")
        if len(line) < 4 or len(line) > 120 or _BOILERPLATE_LINE.search(line) or line.lower() in _GENERIC_HEADINGS:
            continue
        if line[0].islower() or line[0] in BULLETS or line.endswith((",", ";", ".")):
            continue  # a wrapped sentence fragment, a list item or a sentence
        if len(line.split()) < 2 and line.isupper():
            continue  # a lone all-caps word is usually an office name ("KOMMUNLEDNINGSKONTORET")
        if not _looks_like_title(line):
            continue
        candidates.append(line)
        if len(candidates) == limit:
            break
    return candidates


_MUNICIPALITY = re.compile(r"\b([A-ZÅÄÖ][a-zåäöé]+|[A-ZÅÄÖ]{3,}) (?:kommun|KOMMUN)\b")
_REGION = re.compile(r"\bRegion ([A-ZÅÄÖ][a-zåäö]+)\b")
# Capitalised words that precede "kommun" without naming one ("Varje kommun", "Vår kommun").
_NOT_TOWNS = {
    "varje",
    "vår",
    "din",
    "er",
    "en",
    "denna",
    "den",
    "hela",
    "egen",
    "annan",
    "samma",
    "aktuell",
    "respektive",
    "berörd",
    "post",
    "besök",
}
_ISSUER_FIXED: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"Sveriges Kommuner och Regioner|\bSKR\b(?!:s)"), "SKR"),
    (re.compile(r"Sveriges Kommuner och Landsting|\bSKL\b(?!:s)|@skl\.se"), "SKL"),
]
_ISSUER_LATE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bAdda\b"), "Adda Inköpscentral AB"),
    (re.compile(r"Regeringskansliet|regeringen\.se"), "Regeringskansliet"),
]


def guess_issuer(name: str, text: str, kind: DocumentKind) -> str | None:
    """The issuing body: "Riksdagen" for statutes, SKR/SKL, "<Ort> kommun", "Region <X>", Adda.

    A municipality named by the file name's first word wins ("botkyrka-kostpolicy.md"); otherwise the
    first municipality or region near the top. Adda comes last: municipalities' tenders cite its framework.
    """
    if kind is DocumentKind.lag:
        return "Riksdagen"
    head = text[:HEAD_CHARS]
    for pattern, issuer in _ISSUER_FIXED:
        if pattern.search(head):
            return issuer
    from_name = _municipality_from_name(name, text)
    if from_name:
        return from_name
    found: list[tuple[int, str]] = []
    for match in _MUNICIPALITY.finditer(head):
        if match.group(1).lower() not in _NOT_TOWNS:
            found.append((match.start(), f"{match.group(1).capitalize()} kommun"))
            break
    region = _REGION.search(head)
    if region:
        found.append((region.start(), f"Region {region.group(1)}"))
    if found:
        return min(found)[1]
    for pattern, issuer in _ISSUER_LATE:
        if pattern.search(head):
            return issuer
    return None


def _municipality_from_name(name: str, text: str) -> str | None:
    token = re.split(r"[-_ .]", fold(name))[0]
    if len(token) < 4 or not token.isalpha():
        return None
    # The file name is ASCII; let each vowel match its Swedish variants ("vanersborg" ~ "Vänersborg").
    letters = "".join({"a": "[aåä]", "o": "[oö]"}.get(c, re.escape(c)) for c in token)
    match = re.search(rf"\b({letters}s?) kommun", text, re.I)
    return f"{match.group(1).capitalize()} kommun" if match else None


_ISO_DATE = re.compile(r"\b((?:19|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b")
_MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]
_SV_DATE = re.compile(r"\b(\d{1,2}) (" + "|".join(_MONTHS) + r") ((?:19|20)\d\d)\b", re.I)


def guess_date(text: str) -> str | None:
    """The first date near the top, as ISO: "2024-05-24" or "11 juni 2024" -> "2024-06-11"."""
    head = text[:HEAD_CHARS]
    candidates: list[tuple[int, str]] = []
    iso = _ISO_DATE.search(head)
    if iso:
        candidates.append((iso.start(), iso.group(0)))
    sv = _SV_DATE.search(head)
    if sv:
        month = _MONTHS.index(sv.group(2).lower()) + 1
        candidates.append((sv.start(), f"{sv.group(3)}-{month:02d}-{int(sv.group(1)):02d}"))
    return min(candidates)[1] if candidates else None


_REPEALED_NAME = re.compile(r"upph[aä]vd", re.I)
_REPEALED_TEXT = re.compile(r"^\W*(?:upphävd\b|författningen har upphävts|lagen har upphävts)", re.I | re.M)


def guess_repealed(name: str, text: str) -> bool:
    """True when the file name or one of the first lines says the act is repealed (upphävd)."""
    if _REPEALED_NAME.search(name):
        return True
    head = "\n".join(text.split("\n")[:30])
    return bool(_REPEALED_TEXT.search(head))


def guess_meta(
    path: Path,
    text: str,
    headings: list[tuple[int, int, str]] | None = None,
    pdf_title: str | None = None,
    given_title: str | None = None,
) -> dict[str, Any]:
    """Guessed title, kind, issuer, date and repealed flag; `given_title` (front matter) is not guessed."""
    title = given_title or guess_title(text, headings, pdf_title) or title_from_name(path.name)
    kind = guess_kind(path.name, title, text)
    return {
        "title": title,
        "kind": kind,
        "issuer": guess_issuer(path.name, text, kind),
        "date": guess_date(text),
        "repealed": guess_repealed(path.name, text),
    }


# --- overrides -------------------------------------------------------------------------------

_SAME_AS = re.compile(r"same (?:publication|text|document) as (\S+?)[,.:;]?(?:\s|$)", re.I)
_REPLACED_BY = re.compile(r"ersatt av (SFS \d{4}:\d+|[^,.;]+)", re.I)


def normalize_override(raw: dict[str, Any], source: Path | str) -> dict[str, Any]:
    """Keep the overridable fields of a manifest line or sidecar; read "Upphävd" notes as repealed."""
    out: dict[str, Any] = {}
    for key in OVERRIDABLE:
        value = raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        out[key] = value
    if "kind" in out:
        out["kind"] = parse_kind(out["kind"], source)
    if "repealed" in out and not isinstance(out["repealed"], bool):
        out["repealed"] = str(out["repealed"]).strip().lower() in ("true", "ja", "yes", "1", "upphävd")
    if "date" in out:
        out["date"] = str(out["date"])
    note = str(raw.get("note") or "")
    if re.search(r"upphävd|upphävts", note, re.I):
        out.setdefault("repealed", True)
        replaced = _REPLACED_BY.search(note)
        if replaced:
            out.setdefault("superseded_by", replaced.group(1).strip())
    same = _SAME_AS.search(note)
    if same:
        out.setdefault("duplicate_of", same.group(1))
    return out


def find_manifest(folder: Path) -> Path | None:
    """The nearest manifest.jsonl in `folder` or one of its parents."""
    folder = folder.resolve()
    for candidate in (folder, *folder.parents):
        manifest = candidate / MANIFEST_NAME
        if manifest.is_file():
            return manifest
    return None


def read_manifest(folder: Path) -> dict[str, dict]:
    """Overrides from the nearest manifest.jsonl, keyed by file NAME (the "file" field's last part).

    A note like "Same publication as 002" becomes `duplicate_of` with the full file name of 002.
    Raises DocumentError, naming the manifest and line, for malformed lines.
    """
    manifest = find_manifest(Path(folder))
    if manifest is None:
        return {}
    return {Path(path).name: override for path, override in _manifest_lines(manifest).items()}


def manifest_entry(cache: dict[Path, dict[str, dict]], file: Path) -> dict | None:
    """The overrides of the nearest manifest.jsonl for `file`: by its path below the manifest's
    folder ("seeds/002_….txt"), else by its name when only one line has that name."""
    manifest = find_manifest(file.parent)
    if manifest is None:
        return None
    if manifest not in cache:
        lines = _manifest_lines(manifest)
        names: dict[str, list[dict]] = {}
        for path, override in lines.items():
            names.setdefault(Path(path).name, []).append(override)
        cache[manifest] = {**{n: o[0] for n, o in names.items() if len(o) == 1}, **lines}
    try:
        relative = file.resolve().relative_to(manifest.parent).as_posix()
    except ValueError:
        relative = file.name
    entries = cache[manifest]
    return entries.get(relative) or entries.get(file.name)


def _manifest_lines(manifest: Path) -> dict[str, dict]:
    """Overrides per "file" path of a manifest, as written there."""
    result: dict[str, dict] = {}
    for number, line in enumerate(manifest.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            name = Path(str(raw["file"])).as_posix()
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise DocumentError(manifest, f"rad {number} är inte en giltig manifestrad ({exc}).") from exc
        result[name] = normalize_override(raw, manifest)
    # Resolve short duplicate references ("002") to full file names.
    for override in result.values():
        ref = override.get("duplicate_of")
        if ref and ref not in result:
            matches = [Path(name).name for name in result if Path(name).name.startswith(ref)]
            if len(matches) == 1:
                override["duplicate_of"] = matches[0]
    return result


def read_sidecar(path: Path) -> dict[str, Any]:
    """Overrides from `<file name>.meta.json` or `.meta.yaml` next to the file, or {}."""
    for suffix in SIDECAR_SUFFIXES:
        sidecar = path.with_name(path.name + suffix)
        if not os.path.isfile(sidecar):
            continue
        try:
            content = sidecar.read_text(encoding="utf-8-sig")
            raw = json.loads(content) if suffix == ".meta.json" else yaml.safe_load(content)
        except (json.JSONDecodeError, yaml.YAMLError, UnicodeDecodeError) as exc:
            raise DocumentError(sidecar, f"metadatafilen kan inte läsas ({exc}).") from exc
        if not isinstance(raw, dict):
            raise DocumentError(sidecar, "metadatafilen ska innehålla nyckel-värde-par (title, kind, ...).")
        return normalize_override(raw, sidecar)
    return {}


def build_meta(guessed: dict[str, Any], overrides: dict[str, Any], measured: dict[str, Any]) -> DocumentMeta:
    """Merge guesses, overrides (which win) and measured fields into a DocumentMeta."""
    fields = {**guessed, **{k: v for k, v in overrides.items() if k in OVERRIDABLE}, **measured}
    return DocumentMeta(**fields)
