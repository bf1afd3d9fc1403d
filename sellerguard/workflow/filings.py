"""The filing log: every report the seller made, to Amazon or elsewhere, and what came of it.

Drafts cite the earlier Amazon filings with their case ids and count ("this is the 3rd
report"); a filing's follow-up date turns into a reminder once due; after repeated Amazon
filings without result the app points to the other channels (police, 法テラス ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from sellerguard.errors import ReportError
from sellerguard.workflow.storage import parse_date, reading, utc_now, writing

if TYPE_CHECKING:
    from sellerguard.store import Store

CHANNELS: tuple[str, ...] = (
    "amazon_phone",
    "amazon_case",
    "amazon_form",
    "amazon_other",
    "police_station",
    "police_cyber",
    "police_9110",
    "npa_online",
    "houterasu",
    "legal_affairs_bureau",
    "lawyer",
    "other",
)
AMAZON_CHANNELS: frozenset[str] = frozenset(c for c in CHANNELS if c.startswith("amazon_"))
OUTCOMES: tuple[str, ...] = ("waiting", "no_action", "partial", "resolved")
UNRESOLVED_BEFORE_ESCALATION = 3
"""Amazon filings without a resolution after which other channels are suggested."""


@dataclass(frozen=True)
class Filing:
    """One report the seller made.

    Attributes
    ----------
    filed_on
        The day of the report.
    channel
        One of ``CHANNELS``.
    case_id
        Amazon's case id (or the police's reception number), empty when none was given.
    answered_by
        Who answered (agent name or desk).
    response
        What they said.
    outcome
        One of ``OUTCOMES``.
    follow_up_on
        The day to check back, if any.
    follow_up_done
        Whether that follow-up was done.
    order_ids
        The orders the filing was about.
    id
        Row id in the store (0 before it is saved).
    """

    filed_on: date
    channel: str
    case_id: str = ""
    answered_by: str = ""
    response: str = ""
    outcome: str = "waiting"
    follow_up_on: date | None = None
    follow_up_done: bool = False
    order_ids: tuple[str, ...] = field(default_factory=tuple)
    id: int = 0

    @property
    def to_amazon(self) -> bool:
        """Whether the filing went to Amazon."""
        return self.channel in AMAZON_CHANNELS


def add_filing(store: Store, filing: Filing) -> Filing:
    """Save a new filing and return it with its id.

    Raises
    ------
    ReportError
        ``unknown_channel`` or ``unknown_outcome``.
    """
    _check(filing.channel, filing.outcome)
    with writing(store) as conn:
        cursor = conn.execute(
            "INSERT INTO filings (filed_on, channel, case_id, answered_by, response, outcome,"
            " follow_up_on, follow_up_done, order_ids, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                filing.filed_on.isoformat(),
                filing.channel,
                filing.case_id.strip(),
                filing.answered_by,
                filing.response,
                filing.outcome,
                filing.follow_up_on.isoformat() if filing.follow_up_on else None,
                int(filing.follow_up_done),
                "|".join(filing.order_ids),
                utc_now(),
            ),
        )
        new_id = int(cursor.lastrowid or 0)
    return replace(filing, id=new_id, case_id=filing.case_id.strip())


def update_filing(
    store: Store,
    filing_id: int,
    *,
    outcome: str | None = None,
    follow_up_on: date | None = None,
    follow_up_done: bool | None = None,
) -> None:
    """Change a filing's outcome or follow-up (arguments left None stay as they are).

    Raises
    ------
    ReportError
        ``unknown_outcome`` or ``unknown_filing``.
    """
    if outcome is not None and outcome not in OUTCOMES:
        raise ReportError("unknown_outcome", outcome=outcome)
    with writing(store) as conn:
        row = conn.execute("SELECT id FROM filings WHERE id = ?", (filing_id,)).fetchone()
        if row is None:
            raise ReportError("unknown_filing", filing_id=filing_id)
        if outcome is not None:
            conn.execute("UPDATE filings SET outcome = ? WHERE id = ?", (outcome, filing_id))
        if follow_up_on is not None:
            conn.execute(
                "UPDATE filings SET follow_up_on = ?, follow_up_done = 0 WHERE id = ?",
                (follow_up_on.isoformat(), filing_id),
            )
        if follow_up_done is not None:
            conn.execute(
                "UPDATE filings SET follow_up_done = ? WHERE id = ?",
                (int(follow_up_done), filing_id),
            )


def list_filings(store: Store) -> list[Filing]:
    """Return every filing, oldest first."""
    with reading(store) as conn:
        rows = conn.execute(
            "SELECT id, filed_on, channel, case_id, answered_by, response, outcome,"
            " follow_up_on, follow_up_done, order_ids FROM filings ORDER BY filed_on, id"
        ).fetchall()
    return [
        Filing(
            id=int(row[0]),
            filed_on=date.fromisoformat(str(row[1])),
            channel=str(row[2]),
            case_id=str(row[3]),
            answered_by=str(row[4]),
            response=str(row[5]),
            outcome=str(row[6]),
            follow_up_on=parse_date(row[7]),
            follow_up_done=bool(row[8]),
            order_ids=tuple(part for part in str(row[9]).split("|") if part),
        )
        for row in rows
    ]


def due_followups(store: Store, today: date) -> list[Filing]:
    """Return the filings whose follow-up date is today or past and not yet done."""
    return [
        filing
        for filing in list_filings(store)
        if filing.follow_up_on is not None
        and not filing.follow_up_done
        and filing.follow_up_on <= today
    ]


def amazon_filings(filings: Iterable[Filing]) -> list[Filing]:
    """Return the filings made to Amazon, in the given order."""
    return [filing for filing in filings if filing.to_amazon]


def report_number(filings: Sequence[Filing], extra_case_ids: Iterable[str] = ()) -> int:
    """Return the ordinal of the next report to Amazon.

    Counts the Amazon filings in the log plus earlier case ids given by hand that the log
    does not already hold, and adds one.
    """
    logged = amazon_filings(filings)
    known = {filing.case_id for filing in logged if filing.case_id}
    extra = {case.strip() for case in extra_case_ids if case.strip()} - known
    return len(logged) + len(extra) + 1


def should_suggest_other_channels(
    filings: Sequence[Filing], threshold: int = UNRESOLVED_BEFORE_ESCALATION
) -> bool:
    """Whether ``threshold`` or more Amazon filings since the last resolved one had no result."""
    unresolved = 0
    for filing in amazon_filings(sorted(filings, key=lambda f: (f.filed_on, f.id))):
        unresolved = 0 if filing.outcome == "resolved" else unresolved + 1
    return unresolved >= threshold


def _check(channel: str, outcome: str) -> None:
    if channel not in CHANNELS:
        raise ReportError("unknown_channel", channel=channel)
    if outcome not in OUTCOMES:
        raise ReportError("unknown_outcome", outcome=outcome)
