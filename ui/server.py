"""`styrdok serve`: start the web app on the index (default http://127.0.0.1:7860); `--mcp` adds MCP tools."""

from __future__ import annotations

import ipaddress
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
# uvicorn rewrites the client address from X-Forwarded-For when the peer is in this list (default: loopback).
# With login on, the gate must see the real peer (only a configured proxy may speak for a user), so nothing is
# trusted here; the gate reads X-Forwarded-For itself, from configured proxies only.
_NO_FORWARDING = "0.0.0.0/32"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_binding(host: str, access) -> None:
    """Refuse to serve others without login: only loopback is allowed with no login configured."""
    if access is None and not is_loopback(host):
        raise StyrdokError(
            f"Styrdok startar inte på {host} utan inloggning: då skulle alla som når adressen kunna läsa, lägga till "
            "och ta bort dokument. Slå på inloggning med --login (eller STYRDOK_ACCESS__LOGIN=true) och lägg till "
            "användare med 'styrdok users add', eller ange den betrodda proxyns adress med --trusted-proxy. "
            "Utan inloggning lyssnar Styrdok bara på den egna datorn (127.0.0.1)."
        )
    if access is not None and not access.users.users():
        raise StyrdokError(
            f"Inloggning är påslagen, men det finns inga användare i {access.users.path}. Lägg till en administratör "
            "med 'styrdok users add NAMN --role administratör' och starta igen."
        )


def access_control(library, login: bool = False, trusted_proxies: tuple[str, ...] = ()):
    """The AccessControl for the index when login is configured (settings, or the options given), else None."""
    from assistant.access.control import AccessControl

    settings = library.settings.access
    update = {}
    if login:
        update["login"] = True
    if trusted_proxies:
        update["trusted_proxies"] = list(trusted_proxies)
    settings = settings.model_copy(update=update)
    return AccessControl(library.folder, settings) if settings.enabled else None


def start(
    library,
    host: str = "127.0.0.1",
    port: int = 7860,
    block: bool = True,
    warm: bool = True,
    mcp: bool = False,
    access=None,
    **build_kwargs,
):
    """Build and launch the app over an open Library. With block=False, returns the running Blocks.

    With `mcp`, search, ask and lint are also MCP tools at http://HOST:PORT/gradio_api/mcp/.
    With `access` (assistant.access.control.AccessControl), everything is behind login; without, only
    loopback is served.
    """
    from assistant.api import configured_chat_model
    from ui.app import build_app, launch_options

    check_binding(host, access)
    if "chat_model" not in build_kwargs and "answerer_factory" not in build_kwargs:
        build_kwargs["chat_model"] = configured_chat_model()
    demo = build_app(library, access=access, **build_kwargs)
    if mcp:
        _add_mcp_tools(demo)
    if warm:
        # The model and the BM25 index load while the page is being opened; the first question is then fast.
        threading.Thread(target=demo.styrdok_services.warm_up, name="styrdok-warm-up", daemon=True).start()
    forwarding = os.environ.get("FORWARDED_ALLOW_IPS")
    if access is not None:
        os.environ["FORWARDED_ALLOW_IPS"] = _NO_FORWARDING
    try:
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
                **launch_options(access),
            )
    finally:
        if access is not None:
            if forwarding is None:
                os.environ.pop("FORWARDED_ALLOW_IPS", None)
            else:
                os.environ["FORWARDED_ALLOW_IPS"] = forwarding
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
    principal_of = services.principal if services.login_required else None
    with demo:
        for tool in tools(services.api, reading=services.lock.read, principal_of=principal_of):
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
@click.option(
    "--login",
    is_flag=True,
    help="Kräv inloggning (användare från 'styrdok users'); krävs för att lyssna på annat än 127.0.0.1.",
)
@click.option(
    "--trusted-proxy",
    "trusted_proxies",
    multiple=True,
    help="Adress (eller nät) till en omvänd proxy vars användarhuvud (X-Remote-User) litas på för SSO; slår på "
    "inloggning. Kan upprepas.",
)
@index_option()
def serve_command(
    host: str, port: int, mcp: bool, login: bool, trusted_proxies: tuple[str, ...], index: Path | None
) -> None:
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
        access = access_control(api.library, login, trusted_proxies)
        check_binding(host, access)  # before anything starts
        click.echo(f"Styrdok startar på http://{host}:{port} (index: {api.folder}) …", err=True)
        if access is None:
            click.echo("Enanvändarläge utan inloggning (bara den här datorn).", err=True)
        else:
            sso = f"; SSO från {', '.join(access.settings.trusted_proxies)}" if access.settings.trusted_proxies else ""
            click.echo(f"Inloggning krävs ({len(access.users.users())} användare{sso}).", err=True)
        if mcp:
            click.echo(f"MCP-verktygen finns på http://{host}:{port}/gradio_api/mcp/", err=True)
        log.info("Biblioteket öppnat på %.1f s", time.perf_counter() - started)
        start(api.library, host=host, port=port, block=True, mcp=mcp, access=access)
    except StyrdokError as error:
        click.echo(f"Fel: {error}", err=True)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    serve_command()
