"""Where SP-API credentials and endpoints come from, and how they stay secret.

Credentials are read from the ``[sp_api]`` table of ``.streamlit/secrets.toml`` (parsed with
``tomllib``; the core never imports streamlit) or, key by key, from the environment variables
python-amazon-sp-api itself reads. They are held in :class:`SpApiCredentials`, whose ``repr``
and ``str`` never show a value, and they are never written to the store, a log or a file.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sellerguard.errors import SpApiError

JP_MARKETPLACE_ID = "A1VC38T7YXB528"
"""Amazon.co.jp."""

FE_ENDPOINT = "https://sellingpartnerapi-fe.amazon.com"
"""Production SP-API endpoint of the Far East region that serves Japan."""

LWA_ENDPOINT = "https://api.amazon.com/auth/o2/token"
"""Login with Amazon token endpoint."""

ENDPOINT_ENV = "SELLERGUARD_SPAPI_ENDPOINT"
LWA_ENDPOINT_ENV = "SELLERGUARD_LWA_ENDPOINT"


@dataclass(frozen=True)
class SecretKey:
    """One key of the ``[sp_api]`` secrets table: its environment fallback and help text."""

    name: str
    env: str | None
    required: bool
    help: str


SECRET_KEYS: tuple[SecretKey, ...] = (
    SecretKey(
        "refresh_token",
        "SP_API_REFRESH_TOKEN",
        True,
        "LWA refresh token issued when the seller authorised the application (Atzr|...).",
    ),
    SecretKey(
        "lwa_app_id",
        "LWA_APP_ID",
        True,
        "LWA client identifier of the application (amzn1.application-oa2-client...).",
    ),
    SecretKey(
        "lwa_client_secret",
        "LWA_CLIENT_SECRET",
        True,
        "LWA client secret of the application.",
    ),
    SecretKey(
        "restricted_role",
        None,
        False,
        "true (default) to try the order report with buyer data through a Restricted Data "
        "Token; false when the application has no restricted role, to skip the attempt.",
    ),
)
"""Every key the ``[sp_api]`` table accepts; ``.streamlit/secrets.toml.example`` documents each."""


def _mask(value: str) -> str:
    return "<set>" if value else "<missing>"


@dataclass(frozen=True)
class SpApiCredentials:
    """The three LWA secrets. ``repr`` and ``str`` show only whether each is set."""

    refresh_token: str = field(repr=False)
    lwa_app_id: str = field(repr=False)
    lwa_client_secret: str = field(repr=False)
    restricted_role: bool = True
    source: str = "secrets"

    def __repr__(self) -> str:
        return (
            f"SpApiCredentials(refresh_token={_mask(self.refresh_token)}, "
            f"lwa_app_id={_mask(self.lwa_app_id)}, "
            f"lwa_client_secret={_mask(self.lwa_client_secret)}, "
            f"restricted_role={self.restricted_role}, source={self.source!r})"
        )

    __str__ = __repr__

    def secrets(self) -> tuple[str, ...]:
        """Return the secret values, so that callers can check none leaked into output."""
        return (self.refresh_token, self.lwa_app_id, self.lwa_client_secret)


@dataclass(frozen=True)
class CredentialStatus:
    """Which credentials are present and where they come from; never the values."""

    present: tuple[str, ...]
    missing: tuple[str, ...]
    source: str

    @property
    def complete(self) -> bool:
        """True when every required key is present."""
        return not self.missing


@dataclass(frozen=True)
class SpApiEndpoints:
    """Where requests go: the SP-API base URL and the LWA token URL."""

    spapi: str = FE_ENDPOINT
    lwa: str = LWA_ENDPOINT

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> SpApiEndpoints:
        """Read the ``SELLERGUARD_SPAPI_ENDPOINT`` / ``SELLERGUARD_LWA_ENDPOINT`` overrides."""
        env = os.environ if environ is None else environ
        return cls(
            spapi=(env.get(ENDPOINT_ENV) or FE_ENDPOINT).rstrip("/"),
            lwa=env.get(LWA_ENDPOINT_ENV) or LWA_ENDPOINT,
        )


def default_secrets_paths() -> tuple[Path, ...]:
    """Streamlit's secrets files: the project's first, then the user's."""
    return (Path.cwd() / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml")


def _secrets_table(paths: Sequence[Path]) -> dict[str, object]:
    for path in paths:
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise SpApiError("secrets_unreadable", file=path.name) from err
        table = data.get("sp_api")
        if isinstance(table, dict):
            return table
    return {}


@dataclass(frozen=True)
class _Resolved:
    values: dict[str, str]
    restricted_role: bool
    source: str

    def status(self) -> CredentialStatus:
        names = tuple(k.name for k in SECRET_KEYS if k.required)
        return CredentialStatus(
            present=tuple(n for n in names if n in self.values),
            missing=tuple(n for n in names if n not in self.values),
            source=self.source,
        )


def _resolve(secrets_paths: Sequence[Path] | None, environ: Mapping[str, str] | None) -> _Resolved:
    env = os.environ if environ is None else environ
    table = _secrets_table(default_secrets_paths() if secrets_paths is None else secrets_paths)
    values: dict[str, str] = {}
    sources: set[str] = set()
    for key in SECRET_KEYS:
        if not key.required:
            continue
        raw = table.get(key.name)
        if isinstance(raw, str) and raw.strip():
            values[key.name] = raw.strip()
            sources.add("secrets")
        elif key.env and env.get(key.env, "").strip():
            values[key.name] = env[key.env].strip()
            sources.add("environment")
    return _Resolved(
        values=values,
        restricted_role=table.get("restricted_role", True) is not False,
        source="+".join(sorted(sources)) or "none",
    )


def credential_status(
    secrets_paths: Sequence[Path] | None = None, environ: Mapping[str, str] | None = None
) -> CredentialStatus:
    """Report which credentials are present (never their values).

    Parameters
    ----------
    secrets_paths
        Secrets files to look in; default :func:`default_secrets_paths`.
    environ
        Environment to read; default ``os.environ``.
    """
    return _resolve(secrets_paths, environ).status()


def load_credentials(
    secrets_paths: Sequence[Path] | None = None, environ: Mapping[str, str] | None = None
) -> SpApiCredentials:
    """Load the credentials, secrets file first, then the library's environment variables.

    Raises
    ------
    SpApiError
        ``missing_credentials`` naming the missing keys (never a value).
    """
    resolved = _resolve(secrets_paths, environ)
    status = resolved.status()
    if not status.complete:
        raise SpApiError("missing_credentials", keys=", ".join(status.missing))
    return SpApiCredentials(
        refresh_token=resolved.values["refresh_token"],
        lwa_app_id=resolved.values["lwa_app_id"],
        lwa_client_secret=resolved.values["lwa_client_secret"],
        restricted_role=resolved.restricted_role,
        source=status.source,
    )
