"""Styrdok's web UI (Gradio): ask, review a draft, manage documents, introduction."""

from __future__ import annotations


def build_app(*args, **kwargs):
    """See ui.app.build_app (imported late: Gradio is heavy)."""
    from ui.app import build_app as _build

    return _build(*args, **kwargs)


__all__ = ["build_app"]
