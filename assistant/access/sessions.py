"""Login sessions that expire, and a throttle that slows down guessing passwords.

Sessions live in the server's memory (a restart logs everyone out): a random 256-bit token in an
HttpOnly cookie, valid until it has been idle too long or has reached its full lifetime, or the
user logs out. The throttle counts failed logins per user name and per client address; after a
few free attempts each further one must wait twice as long as the one before (up to a cap), so a
password cannot be guessed at speed, and a wait never checks the password at all.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

Clock = Callable[[], float]


@dataclass
class Session:
    user: str
    created: float
    last_seen: float


class SessionStore:
    def __init__(self, lifetime: float, idle: float, clock: Clock = time.time):
        self.lifetime = lifetime
        self.idle = idle
        self.clock = clock
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def create(self, user: str) -> str:
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with self._lock:
            self._prune(now)
            self._sessions[token] = Session(user=user, created=now, last_seen=now)
        return token

    def get(self, token: str | None) -> Session | None:
        """The live session for the token (its idle time starts again), or None when unknown or expired."""
        if not token:
            return None
        now = self.clock()
        with self._lock:
            session = self._sessions.get(token)
            if session is None:
                return None
            if self._expired(session, now):
                del self._sessions[token]
                return None
            session.last_seen = now
            return session

    def end(self, token: str | None) -> Session | None:
        with self._lock:
            return self._sessions.pop(token, None) if token else None

    def end_user(self, user: str) -> int:
        """End every session of a user (removed, or password changed); returns how many."""
        with self._lock:
            gone = [t for t, s in self._sessions.items() if s.user == user]
            for token in gone:
                del self._sessions[token]
        return len(gone)

    def _expired(self, session: Session, now: float) -> bool:
        return now - session.last_seen > self.idle or now - session.created > self.lifetime

    def _prune(self, now: float) -> None:
        for token in [t for t, s in self._sessions.items() if self._expired(s, now)]:
            del self._sessions[token]


class Throttle:
    """Failed attempts per key ('user:anna', 'ip:10.0.0.7'): `free` attempts, then waits doubling to `cap` s."""

    def __init__(self, free: int = 5, base: float = 2.0, cap: float = 900.0, clock: Clock = time.monotonic):
        self.free = free
        self.base = base
        self.cap = cap
        self.clock = clock
        self._failures: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def wait(self, keys: Iterable[str]) -> float:
        """Seconds until the next attempt may be checked (0: now)."""
        now = self.clock()
        with self._lock:
            return max((self._wait(key, now) for key in keys), default=0.0)

    def _wait(self, key: str, now: float) -> float:
        count, last = self._failures.get(key, (0, 0.0))
        if count < self.free:
            return 0.0
        delay = min(self.cap, self.base * 2 ** (count - self.free))
        return max(0.0, last + delay - now)

    def failed(self, keys: Iterable[str]) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                count, last = self._failures.get(key, (0, 0.0))
                if now - last > self.cap * 4:
                    count = 0  # long quiet: start again
                self._failures[key] = (count + 1, now)
            if len(self._failures) > 100_000:  # bounded memory under a spray of names
                oldest = sorted(self._failures, key=lambda k: self._failures[k][1])[:50_000]
                for key in oldest:
                    del self._failures[key]

    def succeeded(self, keys: Iterable[str]) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
