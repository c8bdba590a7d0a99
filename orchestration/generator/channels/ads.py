"""Paid ads: clicks that land on the site (same cookie, utm and click id) and daily spend."""

from __future__ import annotations

from orchestration.generator.catalog import AdCampaign
from orchestration.generator.channels.cookies import cookie_at
from orchestration.generator.context import Ctx, Landing, Row, Trail, World
from orchestration.generator.population import Person
from orchestration.generator.rand import Rand, Weighted
from orchestration.generator.timeline import DAY, N_DAYS, START_DAY

CLICKS = "ads.clicks"
SPEND = "ads.spend"

_REFERRERS = {
    "google": "https://www.google.com/",
    "facebook": "https://l.facebook.com/",
    "instagram": "https://l.instagram.com/",
    "tiktok": "https://www.tiktok.com/",
    "pinterest": "https://www.pinterest.de/",
    "awin": "https://www.awin1.com/",
    "cashback": "https://www.shoop.de/",
}


def _click_id(r: Rand, platform: str) -> str:
    if platform == "google":
        return "Cj0KCQjw" + r.b64(48)
    if platform == "meta":
        return "IwAR" + r.b64(42)
    if platform == "tiktok":
        return "E.C.P." + r.b64(36)
    if platform == "pinterest":
        return "dj0yJnU9" + r.b64(27)
    return f"{r.digits(5)}_{r.digits(10)}_{r.hex(32)}"


def _active(ctx: Ctx, day: int) -> Weighted[AdCampaign] | None:
    live = [c for c in ctx.catalog.ad_campaigns if c.start_day <= day <= c.end_day]
    if not live:
        return None
    return Weighted(live, [c.weight for c in live])


def clicks(ctx: Ctx, p: Person, trail: Trail) -> None:
    """Ad clicks of a person who arrives through paid media."""
    if not p.uses("ads"):
        return
    r, tl = ctx.r, ctx.timeline
    n = max(1, r.poisson(ctx.mix.ad_clicks_per_user_year * p.years_active * p.activity))
    for _ in range(n):
        click(ctx, p, trail, tl.online_ts(r, p.start_ts, p.end_ts))


def click(ctx: Ctx, p: Person, trail: Trail, ts: int) -> Landing | None:
    """One ad click at `ts`: the click row and the web landing it starts (same cookie,
    utm parameters and, for Google and Meta, the click id on the landing URL)."""
    r = ctx.r
    day = ts // DAY
    campaigns = _active(ctx, day)
    if campaigns is None:
        return None
    c = r.weighted(campaigns)
    cookie = cookie_at(ctx, p, trail, ts)
    click_id = _click_id(r, c.platform)
    page = r.choice(c.landing_pages)
    if page == "/p/":
        page = f"/p/{r.weighted(ctx.catalog.popularity).sku.lower()}"
    landing = Landing(
        ts,
        cookie,
        "ad",
        page=page,
        utm_source=c.utm_source,
        utm_medium=c.utm_medium,
        utm_campaign=c.utm_campaign,
        referrer=_REFERRERS.get(c.utm_source),
        gclid=click_id if c.platform == "google" else None,
        fbclid=click_id if c.platform == "meta" else None,
    )
    trail.landings.append(landing)
    row: Row = {
        "click_id": click_id,
        "platform": c.platform,
        "channel": c.channel,
        "click_ts": ts,
        "campaign_id": c.campaign_id,
        "campaign_name": c.name,
        "ad_group": r.choice(c.ad_groups),
        "utm_source": c.utm_source,
        "utm_medium": c.utm_medium,
        "utm_campaign": c.utm_campaign,
        "landing_page": page,
        "cookie_id": cookie.cookie_id,
    }
    trail.pending_ad_clicks.append((row, cookie))
    ctx.world.ad_clicks[(day, c.campaign_id)] += 1
    return landing


def spend_rows(world: World, r: Rand) -> list[Row]:
    """Daily spend for every live campaign on every day of the period.

    Platform-reported clicks exceed the clicks that reached the site (bots, bounces
    before the tag fired, consent refusals), and spend follows the campaign's CPC.
    """
    rows: list[Row] = []
    campaigns = world.catalog.ad_campaigns
    totals: dict[str, int] = {}
    for (_, cid), n in world.ad_clicks.items():
        totals[cid] = totals.get(cid, 0) + n
    weights = world.timeline.online_weights
    for c in campaigns:
        live = range(max(0, c.start_day - START_DAY), min(N_DAYS, c.end_day - START_DAY + 1))
        live_weight = sum(weights[d] for d in live) or 1.0
        total = totals.get(c.campaign_id, 0)
        for d in live:
            day = START_DAY + d
            site = world.ad_clicks.get((day, c.campaign_id), 0)
            expected = total * weights[d] / live_weight
            smooth = (0.5 * site + 0.5 * expected) * r.uniform(1.15, 1.45)
            reported = max(site, round(smooth)) + r.between(1, 4)
            impressions = round(reported / (c.ctr * r.uniform(0.8, 1.25)))
            rows.append(
                {
                    "spend_date": day,
                    "platform": c.platform,
                    "channel": c.channel,
                    "campaign_id": c.campaign_id,
                    "campaign_name": c.name,
                    "impressions": impressions,
                    "clicks": reported,
                    "spend": round(reported * c.cpc * r.uniform(0.85, 1.15)),
                    "currency": "EUR",
                }
            )
    rows.sort(key=lambda row: (row["spend_date"], row["platform"], row["campaign_id"]))
    return rows
