"""The ``sellerguard`` command: a thin layer over the library.

Every command catches ``SellerGuardError``, prints its message (Japanese or English) to
stderr and exits with status 2; anything else is a bug and surfaces as one.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import mmap
import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from sellerguard.errors import SellerGuardError

if TYPE_CHECKING:
    from sellerguard.exports.detect import Data

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


class LazyGroup(click.Group):
    """A command group that imports a command's module only when that command runs.

    A scan then does not import the SP-API client or the demo generator (about 0.3 s).
    ``lazy`` maps a command name to ``"module:attribute"``.
    """

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module, _, attribute = self.lazy[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{self.lazy[cmd_name]} is not a click command")
            return command
        return super().get_command(ctx, cmd_name)


# --- commands contributed by each area: one line each, imported when used ----------------
COMMANDS = {
    "dashboard": "sellerguard.dashboard:dashboard",
    "demo": "sellerguard.demo.command:demo",
    "draft": "sellerguard.workflow.commands:draft",
    "report": "sellerguard.workflow.commands:report",
    "pull": "sellerguard.spapi.command:pull",
}


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
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


#: Set by a command once everything it writes is written and closed: the console script then
#: ends the process without the interpreter's teardown, which after a million-order scan
#: spends about 0.4 s freeing objects the process is about to drop anyway.
_skip_teardown = threading.Event()


def run() -> None:
    """The ``sellerguard`` console script: ``main``, ending at once after a finished scan.

    Any other outcome (another command, an error, an interrupt) ends the usual way, with
    the interpreter's teardown and ``atexit`` handlers.
    """
    try:
        main()
    except SystemExit as done:
        if not _skip_teardown.is_set() or done.code not in (None, 0):
            raise
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def _lang() -> str:
    return str(click.get_current_context().find_root().params.get("lang") or "ja")


#: Larger files are not loaded ahead, so a wrong one is refused from its beginning unread.
PREFETCH_LIMIT = 2 * 1024**3


def _prefetched(paths: list[Path]) -> Iterator[Path | tuple[str, Data]]:
    """The files as ``read_exports`` sources, each mapped in a thread one file ahead.

    Each file is still checked from its beginning first (``refuse_early``), in order, so
    a file that is not an export is refused with the same message as an unmapped one. A
    file that cannot be mapped ahead (too large, empty, unreadable) is passed as its path.
    """
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    def load(path: Path) -> mmap.mmap | None:
        try:
            return _mapped(path) if path.stat().st_size <= PREFETCH_LIMIT else None
        except (OSError, ValueError):  # ValueError: an empty file cannot be mapped
            return None  # read_exports reads it the usual way and reports it

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sellerguard-prefetch")
    pending = deque(pool.submit(load, path) for path in paths[:1])

    def sources() -> Iterator[Path | tuple[str, Data]]:
        from sellerguard.exports.detect import refuse_early

        try:
            for i, path in enumerate(paths):
                if i + 1 < len(paths):
                    pending.append(pool.submit(load, paths[i + 1]))
                refuse_early(path)
                data = pending.popleft().result()
                yield path if data is None else (path.name, data)
                del data
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    return sources()


def _mapped(path: Path) -> mmap.mmap:
    """``path`` mapped read-only (``OSError`` or ``ValueError`` when it cannot be).

    pyarrow parses a mapped file straight from the page cache. Reading it into bytes first
    costs a copy and a fresh page of memory for every 4 KB: for the 630 MB of a million
    orders about 150,000 page faults and half a CPU second, and as much memory. On Linux the
    map is filled at once (``MAP_POPULATE``), so a file not yet cached is read from disk in
    the prefetch thread, as it was read before.

    The file must not shrink while it is mapped (reading past its new end would end the
    process): exports are files the seller downloaded, not files still being written.
    """
    with path.open("rb") as handle:
        if hasattr(mmap, "MAP_POPULATE"):
            flags = mmap.MAP_SHARED | mmap.MAP_POPULATE
            return mmap.mmap(handle.fileno(), 0, flags=flags, prot=mmap.PROT_READ)
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


def _preload() -> None:
    """Load the address reference data and the compiled kernels early; a failure shows when
    the scan needs them."""
    from sellerguard.address import load_reference_data

    with contextlib.suppress(Exception):
        load_reference_data()
        from sellerguard.jit import warm_up

        warm_up()


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="Where to write one row per order (CSV, or JSON with --format json).",
)
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv")
@user_errors
def scan(files: tuple[str, ...], out: str, fmt: str) -> None:
    """Read order exports, flag harassment orders and write RESULT with the reasons."""
    from sellerguard.allocator import collector_paused

    with collector_paused():
        _scan(files, out, fmt)


def _scan(files: tuple[str, ...], out: str, fmt: str) -> None:
    """The body of ``scan``."""
    # The first file loads while the libraries import (on one core); each next file while
    # the one before it is parsed.
    sources = _prefetched([Path(f) for f in files])
    from sellerguard.allocator import tune_for_batch
    from sellerguard.exports import read_exports
    from sellerguard.i18n import t
    from sellerguard.rules import SCAN_COLUMNS, scan_orders

    tune_for_batch()
    from sellerguard.scan_output import describe_problem, write_result

    lang = _lang()
    # The Japan Post table loads (0.25 s) while the files are read; much of reading runs
    # on one core. Not a daemon: when a file is refused the command exits at once, and a
    # daemon thread still inside pyarrow at exit aborts the process (exit 134).
    reference = threading.Thread(target=_preload, name="japan-post")
    reference.start()
    order_set = read_exports(sources, columns=SCAN_COLUMNS)
    problems = [problem for read in order_set.reads for problem in read.problems]
    for problem in problems:
        click.echo(describe_problem(problem, lang), err=True)
    reported = sum(read.rows_rejected for read in order_set.reads)
    # The item tables go first: each read holds its slice of them, so no reference to a
    # read may outlive this (a loop variable over the reads kept ~1 GB alive).
    orders = order_set.orders
    del order_set
    reference.join()
    result = scan_orders(orders)
    del orders
    write_result(result, Path(out), fmt, lang)
    counts = result.counts()
    click.echo(
        t(
            "cli.scan.summary",
            lang,
            orders=len(result.orders),
            high=counts["high"],
            medium=counts["medium"],
            low=counts["low"],
            reported=reported,
            out=out,
        )
    )
    _skip_teardown.set()
