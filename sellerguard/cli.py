"""The ``sellerguard`` command: a thin layer over the library.

Every command catches ``SellerGuardError``, prints its message (Japanese or English) to
stderr and exits with status 2; anything else is a bug and surfaces as one.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from sellerguard.errors import SellerGuardError

F = TypeVar("F", bound=Callable[..., Any])


def user_errors(func: F) -> F:
    """Turn a ``SellerGuardError`` into a message on stderr and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SellerGuardError as err:
            lang = click.get_current_context().find_root().params.get("lang") or "ja"
            click.echo(err.message(lang), err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--lang",
    type=click.Choice(["ja", "en"]),
    default=None,
    help="Language of messages (default: ja; SELLERGUARD_LANG).",
    envvar="SELLERGUARD_LANG",
)
@click.version_option(package_name="sellerguard")
def main(lang: str | None) -> None:
    """SellerGuard: flag harassment orders in Amazon.co.jp exports."""


# --- commands contributed by each area: one add_command line each -------------------------
