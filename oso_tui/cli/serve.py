"""`oso-tui serve [--demo] [--port N]`: the terminal app in a browser, for demos.

Each browser tab runs its own `oso-tui` as the user who started the server: roles and the audit log
cannot tell the people in front of the tabs apart. So the server listens on 127.0.0.1 only (reach it
over an SSH tunnel), asks for a random access token in the URL, and refuses any other address unless
`--open` says so explicitly.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from oso_tui.cli.common import Context, add_command
from oso_tui.errors import UsageError
from oso_tui.settings import DB_FILENAME

SECURITY_NOTE = (
    "Elk browsertabblad draait als de gebruiker die de server startte: rollen en het auditlog kunnen "
    "de mensen achter de tabbladen niet uit elkaar houden. Gebruik dit voor demo's, via een SSH-tunnel "
    "(ssh -L 8000:127.0.0.1:8000 server), en deel de link met de toegangssleutel met niemand."
)


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(sub, "serve", run_serve)
    parser.description = (
        "Toon de app in een webbrowser (textual-serve), voor demo's. " + SECURITY_NOTE + " De link met "
        "de sleutel staat op stdout."
    )
    parser.add_argument("--demo", action="store_true", help="op een verse demo-database (zoals oso-tui demo)")
    parser.add_argument("--port", type=int, default=8000, metavar="N", help="poort (standaard 8000)")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="ADRES",
        help="adres om op te luisteren (standaard 127.0.0.1); een ander alleen met --open",
    )
    parser.add_argument(
        "--open",
        action="store_true",
        help="sta een adres toe dat van buitenaf bereikbaar is (iedereen met de link werkt als u)",
    )


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_command(args: argparse.Namespace, ctx: Context, db: Path | None) -> str:
    """The command each browser tab runs: this Python, this package, the same database and config;
    `exec`, so the tab is the server's own child and ends with it (`oso_tui.web.tab`)."""
    argv = [sys.executable, "-m", "oso_tui.web.tab"]
    if args.demo:
        argv += ["demo"]
    if db is not None:
        argv += ["--db", str(db)]
    if ctx.config is not None:
        argv += ["--config", ctx.config]
    return "exec " + shlex.join(argv)


def run_serve(args: argparse.Namespace, ctx: Context) -> int:
    if not 0 < args.port < 65536:
        raise UsageError(f"Poort {args.port} bestaat niet; kies een getal van 1 tot 65535.")
    if not is_loopback(args.host) and not args.open:
        raise UsageError(
            f"Het adres {args.host} is van buiten deze machine bereikbaar en iedereen die de app daar "
            "opent, werkt als u; gebruik 127.0.0.1 met een SSH-tunnel, of zeg het uitdrukkelijk met --open."
        )
    try:
        from oso_tui.web.server import GuardedServer, new_token
        from oso_tui.web.tab import SERVER_PID
    except ImportError:
        raise UsageError(
            "oso-tui serve heeft textual-serve nodig: installeer oso-tui[web] "
            "(bijvoorbeeld pipx install 'oso-tui[web]')."
        ) from None

    os.environ[SERVER_PID] = str(os.getpid())  # inherited by every tab
    folder = Path(tempfile.mkdtemp(prefix="oso-tui-serve-")) if args.demo and ctx.db is None else None
    try:
        db = _prepare_demo(ctx, folder) if args.demo else (Path(ctx.db) if ctx.db else None)
        server = GuardedServer(app_command(args, ctx, db), host=args.host, port=args.port, token=new_token())

        def announce(url: str) -> None:
            ctx.warn(f"oso-tui serve: {SECURITY_NOTE}")
            ctx.say(f"Open in de browser: {url}")
            ctx.out.flush()

        server.announce = announce
        server.serve()
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


def _prepare_demo(ctx: Context, folder: Path | None) -> Path:
    """One demo database for every tab, seeded once before the first tab opens."""
    from oso_tui.services import demo
    from oso_tui.services.sessie import open_store

    settings = ctx.settings if folder is None else replace(ctx.settings, db_path=folder / DB_FILENAME)
    settings = demo.demo_settings(replace(settings, inbox=settings.data_dir / "inbox"))
    ctx.warn(demo.seed(open_store(settings), settings, ctx.user))
    return settings.db_path
