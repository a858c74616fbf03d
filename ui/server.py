"""`styrdok serve`: start the web app on the index (default http://127.0.0.1:7860)."""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from pathlib import Path

import click

from assistant.cli_options import index_option

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

log = logging.getLogger(__name__)


def start(library, host: str = "127.0.0.1", port: int = 7860, block: bool = True, warm: bool = True, **build_kwargs):
    """Build and launch the app over an open Library. With block=False, returns the running Blocks."""
    from assistant.answering.config import build_chat_model
    from ui.app import build_app, launch_options

    if "chat_model" not in build_kwargs and "answerer_factory" not in build_kwargs:
        build_kwargs["chat_model"] = build_chat_model()
    demo = build_app(library, **build_kwargs)
    if warm:
        # The model and the BM25 index load while the page is being opened; the first question is then fast.
        threading.Thread(target=demo.styrdok_services.warm_up, name="styrdok-warm-up", daemon=True).start()
    demo.launch(
        server_name=host,
        server_port=port,
        prevent_thread_lock=not block,
        inbrowser=False,
        share=False,
        show_error=False,
        quiet=not block,
        **launch_options(),
    )
    return demo


@click.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adress att lyssna på.")
@click.option("--port", default=7860, show_default=True, type=int, help="Port att lyssna på.")
@index_option()
def serve_command(host: str, port: int, index: Path | None) -> None:
    """Starta webbgränssnittet (Fråga, Granska, Dokument, Introduktion)."""
    from assistant.errors import StyrdokError
    from assistant.library import open_library

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    started = time.perf_counter()
    try:
        library = open_library(index)
        if not library.documents():
            click.echo(
                f"Obs: indexet i {library.folder} är tomt. Lägg till dokument under fliken Dokument "
                "eller kör 'styrdok ingest corpus/'.",
                err=True,
            )
        click.echo(f"Styrdok startar på http://{host}:{port} (index: {library.folder}) …", err=True)
        log.info("Biblioteket öppnat på %.1f s", time.perf_counter() - started)
        start(library, host=host, port=port, block=True)
    except StyrdokError as error:
        click.echo(f"Fel: {error}", err=True)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    serve_command()
