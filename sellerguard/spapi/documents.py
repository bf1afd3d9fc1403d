"""Report documents as downloaded: decompression and character-set sniffing.

The library decodes a document with the ``Content-Type`` charset and silently falls back to
ISO-8859-1 when there is none, and returns bytes when decoding fails. SellerGuard instead keeps
the original bytes (the file a seller would download from Seller Central) and decides the
encoding itself: the declared charset when it really decodes the bytes, otherwise UTF-8 (with
or without a BOM) when the bytes are valid UTF-8, otherwise cp932 (Shift_JIS as Windows and
Amazon.co.jp write it).
"""

from __future__ import annotations

import codecs
import zlib
from dataclasses import dataclass

from sellerguard.errors import SpApiError

_CHARSET_ALIASES = {
    "windows-31j": "cp932",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms932": "cp932",
    "ms_kanji": "cp932",
}


@dataclass(frozen=True)
class ReportDocument:
    """A downloaded report: the original bytes, their encoding and the decoded text."""

    content: bytes
    encoding: str
    text: str
    compressed: bool
    declared_charset: str | None

    @property
    def data_lines(self) -> int:
        """Rows below the header (blank trailing lines not counted)."""
        lines = [line for line in self.text.splitlines() if line.strip()]
        return max(len(lines) - 1, 0)


def charset_from_content_type(content_type: str | None) -> str | None:
    """Return the ``charset=`` parameter of a ``Content-Type`` header, or None."""
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"').lower()
    return None


def _python_codec(charset: str) -> str | None:
    name = _CHARSET_ALIASES.get(charset.lower(), charset.lower())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decompress(raw: bytes, algorithm: str | None) -> bytes:
    """Undo the document's ``compressionAlgorithm`` (only GZIP exists).

    Raises
    ------
    SpApiError
        ``corrupt_document`` when the gzip stream is damaged or truncated.
    """
    if not algorithm:
        return raw
    if algorithm.upper() != "GZIP":
        raise SpApiError("unknown_compression", algorithm=algorithm)
    try:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        content = inflater.decompress(raw) + inflater.flush()
    except zlib.error as err:
        raise SpApiError("corrupt_document") from err
    if not inflater.eof:
        raise SpApiError("corrupt_document")
    return content


def sniff_encoding(content: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decide how ``content`` is encoded and decode it.

    Returns
    -------
    tuple
        ``(encoding, text)`` where encoding is a Python codec name (``utf-8-sig``,
        ``utf-8``, ``cp932`` or the declared one).

    Raises
    ------
    SpApiError
        ``undecodable_document`` when the bytes are neither the declared charset, UTF-8 nor
        cp932 (a few stray bytes are tolerated, as the readers do).
    """
    candidates: list[str] = []
    if content.startswith(codecs.BOM_UTF8):
        candidates.append("utf-8-sig")
    codec = _python_codec(declared) if declared else None
    # A declared charset is believed only when it decodes the bytes. ISO-8859-1 decodes
    # anything, so a declared single-byte charset comes after UTF-8 and cp932.
    single_byte = codec in ("latin-1", "iso8859-1", "ascii", "cp1252")
    if codec and not single_byte:
        candidates.append(codec)
    candidates += ["utf-8", "cp932"]
    if codec and single_byte:
        candidates.append(codec)
    for encoding in dict.fromkeys(candidates):
        try:
            return encoding, content.decode(encoding)
        except UnicodeDecodeError:
            continue
    # A few stray bytes (a truncated character in a product name) do not make a report
    # unusable: the readers tolerate them too. Anything worse is not text we know.
    lenient = {e: content.decode(e, errors="replace") for e in ("utf-8", "cp932")}
    encoding = min(lenient, key=lambda e: lenient[e].count("\ufffd"))
    if lenient[encoding].count("\ufffd") <= max(2, len(content) // 1000):
        return encoding, lenient[encoding]
    raise SpApiError("undecodable_document")


def read_document(raw: bytes, algorithm: str | None, content_type: str | None) -> ReportDocument:
    """Decompress and decode a downloaded document, keeping the decompressed original bytes."""
    content = decompress(raw, algorithm)
    declared = charset_from_content_type(content_type)
    encoding, text = sniff_encoding(content, declared)
    return ReportDocument(
        content=content,
        encoding=encoding,
        text=text,
        compressed=bool(algorithm),
        declared_charset=declared,
    )
