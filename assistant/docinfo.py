"""What a document says about itself: a YAML front matter block, and the decision lines of a
municipal routine ("Dokumentet är beslutat av: …", "Dokumentet beslutades den: …",
"Dokumentansvarig är: …", "Dokumentet gäller tillsvidare", "Dokumentet ersätter: …").

Front matter is metadata, not text: it is cut from the body. Decision lines are text people
ask about ("vem har beslutat rutinen?"), so they stay in the body and are also read as metadata.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(.*?\n)---[ \t]*(?:\n|\Z)", re.DOTALL)
# Front matter keys that name the title ("rubrik" in statute exports) or where the document came from.
_TITLE_KEYS = ("title", "titel", "rubrik")
_SOURCE_KEYS = ("source_url", "source", "url", "pdf_url")


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(fields, body) of a text that opens with a `---` YAML block; ({}, text) otherwise.

    A block that is not a YAML mapping is left in the text: it was a horizontal rule, not metadata.
    The body keeps its length up to the block's end replaced by nothing, so offsets start at the body.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        fields = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}, text
    if not isinstance(fields, dict) or not fields:
        return {}, text
    return {str(k).strip().lower(): v for k, v in fields.items()}, text[match.end() :]


def front_matter_meta(fields: dict[str, Any]) -> dict[str, Any]:
    """Title and source from front matter fields ("rubrik" + "beteckning" for statutes: "Kommunallag (2017:725)")."""
    out: dict[str, Any] = {}
    title = next((_text(fields[k]) for k in _TITLE_KEYS if _text(fields.get(k))), None)
    number = _text(fields.get("beteckning"))
    if title:
        if number and re.fullmatch(r"(?:1[89]|20)\d\d:\d+", number) and number not in title:
            title = f"{title} ({number})"
        out["title"] = title
    source = next((_text(fields[k]) for k in _SOURCE_KEYS if _text(fields.get(k))), None)
    if source:
        out["source"] = source
    return out


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = " ".join(str(value).split()).strip()
    return text or None


# --- decision lines --------------------------------------------------------------------------

_LINE = r"[ \t]*(?:[-*>]\s*)?(?:\*\*)?"
# "Dokumentet är beslutat av: ...", and of a policy or guideline "Antagen av kommunfullmäktige § 117, 2011-06-16".
_DECIDED_BY = re.compile(
    _LINE + r"(?:dokumentet\s+)?(?:är\s+)?(?:beslutad|beslutat|fastställd|fastställt|antagen|antaget)\s+av\s*:?\s*(.+)",
    re.I,
)
_DECIDED_ON = re.compile(_LINE + r"(?:dokumentet\s+)?(?:beslutades|fastställdes|antogs)\s+(?:den\s*)?:?\s*(.+)", re.I)
_OWNER = re.compile(_LINE + r"(?:dokumentansvarig|ansvarig\s+för\s+dokumentet)\s*(?:är)?\s*:?\s*(.+)", re.I)
_VALID = re.compile(
    _LINE + r"(?:dokumentet\s+)?gäller\s+(tills?\s*vidare|till\s+(?:och\s+med\s+|den\s*:?\s*)?.+)", re.I
)
_REPLACES = re.compile(_LINE + r"(?:dokumentet\s+)?ersätter\s*:?\s*(.*)", re.I)
_IN_FORCE = re.compile(_LINE + r"dokumentet\s+gäller\s+från", re.I)
_ISO = re.compile(r"\b((?:19|20)\d\d)-([01]\d)-([0-3]\d)\b")
# Values that only say the form was not filled in, or that nothing is replaced.
_EMPTY_VALUE = re.compile(
    r"^(?:nytt?(?: dokument| upprättad| rutin)?|ny rutin|första utgåvan?|detta är första utgåvan|ingen|inget|-+|"
    r"namn på .*|ange .*|x+)$",
    re.I,
)
HEAD_CHARS = 3000


def _value(raw: str) -> str | None:
    """A decision line's value without template brackets, Markdown emphasis or trailing punctuation."""
    value = raw.strip().replace("**", "").strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    value = " ".join(value.strip(" .;,").split())
    if not value or _EMPTY_VALUE.match(value) or len(value) > 160:
        return None
    return value


def decision_meta(text: str) -> dict[str, str]:
    """decided_by, decided_on (ISO), owner, valid and replaces from the decision lines near the top."""
    out: dict[str, str] = {}
    fallback_date: str | None = None
    for line in text[:HEAD_CHARS].split("\n"):
        for key, pattern in (
            ("decided_by", _DECIDED_BY),
            ("decided_on", _DECIDED_ON),
            ("owner", _OWNER),
            ("valid", _VALID),
            ("replaces", _REPLACES),
        ):
            if key in out:
                continue
            match = pattern.match(line)
            if not match:
                continue
            value = _value(match.group(1))
            if key == "decided_by" and value:
                # "Kommunfullmäktige 2019-02-28 § 22": the body, not the date or paragraph of the minutes;
                # the date is when it was decided, unless a line of its own says so.
                date = _ISO.search(value)
                fallback_date = fallback_date or (date.group(0) if date else None)
                value = re.split(r",?\s+(?:den\s+)?(?:\d|§)", value)[0].strip(" ,.") or None
            if key == "decided_on":
                date = _ISO.search(match.group(1))
                value = date.group(0) if date else None
            elif key == "valid" and value:
                date = _ISO.search(value)
                value = (
                    date.group(0) if date else ("tillsvidare" if re.match(r"tills?\s*vidare", value, re.I) else None)
                )
            if value:
                out[key] = value
            break
    if fallback_date and "decided_on" not in out:
        out["decided_on"] = fallback_date
    return out


def is_decision_line(text: str) -> bool:
    """Whether `text` opens with a decision line ("Dokumentet ersätter: …", "Dokumentansvarig är: …")."""
    return any(p.match(text) for p in (_DECIDED_BY, _DECIDED_ON, _OWNER, _VALID, _REPLACES, _IN_FORCE))


def decision_span(text: str) -> tuple[int, int] | None:
    """Offsets of the decision lines near the top ("Dokumentet är beslutat av: …" up to "… beslutades den: …"),
    so a list of decisions can cite the very lines it was read from."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text[:HEAD_CHARS].split("\n"):
        if _DECIDED_BY.match(line) or _DECIDED_ON.match(line):
            lead = len(line) - len(line.lstrip(" \t"))
            spans.append((pos + lead, pos + len(line.rstrip())))
        pos += len(line) + 1
    if not spans:
        return None
    start, end = spans[0]
    for s, e in spans[1:]:
        if s - end > 200:  # a later, unrelated line
            break
        end = e
    return start, end
