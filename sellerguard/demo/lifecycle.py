"""Order lifecycle: from a fate to timestamps and the status seen at export time.

Pending → (paid) Unshipped → Shipped, or Cancelled. Convenience-store orders stay Pending
until paid and are cancelled automatically six days after purchase; cash-on-delivery
orders are actionable at once. Everything is vectorised over the whole order table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sellerguard.demo.scenario import (
    CANCEL_ACTIONABLE,
    CANCEL_PENDING,
    DAY,
    HOUR,
    NEVER_PAID,
    REFUSED,
    RETURNED,
    SHIP,
    UNDELIVERABLE,
)

MINUTE = 60.0


def derive_lifecycle(
    orders: pd.DataFrame, export_ts: float, rng: np.random.Generator
) -> pd.DataFrame:
    """Return event timestamps and export-time state for every order.

    Parameters
    ----------
    orders : DataFrame
        With ``purchase_ts`` (POSIX seconds), ``payment`` (card/cvs/cod), ``fate``.
    export_ts : float
        The moment the seller downloads the reports; later events have not happened.
    rng : numpy.random.Generator
        Source of the delays.

    Returns
    -------
    DataFrame
        Same index: ``actionable_ts``, ``payments_ts``, ``ship_ts``, ``cancel_ts``,
        ``return_ts`` (NaN when the event never happens or happens after export),
        ``last_updated_ts``, ``status`` (Pending/Unshipped/Shipped/Cancelled),
        ``item_status``, ``in_order_report``, ``in_pending_report``, ``returned``.
    """
    size = len(orders)
    purchase = orders["purchase_ts"].to_numpy(dtype=float)
    payment = orders["payment"].to_numpy(dtype=str)
    fate = orders["fate"].to_numpy(dtype=str)

    card_delay = np.maximum(MINUTE, rng.exponential(10 * MINUTE, size))
    cod_delay = rng.uniform(MINUTE, 30 * MINUTE, size)
    cvs_delay = np.clip(rng.lognormal(np.log(5 * HOUR), 1.1, size), 10 * MINUTE, 5.5 * DAY)
    delay = np.where(payment == "cod", cod_delay, np.where(payment == "cvs", cvs_delay, card_delay))
    never_actionable = (fate == NEVER_PAID) | (fate == CANCEL_PENDING)
    actionable = np.where(never_actionable, np.nan, purchase + delay)

    ship_delay = np.clip(rng.lognormal(np.log(20 * HOUR), 0.6, size), 2 * HOUR, 5 * DAY)
    shipped_fates = np.isin(fate, [SHIP, REFUSED, UNDELIVERABLE, RETURNED])
    ship = np.where(shipped_fates, actionable + ship_delay, np.nan)

    cancel = np.full(size, np.nan)
    is_cancel_actionable = fate == CANCEL_ACTIONABLE
    cancel[is_cancel_actionable] = (actionable + rng.uniform(0.05, 0.9, size) * ship_delay)[
        is_cancel_actionable
    ]
    is_cancel_pending = fate == CANCEL_PENDING
    cancel[is_cancel_pending] = (purchase + rng.uniform(10 * MINUTE, 5 * DAY, size))[
        is_cancel_pending
    ]
    is_never_paid = fate == NEVER_PAID
    cancel[is_never_paid] = (purchase + 6 * DAY + rng.uniform(5 * MINUTE, 3 * HOUR, size))[
        is_never_paid
    ]

    returned_at = np.full(size, np.nan)
    returned_at[fate == REFUSED] = (ship + rng.uniform(1.5 * DAY, 6 * DAY, size))[fate == REFUSED]
    returned_at[fate == UNDELIVERABLE] = (ship + rng.uniform(2 * DAY, 8 * DAY, size))[
        fate == UNDELIVERABLE
    ]
    returned_at[fate == RETURNED] = (ship + rng.uniform(3 * DAY, 25 * DAY, size))[fate == RETURNED]

    def happened(moments: np.ndarray) -> np.ndarray:
        return np.where(moments <= export_ts, moments, np.nan)

    actionable, ship, cancel, returned_at = (
        happened(m) for m in (actionable, ship, cancel, returned_at)
    )
    status = np.where(
        ~np.isnan(cancel),
        "Cancelled",
        np.where(
            ~np.isnan(ship), "Shipped", np.where(~np.isnan(actionable), "Unshipped", "Pending")
        ),
    )
    touched = np.minimum(purchase + rng.uniform(MINUTE, 20 * MINUTE, size), export_ts)
    last_updated = np.fmax.reduce([touched, actionable, ship, cancel, returned_at])
    payments = np.where(payment == "cod", np.nan, actionable)
    item_status = np.where(status == "Pending", "Unshipped", status)
    return pd.DataFrame(
        {
            "actionable_ts": actionable,
            "payments_ts": payments,
            "ship_ts": ship,
            "cancel_ts": cancel,
            "return_ts": returned_at,
            "last_updated_ts": last_updated,
            "status": pd.array(status, dtype="str"),
            "item_status": pd.array(item_status, dtype="str"),
            "in_order_report": ~np.isnan(actionable),
            "in_pending_report": status == "Pending",
            "returned": ~np.isnan(returned_at),
        },
        index=orders.index,
    )
