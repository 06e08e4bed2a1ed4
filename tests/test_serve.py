"""`oso-tui serve` guards: only loopback without --open, a token on every request, the websocket only from
its own page, nothing from other hosts; and the demo it serves seeds in one go on any "today"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from oso_tui import services
from oso_tui.cli import main
from oso_tui.cli.serve import is_loopback
from oso_tui.services import demo
from oso_tui.services.sessie import open_store
from oso_tui.settings import Settings


def test_only_loopback_addresses_count_as_local() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.1.2.3", "::1", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.10", "::", "school.example"))


@pytest.mark.parametrize("host", ["0.0.0.0", "10.0.0.5", "::"])
def test_another_address_is_refused_without_open(host: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--host", host]) == 2
    err = capsys.readouterr().err
    assert f"Het adres {host} is van buiten deze machine bereikbaar" in err and "--open" in err


def test_the_help_says_who_the_tabs_run_as(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "Elk browsertabblad draait als de gebruiker die de server startte" in out
    assert "SSH-tunnel" in out and "--open" in out


async def test_every_request_needs_the_token_and_the_socket_its_own_page() -> None:
    pytest.importorskip("textual_serve", reason="textual-serve is not installed (oso-tui[web])")
    from aiohttp.test_utils import TestClient, TestServer

    from oso_tui.web.server import GuardedServer

    server = GuardedServer("true", host="127.0.0.1", port=8000, token="geheim")
    server.announce = lambda url: None
    async with TestClient(TestServer(await server._make_app())) as client:
        assert (await client.get("/")).status == 403
        assert (await client.get("/?token=fout")).status == 403
        assert (await client.get("/static/js/textual.js")).status == 403
        page = await client.get("/?token=geheim")
        assert page.status == 200
        html = await page.text()
        assert "googleapis" not in html and "https://" not in html, "nothing from other hosts"
        assert "fonts/RobotoMono" in html
        policy = page.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "font-src 'self'" in policy
        assert page.headers["Referrer-Policy"] == "no-referrer"
        assert (await client.get("/static/js/textual.js")).status == 200, "the cookie carries the token"
        foreign = await client.get("/ws", headers={"Origin": "http://evil.example"})
        assert foreign.status == 403


@pytest.mark.parametrize("today", ["2027-05-25", "2027-02-01", "2026-09-15", "2028-01-10"])
def test_the_demo_seeds_on_any_today(tmp_path: Path, today: str) -> None:
    settings = Settings(
        db_path=tmp_path / "oso-tui.json",
        config_path=tmp_path / "c.toml",
        fixed_today=date.fromisoformat(today),
    )
    store = open_store(settings)
    assert "Demo klaargezet: 15 aanvragen" in demo.seed(store, demo.demo_settings(settings), "tester")
    rows = {r.pgn: r for r in services.list_requests(services.Context(store, settings, "demo"))}
    assert rows[demo.NOOR].stappen == ["personalia"]
    assert rows[demo.THIJS].status == "ingetrokken" and rows[demo.ZOE].status == "mislukt"


def test_a_demo_that_fails_halfway_leaves_the_database_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = demo.demo_settings(
        Settings(db_path=tmp_path / "oso-tui.json", config_path=tmp_path / "c.toml")
    )
    store = open_store(settings)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("stroom uitgevallen")

    with monkeypatch.context() as patch:
        patch.setattr(services, "expire", broken)
        with pytest.raises(RuntimeError):
            demo.seed(store, settings, "tester")
    assert services.list_requests(services.Context(store, settings, "demo")) == []
    assert "Demo klaargezet" in demo.seed(store, settings, "tester"), "the next start seeds as new"


def test_without_textual_serve_it_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "oso_tui.web.server", None)  # as if textual-serve were missing
    assert main(["serve"]) == 2
    assert "installeer oso-tui[web]" in capsys.readouterr().err
