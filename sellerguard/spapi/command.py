"""``sellerguard pull``: pull orders from the SP-API into a folder and the store."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sellerguard.errors import SellerGuardError


def _lang() -> str:
    return str(click.get_current_context().find_root().params.get("lang") or "ja")


@click.command(help="Pull orders from Amazon's SP-API into DIR and the store.")
@click.option(
    "--since",
    default=None,
    help="Start (YYYY-MM-DD in Japan time, or ISO 8601). Default: where the last pull ended.",
)
@click.option(
    "--until",
    default=None,
    help="End, inclusive day (YYYY-MM-DD) or ISO 8601 time. Default: now.",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, writable=True, path_type=Path),
    help="Folder for the report files, written exactly as Amazon sends them.",
)
@click.option(
    "--home",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Data folder of the store (default: $SELLERGUARD_HOME or ~/.sellerguard).",
)
@click.option("--quiet", is_flag=True, help="Print only the summary, not each step.")
def pull(since: str | None, until: str | None, out: Path, home: Path | None, quiet: bool) -> None:
    """Pull, write each report as the file a seller would download, import, print a summary.

    Credentials come from ``.streamlit/secrets.toml`` ``[sp_api]`` or the environment; the
    summary holds counts, dates and file names only (no buyer data, no secrets).
    """
    # Imported here so that other commands do not pay for loading the SP-API library.
    from sellerguard.spapi.client import SpApiClient
    from sellerguard.spapi.credentials import load_credentials
    from sellerguard.spapi.pull import Progress, parse_moment, pull_orders
    from sellerguard.store import Store

    lang = _lang()

    def show(step: Progress) -> None:
        if not quiet:
            click.echo(step.message(lang), err=True)

    try:
        start = parse_moment(since) if since else None
        end = parse_moment(until, end_of_day=True) if until else None
        credentials = load_credentials()
        store = Store.open(home)
        with SpApiClient(credentials) as client:
            result = pull_orders(client, out, since=start, until=end, store=store, progress=show)
        for line in result.summary_lines(lang):
            click.echo(line)
        if result.error is not None:
            raise result.error
        if result.outcome == "cancelled":
            sys.exit(130)  # interrupted (Ctrl-C); the complete windows are kept
    except SellerGuardError as err:
        click.echo(err.message(lang), err=True)
        sys.exit(2)
