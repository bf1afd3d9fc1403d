"""What every page shares: the current language and the store (both cached per session).

Pages import this as ``from pages.common import lang, store``. It holds no logic of its own.
"""

from __future__ import annotations

import streamlit as st

from sellerguard.i18n import DEFAULT_LANGUAGE, LANGUAGES
from sellerguard.store import Store, data_dir

LANG_KEY = "app_lang"


@st.cache_resource(show_spinner=False)
def _open_store(home: str) -> Store:
    return Store.open(home)


def store() -> Store:
    """The store in ``$SELLERGUARD_HOME`` (or ``~/.sellerguard``), opened once per process."""
    return _open_store(str(data_dir()))


def lang() -> str:
    """The language chosen in the sidebar ("ja" by default)."""
    value = st.session_state.get(LANG_KEY)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE
