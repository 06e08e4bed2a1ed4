"""A demo store with two pupils registered in two classes, for the class overview tests."""

from __future__ import annotations

from pathlib import Path

from oso_tui import services
from oso_tui.exchange.demo import DemoExchange
from oso_tui.registration.steps import Plaatsing
from oso_tui.services import demo
from oso_tui.services.sessie import open_store
from oso_tui.settings import Settings
from oso_tui.store import Store

JESSE = "446419448"  # care data, an attachment, no final test
USER = "mentor"


def registered_store(
    tmp_path: Path, roles: dict[str, tuple[str, ...]] | None = None
) -> tuple[Store, Settings]:
    settings = Settings(
        db_path=tmp_path / "oso-tui.json",
        config_path=tmp_path / "config.toml",
        fixed_today=demo.DEMO_TODAY,
        roles=roles or {},
        school_naam="Het Voorbeeldcollege",
    )
    store = open_store(settings)
    demo.seed(store, settings, USER)
    everyone = Settings(
        db_path=settings.db_path, config_path=settings.config_path, fixed_today=demo.DEMO_TODAY
    )
    ctx = services.Context(store, everyone, USER)
    services.fetch(ctx, DemoExchange(settings=everyone), bevestig=True)
    services.register(ctx, pgn=demo.NOOR, stappen=["loopbaan"], accepteer_waarschuwingen=True)
    services.register(
        ctx,
        pgn=JESSE,
        stappen=["personalia", "loopbaan", "begeleiding"],
        plaatsing=Plaatsing(schooljaar="2027-2028", leerjaar=1, opleiding="vmbo", klas="1A"),
        accepteer_waarschuwingen=True,
    )
    return store, settings
