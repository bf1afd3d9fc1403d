"""The compiled kernels never read or write outside their arrays.

numba does not check array bounds in compiled code: a wrong index would read garbage or
corrupt memory silently. Here the kernels' own tests run again in a fresh interpreter
with bounds checking compiled in (an out-of-range index then raises ``IndexError``), and
with a cache directory of their own, so the checked code never mixes with the fast code.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.mark.slow
def test_kernel_tests_pass_with_bounds_checking(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "NUMBA_BOUNDSCHECK": "1",
        "NUMBA_CACHE_DIR": str(tmp_path / "numba-cache"),
        "HYPOTHESIS_STORAGE_DIRECTORY": str(tmp_path / "hypothesis"),
    }
    tests = [
        str(HERE / "test_address_kernels.py"),
        str(HERE / "test_phone_kernels.py"),
        str(HERE / "test_rules_features.py"),
        str(HERE / "test_exports_fastpaths.py"),
    ]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", *tests],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
