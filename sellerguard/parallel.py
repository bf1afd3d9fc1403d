"""Spread a scan's work over the machine's cores in threads.

The address and phone facts are computed row by row of a frame of distinct values, so the
frame can be cut into contiguous chunks, each assessed on its own and the results put back
in order (:func:`assess_in_chunks`). :func:`side_by_side` runs two independent jobs the same
way (the phone facts beside the address facts, the two halves of the rules).

Threads, not processes: the work is whole-column Arrow, numpy and pandas operations, which
release the GIL while they run. Forked processes were measured slower on a million orders
(16–18 s against 13–14 s): each child touched its own fresh memory, and every page the
parent wrote while a child lived was copied. Threads share the one process's memory, need
no pickling of results and are safe to start from the dashboard's server thread.

``SELLERGUARD_WORKERS`` sets the number of threads (default: ``min(2, usable cores)``; ``1``
turns the splitting off). Small frames and the helper threads themselves (their job
already is one core's share) always run in the calling thread.
"""

from __future__ import annotations

import functools
import itertools
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

import numpy as np
import pandas as pd

#: Environment variable with the number of threads the facts and rules may use.
WORKERS_ENV = "SELLERGUARD_WORKERS"

#: Frames with fewer rows are assessed in one thread: splitting would cost more than it saves.
MIN_ROWS_TO_SPLIT = 50_000

A = TypeVar("A")
B = TypeVar("B")

# ``helper`` is True in a helper thread while it runs a job: the job does not split again.
_LOCAL = threading.local()


def worker_count() -> int:
    """Return how many threads the work may use (``SELLERGUARD_WORKERS``, at least 1).

    Raises
    ------
    ValueError
        When ``SELLERGUARD_WORKERS`` is set to something other than a whole number.
    """
    if getattr(_LOCAL, "helper", False):
        return 1
    raw = os.environ.get(WORKERS_ENV, "").strip()
    if raw:
        try:
            return max(1, int(raw))
        except ValueError:
            raise ValueError(
                f"{WORKERS_ENV} must be a whole number of threads, not {raw!r}."
            ) from None
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(2, cores))


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
        of its input. It must not modify its input.
    frame
        The rows to assess (any index; the result has a fresh ``RangeIndex``).
    min_rows
        Frames shorter than this are assessed in this thread (default
        :data:`MIN_ROWS_TO_SPLIT`).

    Returns
    -------
    pandas.DataFrame
        The chunks' results concatenated in order, with a ``RangeIndex``. An exception
        raised while assessing any chunk is raised here.
    """
    workers = worker_count()
    smallest = MIN_ROWS_TO_SPLIT if min_rows is None else min_rows
    if workers <= 1 or len(frame) < max(smallest, workers):
        return assess(frame.reset_index(drop=True))
    bounds = np.linspace(0, len(frame), workers + 1).astype(int)
    chunks = [
        frame.iloc[start:stop].reset_index(drop=True)
        for start, stop in itertools.pairwise(bounds.tolist())
    ]
    first, rest = _run_beside(
        lambda: assess(chunks[0]), [functools.partial(assess, chunk) for chunk in chunks[1:]]
    )
    return pd.concat([first, *rest], ignore_index=True)


def side_by_side(here: Callable[[], A], there: Callable[[], B], *, rows: int) -> tuple[A, B]:
    """Run ``there`` in a helper thread while this thread runs ``here``; return both results.

    Work over fewer than :data:`MIN_ROWS_TO_SPLIT` ``rows`` or with one allowed thread runs
    here, one job after the other. An exception in either job is raised here.
    """
    if worker_count() <= 1 or rows < MIN_ROWS_TO_SPLIT:
        return here(), there()
    mine, (theirs,) = _run_beside(here, [there])
    return mine, theirs


def _run_beside(here: Callable[[], A], there: list[Callable[[], B]]) -> tuple[A, list[B]]:
    """Run each job of ``there`` in a helper thread while this thread runs ``here``.

    An exception in any job is raised here, once every job has stopped (a thread cannot be
    interrupted, so a failure here still waits for the helpers).
    """
    with ThreadPoolExecutor(
        max_workers=len(there), thread_name_prefix="sellerguard-worker"
    ) as pool:
        futures: list[Future[B]] = [pool.submit(_as_helper, job) for job in there]
        try:
            mine = here()
        except BaseException:
            for future in futures:
                future.cancel()
            raise
        return mine, [future.result() for future in futures]


def _as_helper(job: Callable[[], B]) -> B:
    _LOCAL.helper = True
    try:
        return job()
    finally:
        _LOCAL.helper = False
