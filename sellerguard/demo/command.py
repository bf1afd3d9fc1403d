"""``sellerguard demo``: write the labelled demo dataset and say what was written."""

from __future__ import annotations

import sys
from datetime import date, datetime

import click

from sellerguard.demo.generator import ERA_CHOICES, generate_demo
from sellerguard.errors import SellerGuardError
from sellerguard.i18n import t


def _lang() -> str:
    return str(click.get_current_context().find_root().params.get("lang") or "ja")


@click.command(help="Write a demo set of order exports with planted, labelled harassment orders.")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, writable=True),
    help="Folder to write into (one sub-folder per era).",
)
@click.option("--orders", type=int, default=3000, show_default=True, help="Distinct orders.")
@click.option("--seed", type=int, default=7, show_default=True, help="Random seed.")
@click.option("--era", type=click.Choice(list(ERA_CHOICES)), default="both", show_default=True)
@click.option(
    "--end",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Last day of the current era (default: today).",
)
def demo(out: str, orders: int, seed: int, era: str, end: datetime | None) -> None:
    """Write the demo dataset to OUT and print a summary (no personal data is printed)."""
    lang = _lang()
    last_day: date | None = end.date() if end else None
    try:
        try:
            manifest = generate_demo(out, orders=orders, seed=seed, era=era, end=last_day)
        except OSError as err:
            raise SellerGuardError("demo_write", folder=out, error=err.strerror or err) from err
    except SellerGuardError as err:
        click.echo(err.message(lang), err=True)
        sys.exit(2)
    for written in manifest.eras:
        click.echo(
            t(
                "demo.written.era",
                lang,
                folder=written.folder,
                first=written.first_day.isoformat(),
                last=written.last_day.isoformat(),
                orders=written.orders,
                harassment=written.harassment_orders,
                campaigns=written.campaigns,
                era=t(f"demo.era.{written.era}", lang),
            )
        )
        for kind, path in written.files.items():
            click.echo(t("demo.written.file", lang, name=path.name, rows=written.rows[kind]))
    click.echo(t("demo.written.done", lang, out=manifest.out_dir))
