"""Who is asking and what they may do: roles, collections and the principal every operation is checked against."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from assistant.errors import StyrdokError
from assistant.models import DEFAULT_COLLECTION

MAX_COLLECTION_CHARS = 80
_COLLECTION = re.compile(r"^[\w][\w .,()&'-]*$")
_USER = re.compile(r"^[\w][\w.@+-]{0,99}$")


class Role(StrEnum):
    """What a user may do (ASCII ids; Swedish labels in ROLE_LABELS_SV)."""

    lasare = "lasare"  # ask, search, review a draft, the introduction
    redaktor = "redaktor"  # also add, replace and remove documents in the collections they edit
    administrator = "administrator"  # users, grants and every collection

    @property
    def label(self) -> str:
        return ROLE_LABELS_SV[self]


ROLE_LABELS_SV = {Role.lasare: "läsare", Role.redaktor: "redaktör", Role.administrator: "administratör"}


def parse_role(value: str) -> Role:
    """A Role from 'läsare', 'lasare', 'Redaktör', ...; an unknown role is a Swedish error naming the choices."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", value.strip().lower()) if not unicodedata.combining(c))
    try:
        return Role(folded)
    except ValueError:
        choices = ", ".join(ROLE_LABELS_SV.values())
        raise StyrdokError(f"Okänd roll '{value}'. Välj bland: {choices}.") from None


def check_collection(name: str) -> str:
    """A collection name, trimmed; an empty, over-long or odd name is a Swedish error."""
    clean = " ".join(str(name).split())
    if not clean:
        raise StyrdokError("Samlingens namn är tomt. Ange ett namn, till exempel 'Styrdokument'.")
    if len(clean) > MAX_COLLECTION_CHARS or not _COLLECTION.match(clean):
        raise StyrdokError(
            f"Samlingsnamnet '{clean[:MAX_COLLECTION_CHARS]}' går inte att använda: högst {MAX_COLLECTION_CHARS} "
            "tecken, bokstäver, siffror, mellanslag och - . , ( ) & '."
        )
    return clean


def check_user_name(name: str) -> str:
    clean = str(name).strip()
    if not _USER.match(clean):
        raise StyrdokError(
            f"Användarnamnet '{clean[:100]}' går inte att använda: bokstäver, siffror och . @ + - _ (högst 100 tecken)."
        )
    return clean


@dataclass(frozen=True)
class Principal:
    """The one a request acts for. `read`/`edit` None means every collection (also future ones).

    `via` says how they were identified: 'open' (no login configured), 'password', 'proxy', 'token', 'cli'.
    """

    name: str
    role: Role
    read: frozenset[str] | None
    edit: frozenset[str] | None
    via: str = "password"

    @classmethod
    def open(cls) -> Principal:
        """The single user of an assistant without login: everything, as before login existed."""
        return cls(name="", role=Role.administrator, read=None, edit=None, via="open")

    @classmethod
    def cli(cls, name: str) -> Principal:
        """The operator at the command line, who has the index folder itself."""
        return cls(name=name, role=Role.administrator, read=None, edit=None, via="cli")

    @property
    def unrestricted(self) -> bool:
        return self.read is None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.administrator

    @property
    def may_edit_documents(self) -> bool:
        return self.role in (Role.redaktor, Role.administrator)

    def can_read(self, collection: str) -> bool:
        return self.read is None or collection in self.read

    def can_edit(self, collection: str) -> bool:
        if not self.may_edit_documents:
            return False
        return self.edit is None or collection in self.edit

    @property
    def shown_name(self) -> str:
        return self.name or "(ingen inloggning)"

    @property
    def audit_name(self) -> str:
        return self.name if self.via != "cli" else f"cli:{self.name}"

    def scope_key(self) -> str:
        """Identifies what this principal may read (for caches shared by everyone who reads the same)."""
        return "*" if self.read is None else "\x1f".join(sorted(self.read))


def grants_for(role: Role, read: frozenset[str], edit: frozenset[str]) -> tuple[frozenset[str] | None, frozenset[str]]:
    """(readable, editable) collections: an administrator reads and edits all; edit implies read."""
    if role == Role.administrator:
        return None, None  # type: ignore[return-value]
    editable = edit if role == Role.redaktor else frozenset()
    return read | editable, editable


__all__ = [
    "DEFAULT_COLLECTION",
    "Principal",
    "Role",
    "ROLE_LABELS_SV",
    "check_collection",
    "check_user_name",
    "grants_for",
    "parse_role",
]
