"""The audit log: who added, replaced or removed which document, and who changed users or grants, when.

One JSON object per line in `audit.jsonl` in the index folder, appended and fsynced, never rewritten.
Each line carries the hash of the line before it, so a line edited or deleted afterwards shows in
`verify()` (`styrdok audit --verify`): append-only by the program, tamper-evident on disk.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path

AUDIT_NAME = "audit.jsonl"
_GENESIS = "0" * 16


class AuditLog:
    def __init__(self, folder: Path | str):
        self.path = Path(folder) / AUDIT_NAME

    def record(self, actor: str, action: str, target: str, **details) -> dict:
        """Append one entry (time in UTC, ISO 8601) and flush it to disk before returning it."""
        return self.record_many(actor, [(action, target, details)])[0]

    def record_many(self, actor: str, entries: list[tuple[str, str, dict]]) -> list[dict]:
        """Append (action, target, details) entries in one write and one fsync (an ingest of many files)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        written = []
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # one writer at a time, across processes, so the chain holds
            previous = self._last_hash()
            lines = []
            now = datetime.now(UTC).isoformat(timespec="seconds")
            for action, target, details in entries:
                entry = {
                    "time": now,
                    "actor": actor,
                    "action": action,
                    "target": target,
                    **({"details": details} if details else {}),
                    "prev": previous,
                }
                line = json.dumps(entry, ensure_ascii=False).encode("utf-8")
                previous = _digest(line)
                lines.append(line + b"\n")
                written.append(entry)
            os.write(fd, b"".join(lines))
            os.fsync(fd)
        finally:
            os.close(fd)
        return written

    def _last_hash(self) -> str:
        last = b""
        with self.path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            step = 4096
            while size > 0 and b"\n" not in last.rstrip(b"\n"):
                start = max(0, size - step)
                handle.seek(start)
                last = handle.read(size - start) + last
                size = start
        lines = [line for line in last.split(b"\n") if line.strip()]
        return _digest(lines[-1]) if lines else _GENESIS

    def entries(self, limit: int | None = None) -> list[dict]:
        """The entries, oldest first (the last `limit` if given); unreadable lines are skipped."""
        if not self.path.exists():
            return []
        out = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return out[-limit:] if limit else out

    def verify(self) -> str | None:
        """None when every line follows the one before it, else a Swedish message naming the first broken line."""
        if not self.path.exists():
            return None
        previous = _GENESIS
        for number, line in enumerate(self.path.read_bytes().split(b"\n"), start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                return f"{self.path.name}: rad {number} är inte giltig JSON; loggen har ändrats."
            if entry.get("prev") != previous:
                return f"{self.path.name}: rad {number} följer inte på raden före; loggen har ändrats eller kortats."
            previous = _digest(line)
        return None


def _digest(line: bytes) -> str:
    return hashlib.sha256(line.strip()).hexdigest()[:16]
