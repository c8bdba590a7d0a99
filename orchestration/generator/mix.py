"""Who uses which channel, and how much: participation rates and activity volumes.

These are behaviour parameters, not identity hazards (those are in `hazards.py`).
Participation probabilities are marginal rates over all persons; correlated channels
(app users mostly have a web account, loyalty members mostly shop in stores) are drawn
conditionally so that the marginal rates still hold.
"""

from __future__ import annotations

from dataclasses import dataclass

# Faker locale -> (share of persons, ISO country)
LOCALES: dict[str, tuple[float, str]] = {
    "de_DE": (0.70, "DE"),
    "de_AT": (0.08, "AT"),
    "de_CH": (0.06, "CH"),
    "en_GB": (0.05, "GB"),
    "nl_NL": (0.04, "NL"),
    "fr_FR": (0.03, "FR"),
    "pl_PL": (0.04, "PL"),
}

HOUSEHOLD_SIZES = {1: 0.42, 2: 0.34, 3: 0.13, 4: 0.11}


@dataclass(frozen=True)
class ChannelMix:
    """Channel participation (share of persons) and activity volumes."""

    web_account: float = 0.55
    """Has a registered web shop account."""
    web_guest_only: float = 0.25
    """Of persons without an account: buys on the web as guest."""
    web_browse_only: float = 0.35
    """Of persons without an account and no guest purchase: browses the web shop."""
    app: float = 0.25
    store: float = 0.45
    crm: float = 0.35
    email: float = 0.50
    sms: float = 0.15
    marketplace: float = 0.20
    support: float = 0.15
    loyalty: float = 0.25
    survey: float = 0.10
    wifi: float = 0.10
    ads: float = 0.40
    """Of web visitors: arrives through paid ad clicks at least once."""

    existing_customer: float = 0.45
    """Share of persons already active on the first day of the period."""
    churn: float = 0.15
    """Share of persons who stop all activity before the end of the period."""

    orders_per_account_year: float = 1.4
    orders_per_guest_year: float = 0.7
    lines_per_order: float = 2.0
    web_return_rate: float = 0.22
    web_cancel_rate: float = 0.04
    sessions_per_visitor_year: float = 3.0
    pages_per_session: float = 2.8
    receipts_per_shopper_year: float = 2.2
    store_return_rate: float = 0.06
    app_events_per_install_year: float = 10.0
    marketplace_orders_per_buyer_year: float = 1.1
    ad_clicks_per_user_year: float = 1.3
    email_campaigns_per_month: float = 3.5
    email_audience_share: float = 0.3
    sms_campaigns_per_month: float = 1.5
    tickets_per_requester: float = 1.4
    wifi_logins_per_user_year: float = 2.5
    surveys_per_respondent: float = 1.2


def conditional(p: float, share: float, lift: float) -> tuple[float, float]:
    """P(channel | driver) and P(channel | no driver) keeping marginal p.

    `share` is the marginal rate of the driver (e.g. web account for the app), `lift`
    how much more likely the channel is with the driver than the marginal.
    """
    hi = min(0.95, p * lift)
    lo = max(0.0, (p - share * hi) / (1.0 - share)) if share < 1 else 0.0
    return hi, lo
