"""Keep freed memory for reuse in a short-lived batch process (``sellerguard scan``).

A scan allocates and frees hundreds of million-row numpy arrays. glibc gives each array
above its mmap threshold fresh pages from the kernel and hands them back when it is freed,
so every array pays its page faults again; on the machines we measured that was a quarter
of a scan's CPU time (system time). Raising the mmap threshold to its maximum and not
trimming the heap lets freed arrays be reused. The peak grows a little (a few percent), and
the memory returns to the system when the process ends, so this is only for batch commands,
never for the long-running dashboard.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

_M_TRIM_THRESHOLD = -1
_M_TOP_PAD = -2
_M_MMAP_THRESHOLD = -3

#: glibc's largest mmap threshold on 64-bit systems (``DEFAULT_MMAP_THRESHOLD_MAX``).
_MMAP_THRESHOLD_MAX = 32 * 1024 * 1024
_TOP_PAD = 256 * 1024 * 1024


def keep_freed_memory() -> bool:
    """Tune glibc's allocator for a batch run; return whether it was tuned (Linux only)."""
    if not sys.platform.startswith("linux"):
        return False
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (e.g. musl has no mallopt)
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    settings = (
        (_M_MMAP_THRESHOLD, _MMAP_THRESHOLD_MAX),
        (_M_TRIM_THRESHOLD, 2**31 - 1),
        (_M_TOP_PAD, _TOP_PAD),
    )
    return all(mallopt(option, value) == 1 for option, value in settings)
