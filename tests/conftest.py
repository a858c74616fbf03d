"""Shared fixtures: no network, a temporary index with a deterministic embedder, the shared corpus."""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["ANONYMIZED_TELEMETRY"] = "False"

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"

_real_connect = socket.socket.connect


def _guarded_connect(self, address):
    """Fail any connection that leaves this machine: tests are offline by construction."""
    host = address[0] if isinstance(address, tuple) else None
    if host is not None:
        try:
            allowed = ipaddress.ip_address(host).is_loopback
        except ValueError:
            allowed = host in ("localhost",)
        if not allowed:
            raise RuntimeError(f"Test tried to reach the network: {address!r}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


@pytest.fixture
def shared() -> Path:
    if not (SHARED / "corpus").is_dir():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


@pytest.fixture
def make_library(tmp_path):
    """Factory for a fresh library in a temporary folder with the hashing embedder."""
    from assistant.embedding import HashingEmbedder
    from assistant.library import open_library

    def factory(name: str = "index", **kwargs):
        kwargs.setdefault("embedder", HashingEmbedder())
        return open_library(tmp_path / name, **kwargs)

    return factory
