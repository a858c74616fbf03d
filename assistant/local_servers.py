"""Loopback helpers for tests, benchmarks and the load test: a free port, and a local `chroma run`
that can be stopped and started again on the same port and folder.

For a shared Chroma server in production, see the README ("Delad Chroma-server").
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chroma_command() -> str | None:
    """The `chroma` CLI beside this Python, or on PATH; None if it is not installed."""
    return shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")


class ChromaServer:
    """`chroma run --path FOLDER --host 127.0.0.1 --port PORT`, waited for until it answers."""

    def __init__(self, folder: Path, port: int | None = None, log: Path | None = None, timeout: float = 60.0):
        self.folder = Path(folder)
        self.port = port or free_port()
        self.log = log
        self.timeout = timeout
        self.proc: subprocess.Popen | None = None

    def start(self) -> ChromaServer:
        """Start it (no-op if running) and wait for its heartbeat; RuntimeError if it never answers."""
        if self.proc is not None:
            return self
        command = chroma_command()
        if command is None:
            raise RuntimeError("the chroma command is not installed")
        self.folder.mkdir(parents=True, exist_ok=True)
        output = self.log.open("w") if self.log else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            [command, "run", "--path", str(self.folder), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
            start_new_session=True,
        )
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                code, self.proc = self.proc.returncode, None
                raise RuntimeError(f"chroma run exited with {code}" + (f"; see {self.log}" if self.log else ""))
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=1)
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"chroma run did not answer within {self.timeout:.0f} s")

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def __enter__(self) -> ChromaServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
