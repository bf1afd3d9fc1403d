"""A test double of the Selling Partner API: a real HTTP server on a free 127.0.0.1 port.

It answers the LWA token endpoint, createRestrictedDataToken, createReport / getReport /
getReportDocument (plus the presigned document URL, gzip or not) and getOrders. Every JSON
response it sends is validated against the operation's schema in Amazon's published models
(../shared/spapi-models); request bodies are validated too. Faults are injected per operation
(status, body, headers, or a stall past the client's timeout).
"""

from __future__ import annotations

import gzip
import itertools
import json
import threading
import urllib.parse
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator

MODELS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "spapi-models"

MODEL_FILES = {
    "createReport": "reports_2021-06-30.json",
    "getReport": "reports_2021-06-30.json",
    "getReportDocument": "reports_2021-06-30.json",
    "getReports": "reports_2021-06-30.json",
    "createRestrictedDataToken": "tokens_2021-03-01.json",
    "getOrders": "ordersV0.json",
}

LWA_RESPONSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["access_token", "token_type", "expires_in"],
    "properties": {
        "access_token": {"type": "string"},
        "token_type": {"type": "string"},
        "expires_in": {"type": "integer"},
        "refresh_token": {"type": "string"},
    },
}
LWA_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error", "error_description"],
    "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}},
}

RESTRICTED_REPORT_TYPES = frozenset({"GET_FLAT_FILE_ORDER_REPORT_DATA_SHIPPING"})
EXPIRED_MESSAGE = "The access token you provided has expired."


class Models:
    """Amazon's Swagger 2.0 models, as request/response validators per operation."""

    def __init__(self, folder: Path = MODELS_DIR) -> None:
        self._docs: dict[str, dict[str, Any]] = {}
        self._ops: dict[str, dict[str, Any]] = {}
        for operation, name in MODEL_FILES.items():
            doc = self._docs.setdefault(name, json.loads((folder / name).read_text("utf-8")))
            for methods in doc["paths"].values():
                for op in methods.values():
                    if isinstance(op, dict) and op.get("operationId") == operation:
                        self._ops[operation] = {"doc": doc, "op": op}
        missing = set(MODEL_FILES) - set(self._ops)
        if missing:
            raise LookupError(f"operations not in the models: {sorted(missing)}")

    def _validator(self, operation: str, schema: dict[str, Any]) -> Draft4Validator:
        doc = self._ops[operation]["doc"]
        return Draft4Validator(
            {**schema, "definitions": doc["definitions"]},
            format_checker=Draft4Validator.FORMAT_CHECKER,
        )

    def response_errors(self, operation: str, status: int, body: Any) -> list[str]:
        """Schema violations of ``body`` as the ``status`` answer of ``operation``."""
        responses = self._ops[operation]["op"]["responses"]
        spec = responses.get(str(status))
        if spec is None:
            return [f"{operation} has no documented {status} response"]
        schema = spec.get("schema")
        if schema is None:
            return [] if body is None else [f"{operation} {status} has no body in the model"]
        return [e.message for e in self._validator(operation, schema).iter_errors(body)]

    def request_errors(self, operation: str, body: Any) -> list[str]:
        """Schema violations of a request ``body`` of ``operation``."""
        for parameter in self._ops[operation]["op"].get("parameters", []):
            if parameter.get("in") == "body":
                validator = self._validator(operation, parameter["schema"])
                return [e.message for e in validator.iter_errors(body)]
        return []


@dataclass
class Fault:
    """One injected failure: an HTTP answer, or a stall until the test ends."""

    status: int = 500
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    stall: bool = False


@dataclass
class Recorded:
    """A request the double received (no secrets are asserted from these in tests)."""

    operation: str
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


@dataclass
class FakeReport:
    report_id: str
    report_type: str
    start: str | None
    end: str | None
    statuses: deque[str]
    document_id: str | None
    created: str = "2026-01-01T00:00:00Z"


@dataclass
class FakeDocument:
    document_id: str
    content: bytes
    gzip: bool = False
    content_type: str = "text/plain"
    corrupt: bool = False
    restricted: bool = False


class SpApiDouble:
    """The fake SP-API. Configure it, then point the client at ``endpoint`` / ``lwa_url``."""

    refresh_token = "Atzr|double-refresh-token-SECRET"
    app_id = "amzn1.application-oa2-client.double-SECRET-ID"
    client_secret = "double-client-secret-SECRET"

    def __init__(self, models: Models) -> None:
        self.models = models
        self.lock = threading.Lock()
        self.release = threading.Event()
        self.requests: list[Recorded] = []
        self.hit: dict[str, threading.Event] = defaultdict(threading.Event)
        self.schema_errors: list[str] = []
        self.validated = 0
        self.faults: dict[str, deque[Fault]] = defaultdict(deque)
        self.reports: dict[str, FakeReport] = {}
        self.documents: dict[str, FakeDocument] = {}
        self.access_tokens: set[str] = set()
        self.rdts: dict[str, set[str]] = {}
        self.restricted_role = True
        # Where a missing restricted role shows: at the RDT (default) or already at createReport.
        self.role_refused_at = "createRestrictedDataToken"
        # x-amzn-RateLimit-Limit sent with successful answers, per operation.
        self.rate_limit_header: dict[str, str] = {}
        self.token_lifetime = 3600
        self._ids = itertools.count(1)
        # What the next reports contain, per report type: (content, gzip, content_type).
        self.report_content: dict[str, tuple[bytes, bool, str]] = {}
        self.report_statuses: dict[str, list[str]] = {}
        self.fatal_document: dict[str, bytes] = {}
        self.corrupt_types: set[str] = set()
        self.orders: list[dict[str, Any]] = []
        self.orders_page_size = 100
        self.pages: dict[str, tuple[list[dict[str, Any]], int]] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.server.daemon_threads = True
        self.server.handle_error = lambda request, address: None  # type: ignore[method-assign]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # --- lifecycle --------------------------------------------------------------------------

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def endpoint(self) -> str:
        return self.base

    @property
    def lwa_url(self) -> str:
        return self.base + "/auth/o2/token"

    def start(self) -> SpApiDouble:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    # --- configuration ----------------------------------------------------------------------

    def fail(self, operation: str, *faults: Fault) -> None:
        """Queue faults for ``operation`` (answered before normal behaviour resumes)."""
        with self.lock:
            self.faults[operation].extend(faults)

    def serve_report(
        self,
        report_type: str,
        content: bytes,
        *,
        gzip_it: bool = False,
        content_type: str = "text/plain",
        statuses: list[str] | None = None,
    ) -> None:
        self.report_content[report_type] = (content, gzip_it, content_type)
        if statuses is not None:
            self.report_statuses[report_type] = statuses

    def calls(self, operation: str) -> list[Recorded]:
        with self.lock:
            return [r for r in self.requests if r.operation == operation]

    # --- behaviour --------------------------------------------------------------------------

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids)}"

    def check(self, operation: str, status: int, body: Any) -> None:
        with self.lock:
            self.validated += 1
            if operation == "lwa":
                schema = LWA_RESPONSE_SCHEMA if status == 200 else LWA_ERROR_SCHEMA
                errors = [e.message for e in Draft4Validator(schema).iter_errors(body)]
            else:
                errors = self.models.response_errors(operation, status, body)
            self.schema_errors += [f"{operation} {status}: {e}" for e in errors]

    def check_request(self, operation: str, body: Any) -> None:
        errors = self.models.request_errors(operation, body)
        with self.lock:
            self.schema_errors += [f"{operation} request: {e}" for e in errors]


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _error_list(code: str, message: str) -> dict[str, Any]:
    return {"errors": [{"code": code, "message": message}]}


def _handler_for(double: SpApiDouble) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        # --- plumbing -------------------------------------------------------------------

        def _read_body(self) -> bytes:
            length = int(self.headers.get("content-length") or 0)
            return self.rfile.read(length) if length else b""

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            merged = {"content-type": "application/json", **(headers or {})}
            for name, value in merged.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(
            self, operation: str, status: int, body: Any, headers: dict[str, str] | None = None
        ) -> None:
            double.check(operation, status, body)
            merged = dict(headers or {})
            if status < 400 and operation in double.rate_limit_header:
                merged["x-amzn-RateLimit-Limit"] = double.rate_limit_header[operation]
            self._send(status, json.dumps(body).encode("utf-8"), merged)

        def _fault(self, operation: str) -> bool:
            with double.lock:
                queue = double.faults.get(operation)
                fault = queue.popleft() if queue else None
            if fault is None:
                return False
            if fault.stall:  # answer nothing until the test ends; the client times out
                double.release.wait()
                return True
            return self._fault_answer(operation, fault)

        def _fault_answer(self, operation: str, fault: Fault) -> bool:
            if fault.body is None:
                body = _error_list(
                    "QuotaExceeded" if fault.status == 429 else "InternalFailure",
                    "You exceeded your quota for the requested resource."
                    if fault.status == 429
                    else "We encountered an internal error. Please try again.",
                )
                if fault.status == 403:
                    body = _error_list("Unauthorized", EXPIRED_MESSAGE)
                if operation == "lwa":
                    body = {"error": "server_error", "error_description": "Try again later"}
                if operation != "download":
                    double.check(operation, fault.status, body)
                self._send(fault.status, json.dumps(body).encode(), fault.headers)
            else:
                self._send(fault.status, fault.body, {"content-type": "text/html", **fault.headers})
            return True

        def _authorised(self, operation: str, path: str) -> bool:
            token = self.headers.get("x-amz-access-token", "")
            with double.lock:
                ok = token in double.access_tokens or path in double.rdts.get(token, set())
            if not ok:
                self._json(
                    operation,
                    403,
                    _error_list("Unauthorized", "Access to requested resource is denied."),
                )
            return ok

        def _record(self, operation: str, body: Any) -> None:
            split = urllib.parse.urlsplit(self.path)
            with double.lock:
                double.hit[operation].set()
                double.requests.append(
                    Recorded(
                        operation,
                        self.command,
                        split.path,
                        urllib.parse.parse_qs(split.query),
                        {k.lower(): v for k, v in self.headers.items()},
                        body,
                    )
                )

        # --- routes ---------------------------------------------------------------------

        def do_POST(self) -> None:
            raw = self._read_body()
            path = urllib.parse.urlsplit(self.path).path
            if path == "/auth/o2/token":
                form = urllib.parse.parse_qs(raw.decode())
                self._record("lwa", {k: "<form>" for k in form})
                if self._fault("lwa"):
                    return
                self._token(form)
                return
            body = json.loads(raw or b"{}")
            if path == "/tokens/2021-03-01/restrictedDataToken":
                self._record("createRestrictedDataToken", body)
                double.check_request("createRestrictedDataToken", body)
                if self._fault("createRestrictedDataToken") or not self._authorised(
                    "createRestrictedDataToken", path
                ):
                    return
                self._rdt(body)
            elif path == "/reports/2021-06-30/reports":
                self._record("createReport", body)
                double.check_request("createReport", body)
                if self._fault("createReport") or not self._authorised("createReport", path):
                    return
                self._create_report(body)
            else:
                self._send(404, b"{}")

        def do_GET(self) -> None:
            split = urllib.parse.urlsplit(self.path)
            path = split.path
            parts = path.strip("/").split("/")
            if parts[:1] == ["download"]:
                self._record("download", None)
                if not self._fault("download"):
                    self._download(parts[1])
                return
            if path == "/orders/v0/orders":
                self._record("getOrders", None)
                if self._fault("getOrders") or not self._authorised("getOrders", path):
                    return
                self._orders(urllib.parse.parse_qs(split.query))
            elif parts[:3] == ["reports", "2021-06-30", "reports"] and len(parts) == 4:
                self._record("getReport", None)
                if self._fault("getReport") or not self._authorised("getReport", path):
                    return
                self._report(parts[3])
            elif parts[:3] == ["reports", "2021-06-30", "documents"] and len(parts) == 4:
                self._record("getReportDocument", None)
                if self._fault("getReportDocument") or not self._authorised(
                    "getReportDocument", path
                ):
                    return
                self._document(parts[3], path)
            else:
                self._send(404, b"{}")

        # --- operations -----------------------------------------------------------------

        def _token(self, form: dict[str, list[str]]) -> None:
            given = {k: v[0] for k, v in form.items()}
            good = (
                given.get("grant_type") == "refresh_token"
                and given.get("refresh_token") == double.refresh_token
                and given.get("client_id") == double.app_id
                and given.get("client_secret") == double.client_secret
            )
            if not good:
                self._json(
                    "lwa",
                    400,
                    {
                        "error": "invalid_grant",
                        "error_description": "The request has an invalid grant parameter",
                    },
                )
                return
            token = double.next_id("Atza|access-")
            with double.lock:
                double.access_tokens.add(token)
            self._json(
                "lwa",
                200,
                {
                    "access_token": token,
                    "token_type": "bearer",
                    "expires_in": double.token_lifetime,
                },
            )

        def _rdt(self, body: dict[str, Any]) -> None:
            if not double.restricted_role:
                self._json(
                    "createRestrictedDataToken",
                    403,
                    _error_list("Unauthorized", "Access to requested resource is denied."),
                )
                return
            token = double.next_id("Atz.sprdt|")
            paths = {r["path"] for r in body.get("restrictedResources", [])}
            with double.lock:
                double.rdts[token] = paths
            self._json(
                "createRestrictedDataToken",
                200,
                {"restrictedDataToken": token, "expiresIn": 3600},
            )

        def _create_report(self, body: dict[str, Any]) -> None:
            report_type = body["reportType"]
            if (
                report_type in RESTRICTED_REPORT_TYPES
                and not double.restricted_role
                and double.role_refused_at == "createReport"
            ):
                self._json(
                    "createReport",
                    403,
                    _error_list("Unauthorized", "Access to requested resource is denied."),
                )
                return
            report_id = double.next_id("REPORT-")
            statuses = deque(double.report_statuses.get(report_type, ["IN_QUEUE", "DONE"]))
            document_id: str | None = None
            final = statuses[-1]
            if final == "DONE":
                content, gzip_it, content_type = double.report_content.get(
                    report_type, (b"", False, "text/plain")
                )
                document_id = double.next_id("amzn1.spdoc.1.4.fe.DOC-")
                double.documents[document_id] = FakeDocument(
                    document_id,
                    content,
                    gzip=gzip_it,
                    content_type=content_type,
                    corrupt=report_type in double.corrupt_types,
                    restricted=report_type in RESTRICTED_REPORT_TYPES,
                )
            elif final == "FATAL" and report_type in double.fatal_document:
                document_id = double.next_id("amzn1.spdoc.1.4.fe.ERR-")
                double.documents[document_id] = FakeDocument(
                    document_id, double.fatal_document[report_type], content_type="application/json"
                )
            with double.lock:
                double.reports[report_id] = FakeReport(
                    report_id,
                    report_type,
                    body.get("dataStartTime"),
                    body.get("dataEndTime"),
                    statuses,
                    document_id,
                )
            self._json("createReport", 202, {"reportId": report_id})

        def _report(self, report_id: str) -> None:
            with double.lock:
                report = double.reports.get(report_id)
                if report is not None and len(report.statuses) > 1:
                    status = report.statuses.popleft()
                else:
                    status = report.statuses[0] if report else ""
            if report is None:
                self._json("getReport", 404, _error_list("NotFound", "Report not found"))
                return
            body: dict[str, Any] = {
                "reportId": report.report_id,
                "reportType": report.report_type,
                "processingStatus": status,
                "createdTime": report.created,
                "marketplaceIds": ["A1VC38T7YXB528"],
            }
            if report.start:
                body["dataStartTime"] = report.start
            if report.end:
                body["dataEndTime"] = report.end
            if status in ("DONE", "FATAL") and report.document_id:
                body["reportDocumentId"] = report.document_id
            self._json("getReport", 200, body)

        def _document(self, document_id: str, path: str) -> None:
            document = double.documents.get(document_id)
            if document is None:
                self._json("getReportDocument", 404, _error_list("NotFound", "No document"))
                return
            if document.restricted:
                token = self.headers.get("x-amz-access-token", "")
                with double.lock:
                    allowed = path in double.rdts.get(token, set())
                if not allowed:
                    self._json(
                        "getReportDocument",
                        403,
                        _error_list("Unauthorized", "Access to requested resource is denied."),
                    )
                    return
            body: dict[str, Any] = {
                "reportDocumentId": document_id,
                "url": f"{double.base}/download/{urllib.parse.quote(document_id)}",
            }
            if document.gzip:
                body["compressionAlgorithm"] = "GZIP"
            self._json("getReportDocument", 200, body)

        def _download(self, document_id: str) -> None:
            document = double.documents.get(urllib.parse.unquote(document_id))
            if document is None:
                self._send(404, b"<Error>NoSuchKey</Error>", {"content-type": "application/xml"})
                return
            payload = gzip.compress(document.content) if document.gzip else document.content
            if document.corrupt:
                payload = payload[: len(payload) // 2] + b"\x00garbage"
            self._send(200, payload, {"content-type": document.content_type})

        def _orders(self, query: dict[str, list[str]]) -> None:
            token = query.get("NextToken", [None])[0]
            if token:
                with double.lock:
                    selected, start = double.pages[token]
            else:
                marketplaces = ",".join(query.get("MarketplaceIds", [""]))
                after = query.get("LastUpdatedAfter", [""])[0]
                before = query.get("LastUpdatedBefore", [""])[0]
                if not after or "A1VC38T7YXB528" not in marketplaces.split(","):
                    self._json(
                        "getOrders",
                        400,
                        _error_list("InvalidInput", "LastUpdatedAfter is required"),
                    )
                    return
                statuses = set(",".join(query.get("OrderStatuses", [""])).split(","))
                low = _instant(after)
                high = _instant(before) if before else None
                selected = [
                    o
                    for o in double.orders
                    if o["OrderStatus"] in statuses
                    and low <= _instant(o["LastUpdateDate"])
                    and (high is None or _instant(o["LastUpdateDate"]) < high)
                ]
                start = 0
            page = selected[start : start + double.orders_page_size]
            payload: dict[str, Any] = {"Orders": page}
            if start + double.orders_page_size < len(selected):
                next_token = double.next_id("page-token-")
                with double.lock:
                    double.pages[next_token] = (selected, start + double.orders_page_size)
                payload["NextToken"] = next_token
            self._json("getOrders", 200, {"payload": payload})

    return Handler
