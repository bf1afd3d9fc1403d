"""Set SellerGuard up and run it: ``python3 run.py`` (dashboard) or ``python3 run.py test``.

Needs only Python 3.11+. Creates ``.venv`` beside this file, installs the project into it
(again only when pyproject.toml changed), then:

- ``python3 run.py``            opens the dashboard on http://127.0.0.1:8501
- ``python3 run.py test``       runs lint, format check, type check and the whole test suite
- ``python3 run.py -- ARGS``    runs ``sellerguard ARGS`` inside the environment

The test suite's browser tests use Debian's Chromium (/usr/bin/chromium); when it is missing
and we run as root with apt available, ``run.py test`` installs it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".sellerguard-installed"
CHROMIUM = Path("/usr/bin/chromium")


def _run(*args: str | Path, check: bool = True) -> int:
    return subprocess.run([str(a) for a in args], cwd=ROOT, check=check).returncode


def ensure_environment(extras: str) -> None:
    """Create the venv and install the project with ``extras`` unless already up to date."""
    if sys.version_info < (3, 11):  # noqa: UP036 - run.py is what an older python3 meets first
        sys.exit("SellerGuard needs Python 3.11 or newer.")
    if not (BIN / "python").exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    print("Installing SellerGuard and its dependencies ...", flush=True)
    _run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    _run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", f".{extras}")
    STAMP.write_text(wanted)


def ensure_chromium() -> None:
    """Install Debian's chromium for the browser tests when missing (root + apt only)."""
    if CHROMIUM.exists():
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print("Installing Debian's chromium for the browser tests ...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
    else:
        sys.exit(
            "The browser tests need Chromium at /usr/bin/chromium (Debian: apt-get install chromium)."
        )


def run_tests(extra: list[str]) -> int:
    """Lint, format check, type check, then pytest (exit status of the first failure)."""
    ensure_environment("[dev]")
    ensure_chromium()
    steps: list[list[str | Path]] = [
        [BIN / "ruff", "check", "."],
        [BIN / "ruff", "format", "--check", "."],
        [BIN / "mypy"],
        [BIN / "python", "-m", "pytest", "-n", "2", "--dist", "loadgroup", *extra],
    ]
    for step in steps:
        print("$", " ".join(str(s.name if isinstance(s, Path) else s) for s in step), flush=True)
        code = _run(*step, check=False)
        if code != 0:
            return code
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["test"]:
        return run_tests(argv[1:])
    ensure_environment("")
    if argv[:1] == ["--"]:
        return _run(BIN / "sellerguard", *argv[1:], check=False)
    return _run(BIN / "sellerguard", "dashboard", *argv, check=False)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
