"""numba's compiler, typed for mypy, with the options every SellerGuard kernel uses.

Kernels are compiled to machine code on first use and cached on disk (beside their module,
or in numba's user cache directory when that is not writable), so only a machine's first
run pays for compiling. They release the GIL: the scan's threads run them side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba

F = TypeVar("F", bound=Callable[..., Any])

#: Compile a function (nopython mode, cached, without the GIL); it keeps its signature.
njit = cast(Callable[[F], F], numba.njit(cache=True, nogil=True))


def warm_up() -> None:
    """Load every SellerGuard kernel (compiling it on a machine's first run), so that the
    first scan does not wait for it: the scan command and the dashboard call this in a
    background thread at start."""
    from sellerguard import codes
    from sellerguard.address import kernels as address_kernels
    from sellerguard.address import phone_kernels
    from sellerguard.rules import kernels as rule_kernels

    address_kernels.warm_up()
    phone_kernels.warm_up()
    codes.warm_up()
    rule_kernels.warm_up()
