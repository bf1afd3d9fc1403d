"""The page-shell middleware in front of ``streamlit run app.py`` (sellerguard.dashboard)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from sellerguard.dashboard import BackendBaseUrl

ROOT = Path(__file__).resolve().parents[2]
SHELL = b"<!DOCTYPE html><html><head><title>Streamlit</title></head><body></body></html>"
BROWSER_ACCEPT = b"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def serve(
    middleware_for: Any,
    *,
    accept: bytes = BROWSER_ACCEPT,
    method: str = "GET",
    status: int = 200,
    headers: list[tuple[bytes, bytes]] | None = None,
    chunks: tuple[bytes, ...] = (SHELL,),
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run one request through the middleware over a fake app; return (requests seen by the
    app, messages sent to the client)."""
    seen: list[dict[str, Any]] = []
    sent: list[dict[str, Any]] = []
    if headers is None:
        headers = [(b"content-type", b"text/html"), (b"content-length", str(len(SHELL)).encode())]

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.append(scope)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        for i, chunk in enumerate(chunks):
            more = i < len(chunks) - 1
            await send({"type": "http.response.body", "body": chunk, "more_body": more})

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": "/review",
        "headers": [(b"accept", accept), (b"accept-encoding", b"gzip, deflate")],
    }
    # A thread of its own: the browser tests' Playwright may run an event loop in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, middleware_for(app)(scope, receive, send)).result()
    return seen, sent


def body_of(sent: list[dict[str, Any]]) -> bytes:
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def header(sent: list[dict[str, Any]], name: bytes) -> bytes | None:
    [start] = [m for m in sent if m["type"] == "http.response.start"]
    values = [v for k, v in start["headers"] if k == name]
    assert len(values) <= 1
    return values[0] if values else None


def test_the_shell_says_where_the_server_is() -> None:
    seen, sent = serve(BackendBaseUrl)
    html = body_of(sent)
    assert html.startswith(
        b"<!DOCTYPE html><html><head><script>window.__streamlit="
        b'{BACKEND_BASE_URL:location.origin+"/"}</script><title>'
    )
    assert html.count(b"<script>") == 1
    assert header(sent, b"content-length") == str(len(html)).encode()
    # The shell was asked for uncompressed, so that it could be edited.
    assert b"accept-encoding" not in dict(seen[0]["headers"])


def test_a_shell_in_several_chunks_is_edited_whole() -> None:
    _, sent = serve(BackendBaseUrl, chunks=(SHELL[:20], SHELL[20:]))
    assert body_of(sent).count(b"window.__streamlit") == 1
    assert sum(m["type"] == "http.response.body" for m in sent) == 1


@pytest.mark.parametrize(
    ("base_path", "expected"),
    [("", b'"/"'), ("/", b'"/"'), ("sellerguard", b'"/sellerguard/"'), ("/a/b/", b'"/a/b/"')],
)
def test_the_base_url_path_is_kept(base_path: str, expected: bytes) -> None:
    _, sent = serve(lambda app: BackendBaseUrl(app, base_path=base_path))
    assert b"location.origin+" + expected + b"}" in body_of(sent)


def test_requests_other_than_page_navigations_pass_untouched() -> None:
    js = [(b"content-type", b"text/javascript")]
    for kwargs in (
        {"accept": b"*/*"},  # a script's fetch (health check, host config)
        {"method": "POST"},
        {"headers": js, "chunks": (b"one", b"two")},  # not HTML: streamed as it comes
        {"status": 304, "chunks": (b"",)},  # the browser keeps its copy
        {"headers": [(b"content-type", b"text/html"), (b"content-encoding", b"gzip")]},
    ):
        seen, sent = serve(BackendBaseUrl, **kwargs)  # type: ignore[arg-type]
        assert b"__streamlit" not in body_of(sent), kwargs
        assert len([m for m in sent if m["type"] == "http.response.body"]) == len(
            kwargs.get("chunks", (SHELL,))
        )
        if kwargs.get("accept") == b"*/*" or kwargs.get("method") == "POST":
            assert b"accept-encoding" in dict(seen[0]["headers"])


def test_a_shell_without_head_is_left_alone() -> None:
    odd = b"<html><body>no head</body></html>"
    _, sent = serve(BackendBaseUrl, chunks=(odd,))
    assert body_of(sent) == odd
    assert header(sent, b"content-length") == str(len(odd)).encode()


def test_streamlit_run_app_py_serves_the_app_with_the_middleware() -> None:
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(ROOT / "app.py")
    assert found.is_asgi_app
    assert found.import_string == "app:app"
