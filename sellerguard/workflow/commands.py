"""``sellerguard draft`` and ``sellerguard report``: the workflow on the command line.

Both read the given export files (or, with none, what the store holds), scan them and either
print the support-report draft or write the incident report. Earlier filings, the checklist
and the evidence log come from the store when one exists; nothing personal is printed.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
import pandas as pd

from sellerguard.errors import SellerGuardError
from sellerguard.i18n import t

if TYPE_CHECKING:
    from sellerguard.store import Store
    from sellerguard.workflow.evidence import ImportedFile

LANG_CHOICE = click.Choice(["ja", "en"])
DAY = click.DateTime(formats=["%Y-%m-%d"])


def _lang(option: str | None) -> str:
    root = click.get_current_context().find_root().params.get("lang")
    return str(option or root or "ja")


@dataclass
class _Sources:
    orders: pd.DataFrame
    store: Store | None
    imports: list[ImportedFile]


def _existing_store() -> Store | None:
    from sellerguard.store import Store, data_dir
    from sellerguard.store.db import DB_NAME

    return Store.open() if (data_dir() / DB_NAME).is_file() else None


def _load(files: tuple[str, ...]) -> _Sources:
    """Scan the given files (the store's records still count), or what the store holds."""
    from sellerguard.store import Store
    from sellerguard.workflow.evidence import ImportedFile, imported_files

    if not files:
        store = Store.open()
        return _Sources(store.scored_orders(), store, imported_files(store))
    from sellerguard.exports import read_exports
    from sellerguard.rules import scan

    paths = [Path(f) for f in files]
    order_set = read_exports(paths)
    imports = [
        ImportedFile(read.name, _sha256(path), read.kind, "")
        for read, path in zip(order_set.reads, paths, strict=True)
    ]
    return _Sources(scan(order_set).orders, _existing_store(), imports)


def _sha256(path: Path) -> str:
    """The file's SHA-256, as the store records it for the files it imports."""
    import hashlib

    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _select(
    orders: pd.DataFrame,
    group_id: str | None,
    order_ids: tuple[str, ...],
    date_from: datetime | None,
    date_to: datetime | None,
) -> pd.DataFrame:
    from sellerguard.workflow.selection import select_orders

    return select_orders(
        orders,
        group_id=group_id,
        order_ids=order_ids or None,
        date_from=date_from.date() if date_from else None,
        date_to=date_to.date() if date_to else None,
    )


def _fail(err: SellerGuardError, lang: str) -> None:
    click.echo(err.message(lang), err=True)
    sys.exit(2)


def _selection_options(func: click.decorators.FC) -> click.decorators.FC:
    func = click.option("--to", "date_to", type=DAY, help="Last purchase day (YYYY-MM-DD).")(func)
    func = click.option("--from", "date_from", type=DAY, help="First purchase day (YYYY-MM-DD).")(
        func
    )
    func = click.option(
        "--order", "order_ids", multiple=True, help="Only these order ids (repeatable)."
    )(func)
    func = click.option("--group", "group_id", help="Only this linked group.")(func)
    return func


@click.command("draft")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--previous-case",
    "previous_cases",
    multiple=True,
    help="An earlier Amazon case id not in the filing log (repeatable).",
)
@click.option("--lang", "lang_option", type=LANG_CHOICE, default=None, help="ja (default) or en.")
@click.option(
    "--max-orders",
    "max_listed",
    type=click.IntRange(min=1),
    default=None,
    help="List at most this many orders in the text (default: all).",
)
@_selection_options
def draft(
    files: tuple[str, ...],
    previous_cases: tuple[str, ...],
    lang_option: str | None,
    max_listed: int | None,
    group_id: str | None,
    order_ids: tuple[str, ...],
    date_from: datetime | None,
    date_to: datetime | None,
) -> None:
    """Print the support-report draft for the flagged orders in FILES (or in the store)."""
    from sellerguard.workflow.checklist import checklist_progress
    from sellerguard.workflow.drafts import draft_support_report
    from sellerguard.workflow.filings import (
        amazon_filings,
        list_filings,
        should_suggest_other_channels,
    )
    from sellerguard.workflow.losses import SETTINGS_KEY, LossAssumptions

    lang = _lang(lang_option)
    store = None
    try:
        sources = _load(files)
        store = sources.store
        text = draft_support_report(
            _select(sources.orders, group_id, order_ids, date_from, date_to),
            checklist=checklist_progress(store) if store else (),
            filings=list_filings(store) if store else (),
            previous_case_ids=previous_cases,
            assumptions=LossAssumptions.from_dict(
                store.get_setting(SETTINGS_KEY) if store else None
            ),
            lang=lang,
            today=date.today(),
            max_listed=max_listed,
        )
    except SellerGuardError as err:
        _fail(err, lang)
        return
    click.echo(text, nl=False)
    logged = list_filings(store) if store else []
    if should_suggest_other_channels(logged):
        click.echo(t("workflow.drafts.escalate", lang, count=len(amazon_filings(logged))), err=True)


@click.command("report")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False), help="Where to write it."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["pdf", "md", "csv", "xlsx", "json"]),
    default=None,
    help="Output format (default: from the extension of --out).",
)
@click.option("--lang", "lang_option", type=LANG_CHOICE, default=None, help="ja (default) or en.")
@click.option(
    "--include-pii",
    is_flag=True,
    default=False,
    help="Include buyer names, street lines and phones (masked by default).",
)
@_selection_options
def report(
    files: tuple[str, ...],
    out: str,
    fmt: str | None,
    lang_option: str | None,
    include_pii: bool,
    group_id: str | None,
    order_ids: tuple[str, ...],
    date_from: datetime | None,
    date_to: datetime | None,
) -> None:
    """Write the incident report for the flagged orders in FILES (or in the store) to OUT."""
    from sellerguard.reports import build_incident_report, format_for_path, write_report
    from sellerguard.workflow.checklist import checklist_progress
    from sellerguard.workflow.evidence import list_evidence
    from sellerguard.workflow.filings import list_filings
    from sellerguard.workflow.losses import SETTINGS_KEY, LossAssumptions

    lang = _lang(lang_option)
    try:
        chosen = fmt or format_for_path(out)
        sources = _load(files)
        store = sources.store
        incident = build_incident_report(
            _select(sources.orders, group_id, order_ids, date_from, date_to),
            checklist=checklist_progress(store) if store else (),
            filings=list_filings(store) if store else (),
            evidence=list_evidence(store) if store else (),
            imports=sources.imports,
            assumptions=LossAssumptions.from_dict(
                store.get_setting(SETTINGS_KEY) if store else None
            ),
            lang=lang,
            include_pii=include_pii,
            today=date.today(),
        )
        written = write_report(incident, out, chosen)
    except SellerGuardError as err:
        _fail(err, lang)
        return
    click.echo(
        t(
            "reports.cli.written",
            lang,
            path=str(written),
            format=chosen,
            orders=incident.order_count,
        )
    )
    if include_pii:
        click.echo(t("reports.pii_note_included", lang), err=True)
