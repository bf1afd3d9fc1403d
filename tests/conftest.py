"""Suite-wide: never touch the developer's real data directory.

Tests that need a particular data directory set ``SELLERGUARD_HOME`` themselves; everything
else (the Japan Post table cache, default stores) goes to one temporary folder per run.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile


def pytest_configure(config: object) -> None:
    if "SELLERGUARD_HOME" in os.environ:
        return
    home = tempfile.mkdtemp(prefix="sellerguard-tests-")
    os.environ["SELLERGUARD_HOME"] = home
    atexit.register(shutil.rmtree, home, ignore_errors=True)
