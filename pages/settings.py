"""Settings: rule weights and thresholds (generated from the rule declarations), language,
data directory, personal-data retention, and deleting everything."""

from __future__ import annotations

import streamlit as st

from pages.common import lang, store
from sellerguard.errors import SellerGuardError
from sellerguard.i18n import LANGUAGES, t
from sellerguard.rules import RULES
from sellerguard.settings import from_mapping, load_settings
from sellerguard.store.scans import SETTINGS_KEY, settings_overrides, store_settings

L = lang()
db = store()

st.title(t("settings.title", L))
try:
    current = store_settings(db)
except SellerGuardError as err:
    st.error(err.message(L))
    current = load_settings(db.home / "settings.toml")

# --- language --------------------------------------------------------------------------
st.subheader(t("settings.language.title", L))
saved_lang = db.get_setting("app.lang", "ja")
default_lang = st.selectbox(
    t("settings.language.default", L),
    list(LANGUAGES),
    index=list(LANGUAGES).index(saved_lang) if saved_lang in LANGUAGES else 0,
    format_func=lambda code: t(f"app.language.{code}", code),
    key="settings_default_lang",
    help=t("settings.language.help", L),
)
if default_lang != saved_lang:
    db.set_setting("app.lang", default_lang)

# --- scoring ---------------------------------------------------------------------------
st.subheader(t("settings.scoring.title", L))
st.caption(t("settings.scoring.help", L))
left, right = st.columns(2)
medium = left.number_input(
    t("settings.threshold.medium", L), 1, 100, int(current.medium), key="settings_medium"
)
high = right.number_input(
    t("settings.threshold.high", L), 1, 100, int(current.high), key="settings_high"
)
rules: dict[str, dict[str, object]] = {}
for rule in RULES:
    chosen = current.rule(rule.code)
    with st.expander(f"{rule.title[L]}  ·  {chosen.weight}", expanded=False):
        st.caption(rule.code)
        enabled = st.checkbox(
            t("settings.rule.enabled", L), chosen.enabled, key=f"settings_rule_{rule.code}_enabled"
        )
        weight = st.number_input(
            t("settings.rule.weight", L),
            0,
            100,
            int(chosen.weight),
            key=f"settings_rule_{rule.code}_weight",
        )
        values: dict[str, object] = {"enabled": bool(enabled), "weight": int(weight)}
        for name, default in rule.params.items():
            help_text = rule.param_help.get(name, {}).get(L)
            values[name] = st.number_input(
                name,
                min_value=0.0,
                value=float(chosen.params.get(name, default)),
                key=f"settings_rule_{rule.code}_{name}",
                help=help_text,
            )
        rules[rule.code] = values

# --- retention -------------------------------------------------------------------------
st.subheader(t("settings.retention.title", L))
st.markdown(t("settings.retention.help", L))
days = st.number_input(
    t("settings.retention.days", L), 1, 3650, int(current.retention_days), key="settings_retention"
)

buttons = st.columns(2)
if buttons[0].button(t("settings.save", L), key="settings_save", type="primary"):
    mapping = {
        "thresholds": {"medium": int(medium), "high": int(high)},
        "retention": {"days": int(days)},
        "rules": rules,
    }
    base = load_settings(db.home / "settings.toml")
    overrides = settings_overrides(mapping, base)
    try:
        from_mapping(overrides, base)
    except SellerGuardError as err:
        st.error(err.message(L))
    else:
        db.set_setting(SETTINGS_KEY, overrides)
        st.success(t("settings.saved", L))
if buttons[1].button(t("settings.reset", L), key="settings_reset"):
    db.set_setting(SETTINGS_KEY, {})
    for key in [k for k in st.session_state if str(k).startswith("settings_")]:
        del st.session_state[key]
    st.rerun()

if st.button(t("settings.retention.apply", L), key="settings_apply_retention"):
    purged = db.apply_retention()
    st.success(t("settings.retention.applied", L, n=purged))

# --- data ------------------------------------------------------------------------------
st.subheader(t("settings.data.title", L))
st.markdown(t("settings.data.where", L, home=str(db.home)))
st.caption(t("settings.data.change", L))
with st.container(border=True):
    st.markdown(f"**{t('settings.delete.title', L)}**")
    st.caption(t("settings.delete.help", L))
    confirm = st.checkbox(t("settings.delete.confirm", L), key="settings_confirm_delete")
    if st.button(
        t("settings.delete.button", L),
        key="settings_delete_all",
        disabled=not confirm,
        type="primary",
    ):
        try:
            db.delete_everything()
        except SellerGuardError as err:
            st.error(err.message(L))
        else:
            for key in [k for k in st.session_state if not str(k).startswith("app_")]:
                del st.session_state[key]
            st.session_state["settings_deleted"] = True
            st.rerun()
    if st.session_state.pop("settings_deleted", False):
        st.success(t("settings.delete.done", L))
