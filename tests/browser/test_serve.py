"""`oso-tui serve --demo` in a real headless Chromium: the request list arrives, keys open a pupil's
step picker and the help, and the page asks nothing of any other host."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("textual_serve", reason="textual-serve is not installed (oso-tui[web])")

ANSI = re.compile(rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-B]|[=>78])")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tab_processes(server: int) -> set[int]:
    """The `oso-tui` processes the server started for its tabs (its children, from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text(encoding="utf-8").rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == server and b"oso_tui.web.tab" in cmdline:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """A running `serve --demo`; yields the URL with its access token, and the server process."""
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "OSO_TUI_CONFIG": str(tmp_path / "geen.toml"),
        "OSO_TUI_TODAY": "2027-05-25",
        "TZ": "Europe/Amsterdam",
    }
    env.pop("NO_COLOR", None)
    (tmp_path / "geen.toml").write_text("", encoding="utf-8")
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "oso_tui", "serve", "--demo", "--port", str(free_port())],
        stdout=subprocess.PIPE,
        stderr=log,
        env=env,
        text=True,
        start_new_session=True,  # the server and the app of each tab in a group of their own
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"http://\S+", line)
        assert match, f"no URL on stdout: {line!r}; {(tmp_path / 'serve.log').read_text(encoding='utf-8')}"
        yield match.group(0), process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


class Terminal:
    """What the server sent the page's terminal, as plain text (the terminal draws on a canvas)."""

    def __init__(self) -> None:
        self.received = bytearray()

    def attach(self, websocket: Any) -> None:
        websocket.on("framereceived", self.frame)

    def frame(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            self.received += payload

    def text(self, since: int = 0) -> str:
        plain = ANSI.sub(b"", bytes(self.received[since:]))
        return plain.decode("utf-8", "replace")

    def wait_for(self, page: Any, *needles: str, since: int = 0, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.text(since)
            if all(needle in text for needle in needles):
                return text
            page.wait_for_timeout(100)
        raise AssertionError(f"{needles} not shown; last text: {self.text(since)[-2000:]!r}")


@pytest.fixture
def served(server: tuple[str, subprocess.Popen[str]]) -> str:
    return server[0]


def test_the_demo_in_a_browser(
    browser: Any, server: tuple[str, subprocess.Popen[str]], artifacts: Path
) -> None:
    served, process = server
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    terminal = Terminal()
    requested: list[str] = []
    page.on("websocket", terminal.attach)
    page.on("request", lambda request: requested.append(request.url))
    page.goto(served)
    page.wait_for_selector("body.-first-byte", timeout=30_000)
    listed = terminal.wait_for(page, "Wijngaarden", "Achterberg", "klaargezet", "opgehaald")
    assert "Status" in listed and "Noor van Wijngaarden" in listed, listed
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / "serve-lijst.png"))
    page.focus(".xterm-helper-textarea")

    mark = len(terminal.received)
    page.keyboard.press("/")
    terminal.wait_for(page, "laatste cijfers PGN", since=mark)
    page.keyboard.type("Wijngaarden", delay=20)
    mark = len(terminal.received)
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    picked = terminal.wait_for(page, "Personalia", "Schoolloopbaan", "Begeleiding", since=mark)
    assert "Aanvraag Noor van Wijngaarden" in picked
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / "serve-stappen.png"))

    mark = len(terminal.received)
    page.keyboard.press("F1")
    terminal.wait_for(page, "Hulp", "Werkwijze", since=mark)
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / "serve-hulp.png"))

    hosts = {re.sub(r"^\w+://([^/]+)/.*$", r"\1", url) for url in requested}
    assert hosts == {served.split("/")[2]}, f"the page asked other hosts: {hosts}"

    tabs = tab_processes(process.pid)
    assert len(tabs) == 1, "one process for the one tab"
    process.send_signal(signal.SIGTERM)  # the server alone, as a dropped SSH session would
    process.wait(timeout=15)
    deadline = time.monotonic() + 15
    while any(alive(pid) for pid in tabs) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in tabs), "no tab runs on without its server"
    page.close()


def test_without_the_token_there_is_nothing_to_see(browser: Any, served: str) -> None:
    page = browser.new_page()
    response = page.goto(served.split("?")[0])
    assert response is not None and response.status == 403
    assert "toegangssleutel" in page.inner_text("body")
    wrong = page.goto(served.split("?")[0] + "?token=fout")
    assert wrong is not None and wrong.status == 403
    page.close()
