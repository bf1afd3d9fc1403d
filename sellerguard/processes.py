"""Spread a scan's work over the machine's cores in forked processes.

The address and phone facts are computed row by row of a frame of distinct values, so the
frame can be cut into contiguous chunks, each assessed on its own and the results put back
in order (:func:`assess_in_chunks`). The parent assesses the first chunk itself while forked
children assess the others: children inherit the already loaded Japan Post table and their
input chunk copy-on-write, and only their result crosses a pipe. :func:`side_by_side` runs
two independent jobs the same way (the rules split into two halves).

``SELLERGUARD_WORKERS`` sets the number of processes (default: ``min(2, usable cores)``;
``1`` turns the splitting off). Small frames, platforms without ``fork``, daemonic
processes (which may not have children) and the forked children themselves (their work
was already one share of the cores) always run in one process.
"""

from __future__ import annotations

import functools
import itertools
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

import numpy as np
import pandas as pd

#: Environment variable with the number of processes the address and phone facts may use.
WORKERS_ENV = "SELLERGUARD_WORKERS"

#: Frames with fewer rows are assessed in one process: forking would cost more than it saves.
MIN_ROWS_TO_SPLIT = 50_000

A = TypeVar("A")
B = TypeVar("B")


def worker_count() -> int:
    """Return how many processes the facts may use (``SELLERGUARD_WORKERS``, at least 1).

    Raises
    ------
    ValueError
        When ``SELLERGUARD_WORKERS`` is set to something other than a whole number.
    """
    if _IN_CHILD:
        return 1
    raw = os.environ.get(WORKERS_ENV, "").strip()
    if raw:
        try:
            return max(1, int(raw))
        except ValueError:
            raise ValueError(
                f"{WORKERS_ENV} must be a whole number of processes, not {raw!r}."
            ) from None
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(2, cores))


def _can_fork() -> bool:
    if "fork" not in multiprocessing.get_all_start_methods():
        return False  # pragma: no cover - Windows
    return not multiprocessing.current_process().daemon


def assess_in_chunks(
    assess: Callable[[pd.DataFrame], pd.DataFrame],
    frame: pd.DataFrame,
    *,
    min_rows: int | None = None,
) -> pd.DataFrame:
    """Apply ``assess`` to contiguous chunks of ``frame`` in parallel; results in frame order.

    Parameters
    ----------
    assess
        A function that maps a frame with a ``RangeIndex`` to a frame of results with one
        row per input row, in the same order, and whose rows do not depend on the other rows
        of its input.
    frame
        The rows to assess (any index; the result has a fresh ``RangeIndex``).
    min_rows
        Frames shorter than this are assessed in this process (default
        :data:`MIN_ROWS_TO_SPLIT`).

    Returns
    -------
    pandas.DataFrame
        The chunks' results concatenated in order, with a ``RangeIndex``. An exception
        raised while assessing any chunk is raised here.
    """
    workers = worker_count()
    smallest = MIN_ROWS_TO_SPLIT if min_rows is None else min_rows
    if workers <= 1 or len(frame) < max(smallest, workers) or not _can_fork():
        return assess(frame.reset_index(drop=True))
    bounds = np.linspace(0, len(frame), workers + 1).astype(int)
    chunks = [
        frame.iloc[start:stop].reset_index(drop=True)
        for start, stop in itertools.pairwise(bounds.tolist())
    ]
    first, rest = _run_forked(
        lambda: assess(chunks[0]), [functools.partial(assess, chunk) for chunk in chunks[1:]]
    )
    return pd.concat([first, *rest], ignore_index=True)


def side_by_side(here: Callable[[], A], there: Callable[[], B], *, rows: int) -> tuple[A, B]:
    """Run ``there`` in a forked child while this process runs ``here``; return both results.

    ``there`` reaches the child through the fork (closures are fine); its result is pickled
    back. Work over fewer than :data:`MIN_ROWS_TO_SPLIT` ``rows``, one allowed process or no
    ``fork`` run both here, one after the other. An exception in either job is raised here.
    """
    if worker_count() <= 1 or rows < MIN_ROWS_TO_SPLIT or not _can_fork():
        return here(), there()
    mine, (theirs,) = _run_forked(here, [there])
    return mine, theirs


def _run_forked(here: Callable[[], A], there: list[Callable[[], B]]) -> tuple[A, list[B]]:
    """Run each job of ``there`` in a forked child while this process runs ``here``.

    The jobs wait in :data:`_INHERITED` before the pool forks (on the first submit), so each
    child finds its job, and whatever the job holds, in its copy of this process's memory;
    only results are pickled. An exception in any job is raised here.
    """
    keys = [(next(_CALLS), i) for i in range(len(there))]
    _INHERITED.update(zip(keys, there, strict=True))
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=len(there), mp_context=context) as pool:
            futures: list[Future[B]] = [pool.submit(_run_inherited, key) for key in keys]
            try:
                mine = here()
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
            return mine, [future.result() for future in futures]
    finally:
        for key in keys:
            _INHERITED.pop(key, None)


# Jobs the forked children find in their copy of the parent's memory.
_INHERITED: dict[tuple[int, int], Callable[[], Any]] = {}
_CALLS = itertools.count()


# True in a forked child: its job does not split further (nothing to gain on the cores).
_IN_CHILD = False


def _run_inherited(key: tuple[int, int]) -> Any:
    global _IN_CHILD
    _IN_CHILD = True
    return _INHERITED[key]()
