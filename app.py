"""SellerGuard dashboard: ``streamlit run app.py`` (or ``sellerguard dashboard``).

``streamlit run app.py`` finds ``app`` (an ``st.App``) at the bottom of this file and serves
it, with :class:`sellerguard.dashboard.BackendBaseUrl` in front so that a tab opened on any
page finds the server at once; Streamlit then runs this same file as ``__main__`` for every
page view (:func:`main`).

The page list below is the whole navigation: one line per page, in the order shown in the
sidebar. A page whose file is missing is skipped, so the app never breaks over one page.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

import streamlit as st

from pages.common import LANG_KEY, lang, store
from sellerguard.errors import SellerGuardError
from sellerguard.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from sellerguard.store import Store

ROOT = Path(__file__).resolve().parent
SWITCH_KEY = "app_lang_switch"

# (file under the repository, catalogue key of its title, icon) — add a page with one line.
PAGES: list[tuple[str, str, str]] = [
    ("pages/welcome.py", "app.page.welcome", ":material/home:"),
    ("pages/import_exports.py", "app.page.import", ":material/upload_file:"),
    ("pages/review.py", "app.page.review", ":material/fact_check:"),
    ("pages/overview.py", "app.page.overview", ":material/monitoring:"),
    ("pages/connect.py", "app.page.connect", ":material/cloud_sync:"),
    ("pages/checklist.py", "app.page.checklist", ":material/checklist:"),
    ("pages/drafts.py", "app.page.drafts", ":material/edit_note:"),
    ("pages/filings.py", "app.page.filings", ":material/history:"),
    ("pages/evidence.py", "app.page.evidence", ":material/folder_open:"),
    ("pages/incident_report.py", "app.page.incident_report", ":material/description:"),
    ("pages/help.py", "app.page.help", ":material/support:"),
    ("pages/settings.py", "app.page.settings", ":material/settings:"),
]


def _language_chosen() -> None:
    st.session_state[LANG_KEY] = st.session_state.get(SWITCH_KEY) or DEFAULT_LANGUAGE


def language_switch() -> None:
    """Japanese by default (or the seller's saved choice, or ``$SELLERGUARD_LANG``);
    English one click away.

    The language lives in ``st.session_state["app_lang"]``; the switch only writes it, so
    the choice survives page changes and the switch's label never changes its identity.
    """
    if st.session_state.get(LANG_KEY) not in LANGUAGES:
        fallback = os.environ.get("SELLERGUARD_LANG") or DEFAULT_LANGUAGE
        saved = store().get_setting("app.lang", fallback)
        st.session_state[LANG_KEY] = saved if saved in LANGUAGES else DEFAULT_LANGUAGE
    st.session_state[SWITCH_KEY] = st.session_state[LANG_KEY]
    st.sidebar.segmented_control(
        f"{t('app.language', 'ja')} / {t('app.language', 'en')}",
        options=list(LANGUAGES),
        format_func=lambda code: t(f"app.language.{code}", code),
        key=SWITCH_KEY,
        on_change=_language_chosen,
        required=True,
    )


def _warm(db: Store) -> None:
    from sellerguard.address import load_reference_data
    from sellerguard.jit import warm_up
    from sellerguard.store.review import review_index

    with contextlib.suppress(Exception):  # a failure shows when a page needs these
        load_reference_data()
        warm_up()  # the compiled passes: some seconds on a machine's first start
    with contextlib.suppress(SellerGuardError):  # the pages show it when they scan
        review_index(db.scored_orders())


@st.cache_resource(show_spinner=False)
def warm_up(home: str) -> threading.Thread:
    """Once per server start: load the Japan Post table, the compiled passes, the cached
    scan and its review index in the background, so the first Review opens at once."""
    thread = threading.Thread(
        target=_warm, args=(store(),), name="sellerguard-warm-up", daemon=True
    )
    thread.start()
    return thread


def followup_reminder() -> None:
    """A filing whose follow-up date has come shows as a reminder in the sidebar."""
    from datetime import date

    from sellerguard.workflow.filings import due_followups

    due = due_followups(store(), date.today())
    if due:
        st.sidebar.warning(t("workflow.reminder", lang(), count=len(due)), icon=":material/alarm:")
        st.sidebar.page_link("pages/filings.py", label=t("workflow.reminder.go", lang()))


@st.cache_resource(show_spinner=False)
def retention_applied(home: str) -> int:
    """Delete expired buyer data once per server start and data directory (see Settings)."""
    return store().apply_retention()


def navigation() -> st.navigation:  # type: ignore[valid-type]
    """Build the navigation from ``PAGES``, skipping files that do not exist."""
    pages = []
    for file, title_key, icon in PAGES:
        if not (ROOT / file).is_file():
            continue
        try:
            title = t(title_key, lang())
        except KeyError:
            title = Path(file).stem.replace("_", " ").title()
        pages.append(st.Page(ROOT / file, title=title, icon=icon, default=not pages))
    return st.navigation(pages)


def main() -> None:
    """One page view: the set-up every page shares, then the page the URL names."""
    # An emoji favicon is drawn in the browser; a :material/...: one is fetched from Google's
    # servers by every tab, and nothing of the dashboard should leave the seller's machine.
    st.set_page_config(page_title="SellerGuard", page_icon="🛡️", layout="wide")
    retention_applied(str(store().home))
    warm_up(str(store().home))
    language_switch()
    page = navigation()
    followup_reminder()  # after navigation: its page link needs the registered pages
    page.run()


if __name__ == "__main__":  # Streamlit runs this file for every page view
    main()
else:  # `streamlit run app.py` imports this module and serves `app` (Streamlit's st.App)
    from starlette.middleware import Middleware
    from streamlit.runtime.pages_manager import PagesManager

    from sellerguard.dashboard import BackendBaseUrl

    # The pages come from st.navigation in main(). Served this way, Streamlit would otherwise
    # treat pages/ as an old-style pages folder until the first run of main(): a fresh
    # server's first tab opened on /review ran pages/review.py alone, without navigation.
    PagesManager.uses_pages_directory = False

    app = st.App(
        __file__,
        middleware=[
            Middleware(BackendBaseUrl, base_path=st.get_option("server.baseUrlPath") or "")
        ],
    )
