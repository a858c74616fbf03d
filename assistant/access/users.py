"""Local accounts: `users.json` in the index folder (mode 0600), passwords hashed with Argon2id.

Every change is written atomically under a file lock and recorded in the audit log. API tokens
(for MCP clients and scripts) are random and stored only as their SHA-256.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
import threading
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, Field

from assistant.access.audit import AuditLog
from assistant.access.models import (
    DEFAULT_COLLECTION,
    Principal,
    Role,
    check_collection,
    check_user_name,
    grants_for,
)
from assistant.errors import StyrdokError

USERS_NAME = "users.json"
MIN_PASSWORD = 10
TOKEN_PREFIX = "styrdok_"


class UserRecord(BaseModel):
    name: str
    role: Role
    read: list[str] = Field(default_factory=list, description="Collections the user reads.")
    edit: list[str] = Field(default_factory=list, description="Collections a redaktör edits (and reads).")
    password: str | None = Field(default=None, description="Argon2id hash; None: only single sign-on or tokens.")
    tokens: list[str] = Field(default_factory=list, description="SHA-256 of the user's API tokens.")
    created: str = ""
    changed: str = ""

    def principal(self, via: str) -> Principal:
        read, edit = grants_for(self.role, frozenset(self.read), frozenset(self.edit))
        return Principal(name=self.name, role=self.role, read=read, edit=edit, via=via)

    def public(self) -> dict:
        """What `styrdok users list --json` and the admin view show (never a hash)."""
        return {
            "name": self.name,
            "role": self.role.value,
            "read": sorted(self.read),
            "edit": sorted(self.edit),
            "password": self.password is not None,
            "tokens": len(self.tokens),
            "created": self.created,
            "changed": self.changed,
        }


def default_hasher() -> PasswordHasher:
    """Argon2id with the library's current recommended parameters (RFC 9106, low-memory profile)."""
    return PasswordHasher()


class UserStore:
    def __init__(self, folder: Path | str, audit: AuditLog | None = None, hasher: PasswordHasher | None = None):
        self.folder = Path(folder)
        self.path = self.folder / USERS_NAME
        self.audit = audit or AuditLog(self.folder)
        self.hasher = hasher or default_hasher()
        self._dummy = self.hasher.hash(secrets.token_urlsafe(16))  # timing of an unknown name = a known one
        self._lock = threading.RLock()
        self._cache: tuple[float, int, dict[str, UserRecord]] | None = None

    # -- reading --------------------------------------------------------------------------------
    def _load(self) -> dict[str, UserRecord]:
        """The users as on disk now (re-read when the file changed, e.g. by `styrdok users` meanwhile)."""
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return {}
        with self._lock:
            cached = self._cache
            if cached is not None and cached[:2] == (info.st_mtime, info.st_size):
                return cached[2]
            try:
                raw = json.loads(self.path.read_text(encoding="utf-8"))
                users = {u["name"]: UserRecord.model_validate(u) for u in raw.get("users", [])}
            except (OSError, ValueError, KeyError, TypeError) as error:
                raise StyrdokError(f"{self.path}: användarfilen kan inte läsas ({error}).") from error
            self._cache = (info.st_mtime, info.st_size, users)
            return users

    def users(self) -> list[UserRecord]:
        return sorted(self._load().values(), key=lambda u: u.name.lower())

    def get(self, name: str) -> UserRecord | None:
        return self._load().get(name)

    def collections(self) -> set[str]:
        """Every collection named in a grant."""
        return {c for u in self._load().values() for c in (*u.read, *u.edit)}

    # -- checking -------------------------------------------------------------------------------
    def verify_password(self, name: str, password: str) -> UserRecord | None:
        """The user if the password is theirs. Takes as long for an unknown name (no way to probe names)."""
        user = self.get(name)
        stored = user.password if user is not None else None
        try:
            self.hasher.verify(stored or self._dummy, password)
        except (VerificationError, InvalidHashError):
            return None
        if user is None or stored is None:
            return None
        if self.hasher.check_needs_rehash(stored):
            self._change(name, lambda u: u.model_copy(update={"password": self.hasher.hash(password)}))
        return user

    def user_for_token(self, token: str) -> UserRecord | None:
        if not token.startswith(TOKEN_PREFIX):
            return None
        digest = _token_digest(token)
        for user in self._load().values():
            if any(secrets.compare_digest(digest, t) for t in user.tokens):
                return user
        return None

    # -- changing -------------------------------------------------------------------------------
    def add(
        self,
        actor: str,
        name: str,
        role: Role,
        read: Iterable[str] = (DEFAULT_COLLECTION,),
        edit: Iterable[str] = (),
        password: str | None = None,
    ) -> UserRecord:
        name = check_user_name(name)
        now = _now()
        record = UserRecord(
            name=name,
            role=role,
            read=sorted({check_collection(c) for c in read}),
            edit=sorted({check_collection(c) for c in edit}) if role == Role.redaktor else [],
            password=self._hash(password) if password is not None else None,
            created=now,
            changed=now,
        )
        with self._writing() as users:
            if name in users:
                raise StyrdokError(
                    f"Användaren {name} finns redan. Ändra den med 'styrdok users grant' eller 'passwd'."
                )
            users[name] = record
        self.audit.record(actor, "user.add", name, role=role.value, read=record.read, edit=record.edit)
        return record

    def grant(
        self,
        actor: str,
        name: str,
        role: Role | None = None,
        read: Iterable[str] | None = None,
        edit: Iterable[str] | None = None,
    ) -> UserRecord:
        """Change a user's role and/or the collections they read and edit (None keeps what they have)."""
        update: dict = {}
        if role is not None:
            update["role"] = role
        if read is not None:
            update["read"] = sorted({check_collection(c) for c in read})
        if edit is not None:
            update["edit"] = sorted({check_collection(c) for c in edit})

        def change(user: UserRecord) -> UserRecord:
            new = user.model_copy(update=update)
            if new.role != Role.redaktor:
                new.edit = []
            return new

        record = self._change(name, change)
        self.audit.record(actor, "user.grant", name, role=record.role.value, read=record.read, edit=record.edit)
        return record

    def set_password(self, actor: str, name: str, password: str) -> None:
        hashed = self._hash(password)
        self._change(name, lambda u: u.model_copy(update={"password": hashed}))
        self.audit.record(actor, "user.passwd", name)

    def new_token(self, actor: str, name: str) -> str:
        """A new API token for the user (shown once; only its hash is kept)."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        digest = _token_digest(token)
        self._change(name, lambda u: u.model_copy(update={"tokens": [*u.tokens, digest]}))
        self.audit.record(actor, "user.token", name)
        return token

    def revoke_tokens(self, actor: str, name: str) -> None:
        self._change(name, lambda u: u.model_copy(update={"tokens": []}))
        self.audit.record(actor, "user.token.revoke", name)

    def remove(self, actor: str, name: str) -> None:
        with self._writing() as users:
            if name not in users:
                raise StyrdokError(f"Användaren {name} finns inte.")
            del users[name]
        self.audit.record(actor, "user.remove", name)

    def _hash(self, password: str) -> str:
        if len(password) < MIN_PASSWORD:
            raise StyrdokError(f"Lösenordet är för kort: minst {MIN_PASSWORD} tecken.")
        return self.hasher.hash(password)

    def _change(self, name: str, change) -> UserRecord:
        with self._writing() as users:
            if name not in users:
                raise StyrdokError(f"Användaren {name} finns inte. Lägg till den med 'styrdok users add {name}'.")
            users[name] = change(users[name]).model_copy(update={"changed": _now()})
            return users[name]

    @contextmanager
    def _writing(self):
        """The users to change in place; written atomically (0600) when the block ends without error."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._lock:
            fd = os.open(self.folder / "users.lock", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                self._cache = None
                users = dict(self._load())
                yield users
                body = {"users": [u.model_dump(mode="json") for u in sorted(users.values(), key=lambda u: u.name)]}
                tmp = self.path.with_suffix(".tmp")
                tmp_fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(tmp_fd, "w", encoding="utf-8") as handle:
                    json.dump(body, handle, ensure_ascii=False, indent=1)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self.path)
                self._cache = None
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
