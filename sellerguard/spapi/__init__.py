"""Pull orders from Amazon's Selling Partner API (python-amazon-sp-api), for Amazon.co.jp.

The pull produces the same files a seller would download (plus the ``orders_api`` file of
getOrders results) and imports them through the same readers as an upload.
"""

from sellerguard.spapi.client import ConnectionCheck, SpApiClient
from sellerguard.spapi.credentials import (
    SECRET_KEYS,
    CredentialStatus,
    SpApiCredentials,
    SpApiEndpoints,
    credential_status,
    load_credentials,
)
from sellerguard.spapi.documents import ReportDocument
from sellerguard.spapi.pull import Missing, Progress, PulledFile, PullResult, pull_orders
from sellerguard.spapi.state import PullLogEntry, last_pull, read_cursor

__all__ = [
    "SECRET_KEYS",
    "ConnectionCheck",
    "CredentialStatus",
    "Missing",
    "Progress",
    "PullLogEntry",
    "PullResult",
    "PulledFile",
    "ReportDocument",
    "SpApiClient",
    "SpApiCredentials",
    "SpApiEndpoints",
    "credential_status",
    "last_pull",
    "load_credentials",
    "pull_orders",
    "read_cursor",
]
