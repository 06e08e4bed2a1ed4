"""The class overview printed to PDF by a real headless Chromium: A4, one class per page, the text a
mentor reads; the first page is kept as a PNG for review."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from oso_tui import services
from oso_tui.services import overzicht
from tests.browser.conftest import chromium_path
from tests.overzicht_helpers import USER, registered_store

A4_POINTS = (595, 842)


def pdf_pages(pdf: Path) -> list[str]:
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils (pdftotext, pdfinfo) is not installed")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    width, _, height = fields["Page size"].split()[:3]
    assert (round(float(width)), round(float(height))) == A4_POINTS, fields["Page size"]
    count = int(fields["Pages"])
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def check_pages(pages: list[str]) -> None:
    assert len(pages) == 2, "one page per class"
    assert "Het Voorbeeldcollege" in pages[0] and "Klas 1A" in pages[0] and "25-05-2027" in pages[0]
    assert "Jesse Timmerman" in pages[0] and "Dyslexie" in pages[0] and "opp_jesse.zip" in pages[0]
    assert "Noor van Wijngaarden" not in pages[0]
    assert "Klas 1B" in pages[1] and "Noor van Wijngaarden" in pages[1]
    assert "IEP Doorstroomtoets" in pages[1] and "Nederlandse taal: 2F" in pages[1]
    assert "pagina 2 van 2" in pages[1]


def test_the_overview_prints_one_class_per_a4_page(browser: Any, tmp_path: Path, artifacts: Path) -> None:
    store, settings = registered_store(tmp_path)
    page_html = overzicht.naar_html(overzicht.maak_overzicht(services.Context(store, settings, USER)))
    source = tmp_path / "overzicht.html"
    source.write_text(page_html, encoding="utf-8")
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(source.as_uri())
    pdf = tmp_path / "overzicht.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    page.close()
    assert requested == [source.as_uri()], "the page is self-contained"
    check_pages(pdf_pages(pdf))
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(artifacts / "overzicht-pagina-1"),
            ],
            check=True,
        )
        assert (artifacts / "overzicht-pagina-1.png").stat().st_size > 10_000


def test_the_command_prints_the_same_through_headless_chromium(tmp_path: Path) -> None:
    if chromium_path() is None:
        pytest.skip("no Chromium found (apt-get install chromium, or set OSO_TUI_CHROMIUM)")
    store, settings = registered_store(tmp_path)
    pdf = tmp_path / "overzicht.pdf"
    overzicht.html_naar_pdf(
        overzicht.naar_html(overzicht.maak_overzicht(services.Context(store, settings, USER))), pdf
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    check_pages(pdf_pages(pdf))
