"""The evidence log: dated entries (text, files such as screenshots) with their SHA-256.

Files are copied into ``<data dir>/evidence/`` under their hash, so an entry can later be
checked against the file it points to. The original exports' hashes are recorded by the
store at import (its ``imports`` table); ``imported_files`` lists them for the report.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from sellerguard.errors import ReportError
from sellerguard.workflow.storage import reading, utc_now, writing

if TYPE_CHECKING:
    from sellerguard.store import Store

EVIDENCE_FOLDER = "evidence"


@dataclass(frozen=True)
class EvidenceEntry:
    """One entry of the evidence log.

    Attributes
    ----------
    occurred_on
        The day the recorded event happened (not the day it was logged).
    title, note
        What it is, in the seller's words.
    file_name
        The original name of the attached file, None for a text entry.
    stored_path
        Where the copy lives, relative to the data directory.
    sha256
        Hash of the attached file, or of the note's UTF-8 text for a text entry.
    size_bytes
        Size of the attached file (of the note for a text entry).
    recorded_at
        When the entry was logged (UTC, ISO 8601).
    """

    occurred_on: date
    title: str
    note: str = ""
    file_name: str | None = None
    stored_path: str | None = None
    sha256: str = ""
    size_bytes: int = 0
    recorded_at: str = ""
    id: int = 0


@dataclass(frozen=True)
class ImportedFile:
    """An export file as recorded by the store at import."""

    name: str
    sha256: str
    kind: str
    imported_at: str


def add_evidence(
    store: Store,
    occurred_on: date,
    title: str,
    note: str = "",
    *,
    file_name: str | None = None,
    content: bytes | None = None,
) -> EvidenceEntry:
    """Log an entry; with ``content``, copy the file into the data directory under its hash.

    Raises
    ------
    ReportError
        ``evidence_untitled`` without a title, ``evidence_unwritable`` when the file cannot
        be stored.
    """
    if not title.strip():
        raise ReportError("evidence_untitled")
    stored: str | None = None
    if content is not None:
        digest = hashlib.sha256(content).hexdigest()
        size = len(content)
        stored = f"{EVIDENCE_FOLDER}/{digest}{_safe_suffix(file_name or '')}"
        _write_once(Path(store.home) / stored, content)
        name: str | None = PurePath(file_name).name if file_name else digest
    else:
        data = note.encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        size = len(data)
        name = None
    recorded_at = utc_now()
    with writing(store) as conn:
        cursor = conn.execute(
            "INSERT INTO evidence (occurred_on, title, note, file_name, stored_path, sha256,"
            " size_bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (occurred_on.isoformat(), title.strip(), note, name, stored, digest, size, recorded_at),
        )
        new_id = int(cursor.lastrowid or 0)
    return EvidenceEntry(
        occurred_on, title.strip(), note, name, stored, digest, size, recorded_at, new_id
    )


def list_evidence(store: Store) -> list[EvidenceEntry]:
    """Return every evidence entry, by the day it happened, then as logged."""
    with reading(store) as conn:
        rows = conn.execute(
            "SELECT id, occurred_on, title, note, file_name, stored_path, sha256, size_bytes,"
            " created_at FROM evidence ORDER BY occurred_on, id"
        ).fetchall()
    return [
        EvidenceEntry(
            id=int(row[0]),
            occurred_on=date.fromisoformat(str(row[1])),
            title=str(row[2]),
            note=str(row[3]),
            file_name=row[4],
            stored_path=row[5],
            sha256=str(row[6] or ""),
            size_bytes=int(row[7] or 0),
            recorded_at=str(row[8]),
        )
        for row in rows
    ]


def evidence_file(store: Store, entry: EvidenceEntry) -> Path | None:
    """Return the stored copy of an entry's file, or None for a text entry."""
    return Path(store.home) / entry.stored_path if entry.stored_path else None


def verify_evidence(store: Store, entry: EvidenceEntry) -> bool:
    """Whether the entry's stored file (or note) still has the recorded SHA-256."""
    path = evidence_file(store, entry)
    if path is None:
        return hashlib.sha256(entry.note.encode("utf-8")).hexdigest() == entry.sha256
    if not path.is_file():
        return False
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest() == entry.sha256


def imported_files(store: Store) -> list[ImportedFile]:
    """Return the export files the store imported, with their SHA-256, oldest first."""
    frame = store.imported_files()
    return [
        ImportedFile(str(name), str(sha), str(kind or ""), str(when or ""))
        for name, sha, kind, when in zip(
            frame["name"].fillna(""),
            frame["sha256"],
            frame["kind"].fillna(""),
            frame["imported_at"].fillna(""),
            strict=True,
        )
    ]


def _safe_suffix(file_name: str) -> str:
    suffix = PurePath(file_name).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,10}", suffix) else ""


def _write_once(path: Path, content: bytes) -> None:
    if path.is_file() and path.stat().st_size == len(content):
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
    except OSError as err:
        raise ReportError("evidence_unwritable", path=str(path.name)) from err
