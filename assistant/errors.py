"""Errors with Swedish, user-facing messages that name the file and the problem."""

from __future__ import annotations

import errno
from pathlib import Path


class StyrdokError(Exception):
    """Base class: `str(error)` is a complete Swedish sentence fit for the user."""


def printable_name(name: str) -> str:
    """The name with control and other unprintable characters escaped, as Python would write them.

    File names may contain newlines, bells or undecodable bytes (surrogates); shown raw they
    break the terminal line, the log or the encoder that prints the message.
    """
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)


class DocumentError(StyrdokError):
    """A document cannot be read or indexed. The message names the file (printable)."""

    def __init__(self, path: Path | str, problem: str, hint: str | None = None):
        self.path = Path(path)
        self.problem = problem
        self.hint = hint
        message = f"{printable_name(self.path.name)}: {problem}"
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
        name = printable_name(self.path.name)
        where = f"{name}, rad {line}" if line else name
        super().__init__(f"{where}: {problem}")


_OS_PROBLEMS = {
    errno.ENOENT: "filen finns inte.",
    errno.EACCES: "kan inte läsas: behörighet saknas.",
    errno.EPERM: "kan inte läsas: behörighet saknas.",
    errno.EISDIR: "är en mapp, inte en fil.",
    errno.ENAMETOOLONG: "filnamnet eller sökvägen är för lång för filsystemet.",
    errno.ELOOP: "är en symbolisk länk i en slinga.",
    errno.EIO: "kan inte läsas: läsfel på disken.",
}


def os_problem(error: OSError) -> str:
    """A Swedish description of a file-system error; `strerror` is English and sometimes missing."""
    known = _OS_PROBLEMS.get(error.errno or -1)
    return known or f"kan inte läsas (systemfel {error.errno or 'okänt'})."
