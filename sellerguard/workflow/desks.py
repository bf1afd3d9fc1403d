"""Where to get help: the desks a harassed seller can turn to, declared as data.

Each desk's name, what it does and what to bring live in the ``help`` catalogue
(``help.desk.<code>.name`` / ``.what`` / ``.bring``); phone numbers that are stable public
numbers are kept here so a test can check them against the brief.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Desk:
    """One place to report or ask for help.

    Attributes
    ----------
    code
        Stable identifier and catalogue stem ``help.desk.<code>``.
    phone
        A nationwide number, or ``""`` when the desk is found another way.
    channel
        The filing-log channel a contact with this desk is logged under.
    """

    code: str
    phone: str
    channel: str

    @property
    def name_key(self) -> str:
        """Catalogue key of the desk's name."""
        return f"help.desk.{self.code}.name"

    @property
    def what_key(self) -> str:
        """Catalogue key of what the desk does (Markdown)."""
        return f"help.desk.{self.code}.what"

    @property
    def bring_key(self) -> str:
        """Catalogue key of what to bring (Markdown)."""
        return f"help.desk.{self.code}.bring"


DESKS: tuple[Desk, ...] = (
    Desk("amazon", "", "amazon_case"),
    Desk("police_cyber", "", "police_cyber"),
    Desk("police_9110", "#9110", "police_9110"),
    Desk("npa_online", "", "npa_online"),
    Desk("police_station", "", "police_station"),
    Desk("houterasu", "0570-078374", "houterasu"),
    Desk("legal_affairs_bureau", "0570-003-110", "legal_affairs_bureau"),
)
