"""The seller's local SQLite store (see docs/ARCHITECTURE.md §4).

>>> store = Store.open()                       # doctest: +SKIP
>>> store.import_exports(["orders.txt"])       # doctest: +SKIP
"""

from sellerguard.settings import data_dir
from sellerguard.store.store import (
    DEFAULT_RETENTION_DAYS,
    VERDICTS,
    WATCH_KINDS,
    FileImport,
    ImportSummary,
    Store,
    Verdict,
    WatchKind,
)

__all__ = [
    "DEFAULT_RETENTION_DAYS",
    "VERDICTS",
    "WATCH_KINDS",
    "FileImport",
    "ImportSummary",
    "Store",
    "Verdict",
    "WatchKind",
    "data_dir",
]
