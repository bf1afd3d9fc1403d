"""The dashboard's catalogue files: both languages for every key; pages say nothing literal."""

from __future__ import annotations

import ast
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from sellerguard.i18n import t

ROOT = Path(__file__).resolve().parents[2]
MY_CATALOGUES = ("app", "store", "import", "review", "overview", "settings")
MY_PAGES = ("welcome", "import_exports", "review", "overview", "settings")
WIDGETS = {
    "button",
    "checkbox",
    "radio",
    "selectbox",
    "multiselect",
    "text_area",
    "text_input",
    "number_input",
    "date_input",
    "file_uploader",
    "segmented_control",
    "toggle",
    "slider",
}


@pytest.mark.parametrize("area", MY_CATALOGUES)
def test_every_key_has_japanese_then_english(area: str) -> None:
    folder = resources.files("sellerguard.i18n") / "messages"
    data = tomllib.loads((folder / f"{area}.toml").read_text(encoding="utf-8"))
    assert data
    for key, texts in data.items():
        assert list(texts) == ["ja", "en"], key
        assert texts["ja"].strip() and texts["en"].strip(), key
        prefix = key.split(".")[0]
        assert prefix in {area, "error"}, key


def _calls(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


@pytest.mark.parametrize("page", [*MY_PAGES, "../app"])
def test_every_widget_has_a_snake_case_key(page: str) -> None:
    path = (ROOT / "pages" / f"{page}.py").resolve()
    for call in _calls(path):
        name = call.func.attr if isinstance(call.func, ast.Attribute) else None
        if name not in WIDGETS:
            continue
        keys = [kw.value for kw in call.keywords if kw.arg == "key"]
        assert keys, f"{path.name}:{call.lineno} {name} has no key="
        if isinstance(keys[0], ast.Constant):
            assert str(keys[0].value).islower() and " " not in str(keys[0].value)


@pytest.mark.parametrize("page", MY_PAGES)
def test_pages_have_no_user_visible_literals(page: str) -> None:
    path = ROOT / "pages" / f"{page}.py"
    for call in _calls(path):
        name = call.func.attr if isinstance(call.func, ast.Attribute) else None
        if name in WIDGETS | {
            "title",
            "subheader",
            "markdown",
            "caption",
            "success",
            "info",
            "error",
            "warning",
        }:
            for arg in call.args[:1]:
                literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                assert not literal, f"{path.name}:{call.lineno} literal text in st.{name}"


def test_page_titles_exist_for_every_listed_page() -> None:
    source = (ROOT / "app.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    keys = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.startswith("app.page.")
    ]
    assert len(keys) >= 5
    for key in keys:
        assert t(key, "ja") and t(key, "en")
