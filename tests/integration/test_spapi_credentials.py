"""Credentials (secrets file, environment), their masking, and the secrets example."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from sellerguard.errors import SpApiError
from sellerguard.spapi.credentials import SECRET_KEYS, credential_status, load_credentials

ROOT = Path(__file__).resolve().parents[2]
ENV = {
    "SP_API_REFRESH_TOKEN": "Atzr|env-SECRET",
    "LWA_APP_ID": "amzn1.application-oa2-client.env",
    "LWA_CLIENT_SECRET": "env-client-SECRET",
}


def write_secrets(folder: Path, body: str) -> Path:
    path = folder / ".streamlit" / "secrets.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return path


def test_secrets_file_first_then_environment_key_by_key(tmp_path: Path) -> None:
    path = write_secrets(
        tmp_path, '[sp_api]\nrefresh_token = "Atzr|file-SECRET"\nrestricted_role = false\n'
    )
    creds = load_credentials([path], ENV)
    assert creds.refresh_token == "Atzr|file-SECRET"
    assert creds.lwa_app_id == ENV["LWA_APP_ID"]
    assert creds.restricted_role is False
    assert creds.source == "environment+secrets"


def test_environment_alone(tmp_path: Path) -> None:
    creds = load_credentials([tmp_path / "absent.toml"], ENV)
    assert creds.source == "environment" and creds.restricted_role is True


def test_missing_keys_are_named_never_valued(tmp_path: Path) -> None:
    env = {"LWA_APP_ID": "amzn1.application-oa2-client.x"}
    status = credential_status([tmp_path / "absent.toml"], env)
    assert status.present == ("lwa_app_id",)
    assert status.missing == ("refresh_token", "lwa_client_secret")
    assert not status.complete
    with pytest.raises(SpApiError) as caught:
        load_credentials([tmp_path / "absent.toml"], env)
    message = caught.value.message("en")
    assert "refresh_token, lwa_client_secret" in message
    assert "amzn1.application-oa2-client.x" not in message


def test_broken_secrets_file_is_a_clear_error(tmp_path: Path) -> None:
    path = write_secrets(tmp_path, "[sp_api\nrefresh_token = ")
    with pytest.raises(SpApiError) as caught:
        load_credentials([path], {})
    assert caught.value.reason == "secrets_unreadable"
    assert "secrets.toml" in caught.value.message("ja")


def test_repr_and_str_mask_every_value(tmp_path: Path) -> None:
    creds = load_credentials([tmp_path / "absent.toml"], ENV)
    for shown in (repr(creds), str(creds), f"{creds}", repr([creds])):
        for secret in ENV.values():
            assert secret not in shown
    assert "refresh_token=<set>" in repr(creds)


def test_secrets_example_documents_every_key() -> None:
    example = ROOT / ".streamlit" / "secrets.toml.example"
    text = example.read_text(encoding="utf-8")
    table = tomllib.loads(text)["sp_api"]
    for key in SECRET_KEYS:
        assert key.name in table, key.name
        assert f"# {key.name}:" in text, f"{key.name} has no explanation"
    assert set(table) == {key.name for key in SECRET_KEYS}
