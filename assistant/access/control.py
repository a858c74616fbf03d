"""Identifying the one behind a request: a session cookie, an API token, or a trusted proxy's user header.

Used by the web app's gate (every HTTP request) and again by every event handler and MCP tool,
so that what a request may do is decided on the server from the request itself.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from assistant.access.audit import AuditLog
from assistant.access.models import Principal
from assistant.access.sessions import Clock, SessionStore, Throttle
from assistant.access.users import UserStore
from assistant.errors import StyrdokError
from assistant.settings import AccessSettings

log = logging.getLogger(__name__)

SESSION_COOKIE = "styrdok_session"


class LoginRefused(StyrdokError):
    """A login that did not succeed; `wait` is the seconds to wait before the next attempt (0: try again now)."""

    def __init__(self, message: str, wait: float = 0.0, throttled: bool = False):
        super().__init__(message)
        self.wait = wait
        self.throttled = throttled  # refused without checking the password


@dataclass
class Caller:
    """What identifies a request: its headers (lower-case names), cookies and the connecting address."""

    headers: Mapping[str, str]
    cookies: Mapping[str, str]
    peer: str | None

    @classmethod
    def of(cls, request) -> Caller:
        """From a Starlette/FastAPI or gr.Request (gr.Request forwards the attributes of the request it wraps)."""
        headers = {str(k).lower(): str(v) for k, v in dict(getattr(request, "headers", None) or {}).items()}
        cookies = dict(getattr(request, "cookies", None) or {})
        client = getattr(request, "client", None)
        return cls(headers=headers, cookies=cookies, peer=getattr(client, "host", None))


class AccessControl:
    def __init__(self, folder: Path | str, settings: AccessSettings, clock: Clock = time.time, hasher=None):
        self.settings = settings
        self.audit = AuditLog(folder)
        self.users = UserStore(folder, self.audit, hasher=hasher)
        self.sessions = SessionStore(settings.session_hours * 3600, settings.idle_minutes * 60, clock=clock)
        self.throttle = Throttle(free=settings.free_attempts, cap=settings.max_wait_seconds)
        self._proxies = [_network(p) for p in settings.trusted_proxies]
        self._header = settings.proxy_header.lower()

    # -- who is it -------------------------------------------------------------------------------
    def identify(self, caller: Caller) -> Principal | None:
        """The principal behind the request, or None. A bearer token, when sent, decides alone."""
        auth = caller.headers.get("authorization", "")
        if auth[:7].lower() == "bearer ":
            user = self.users.user_for_token(auth[7:].strip())
            return user.principal("token") if user is not None else None
        session = self.sessions.get(caller.cookies.get(SESSION_COOKIE))
        if session is not None:
            user = self.users.get(session.user)
            if user is not None:
                return user.principal("password")
            self.sessions.end_user(session.user)  # removed meanwhile
        name = self.proxy_user(caller)
        if name:
            user = self.users.get(name)
            if user is not None:
                return user.principal("proxy")
            log.warning("Proxyn angav användaren %r, som inte finns i Styrdok.", name)
        return None

    def trusted_proxy(self, peer: str | None) -> bool:
        if not peer or not self._proxies:
            return False
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        return any(address in network for network in self._proxies)

    def proxy_user(self, caller: Caller) -> str | None:
        """The proxy header's user, only from a configured proxy address (else the header is ignored)."""
        if not self.trusted_proxy(caller.peer):
            return None
        value = caller.headers.get(self._header, "").strip()
        return value or None

    def client_address(self, caller: Caller) -> str:
        """The user's address for throttling: behind a trusted proxy the last X-Forwarded-For entry."""
        if self.trusted_proxy(caller.peer):
            forwarded = [p.strip() for p in caller.headers.get("x-forwarded-for", "").split(",") if p.strip()]
            if forwarded:
                return forwarded[-1]
        return caller.peer or "okänd"

    @property
    def proxy_header(self) -> str:
        return self._header

    # -- logging in and out ----------------------------------------------------------------------
    def login(self, name: str, password: str, caller: Caller) -> str:
        """A new session token, or LoginRefused (also while a wait after failed attempts runs)."""
        name = (name or "").strip()
        keys = [f"user:{name.lower()}", f"ip:{self.client_address(caller)}"]
        wait = self.throttle.wait(keys)
        if wait > 0:
            raise LoginRefused(
                f"För många misslyckade inloggningar. Vänta {int(wait) + 1} sekunder och försök igen.", wait, True
            )
        user = self.users.verify_password(name, password or "") if name else None
        if user is None:
            self.throttle.failed(keys)
            self.audit.record(name[:100] or "(tomt)", "login.failed", name[:100], address=self.client_address(caller))
            raise LoginRefused("Fel användarnamn eller lösenord.", self.throttle.wait(keys))
        self.throttle.succeeded(keys)
        self.audit.record(user.name, "login", user.name, address=self.client_address(caller))
        return self.sessions.create(user.name)

    def logout(self, caller: Caller) -> None:
        session = self.sessions.end(caller.cookies.get(SESSION_COOKIE))
        if session is not None:
            self.audit.record(session.user, "logout", session.user)


def _network(value: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        return ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        raise StyrdokError(
            f"'{value}' är ingen IP-adress eller nätmask för en betrodd proxy (STYRDOK_ACCESS__TRUSTED_PROXIES)."
        ) from None
