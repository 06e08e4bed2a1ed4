"""F1: the keys and the March/May workflow in a few lines."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP_TEXT = """\
# Hulp

**Werkwijze.** Vraag het dossier aan (`n`, of `c` voor een CSV met inschrijvingen). Zet de
basisschool het klaar, haal het op (`h`). Open de aanvraag (`Enter`) en registreer de stappen:

1. **Personalia en plaatsing** in maart: dan weet u wie er komt.
2. **Schoolloopbaan**: het dossier van maart heeft al de uitslag van de doorstroomtoets en het
   definitieve advies. Wordt het advies later bijgesteld (alleen naar boven), vernieuw dan de
   aanvraag (`v`) en haal de nieuwe versie op; die hoort bij dezelfde aanvraag en leerling.
3. **Begeleiding** (alleen rol zorg): ondersteuning, diagnoses, verzuim, bijlagen.

Elke stap toont eerst de verschillen. *Aanvullen* vult alleen lege velden; *overschrijven*
vervangt ook gewijzigde waarden. Per veld kunt u kiezen; `u` maakt de laatste stap ongedaan.
Na de zomervakantie verlopen wachtende aanvragen: vernieuw ze.

| Toets | Lijst van aanvragen |
|---|---|
| `Enter` | aanvraag openen (stappen) |
| `spatie` / `a` | selecteren / alles selecteren |
| `/` / `f` / `Esc` | zoeken / status filteren / filter wissen |
| `Esc` tijdens ophalen of registreren | afbreken (niets half opgeslagen) |
| `o` / `O` | sorteerkolom wisselen / omkeren |
| `n` / `c` | nieuwe aanvraag / collectief uit CSV |
| `h` | ophalen: eerst de inbox-map zien, en voor deze sessie een andere kiezen |
| `v` / `i` | vernieuwen / intrekken |
| `r` | stap registreren voor de selectie |
| `w` | werklijst: alleen leerlingen met werk (aantal in de kop) |
| `p` | klassenoverzicht om af te drukken (HTML, en PDF als Chromium er is) naast de database |

Kolom **Stap**: `P`, `L`, `B` = personalia, loopbaan, begeleiding geregistreerd; `·` = nog niet
geregistreerd; `*` achter een letter = er wacht een nieuwere dossierversie voor die stap.

| Toets | Elders |
|---|---|
| `Enter` / `spatie` | stap openen / stap kiezen (stappen) |
| `u` / `l` / `d` | ongedaan maken / leerling / dossierversies |
| `m` / `spatie` / `t` | modus / veld aan-uit / toepassen (verschillen) |
| `Esc` | terug |
| `ctrl+p` | opdrachten zoeken |
| `F1` of `?` / `ctrl+q` | hulp / stoppen |

Pijltjes of PgUp/PgDn scrollen deze hulp; `Esc` sluit haar.
"""


class HelpScreen(ModalScreen[None]):
    """Keys and workflow; Escape or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q,question_mark", "close", "Sluiten", id="hulp.sluiten"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="hulp", classes="dialoog breed"):
            yield Markdown(HELP_TEXT)

    def on_mount(self) -> None:
        self.query_one("#hulp").focus()

    def action_close(self) -> None:
        self.dismiss(None)
