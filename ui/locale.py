"""Swedish everywhere, also in Gradio's own component texts ("Släpp fil här", table controls).

Gradio ships a Swedish translation of its components but picks the language from the
browser's, so an English browser would show "Drop File Here - or - Click to Upload" beside the
app's Swedish. Styrdok's users are Swedish whatever their browser says: the page tells the
frontend that the browser's language is Swedish, in a script that runs before Gradio's own.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SCRIPT = (
    b"<script>(function(){try{var p=Navigator.prototype;"
    b"Object.defineProperty(p,'language',{configurable:true,get:function(){return 'sv-SE'}});"
    b"Object.defineProperty(p,'languages',{configurable:true,get:function(){return ['sv-SE','sv']}});"
    b"}catch(e){}})();</script>"
)


def with_swedish(body: bytes) -> bytes:
    """The page with the language script first in <head> (unchanged if it has no <head>)."""
    head = body.find(b"<head>")
    if head < 0 or SCRIPT in body:
        return body
    at = head + len(b"<head>")
    return body[:at] + SCRIPT + body[at:]


class SwedishPage:
    """ASGI middleware: adds the language script to the HTML pages the app serves (not to API calls)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        parts: list[bytes] = []

        async def rewrite(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = {k.lower(): v for k, v in message.get("headers", [])}
                html = headers.get(b"content-type", b"").startswith(b"text/html")
                if html and b"content-encoding" not in headers:
                    start = message
                    return
            elif message["type"] == "http.response.body" and start is not None:
                parts.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = with_swedish(b"".join(parts))
                headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(body)).encode()))
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        await self.app(scope, receive, rewrite)


def middleware() -> list[Middleware]:
    return [Middleware(SwedishPage)]
