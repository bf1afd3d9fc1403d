"""Scanning what is stored, with the seller's feedback, and caching the result.

A scan over 100,000 orders takes seconds; the Review page must render in well under that.
The scored order table is cached (in memory per process, and on disk in
``<data dir>/cache/``) under a *fingerprint* of everything a scan depends on: the stored rows
(their revision), the effective settings, the watched keys and the cleared evidence. A note
or an "unsure" verdict therefore costs no rescan, while a new import, a changed weight or a
confirmed harasser does.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from sellerguard.store.rows import salted_hash

if TYPE_CHECKING:
    from sellerguard.rules import ScanResult
    from sellerguard.settings import Settings
    from sellerguard.store.store import Store

CACHE_FORMAT = 2
#: Store setting holding the seller's overrides, in the layout of ``settings.toml``.
SETTINGS_KEY = "settings"
_memory: dict[str, tuple[str, pd.DataFrame]] = {}
_lock = threading.Lock()
_store_locks: dict[str, threading.Lock] = {}
_refreshing: dict[str, threading.Thread] = {}


@dataclass(frozen=True)
class ScanInputs:
    """Everything a scan of the store depends on besides the code."""

    data_revision: int
    settings: Settings
    watch: dict[str, set[str]]
    cleared: set[str]

    def fingerprint(self) -> str:
        """A hash that changes whenever the scan's result could change."""
        payload = json.dumps(
            {
                "format": CACHE_FORMAT,
                "code": code_version(),
                "data": self.data_revision,
                "settings": self.settings.to_dict(),
                "watch": {kind: sorted(keys) for kind, keys in sorted(self.watch.items())},
                "cleared": sorted(self.cleared),
            },
            ensure_ascii=False,
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(payload.encode()).hexdigest()


@functools.cache
def code_version() -> str:
    """A hash of the code a scan runs (readers, address facts, rules, settings).

    Part of the cache fingerprint, so an upgraded SellerGuard never serves a scan that the
    previous version computed.
    """
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for folder in ("exports", "address", "rules"):
        for source in sorted((package / folder).glob("*.py")):
            digest.update(source.name.encode())
            digest.update(source.read_bytes())
    for name in ("settings.py", "settings.toml"):
        if (package / name).is_file():
            digest.update((package / name).read_bytes())
    return digest.hexdigest()


def store_settings(store: Store) -> Settings:
    """Shipped defaults, the seller's settings file, then the overrides saved in the store."""
    from sellerguard.settings import from_mapping, load_settings

    base = load_settings(store.home / "settings.toml")
    overrides = store.get_setting(SETTINGS_KEY, {})
    return from_mapping(overrides, base) if overrides else base


def settings_overrides(chosen: dict[str, Any], base: Settings) -> dict[str, Any]:
    """Only the values of ``chosen`` (settings.toml layout) that differ from ``base``.

    Saving differences rather than every value lets improved rule defaults of a newer
    SellerGuard reach the seller for everything the seller never changed.
    """
    defaults = base.to_dict()
    out: dict[str, Any] = {}
    for section, values in chosen.items():
        if section == "rules":
            rules: dict[str, Any] = {}
            for code, params in values.items():
                known = defaults.get("rules", {}).get(code, {})
                changed = {k: v for k, v in params.items() if known.get(k) != v}
                if changed:
                    rules[code] = changed
            if rules:
                out["rules"] = rules
        else:
            known = defaults.get(section, {})
            changed = {k: v for k, v in values.items() if known.get(k) != v}
            if changed:
                out[section] = changed
    return out


def scan_inputs(store: Store) -> ScanInputs:
    """Read the store's current scan inputs (cheap: a few indexed queries)."""
    watch, cleared = store.context_keys()
    return ScanInputs(store.data_revision(), store_settings(store), watch, cleared)


def scan_store(store: Store, inputs: ScanInputs | None = None) -> ScanResult:
    """Scan every stored order with the store's settings, verdicts and watchlist.

    The linking keys of the result are recorded (plain and salted). When an order carries
    a watched identifier whose plain key the store no longer holds (retention cleared it,
    only its salted hash is left), the scan runs once more with that key watched.
    """
    from sellerguard.rules import ScanContext, scan

    inputs = inputs or scan_inputs(store)
    order_set = store.order_set()
    stored = _stored_keys(store, order_set.orders["order_id"])
    if stored is not None:
        order_set = replace(order_set, orders=order_set.orders.assign(**stored))
    watch = {kind: set(keys) for kind, keys in inputs.watch.items()}

    def context() -> ScanContext:
        return ScanContext(
            watch={kind: frozenset(keys) for kind, keys in watch.items()},
            cleared=frozenset(inputs.cleared),
        )

    result = scan(order_set, inputs.settings, context())
    extra = _watched_by_hash(store, result.orders, watch)
    if extra:
        for kind, keys in extra.items():
            watch[kind] = watch.get(kind, set()) | keys
        result = scan(order_set, inputs.settings, context())
    columns = ["address_key", "phone_key", "name_key", "account_key"]
    present = [c for c in columns if c in result.orders.columns]
    if len(result.orders):
        recorded = result.orders[["order_id", *present]].copy()
        if stored is not None:
            # Keys filled in from the store are not the order's own: never write them back.
            for column in present:
                if f"stored_{column}" in result.orders.columns:
                    filled = result.orders[f"stored_{column}"].notna().to_numpy()
                    recorded.loc[filled, column] = pd.NA
        store.record_keys(recorded)
    return result


def _stored_keys(store: Store, order_ids: pd.Series) -> dict[str, pd.Series] | None:
    """Linking keys for orders whose raw buyer data retention has deleted.

    Such an order keeps only salted hashes. It gets the plain key of a still-readable order
    with the same hash, or else ``#<hash>``, so it links to every order that shares it.
    Returns None when no stored order has lost its plain keys.
    """
    from sellerguard.store.store import KEY_COLUMNS

    table = store.order_keys()
    if table.empty:
        return None
    result: dict[str, pd.Series] = {}
    for kind, column in KEY_COLUMNS.items():
        hashes, plains = table[f"{kind}_hash"], table[column]
        lost = hashes.notna() & plains.isna()
        if not lost.any():
            continue
        readable = hashes.notna() & plains.notna()
        plain_by_hash = dict(zip(hashes[readable], plains[readable], strict=True))
        fills = hashes[lost].map(plain_by_hash).astype("str").fillna("#" + hashes[lost])
        by_order = pd.Series(fills.to_numpy(), index=table.loc[lost, "order_id"].to_numpy())
        result[f"stored_{column}"] = pd.Series(
            order_ids.map(by_order).to_numpy(), index=order_ids.index, dtype="str"
        )
    return result or None


def _watched_by_hash(
    store: Store, orders: pd.DataFrame, watch: dict[str, set[str]]
) -> dict[str, set[str]]:
    from sellerguard.store.store import KEY_COLUMNS, WATCH_KINDS

    watched = store.watched_hashes()
    salt = str(store.get_setting("store.salt"))
    found: dict[str, set[str]] = {}
    for kind in WATCH_KINDS:
        column = KEY_COLUMNS[kind]
        if column not in orders.columns or not watched[kind]:
            continue
        keys = orders[column].astype("str")
        hashes = salted_hash(salt, kind, keys)
        hit = keys.loc[
            hashes.isin(watched[kind]).fillna(False) & ~keys.isin(watch.get(kind, set()))
        ]
        if len(hit.dropna()):
            found[kind] = set(hit.dropna().tolist())
    return found


def scored_orders(store: Store, wait: bool = True) -> pd.DataFrame:
    """The scan's order table for the store as it is now (memory, disk, or a fresh scan).

    Concurrent callers for one store (two browser tabs, the warm-up thread) wait for a
    single scan instead of running it twice. With ``wait=False`` and an older table in
    memory, that table is returned at once and the new scan runs in a background thread
    (see :func:`scan_running`): a verdict on 100,000 orders does not freeze the page.
    """
    inputs = scan_inputs(store)
    fingerprint = inputs.fingerprint()
    key = str(store.path)
    cached = _memory.get(key)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    if not wait and cached is not None:
        _refresh_in_background(store)
        return cached[1]
    with _lock:
        store_lock = _store_locks.setdefault(key, threading.Lock())
    with store_lock:
        cached = _memory.get(key)
        if cached is not None and cached[0] == fingerprint:
            return cached[1]
        path = store.home / "cache" / f"scan-{fingerprint[:32]}.parquet"
        orders: pd.DataFrame | None = None
        if path.is_file():
            try:
                orders = pd.read_parquet(path)
            except (OSError, ValueError):
                orders = None
        if orders is None:
            if store.order_count() == 0:
                orders = pd.DataFrame({"order_id": pd.Series(dtype="str")})
            else:
                orders = scan_store(store, inputs).orders
            _write_cache(path, orders)
        _memory[key] = (fingerprint, orders)
    return orders


def _refresh_in_background(store: Store) -> None:
    key = str(store.path)
    with _lock:
        running = _refreshing.get(key)
        if running is not None and running.is_alive():
            return
        thread = threading.Thread(
            target=_refresh, args=(store,), name="sellerguard-rescan", daemon=True
        )
        _refreshing[key] = thread
    thread.start()


def _refresh(store: Store) -> None:
    from sellerguard.errors import SellerGuardError

    with contextlib.suppress(SellerGuardError):  # a page that waits shows the error
        scored_orders(store, wait=True)


@contextlib.contextmanager
def scans_paused(store: Store) -> Iterator[None]:
    """No scan of ``store`` runs in this process inside the block (a running one finishes).

    Used by "delete everything", so a background scan can never write a cache of the
    deleted data after the deletion.
    """
    key = str(store.path)
    running = _refreshing.get(key)
    if running is not None and running.is_alive():
        running.join()
    with _lock:
        store_lock = _store_locks.setdefault(key, threading.Lock())
    with store_lock:
        yield


def scan_running(store: Store) -> bool:
    """Whether a background rescan of ``store`` is under way."""
    thread = _refreshing.get(str(store.path))
    return thread is not None and thread.is_alive()


def _write_cache(path: Path, orders: pd.DataFrame) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.glob("scan-*.parquet"):
        old.unlink(missing_ok=True)
    partial = path.with_suffix(".partial")
    orders.to_parquet(partial, index=False)
    partial.replace(path)


def drop_cache(store: Store) -> None:
    """Forget every cached scan of this store (memory and disk)."""
    _memory.pop(str(store.path), None)
    folder = store.home / "cache"
    if folder.is_dir():
        for old in folder.glob("scan-*"):
            old.unlink(missing_ok=True)
