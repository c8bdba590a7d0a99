"""Email marketing: subscribers and the send, open, click and unsubscribe logs.

Event logs follow the subscriber's status: nothing is sent before the double opt-in or
after an unsubscribe, bounce or clean-up; opens follow sends, clicks follow opens, and a
click starts a web session on one of the person's cookies with the campaign's utm.
"""

from __future__ import annotations

from orchestration.generator import hazards as hz
from orchestration.generator.channels.cookies import cookie_at
from orchestration.generator.context import SHOP_HOST, Ctx, Landing, Row, Trail
from orchestration.generator.population import Person
from orchestration.generator.rand import Weighted
from orchestration.generator.timeline import DAY, END_TS

SUBSCRIBERS = "email.subscribers"
SENDS = "email.sends"
OPENS = "email.opens"
CLICKS = "email.clicks"
UNSUBSCRIBES = "email.unsubscribes"

_SOURCES = Weighted(
    ["popup", "checkout", "store", "app", "footer", "contest"], [30, 30, 12, 8, 15, 5]
)
_AGENTS = Weighted(
    [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",  # noqa: E501
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",  # noqa: E501
        "Microsoft Outlook 16.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/115.12",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)",
        "GoogleImageProxy",
        "YahooMailProxy",
    ],
    [34, 24, 10, 3, 10, 15, 4],
)
_REASONS = Weighted(
    ["too_many_emails", "not_relevant", "never_signed_up", "other", None], [40, 25, 8, 12, 15]
)
_PATHS = ("/", "/sale", "/c/neuheiten", "/c/laufschuhe", "/c/outdoorjacken", "/magazin/yoga-basics")
_LANG = {"DE": "de", "AT": "de", "CH": "de", "GB": "en", "NL": "nl", "FR": "fr", "PL": "pl"}


def run(ctx: Ctx, p: Person, trail: Trail) -> None:
    if not p.uses("email"):
        return
    _subscriber(ctx, p, trail, second=False)
    if p.second_email and ctx.r.u() < 0.2:
        _subscriber(ctx, p, trail, second=True)


def _subscriber(ctx: Ctx, p: Person, trail: Trail, second: bool) -> None:
    r, pr, tl, mix = ctx.r, ctx.pr, ctx.timeline, ctx.mix
    tags: list[str] = []
    sid = f"{ctx.next_id('subscriber'):010x}"
    if second and p.second_email:
        email = p.second_email
        tags.append(hz.SECONDARY_EMAIL)
    else:
        email = pr.email(p, tags)
    subscribed = tl.online_ts(r, p.start_ts, max(p.start_ts, END_TS - 20 * DAY))
    typo = hz.EMAIL_TYPO in tags
    confirmed = not typo and r.u() < 0.92
    doi = subscribed + 60 + int(r.expo(1800)) if confirmed else None
    stop = min(p.end_ts + 60 * DAY, END_TS)
    u = r.u()
    if typo:
        status = "bounced"  # the confirmation mail to a misspelt address bounces
    elif not confirmed:
        status = "cleaned"  # never confirmed: removed, nothing sent
    elif u < 0.16:
        status = "unsubscribed"
    elif u < 0.18:
        status = "bounced"
    elif u < 0.23:
        status = "cleaned"  # inactive, cleaned by the provider
    else:
        status = "subscribed"
    if status in ("unsubscribed", "cleaned", "bounced") and confirmed:
        stop = subscribed + int(r.uniform(0.1, 1.0) * (stop - subscribed))
    first = None if r.u() < 0.4 else pr.first_name(p, tags)
    if first:
        pr.person_tags(p, tags)
    row: Row = {
        "subscriber_id": sid,
        "email": email,
        "first_name": first,
        "status": status,
        "subscribed_at": subscribed,
        "double_opt_in_at": doi,
        "opt_in_source": r.weighted(_SOURCES),
        "language": _LANG.get(p.country, "de") if r.u() < 0.95 else "en",
    }
    ctx.out.add_identity(SUBSCRIBERS, row, sid, p.person_id, tags)
    engagement = min(0.9, r.u() ** 1.6 * 0.9 + 0.03)
    if doi is not None:
        for c in ctx.catalog.email_campaigns:
            assert c.ts is not None
            if c.ts < doi:
                continue
            if c.ts > stop:
                break
            if r.chance(mix.email_audience_share):
                ts = c.ts + r.below(900)
                _send(ctx, p, trail, sid, c.campaign_id, c.name, c.utm_campaign, ts, engagement)
    if status == "unsubscribed":
        ctx.out.add(
            UNSUBSCRIBES,
            {
                "unsubscribe_id": f"uns_{ctx.next_id('unsubscribe'):010x}",
                "subscriber_id": sid,
                "email": email.strip().lower() if r.u() < 0.3 else email,
                "unsubscribed_at": min(END_TS, max(stop, subscribed) + 900 + r.below(3600)),
                "reason": r.weighted(_REASONS),
            },
        )


def _send(
    ctx: Ctx,
    p: Person,
    trail: Trail,
    sid: str,
    campaign_id: str,
    name: str,
    utm: str,
    ts: int,
    engagement: float,
) -> None:
    r = ctx.r
    send_id = f"snd_{ctx.next_id('send'):011x}"
    ctx.out.add(
        SENDS,
        {
            "send_id": send_id,
            "subscriber_id": sid,
            "campaign_id": campaign_id,
            "campaign_name": name,
            "sent_at": ts,
        },
    )
    if not r.chance(engagement):
        return
    opened = ts + 60 + int(r.expo(5 * 3600))
    opens = 1 + (1 if r.u() < 0.25 else 0)
    agent = r.weighted(_AGENTS)
    for k in range(opens):
        at = min(opened + k * int(r.expo(6 * 3600)), END_TS)
        ctx.out.add(
            OPENS,
            {
                "open_id": f"opn_{ctx.next_id('open'):011x}",
                "send_id": send_id,
                "subscriber_id": sid,
                "opened_at": at,
                "user_agent": agent,
            },
        )
    if r.u() < 0.14:
        clicked = min(opened + 5 + int(r.expo(60)), END_TS)
        path = r.choice(_PATHS)
        ctx.out.add(
            CLICKS,
            {
                "click_id": f"clk_{ctx.next_id('email_click'):010x}",
                "send_id": send_id,
                "subscriber_id": sid,
                "clicked_at": clicked,
                "url": f"https://{SHOP_HOST}{path}?utm_source=newsletter&utm_medium=email"
                f"&utm_campaign={utm}",
                "utm_campaign": utm,
            },
        )
        trail.landings.append(
            Landing(
                clicked + 2,
                cookie_at(ctx, p, trail, clicked),
                "email",
                page=path,
                utm_source="newsletter",
                utm_medium="email",
                utm_campaign=utm,
            )
        )
