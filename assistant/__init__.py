"""Styrdok: an offline assistant for Swedish municipal governance documents."""

__version__ = "0.1.0"
