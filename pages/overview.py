"""Overview: key figures and the charts of sellerguard.charts over every stored order."""

from __future__ import annotations

import streamlit as st

from pages.common import lang, store
from sellerguard import charts
from sellerguard.errors import SellerGuardError
from sellerguard.i18n import t
from sellerguard.workflow.losses import SETTINGS_KEY, LossAssumptions

L = lang()
db = store()

st.title(t("overview.title", L))
try:
    with st.spinner(t("review.scanning", L)):
        orders = db.scored_orders(wait=False)
    assumptions = LossAssumptions.from_dict(db.get_setting(SETTINGS_KEY))
except SellerGuardError as err:
    st.error(err.message(L))
    st.stop()
if orders.empty:
    st.info(t("overview.empty", L))
    st.stop()

if db.scan_running():
    st.info(t("review.updating", L), icon=":material/sync:")
figures = charts.key_figures(orders, charts.estimated_loss(orders, assumptions))
cells = st.columns(5)
cells[0].metric(t("overview.figure.orders", L), f"{figures.orders:,}")
cells[1].metric(t("overview.figure.flagged", L), f"{figures.flagged:,}")
cells[2].metric(t("overview.figure.high", L), f"{figures.high:,}")
cells[3].metric(t("overview.figure.groups", L), f"{figures.linked_groups:,}")
cells[4].metric(
    t("overview.figure.loss", L),
    f"¥{figures.estimated_loss:,}",
    help=t("overview.figure.loss_help", L),
)
no_shipping = assumptions.shipping_out_per_parcel == 0 == assumptions.shipping_back_per_parcel
if no_shipping and figures.flagged:
    st.caption(t("overview.loss.no_shipping", L))
    st.page_link(
        "pages/drafts.py", label=t("overview.loss.set_shipping", L), icon=":material/edit_note:"
    )

st.altair_chart(charts.orders_per_day(orders, L), width="stretch", key="overview_per_day")
if charts.lock_intervals(orders).empty:
    st.caption(t("overview.no_locks", L))
else:
    st.altair_chart(charts.lock_timeline(orders, L), width="stretch", key="overview_locks")
st.altair_chart(
    charts.cancellations_over_time(orders, L), width="stretch", key="overview_cancellations"
)
left, right = st.columns(2)
with left:
    st.altair_chart(
        charts.flagged_by_prefecture(orders, L), width="stretch", key="overview_prefectures"
    )
with right:
    st.altair_chart(charts.largest_groups(orders, L), width="stretch", key="overview_groups")
