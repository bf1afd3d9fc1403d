"""The message catalogue: every user-visible string, Japanese first, English second.

Messages live in ``messages/*.toml``, one file per area (``core.toml``, ``review.toml`` ...),
each key a table with ``ja`` and ``en``::

    ["review.title"]
    ja = "レビュー"
    en = "Review"

Placeholders use ``str.format`` syntax: ``t("import.rows", "en", n=3)``.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES: tuple[str, ...] = ("ja", "en")
DEFAULT_LANGUAGE = "ja"


class MissingMessage(KeyError):
    """A key that is in no catalogue file."""


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Load and merge every catalogue file; a key defined twice is an error."""
    merged: dict[str, dict[str, str]] = {}
    folder = resources.files("sellerguard.i18n") / "messages"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        for key, texts in data.items():
            if key in merged:
                raise ValueError(f"message key {key!r} defined twice (again in {entry.name})")
            merged[key] = {lang: str(texts[lang]) for lang in texts}
    return merged


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """Return the message ``key`` in ``lang``, formatted with ``params``."""
    texts = catalogue().get(key)
    if texts is None:
        raise MissingMessage(key)
    text = texts.get(lang) or texts[DEFAULT_LANGUAGE]
    return text.format(**params) if params else text


def status_label(status: object, lang: str = DEFAULT_LANGUAGE) -> str:
    """An Amazon order status (``Shipped``) as the seller reads it in ``lang`` (出荷済み);
    a status the catalogue does not know is shown as Amazon wrote it."""
    if not isinstance(status, str):  # None or a missing value
        return ""
    try:
        return t(f"order.status.{status.replace(' ', '')}", lang)
    except MissingMessage:
        return status
