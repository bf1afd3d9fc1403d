"""Settings: thresholds, retention, loss assumptions and per-rule overrides.

Defaults ship in ``sellerguard/settings.toml``; rule weights and parameters default to the
rule declarations (``sellerguard.rules.RULES``). A seller's file (``<data dir>/settings.toml``)
or the store's settings override them key by key; every value is checked up front.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from sellerguard.errors import InvalidSettings

HOME_ENV = "SELLERGUARD_HOME"


def data_dir(home: str | os.PathLike[str] | None = None) -> Path:
    """The seller's data directory: ``home``, else ``$SELLERGUARD_HOME``, else ``~/.sellerguard``.

    The one place that decides where SellerGuard keeps its files (store, caches, settings).
    """
    if home is not None:
        return Path(home).expanduser()
    configured = os.environ.get(HOME_ENV)
    return Path(configured).expanduser() if configured else Path.home() / ".sellerguard"


@dataclass(frozen=True)
class RuleSettings:
    """The seller's choices for one rule: on or off, weight, parameter values."""

    enabled: bool
    weight: int
    params: Mapping[str, float]


@dataclass(frozen=True)
class Settings:
    """Everything configurable that changes what a scan says."""

    medium: int = 30
    high: int = 60
    retention_days: int = 30
    cod_fee: int = 330
    shipping_one_way: int = 800
    rules: Mapping[str, RuleSettings] = field(default_factory=dict)

    def rule(self, code: str) -> RuleSettings:
        """The effective settings of rule ``code`` (declaration defaults if not overridden)."""
        if code in self.rules:
            return self.rules[code]
        from sellerguard.rules.declarations import RULES_BY_CODE

        declared = RULES_BY_CODE[code]
        return RuleSettings(True, declared.weight, dict(declared.params))

    def level(self, score: int) -> str:
        """``high``, ``medium`` or ``low`` for a score."""
        if score >= self.high:
            return "high"
        if score >= self.medium:
            return "medium"
        return "low"

    def to_dict(self) -> dict[str, Any]:
        """A TOML/JSON-ready mapping of every effective value (round-trips through ``from_mapping``)."""
        from sellerguard.rules.declarations import RULES

        return {
            "thresholds": {"medium": self.medium, "high": self.high},
            "retention": {"days": self.retention_days},
            "losses": {"cod_fee": self.cod_fee, "shipping_one_way": self.shipping_one_way},
            "rules": {
                r.code: {
                    "enabled": self.rule(r.code).enabled,
                    "weight": self.rule(r.code).weight,
                    **self.rule(r.code).params,
                }
                for r in RULES
            },
        }


def _number(value: Any, where: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidSettings("not_a_number", where=where, value=repr(value))
    if not low <= value <= high:
        raise InvalidSettings("out_of_range", where=where, value=value, low=low, high=high)
    return float(value)


def from_mapping(data: Mapping[str, Any], base: Settings | None = None) -> Settings:
    """Apply ``data`` (the TOML layout of settings.toml) on top of ``base``, checking each value."""
    from sellerguard.rules.declarations import RULES_BY_CODE

    settings = base or Settings()
    known = {"thresholds", "retention", "losses", "rules"}
    for section in data:
        if section not in known:
            raise InvalidSettings("unknown_key", where=section)
    thresholds = data.get("thresholds", {})
    medium = int(_number(thresholds.get("medium", settings.medium), "thresholds.medium", 1, 100))
    high = int(_number(thresholds.get("high", settings.high), "thresholds.high", 1, 100))
    if medium >= high:
        raise InvalidSettings("thresholds_order", medium=medium, high=high)
    retention = data.get("retention", {})
    days = int(_number(retention.get("days", settings.retention_days), "retention.days", 1, 3650))
    losses = data.get("losses", {})
    cod_fee = int(_number(losses.get("cod_fee", settings.cod_fee), "losses.cod_fee", 0, 100_000))
    shipping = int(
        _number(
            losses.get("shipping_one_way", settings.shipping_one_way),
            "losses.shipping_one_way",
            0,
            100_000,
        )
    )
    rules = dict(settings.rules)
    for code, values in data.get("rules", {}).items():
        if code not in RULES_BY_CODE:
            raise InvalidSettings("unknown_rule", where=f"rules.{code}")
        current = settings.rule(code)
        declared = RULES_BY_CODE[code].params
        params = dict(current.params)
        for name, value in values.items():
            if name in ("enabled", "weight"):
                continue
            if name not in declared:
                raise InvalidSettings("unknown_key", where=f"rules.{code}.{name}")
            params[name] = _number(value, f"rules.{code}.{name}", 0, 1_000_000)
        enabled = values.get("enabled", current.enabled)
        if not isinstance(enabled, bool):
            raise InvalidSettings("not_a_bool", where=f"rules.{code}.enabled", value=repr(enabled))
        weight = int(_number(values.get("weight", current.weight), f"rules.{code}.weight", 0, 100))
        rules[code] = RuleSettings(enabled, weight, params)
    return replace(
        settings,
        medium=medium,
        high=high,
        retention_days=days,
        cod_fee=cod_fee,
        shipping_one_way=shipping,
        rules=rules,
    )


def load_settings(path: Path | None = None) -> Settings:
    """Defaults, then the seller's settings file (``<data dir>/settings.toml`` if ``path`` is None)."""
    defaults = tomllib.loads(
        (resources.files("sellerguard") / "settings.toml").read_text(encoding="utf-8")
    )
    settings = from_mapping(defaults)
    user_file = path if path is not None else data_dir() / "settings.toml"
    if user_file.is_file():
        try:
            user = tomllib.loads(user_file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as err:
            raise InvalidSettings("bad_toml", file=str(user_file), detail=str(err)) from err
        settings = from_mapping(user, settings)
    return settings
