"""SMS marketing: subscribers (E.164 mostly), messages while active, link clicks."""

from __future__ import annotations

from orchestration.generator.context import Ctx, Row, Trail
from orchestration.generator.population import Person
from orchestration.generator.timeline import DAY, END_TS

SUBSCRIBERS = "sms.subscribers"
MESSAGES = "sms.messages"
CLICKS = "sms.clicks"
_CC_COUNTRY = {"49": "DE", "43": "AT", "41": "CH", "44": "GB", "31": "NL", "33": "FR", "48": "PL"}


def run(ctx: Ctx, p: Person, trail: Trail) -> None:
    if not p.uses("sms") or p.mobile is None:
        return
    r, pr, tl = ctx.r, ctx.pr, ctx.timeline
    tags: list[str] = []
    sid = f"sms_{ctx.next_id('sms_subscriber'):09d}"
    opted_in = tl.online_ts(r, p.start_ts, max(p.start_ts, END_TS - 10 * DAY))
    opted_out = None
    if r.u() < 0.2:
        opted_out = opted_in + int(r.uniform(0.05, 1.0) * (END_TS - opted_in))
    phone = pr.format_phone(p.mobile, tags, canonical_share=0.92)
    first = pr.first_name(p, tags) if r.u() < 0.4 else None
    if first:
        pr.person_tags(p, tags)
    row: Row = {
        "sms_subscriber_id": sid,
        "phone": phone,
        "first_name": first,
        "country": _CC_COUNTRY.get(p.mobile.cc, "DE"),
        "status": "opted_out" if opted_out else "active",
        "opted_in_at": opted_in,
        "opted_out_at": opted_out,
    }
    ctx.out.add_identity(SUBSCRIBERS, row, sid, p.person_id, tags)
    stop = opted_out or END_TS
    _message(ctx, sid, "FLOW-WELCOME", "flow", opted_in + 30)
    for c in ctx.catalog.sms_campaigns:
        assert c.ts is not None
        if c.ts < opted_in:
            continue
        if c.ts > stop:
            break
        if r.u() < 0.6:
            _message(ctx, sid, c.campaign_id, "campaign", c.ts + r.below(600))
    if trail.web_orders and r.u() < 0.3:
        o = r.choice(trail.web_orders)
        if opted_in < o.ts - DAY < stop:
            _message(ctx, sid, "FLOW-CART", "flow", o.ts - DAY)


def _message(ctx: Ctx, sid: str, campaign_id: str, kind: str, ts: int) -> None:
    r = ctx.r
    message_id = f"msg_{ctx.next_id('sms_message'):011x}"
    delivered = r.u() < 0.97
    ctx.out.add(
        MESSAGES,
        {
            "message_id": message_id,
            "sms_subscriber_id": sid,
            "campaign_id": campaign_id,
            "message_type": kind,
            "sent_at": min(ts, END_TS),
            "delivered": delivered,
        },
    )
    if delivered and r.u() < 0.08:
        ctx.out.add(
            CLICKS,
            {
                "sms_click_id": f"smc_{ctx.next_id('sms_click'):010x}",
                "message_id": message_id,
                "sms_subscriber_id": sid,
                "clicked_at": min(ts + 20 + int(r.expo(900)), END_TS),
                "url": f"https://npf.de/s/{r.alnum(7)}",
            },
        )
