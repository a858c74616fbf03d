"""Options shared by the `styrdok` commands of every stage."""

from __future__ import annotations

from pathlib import Path

import click

INDEX_HELP = "Indexmapp (standard: STYRDOK_INDEX eller .styrdok/index)."


def index_option(dest: str = "index", help: str = INDEX_HELP):  # noqa: A002 - click's name
    """`--index DIR`: the index folder, passed to the command as `dest`."""
    return click.option("--index", dest, type=click.Path(path_type=Path, file_okay=False), default=None, help=help)
