"""One person's story across all channels, in an order where later channels can refer
to what earlier ones produced (ad clicks land on web sessions, store returns carry web
order ids, loyalty points reference receipts, tickets mention orders)."""

from __future__ import annotations

from orchestration.generator.channels import (
    ads,
    app,
    cookies,
    crm,
    email,
    loyalty,
    marketplace,
    pos,
    sms,
    support,
    surveys,
    web,
    wifi,
)
from orchestration.generator.context import Ctx, Trail
from orchestration.generator.population import Person

# every raw table the story writes rows to (checked against the contract)
TABLES = frozenset(
    {
        web.CUSTOMERS,
        web.ORDERS,
        web.ORDER_LINES,
        web.PAGE_VIEWS,
        web.CART_EVENTS,
        app.INSTALLS,
        app.EVENTS,
        pos.RECEIPTS,
        pos.RECEIPT_LINES,
        crm.CONTACTS,
        email.SUBSCRIBERS,
        email.SENDS,
        email.OPENS,
        email.CLICKS,
        email.UNSUBSCRIBES,
        sms.SUBSCRIBERS,
        sms.MESSAGES,
        sms.CLICKS,
        ads.CLICKS,
        ads.SPEND,
        marketplace.ORDERS,
        support.TICKETS,
        loyalty.MEMBERS,
        loyalty.POINTS,
        surveys.RESPONSES,
        wifi.LOGINS,
    }
)


def tell(ctx: Ctx, p: Person) -> None:
    trail = Trail()
    web.accounts(ctx, p, trail)
    if cookies.is_web_person(p):
        cookies.ensure_cookies(ctx, p, trail)
    email.run(ctx, p, trail)
    ads.clicks(ctx, p, trail)
    app.installs(ctx, p, trail)
    web.orders(ctx, p, trail)
    web.sessions(ctx, p, trail)
    web.flush(ctx, p, trail)
    app.events(ctx, p, trail)
    marketplace.run(ctx, p, trail)
    loyalty.enrol(ctx, p, trail)
    pos.run(ctx, p, trail)
    loyalty.member_and_points(ctx, p, trail)
    wifi.run(ctx, p, trail)
    crm.run(ctx, p, trail)
    sms.run(ctx, p, trail)
    support.run(ctx, p, trail)
    surveys.run(ctx, p, trail)
