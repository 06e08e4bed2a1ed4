"""Starting the terminal app: `oso-tui` alone, `oso-tui demo`, and `--startuptime`."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from oso_tui.cli.common import Context, add_command
from oso_tui.collector import pause_gc, resume_gc
from oso_tui.settings import DB_FILENAME, Settings


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    add_command(sub, "demo", run_demo)


def process_age() -> float | None:
    """Seconds since this process started (Linux /proc), so start-up cost includes imports."""
    try:
        fields = Path("/proc/self/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        uptime = float(Path("/proc/uptime").read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return max(uptime - started, 0.0)


def _run(settings: Settings, ctx: Context, args: argparse.Namespace, *, demo: bool) -> int:
    """Open the store, start the app; with --startuptime paint once, report and stop.

    The request list is read in a thread from before Textual is imported, so both start together.
    """
    started = time.perf_counter()
    age = process_age()
    pause_gc()
    try:
        return _start(settings, ctx, args, demo=demo, started=started, age=age)
    finally:
        resume_gc()  # not settle_gc: unfreezing on the way out only makes the exit's collection walk it all


def _start(
    settings: Settings,
    ctx: Context,
    args: argparse.Namespace,
    *,
    demo: bool,
    started: float,
    age: float | None,
) -> int:
    from oso_tui.screens.backend import ServiceBackend, demo_exchange, folder_exchange
    from oso_tui.services import rollen
    from oso_tui.services.sessie import open_store

    probe = bool(getattr(args, "startuptime", False))
    store = open_store(settings)
    backend = ServiceBackend(store, settings, ctx.user, demo_exchange if demo else folder_exchange)
    backend.prefetch_requests()
    from oso_tui.app import OsoApp

    app = OsoApp(backend, startup_probe=probe, notice=rollen.melding_zonder_rollen(settings))
    app.run(headless=probe and not sys.stdout.isatty())
    if probe:
        if app.first_paint is None:
            ctx.warn("oso-tui: het eerste scherm is niet getekend.")
            return 1
        since_start = app.first_paint - started + (age or 0.0)
        ctx.warn(f"tijd tot eerste scherm: {since_start:.3f} s (sinds de start van het proces)")
        ctx.warn(f"opslag: {backend.describe_store()}")
    return int(app.return_code or 0)


def run_default(args: argparse.Namespace, ctx: Context) -> int:
    return _run(ctx.settings, ctx, args, demo=False)


def run_demo(args: argparse.Namespace, ctx: Context) -> int:
    """A demo store seeded through the demo exchange; temporary unless --db names one to keep."""
    from oso_tui.services import demo
    from oso_tui.services.sessie import open_store

    keep = ctx.db is not None
    folder = None if keep else Path(tempfile.mkdtemp(prefix="oso-tui-demo-"))
    settings = ctx.settings if folder is None else replace(ctx.settings, db_path=folder / DB_FILENAME)
    settings = demo.demo_settings(replace(settings, inbox=settings.data_dir / "inbox"))
    try:
        ctx.warn(demo.seed(open_store(settings), settings, ctx.user))
        return _run(settings, ctx, args, demo=True)
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            ctx.warn(f"De demo-database blijft bewaard in {settings.db_path}.")
