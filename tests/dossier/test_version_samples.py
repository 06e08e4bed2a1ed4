"""The fictional dossiers of every version (sample_dossiers/versies/) read, check, fetch and register.

They are written per that version's official schema and rules: the conformance part checks that with
the official XSD and stylesheets in ../shared (skipping, with the reason, where those are absent).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from lxml import etree

from oso_tui import services
from oso_tui.cli import main
from oso_tui.dossier import read_dossier
from oso_tui.exchange.folder import FolderExchange
from oso_tui.settings import Settings
from oso_tui.store import Store
from tests.aanvraag_helpers import settings_for
from tests.dossier.conftest import official_examples, official_folder, skip_reason

REPO = Path(__file__).resolve().parents[2]
FOLDER = REPO / "sample_dossiers" / "versies"
SAMPLES = sorted(FOLDER.glob("*.xml"))
OV = [p for p in SAMPLES if p.stem.endswith("_ov")]
PAO = [p for p in SAMPLES if p.stem.endswith("_pao")]


def version_of(path: Path) -> str:
    return path.name[:6].replace("_", ".")


def test_every_version_has_an_ov_and_a_pao_dossier() -> None:
    versions = {version_of(p) for p in SAMPLES}
    assert versions == {"2016.1", "2017.1", "2018.1", "2019.1"}
    assert len(OV) == len(PAO) == 4


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_is_valid_for_its_official_schema(path: Path) -> None:
    xsd = official_folder(version_of(path)) / "OSO_gegevensset.xsd"
    if not xsd.is_file():
        pytest.skip(skip_reason(version_of(path)))
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    assert schema.validate(etree.parse(str(path))), schema.error_log


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_reads_by_its_own_version_without_faults(path: Path) -> None:
    result = read_dossier(path)
    assert result.version == version_of(path)
    assert result.faults == []
    assert result.dossier is not None
    if path in PAO:
        (block,) = result.errors
        assert block.severity == "blokkade" and "samenwerkingsverband" in block.message
    else:
        assert result.ok and result.findings == []


def test_check_exits_zero_for_every_version_and_official_example(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", *map(str, SAMPLES), *map(str, official_examples())])
    out = capsys.readouterr().out
    assert code == 0, out
    for path in PAO:
        version = version_of(path)
        if version == "2016.1":  # no PaO yet: its lists 16 and 29 do not know POSWV and swv-dossier
            head = f"{path}: OK (versie {version}, 2 waarschuwingen); kan niet geregistreerd worden"
        else:
            head = f"{path}: OK (versie {version}); kan niet geregistreerd worden"
        assert head in out


def _fetch_one(tmp_path: Path, path: Path) -> tuple[services.Context, Settings, services.FetchReport]:
    result = read_dossier(path)
    assert result.dossier is not None
    d = result.dossier
    settings = settings_for(tmp_path, d.metadata.datum + timedelta(days=14))
    ctx = services.Context(Store.open(settings.db_path), settings, "jan")
    settings.inbox_dir.mkdir()
    if d.leerling.pgn:
        assert d.leerling.geboortedatum is not None
        services.request(
            ctx,
            pgn=d.leerling.pgn,
            geboortedatum=d.leerling.geboortedatum,
            brin=d.school.brin,
        )
    (settings.inbox_dir / path.name).write_bytes(path.read_bytes())
    return ctx, settings, services.fetch(ctx, FolderExchange(settings.inbox_dir))


@pytest.mark.parametrize("path", OV, ids=lambda p: p.name)
def test_ov_dossier_of_every_version_fetches_and_registers_all_three_steps(
    tmp_path: Path, path: Path
) -> None:
    ctx, _settings, report = _fetch_one(tmp_path, path)
    assert [r.uitkomst for r in report.regels] == ["opgehaald"], report
    d = read_dossier(path).dossier
    assert d is not None and d.leerling.pgn
    plan = services.plan(ctx, pgn=d.leerling.pgn, stap="personalia", verantwoording=True)
    niet = {n.pad: n for n in plan.niet_overgenomen}
    assert (
        niet["metadata/pakketnaam"].reden and niet["metadata/pakketnaam"].waarde == "Leerlingpakket Fictief"
    )
    plain = services.plan(ctx, pgn=d.leerling.pgn, stap="personalia")
    assert plain.niet_overgenomen == [], "registering does not pay for the accounting"
    assert plain.regels == plan.regels
    results = services.register(
        ctx,
        pgn=d.leerling.pgn,
        stappen=["personalia", "loopbaan", "begeleiding"],
        accepteer_waarschuwingen=True,
    )
    assert [r.stap for r in results] == ["personalia", "loopbaan", "begeleiding"]
    gegevens = services.list_requests(ctx)[0]
    assert gegevens.stappen == ["personalia", "loopbaan", "begeleiding"]
    view = services.show(ctx, pgn=d.leerling.pgn)
    paden = {v.pad for stap in view.stappen for v in stap.velden}
    assert "personalia.achternaam" in paden and "loopbaan.advies.advies" in paden
    assert any(p.startswith("begeleiding.diagnoses") for p in paden)
    assert any(p.startswith("begeleiding.handelingsplannen") for p in paden)
    assert "begeleiding.opp.ingangsdatum" in paden
    if version_of(path) < "2019.1":  # the old care block under today's names
        for lijst in (
            "lgf",
            "opdc",
            "onderwijsbelemmeringen",
            "sterke_punten",
            "begeleidingen",
            "arrangementen",
        ):
            assert any(p.startswith(f"begeleiding.{lijst}") for p in paden), lijst
        assert "begeleiding.intern_begeleider" in paden


@pytest.mark.parametrize("path", PAO, ids=lambda p: p.name)
def test_pao_dossier_is_put_aside_with_its_reason(tmp_path: Path, path: Path) -> None:
    _ctx, settings, _report = _fetch_one(tmp_path, path)
    rejected = settings.inbox_dir / "rejected"
    assert (rejected / path.name).is_file()
    reden = (rejected / (path.name + ".reden.txt")).read_text(encoding="utf-8")
    assert "samenwerkingsverband" in reden and "niet voor een school bedoeld" in reden


def test_dates_of_the_samples_fit_their_versions() -> None:
    for path in OV:
        d = read_dossier(path).dossier
        assert d is not None
        year = int(version_of(path)[:4])
        assert d.metadata.datum >= date(year, 1, 1)
