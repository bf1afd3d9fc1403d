"""Scanning what is stored, with the seller's feedback, and caching the result per revision.

A scan over 100,000 orders takes seconds; the Review page must render in well under that.
The scored order table is therefore written to ``<data dir>/cache/scan-<revision>.parquet``
and kept in memory per process; any write to the store bumps the revision, so a stale result
is never served.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from sellerguard.rules import ScanResult
    from sellerguard.settings import Settings
    from sellerguard.store.store import Store

CACHE_FORMAT = 1
_memory: dict[str, tuple[int, pd.DataFrame]] = {}
_lock = threading.Lock()

#: Store setting holding the seller's overrides, in the layout of ``settings.toml``.
SETTINGS_KEY = "settings"


def store_settings(store: Store) -> Settings:
    """Shipped defaults, the seller's settings file, then the overrides saved in the store."""
    from sellerguard.settings import from_mapping, load_settings

    base = load_settings(store.home / "settings.toml")
    overrides = store.get_setting(SETTINGS_KEY, {})
    return from_mapping(overrides, base) if overrides else base


def scan_store(store: Store) -> ScanResult:
    """Scan every stored order with the store's settings, verdicts and watchlist.

    The linking keys of the result are recorded (plain and salted). When a new order
    carries a watched identifier whose plain key the store no longer holds (retention
    cleared it, only its hash is left), the scan runs once more with that key watched.
    """
    from sellerguard.rules import ScanContext, scan

    settings = store_settings(store)
    order_set = store.order_set()
    watch, cleared = store.context_keys()
    result = scan(order_set, settings, ScanContext(watch=watch, cleared=cleared))
    orders = result.orders
    extra = _watched_by_hash(store, orders, watch)
    if extra:
        for kind, keys in extra.items():
            watch[kind] = watch.get(kind, set()) | keys
        result = scan(order_set, settings, ScanContext(watch=watch, cleared=cleared))
    key_columns = [
        c for c in ("address_key", "phone_key", "name_key", "account_key") if c in orders
    ]
    if len(orders):
        store.record_keys(result.orders[["order_id", *key_columns]])
    return result


def _watched_by_hash(
    store: Store, orders: pd.DataFrame, watch: dict[str, set[str]]
) -> dict[str, set[str]]:
    from sellerguard.store.rows import salted_hash
    from sellerguard.store.store import KEY_COLUMNS, WATCH_KINDS

    watched = store.watched_hashes()
    salt = store.get_setting("store.salt")
    found: dict[str, set[str]] = {}
    for kind in WATCH_KINDS:
        column = KEY_COLUMNS[kind]
        if column not in orders.columns or not watched[kind]:
            continue
        keys = orders[column].astype("str")
        hashes = salted_hash(str(salt), kind, keys)
        hit = keys.loc[hashes.isin(watched[kind]) & ~keys.isin(watch.get(kind, set()))]
        if len(hit):
            found[kind] = set(hit.dropna().tolist())
    return found


def _cache_path(store: Store, revision: int) -> str:
    return str(store.home / "cache" / f"scan-v{CACHE_FORMAT}-{revision}.parquet")


def scored_orders(store: Store) -> pd.DataFrame:
    """The scan's order table for the store's current revision (memory, disk, or a scan)."""
    revision = store.revision()
    key = str(store.path)
    with _lock:
        cached = _memory.get(key)
    if cached is not None and cached[0] == revision:
        return cached[1]
    path = store.home / "cache" / f"scan-v{CACHE_FORMAT}-{revision}.parquet"
    if path.is_file():
        try:
            orders = pd.read_parquet(path)
        except (OSError, ValueError):
            orders = None
        if orders is not None:
            with _lock:
                _memory[key] = (revision, orders)
            return orders
    if store.order_count() == 0:
        orders = pd.DataFrame({"order_id": pd.Series(dtype="str")})
    else:
        orders = scan_store(store).orders
    _write_cache(store, revision, orders)
    with _lock:
        _memory[key] = (revision, orders)
    return orders


def _write_cache(store: Store, revision: int, orders: pd.DataFrame) -> None:
    folder = store.home / "cache"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("scan-*.parquet"):
        old.unlink(missing_ok=True)
    target = folder / f"scan-v{CACHE_FORMAT}-{revision}.parquet"
    partial = target.with_suffix(".partial")
    orders.to_parquet(partial, index=False)
    partial.replace(target)


def drop_cache(store: Store) -> None:
    """Forget every cached scan of this store (memory and disk)."""
    with _lock:
        _memory.pop(str(store.path), None)
    folder = store.home / "cache"
    if folder.is_dir():
        for old in folder.glob("scan-*.parquet"):
            old.unlink(missing_ok=True)
