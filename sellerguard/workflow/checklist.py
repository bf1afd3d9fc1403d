"""The defense checklist: steps declared as data, progress persisted in the store.

Each step's title and guidance live in the catalogue (``workflow.step.<code>.title`` and
``.body``, Japanese and English). Progress is one row per step in the ``checklist`` table:
status, the date it was done and a free note.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sellerguard.errors import ReportError
from sellerguard.workflow.storage import parse_date, reading, utc_now, writing

if TYPE_CHECKING:
    from sellerguard.store import Store

STATUSES: tuple[str, ...] = ("not_yet", "done", "not_applicable")

COD_ENDED_ON = date(2024, 6, 6)
"""The day Amazon.co.jp stopped offering cash on delivery for all purchases."""

EXCLUSION_VALUES: tuple[str, ...] = ("exclude cvs", "exclude cod, cvs")
"""Values of ``optional-payment-type-exclusion`` offered: current and older listings."""

FLAT_FILE_COLUMNS: tuple[str, str] = ("sku", "optional-payment-type-exclusion")


@dataclass(frozen=True)
class ChecklistStep:
    """One step of the checklist.

    Attributes
    ----------
    code
        Stable identifier, also the catalogue key stem ``workflow.step.<code>``.
    tool
        What the page shows under the guidance: ``""`` (nothing), ``"sku_exclusion"`` (SKU
        picker and flat-file download) or ``"unshipped_orders"`` (the open flagged orders).
    """

    code: str
    tool: str = ""

    @property
    def title_key(self) -> str:
        """Catalogue key of the step's title."""
        return f"workflow.step.{self.code}.title"

    @property
    def body_key(self) -> str:
        """Catalogue key of the step's guidance (Markdown)."""
        return f"workflow.step.{self.code}.body"


STEPS: tuple[ChecklistStep, ...] = (
    ChecklistStep("cod_ended"),
    ChecklistStep("cvs_account"),
    ChecklistStep("sku_exclusion", tool="sku_exclusion"),
    ChecklistStep("fba_caveat"),
    ChecklistStep("max_quantity"),
    ChecklistStep("cancel_unshipped", tool="unshipped_orders"),
    ChecklistStep("secure_account"),
)

STEP_CODES: tuple[str, ...] = tuple(step.code for step in STEPS)


@dataclass(frozen=True)
class StepProgress:
    """The seller's progress on one step."""

    code: str
    status: str = "not_yet"
    done_on: date | None = None
    note: str = ""


def checklist_progress(store: Store) -> list[StepProgress]:
    """Return the progress of every step, in checklist order (unsaved steps: not yet)."""
    with reading(store) as conn:
        rows = conn.execute("SELECT step, status, done_on, note FROM checklist").fetchall()
    saved = {
        str(row[0]): StepProgress(str(row[0]), str(row[1]), parse_date(row[2]), str(row[3]))
        for row in rows
    }
    return [saved.get(code, StepProgress(code)) for code in STEP_CODES]


def set_step(
    store: Store,
    code: str,
    status: str,
    done_on: date | None = None,
    note: str = "",
) -> StepProgress:
    """Save the progress of one step and return it.

    A step marked ``done`` without a date is dated today; other statuses keep no date.

    Raises
    ------
    ReportError
        ``unknown_step`` or ``unknown_status``.
    """
    if code not in STEP_CODES:
        raise ReportError("unknown_step", step=code)
    if status not in STATUSES:
        raise ReportError("unknown_status", status=status)
    when = (done_on or date.today()) if status == "done" else None
    with writing(store) as conn:
        conn.execute(
            "INSERT INTO checklist (step, status, done_on, note, updated_at)"
            " VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (step) DO UPDATE SET status = excluded.status,"
            " done_on = excluded.done_on, note = excluded.note, updated_at = excluded.updated_at",
            (code, status, when.isoformat() if when else None, note, utc_now()),
        )
    return StepProgress(code, status, when, note)


def payment_exclusion_flat_file(skus: Iterable[str], exclusion: str = EXCLUSION_VALUES[0]) -> bytes:
    """Build a tab-separated inventory file excluding payment methods for ``skus``.

    The file has the two columns ``sku`` and ``optional-payment-type-exclusion`` (UTF-8,
    CRLF, one row per distinct SKU in the given order). Amazon's inventory templates change;
    the page tells the seller to compare with the current template before uploading.

    Raises
    ------
    ReportError
        ``no_skus`` when no SKU is given, ``unknown_exclusion`` for another value.
    """
    if exclusion not in EXCLUSION_VALUES:
        raise ReportError("unknown_exclusion", value=exclusion)
    distinct = list(dict.fromkeys(sku.strip() for sku in skus if sku and sku.strip()))
    if not distinct:
        raise ReportError("no_skus")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(FLAT_FILE_COLUMNS)
    writer.writerows((sku, exclusion) for sku in distinct)
    return buffer.getvalue().encode("utf-8")
