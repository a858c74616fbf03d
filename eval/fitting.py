"""What eval/train_ranker.py and eval/train_answering.py share: writing a fitted linear model."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml


def linear_fields(features: Sequence[str], weights, mean, scale) -> dict:
    """The weights and the standardisation of a linear model, per feature name."""
    return {
        "weights": {f: round(float(v), 5) for f, v in zip(features, weights, strict=True)},
        "mean": {f: round(float(v), 6) for f, v in zip(features, mean, strict=True)},
        "scale": {f: round(float(v), 6) for f, v in zip(features, scale, strict=True)},
    }


def write_model(path: Path, writer: str, what: str, data: dict) -> None:
    path.write_text(
        f"# {what}: written by {writer}, see `chosen`. Do not edit by hand.\n"
        + yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    print(f"skrev {path}")
