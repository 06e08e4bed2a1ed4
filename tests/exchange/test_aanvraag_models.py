"""The status machine of a request: every allowed change is kept with its date, others are refused."""

from __future__ import annotations

from datetime import date

import pytest

from oso_tui.errors import RefusedError
from oso_tui.exchange.models import STATUSES, TRANSITIONS, Aanvraag, Status, new_aanvraag

DAY = date(2026, 3, 2)


def _aanvraag(status: Status = "aangevraagd") -> Aanvraag:
    base = new_aanvraag(id="a1", pgn="123456782", geboortedatum=date(2013, 5, 1), brin="12AB", datum=DAY)
    return base.model_copy(update={"status": status})


@pytest.mark.parametrize("van", STATUSES)
@pytest.mark.parametrize("naar", STATUSES)
def test_every_transition_is_allowed_or_refused(van: Status, naar: Status) -> None:
    aanvraag = _aanvraag(van)
    if naar in TRANSITIONS[van]:
        changed = aanvraag.with_status(naar, datum=date(2026, 4, 1), door="jan", reden="omdat")
        assert changed.status == naar
        last = changed.statushistorie[-1]
        assert (last.van, last.naar, last.datum, last.door, last.reden) == (
            van,
            naar,
            date(2026, 4, 1),
            "jan",
            "omdat",
        )
        assert len(changed.statushistorie) == len(aanvraag.statushistorie) + 1
    else:
        with pytest.raises(RefusedError, match="kan niet naar"):
            aanvraag.with_status(naar, datum=DAY)


def test_new_request_starts_waiting_with_its_creation_in_history() -> None:
    aanvraag = _aanvraag()
    assert aanvraag.status == "aangevraagd"
    assert aanvraag.is_waiting and aanvraag.is_open
    assert [(w.van, w.naar, w.datum) for w in aanvraag.statushistorie] == [(None, "aangevraagd", DAY)]
    assert aanvraag.school == "12AB00"


def test_the_march_may_life_of_a_request_is_kept_in_order() -> None:
    aanvraag = _aanvraag()
    for status, day in (
        ("klaargezet", date(2026, 3, 5)),
        ("opgehaald", date(2026, 3, 6)),
        ("aangevraagd", date(2026, 5, 10)),
        ("opgehaald", date(2026, 5, 20)),
        ("ingetrokken", date(2026, 6, 1)),
    ):
        aanvraag = aanvraag.with_status(status, datum=day)  # type: ignore[arg-type]
    assert [w.naar for w in aanvraag.statushistorie] == [
        "aangevraagd",
        "klaargezet",
        "opgehaald",
        "aangevraagd",
        "opgehaald",
        "ingetrokken",
    ]
    assert not aanvraag.is_open
    assert aanvraag.model_validate_json(aanvraag.model_dump_json()) == aanvraag
