"""KPI overview: revenue, AOV, buyers, monthly trend, retention cohorts, CLV distribution.

The formulas are those of the semantic layer (`_customer__semantic.yml`): AOV = net revenue /
orders, repeat rate = buyers with two or more orders / buyers; the monthly figures and the
cohorts are read as materialised in `customer_kpis_monthly` and `customer_cohort_retention`.
"""

from __future__ import annotations

import altair as alt
import streamlit as st

from dashboard.data import Warehouse
from dashboard.formatting import count, money, share

TOTALS_SQL = """
with orders as (
    select
        count(*) as orders,
        sum(net_revenue) as net_revenue
    from marts.fct_orders
),

customers as (
    select
        sum(case when orders >= 1 then 1 else 0 end) as buyers,
        sum(case when orders >= 2 then 1 else 0 end) as repeat_buyers,
        avg(predicted_clv) as mean_predicted_clv
    from marts.dim_customer
)

select
    orders.orders,
    orders.net_revenue,
    orders.net_revenue / nullif(orders.orders, 0) as aov,
    customers.buyers,
    customers.repeat_buyers / nullif(customers.buyers, 0) as repeat_rate,
    customers.mean_predicted_clv
from orders
cross join customers
"""

MONTHLY_SQL = """
select month_start, orders, buyers, net_revenue, aov, repeat_buyer_rate, cac_paid_channels
from marts.customer_kpis_monthly
order by month_start
"""

COHORTS_SQL = """
select cohort_month, months_since_first_order, cohort_buyers, active_buyers, retention_rate
from marts.customer_cohort_retention
order by cohort_month, months_since_first_order
"""

CLV_SQL = """
select customer_id, historical_clv, predicted_clv, total_clv
from marts.customer_clv
where predicted_clv is not null
"""

ACQUISITION_SQL = """
select acquisition_channel, acquired_customers, ad_spend, cac, avg_total_clv, clv_to_cac
from marts.customer_acquisition_channels
order by acquired_customers desc
"""


def render(warehouse: Warehouse) -> None:
    totals = warehouse.query(TOTALS_SQL).iloc[0]
    first, second = st.columns(3), st.columns(3)
    first[0].metric("Net revenue", money(totals.net_revenue))
    first[1].metric("Orders", count(totals.orders))
    first[2].metric("AOV", money(totals.aov))
    second[0].metric("Buyers", count(totals.buyers))
    second[1].metric("Repeat rate", share(totals.repeat_rate))
    second[2].metric("Mean predicted CLV", money(totals.mean_predicted_clv))

    monthly = warehouse.query(MONTHLY_SQL)
    st.markdown("**Net revenue and AOV by month**")
    base = alt.Chart(monthly).encode(x=alt.X("month_start:T", title="month"))
    revenue = base.mark_bar(opacity=0.6).encode(
        y=alt.Y("net_revenue:Q", title="net revenue"),
        tooltip=["month_start:T", "orders", "buyers", "net_revenue", "aov"],
    )
    aov = base.mark_line(point=True, color="#d62728").encode(y=alt.Y("aov:Q", title="AOV"))
    st.altair_chart(alt.layer(revenue, aov).resolve_scale(y="independent"), width="stretch")

    left, right = st.columns(2)
    with left:
        st.markdown("**Retention by first-order cohort**")
        cohorts = warehouse.query(COHORTS_SQL)
        heatmap = (
            alt.Chart(cohorts)
            .mark_rect()
            .encode(
                x=alt.X("months_since_first_order:O", title="months since first order"),
                y=alt.Y("yearmonth(cohort_month):O", title="cohort"),
                color=alt.Color(
                    "retention_rate:Q", title="retention", scale=alt.Scale(scheme="blues")
                ),
                tooltip=[
                    "cohort_month:T",
                    "months_since_first_order",
                    "cohort_buyers",
                    "active_buyers",
                    alt.Tooltip("retention_rate:Q", format=".1%"),
                ],
            )
        )
        st.altair_chart(heatmap, width="stretch")
    with right:
        st.markdown("**Predicted CLV distribution (buyers)**")
        clv = warehouse.query(CLV_SQL)
        histogram = (
            alt.Chart(clv)
            .mark_bar()
            .encode(
                x=alt.X("predicted_clv:Q", bin=alt.Bin(maxbins=40), title="predicted CLV"),
                y=alt.Y("count():Q", title="buyers"),
            )
        )
        st.altair_chart(histogram, width="stretch")

    st.markdown("**Acquisition channels: CAC and CLV:CAC**")
    st.dataframe(warehouse.query(ACQUISITION_SQL), hide_index=True)
