"""What a school server admin expects of the package: a clean wheel, a site-wide config under the user's
own, `config show`/`config check`, shell completion and a man page from the one parser, and the
notice about roles once per user rather than on every command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from oso_tui.cli import main
from oso_tui.services import rollen
from oso_tui.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def two_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    site = tmp_path / "etc" / "config.toml"
    site.parent.mkdir()
    site.write_text(
        '[school]\nregio = "noord"\n[opslag]\ngroep = "staf"\nmax_dossier_mb = 5\n'
        '[rollen]\nsecretariaat = ["administratie"]\nib = ["zorg"]\n',
        encoding="utf-8",
    )
    own = tmp_path / "eigen.toml"
    own.write_text(
        '[school]\nregio = "zuid"\n[rollen]\nsecretariaat = ["zorg", "beheer"]\n', encoding="utf-8"
    )
    monkeypatch.setenv("OSO_TUI_SITE_CONFIG", str(site))
    monkeypatch.setenv("OSO_TUI_CONFIG", str(own))
    monkeypatch.setenv("OSO_TUI_DB", str(tmp_path / "db.json"))
    return site, own


def test_the_users_file_goes_over_the_site_file_but_cannot_widen_its_roles(
    two_files: tuple[Path, Path],
) -> None:
    site, own = two_files
    settings = Settings.load()
    assert settings.region == "zuid", "the user's own value wins"
    assert settings.group == "staf" and settings.max_dossier_bytes == 5 * 1024 * 1024, (
        "the rest from the site"
    )
    assert settings.roles == {"secretariaat": ("administratie",), "ib": ("zorg",)}
    assert settings.origins["school.regio"] == str(own)
    assert settings.origins["opslag.groep"] == str(site)
    assert settings.origins["rollen"] == str(site)
    assert settings.origins["opslag.database"] == "omgeving OSO_TUI_DB"


def test_a_site_file_is_found_in_the_system_config_folders(tmp_path: Path) -> None:
    xdg = tmp_path / "xdg"
    (xdg / "oso-tui").mkdir(parents=True)
    (xdg / "oso-tui" / "config.toml").write_text('[school]\nregio = "noord"\n', encoding="utf-8")
    settings = Settings.load(db=str(tmp_path / "db.json"), env={"XDG_CONFIG_DIRS": f"/nergens:{xdg}"})
    assert settings.region == "noord"
    assert settings.site_config_path == xdg / "oso-tui" / "config.toml"


def test_a_bad_value_in_the_site_file_names_that_file(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text('[school]\nregio = "oost"\n', encoding="utf-8")
    env = {"OSO_TUI_SITE_CONFIG": str(site), "OSO_TUI_CONFIG": str(tmp_path / "geen.toml")}
    with pytest.raises(Exception, match=rf"Regio 'oost' in {site}"):
        Settings.load(db=str(tmp_path / "db.json"), env={**env, "OSO_TUI_CONFIG": ""})


def test_config_show_says_where_each_value_came_from(
    two_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    site, own = two_files
    code, out, _ = run(capsys, "config", "show")
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "zuid" in lines["school.regio"] and f"[{own}]" in lines["school.regio"]
    assert "staf" in lines["opslag.groep"] and f"[{site}]" in lines["opslag.groep"]
    assert "administratie" in lines["rollen.secretariaat"] and f"[{site}]" in lines["rollen.secretariaat"]
    assert "[standaard]" in lines["opslag.inbox"]


def test_config_check_names_every_problem_in_dutch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "goed.toml"
    good.write_text('[school]\nregio = "midden"\n[rollen]\nib = ["zorg"]\n', encoding="utf-8")
    assert run(capsys, "config", "check", str(good))[:2] == (0, f"{good}: in orde.\n")

    bad = tmp_path / "fout.toml"
    bad.write_text(
        '[school]\nregio = "oost"\nzomervakantie_grens = "morgen"\n'
        '[school.zomervakanties]\n"2027-2028" = ["2028-07-15", "2028-06-01"]\n"2027" = []\n'
        "[opslag]\nmax_dossier_mb = -1\nkleur = 1\n"
        '[rollen]\nib = ["zorg", "directeur"]\n[extra]\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "config", "check", str(bad))
    assert code == 1
    assert "school.regio 'oost' is onbekend" in out
    assert "zomervakantie_grens 'morgen' is geen geldige datum" in out
    assert "max_dossier_mb moet een positief getal zijn" in out
    assert "De zomervakantie van 2027-2028 moet in de zomer van 2028 liggen" in out
    assert "Schooljaar '2027' onder [school.zomervakanties] moet de vorm 2027-2028 hebben" in out
    assert "de rol 'directeur' is onbekend" in out
    assert "waarschuwing: opslag.kleur is onbekend" in out and "waarschuwing: [extra] is onbekend" in out

    broken = tmp_path / "kapot.toml"
    broken.write_text("[school\n", encoding="utf-8")
    code, out, _ = run(capsys, "config", "check", str(broken))
    assert code == 1 and "geen geldige TOML" in out
    code, _, err = run(capsys, "config", "check", str(tmp_path / "weg.toml"))
    assert code == 2 and "bestaat niet" in err


def complete_in_bash(script: str, words: list[str]) -> list[str]:
    """Ask the generated bash function what it offers after `words` (the last one is being typed)."""
    program = (
        f"{script}\nCOMP_WORDS=({' '.join(repr(w) for w in words)})\nCOMP_CWORD={len(words) - 1}\n"
        '_oso_tui\nprintf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run(["bash", "-c", program], capture_output=True, text=True, check=True)
    return result.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completion_offers_commands_options_and_choices(capsys: pytest.CaptureFixture[str]) -> None:
    code, script, _ = run(capsys, "completion", "bash")
    assert code == 0
    commands = set(complete_in_bash(script, ["oso-tui", ""]))
    assert {"register", "request", "config", "serve", "overzicht"} <= commands
    assert complete_in_bash(script, ["oso-tui", "reg"]) == ["register"]
    assert {"--stap", "--step"} <= set(complete_in_bash(script, ["oso-tui", "register", "--"]))
    offered = complete_in_bash(script, ["oso-tui", "register", "--stap", ""])
    assert offered == ["personalia", "loopbaan", "begeleiding", "alle", "all"]
    assert "--pgn" in complete_in_bash(script, ["oso-tui", "show", "--"])
    assert "--pgn" not in complete_in_bash(script, ["oso-tui", "config", "show", "--"]), "config's own show"
    assert complete_in_bash(script, ["oso-tui", "--db", "x.json", "config", ""]) == [
        "show",
        "check",
        "-h",
        "--help",
    ]


def test_zsh_and_fish_completion_come_from_the_same_parser(capsys: pytest.CaptureFixture[str]) -> None:
    _, zsh, _ = run(capsys, "completion", "zsh")
    assert zsh.startswith("#compdef oso-tui") and "complete -o default -F _oso_tui oso-tui" in zsh
    _, fish, _ = run(capsys, "completion", "fish")
    assert "complete -c oso-tui -n '__fish_seen_subcommand_from register' -l stap -l step -xa " in fish
    assert "-a config" in fish and "-a overzicht" in fish
    if shutil.which("fish"):
        subprocess.run(["fish", "--no-execute", "-c", fish], check=True)


def test_the_man_page_lists_every_command_and_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, page, _ = run(capsys, "man")
    assert code == 0 and page.startswith(".TH OSO\\-TUI 1 ")
    for command in ("check", "request", "register", "serve", "overzicht", "config show", "completion"):
        assert f".SS {command}" in page
    assert "\\fB\\-\\-stap\\fR" in page and "OSO_TUI_SITE_CONFIG" in page
    if shutil.which("man"):
        result = subprocess.run(["man", "-l", "-"], input=page, capture_output=True, text=True, check=False)
        assert result.returncode == 0 and "OPDRACHTEN" in result.stdout


def test_the_roles_notice_comes_once_per_user_and_always_from_doctor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OSO_TUI_DB", str(tmp_path / "db.json"))
    monkeypatch.setenv("OSO_TUI_CONFIG", str(tmp_path / "leeg.toml"))
    (tmp_path / "leeg.toml").write_text("", encoding="utf-8")
    monkeypatch.setattr(rollen, "_announced", False)
    assert "geen rollen ingesteld" in run(capsys, "history", "--pgn", "377855017")[2]
    monkeypatch.setattr(rollen, "_announced", False)  # a new process, the same user
    assert "geen rollen ingesteld" not in run(capsys, "history", "--pgn", "377855017")[2]
    _, out, _ = run(capsys, "doctor")
    assert "geen rollen ingesteld" in out


def test_the_wheel_ships_what_the_product_needs_and_runs_from_anywhere(tmp_path: Path) -> None:
    pytest.importorskip("hatchling", reason="building the wheel needs hatchling (the test extra)")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("oso_tui-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert not [n for n in names if "invalid" in n], "no broken or hostile sample files"
    assert "oso_tui/_sample_dossiers/manifest.json" in names
    assert "oso_tui/_sample_dossiers/inschrijvingen.csv" in names
    assert "oso_tui/data/adviescodes.toml" in names and "oso_tui/app.tcss" in names
    assert "oso_tui/dossier/schemas/v2019_1.json" in names
    assert any(n.endswith("licenses/LICENSE") for n in names)
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/"))]

    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = (
        "import oso_tui, oso_tui.exchange.demo as d, oso_tui.dossier.codes as c\n"
        "import oso_tui.exchange.expiry as e, oso_tui.dossier.schema as s\n"
        "print(oso_tui.__version__)\n"
        "print(d.sample_folder())\n"
        "print(c.advies_codes().label('40') != '40', bool(e.vacation_table()['noord']))\n"
        "print(all(s.tables(v).complex for v in ('2016.1', '2017.1', '2018.1', '2019.1')))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target), "PYTHONSAFEPATH": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    import tomllib

    assert (
        out[0] == tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    )
    assert out[1] == str(target / "oso_tui" / "_sample_dossiers")
    assert out[2] == "True True"
    assert out[3] == "True", "every version's structure loads from the installed data files"


def test_config_output_spells_out_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = tmp_path / "rollen.toml"
    hostile.write_text('[rollen]\n"ib\\u001b[2J" = ["zorg\\u202e"]\n', encoding="utf-8")
    code, out, _ = run(capsys, "config", "check", str(hostile))
    assert code == 1 and "\x1b" not in out and "\u202e" not in out
    assert "\\x1b[2J" in out and "<U+202E>" in out
