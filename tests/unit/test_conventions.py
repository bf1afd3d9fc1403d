"""Project-wide conventions: a UI-free core, a complete catalogue, documented rules."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from sellerguard.i18n import LANGUAGES, catalogue, t
from sellerguard.rules import RULES
from sellerguard.rules.docs import rules_markdown
from sellerguard.settings import Settings, from_mapping

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "sellerguard").rglob("*.py")), ids=str)
def test_core_never_imports_streamlit(path: Path) -> None:
    assert "streamlit" not in _imports(path)


def test_every_message_has_both_languages() -> None:
    missing = [
        (key, lang)
        for key, texts in catalogue().items()
        for lang in LANGUAGES
        if not texts.get(lang)
    ]
    assert missing == []


def test_messages_use_the_same_placeholders_in_both_languages() -> None:
    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    mismatched = [
        key for key, texts in catalogue().items() if fields(texts["ja"]) != fields(texts["en"])
    ]
    assert mismatched == []


def test_japanese_text_is_japanese() -> None:
    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    latin_only = [
        key
        for key, texts in catalogue().items()
        if not japanese.search(texts["ja"])
        and re.search(r"[A-Za-z]{4,}", texts["ja"])
        and texts["ja"] != texts["en"]
    ]
    assert latin_only == []


def test_every_key_used_in_pages_exists() -> None:
    used: set[str] = set()
    for path in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]:
        if path.exists():
            used |= set(
                re.findall(r"""\bt\(\s*["']([a-z0-9_.]+)["']""", path.read_text(encoding="utf-8"))
            )
    assert sorted(used - set(catalogue())) == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_declares_both_languages_and_its_parameters(rule) -> None:
    for lang in LANGUAGES:
        assert rule.title[lang].strip()
        assert rule.explain[lang].strip()
    assert re.fullmatch(r"[a-z][a-z0-9_]+", rule.code)
    assert 0 < rule.weight <= 100
    for name in rule.params:
        if name not in ("min_days", "max_days") or rule.code in ("cvs_lock", "pending_hold"):
            assert name in rule.param_help, f"{rule.code}.{name} has no help text"


def test_rule_codes_are_unique() -> None:
    codes = [rule.code for rule in RULES]
    assert len(codes) == len(set(codes))


def test_rules_reference_is_up_to_date() -> None:
    assert (ROOT / "docs" / "RULES.md").read_text(encoding="utf-8") == rules_markdown()


def test_undeliverable_address_alone_is_at_least_medium() -> None:
    settings = Settings()
    for code in (
        "postcode_unknown",
        "postcode_other_prefecture",
        "postcode_other_city",
        "postcode_other_town",
        "postcode_missing",
        "postcode_malformed",
        "block_missing",
        "address_nonsense",
    ):
        assert settings.level(settings.rule(code).weight) in ("medium", "high"), code


def test_settings_round_trip_and_validation() -> None:
    from sellerguard.errors import InvalidSettings

    changed = from_mapping(
        {"thresholds": {"medium": 25, "high": 70}, "rules": {"repeat_cancel": {"weight": 50}}}
    )
    assert (changed.medium, changed.high, changed.rule("repeat_cancel").weight) == (25, 70, 50)
    assert from_mapping(changed.to_dict()) == from_mapping(changed.to_dict(), Settings())
    with pytest.raises(InvalidSettings) as err:
        from_mapping({"thresholds": {"medium": 80, "high": 70}})
    assert "80" in err.value.message("en") and "80" in err.value.message("ja")
    with pytest.raises(InvalidSettings):
        from_mapping({"rules": {"no_such_rule": {"weight": 1}}})
    with pytest.raises(InvalidSettings):
        from_mapping({"rules": {"repeat_cancel": {"weight": "heavy"}}})


def test_error_messages_translate() -> None:
    assert t("error.unreadable_export", "en", file="a.txt", detail="x") == "Cannot read a.txt: x"


def test_importing_the_core_does_not_load_numba() -> None:
    """numba (a fraction of a second to import) loads on first use of a compiled pass, in
    the scan's preload thread, never while the command starts up."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import sellerguard.cli, sellerguard.address, sellerguard.exports, sellerguard.rules\n"
        "from sellerguard.rules import scan_orders\n"
        "from sellerguard.scan_output import write_result\n"
        "assert 'numba' not in sys.modules, 'numba imported at import time'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
