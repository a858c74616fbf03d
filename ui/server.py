"""`styrdok serve`: start the web app on the index (default http://127.0.0.1:7860); `--mcp` adds MCP tools."""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
import warnings
from pathlib import Path

import click

from assistant.cli_options import index_option
from assistant.errors import StyrdokError

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

log = logging.getLogger(__name__)


def start(
    library,
    host: str = "127.0.0.1",
    port: int = 7860,
    block: bool = True,
    warm: bool = True,
    mcp: bool = False,
    **build_kwargs,
):
    """Build and launch the app over an open Library. With block=False, returns the running Blocks.

    With `mcp`, search, ask and lint are also MCP tools at http://HOST:PORT/gradio_api/mcp/.
    """
    from assistant.api import configured_chat_model
    from ui.app import build_app, launch_options

    if "chat_model" not in build_kwargs and "answerer_factory" not in build_kwargs:
        build_kwargs["chat_model"] = configured_chat_model()
    demo = build_app(library, **build_kwargs)
    if mcp:
        _add_mcp_tools(demo)
    if warm:
        # The model and the BM25 index load while the page is being opened; the first question is then fast.
        threading.Thread(target=demo.styrdok_services.warm_up, name="styrdok-warm-up", daemon=True).start()
    with warnings.catch_warnings():
        # Gradio warns about the web app's own endpoints with session state; they are not offered over MCP.
        warnings.filterwarnings("ignore", message="This MCP server includes a tool that has a gr.State input")
        demo.launch(
            server_name=host,
            server_port=port,
            prevent_thread_lock=True,
            inbrowser=False,
            share=False,
            show_error=False,
            quiet=not block,
            mcp_server=mcp,
            **launch_options(),
        )
    if mcp:
        _only_styrdok_tools(demo)
    if block:
        demo.block_thread()
    return demo


def _add_mcp_tools(demo) -> None:
    """Register the MCP tools as API endpoints without UI, guarded by the app's read lock."""
    import gradio as gr

    from assistant.integrations.mcp import tools

    services = demo.styrdok_services
    with demo:
        for tool in tools(services.api, reading=services.lock.read):
            gr.api(tool, api_name=tool.__name__, queue=False)


def _only_styrdok_tools(demo) -> None:
    """Offer only search, ask and lint over MCP: not the web app's upload and removal endpoints."""
    from assistant.integrations.mcp import TOOL_NAMES

    server = getattr(demo, "mcp_server_obj", None)
    if server is None:
        raise StyrdokError(f"MCP-servern kunde inte startas ({getattr(demo, 'mcp_error', 'okänt fel')}).")
    server.tool_to_endpoint = {n: e for n, e in server.tool_to_endpoint.items() if n in TOOL_NAMES}


@click.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adress att lyssna på.")
@click.option("--port", default=7860, show_default=True, type=int, help="Port att lyssna på.")
@click.option("--mcp", is_flag=True, help="Erbjud även sökning, svar och granskning som MCP-verktyg.")
@index_option()
def serve_command(host: str, port: int, mcp: bool, index: Path | None) -> None:
    """Starta webbgränssnittet (Fråga, Granska, Dokument, Introduktion)."""
    from assistant.api import Styrdok

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    started = time.perf_counter()
    try:
        api = Styrdok.open(index)
        if not api.documents():
            click.echo(
                f"Obs: indexet i {api.folder} är tomt. Lägg till dokument under fliken Dokument "
                "eller kör 'styrdok ingest corpus/'.",
                err=True,
            )
        click.echo(f"Styrdok startar på http://{host}:{port} (index: {api.folder}) …", err=True)
        if mcp:
            click.echo(f"MCP-verktygen finns på http://{host}:{port}/gradio_api/mcp/", err=True)
        log.info("Biblioteket öppnat på %.1f s", time.perf_counter() - started)
        start(api.library, host=host, port=port, block=True, mcp=mcp)
    except StyrdokError as error:
        click.echo(f"Fel: {error}", err=True)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    serve_command()
