"""The login gate in front of the whole web app (pages, Gradio's API, uploads, files, MCP) when login is on.

An ASGI middleware: `/styrdok/login` shows and checks the login form (throttled, see
assistant.access.sessions), `/styrdok/logout` ends the session when asked from this site (see
AccessGate._logout); every other request needs a live session cookie, an API token (`Authorization: Bearer …`)
or, only from a configured proxy address, the proxy's user header. Without one, a page request is sent to the
login form and anything else gets 401. The proxy header is removed from requests that do not come from the
proxy, so nothing behind the gate (not even MCP's internal calls) can see a forged one. Each event handler
checks the user again (ui.services.Services.principal): the gate is the outer wall, not the only one.
"""

from __future__ import annotations

import html
import ipaddress
import json
from urllib.parse import parse_qs, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.access.control import SESSION_COOKIE, AccessControl, Caller, LoginRefused

LOGIN_PATH = "/styrdok/login"
LOGOUT_PATH = "/styrdok/logout"
MAX_FORM_BYTES = 8192
# Gradio's launch() calls this on itself to start the app's startup events (no data, runs once).
STARTUP_PATH = "/gradio_api/startup-events"

_STYLE = """<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;background:#f3f4f6;margin:0;color:#111827}
main{max-width:26rem;margin:8vh auto;background:#fff;padding:2rem;border-radius:.75rem;
box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{margin-top:0;font-size:1.6rem} label{display:block;margin:1rem 0 .3rem;font-weight:600}
input{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #6b7280;border-radius:.4rem}
button{margin-top:1.4rem;width:100%;padding:.7rem;font-size:1rem;background:#1d4ed8;color:#fff;border:0;
border-radius:.4rem;cursor:pointer} button:hover{background:#1e40af}
.error{background:#fef2f2;border:1px solid #b91c1c;color:#7f1d1d;padding:.7rem;border-radius:.4rem}
.note{color:#4b5563;font-size:.9rem}
</style>"""
_HTML_HEADERS = [(b"content-type", b"text/html; charset=utf-8"), (b"cache-control", b"no-store")]

LOGIN_BODY = """<h1>Styrdok</h1>
<p>Logga in för att fråga om kommunens styrdokument. Du ser de samlingar du har behörighet till.</p>
{message}
<form method="post" action="{action}">
<label for="username">Användarnamn</label>
<input id="username" name="username" autocomplete="username" required value="{name}" autofocus>
<label for="password">Lösenord</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Logga in</button>
</form>
{sso}
"""

LOGOUT_BODY = """<h1>Logga ut från Styrdok?</h1>
{message}
<form method="post" action="{action}"><button type="submit">Logga ut</button></form>
<p><a href="/">Tillbaka till Styrdok</a></p>
"""


def _page(title: str, body: str) -> bytes:
    """A page of the gate (login, logout): plain HTML outside the Gradio app."""
    return (
        '<!doctype html>\n<html lang="sv"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title} – Styrdok</title>\n{_STYLE}</head>\n<body><main>\n{body}</main></body></html>\n"
    ).encode()


def login_page(message: str = "", name: str = "", sso: bool = False, ok: bool = False) -> bytes:
    role = 'role="status"' if ok else 'role="alert"'
    shown = f'<p class="{"note" if ok else "error"}" {role}>{html.escape(message)}</p>' if message else ""
    note = (
        '<p class="note">Kommer du via kommunens gemensamma inloggning (SSO) och ser den här sidan, saknas du i '
        "Styrdok: be en administratör lägga till dig.</p>"
        if sso
        else ""
    )
    return _page("Logga in", LOGIN_BODY.format(message=shown, action=LOGIN_PATH, name=html.escape(name), sso=note))


def logout_page(refused: bool = False) -> bytes:
    message = (
        '<p class="error" role="alert">Utloggningen skickades från en annan webbplats och gjordes inte. '
        "Logga ut med knappen här.</p>"
        if refused
        else "<p>Begäran kom inte från Styrdoks egen sida, så du är fortfarande inloggad.</p>"
    )
    return _page("Logga ut", LOGOUT_BODY.format(message=message, action=LOGOUT_PATH))


class AccessGate:
    def __init__(self, app: ASGIApp, access: AccessControl):
        self.app = app
        self.access = access

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        peer = (scope.get("client") or (None,))[0]
        if not self.access.trusted_proxy(peer):  # a forged header never reaches anything behind the gate
            header = self.access.proxy_header.encode("latin-1")
            scope["headers"] = [(k, v) for k, v in scope.get("headers", []) if k.lower() != header]
        request = Request(scope)
        caller = Caller.of(request)
        path = scope.get("path", "")
        if scope["type"] == "http" and path == LOGIN_PATH:
            await self._login(scope, receive, send, caller)
            return
        if scope["type"] == "http" and path == LOGOUT_PATH:
            await self._logout(scope, send, caller)
            return
        if self.access.identify(caller) is not None or (path == STARTUP_PATH and _loopback(peer)):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 4401})
            return
        accept = request.headers.get("accept", "")
        if scope.get("method") == "GET" and "text/html" in accept:
            await _respond(send, 303, b"", [(b"location", LOGIN_PATH.encode())])
            return
        body = json.dumps(
            {"detail": "Inloggning krävs: logga in, eller skicka en API-nyckel (Authorization: Bearer …)."},
            ensure_ascii=False,
        ).encode("utf-8")
        await _respond(send, 401, body, [(b"content-type", b"application/json; charset=utf-8")])

    async def _login(self, scope: Scope, receive: Receive, send: Send, caller: Caller) -> None:
        sso = bool(self.access.settings.trusted_proxies)
        if scope.get("method") != "POST":
            if self.access.identify(caller) is not None:
                await _respond(send, 303, b"", [(b"location", b"/")])
                return
            await _respond(send, 200, login_page(sso=sso), _HTML_HEADERS)
            return
        if not self._same_site(caller):
            # Login CSRF: another site's page posting its own account's password would sign the user in
            # as that account, and what they then upload or ask would land there.
            refused = "Inloggningen skickades från en annan webbplats och avvisades. Öppna inloggningssidan här."
            await _respond(send, 403, login_page(refused, sso=sso), _HTML_HEADERS)
            return
        form = await _read_form(receive)
        name, password = form.get("username", ""), form.get("password", "")
        try:
            token = await run_in_threadpool(self.access.login, name, password, caller)  # Argon2 takes CPU time
        except LoginRefused as refused:
            status = 429 if refused.throttled else 401
            headers = (
                [*_HTML_HEADERS, (b"retry-after", str(int(refused.wait) + 1).encode())]
                if status == 429
                else _HTML_HEADERS
            )
            await _respond(send, status, login_page(str(refused), name[:100], sso), headers)
            return
        secure = scope.get("scheme") == "https" or (
            self.access.trusted_proxy(caller.peer) and caller.headers.get("x-forwarded-proto") == "https"
        )
        cookie = f"{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
        await _respond(send, 303, b"", [(b"location", b"/"), (b"set-cookie", cookie.encode())])

    async def _logout(self, scope: Scope, send: Send, caller: Caller) -> None:
        """The "Logga ut" link of the app's own page ends the session. A logout request from another site
        (a link or hidden image on someone else's page: logout CSRF) ends nothing: a GET gets a page asking
        whether to log out, with a button that posts from this site; a POST is refused."""
        if self._same_site(caller):
            self.access.logout(caller)
            await _respond(send, 303, b"", [(b"location", LOGIN_PATH.encode())], clear_cookie=True)
            return
        status = 403 if scope.get("method") == "POST" else 200
        await _respond(send, status, logout_page(refused=status == 403), _HTML_HEADERS)

    def _same_site(self, caller: Caller) -> bool:
        """Whether a login form post or a logout comes from this site: the browser's Sec-Fetch-Site says
        so, and its Origin (else Referer) names the host the request was sent to (behind a configured
        proxy, the host the proxy was asked for). A request with none of these headers (a script, curl)
        is no cross-site browser request and passes."""
        fetch_site = caller.headers.get("sec-fetch-site")
        if fetch_site is not None and fetch_site not in ("same-origin", "none"):
            return False  # "none": typed into the address bar or opened from a bookmark
        source = caller.headers.get("origin") or caller.headers.get("referer")
        if source == "null":  # an opaque origin (a sandboxed frame, a file): never this site
            return False
        if not source:
            return True
        host = caller.headers.get("host", "")
        if self.access.trusted_proxy(caller.peer):
            host = caller.headers.get("x-forwarded-host", host).split(",")[0].strip()
        return urlsplit(source).netloc.lower() == host.lower()


async def _read_form(receive: Receive) -> dict[str, str]:
    body = b""
    more = True
    while more and len(body) <= MAX_FORM_BYTES:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    if len(body) > MAX_FORM_BYTES:
        return {}
    parsed = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {k: v[0] for k, v in parsed.items() if v}


async def _respond(send: Send, status: int, body: bytes, headers: list, clear_cookie: bool = False) -> None:
    if clear_cookie:
        headers = [*headers, (b"set-cookie", f"{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax".encode())]
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [*headers, (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _loopback(peer: str | None) -> bool:
    try:
        return peer is not None and ipaddress.ip_address(peer).is_loopback
    except ValueError:
        return False


def gate(access: AccessControl | None) -> list[Middleware]:
    return [Middleware(AccessGate, access=access)] if access is not None else []


def who(services, request):
    """The principal of a Gradio event, checked again on the server for every event; a Swedish error if none."""
    import gradio as gr

    from assistant.errors import StyrdokError

    try:
        return services.principal(request)
    except StyrdokError as error:
        raise gr.Error(str(error), print_exception=False) from None
