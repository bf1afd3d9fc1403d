"""Generate docs/RULES.md from the rule declarations (``python -m sellerguard.rules.docs``)."""

from __future__ import annotations

import sys
from pathlib import Path

from sellerguard.rules.declarations import RULES
from sellerguard.settings import Settings


def rules_markdown() -> str:
    """The rules reference: one section per rule, both languages, weights and parameters."""
    defaults = Settings()
    lines = [
        "# Rules / 判定ルール",
        "",
        "Generated from `sellerguard/rules/declarations.py` by `python -m sellerguard.rules.docs`;",
        "do not edit by hand. Scores add up the weights of the rules that fire (times their",
        f"strength, capped at 100): medium from {defaults.medium}, high from {defaults.high}",
        "(`sellerguard/settings.toml`, overridable per seller).",
        "",
    ]
    for rule in RULES:
        lines += [
            f"## `{rule.code}` — {rule.title['ja']} / {rule.title['en']}",
            "",
            f"Weight: **{rule.weight}**",
            "",
            f"- ja: {rule.explain['ja']}",
            f"- en: {rule.explain['en']}",
        ]
        if rule.params:
            lines += ["", "| parameter | default | ja | en |", "|---|---|---|---|"]
            for name, value in rule.params.items():
                words = rule.param_help.get(name, {})
                lines.append(
                    f"| `{name}` | {value:g} | {words.get('ja', '')} | {words.get('en', '')} |"
                )
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    """Write docs/RULES.md next to the package (or to the path given)."""
    target = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[2] / "docs" / "RULES.md"
    )
    target.write_text(rules_markdown(), encoding="utf-8")


if __name__ == "__main__":
    main()
