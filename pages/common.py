"""What every page shares: the current language and the store (both cached per session).

Pages import this as ``from pages.common import lang, store``. It holds no logic of its own.
"""

from __future__ import annotations

import streamlit as st

from sellerguard.i18n import DEFAULT_LANGUAGE, LANGUAGES
from sellerguard.store import Store, data_dir

LANG_KEY = "app_lang"


def _use_app_navigation() -> None:
    """Make sure every page runs inside app.py's ``st.navigation``.

    When the first URL a fresh server sees is a page's (``/review``), Streamlit runs that
    file alone, in its old mode for a ``pages/`` folder, until some run calls
    ``st.navigation``; the page would then show without the language switch and page list.
    Leaving that mode and rerunning runs app.py, which shows the same page properly.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


_use_app_navigation()


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
