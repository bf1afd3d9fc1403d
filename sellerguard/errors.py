"""The exceptions SellerGuard raises on purpose.

Every error carries the data a person needs to act on it (file, line, column, what was
expected) and a catalogue key, so that the command line and the pages can show it in
Japanese or English. Anything that is not a ``SellerGuardError`` is a bug and must surface.
"""

from __future__ import annotations

from typing import Any


class SellerGuardError(Exception):
    """Base class: an error the user can understand and act on."""

    key = "error.generic"

    def __init__(self, reason: str = "", detail: str = "", **params: Any) -> None:
        self.reason = reason
        self.detail = detail
        self.params: dict[str, Any] = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "ja") -> str:
        """Return the message in ``lang`` ("ja" or "en") from the catalogue.

        ``reason`` names a catalogue entry ``<key>.<reason>`` (formatted with the same
        params) that becomes the detail; free ``detail`` text is appended when given.
        """
        from sellerguard.i18n import t

        parts = [t(f"{self.key}.{self.reason}", lang, **self.params)] if self.reason else []
        if self.detail:
            parts.append(self.detail)
        return t(self.key, lang, **{**self.params, "detail": " — ".join(parts)})


class UnreadableExport(SellerGuardError):
    """A file that is not an order export SellerGuard can read (params: file, reason)."""

    key = "error.unreadable_export"


class InvalidSettings(SellerGuardError):
    """A settings file or value that is out of range or malformed."""

    key = "error.invalid_settings"


class StoreError(SellerGuardError):
    """The local database could not be opened, migrated or written."""

    key = "error.store"


class SpApiError(SellerGuardError):
    """The Selling Partner API refused, failed or returned something unusable."""

    key = "error.spapi"


class ReportError(SellerGuardError):
    """An incident report or draft could not be produced."""

    key = "error.report"
