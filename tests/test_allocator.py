"""The batch-process tuning of ``sellerguard.allocator`` (run in a child: it is per process)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

_CHILD = """
import ctypes
import json

from sellerguard.allocator import tune_for_batch
libc = ctypes.CDLL(None)
# The flag is inherited: start from "on" whatever the test process did to itself (an
# in-process scan test turns huge pages off for pytest's own process).
libc.prctl(41, 0, 0, 0, 0)
before = libc.prctl(42, 0, 0, 0, 0)
done = tune_for_batch()
after = libc.prctl(42, 0, 0, 0, 0)
print(json.dumps({"before": before, "after": after, "done": done}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux")
def test_batch_tuning_turns_huge_pages_off() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD], capture_output=True, text=True, check=True
    ).stdout
    state = json.loads(out)
    assert state["before"] == 0
    assert state["after"] == 1
    assert state["done"] is True


def test_the_collector_is_paused_inside_the_block_only() -> None:
    import gc

    from sellerguard.allocator import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(KeyError), collector_paused():
        raise KeyError("a failed scan")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # left as it was
    finally:
        gc.enable()
