"""Errors with Swedish, user-facing messages that name the file and the problem."""

from __future__ import annotations

from pathlib import Path


class StyrdokError(Exception):
    """Base class: `str(error)` is a complete Swedish sentence fit for the user."""


class DocumentError(StyrdokError):
    """A document cannot be read or indexed. The message names the file."""

    def __init__(self, path: Path | str, problem: str, hint: str | None = None):
        self.path = Path(path)
        self.problem = problem
        self.hint = hint
        message = f"{self.path.name}: {problem}"
        if hint:
            message += f" {hint}"
        super().__init__(message)


class IndexMismatchError(StyrdokError):
    """The index was built with another embedding model or chunking settings."""


class RuleFileError(StyrdokError):
    """A lint rule file is malformed. The message names the file and line."""

    def __init__(self, path: Path | str, problem: str, line: int | None = None):
        self.path = Path(path)
        self.line = line
        where = f"{self.path.name}, rad {line}" if line else self.path.name
        super().__init__(f"{where}: {problem}")
