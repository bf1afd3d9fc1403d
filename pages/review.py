"""Review: flagged orders highest score first, why each was flagged, what it is linked to,
and the seller's verdict (one order or a whole linked group) and watchlist."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.common import lang, store
from sellerguard.errors import SellerGuardError
from sellerguard.i18n import status_label, t
from sellerguard.rules import RULES, RULES_BY_CODE
from sellerguard.store import VERDICTS
from sellerguard.store.review import (
    REVIEW_STATES,
    RISK_LEVELS,
    ReviewFilter,
    local_dates,
    reasons,
    review_index,
    with_verdicts,
)

PAGE_SIZE = 50
QUEUE_COLUMNS = (
    "risk_score",
    "risk_level",
    "purchase_date",
    "status",
    "sku",
    "quantity",
    "reason_codes",
)
#: What the order section reads of the chosen order and of its linked orders.
ORDER_COLUMNS = (
    "risk_score",
    "risk_level",
    "status",
    "reasons_ja",
    "reasons_en",
    "purchase_date",
    "skus",
    "sku",
    "quantity",
    "order_value",
    "ship_postal_code",
    "address_canonical",
    "buyer_name",
    "ship_phone",
    "address_key",
    "phone_key",
    "name_key",
    "group_id",
)
LINKED_COLUMNS = ("purchase_date", "status", "sku", "risk_score", "evidence")
L = lang()
db = store()


def first_page() -> None:
    """A changed filter shows its queue from the top."""
    st.session_state["review_page"] = 1


st.title(t("review.title", L))
try:
    with st.spinner(t("review.scanning", L)):
        orders = db.scored_orders(wait=False)
except SellerGuardError as err:
    st.error(err.message(L))
    st.stop()
if orders.empty:
    st.info(t("review.empty", L))
    st.page_link("pages/welcome.py", label=t("review.go_welcome", L), icon=":material/home:")
    st.stop()
index = review_index(orders)  # built once per scored table, shared by every tab
options = index.options
verdicts = db.verdicts()
if db.scan_running():
    st.info(t("review.updating", L), icon=":material/sync:")

# --- filters ---------------------------------------------------------------------------
row1 = st.columns([2, 3, 3])
levels = row1[0].multiselect(
    t("review.filter.level", L),
    list(RISK_LEVELS),
    default=["high", "medium"],
    format_func=lambda v: t(f"review.level.{v}", L),
    key="review_levels",
    placeholder=t("app.choose_options", L),
    on_change=first_page,
)
rules = row1[1].multiselect(
    t("review.filter.rule", L),
    [rule.code for rule in RULES],
    format_func=lambda code: RULES_BY_CODE[code].title[L],
    key="review_rules",
    placeholder=t("app.choose_options", L),
    on_change=first_page,
)
chosen_days = (
    row1[2].date_input(
        t("review.filter.dates", L),
        value=(options.first_day, options.last_day),
        min_value=options.first_day,
        max_value=options.last_day,
        key="review_dates",
        on_change=first_page,
    )
    if options.first_day is not None
    else ()
)
row2 = st.columns([3, 2, 2])
skus = row2[0].multiselect(
    t("review.filter.sku", L),
    options.skus,
    key="review_skus",
    placeholder=t("app.choose_options", L),
    on_change=first_page,
)
states = row2[1].multiselect(
    t("review.filter.state", L),
    list(REVIEW_STATES),
    format_func=lambda v: t(f"review.state.{v}", L),
    key="review_states",
    placeholder=t("app.choose_options", L),
    on_change=first_page,
)
order_statuses = row2[2].multiselect(
    t("review.filter.order_status", L),
    options.order_statuses,
    format_func=lambda v: status_label(v, L),
    key="review_order_statuses",
    placeholder=t("app.choose_options", L),
    on_change=first_page,
)
start, end = (*tuple(chosen_days or ()), None, None)[:2]

queue = index.queue(
    verdicts,
    ReviewFilter(
        levels=tuple(levels),
        rules=tuple(rules),
        start=start,
        end=end,
        skus=tuple(skus),
        states=tuple(states),
        order_statuses=tuple(order_statuses),
    ),
    columns=QUEUE_COLUMNS,
)
st.markdown(t("review.count", L, n=len(queue), total=len(orders)))
if queue.empty:
    st.info(t("review.none_match", L))
    st.stop()

# --- the queue, one page at a time -----------------------------------------------------
pages = -(-len(queue) // PAGE_SIZE)
if st.session_state.get("review_page", 1) > pages:
    st.session_state["review_page"] = pages
page_number = int(st.session_state.get("review_page", 1))
shown = queue.iloc[(page_number - 1) * PAGE_SIZE : page_number * PAGE_SIZE]
rule_titles = {code: rule.title[L] for code, rule in RULES_BY_CODE.items()}
table = pd.DataFrame(
    {
        t("review.column.order_id", L): shown["order_id"],
        t("review.column.score", L): shown["risk_score"],
        t("review.column.level", L): shown["risk_level"].map(lambda v: t(f"review.level.{v}", L)),
        t("review.column.date", L): local_dates(shown["purchase_date"]).dt.date,
        t("review.column.status", L): shown["status"].map(lambda v: status_label(v, L)),
        t("review.column.sku", L): shown["sku"],
        t("review.column.quantity", L): shown["quantity"],
        t("review.column.state", L): shown["review_state"].map(lambda v: t(f"review.state.{v}", L)),
        t("review.column.rules", L): shown["reason_codes"]
        .fillna("")
        .str.split("|")
        .map(lambda codes: ", ".join(rule_titles[c] for c in codes if c in rule_titles)),
    }
)
st.dataframe(table, hide_index=True, width="stretch", height=320)
if pages > 1:
    st.selectbox(
        t("review.page.choose", L),
        range(1, pages + 1),
        format_func=lambda number: t(
            "review.page.rows",
            L,
            first=(number - 1) * PAGE_SIZE + 1,
            last=min(number * PAGE_SIZE, len(queue)),
            n=len(queue),
        ),
        key="review_page",
        width=320,
    )

# --- one order -------------------------------------------------------------------------
ids = shown["order_id"].tolist()
scores = dict(zip(shown["order_id"], shown["risk_score"], strict=True))
selected = st.selectbox(
    t("review.select", L),
    ids,
    format_func=lambda oid: t("review.select_option", L, id=oid, score=scores.get(oid, "?")),
    key="review_order",
)
order = index.row(selected, verdicts, columns=ORDER_COLUMNS)
if order is None:  # the scored table changed under this rerun
    st.rerun()

if st.session_state.get("review_current") != selected:
    st.session_state["review_current"] = selected
    state = str(order["review_state"])
    st.session_state["review_verdict"] = state if state in VERDICTS else "harassment"
    st.session_state["review_note"] = str(order["verdict_note"] or "")
    st.session_state["review_scope"] = "order"

linked = with_verdicts(index.linked(selected, columns=LINKED_COLUMNS), verdicts)
others = linked.loc[~linked["is_selected"]]

st.subheader(t("review.order.title", L, id=selected))
st.markdown(
    t(
        "review.order.facts",
        L,
        score=int(order["risk_score"]),
        level=t(f"review.level.{order['risk_level']}", L),
        status=status_label(order["status"], L),
        state=t(f"review.state.{order['review_state']}", L),
        linked=len(others),
    )
)
found = reasons(order, L)
lines = [f"- **{rule_titles.get(code, code)}**: {sentence}" for code, sentence in found]
st.markdown("\n".join([f"**{t('review.order.reasons', L)}**", "", *lines]))
if not found:
    st.caption(t("review.order.no_reasons", L))

# Linked orders and the order's details are drawn once their expander is opened (their
# open state is kept while the seller moves from order to order).
if others.empty:
    st.caption(t("review.linked.none", L))
else:
    linked_box = st.expander(
        t("review.linked.open", L), key="review_linked_open", on_change="rerun"
    )
    if linked_box.open:
        check = {True: "✓", False: ""}
        linked_box.markdown(f"**{t('review.linked.title', L, n=len(others))}**")
        linked_box.dataframe(
            pd.DataFrame(
                {
                    t("review.column.order_id", L): others["order_id"],
                    t("review.column.date", L): local_dates(others["purchase_date"]).dt.date,
                    t("review.column.status", L): others["status"].map(
                        lambda v: status_label(v, L)
                    ),
                    t("review.column.sku", L): others["sku"],
                    t("review.column.score", L): others["risk_score"],
                    t("review.linked.same_address", L): others["same_address"].map(check),
                    t("review.linked.same_phone", L): others["same_phone"].map(check),
                    t("review.linked.same_name", L): others["same_name"].map(check),
                    t("review.linked.same_account", L): others["same_account"].map(check),
                    t("review.column.state", L): others["review_state"].map(
                        lambda v: t(f"review.state.{v}", L)
                    ),
                }
            ),
            hide_index=True,
            width="stretch",
        )

details = {
    t("review.detail.date", L): order.get("purchase_date"),
    t("review.detail.sku", L): order.get("skus")
    if pd.notna(order.get("skus"))
    else order.get("sku"),
    t("review.detail.quantity", L): order.get("quantity"),
    t("review.detail.value", L): order.get("order_value"),
    t("review.detail.postal_code", L): order.get("ship_postal_code"),
    t("review.detail.address", L): order.get("address_canonical"),
    t("review.detail.buyer", L): order.get("buyer_name"),
    t("review.detail.phone", L): order.get("ship_phone"),
}
detail_rows = [
    (k, str(v)) for k, v in details.items() if v is not None and not pd.isna(v) and str(v)
]
if detail_rows:
    details_box = st.expander(
        t("review.order.details", L), key="review_details_open", on_change="rerun"
    )
    if details_box.open:
        details_box.table(pd.DataFrame(detail_rows, columns=[t("review.detail.item", L), ""]))

# --- verdict ---------------------------------------------------------------------------
st.markdown(f"**{t('review.verdict.title', L)}**")
verdict = st.radio(
    t("review.verdict.label", L),
    list(VERDICTS),
    format_func=lambda v: t(f"review.state.{v}", L),
    horizontal=True,
    key="review_verdict",
)
scope = st.radio(
    t("review.verdict.scope", L),
    ["order", "group"],
    format_func=lambda v: t(f"review.verdict.scope.{v}", L, n=len(linked)),
    horizontal=True,
    key="review_scope",
    disabled=others.empty,
)
note = st.text_area(t("review.verdict.note", L), key="review_note")
if st.button(t("review.verdict.save", L), key="review_save", type="primary"):
    targets = linked if scope == "group" and not others.empty else linked.loc[linked["is_selected"]]
    group = order.get("group_id")
    try:
        db.set_verdict(
            targets["order_id"].astype("str").tolist(),
            verdict,
            note=note,
            group_id=None if group is None or pd.isna(group) else str(group),
            evidence=targets["evidence"].fillna("").astype("str").tolist()
            if "evidence" in targets
            else None,
        )
    except SellerGuardError as err:
        st.error(err.message(L))
    else:
        st.session_state["review_saved"] = t("review.verdict.saved", L, n=len(targets))
        st.session_state.pop("review_current", None)
        st.rerun()
if "review_saved" in st.session_state:
    st.success(st.session_state.pop("review_saved"))

# --- watchlist -------------------------------------------------------------------------
st.markdown(f"**{t('review.watch.title', L)}**")
st.caption(t("review.watch.help", L))
watch_columns = st.columns(3)
watchable = {
    "address": (order.get("address_key"), order.get("address_canonical")),
    "phone": (order.get("phone_key"), order.get("ship_phone")),
    "name": (order.get("name_key"), order.get("buyer_name")),
}
for column, (kind, (key, display)) in zip(watch_columns, watchable.items(), strict=True):
    present = key is not None and not pd.isna(key) and bool(str(key))
    if column.button(
        t(f"review.watch.add_{kind}", L), key=f"review_watch_{kind}", disabled=not present
    ):
        try:
            db.watch(
                kind,  # type: ignore[arg-type]
                str(key),
                display=None if display is None or pd.isna(display) else str(display),
                note=str(selected),
            )
        except SellerGuardError as err:
            st.error(err.message(L))
        else:
            st.success(t("review.watch.added", L))

watch_box = st.expander(t("review.watch.open", L), key="review_watch_list_open", on_change="rerun")
if watch_box.open:  # drawn once opened, like the linked orders
    entries = db.watchlist()
    with watch_box:
        st.markdown(f"**{t('review.watch.list', L, n=len(entries))}**")
        st.markdown(f"**{t('review.watch.manual.title', L)}**")
        manual = st.columns([1, 1, 3])
        manual_kind = manual[0].selectbox(
            t("review.watch.kind", L),
            ["phone", "address", "name"],
            format_func=lambda v: t(f"review.watch.kind.{v}", L),
            key="review_watch_manual_kind",
        )
        manual_postal = manual[1].text_input(
            t("review.watch.manual.postal", L),
            key="review_watch_manual_postal",
            disabled=manual_kind != "address",
        )
        manual_value = manual[2].text_input(
            t("review.watch.manual.value", L), key="review_watch_manual_value"
        )
        if st.button(t("review.watch.manual.add", L), key="review_watch_manual_add"):
            try:
                db.watch_value(
                    manual_kind,
                    manual_value,
                    postal_code=manual_postal if manual_kind == "address" else "",
                )
            except SellerGuardError as err:
                st.error(err.message(L))
            else:
                st.rerun()
        if entries.empty:
            st.caption(t("review.watch.empty", L))
        else:
            st.dataframe(
                pd.DataFrame(
                    {
                        t("review.watch.kind", L): entries["kind"].map(
                            lambda v: t(f"review.watch.kind.{v}", L)
                        ),
                        t("review.watch.value", L): entries["display"].fillna(
                            t("review.watch.hidden", L)
                        ),
                        t("review.watch.source", L): entries["note"],
                        t("review.watch.added_at", L): entries["added_at"],
                    }
                ),
                hide_index=True,
                width="stretch",
            )
            labels = {
                int(row.id): f"{t(f'review.watch.kind.{row.kind}', L)}: "
                f"{row.display if isinstance(row.display, str) else t('review.watch.hidden', L)}"
                for row in entries.itertuples()
            }
            remove = st.selectbox(
                t("review.watch.remove_choice", L),
                list(labels),
                format_func=lambda i: labels[i],
                key="review_unwatch_choice",
            )
            if st.button(t("review.watch.remove", L), key="review_unwatch"):
                db.unwatch(int(remove))
                st.rerun()
