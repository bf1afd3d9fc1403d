"""The SP-API client: python-amazon-sp-api wired for Amazon.co.jp, with its pitfalls handled.

The library does the request building (paths, marketplace parameters, JSON bodies). Around it
this module adds what a pull needs and the library does not do, or does silently wrong:

- ``SP_API_DEFAULT_MARKETPLACE`` overrides the marketplace passed to a client and ``AWS_ENV``
  is read (and validated) at import time: both are hidden while the library is imported and
  while a client is built, and the Japanese marketplace and the endpoint are pinned afterwards.
- A non-JSON error body (a gateway's HTML 502, an empty 500) becomes an empty, successful-
  looking response: every response's HTTP status is checked before the library parses it.
- The library's LWA token client has a fixed host, no timeout and a process-wide cache keyed by
  refresh token: it is replaced by :class:`_LwaTokens` (configurable URL, timeout, per-client
  cache, clear errors).
- Documents are downloaded here, not through the library, which decodes without a charset as
  ISO-8859-1 and returns bytes on a failed decode (see :mod:`sellerguard.spapi.documents`).

Every call passes a token bucket (Amazon's usage plan), is retried with backoff on 429, 5xx,
timeouts and connection errors, and ends as data or as an :class:`SpApiError` whose reason
names a catalogue entry. Secrets never appear in an error, a log record or a repr.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx

from sellerguard.errors import SpApiError
from sellerguard.spapi.credentials import JP_MARKETPLACE_ID, SpApiCredentials, SpApiEndpoints
from sellerguard.spapi.documents import ReportDocument, read_document
from sellerguard.spapi.throttle import (
    RATE_LIMITS,
    Cancelled,
    Clock,
    SystemClock,
    TokenBucket,
    retry_delay,
)

_LIBRARY_ENV_PITFALLS = ("SP_API_DEFAULT_MARKETPLACE", "AWS_ENV")
_environment_lock = threading.RLock()


@contextlib.contextmanager
def _library_environment() -> Iterator[None]:
    """Hide the environment variables the library would read behind our back."""
    with _environment_lock:
        saved = {name: os.environ.pop(name) for name in _LIBRARY_ENV_PITFALLS if name in os.environ}
        try:
            yield
        finally:
            os.environ.update(saved)


with _library_environment():
    from sp_api.api.orders.orders_v0 import OrdersV0
    from sp_api.api.reports.reports import Reports
    from sp_api.api.tokens.tokens import Tokens
    from sp_api.auth import AccessTokenResponse
    from sp_api.base.credential_provider import FromCodeCredentialProvider


class _QuietLibrary(logging.Filter):
    """Drop the library's debug records: they print request headers (the access token)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG


for _name in ("sp_api", "sp_api.base.client", "sp_api.auth.access_token_client"):
    logging.getLogger(_name).addFilter(_QuietLibrary())

REPORT_ALL_ORDERS = "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL"
REPORT_ORDERS_BUYER = "GET_FLAT_FILE_ORDER_REPORT_DATA_SHIPPING"
DEFAULT_TIMEOUT_SECONDS = 30.0
DEFAULT_MAX_ATTEMPTS = 5


class _HttpFailure(Exception):
    """An HTTP status the caller must see (raised before the library parses a body)."""

    def __init__(self, status: int, headers: Mapping[str, str], errors: list[dict[str, Any]]):
        super().__init__(status)
        self.status = status
        self.headers = dict(headers)
        self.errors = errors

    @property
    def amazon_code(self) -> str:
        return str(self.errors[0].get("code", "")) if self.errors else ""

    @property
    def amazon_message(self) -> str:
        return str(self.errors[0].get("message", "")) if self.errors else ""


def _error_list(response: httpx.Response) -> list[dict[str, Any]]:
    try:
        body = response.json()
    except ValueError:
        return []
    if isinstance(body, dict) and isinstance(body.get("errors"), list):
        return [e for e in body["errors"] if isinstance(e, dict)]
    return []


class _StrictResponses:
    """Mixin for the library's clients: check the HTTP status and the host header first."""

    endpoint: str

    @property
    def headers(self) -> dict[str, str]:
        headers: dict[str, str] = super().headers  # type: ignore[misc]
        headers["host"] = urlsplit(self.endpoint).netloc
        return headers

    def _check_response(self, res: httpx.Response, *args: Any, **kwargs: Any) -> Any:
        if res.status_code >= 400:
            raise _HttpFailure(res.status_code, res.headers, _error_list(res))
        try:
            res.json()
        except ValueError:
            raise _HttpFailure(res.status_code, res.headers, []) from None
        return super()._check_response(res, *args, **kwargs)  # type: ignore[misc]


class _ReportsClient(_StrictResponses, Reports):  # type: ignore[misc]
    pass


class _OrdersClient(_StrictResponses, OrdersV0):  # type: ignore[misc]
    pass


class _TokensClient(_StrictResponses, Tokens):  # type: ignore[misc]
    pass


class _LwaTokens:
    """Login-with-Amazon access tokens for one client (replaces the library's token client)."""

    def __init__(
        self, credentials: SpApiCredentials, url: str, http: httpx.Client, clock: Clock
    ) -> None:
        self._credentials = credentials
        self._url = url
        self._http = http
        self._clock = clock
        self._token: str | None = None
        self._expires = 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"_LwaTokens(url={self._url!r})"

    def invalidate(self) -> None:
        """Forget the cached token (the API said it expired)."""
        with self._lock:
            self._token = None

    def get_auth(self) -> Any:
        """Return an ``AccessTokenResponse`` as the library expects, fetching when needed."""
        with self._lock:
            if self._token is None or self._clock.monotonic() >= self._expires:
                self._token, lifetime = self._fetch()
                self._expires = self._clock.monotonic() + max(lifetime - 60, 0)
            return AccessTokenResponse(access_token=self._token, token_type="bearer")

    def _fetch(self) -> tuple[str, int]:
        response = self._http.post(
            self._url,
            data={
                "grant_type": "refresh_token",
                "refresh_token": self._credentials.refresh_token,
                "client_id": self._credentials.lwa_app_id,
                "client_secret": self._credentials.lwa_client_secret,
            },
            headers={"content-type": "application/x-www-form-urlencoded;charset=UTF-8"},
        )
        if response.status_code == 429 or response.status_code >= 500:
            raise _HttpFailure(response.status_code, response.headers, [])
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code in (400, 401, 403):
            code = str(body.get("error", "")) if isinstance(body, dict) else ""
            raise SpApiError("token_rejected", code=code or str(response.status_code))
        if (
            response.status_code != 200
            or not isinstance(body, dict)
            or not isinstance(body.get("access_token"), str)
        ):
            raise SpApiError("bad_response", operation="LWA token", status=response.status_code)
        lifetime = body.get("expires_in", 3600)
        return body["access_token"], int(lifetime) if isinstance(lifetime, int) else 3600


@dataclass(frozen=True)
class ReportInfo:
    """What ``getReport`` says about a report."""

    report_id: str
    report_type: str
    status: str
    document_id: str | None


@dataclass(frozen=True)
class DocumentRef:
    """What ``getReportDocument`` returns: a presigned URL and the compression used."""

    document_id: str
    url: str
    compression: str | None


@dataclass(frozen=True)
class ConnectionCheck:
    """Outcome of :meth:`SpApiClient.check_connection`."""

    token_ok: bool
    restricted_role: bool


T = TypeVar("T")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class SpApiClient:
    """SP-API operations SellerGuard uses, for the Amazon.co.jp marketplace.

    Parameters
    ----------
    credentials
        The LWA secrets (see :func:`sellerguard.spapi.credentials.load_credentials`).
    endpoints
        Base URLs; default from ``SELLERGUARD_SPAPI_ENDPOINT`` / ``SELLERGUARD_LWA_ENDPOINT``.
    clock
        Time source for rate limiting and backoff (tests pass a fake one).
    timeout
        Seconds before a request is abandoned (then retried).
    max_attempts
        Tries per call for 429, 5xx, timeouts and connection errors.
    cancel
        Set it to stop at the next wait.
    """

    def __init__(
        self,
        credentials: SpApiCredentials,
        endpoints: SpApiEndpoints | None = None,
        *,
        clock: Clock | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        cancel: threading.Event | None = None,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.endpoints = endpoints or SpApiEndpoints.from_environ()
        self.marketplace_id = JP_MARKETPLACE_ID
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.cancel = cancel or threading.Event()
        self.clock: Clock = clock or SystemClock()
        self.restricted_role_configured = credentials.restricted_role
        self._credentials = credentials
        self._http = httpx.Client(timeout=timeout)
        self._tokens = _LwaTokens(credentials, self.endpoints.lwa, self._http, self.clock)
        self._buckets = {op: TokenBucket(limit, self.clock) for op, limit in RATE_LIMITS.items()}
        self._reports = self._library_client(_ReportsClient)
        self._orders = self._library_client(_OrdersClient)
        self._token_api = self._library_client(_TokensClient)

    def __repr__(self) -> str:
        return f"SpApiClient(endpoint={self.endpoints.spapi!r}, marketplace={self.marketplace_id})"

    def _library_client(self, cls: Callable[..., T], restricted_data_token: str | None = None) -> T:
        tokens = self._tokens
        with _library_environment():
            client = cls(
                credentials={
                    "refresh_token": self._credentials.refresh_token,
                    "lwa_app_id": self._credentials.lwa_app_id,
                    "lwa_client_secret": self._credentials.lwa_client_secret,
                },
                credential_providers=(FromCodeCredentialProvider,),
                restricted_data_token=restricted_data_token,
                timeout=self.timeout,
                auth_token_client_class=lambda **_: tokens,
            )
        # Pinned after construction whatever the environment said.
        client.endpoint = self.endpoints.spapi  # type: ignore[attr-defined]
        client.marketplace_id = self.marketplace_id  # type: ignore[attr-defined]
        client.region = "us-west-2"  # type: ignore[attr-defined]
        return client

    def close(self) -> None:
        """Close the HTTP connections."""
        for client in (self._reports, self._orders, self._token_api):
            client.close()
        self._http.close()

    def __enter__(self) -> SpApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the retry loop ---------------------------------------------------------------------

    def _call(self, operation: str, request: Callable[[], T]) -> T:
        bucket = self._buckets.get(operation)
        token_refreshed = False
        last: SpApiError | None = None
        for attempt in range(1, self.max_attempts + 1):
            if self.cancel.is_set():
                raise Cancelled
            if bucket is not None:
                bucket.acquire(self.cancel)
            retry_after: str | None = None
            rate_limit: str | None = None
            try:
                result = request()
            except _HttpFailure as failure:
                retry_after = failure.headers.get("retry-after")
                rate_limit = failure.headers.get("x-amzn-ratelimit-limit")
                if failure.status == 429:
                    if bucket is not None:
                        bucket.drain()
                    last = SpApiError("throttled", operation=operation)
                elif failure.status >= 500:
                    last = SpApiError("server_error", operation=operation, status=failure.status)
                elif failure.status == 403 and _expired(failure) and not token_refreshed:
                    self._tokens.invalidate()
                    token_refreshed = True
                    continue
                else:
                    raise _error_for(failure, operation) from None
            except httpx.TimeoutException:
                last = SpApiError("timeout", operation=operation, seconds=self.timeout)
            except httpx.TransportError:
                last = SpApiError("unreachable", operation=operation)
            else:
                if bucket is not None:
                    headers = getattr(result, "headers", None) or {}
                    bucket.adopt_rate(headers.get("x-amzn-RateLimit-Limit"))
                return result
            if attempt < self.max_attempts:
                self.clock.sleep(
                    retry_delay(attempt, retry_after, rate_limit, self.clock), self.cancel
                )
                if retry_after and bucket is not None:
                    bucket.grant()
        assert last is not None
        raise last

    # --- operations --------------------------------------------------------------------------

    def check_connection(self) -> ConnectionCheck:
        """Fetch a token and probe the restricted role (an RDT for buyer data of getOrders).

        Raises
        ------
        SpApiError
            ``token_rejected`` and the other reasons of a failed call.
        """
        self._tokens.invalidate()
        self._call("lwa", self._tokens.get_auth)
        try:
            self.restricted_data_token("/orders/v0/orders", ["buyerInfo", "shippingAddress"])
        except SpApiError as err:
            if err.reason != "restricted_role_missing":
                raise
            return ConnectionCheck(token_ok=True, restricted_role=False)
        return ConnectionCheck(token_ok=True, restricted_role=True)

    def create_report(self, report_type: str, start: datetime, end: datetime) -> str:
        """Ask for a report covering ``[start, end)``; return its id."""
        response = self._call(
            "createReport",
            lambda: self._reports.create_report(
                reportType=report_type,
                dataStartTime=_iso(start),
                dataEndTime=_iso(end),
                marketplaceIds=[self.marketplace_id],
            ),
        )
        report_id = response.payload.get("reportId")
        if not isinstance(report_id, str) or not report_id:
            raise SpApiError("bad_response", operation="createReport", status=202)
        return report_id

    def get_report(self, report_id: str) -> ReportInfo:
        """Return the report's processing status and document id."""
        response = self._call("getReport", lambda: self._reports.get_report(report_id))
        payload = response.payload
        status = payload.get("processingStatus")
        if not isinstance(status, str):
            raise SpApiError("bad_response", operation="getReport", status=200)
        document = payload.get("reportDocumentId")
        return ReportInfo(
            report_id=report_id,
            report_type=str(payload.get("reportType", "")),
            status=status,
            document_id=document if isinstance(document, str) and document else None,
        )

    def get_report_document(
        self, document_id: str, restricted_data_token: str | None = None
    ) -> DocumentRef:
        """Return the document's download URL (an RDT is needed for reports with buyer data)."""
        reports = (
            self._library_client(_ReportsClient, restricted_data_token)
            if restricted_data_token
            else self._reports
        )
        try:
            response = self._call(
                "getReportDocument", lambda: reports.get_report_document(document_id)
            )
        finally:
            if reports is not self._reports:
                reports.close()
        url = response.payload.get("url")
        if not isinstance(url, str) or not url:
            raise SpApiError("bad_response", operation="getReportDocument", status=200)
        compression = response.payload.get("compressionAlgorithm")
        return DocumentRef(
            document_id=document_id,
            url=url,
            compression=compression if isinstance(compression, str) else None,
        )

    def download(self, ref: DocumentRef) -> ReportDocument:
        """Download a document, decompress it and sniff its encoding (original bytes kept)."""

        def fetch() -> httpx.Response:
            response = self._http.get(ref.url)
            if response.status_code >= 400:
                raise _HttpFailure(response.status_code, response.headers, [])
            return response

        response = self._call("download", fetch)
        try:
            return read_document(
                response.content, ref.compression, response.headers.get("content-type")
            )
        except SpApiError as err:
            if err.reason != "corrupt_document":
                raise
        # A damaged gzip may be a broken transfer: download once more before giving up.
        response = self._call("download", fetch)
        return read_document(
            response.content, ref.compression, response.headers.get("content-type")
        )

    def restricted_data_token(self, path: str, data_elements: list[str] | None = None) -> str:
        """Return a Restricted Data Token for ``GET path``.

        Raises
        ------
        SpApiError
            ``restricted_role_missing`` when Amazon refuses (the application lacks the role).
        """
        resource: dict[str, Any] = {"method": "GET", "path": path}
        if data_elements:
            resource["dataElements"] = data_elements
        try:
            response = self._call(
                "createRestrictedDataToken",
                lambda: self._token_api.create_restricted_data_token(
                    restrictedResources=[resource]
                ),
            )
        except SpApiError as err:
            if err.reason == "access_denied":
                raise SpApiError("restricted_role_missing") from None
            raise
        token = response.payload.get("restrictedDataToken")
        if not isinstance(token, str) or not token:
            raise SpApiError("bad_response", operation="createRestrictedDataToken", status=200)
        return token

    def get_orders(
        self, statuses: list[str], updated_after: datetime, updated_before: datetime
    ) -> list[dict[str, Any]]:
        """Return every order last updated in the range with one of ``statuses`` (all pages)."""
        orders: list[dict[str, Any]] = []
        params: dict[str, Any] = {
            "MarketplaceIds": [self.marketplace_id],
            "OrderStatuses": statuses,
            "LastUpdatedAfter": _iso(updated_after),
            "LastUpdatedBefore": _iso(updated_before),
        }
        while True:
            response = self._call("getOrders", functools.partial(self._orders.get_orders, **params))
            payload = response.payload
            page = payload.get("Orders") if isinstance(payload, dict) else None
            if not isinstance(page, list):
                raise SpApiError("bad_response", operation="getOrders", status=200)
            orders.extend(o for o in page if isinstance(o, dict))
            token = payload.get("NextToken")
            if not isinstance(token, str) or not token:
                return orders
            params = {"MarketplaceIds": [self.marketplace_id], "NextToken": token}


def _expired(failure: _HttpFailure) -> bool:
    return "expired" in failure.amazon_message.lower()


def _error_for(failure: _HttpFailure, operation: str) -> SpApiError:
    code = failure.amazon_code
    if failure.status < 400:
        return SpApiError("bad_response", operation=operation, status=failure.status)
    if failure.status in (401, 403):
        if _expired(failure):
            return SpApiError("token_expired", operation=operation)
        return SpApiError("access_denied", operation=operation, code=code or failure.status)
    if failure.status == 400:
        return SpApiError("bad_request", operation=operation, code=code or "400")
    if failure.status == 404:
        return SpApiError("not_found", operation=operation)
    return SpApiError("unexpected_status", operation=operation, status=failure.status)


def error_document_summary(document: ReportDocument, limit: int = 300) -> str:
    """A short, single-line summary of a FATAL report's error document."""
    text = document.text.strip()
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        details = parsed.get("errorDetails") or parsed.get("errors") or parsed
        text = details if isinstance(details, str) else json.dumps(details, ensure_ascii=False)
    return " ".join(text.split())[:limit]
