"""Tune a short-lived batch process (``sellerguard scan``) for its allocations.

Transparent huge pages are turned off for the process (:func:`no_huge_pages`). Some
libraries ask for them on their large buffers, and the kernel then clears 2 MB at the first
touch of each. On the virtual machines we measured, clearing pages took a fifth of a scan's
CPU samples. With 4 KB pages the scan spent a little more user time (more TLB misses), but
about 3 CPU seconds less system time, and its wall time fell by about 1.4 s per million
orders. Only for batch commands, never for the long-running dashboard.

Python's cyclic garbage collector is paused for the scan (:func:`collector_paused`): the
scan makes few reference cycles, but its allocations set off about 470 collections, which
walked the objects of every imported library for a quarter of a second in all, holding the
GIL that the other thread's Python code waits for. The peak memory was the same without them.

glibc is left as it is. Keeping its freed memory for reuse (a maximal mmap threshold, no
trimming) helped while the scan forked worker processes; since the work runs in threads it
made the scan slower (by 0.6–2.9 s in five alternating pairs) and its peak larger (by 0.1–0.3 GB).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager

#: ``prctl`` options (``linux/prctl.h``).
_PR_SET_THP_DISABLE = 41
_PR_GET_THP_DISABLE = 42


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        return ctypes.CDLL(name)
    except OSError:
        return None


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector inside the block (as it was, after it).

    Reference counting still frees everything that is not part of a cycle at once.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def tune_for_batch() -> bool:
    """Tune this process for a batch run (:func:`no_huge_pages`); return whether it was done."""
    return no_huge_pages()


def no_huge_pages() -> bool:
    """Turn transparent huge pages off for this process (and any child it starts).

    Returns whether they are off (Linux only; a kernel without the option says no).
    """
    libc = _libc()
    if libc is None:
        return False
    try:
        prctl = libc.prctl
    except AttributeError:
        return False
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    if prctl(_PR_SET_THP_DISABLE, 1, 0, 0, 0) != 0:
        return False
    return bool(prctl(_PR_GET_THP_DISABLE, 0, 0, 0, 0) == 1)
