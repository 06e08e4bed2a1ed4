"""textual-serve with the guards a school server needs.

Every browser tab starts its own `oso-tui` process as the user who runs the server, so whoever reaches
the page works with that user's rights and is that user in the audit log. Hence:

- a random access token in the URL, checked with every request (and then kept in a same-site cookie, so
  the page's own requests carry it); other users on the same server can reach 127.0.0.1 too;
- the websocket only from a page of this server (its Origin must be this host), so no other web site
  open in the same browser can drive the app;
- a Content-Security-Policy that allows nothing from other hosts, and the font served from the package
  instead of a font service; no Referer, so the token never leaves the page.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import secrets
import signal
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

TOKEN_PARAM = "token"
COOKIE = "oso_tui_toegang"
TEMPLATES = Path(__file__).resolve().parent

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def new_token() -> str:
    return secrets.token_urlsafe(24)


class GuardedServer(Server):
    """A textual-serve server that asks for the access token and serves only its own page's assets."""

    def __init__(self, command: str, *, host: str, port: int, token: str, title: str = "oso-tui") -> None:
        super().__init__(command, host=host, port=port, title=title, templates_path=TEMPLATES)
        self.token = token
        self.announce: Callable[[str], None] = print

    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/?{TOKEN_PARAM}={self.token}"

    def _allowed(self, request: web.Request) -> bool:
        given = request.query.get(TOKEN_PARAM) or request.cookies.get(COOKIE) or ""
        return hmac.compare_digest(given.encode(), self.token.encode())

    @web.middleware
    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not self._allowed(request):
            return web.Response(
                status=403,
                text="Geen toegang: open de volledige link met de toegangssleutel van oso-tui serve.\n",
            )
        if request.path == "/ws":
            origin = request.headers.get("Origin")
            if origin is not None and urlsplit(origin).netloc != request.host:
                return web.Response(status=403, text="Geen toegang vanaf een andere site.\n")
        response = await handler(request)
        if request.query.get(TOKEN_PARAM):
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict", path="/")
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            f"font-src 'self'; img-src 'self' data:; connect-src 'self' ws://{request.host} "
            f"wss://{request.host}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
        )
        return response

    def serve(self, debug: bool = False) -> None:
        """Serve until Ctrl+C or SIGTERM; open tabs get two seconds, then their processes end with us
        (`oso_tui.web.tab`), instead of aiohttp's minute of waiting for every websocket."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for stop in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(stop, self.request_exit)
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            handle_signals=False,
            loop=loop,
            print=lambda *args: None,
            shutdown_timeout=2.0,
        )

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self.guard)
        return app

    async def on_startup(self, app: web.Application) -> None:
        self.announce(self.url())

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page, with addresses relative to the host the browser used (an SSH tunnel may map
        another local port onto this one)."""
        scheme = "wss" if request.secure else "ws"
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{scheme}://{request.host}/ws",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title},
        }
