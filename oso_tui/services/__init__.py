"""The use cases, one module each, behind this face: the CLI and the app import from here.

    from oso_tui import services
    ctx = services.Context(store, settings, user)
    services.request(ctx, pgn=..., geboortedatum=..., brin=...)
    report = services.fetch(ctx, exchange)
    plan = services.plan(ctx, pgn=..., stap="personalia")
    services.apply(ctx, plan)

Requests: `requesting` (request, request_csv, renew, withdraw), `fetching`, `expiring`, `listing`.
Registration: `planning` (plan a step, the step picker), `applying` (apply, register), `undoing`,
`viewing` (show, history, audit log), `exporting`, `attachments`. Each module holds its result types.
Names are loaded on first use, so a plain start does not import registration or the dossier reader.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from oso_tui.services.applying import (
        LeerlingUitkomst as LeerlingUitkomst,
    )
    from oso_tui.services.applying import (
        Registratie as Registratie,
    )
    from oso_tui.services.applying import (
        apply as apply,
    )
    from oso_tui.services.applying import (
        apply_all as apply_all,
    )
    from oso_tui.services.applying import (
        register as register,
    )
    from oso_tui.services.applying import (
        register_many as register_many,
    )
    from oso_tui.services.attachments import (
        BijlageInfo as BijlageInfo,
    )
    from oso_tui.services.attachments import (
        list_attachments as list_attachments,
    )
    from oso_tui.services.attachments import (
        save_attachments as save_attachments,
    )
    from oso_tui.services.context import (
        Context as Context,
    )
    from oso_tui.services.expiring import (
        Opschoning as Opschoning,
    )
    from oso_tui.services.expiring import (
        expire as expire,
    )
    from oso_tui.services.exporting import (
        Export as Export,
    )
    from oso_tui.services.exporting import (
        export as export,
    )
    from oso_tui.services.fetching import (
        Bevestiging as Bevestiging,
    )
    from oso_tui.services.fetching import (
        FetchRegel as FetchRegel,
    )
    from oso_tui.services.fetching import (
        FetchReport as FetchReport,
    )
    from oso_tui.services.fetching import (
        Progress as Progress,
    )
    from oso_tui.services.fetching import (
        fetch as fetch,
    )
    from oso_tui.services.fetching import (
        update_prepared as update_prepared,
    )
    from oso_tui.services.listing import (
        AanvraagRegel as AanvraagRegel,
    )
    from oso_tui.services.listing import (
        StatusTelling as StatusTelling,
    )
    from oso_tui.services.listing import (
        count_statuses as count_statuses,
    )
    from oso_tui.services.listing import (
        get_request as get_request,
    )
    from oso_tui.services.listing import (
        get_request_row as get_request_row,
    )
    from oso_tui.services.listing import (
        get_version as get_version,
    )
    from oso_tui.services.listing import (
        latest_dossier as latest_dossier,
    )
    from oso_tui.services.listing import (
        list_requests as list_requests,
    )
    from oso_tui.services.listing import (
        list_unmatched as list_unmatched,
    )
    from oso_tui.services.listing import (
        list_versions as list_versions,
    )
    from oso_tui.services.listing import (
        load_dossier as load_dossier,
    )
    from oso_tui.services.planning import (
        DossierInfo as DossierInfo,
    )
    from oso_tui.services.planning import (
        Stappenoverzicht as Stappenoverzicht,
    )
    from oso_tui.services.planning import (
        StapPlan as StapPlan,
    )
    from oso_tui.services.planning import (
        StapStatus as StapStatus,
    )
    from oso_tui.services.planning import (
        plan as plan,
    )
    from oso_tui.services.planning import (
        plan_steps as plan_steps,
    )
    from oso_tui.services.planning import (
        show_steps as show_steps,
    )
    from oso_tui.services.requesting import (
        CsvAanvragen as CsvAanvragen,
    )
    from oso_tui.services.requesting import (
        Hernieuwing as Hernieuwing,
    )
    from oso_tui.services.requesting import (
        Overgeslagen as Overgeslagen,
    )
    from oso_tui.services.requesting import (
        preview_csv as preview_csv,
    )
    from oso_tui.services.requesting import (
        renew as renew,
    )
    from oso_tui.services.requesting import (
        request as request,
    )
    from oso_tui.services.requesting import (
        request_csv as request_csv,
    )
    from oso_tui.services.requesting import (
        withdraw as withdraw,
    )
    from oso_tui.services.requesting import (
        withdraw_many as withdraw_many,
    )
    from oso_tui.services.undoing import (
        Ongedaan as Ongedaan,
    )
    from oso_tui.services.undoing import (
        undo as undo,
    )
    from oso_tui.services.viewing import (
        LeerlingWeergave as LeerlingWeergave,
    )
    from oso_tui.services.viewing import (
        StapWeergave as StapWeergave,
    )
    from oso_tui.services.viewing import (
        Veld as Veld,
    )
    from oso_tui.services.viewing import (
        audit_log as audit_log,
    )
    from oso_tui.services.viewing import (
        get_pupil as get_pupil,
    )
    from oso_tui.services.viewing import (
        history as history,
    )
    from oso_tui.services.viewing import (
        show as show,
    )

_WHERE = {
    "AanvraagRegel": "listing",
    "Bevestiging": "fetching",
    "BijlageInfo": "attachments",
    "Context": "context",
    "CsvAanvragen": "requesting",
    "DossierInfo": "planning",
    "Export": "exporting",
    "FetchRegel": "fetching",
    "FetchReport": "fetching",
    "Hernieuwing": "requesting",
    "LeerlingUitkomst": "applying",
    "LeerlingWeergave": "viewing",
    "Ongedaan": "undoing",
    "Opschoning": "expiring",
    "Overgeslagen": "requesting",
    "Progress": "fetching",
    "Registratie": "applying",
    "StapPlan": "planning",
    "StapStatus": "planning",
    "StapWeergave": "viewing",
    "Stappenoverzicht": "planning",
    "StatusTelling": "listing",
    "Veld": "viewing",
    "apply": "applying",
    "apply_all": "applying",
    "audit_log": "viewing",
    "count_statuses": "listing",
    "expire": "expiring",
    "export": "exporting",
    "fetch": "fetching",
    "get_pupil": "viewing",
    "get_request": "listing",
    "get_request_row": "listing",
    "get_version": "listing",
    "history": "viewing",
    "latest_dossier": "listing",
    "list_attachments": "attachments",
    "list_requests": "listing",
    "list_unmatched": "listing",
    "list_versions": "listing",
    "load_dossier": "listing",
    "plan": "planning",
    "plan_steps": "planning",
    "preview_csv": "requesting",
    "register": "applying",
    "register_many": "applying",
    "renew": "requesting",
    "request": "requesting",
    "request_csv": "requesting",
    "save_attachments": "attachments",
    "show": "viewing",
    "show_steps": "planning",
    "undo": "undoing",
    "update_prepared": "fetching",
    "withdraw": "requesting",
    "withdraw_many": "requesting",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'oso_tui.services' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"oso_tui.services.{module}"), name)
    globals()[name] = value
    return value


__all__ = sorted(_WHERE)
