"""Decompression and encoding sniffing of downloaded report documents."""

from __future__ import annotations

import codecs
import gzip

import pytest

from sellerguard.errors import SpApiError
from sellerguard.spapi.documents import (
    charset_from_content_type,
    decompress,
    read_document,
    sniff_encoding,
)

TEXT = "amazon-order-id\tproduct-name\r\n503-1\t抹茶 ２００ｇ ﾃｽﾄ ①\r\n"


@pytest.mark.parametrize(
    ("content", "declared", "expected"),
    [
        (TEXT.encode("utf-8"), None, "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), None, "utf-8-sig"),
        (TEXT.encode("cp932"), None, "cp932"),
        (TEXT.encode("cp932"), "iso-8859-1", "cp932"),  # the library's silent fallback
        (TEXT.encode("cp932"), "utf-8", "cp932"),  # a wrong declaration is not believed
        (TEXT.encode("cp932"), "Windows-31J", "cp932"),
        (TEXT.encode("cp932"), "shift_jis", "cp932"),
        (TEXT.encode("utf-8"), "utf-8", "utf-8"),
        (b"plain ascii\n", "iso-8859-1", "utf-8"),
    ],
)
def test_sniff_encoding(content: bytes, declared: str | None, expected: str) -> None:
    encoding, text = sniff_encoding(content, declared)
    assert encoding == expected
    assert text.lstrip("\ufeff") == content.decode(expected).lstrip("\ufeff")
    if content != b"plain ascii\n":
        assert "抹茶" in text


def test_undecodable_bytes_raise() -> None:
    with pytest.raises(SpApiError) as caught:
        sniff_encoding(bytes(range(128, 256)) * 16)
    assert caught.value.reason == "undecodable_document"


def test_declared_latin1_is_used_only_last() -> None:
    content = "café".encode("latin-1")
    assert sniff_encoding(content, "iso-8859-1") == ("iso8859-1", "café")


def test_gzip_and_truncated_gzip() -> None:
    packed = gzip.compress(TEXT.encode("cp932"))
    assert decompress(packed, "GZIP") == TEXT.encode("cp932")
    with pytest.raises(SpApiError) as caught:
        decompress(packed[:-10], "GZIP")
    assert caught.value.reason == "corrupt_document"
    with pytest.raises(SpApiError):
        decompress(b"not gzip at all", "GZIP")
    with pytest.raises(SpApiError) as caught:
        decompress(packed, "ZSTD")
    assert caught.value.reason == "unknown_compression"


def test_read_document_keeps_the_decompressed_original() -> None:
    original = TEXT.encode("cp932")
    document = read_document(gzip.compress(original), "GZIP", "text/plain")
    assert document.content == original
    assert document.encoding == "cp932" and document.compressed
    assert document.data_lines == 1


@pytest.mark.parametrize(
    ("header", "charset"),
    [
        ("text/plain; charset=Windows-31J", "windows-31j"),
        ('text/plain;charset="UTF-8"', "utf-8"),
        ("text/plain", None),
        (None, None),
    ],
)
def test_charset_from_content_type(header: str | None, charset: str | None) -> None:
    assert charset_from_content_type(header) == charset


def test_a_few_stray_bytes_are_tolerated() -> None:
    content = TEXT.encode("cp932") * 20 + b"\x82"  # a character cut in half at the end
    encoding, text = sniff_encoding(content)
    assert encoding == "cp932" and text.count("抹茶") == 20
